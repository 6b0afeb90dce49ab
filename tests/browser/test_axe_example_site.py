"""axe-core over every page of the example site: not one violation, in light and dark."""

from __future__ import annotations

import pytest

from builder.audit.axe import describe, run_axe

pytestmark = pytest.mark.browser

TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")


def test_every_page_of_the_example_site_has_no_axe_violations(browser, example_site):
    pages = example_site.pages()
    assert len(pages) > 50, "the example site should have article, listing, archive and 404 pages"
    failures = []
    for path in pages:
        browser.get(example_site.url(path))
        report = run_axe(browser, TAGS)
        if report.violations:
            failures.append(describe(report))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("lang", ["hy", "ar"])
def test_article_and_home_in_dark_mode_have_no_axe_violations(browser, example_site, lang):
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia",
                            {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    try:
        for path in (example_site.article(lang=lang, with_image=True), ""):
            browser.get(example_site.url(path))
            report = run_axe(browser, TAGS)
            assert not report.violations, describe(report)
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
