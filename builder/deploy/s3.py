"""Deploy to an S3 bucket, or any S3-compatible service, through boto3.

- Credentials come from where boto3 always looks (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY,
  AWS_PROFILE or `profile:`, ~/.aws, an instance role), never from site.yaml.
- Every object carries the sha256 of its bytes in its metadata (x-amz-meta-sha256); a file is
  uploaded when the bucket has no object with the manifest's digest and the headers below. ETags
  are not compared with anything local (they are no MD5 for multipart uploads nor on every
  service); they only tell whether an object changed since this machine last looked at it, so
  that an unchanged site costs one listing instead of one request per object.
- Content-Type by file name, with a charset for text; Cache-Control by kind of file: pages, feeds
  and sitemaps revalidate after 5 minutes, fingerprinted assets are cached for a year, other
  files for an hour.
- With `precompressed: true` the .gz and .br siblings of the build are uploaded as objects of their
  own with Content-Encoding gzip or br and the Content-Type of the original (for a CDN rule or an
  edge function that picks one by Accept-Encoding); without it they are not published.
- Assets are uploaded before the pages that use them, pages before the feeds and sitemaps that
  list them, and deletions come last.
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
import os
import re
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path, PurePosixPath

from builder.config.deploy import DeployTarget
from builder.config.search import BUNDLE_FOLDER, HASHED_BUNDLE_FOLDERS
from builder.deploy.base import Deployer, Progress
from builder.deploy.errors import DeployError
from builder.deploy.local import LocalSite
from builder.deploy.plan import Plan, make_plan, publish_order

WORKERS = 8
SMALL = 16 << 20  # bytes: smaller files go in one PUT; larger ones in a multipart upload
CACHE_VERSION = 1

DOCUMENT_CACHE = "public, max-age=300, must-revalidate"
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"
DEFAULT_CACHE = "public, max-age=3600"
FINGERPRINTED = re.compile(r"\.[0-9a-f]{8,}\.(css|js|png|jpe?g|webp|avif|gif|svg|woff2?)$")
# Pagefind's index files, named by their content (builder.config.search).
HASHED_SEARCH_FILES = tuple(f"{BUNDLE_FOLDER}/{folder}/" for folder in HASHED_BUNDLE_FOLDERS)
DOCUMENTS = {".html", ".htm", ".xml", ".json"}  # pages, feeds (RSS, Atom, JSON Feed), sitemaps
ENCODINGS = {".gz": "gzip", ".br": "br"}

TEXT = "; charset=utf-8"
TYPES = {
    ".html": "text/html" + TEXT, ".htm": "text/html" + TEXT, ".css": "text/css" + TEXT,
    ".js": "text/javascript" + TEXT, ".mjs": "text/javascript" + TEXT, ".xml": "application/xml" + TEXT,
    ".json": "application/json", ".map": "application/json", ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json", ".txt": "text/plain" + TEXT, ".woff2": "font/woff2",
    ".woff": "font/woff", ".webp": "image/webp", ".avif": "image/avif", ".ico": "image/x-icon",
}
PLAIN_NAMES = {"_headers", "_redirects"}  # rules files of other hosts: text
ARCHIVE_TYPES = {"gzip": "application/gzip", "br": "application/x-brotli", "bzip2": "application/x-bzip2",
                 "xz": "application/x-xz"}
_MIME = mimetypes.MimeTypes()  # Python's own table: the same answer on every machine


def content_type(path: str) -> str:
    name = PurePosixPath(path).name
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in TYPES:
        return TYPES[suffix]
    if name in PLAIN_NAMES:
        return "text/plain" + TEXT
    guessed, encoding = _MIME.guess_type(name, strict=False)
    if encoding:  # a compressed file published as it is, e.g. data.csv.gz
        return ARCHIVE_TYPES.get(encoding, "application/octet-stream")
    if guessed is None:
        return "application/octet-stream"
    return guessed + TEXT if guessed.startswith("text/") else guessed


def cache_control(path: str) -> str:
    name = PurePosixPath(path).name
    if FINGERPRINTED.search(name.lower()) or path.startswith(HASHED_SEARCH_FILES):
        return IMMUTABLE_CACHE
    if PurePosixPath(name).suffix.lower() in DOCUMENTS:
        return DOCUMENT_CACHE
    return DEFAULT_CACHE


@dataclass(frozen=True)
class Headers:
    content_type: str
    cache_control: str
    content_encoding: str = ""


def published_files(site: LocalSite, precompressed: bool) -> tuple[dict[str, Headers], tuple[str, ...]]:
    """Each file to publish with its headers, and the precompressed siblings left out."""
    headers: dict[str, Headers] = {}
    skipped = []
    for path in site.files:
        original, ext = path[:-3], path[-3:]
        if ext in ENCODINGS and original in site.files:
            if precompressed:
                headers[path] = Headers(content_type(original), cache_control(original), ENCODINGS[ext])
            else:
                skipped.append(path)
        else:
            headers[path] = Headers(content_type(path), cache_control(path))
    return headers, tuple(skipped)


class S3Deployer(Deployer):
    def __init__(self, target: DeployTarget, site: LocalSite, title: str = "", base: Path | None = None):
        super().__init__(target, site, title, base)
        import boto3
        from botocore.config import Config
        from botocore.exceptions import BotoCoreError

        self.bucket, self.prefix = target.bucket, target.prefix
        try:
            session = boto3.session.Session(profile_name=target.profile or None, region_name=target.region or None)
            config = Config(
                retries={"max_attempts": 5, "mode": "standard"},
                max_pool_connections=WORKERS * 2,
                # Checksums only where the protocol needs them: S3-compatible services differ in
                # which of the newer checksum headers they accept. ContentMD5 guards each PUT.
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
                # Services other than AWS rarely serve every bucket under its own host name.
                s3={"addressing_style": "path"} if target.endpoint else None,
            )
            self.client = session.client("s3", endpoint_url=target.endpoint or None, config=config)
        except BotoCoreError as exc:
            raise _explain(exc, target) from None
        self.headers, self.skipped = published_files(site, target.precompressed)
        self.signatures = {path: (site.files[path].digest, h.content_type, h.cache_control, h.content_encoding)
                           for path, h in self.headers.items()}
        self.state_path = site.root / f".broadsheet-deploy-{target.name}.json"
        self.known = self._load_state()

    def describe(self) -> str:
        where = f" at {self.target.endpoint}" if self.target.endpoint else ""
        return f"s3://{self.bucket}/{self.prefix}{where}"

    # Looking -----------------------------------------------------------------------------------

    def plan(self, delete: bool) -> Plan:
        remote: dict[str, tuple | None] = {}
        to_ask = []
        with self._errors():
            for rel, (etag, size) in self._list().items():
                local = self.site.files.get(rel)
                known = self.known.get(rel)
                if rel not in self.signatures or local is None or local.size != size:
                    remote[rel] = None  # not ours to publish, or certainly different
                elif (known and known.get("etag") == etag and known.get("size") == size
                      and isinstance(known.get("signature"), list)):
                    remote[rel] = tuple(known["signature"])
                else:
                    to_ask.append((rel, etag, size))
            with ThreadPoolExecutor(WORKERS) as pool:
                signatures = pool.map(self._signature, [r for r, _, _ in to_ask])
                for (rel, etag, size), signature in zip(to_ask, signatures, strict=True):
                    remote[rel] = signature
                    self._remember(rel, etag, size, signature)
        return make_plan(self.signatures, remote, delete, self.skipped)

    def _list(self) -> dict[str, tuple[str, int]]:
        found = {}
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for item in page.get("Contents", []):
                rel = item["Key"][len(self.prefix):]
                if rel and not rel.endswith("/"):  # "folder" placeholders some tools create
                    found[rel] = (item.get("ETag", ""), item["Size"])
        return found

    def _signature(self, rel: str) -> tuple | None:
        from botocore.exceptions import ClientError

        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.prefix + rel)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey"):
                return None  # gone since the listing
            raise
        digest = head.get("Metadata", {}).get("sha256")
        if not digest:
            return None  # not uploaded by Broadsheet: replace it
        return digest, head.get("ContentType", ""), head.get("CacheControl", ""), head.get("ContentEncoding", "")

    # Changing ----------------------------------------------------------------------------------

    def apply(self, plan: Plan, progress: Progress | None = None) -> Plan:
        uploaded: list[str] = []
        deleted: list[str] = []
        total = len(plan.uploads) + len(plan.deletions)
        try:
            with self._errors(), ThreadPoolExecutor(WORKERS) as pool:
                # One group at a time: assets, then pages, then feeds and sitemaps.
                for _, group in groupby(plan.uploads, key=lambda path: publish_order(path)[0]):
                    futures = [pool.submit(self._put, rel) for rel in group]
                    try:
                        for future in as_completed(futures):
                            rel, etag = future.result()
                            uploaded.append(rel)
                            self._remember(rel, etag, self.site.files[rel].size, self.signatures[rel])
                            if progress:
                                progress(len(uploaded), total)
                    except BaseException:
                        for future in futures:
                            future.cancel()
                        raise
                for start in range(0, len(plan.deletions), 1000):
                    batch = plan.deletions[start:start + 1000]
                    answer = self.client.delete_objects(Bucket=self.bucket, Delete={
                        "Objects": [{"Key": self.prefix + rel} for rel in batch], "Quiet": True})
                    failed = {e["Key"][len(self.prefix):]: e.get("Message", e.get("Code", ""))
                              for e in answer.get("Errors", [])}
                    for rel in batch:
                        if rel not in failed:
                            deleted.append(rel)
                            self.known.pop(rel, None)
                    if failed:
                        rel, why = next(iter(failed.items()))
                        raise DeployError(f"could not delete {len(failed)} objects, e.g. {self.prefix + rel}: {why}")
                    if progress:
                        progress(len(uploaded) + len(deleted), total)
        finally:
            self._save_state()
        return Plan(tuple(uploaded), tuple(deleted), plan.unchanged, plan.kept, plan.skipped)

    def _put(self, rel: str) -> tuple[str, str | None]:
        headers = self.headers[rel]
        extra = {"ContentType": headers.content_type, "CacheControl": headers.cache_control,
                 "Metadata": {"sha256": self.site.files[rel].digest}}
        if headers.content_encoding:
            extra["ContentEncoding"] = headers.content_encoding
        key = self.prefix + rel
        if self.site.files[rel].size <= SMALL:
            data = self.site.read(rel)
            md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
            answer = self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentMD5=md5, **extra)
            return rel, answer.get("ETag")
        self.client.upload_file(str(self.site.verify(rel)), self.bucket, key, ExtraArgs=extra)
        return rel, None  # the next deploy reads its signature back with one HEAD

    # What this machine knows about the bucket ---------------------------------------------------

    def _load_state(self) -> dict[str, dict]:
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != CACHE_VERSION or data.get("where") != self.describe():
            return {}
        objects = data.get("objects")
        return {k: v for k, v in objects.items() if isinstance(v, dict)} if isinstance(objects, dict) else {}

    def _remember(self, rel: str, etag: str | None, size: int, signature: tuple | None) -> None:
        if etag and signature:
            self.known[rel] = {"etag": etag, "size": size, "signature": list(signature)}
        else:
            self.known.pop(rel, None)

    def _save_state(self) -> None:
        tmp = self.state_path.with_name(self.state_path.name + ".tmp")
        try:
            tmp.write_text(json.dumps({"version": CACHE_VERSION, "where": self.describe(), "objects": self.known},
                                      sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.state_path)
        except OSError:
            pass  # only a shortcut for the next deploy; it asks the bucket instead

    @contextmanager
    def _errors(self):
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            yield
        except (BotoCoreError, ClientError) as exc:
            raise _explain(exc, self.target) from None


def _explain(exc: Exception, target: DeployTarget) -> DeployError:
    from botocore.exceptions import (
        ClientError,
        EndpointConnectionError,
        NoCredentialsError,
        NoRegionError,
        PartialCredentialsError,
        ProfileNotFound,
    )

    where = f"s3://{target.bucket}"
    if isinstance(exc, (NoCredentialsError, PartialCredentialsError)):
        return DeployError(f"no credentials for {where}",
                           "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE or `profile:` "
                           "for a profile in ~/.aws; site.yaml never holds them")
    if isinstance(exc, ProfileNotFound):
        return DeployError(str(exc), "name a profile from ~/.aws/config")
    if isinstance(exc, NoRegionError):
        return DeployError(f"no region for {where}", "set region: in the target or AWS_DEFAULT_REGION")
    if isinstance(exc, EndpointConnectionError):
        return DeployError(f"cannot reach {exc.kwargs.get('endpoint_url', target.endpoint or 'S3')}",
                           "check endpoint: and the network")
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code, message = error.get("Code", ""), error.get("Message", "")
        if code in ("NoSuchBucket", "404") and exc.operation_name in ("ListObjectsV2", "ListObjects"):
            return DeployError(f"bucket {target.bucket} does not exist",
                               "create it first; deploy never creates buckets")
        if code in ("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "403", "ExpiredToken"):
            return DeployError(f"{where} refused access ({code}: {message or exc.operation_name})",
                               "check the credentials in the environment or profile, and the bucket's policy")
        return DeployError(f"{where}: {exc.operation_name} failed ({code}: {message})")
    return DeployError(f"{where}: {exc}")
