"""Which of Broadsheet's own files make a cached build stale."""

from pathlib import Path

import builder
from builder.incremental.keys import output_code

PACKAGE = Path(builder.__file__).parent


def names(files):
    return {f.relative_to(PACKAGE).as_posix() for f in files}


def test_code_that_shapes_the_output_counts():
    counted = names(output_code(PACKAGE))
    for name in ("render/renderer.py", "build/full.py", "content/markdown.py", "content/article.py", "checks/page.py", "render/feeds.py"):
        assert name in counted


def test_audit_preview_and_deploy_code_does_not():
    counted = names(output_code(PACKAGE))
    assert not any(n.startswith(("audit/", "serve/", "deploy/")) for n in counted)
    assert any(n.startswith("audit/") for n in names(PACKAGE.rglob("*.py")))  # the rule excludes real files


def test_a_new_module_elsewhere_counts(tmp_path):
    (tmp_path / "audit").mkdir()
    (tmp_path / "audit" / "run.py").write_text("x = 1\n")
    (tmp_path / "outputs").mkdir()
    (tmp_path / "outputs" / "maps.py").write_text("x = 1\n")
    (tmp_path / "auditing.py").write_text("x = 1\n")
    assert [p.relative_to(tmp_path).as_posix() for p in output_code(tmp_path)] == ["auditing.py", "outputs/maps.py"]
