"""`broadsheet deploy`: builds first, refuses a failed or stale output, prints the plan, exits 0/1/2."""

from __future__ import annotations

import subprocess

from click.testing import CliRunner

from builder.cli import main
from builder.output.layout import MANIFEST, STAGING
from builder.output.manifest import Manifest

from .conftest import NOTES, S3Server, edit, rebuild


def run(*args):
    return CliRunner().invoke(main, ["deploy", *map(str, args)], catch_exceptions=False)


def tree(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()} \
        if root.exists() else {}


def test_help(site):
    result = CliRunner().invoke(main, ["deploy", "--help"])
    assert result.exit_code == 0
    for option in ("TARGET", "--site", "--dry-run", "--delete", "--no-build"):
        assert option in result.output


def test_the_target_must_be_named_when_there_are_several(site):
    result = run("--site", site)
    assert result.exit_code == 2
    assert "several deploy targets" in result.stderr and "mirror, pages, production" in result.stderr


def test_an_unknown_target_is_a_usage_error(site):
    result = run("staging", "--site", site)
    assert result.exit_code == 2 and "no deploy target 'staging'" in result.stderr


def test_no_deploy_section(site):
    text = (site / "site.yaml").read_text()
    (site / "site.yaml").write_text(text[:text.index("\ndeploy:")] + "\n")
    result = run("--site", site)
    assert result.exit_code == 1 and "no deploy targets" in result.stderr


def test_a_configuration_error_is_reported_like_the_build_does(site):
    with open(site / "site.yaml", "a") as handle:
        handle.write("  broken: {type: s3, bucket: b-1, secret_key: x}\n")
    result = run("mirror", "--site", site)
    assert result.exit_code == 1
    assert "deploy.broken.secret_key" in result.stderr and "environment" in result.stderr


def test_deploy_builds_first_then_sends_only_changes(site):
    mirror = site.parent / "mirror"  # destination: ../mirror, relative to the site folder
    edit(site / NOTES, "Press contacts: desk@example.org, +374 10 000000\n")
    result = run("mirror", "--site", site)
    assert result.exit_code == 0, result.output
    assert "Built " in result.stdout and "Deployed to mirror: " in result.stdout
    assert (mirror / "press/notes.txt").read_text() == "Press contacts: desk@example.org, +374 10 000000\n"
    assert (mirror / "index.html").exists()

    again = run("mirror", "--site", site)
    assert again.exit_code == 0 and "The target is up to date." in again.stdout
    assert "0 to upload, 0 to delete" in again.stdout


def test_dry_run_lists_the_plan_and_changes_nothing(site):
    mirror = site.parent / "mirror"
    assert run("mirror", "--site", site).exit_code == 0
    (mirror / "stale.html").write_text("stale")
    edit(site / NOTES, "Changed, and longer than it was before.\n")
    rebuild(site)
    before, built = tree(mirror), tree(site / "output")
    edit(site / NOTES, "Changed again since the build: a dry run must not build it.\n")
    result = run("mirror", "--site", site, "--dry-run", "--delete")
    assert result.exit_code == 0
    assert "nothing is built" in result.stdout and "Built " not in result.stdout
    assert "  upload press/notes.txt" in result.stdout and "  delete stale.html" in result.stdout
    assert "Would do: 1 to upload, 1 to delete" in result.stdout and "Nothing was changed." in result.stdout
    assert tree(mirror) == before
    assert tree(site / "output") == built  # it used to rebuild the output while saying this


def test_a_failed_build_deploys_nothing(site):
    mirror = site.parent / "mirror"
    (site / "content" / "broken.md").write_text("---\ntitle: No section\ndate: 2024-01-01\n---\n\nBody.\n")
    result = run("mirror", "--site", site)
    assert result.exit_code == 1
    assert "Build failed" in result.stderr and "Nothing was deployed." in result.stderr
    assert not mirror.exists()


def test_no_build_refuses_an_output_changed_since_its_build(site):
    mirror = site.parent / "mirror"
    page = site / "output" / "index.html"
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<script>hand edit</script></body>"))
    result = run("mirror", "--site", site, "--no-build")
    assert result.exit_code == 1
    assert "Deploy refused" in result.stderr and "index.html changed since the build" in result.stderr
    assert not mirror.exists()
    # Building first puts the page back as the build makes it, and the deploy goes ahead.
    result = run("mirror", "--site", site)
    assert result.exit_code == 0 and b"hand edit" not in (mirror / "index.html").read_bytes()


def test_no_build_refuses_a_build_that_did_not_finish(site):
    (site / "output" / STAGING).mkdir()
    result = run("mirror", "--site", site, "--no-build")
    assert result.exit_code == 1 and "did not finish" in result.stderr
    assert not (site.parent / "mirror").exists()


def test_no_build_refuses_an_output_without_manifest(site, tmp_path):
    (site / "output" / MANIFEST).unlink()
    result = run("mirror", "--site", site, "--no-build")
    assert result.exit_code == 1 and "no build manifest" in result.stderr


def test_no_build_deploys_an_intact_build_as_it_is(site):
    result = run("mirror", "--site", site, "--no-build")
    assert result.exit_code == 0 and "Built " not in result.stdout
    with Manifest(site / "output") as manifest:
        assert set(tree(site.parent / "mirror")) == set(manifest.entries())


def test_git_target(site):
    bare = site.parent / "pages.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True)
    assert run("pages", "--site", site, "--no-build").exit_code == 0
    edit(site / NOTES, "Changed, and longer than it was before.\n")
    result = run("pages", "--site", site)
    assert result.exit_code == 0 and "Deployed to pages: 1 uploaded" in result.stdout
    count = subprocess.run(["git", "rev-list", "--count", "gh-pages"], cwd=bare, capture_output=True, text=True)
    assert count.stdout.strip() == "2"


def test_s3_target(site, moto_endpoint):
    s3 = S3Server(moto_endpoint, "cli-bucket")
    client = s3.client()
    client.create_bucket(Bucket=s3.bucket)
    try:
        dry = run("production", "--site", site, "--no-build", "--dry-run")
        assert dry.exit_code == 0 and "  upload index.html" in dry.stdout
        assert "  skip   index.html.gz" in dry.stdout  # no precompressed: true for this target
        assert s3.objects() == {}
        result = run("production", "--site", site, "--no-build")
        assert result.exit_code == 0, result.output
        head = client.head_object(Bucket=s3.bucket, Key="archive/index.html")
        assert head["CacheControl"] == "public, max-age=300, must-revalidate"
        assert "archive/index.html.br" not in s3.objects()
    finally:
        for key in s3.objects():
            client.delete_object(Bucket=s3.bucket, Key=key)
        client.delete_bucket(Bucket=s3.bucket)


def test_s3_errors_exit_1_with_a_fix(site, moto_endpoint, monkeypatch):
    result = run("production", "--site", site, "--no-build")  # cli-bucket does not exist
    assert result.exit_code == 1
    assert "Deploy failed: bucket cli-bucket does not exist" in result.stderr
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    result = run("production", "--site", site, "--no-build")
    assert result.exit_code == 1 and "no credentials" in result.stderr and "AWS_ACCESS_KEY_ID" in result.stderr


def test_a_build_during_the_deploy_fails_it(site, monkeypatch):
    from builder.deploy.rsync import RsyncDeployer

    apply = RsyncDeployer.apply

    def apply_while_building(self, plan, progress=None):
        done = apply(self, plan, progress)
        edit(site / NOTES, "Written by a build that ran during the deploy.\n")
        rebuild(site)
        return done

    monkeypatch.setattr(RsyncDeployer, "apply", apply_while_building)
    result = run("mirror", "--site", site, "--no-build")
    assert result.exit_code == 1 and "changed while deploying" in result.stderr


def test_a_build_killed_while_switching_is_finished_before_a_deploy_no_build(site):
    import os
    import signal
    import sys

    from builder.output.layout import JOURNAL
    from builder.output.switch import KILL_AFTER_MOVES

    edit(site / NOTES, "Finished by the deploy, not by a build.\n")
    killed = subprocess.run([sys.executable, "-m", "builder", "build", "--site", str(site), "--jobs", "1"],
                            env={**os.environ, KILL_AFTER_MOVES: "1"}, capture_output=True)
    assert killed.returncode == -signal.SIGKILL and (site / "output" / JOURNAL).exists()
    dry = run("mirror", "--site", site, "--dry-run")
    assert dry.exit_code == 1 and "stopped while it switched its files in" in dry.stderr
    result = run("mirror", "--site", site, "--no-build")
    assert result.exit_code == 0, result.output
    assert not (site / "output" / JOURNAL).exists()
    assert (site.parent / "mirror" / "press/notes.txt").read_text() == "Finished by the deploy, not by a build.\n"
