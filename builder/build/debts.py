"""Every problem of a build, judged at once against the site's accessibility baseline.

A full build collects what each stage found instead of stopping at the first stage with a
problem: the files left out (invalid front matter, ...), the content debts of every article,
the page checks of every page and the broken links. `judge_build` hands them to
builder.checks.baseline; the build then fails on whatever is new, exactly as without a baseline,
and otherwise reports the accepted debts in one line.

Pages that were not rendered again keep what the page checks found when they were: the build
cache holds each page's findings (incremental.cache), so the count of known debts, and which
accepted debts were fixed, always covers the whole site. The last judgement is kept too, for the
ways through a build that read no article (nothing changed, or only bodies without debts).
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from builder.checks.baseline import Baseline, DebtKey, Judgement, judge
from builder.content.archive import Archive
from builder.errors import BuildError
from builder.incremental.cache import BuildCache

LINK_RULES = frozenset({"broken-link", "broken-anchor"})


@dataclass(frozen=True)
class BuildDebts:
    judgement: Judgement
    # output page -> the accepted debts it shows, for the preview's notes to editors
    pages: Mapping[str, tuple[BuildError, ...]] = field(default_factory=dict)

    @property
    def known(self) -> int:
        return self.judgement.known_count


NO_DEBTS = BuildDebts(Judgement([], [], {}, {}))


def judge_build(problems: Iterable[BuildError], baseline: Baseline, archive: Archive, *, parsed: Iterable[str],
                links_checked: bool) -> BuildDebts:
    """`parsed`: every article file read (built or not). A debt of a file that got no page in this
    build (a draft without --drafts, a file left out for its errors) was not looked for in full,
    so it is never reported as fixed; nor are link debts when links were not checked."""
    pages = {str(a.source): a.path + "index.html" for a in archive.pages}
    unbuilt = set(parsed) - set(pages)

    def checked(key: DebtKey) -> bool:
        return key.file not in unbuilt and (links_checked or key.rule not in LINK_RULES)

    unique = list(dict.fromkeys(problems))  # a page kept from the last build and seen again counts once
    judgement = judge(unique, baseline, archive.config.base_path, checked)
    shown: dict[str, list[BuildError]] = {}
    for error in judgement.known:
        where = str(error.path)
        shown.setdefault(pages.get(where, where), []).append(error)
    return BuildDebts(judgement, {page: tuple(errors) for page, errors in shown.items()})


def store_debts(cache: BuildCache, debts: BuildDebts) -> None:
    cache.store_blob("debts", pickle.dumps(debts, protocol=5))


def stored_debts(cache: BuildCache) -> BuildDebts:
    """What the last successful build judged; no debts when it recorded none."""
    blob = cache.blob("debts")
    if blob is None:
        return NO_DEBTS
    try:
        debts = pickle.loads(blob)
    except (pickle.UnpicklingError, EOFError, AttributeError, TypeError, ImportError):
        return NO_DEBTS
    return debts if isinstance(debts, BuildDebts) else NO_DEBTS
