"""Why a deploy did not start or did not finish, with what to do about it."""

from __future__ import annotations


class DeployError(Exception):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class TargetChoiceError(DeployError):
    """The command line named no target, or one that site.yaml does not have (a usage error)."""
