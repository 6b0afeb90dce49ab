"""The accessibility baseline: keys that survive edits, the ratchet's arithmetic, the file, the audit's matching."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from builder.checks.baseline import (
    Baseline,
    DebtKey,
    Entry,
    added,
    baseline_text,
    judge,
    key_of,
    known_findings,
    load_baseline,
    normal_needle,
    parse_baseline,
    updated,
)
from builder.checks.findings import Finding
from builder.errors import BuildError, BuildFailed, Debt

FILE = "content/a.md"


def debt(rule: str, needle: str, line: int = 1, origin: str = "content", file: str = FILE) -> BuildError:
    return BuildError(PurePosixPath(file), line, "body", f"{rule} at {needle}", "", Debt(rule, needle, origin))


def baseline(*keys: tuple[str, str, str] | tuple[str, str, str, int]) -> Baseline:
    entries = {DebtKey(k[0], k[1], k[2]): Entry(k[3] if len(k) > 3 else 1, "") for k in keys}  # type: ignore[misc]
    return Baseline(Path("accessibility-baseline.yaml"), entries, exists=True)


def test_needles_ignore_the_base_path_the_content_hash_and_the_formatting():
    assert normal_needle("img-alt", "/news/images/a.0123456789.jpg", "/news/") == "/images/a.jpg"
    assert normal_needle("img-alt", "/images/a.jpg", "/news/") == "/images/a.jpg"
    assert normal_needle("broken-link", "/news/a%20b/#x", "/news/") == "/a b/#x"
    assert normal_needle("heading-order", "**Bold**  Title!") == normal_needle("heading-order", "Bold title")
    assert len(normal_needle("multiple-h1", "word " * 100)) == 80


def test_the_key_has_no_line_so_an_edit_elsewhere_keeps_it():
    assert key_of(debt("img-alt", "/images/a.jpg", line=3)) == key_of(debt("img-alt", "/images/a.jpg", line=40))
    assert key_of(BuildError(PurePosixPath(FILE), 2, "date", "not a date")) is None  # never acceptable


def test_judge_splits_known_from_new_and_counts_fixed():
    errors = [debt("img-alt", "/images/a.jpg"), debt("heading-order", "Background"), debt("img-alt", "/images/new.jpg"),
              BuildError(PurePosixPath(FILE), 2, "date", "not a date")]
    known = baseline((FILE, "img-alt", "/images/a.jpg"), (FILE, "heading-order", "background"),
                     (FILE, "broken-link", "/gone/"))
    judgement = judge(errors, known)
    assert [e.debt.needle for e in judgement.known] == ["/images/a.jpg", "Background"]
    assert [e.message for e in judgement.new] == ["not a date", "img-alt at /images/new.jpg"]
    assert judgement.fixed == {DebtKey(FILE, "broken-link", "/gone/"): 1}


def test_one_debt_seen_by_several_origins_counts_once_and_shows_the_content_error():
    errors = [debt("img-alt", "/images/a.jpg", origin="page"), debt("img-alt", "/news/images/a.jpg", origin="content")]
    judgement = judge(errors, baseline(), "/news/")
    assert [e.debt.origin for e in judgement.new] == ["content"]
    assert judgement.found == {DebtKey(FILE, "img-alt", "/images/a.jpg"): Entry(1, "body: img-alt at /news/images/a.jpg")}


def test_a_debt_that_occurs_once_more_than_accepted_is_new():
    errors = [debt("img-alt", "/images/a.jpg", line=n) for n in (1, 2, 3)]
    judgement = judge(errors, baseline((FILE, "img-alt", "/images/a.jpg", 2)))
    assert (len(judgement.known), len(judgement.new)) == (2, 1)
    assert judge(errors[:1], baseline((FILE, "img-alt", "/images/a.jpg", 2))).fixed == {
        DebtKey(FILE, "img-alt", "/images/a.jpg"): 1}


def test_a_debt_that_was_not_looked_for_is_not_fixed():
    known = baseline((FILE, "broken-link", "/gone/"))
    assert judge([], known, checked=lambda key: False).fixed == {}


def test_update_only_removes_and_add_only_adds():
    known = baseline((FILE, "img-alt", "/images/a.jpg", 2), (FILE, "broken-link", "/gone/"))
    judgement = judge([debt("img-alt", "/images/a.jpg"), debt("img-alt", "/images/new.jpg")], known)
    assert updated(known, judgement) == {DebtKey(FILE, "img-alt", "/images/a.jpg"): Entry(1, "")}
    grown = added(known, judgement)
    assert set(grown) == {*known.entries, DebtKey(FILE, "img-alt", "/images/new.jpg")}
    assert grown[DebtKey(FILE, "img-alt", "/images/a.jpg")].count == 2  # --add never lowers a count


def test_the_file_round_trips_sorted_and_quoted(tmp_path):
    entries = {DebtKey("content/b: c.md", "heading-order", 'a "quoted" heading'): Entry(2, "h3 follows h1"),
               DebtKey(FILE, "img-alt", "/images/a.jpg"): Entry(1, "")}
    text = baseline_text(entries)
    assert text.index(FILE) < text.index("content/b: c.md")
    (tmp_path / "accessibility-baseline.yaml").write_text(text, encoding="utf-8")
    loaded = load_baseline(tmp_path)
    assert loaded.exists and dict(loaded.entries) == entries and len(loaded) == 3
    assert load_baseline(tmp_path / "nowhere").entries == {}


@pytest.mark.parametrize(("text", "message"), [
    ("debts: [\n", "invalid YAML"),
    ("version: 1\nrules: {}\n", "expected 'version: 1' and 'debts:'"),
    ("version: 1\ndebts:\n  a.md:\n    - {rule: img-alt}\n", "expected rule, needle"),
    ("version: 1\ndebts:\n  a.md:\n    - {rule: img-alt, needle: x, count: 0}\n", "expected a whole number"),
])
def test_a_broken_file_is_an_error_with_its_line(text, message):
    with pytest.raises(BuildFailed) as failure:
        parse_baseline(text, Path("/site/accessibility-baseline.yaml"))
    assert message in str(failure.value.errors[0])
    assert str(failure.value.errors[0]).startswith("accessibility-baseline.yaml:")


def test_the_audit_matches_axe_findings_by_source_rule_and_element():
    known = baseline((FILE, "img-alt", "/images/a.jpg"), (FILE, "heading-order", "background"))
    axe = [
        Finding("a/index.html", "image-alt", "Images must have alternate text", source=FILE, origin="axe",
                snippet='<img src="/news/images/a.0123456789.jpg" width="4">'),
        Finding("a/index.html", "heading-order", "Heading levels", source=FILE, origin="axe",
                snippet='<h3 id="background">Background</h3>'),
        Finding("a/index.html", "image-alt", "Images must have alternate text", source=FILE, origin="axe",
                snippet='<img src="/news/images/other.jpg">'),
        Finding("b/index.html", "image-alt", "Images must have alternate text", source="content/b.md", origin="axe",
                snippet='<img src="/news/images/a.jpg">'),
    ]
    marked = known_findings(axe, known, "/news/")
    assert [bool(f.known) for f in marked] == [True, True, False, False]
    assert marked[0].known == f"{FILE}: img-alt: /images/a.jpg"
