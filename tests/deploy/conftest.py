"""Deploy tests: the example site built once, copied per test, and real targets on loopback.

- `example` (once per session): the repository's example site (site.yaml, content/, static/) in a
  temporary folder, with a deploy: section and two extra static files, built into its output/.
- `site`: a private copy of it (mtimes kept, so the copy's output is still intact and its build
  cache still current); `rebuild(site)` builds it again after a change.
- `s3`: moto's S3 server on 127.0.0.1 and a free port, started here, with a fresh bucket per test.
- git and rsync need no server: a bare repository and a folder in tmp_path.

Relative paths in the deploy: section are relative to the site folder, so each copy's targets
(../pages.git, ../mirror) are its own.
"""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from builder.build.pipeline import BuildOptions, build

REPO = Path(__file__).resolve().parents[2]
NOTES = "static/press/notes.txt"  # small (no .gz/.br siblings), copied as it is: changing it changes one file
OLD = "static/press/old.txt"
UNICODE = "static/press/Հայտարարություն 2024 (final).txt"  # a name to quote right in URLs, git and rsync


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class S3Server:
    endpoint: str
    bucket: str

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1")

    def objects(self, prefix: str = "") -> dict[str, str]:
        """Every key under `prefix` (without it) with its ETag."""
        found = {}
        for page in self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                found[item["Key"][len(prefix):]] = item["ETag"]
        return found


@pytest.fixture(scope="session")
def moto_endpoint():
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def hermetic_env(monkeypatch, tmp_path):
    """Dummy AWS credentials, no ~/.aws, and git without the machine's or the user's settings."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    empty = tmp_path / "gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def s3(moto_endpoint) -> S3Server:
    server = S3Server(moto_endpoint, f"test-{uuid.uuid4().hex[:12]}")
    server.client().create_bucket(Bucket=server.bucket)
    return server


def deploy_section(endpoint: str) -> str:
    return f"""
deploy:
  production: {{type: s3, bucket: cli-bucket, prefix: archive/, endpoint: "{endpoint}"}}
  pages: {{type: git, remote: ../pages.git}}
  mirror: {{type: rsync, destination: ../mirror}}
"""


@pytest.fixture(scope="session")
def example(tmp_path_factory, moto_endpoint) -> Path:
    site = tmp_path_factory.mktemp("example") / "site"
    site.mkdir()
    shutil.copytree(REPO / "content", site / "content")
    shutil.copytree(REPO / "static", site / "static")
    (site / NOTES).parent.mkdir(parents=True)
    (site / NOTES).write_text("Press contacts: newsroom@example.org\n")
    (site / OLD).write_text("An old notice.\n")
    (site / UNICODE).write_text("Հայտարարություն\n")
    (site / "site.yaml").write_text((REPO / "site.yaml").read_text(encoding="utf-8") + deploy_section(moto_endpoint),
                                    encoding="utf-8")
    build(BuildOptions(site))
    return site


@pytest.fixture
def site(example, tmp_path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(example, copy, symlinks=True)  # copy2: mtimes kept, so output/ still matches its manifest
    return copy


def rebuild(site: Path):
    return build(BuildOptions(site))


def edit(path: Path, text: str) -> None:
    """Change a file so that the next build sees it even within the same clock tick."""
    stat = path.stat()
    path.write_text(text)
    os.utime(path, ns=(stat.st_atime_ns, max(stat.st_mtime_ns + 1_000_000_000, path.stat().st_mtime_ns)))
