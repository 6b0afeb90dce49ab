"""`deploy:` in site.yaml: named targets (s3, git, rsync), and never a credential."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from builder.config.reader import KEY_PATTERN, Reader, describe


@dataclass(frozen=True)
class DeployTarget:
    """One named target under `deploy:` in site.yaml; which fields count depends on `type`."""

    name: str
    type: str  # s3, git or rsync
    bucket: str = ""  # s3
    prefix: str = ""  # s3: "" or a key prefix ending in "/"
    region: str = ""  # s3
    endpoint: str = ""  # s3: an S3-compatible service; empty for AWS itself
    profile: str = ""  # s3: a profile in ~/.aws/config (a name, never a secret)
    precompressed: bool = False  # s3: also upload .gz/.br siblings with their Content-Encoding
    remote: str = ""  # git: any URL or path git can push to
    branch: str = "gh-pages"  # git
    destination: str = ""  # rsync: a local folder or [user@]host:path


DEPLOY_KEYS = {
    "s3": ({"bucket"}, {"prefix", "region", "endpoint", "profile", "precompressed"}),
    "git": ({"remote"}, {"branch"}),
    "rsync": ({"destination"}, set()),
}
# Keys that would hold a secret. Credentials never go into site.yaml, which lives in the repository.
CREDENTIAL_KEY = re.compile(r"secret|passw|token|credential|access_?key|private_?key|api_?key", re.IGNORECASE)
CREDENTIALS_HINT = ("credentials come from the environment or a profile, never from site.yaml: "
                    "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or ~/.aws (profile:) for s3, "
                    "your ssh keys or git credential helper for git and rsync")
S3_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
GIT_BRANCH = re.compile(r"^(?!-)(?!.*(\.\.|//|@\{|\.lock$|/$|\.$))[^\s~^:?*\[\\\x00-\x1f\x7f]+$")


def read_deploy(r: Reader, value: Any) -> Mapping[str, DeployTarget]:
    targets: dict[str, DeployTarget] = {}
    section = r.mapping(value, ("deploy",), set(value) if isinstance(value, dict) else set())
    for name, item in section.items():
        target = _target(r, name, item)
        if target is not None:
            targets[name] = target
    return MappingProxyType(targets)


def _target(r: Reader, name: Any, item: Any) -> DeployTarget | None:
    keys = ("deploy", name)
    if not isinstance(name, str) or not KEY_PATTERN.match(name):
        r.error(keys, f"'{name}' is not a valid target name", "use lowercase letters, digits and hyphens")
        return None
    if not isinstance(item, dict):
        r.error(keys, f"expected a mapping with a type (s3, git or rsync), got {describe(item)}")
        return None
    secrets = {k for k in item if isinstance(k, str) and CREDENTIAL_KEY.search(k)}
    for key in sorted(secrets):
        r.error((*keys, key), f"'{key}' looks like a credential and does not belong in site.yaml", CREDENTIALS_HINT)
    kind = r.string(item.get("type"), (*keys, "type"))
    if "type" not in item:
        r.error(keys, "missing required key 'type'", "one of: " + ", ".join(sorted(DEPLOY_KEYS)))
        return None
    if kind not in DEPLOY_KEYS:
        r.error((*keys, "type"), f"'{kind}' is not a deploy type", "one of: " + ", ".join(sorted(DEPLOY_KEYS)))
        return None
    required, optional = DEPLOY_KEYS[kind]
    r.mapping({k: v for k, v in item.items() if k not in secrets}, keys, {"type"} | required | optional, required)
    fields: dict[str, Any] = {k: r.string(item.get(k), (*keys, k)) for k in required | optional - {"precompressed"}}
    for k in required:
        if k in item and not fields[k]:
            r.error((*keys, k), "must not be empty")
    _CHECKS[kind](r, keys, item, fields)
    return DeployTarget(name=name, type=kind, **{k: v for k, v in fields.items() if v != ""})


def _s3(r: Reader, keys: tuple, item: dict, fields: dict[str, Any]) -> None:
    precompressed = item.get("precompressed", False)
    if not isinstance(precompressed, bool):
        r.error((*keys, "precompressed"), f"expected true or false, got {precompressed!r}")
        precompressed = False
    fields["precompressed"] = precompressed
    if fields["bucket"] and not S3_BUCKET.match(fields["bucket"]):
        r.error((*keys, "bucket"), f"'{fields['bucket']}' is not a bucket name",
                "3 to 63 lowercase letters, digits, dots and hyphens")
    prefix = fields.get("prefix", "").strip("/")
    if ".." in prefix.split("/") or "//" in prefix:
        r.error((*keys, "prefix"), f"'{fields['prefix']}' is not a key prefix", "e.g. archive/ or sites/news/")
    fields["prefix"] = prefix + "/" if prefix else ""
    if endpoint := fields.get("endpoint"):
        parts = urlsplit(endpoint)
        if parts.username is not None or parts.password is not None:
            r.error((*keys, "endpoint"), "the URL holds credentials", CREDENTIALS_HINT)
        elif parts.scheme not in ("http", "https") or not parts.hostname:
            r.error((*keys, "endpoint"), f"'{endpoint}' is not an http(s) URL", "e.g. https://s3.example.net")


def _git(r: Reader, keys: tuple, item: dict, fields: dict[str, Any]) -> None:
    parts = urlsplit(fields["remote"]) if "://" in fields["remote"] else None
    # ssh://git@host/... names a user; https://TOKEN@host/... and user:password@ carry a secret.
    if parts and (parts.password is not None or (parts.scheme in ("http", "https") and parts.username)):
        r.error((*keys, "remote"), "the URL holds a password or token", CREDENTIALS_HINT)
    fields["branch"] = fields.get("branch") or "gh-pages"
    if not GIT_BRANCH.match(fields["branch"]):
        r.error((*keys, "branch"), f"'{fields['branch']}' is not a branch name", "e.g. gh-pages")


def _rsync(r: Reader, keys: tuple, item: dict, fields: dict[str, Any]) -> None:
    destination = fields["destination"]
    if destination.startswith("rsync://") and urlsplit(destination).password is not None:
        r.error((*keys, "destination"), "the URL holds a password", CREDENTIALS_HINT)


_CHECKS = {"s3": _s3, "git": _git, "rsync": _rsync}
