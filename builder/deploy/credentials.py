"""Whether a deploy target's credentials are where its tools will look, for `broadsheet doctor`.

Only the names of the places are ever reported (an environment variable, a profile, a key file),
never a value. Nothing is asked of the network: an S3 instance role or a git server's answer can
only be known by trying, so a target without credentials found here is a warning, not an error.
"""

from __future__ import annotations

import configparser
import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from builder.config.deploy import DeployTarget

SSH_KEYS = ("id_ed25519", "id_ecdsa", "id_rsa", "id_ed25519_sk", "id_ecdsa_sk")
# Credentials a CI runner or a container hands to the AWS SDK without keys in the environment.
AWS_ROLE_VARIABLES = ("AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                      "AWS_CONTAINER_CREDENTIALS_FULL_URI")


@dataclass(frozen=True)
class CredentialCheck:
    target: str
    found: bool
    where: str  # the places found, or what was looked for: names only, never a value
    fix: str = ""


def check_credentials(target: DeployTarget, site_dir: Path, env: Mapping[str, str], home: Path) -> CredentialCheck:
    if target.type == "s3":
        return _s3(target, env, home)
    if target.type == "git":
        return _git(target, site_dir, env, home)
    return _rsync(target, site_dir, env, home)


def _aws_profiles(env: Mapping[str, str], home: Path) -> set[str]:
    profiles: set[str] = set()
    files = (env.get("AWS_SHARED_CREDENTIALS_FILE") or str(home / ".aws" / "credentials"),
             env.get("AWS_CONFIG_FILE") or str(home / ".aws" / "config"))
    for file in files:
        parser = configparser.RawConfigParser()
        try:
            parser.read(file, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError):
            continue
        profiles |= {section.removeprefix("profile ").strip() for section in parser.sections()}
    return profiles


def _s3(target: DeployTarget, env: Mapping[str, str], home: Path) -> CredentialCheck:
    if env.get("AWS_ACCESS_KEY_ID") and env.get("AWS_SECRET_ACCESS_KEY"):
        return CredentialCheck(target.name, True, "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment")
    if roles := [name for name in AWS_ROLE_VARIABLES if env.get(name)]:
        return CredentialCheck(target.name, True, f"{roles[0]} in the environment (a role)")
    profile = target.profile or env.get("AWS_PROFILE", "")
    if profile and profile in _aws_profiles(env, home):
        return CredentialCheck(target.name, True, f"the AWS profile '{profile}'")
    looked = f"the AWS profile '{profile}' (not in ~/.aws)" if profile else "AWS_ACCESS_KEY_ID, AWS_PROFILE, ~/.aws"
    return CredentialCheck(target.name, False, f"none found ({looked})",
                           "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (in CI: as secrets), or name a profile; "
                           "on a machine with an instance role there is nothing to do")


def _ssh_credentials(env: Mapping[str, str], home: Path) -> str | None:
    if env.get("SSH_AUTH_SOCK"):
        return "an ssh agent (SSH_AUTH_SOCK)"
    for name in SSH_KEYS:
        if (home / ".ssh" / name).is_file():
            return f"the ssh key ~/.ssh/{name}"
    return None


SSH_FIX = "load a key into ssh-agent or create one (ssh-keygen) and add it to the server (in CI: a deploy key secret)"


def _remote_host(address: str) -> bool:
    """user@host:path or ssh://, not a local path (a Windows drive 'C:' is not a host)."""
    return address.startswith("ssh://") or (bool(re.match(r"^[\w.@-]{2,}:", address)) and "://" not in address)


def _git(target: DeployTarget, site_dir: Path, env: Mapping[str, str], home: Path) -> CredentialCheck:
    remote = target.remote
    if remote.startswith(("https://", "http://")):
        helper = subprocess.run(["git", "config", "--get", "credential.helper"], capture_output=True, text=True,
                                cwd=site_dir if site_dir.is_dir() else None, check=False).stdout.strip()
        if helper:
            return CredentialCheck(target.name, True, "a git credential helper")
        if env.get("GIT_ASKPASS"):
            return CredentialCheck(target.name, True, "GIT_ASKPASS in the environment")
        return CredentialCheck(target.name, False, "no git credential helper or GIT_ASKPASS",
                               "configure a credential helper (git config credential.helper store) or use an ssh "
                               "remote; in CI the checkout's token can push")
    if _remote_host(remote):
        found = _ssh_credentials(env, home)
        return CredentialCheck(target.name, found is not None, found or "no ssh agent or key", "" if found else SSH_FIX)
    path = (site_dir / remote) if not Path(remote).is_absolute() else Path(remote)
    if path.exists():
        return CredentialCheck(target.name, True, "a local repository (no credentials needed)")
    return CredentialCheck(target.name, False, f"the local repository {path} does not exist",
                           "create it (git init --bare) or fix remote: in site.yaml")


def _rsync(target: DeployTarget, site_dir: Path, env: Mapping[str, str], home: Path) -> CredentialCheck:
    destination = target.destination
    if _remote_host(destination):
        found = _ssh_credentials(env, home)
        return CredentialCheck(target.name, found is not None, found or "no ssh agent or key", "" if found else SSH_FIX)
    path = (site_dir / destination) if not Path(destination).is_absolute() else Path(destination)
    folder = path if path.exists() else path.parent
    if folder.is_dir() and os.access(folder, os.W_OK):
        return CredentialCheck(target.name, True, "a local folder that can be written (no credentials needed)")
    return CredentialCheck(target.name, False, f"{folder} cannot be written",
                           "create the folder, or fix destination: in site.yaml")
