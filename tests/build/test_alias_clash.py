"""An alias at the address of a page the site makes is an error naming the alias and its line.

Before, it was reported as two pages written to one address, made from every article the other
page lists (20 articles for /feed.xml), without naming the alias.
"""

from __future__ import annotations

import pytest

from builder.errors import BuildFailed
from tests.support.builds import article


@pytest.mark.parametrize("alias", ["/feed.xml", "/politics/", "/sitemap.xml", "/assets/style.css"])
def test_an_alias_over_a_generated_page_names_the_alias(build_site, alias):
    files = {f"content/politics/s{n}.md": article(f"S{n}", f"2024-03-0{n + 1}T09:30:00+04:00") for n in range(4)}
    files["content/politics/moved.md"] = article("Moved", "2024-03-08T09:30:00+04:00", aliases=["/old/", alias])
    with pytest.raises(BuildFailed) as failed:
        build_site(files)
    assert [str(e) for e in failed.value.errors] == [
        f"content/politics/moved.md:5: aliases: '{alias}' is the address of a page or file the site makes "
        "(give the old address it really had, or remove the alias)"]
