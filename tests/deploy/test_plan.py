"""The plan: pure comparison of signatures, in an order that never breaks a page."""

from __future__ import annotations

from builder.deploy.plan import Plan, make_plan, publish_order, summary


def test_uploads_are_new_or_different_files():
    local = {"a.html": "1", "b.css": "2", "c.js": "3", "d.txt": "4"}
    remote = {"a.html": "1", "b.css": "changed", "d.txt": None, "old.html": "9"}
    plan = make_plan(local, remote, delete=False)
    assert set(plan.uploads) == {"b.css", "c.js", "d.txt"}
    assert plan.unchanged == 1 and plan.deletions == () and plan.kept == ("old.html",)
    assert plan.changes


def test_deletions_only_when_asked():
    plan = make_plan({"a": "1"}, {"a": "1", "z": "2", "y": None}, delete=True)
    assert plan.deletions == ("y", "z") and plan.kept == () and plan.uploads == ()


def test_signatures_may_be_tuples():
    local = {"a.html": ("sha", "text/html", "max-age=300", "")}
    assert make_plan(local, {"a.html": ("sha", "text/html", "max-age=300", "")}, False).uploads == ()
    assert make_plan(local, {"a.html": ("sha", "text/html", "max-age=600", "")}, False).uploads == ("a.html",)


def test_nothing_to_do():
    plan = make_plan({"a": "1"}, {"a": "1"}, delete=True)
    assert not plan.changes and plan.unchanged == 1


def test_assets_then_pages_then_lists():
    paths = ["sitemap.xml", "index.html", "assets/style.0123abcd.css", "feed.json.gz", "a/index.html.br",
             "images/x.jpg", "_headers", "robots.txt", "report.pdf"]
    ordered = sorted(paths, key=publish_order)
    assert ordered == ["assets/style.0123abcd.css", "images/x.jpg", "report.pdf",
                       "a/index.html.br", "index.html",
                       "_headers", "feed.json.gz", "robots.txt", "sitemap.xml"]


def test_summary_lines():
    plan = Plan(("a",), ("b", "c"), 5, kept=("d",), skipped=("e.gz",))
    assert summary(plan) == ("1 to upload, 2 to delete, 5 unchanged, 1 only at the target, kept (--delete removes "
                             "them), 1 not published to this target")
    assert summary(Plan((), (), 3), done=True) == "0 uploaded, 0 deleted, 3 unchanged"
