"""site.yaml `deploy:`: named targets of three types, checked per type, and never a credential."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.config.deploy import DeployTarget
from builder.config.site import parse_config
from builder.errors import BuildFailed

SITE = """\
title: T
base_url: https://example.org/
sections:
  - {key: news, title: News}
"""  # deploy: starts on line 5


def errors(text: str) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(BuildFailed) as failure:
        parse_config(SITE + text, Path("/site"))
    return [(e.line, e.field, e.message) for e in failure.value.errors]


def test_no_deploy_section_means_no_targets():
    assert dict(parse_config(SITE, Path("/site")).deploy) == {}


def test_the_three_types():
    targets = parse_config(SITE + """\
deploy:
  production: {type: s3, bucket: news-archive, prefix: archive, region: eu-central-1, endpoint: "https://s3.example.net", precompressed: true}
  pages: {type: git, remote: "git@github.com:org/site.git"}
  mirror: {type: rsync, destination: "user@host:/var/www/archive/"}
""", Path("/site")).deploy
    assert list(targets) == ["production", "pages", "mirror"]
    assert targets["production"] == DeployTarget(
        name="production", type="s3", bucket="news-archive", prefix="archive/", region="eu-central-1",
        endpoint="https://s3.example.net", precompressed=True)
    assert targets["pages"] == DeployTarget(name="pages", type="git", remote="git@github.com:org/site.git",
                                            branch="gh-pages")
    assert targets["mirror"].destination == "user@host:/var/www/archive/"


@pytest.mark.parametrize("prefix, stored", [("", ""), ("/", ""), ("archive", "archive/"), ("/a/b/", "a/b/")])
def test_the_s3_prefix_is_a_folder_of_keys(prefix, stored):
    targets = parse_config(SITE + f"deploy:\n  p: {{type: s3, bucket: b-1, prefix: '{prefix}'}}\n", Path("/site")).deploy
    assert targets["p"].prefix == stored


def test_mistakes_name_their_line():
    assert errors("""\
deploy:
  production:
    type: s3
    regoin: eu-central-1
  pages: {type: git, remote: x, branch: "a..b"}
  mirror: {type: rsync}
  other: {type: ftp}
  untyped: {bucket: b}
  Bad_Name: {type: rsync, destination: /x}
  plain: yes
  bucketless: {type: s3, bucket: "Not_A_Bucket", precompressed: "yes"}
""") == [
        (6, "deploy.production", "missing required key 'bucket'"),
        (8, "deploy.production.regoin", "unknown key 'regoin'"),
        (9, "deploy.pages.branch", "'a..b' is not a branch name"),
        (10, "deploy.mirror", "missing required key 'destination'"),
        (11, "deploy.other.type", "'ftp' is not a deploy type"),
        (12, "deploy.untyped", "missing required key 'type'"),
        (13, "deploy.Bad_Name", "'Bad_Name' is not a valid target name"),
        (14, "deploy.plain", "expected a mapping with a type (s3, git or rsync), got str 'yes'"),
        (15, "deploy.bucketless.bucket", "'Not_A_Bucket' is not a bucket name"),
        (15, "deploy.bucketless.precompressed", "expected true or false, got 'yes'"),
    ]


def test_keys_of_another_type_are_unknown():
    assert errors("deploy:\n  pages: {type: git, remote: x, bucket: b}\n") == [
        (6, "deploy.pages.bucket", "unknown key 'bucket'")]


@pytest.mark.parametrize("key", ["access_key", "secret", "aws_secret_access_key", "aws_access_key_id", "password",
                                 "token", "session_token", "api_key"])
def test_credentials_are_refused_and_never_repeated(key):
    with pytest.raises(BuildFailed) as failure:
        parse_config(SITE + f"deploy:\n  p:\n    type: s3\n    bucket: b-1\n    {key}: hunter2-SECRET\n", Path("/site"))
    [error] = failure.value.errors
    assert (error.line, error.field) == (9, f"deploy.p.{key}")
    assert "credential" in error.message and "environment" in error.hint and "profile" in error.hint
    assert "hunter2" not in str(error)


@pytest.mark.parametrize("target", [
    "{type: git, remote: 'https://user:hunter2@example.org/site.git'}",
    "{type: git, remote: 'https://hunter2@example.org/site.git'}",
    "{type: s3, bucket: b-1, endpoint: 'https://key:hunter2@s3.example.net'}",
    "{type: rsync, destination: 'rsync://user:hunter2@example.org/site/'}",
])
def test_credentials_inside_urls_are_refused(target):
    [(line, _, message)] = errors(f"deploy:\n  p: {target}\n")
    assert line == 6 and "hunter2" not in message


def test_ssh_user_names_are_no_credentials():
    targets = parse_config(SITE + """\
deploy:
  a: {type: git, remote: "ssh://git@example.org/org/site.git"}
  b: {type: git, remote: "git@example.org:org/site.git"}
  c: {type: rsync, destination: "deploy@example.org:/var/www/"}
""", Path("/site")).deploy
    assert len(targets) == 3
