"""The Trilingual Courier: a small site with three language editions, for tests of editions.

Armenian is the default edition (at the site's root), English lives under en/ and Arabic (right to
left) under ar/. The Arabic edition translates nothing of site.yaml's sections and says
`fallback: true`, so it shows the Armenian section titles, marked as Armenian.
"""

from __future__ import annotations

SITE_YAML = """\
title: Եռալեզու սուրհանդակ
description: Փոքր փորձնական արխիվ։
base_url: https://example.org/courier/
timezone: Asia/Yerevan
pagination:
  per_page: 2
sections:
  - key: politics
    title: Քաղաքականություն
    description: Խորհրդարան և ավագանիներ։
  - key: culture
    title: Մշակույթ
authors:
  - key: anna
    name: Աննա Հակոբյան
    bio: Քաղաքական թղթակից։
search:
  enabled: false  # see tests/support/gazette.py; tests/build/test_search.py turns it on
languages:
  - code: hy
  - code: en
    prefix: en
    title: The Trilingual Courier
    description: A small test archive.
    sections:
      politics: {title: Politics, description: Parliament and councils.}
      culture: {title: Culture}
    authors:
      anna: {name: Anna Hakobyan, bio: Political correspondent.}
  - code: ar
    prefix: ar
    title: الساعي الثلاثي اللغات
    description: أرشيف تجريبي صغير.
    fallback: true
hosting:
  fingerprint: false
"""


def article(title: str, *, lang: str = "", key: str = "", section: str = "politics", tags: tuple[str, ...] = ("budget",),
            date: str = "2024-03-05T09:30:00+04:00", edition: str = "", body: str = "Text of the story.") -> str:
    lines = ["---", f'title: "{title}"', f"date: {date}", f"section: {section}", "authors: [anna]",
             f"tags: [{', '.join(tags)}]"]
    if lang:
        lines.append(f"lang: {lang}")
    if edition:
        lines.append(f"edition: {edition}")
    if key:
        lines.append(f"translation_key: {key}")
    return "\n".join([*lines, "---", "", body, ""])


# One story in three editions, two in two, one in one; an English story in the Armenian edition.
ARTICLES = {
    "content/politics/budget-hy.md": article("Ավագանին հաստատեց բյուջեն", key="budget"),
    "content/politics/budget-en.md": article("Council approves the budget", lang="en", key="budget",
                                             date="2024-03-05T10:00:00+04:00"),
    "content/politics/budget-ar.md": article("المجلس يقرّ الميزانية", lang="ar", key="budget",
                                             date="2024-03-05T11:00:00+04:00"),
    "content/culture/festival-hy.md": article("Փառատոնը վերադառնում է", key="festival", section="culture",
                                              tags=("music",), date="2023-06-12"),
    "content/culture/festival-en.md": article("The festival returns", lang="en", key="festival", section="culture",
                                              tags=("music",), date="2023-06-12"),
    "content/politics/council-hy.md": article("Ավագանու նիստը հետաձգվեց", key="council", date="2023-11-01"),
    "content/politics/council-en.md": article("Council meeting postponed", lang="en", key="council",
                                              date="2023-11-01"),
    "content/politics/only-en.md": article("A story told only in English", lang="en", date="2024-02-01"),
    "content/politics/english-in-hy.md": article("An English report in the Armenian edition", lang="en",
                                                 edition="hy", date="2024-01-15"),
}


def files() -> dict[str, str]:
    return {"site.yaml": SITE_YAML, **ARTICLES}
