"""axe-core over the example site: every page in light, every page type of every edition in dark."""

from __future__ import annotations

import pytest

from builder.audit.axe import describe, run_axe

pytestmark = pytest.mark.browser

TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
LISTING_KINDS = ("home", "section", "tag", "author", "year", "month", "day")


def page_types(site) -> dict[str, str]:
    """One page of every type in every edition: '<code> <type>' -> site path."""
    archive = site.result.archive
    found = {}
    for code, prefix in site.editions():
        for kind in LISTING_KINDS:
            listing = next(x for x in archive.listings if x.edition == code and x.kind == kind)
            found[f"{code} {kind}"] = listing.path
            if listing.page_count(archive.config.per_page) > 1:
                found[f"{code} {kind} page 2"] = listing.page_path(2)
        for translated in (True, False):
            members = [a for a in archive.articles if a.edition == code
                       and (a.path in archive.translations) == translated]
            if members:
                found[f"{code} article{' with translations' if translated else ''}"] = members[0].path
        found[f"{code} archive"] = prefix + "archive/"
        found[f"{code} 404"] = prefix + "404.html"
    return found


def test_every_page_of_the_example_site_has_no_axe_violations(browser, example_site):
    pages = example_site.pages()
    assert len(pages) > 150, "the example site should have every page type in four editions"
    failures = []
    for path in pages:
        browser.get(example_site.url(path))
        report = run_axe(browser, TAGS)
        if report.violations:
            failures.append(describe(report))
    assert not failures, "\n".join(failures)


def test_every_page_type_of_every_edition_has_no_axe_violations_in_dark_mode(browser, example_site):
    types = page_types(example_site)
    assert {t.split()[0] for t in types} == {"hy", "en", "ru", "ar"} and "ar article with translations" in types
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia",
                            {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    failures = []
    try:
        for name, path in types.items():
            browser.get(example_site.url(path))
            report = run_axe(browser, TAGS)
            if report.violations:
                failures.append(f"{name}: {describe(report)}")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    assert not failures, "\n".join(failures)
