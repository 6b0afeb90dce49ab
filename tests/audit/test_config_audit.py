"""site.yaml `audit:`: rule tags, allowed rules with their reasons, the impact that fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.config.audit import AuditSettings
from builder.config.site import parse_config
from builder.errors import BuildFailed

SITE = """\
title: T
base_url: https://example.org/
sections:
  - {key: news, title: News}
"""


def errors(text: str) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(BuildFailed) as failure:
        parse_config(SITE + text, Path("/site"))
    return [(e.line, e.field, e.message) for e in failure.value.errors]


def test_defaults_without_an_audit_section():
    settings = parse_config(SITE, Path("/site")).audit
    assert settings == AuditSettings()
    assert settings.tags == ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
    assert dict(settings.allow) == {} and settings.fail_on == "minor"


def test_a_full_audit_section():
    settings = parse_config(SITE + """\
audit:
  tags: [wcag2a, wcag2aa, wcag143, cat.color]
  allow:
    - rule: color-contrast
      reason: "Archive scans keep their original colours; tracked in #31"
    - {rule: reflow-320, reason: "Wide data tables, see #40"}
  fail_on: serious
""", Path("/site")).audit
    assert settings.tags == ("wcag2a", "wcag2aa", "wcag143", "cat.color")
    assert dict(settings.allow) == {"color-contrast": "Archive scans keep their original colours; tracked in #31",
                                    "reflow-320": "Wide data tables, see #40"}
    assert settings.fail_on == "serious"


def test_an_allowed_rule_needs_a_reason():
    assert errors("audit:\n  allow:\n    - rule: region\n") == [(7, "audit.allow.0", "missing required key 'reason'")]
    assert errors('audit:\n  allow:\n    - {rule: region, reason: ""}\n') == [
        (7, "audit.allow.0.reason", "must not be empty")]


def test_mistakes_name_their_line():
    found = errors("""\
audit:
  tags: [wcag2aa, wcag-aa]
  allow:
    - {rule: Color Contrast, reason: x}
    - {rule: region, reason: x}
    - {rule: region, reason: y}
  fail_on: severe
  failon: minor
""")
    assert (6, "audit.tags.1", "'wcag-aa' is not an axe-core rule tag") in found
    assert (8, "audit.allow.0.rule", "'Color Contrast' is not a rule id") in found
    assert (10, "audit.allow.2.rule", "rule 'region' is allowed twice") in found
    assert (11, "audit.fail_on", "'severe' is not one of: minor, moderate, serious, critical") in found
    assert (12, "audit.failon", "unknown key 'failon'") in found
    assert len(found) == 5


def test_wrong_types():
    assert errors("audit: [wcag2a]\n") == [(5, "audit", "expected a mapping of keys, got a list")]
    assert errors("audit:\n  tags: wcag2a\n") == [(6, "audit.tags", "expected a list, got str 'wcag2a'")]
    assert errors("audit:\n  tags: []\n") == [(6, "audit.tags", "at least one tag is needed")]
