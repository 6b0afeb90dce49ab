"""The accessibility baseline: the debts an archive has accepted, and which findings are new.

An imported back catalogue has hundreds of old accessibility debts (photos without alt text,
bodies that start at h3, links to pages long gone). Fixing them first would keep it out for
months; allowing a rule for the whole site would let new articles break it too. The baseline is
the ratchet between the two, as RuboCop's todo file, PHPStan's baseline and ESLint's bulk
suppressions are: `accessibility-baseline.yaml` in the site folder lists every debt once
accepted, and a build passes while each finding is one of them; anything new fails as before.

A debt is keyed by the file, the rule and a needle (`DebtKey`), never by its line, so editing
another paragraph does not turn it into a new finding:

    img-alt, broken-link, broken-anchor, empty-link, skip-link-target
                    the address, without the base path and the content hash of a fingerprinted name
    heading-order, multiple-h1, alt-caption, ...
                    the text: letters and digits only, lower case, the first 80 characters

The same debt often shows in several ways (a Markdown image without alt text is a content
finding and, on the page, an <img> without alt): those are one debt, counted as often as the
origin that sees it most often (content, page checks, links). A file may hold the same debt more
than once (two photos with one address): the baseline keeps the count, and one more is new.

Only problems that leave a page possible have a key (BuildError.debt); invalid YAML, a missing
title or date or an unknown section are never accepted.

The axe-core audit (builder.audit) matches its findings here too, through AXE_RULES: an axe
`image-alt` on a page made from content/x.md is the img-alt debt of content/x.md with that address.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from html import unescape
from pathlib import Path, PurePath
from urllib.parse import unquote, urlsplit

from builder.checks.findings import Finding
from builder.config.yamltext import YamlSyntaxError, parse_yaml
from builder.errors import BuildError, BuildFailed

BASELINE_NAME = "accessibility-baseline.yaml"
URL_RULES = frozenset({"img-alt", "broken-link", "broken-anchor", "empty-link", "skip-link-target"})
NEEDLE_LENGTH = 80
_ORIGINS = ("content", "links", "page")  # which origin's errors are shown when several see one debt
# axe-core rule -> the build's rule for the same problem
AXE_RULES = {
    "image-alt": "img-alt", "role-img-alt": "img-alt", "input-image-alt": "img-alt",
    "heading-order": "heading-order", "page-has-heading-one": "multiple-h1",
    "html-has-lang": "html-lang", "html-lang-valid": "lang-invalid", "valid-lang": "lang-invalid",
    "duplicate-id": "duplicate-id", "link-name": "empty-link", "button-name": "empty-button",
    "skip-link": "skip-link-target",
}
# render.assets: name.<10 hex>.ext; render.images: name.<width>w.<10 hex>.ext, one debt for every width
_HASHED = re.compile(r"(?:\.\d+w)?\.[0-9a-f]{10}(?=\.[A-Za-z0-9]+$)")
_ATTRIBUTE = re.compile(r"""\b(src|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_TAGS = re.compile(r"<[^>]*>")


@dataclass(frozen=True, order=True)
class DebtKey:
    file: str  # the source file relative to the site folder, or the output page when none
    rule: str
    needle: str  # normalised (normal_needle)


def normal_needle(rule: str, needle: str, base_path: str = "/") -> str:
    """The needle as the baseline keeps it (see the module's docstring)."""
    if rule in URL_RULES:
        return _normal_address(needle, base_path)
    text = re.sub(r"[^\w\s]", "", unescape(needle), flags=re.UNICODE)
    return " ".join(text.casefold().split())[:NEEDLE_LENGTH]


def _normal_address(address: str, base_path: str) -> str:
    address = unescape(address.strip())
    parts = urlsplit(address)
    if parts.scheme or parts.netloc:
        return address[:200]
    path = unquote(parts.path)
    if path.startswith(base_path) and base_path != "/":
        path = "/" + path[len(base_path):]
    path = _HASHED.sub("", path)
    return (path + ("#" + unquote(parts.fragment) if parts.fragment else ""))[:200]


def key_of(error: BuildError, base_path: str = "/") -> DebtKey | None:
    """The debt an error is, or None when it can never be accepted."""
    if error.debt is None or error.path is None:
        return None
    return DebtKey(PurePath(error.path).as_posix(), error.debt.rule,
                   normal_needle(error.debt.rule, error.debt.needle, base_path))


@dataclass(frozen=True)
class Entry:
    count: int
    message: str  # what the finding said when it was accepted, for people reading the file


@dataclass(frozen=True)
class Baseline:
    path: Path
    entries: Mapping[DebtKey, Entry] = field(default_factory=dict)
    exists: bool = False

    def __len__(self) -> int:
        return sum(e.count for e in self.entries.values())


@dataclass(frozen=True)
class Judgement:
    """A build's findings against the baseline."""

    new: list[BuildError]  # fail the build: not accepted, or never acceptable
    known: list[BuildError]  # accepted debts, one error per debt and occurrence
    fixed: dict[DebtKey, int]  # accepted debts not found any more, with how many times
    found: dict[DebtKey, Entry]  # every debt found, for `broadsheet baseline`

    @property
    def known_count(self) -> int:
        return len(self.known)

    @property
    def known_files(self) -> int:
        return len({str(e.path) for e in self.known})

    @property
    def fixed_count(self) -> int:
        return sum(self.fixed.values())


def judge(errors: Iterable[BuildError], baseline: Baseline, base_path: str = "/",
          checked: Callable[[DebtKey], bool] = lambda key: True) -> Judgement:
    """Which errors are accepted debts and which are new; which accepted debts are gone.

    `checked` says whether this build looked for a debt at all (a draft's page is not built
    without --drafts, links are not checked with --no-link-check): one it did not look for is
    neither found nor fixed."""
    new: list[BuildError] = []
    by_key: dict[DebtKey, dict[str, list[BuildError]]] = defaultdict(lambda: defaultdict(list))
    for error in errors:
        key = key_of(error, base_path)
        if key is None:
            new.append(error)
        else:
            by_key[key][error.debt.origin if error.debt else ""].append(error)
    known: list[BuildError] = []
    found: dict[DebtKey, Entry] = {}
    for key, origins in by_key.items():
        shown = next((origins[o] for o in _ORIGINS if o in origins), next(iter(origins.values())))
        count = max(len(v) for v in origins.values())
        shown = sorted(set(shown), key=lambda e: (e.line or 0, e.message))
        shown += shown[-1:] * (count - len(shown))  # an origin that saw it more often than the one shown
        first = shown[0]
        found[key] = Entry(count, f"{first.field}: {first.message}" if first.field else first.message)
        accepted = baseline.entries[key].count if key in baseline.entries else 0
        known += shown[:accepted]
        new += shown[accepted:]
    fixed = {key: entry.count - (found[key].count if key in found else 0)
             for key, entry in baseline.entries.items()
             if (key not in found or found[key].count < entry.count) and checked(key)}
    return Judgement(new, known, fixed, found)


# The file --------------------------------------------------------------------------------------

HEADER = """\
# Accessibility debts this site has accepted, for now (see "Bringing an existing archive" in
# Broadsheet's README). A build passes while every accessibility and link finding is listed here
# and fails on any other. Entries are keyed by file, rule and needle (the image address, the
# heading text, the link), never by line. Review this file like code, and commit it.
#   broadsheet baseline --update   removes the debts that were fixed (it never adds one)
#   broadsheet baseline --add      adds the findings that are not listed yet
"""


def load_baseline(site_dir: Path) -> Baseline:
    """The site's baseline; an empty one when it has none. Raises BuildFailed for a broken file."""
    path = site_dir / BASELINE_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Baseline(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildFailed([BuildError(path, None, None, f"cannot be read: {exc}")]) from None
    return parse_baseline(text, path)


def parse_baseline(text: str, path: Path) -> Baseline:
    shown = Path(path.name)
    try:
        doc = parse_yaml(text)
    except YamlSyntaxError as exc:
        raise BuildFailed([BuildError(shown, exc.line, None, str(exc),
                                      "restore it from version control, or write it again: broadsheet baseline")]
                          ) from None
    data = doc.data if doc.data is not None else {}
    errors: list[BuildError] = []
    entries: dict[DebtKey, Entry] = {}
    debts = data.get("debts") if isinstance(data, dict) else None
    if not isinstance(data, dict) or set(data) - {"version", "debts"} or not isinstance(debts, (dict, type(None))):
        raise BuildFailed([BuildError(shown, 1, None, "expected 'version: 1' and 'debts:' (file -> list of debts)",
                                      "write it again: broadsheet baseline")])
    for file, items in (debts or {}).items():
        if not isinstance(items, list):
            errors.append(BuildError(shown, doc.line("debts", file), f"debts.{file}", "expected a list of debts"))
            continue
        for i, item in enumerate(items):
            line = doc.line("debts", file, i)
            if not isinstance(item, dict) or not isinstance(item.get("rule"), str) or "needle" not in item \
                    or set(item) - {"rule", "needle", "count", "message"}:
                errors.append(BuildError(shown, line, f"debts.{file}.{i}", "expected rule, needle, and optionally "
                                         "count and message"))
                continue
            count = item.get("count", 1)
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                errors.append(BuildError(shown, line, f"debts.{file}.{i}.count", "expected a whole number of at "
                                         "least 1"))
                continue
            key = DebtKey(str(file), item["rule"], str(item["needle"] or ""))
            if key in entries:
                errors.append(BuildError(shown, line, f"debts.{file}.{i}", "listed twice",
                                         "remove one of them (use count: for a debt that occurs more than once)"))
                continue
            entries[key] = Entry(count, str(item.get("message") or ""))
    if errors:
        raise BuildFailed(errors)
    return Baseline(path, entries, exists=True)


def baseline_text(entries: Mapping[DebtKey, Entry]) -> str:
    """The file's text: sorted by file, rule and needle, so that its diffs read well."""
    lines = [HEADER, "version: 1", "debts:" if entries else "debts: {}"]
    by_file: dict[str, list[tuple[DebtKey, Entry]]] = defaultdict(list)
    for key, entry in sorted(entries.items()):
        by_file[key.file].append((key, entry))
    for file, items in by_file.items():
        lines.append(f"  {_quoted(file)}:")
        for key, entry in items:
            lines.append(f"    - rule: {key.rule}")
            lines.append(f"      needle: {_quoted(key.needle)}")
            if entry.count != 1:
                lines.append(f"      count: {entry.count}")
            if entry.message:
                lines.append(f"      message: {_quoted(entry.message)}")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escaping is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def write_baseline(path: Path, entries: Mapping[DebtKey, Entry]) -> None:
    """Write the file whole, through a temporary file, so a crash never leaves half of it."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(baseline_text(entries), encoding="utf-8")
    temporary.replace(path)


def updated(baseline: Baseline, judgement: Judgement) -> dict[DebtKey, Entry]:
    """`--update`: the baseline without what was fixed; it never adds."""
    out = {}
    for key, entry in baseline.entries.items():
        count = entry.count - judgement.fixed.get(key, 0)
        if count > 0:
            out[key] = replace(entry, count=count)
    return out


def added(baseline: Baseline, judgement: Judgement) -> dict[DebtKey, Entry]:
    """`--add`: the baseline with every debt found now; it never removes."""
    out = dict(baseline.entries)
    for key, entry in judgement.found.items():
        if key not in out or out[key].count < entry.count:
            out[key] = Entry(entry.count, out[key].message if key in out else entry.message)
    return out


# The audit -------------------------------------------------------------------------------------

def known_findings(findings: list[Finding], baseline: Baseline, base_path: str = "/") -> list[Finding]:
    """The audit's findings with `known` set on those the baseline accepts."""
    if not baseline.entries:
        return findings
    by_file: dict[tuple[str, str], set[str]] = defaultdict(set)
    for key in baseline.entries:
        by_file[(key.file, key.rule)].add(key.needle)
    out = []
    for finding in findings:
        rule = finding.rule if finding.origin == "fast" else AXE_RULES.get(finding.rule, finding.rule)
        file = finding.source or finding.page
        needles = by_file.get((file, rule))
        match = None
        if needles:
            for candidate in _candidates(finding, rule, base_path):
                if candidate in needles:
                    match = f"{file}: {rule}: {candidate}"
                    break
        out.append(replace(finding, known=match) if match else finding)
    return out


def _candidates(finding: Finding, rule: str, base_path: str) -> list[str]:
    """What a finding's element may be keyed by: its needle, its addresses, its text."""
    found = [normal_needle(rule, finding.needle, base_path)] if finding.needle else []
    snippet = finding.snippet
    for match in _ATTRIBUTE.finditer(snippet):
        found.append(normal_needle(rule, next(g for g in match.groups()[1:] if g is not None), base_path))
    if rule not in URL_RULES:
        found.append(normal_needle(rule, _TAGS.sub(" ", snippet)))
    if not finding.needle and rule in ("html-lang", "empty-button"):
        found.append("")
    return found


def summary_line(judgement: Judgement) -> str:
    """'312 known accessibility debts in 281 files; 0 new'."""
    count, files = judgement.known_count, judgement.known_files
    return (f"{count} known accessibility debt{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''}"
            f"; {len(judgement.new)} new")


def fixed_line(judgement: Judgement) -> str:
    count = judgement.fixed_count
    return (f"{count} debt{'s' if count != 1 else ''} fixed: run `broadsheet baseline --update` to drop "
            f"{'them' if count != 1 else 'it'} from {BASELINE_NAME}")
