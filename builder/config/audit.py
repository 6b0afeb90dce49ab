"""`audit:` in site.yaml: which axe-core rules the audit runs, which it allows and what fails it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from builder.config.reader import KEY_PATTERN, Reader


@dataclass(frozen=True)
class AuditSettings:
    """`audit:` in site.yaml: what `broadsheet audit` checks and what fails it."""

    tags: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
    allow: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # rule -> reason
    fail_on: str = "minor"  # the least impact that fails the audit


AUDIT_IMPACTS = ("minor", "moderate", "serious", "critical")
# axe-core's rule tags: WCAG levels and criteria (wcag2aa, wcag143), best-practice, cat.*, section508, ...
AUDIT_TAG = re.compile(r"^(wcag\d+a*|best-practice|experimental|section508(\.[\w.]+)?|ACT|EN-301-549|EN-[\d.]+|TTv5"
                       r"|TT[\w.]+|cat\.[a-z-]+|RGAAv4|RGAA-[\d.]+)$")


def read_audit(r: Reader, value: Any) -> AuditSettings:
    section = r.mapping(value, ("audit",), {"tags", "allow", "fail_on"})
    tags = []
    for i, tag in enumerate(r.listing(section.get("tags"), ("audit", "tags"))):
        tag = r.string(tag, ("audit", "tags", i))
        if not AUDIT_TAG.match(tag):
            r.error(("audit", "tags", i), f"'{tag}' is not an axe-core rule tag",
                    "e.g. wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa, best-practice")
        tags.append(tag)
    if isinstance(section.get("tags"), list) and not tags:
        r.error(("audit", "tags"), "at least one tag is needed", "or leave tags out for the default WCAG 2.2 AA set")
    allow: dict[str, str] = {}
    for i, item in enumerate(r.listing(section.get("allow"), ("audit", "allow"))):
        keys = ("audit", "allow", i)
        item = r.mapping(item, keys, {"rule", "reason"}, {"rule", "reason"})
        rule = r.string(item.get("rule"), (*keys, "rule"))
        reason = r.string(item.get("reason"), (*keys, "reason"))
        if "reason" in item and not reason:
            r.error((*keys, "reason"), "must not be empty", "say why the rule is allowed, for the next reader")
        if rule and not KEY_PATTERN.match(rule):
            r.error((*keys, "rule"), f"'{rule}' is not a rule id", "e.g. color-contrast, region, reflow-320")
        elif rule in allow:
            r.error((*keys, "rule"), f"rule '{rule}' is allowed twice")
        elif rule and reason:
            allow[rule] = reason
    fail_on = r.string(section.get("fail_on"), ("audit", "fail_on"), "minor")
    if fail_on not in AUDIT_IMPACTS:
        r.error(("audit", "fail_on"), f"'{fail_on}' is not one of: {', '.join(AUDIT_IMPACTS)}")
        fail_on = "minor"
    defaults = AuditSettings()
    return AuditSettings(tags=tuple(tags) or defaults.tags, allow=MappingProxyType(allow), fail_on=fail_on)
