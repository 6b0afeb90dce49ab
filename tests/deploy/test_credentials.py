"""Where a deploy target's credentials would come from, by name only (for `broadsheet doctor`)."""

from __future__ import annotations

from pathlib import Path

from builder.config.deploy import DeployTarget
from builder.deploy.credentials import check_credentials


def s3(**fields) -> DeployTarget:
    return DeployTarget(name="production", type="s3", bucket="news-archive", **fields)


def test_s3_keys_in_the_environment(tmp_path):
    found = check_credentials(s3(), tmp_path, {"AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s"}, tmp_path)
    assert found.found and "AWS_ACCESS_KEY_ID" in found.where


def test_s3_half_a_key_pair_is_not_credentials(tmp_path):
    assert not check_credentials(s3(), tmp_path, {"AWS_ACCESS_KEY_ID": "k"}, tmp_path).found


def test_s3_profile_from_site_yaml_or_the_environment(tmp_path):
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    (home / ".aws" / "credentials").write_text("[newsroom]\naws_access_key_id = k\naws_secret_access_key = s\n")
    (home / ".aws" / "config").write_text("[profile archive]\nregion = eu-central-1\n")
    assert check_credentials(s3(profile="newsroom"), tmp_path, {}, home).where == "the AWS profile 'newsroom'"
    assert check_credentials(s3(), tmp_path, {"AWS_PROFILE": "archive"}, home).found
    missing = check_credentials(s3(profile="elsewhere"), tmp_path, {}, home)
    assert not missing.found and "elsewhere" in missing.where and "instance role" in missing.fix


def test_s3_role_from_the_ci(tmp_path):
    found = check_credentials(s3(), tmp_path, {"AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/token"}, tmp_path)
    assert found.found and "a role" in found.where


def test_ssh_remotes_need_an_agent_or_a_key(tmp_path):
    pages = DeployTarget(name="pages", type="git", remote="git@github.com:org/site.git")
    mirror = DeployTarget(name="mirror", type="rsync", destination="deploy@web1:/var/www/archive/")
    home = tmp_path / "home"
    for target in (pages, mirror):
        assert not check_credentials(target, tmp_path, {}, home).found
        assert check_credentials(target, tmp_path, {"SSH_AUTH_SOCK": "/tmp/agent"}, home).found
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519").write_text("key")
    assert check_credentials(mirror, tmp_path, {}, home).where == "the ssh key ~/.ssh/id_ed25519"


def test_local_targets_need_no_credentials(tmp_path: Path):
    (tmp_path / "repo.git").mkdir()
    assert check_credentials(DeployTarget(name="local", type="git", remote="repo.git"), tmp_path, {}, tmp_path).found
    assert check_credentials(DeployTarget(name="copy", type="rsync", destination="public/"), tmp_path, {}, tmp_path).found
    gone = check_credentials(DeployTarget(name="gone", type="git", remote="nowhere.git"), tmp_path, {}, tmp_path)
    assert not gone.found and "does not exist" in gone.where
