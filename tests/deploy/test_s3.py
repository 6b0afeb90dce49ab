"""S3 deploys against moto's S3 server on loopback: only changed files go up, with the right headers."""

from __future__ import annotations

import gzip
import hashlib

import brotli
import pytest

from builder.config.deploy import DeployTarget
from builder.deploy.errors import DeployError
from builder.deploy.local import load_site
from builder.deploy.s3 import (
    DEFAULT_CACHE,
    DOCUMENT_CACHE,
    IMMUTABLE_CACHE,
    cache_control,
    content_type,
)
from builder.deploy.targets import connect

from .conftest import NOTES, OLD, edit, rebuild

PREFIX = "archive/"


def target(s3, **settings) -> DeployTarget:
    # Without the .gz/.br siblings unless a test is about them: a third of the objects, a third of the time.
    return DeployTarget(name="production", type="s3", bucket=s3.bucket, prefix=PREFIX, endpoint=s3.endpoint,
                        **{"precompressed": False, **settings})


def deploy(site, s3, delete=False, dry_run=False, **settings):
    with connect(target(s3, **settings), load_site(site / "output")) as deployer:
        plan = deployer.plan(delete)
        return plan if dry_run else deployer.apply(plan)


def site_files(site, precompressed=False) -> set[str]:
    files = set(load_site(site / "output").files)
    return files if precompressed else {f for f in files if not (f.endswith((".gz", ".br")) and f[:-3] in files)}


# --- headers by file name (pure) -------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("index.html", "text/html; charset=utf-8"),
    ("assets/style.e778343d71.css", "text/css; charset=utf-8"),
    ("assets/broadsheet.c489507d0d.js", "text/javascript; charset=utf-8"),
    ("feed.xml", "application/xml; charset=utf-8"),
    ("feed.json", "application/json"),
    ("assets/favicon.745d800a44.svg", "image/svg+xml"),
    ("site.webmanifest", "application/manifest+json"),
    ("robots.txt", "text/plain; charset=utf-8"),
    ("_headers", "text/plain; charset=utf-8"),
    ("images/2024/vote.d88c6a3308.jpg", "image/jpeg"),
    ("fonts/a.woff2", "font/woff2"),
    ("reports/budget.pdf", "application/pdf"),
    ("data/results.csv.gz", "application/gzip"),
    ("LICENSE", "application/octet-stream"),
])
def test_content_types(name, expected):
    assert content_type(name) == expected


@pytest.mark.parametrize("name, expected", [
    ("index.html", DOCUMENT_CACHE), ("politics/2024/03/vote/index.html", DOCUMENT_CACHE),
    ("feed.xml", DOCUMENT_CACHE), ("atom.xml", DOCUMENT_CACHE), ("feed.json", DOCUMENT_CACHE),
    ("sitemap.xml", DOCUMENT_CACHE),
    ("assets/style.e778343d71.css", IMMUTABLE_CACHE), ("images/2024/vote.d88c6a3308.jpg", IMMUTABLE_CACHE),
    ("assets/favicon.745d800a44.svg", IMMUTABLE_CACHE), ("fonts/serif.0123abcd.woff2", IMMUTABLE_CACHE),
    ("images/logo.png", DEFAULT_CACHE), ("robots.txt", DEFAULT_CACHE), ("reports/budget.pdf", DEFAULT_CACHE),
    ("assets/style.abc.css", DEFAULT_CACHE),
])
def test_cache_control_by_kind_of_file(name, expected):
    assert cache_control(name) == expected


# --- against the server ----------------------------------------------------------------------------

def test_first_deploy_uploads_the_site_with_its_headers(site, s3):
    done = deploy(site, s3, precompressed=True)
    objects = s3.objects(PREFIX)
    assert set(objects) == site_files(site, precompressed=True) == set(done.uploads)
    assert not any(key.startswith(".broadsheet") for key in s3.objects())  # bookkeeping never goes up
    assert all(key.startswith(PREFIX) for key in s3.objects())

    client = s3.client()
    manifest = load_site(site / "output").files

    def head(rel):
        return client.head_object(Bucket=s3.bucket, Key=PREFIX + rel)

    page = head("index.html")
    assert page["ContentType"] == "text/html; charset=utf-8"
    assert page["CacheControl"] == "public, max-age=300, must-revalidate"
    assert page["Metadata"]["sha256"] == manifest["index.html"].digest
    assert "ContentEncoding" not in page

    [css] = [rel for rel in manifest if rel.startswith("assets/style.") and rel.endswith(".css")]
    style = head(css)
    assert style["ContentType"] == "text/css; charset=utf-8"
    assert style["CacheControl"] == "public, max-age=31536000, immutable"

    assert head("feed.xml")["CacheControl"] == "public, max-age=300, must-revalidate"
    assert head("sitemap.xml")["ContentType"] == "application/xml; charset=utf-8"
    assert head("press/notes.txt")["CacheControl"] == "public, max-age=3600"

    # Precompressed siblings: objects of their own, the original's type, their Content-Encoding.
    for ext, encoding, unpack in ((".gz", "gzip", gzip.decompress), (".br", "br", brotli.decompress)):
        sibling = head("index.html" + ext)
        assert sibling["ContentEncoding"] == encoding
        assert sibling["ContentType"] == "text/html; charset=utf-8"
        assert sibling["CacheControl"] == "public, max-age=300, must-revalidate"
        body = client.get_object(Bucket=s3.bucket, Key=PREFIX + "index.html" + ext)["Body"].read()
        assert unpack(body) == (site / "output" / "index.html").read_bytes()
        assert head(css + ext)["CacheControl"] == "public, max-age=31536000, immutable"

    # The bytes arrived whole.
    body = client.get_object(Bucket=s3.bucket, Key=PREFIX + "index.html")["Body"].read()
    assert hashlib.sha256(body).hexdigest() == manifest["index.html"].digest


def test_second_deploy_uploads_only_the_changed_file(site, s3):
    deploy(site, s3)
    before = s3.objects(PREFIX)
    edit(site / NOTES, "Press contacts: desk@example.org, +374 10 000000\n")
    report = rebuild(site).report
    assert report.written == ["press/notes.txt"]

    again = deploy(site, s3)
    assert again.uploads == ("press/notes.txt",)
    assert again.deletions == () and again.unchanged == len(before) - 1 == len(site_files(site)) - 1
    after = s3.objects(PREFIX)
    assert {k for k in after if after[k] != before[k]} == {"press/notes.txt"}
    body = s3.client().get_object(Bucket=s3.bucket, Key=PREFIX + "press/notes.txt")["Body"].read()
    assert body == b"Press contacts: desk@example.org, +374 10 000000\n"


def test_unchanged_site_uploads_nothing_even_without_local_state(site, s3):
    deploy(site, s3)
    for state in (site / "output").glob(".broadsheet-deploy-*"):
        state.unlink()  # another machine: the objects' sha256 metadata decides
    plan = deploy(site, s3, dry_run=True)
    assert plan.uploads == () and plan.unchanged == len(site_files(site))


def test_changed_header_rules_upload_again(site, s3, monkeypatch):
    deploy(site, s3)
    monkeypatch.setattr("builder.deploy.s3.DEFAULT_CACHE", "public, max-age=600")
    again = deploy(site, s3)
    assert "robots.txt" in again.uploads and "index.html" not in again.uploads
    assert s3.client().head_object(Bucket=s3.bucket, Key=PREFIX + "robots.txt")["CacheControl"] == "public, max-age=600"


def test_headers_changed_behind_our_back_are_fixed(site, s3):
    deploy(site, s3)
    for state in (site / "output").glob(".broadsheet-deploy-*"):
        state.unlink()  # what this machine remembers of the bucket is only a shortcut: the objects decide
    client = s3.client()
    key = PREFIX + "robots.txt"
    body = client.get_object(Bucket=s3.bucket, Key=key)["Body"].read()
    digest = hashlib.sha256(body).hexdigest()
    # Same bytes and sha256, but served as something else (e.g. by an older tool): fix it.
    client.put_object(Bucket=s3.bucket, Key=key, Body=body, ContentType="application/octet-stream",
                      Metadata={"sha256": digest})
    assert deploy(site, s3).uploads == ("robots.txt",)
    assert client.head_object(Bucket=s3.bucket, Key=key)["ContentType"] == "text/plain; charset=utf-8"


def test_objects_changed_behind_our_back_are_replaced(site, s3):
    deploy(site, s3)
    client = s3.client()
    client.put_object(Bucket=s3.bucket, Key=PREFIX + "index.html", Body=b"defaced")
    same_size = (site / "output" / "robots.txt").read_bytes().upper()
    client.put_object(Bucket=s3.bucket, Key=PREFIX + "robots.txt", Body=same_size)  # no sha256 metadata
    assert set(deploy(site, s3).uploads) == {"index.html", "robots.txt"}


def test_removed_files_stay_without_delete_and_go_with_it(site, s3):
    deploy(site, s3)
    (site / OLD).unlink()
    assert rebuild(site).report.deleted == ["press/old.txt"]

    kept = deploy(site, s3)
    assert kept.deletions == () and kept.kept == ("press/old.txt",) and kept.uploads == ()
    assert "press/old.txt" in s3.objects(PREFIX)

    preview = deploy(site, s3, delete=True, dry_run=True)
    assert preview.deletions == ("press/old.txt",)
    assert "press/old.txt" in s3.objects(PREFIX)

    gone = deploy(site, s3, delete=True)
    assert gone.deletions == ("press/old.txt",)
    assert set(s3.objects(PREFIX)) == site_files(site)


def test_delete_never_leaves_the_prefix(site, s3):
    client = s3.client()
    client.put_object(Bucket=s3.bucket, Key="other-site/index.html", Body=b"not ours")
    client.put_object(Bucket=s3.bucket, Key="archive-old/index.html", Body=b"not ours either")
    deploy(site, s3, delete=True)
    assert {"other-site/index.html", "archive-old/index.html"} <= set(s3.objects())


def test_dry_run_changes_nothing(site, s3):
    deploy(site, s3)
    edit(site / NOTES, "Changed for the dry run, and longer than before.\n")
    (site / OLD).unlink()
    rebuild(site)
    listing = s3.objects()
    plan = deploy(site, s3, delete=True, dry_run=True)
    assert plan.uploads == ("press/notes.txt",) and plan.deletions == ("press/old.txt",)
    assert s3.objects() == listing


def test_without_precompressed_the_siblings_are_not_published(site, s3):
    done = deploy(site, s3, precompressed=False)
    objects = set(s3.objects(PREFIX))
    assert "index.html" in objects and "index.html.gz" not in objects and "index.html.br" not in objects
    assert "index.html.gz" in done.skipped
    # Siblings uploaded by an earlier deploy go with --delete, like any file no longer published.
    deploy(site, s3, precompressed=True)
    assert deploy(site, s3, precompressed=False, delete=True).deletions == done.skipped


def test_pages_go_up_after_the_assets_they_use(site, s3):
    order = deploy(site, s3, dry_run=True).uploads
    first_page = min(i for i, rel in enumerate(order) if rel.endswith(".html"))
    last_asset = max(i for i, rel in enumerate(order) if rel.startswith(("assets/", "images/")))
    assert last_asset < first_page
    assert order.index("sitemap.xml") > max(i for i, rel in enumerate(order) if rel.endswith(".html"))


def test_a_missing_bucket_is_an_error_that_says_so(site, s3):
    target = DeployTarget(name="p", type="s3", bucket="no-such-bucket", endpoint=s3.endpoint)
    with pytest.raises(DeployError, match="bucket no-such-bucket does not exist"), \
            connect(target, load_site(site / "output")) as deployer:
        deployer.plan(False)


def test_missing_credentials_are_an_error_that_says_where_they_come_from(site, s3, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with pytest.raises(DeployError) as error:
        deploy(site, s3, dry_run=True)
    assert "no credentials" in error.value.message and "AWS_ACCESS_KEY_ID" in error.value.hint


def test_large_files_go_through_the_transfer_manager(site, s3, monkeypatch):
    monkeypatch.setattr("builder.deploy.s3.SMALL", 0)  # every file counts as large
    deploy(site, s3)
    head = s3.client().head_object(Bucket=s3.bucket, Key=PREFIX + "index.html")
    assert head["ContentType"] == "text/html; charset=utf-8" and head["CacheControl"] == DOCUMENT_CACHE
    assert head["Metadata"]["sha256"] == load_site(site / "output").files["index.html"].digest
    assert deploy(site, s3, dry_run=True).uploads == ()


def test_names_outside_ascii(site, s3):
    name = "press/Հայտարարություն 2024 (final).txt"
    deploy(site, s3)
    assert name in s3.objects(PREFIX)
    body = s3.client().get_object(Bucket=s3.bucket, Key=PREFIX + name)["Body"].read()
    assert body.decode() == "Հայտարարություն\n"
    assert deploy(site, s3, dry_run=True).uploads == ()


def test_a_damaged_local_state_only_costs_requests(site, s3):
    deploy(site, s3)
    [state] = (site / "output").glob(".broadsheet-deploy-*")
    text = state.read_text()
    state.write_text(text.replace('"signature": [', '"signature": 7, "was": ['))
    assert deploy(site, s3, dry_run=True).uploads == ()
    state.write_text("{not json")
    assert deploy(site, s3, dry_run=True).uploads == ()
