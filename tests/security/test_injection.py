"""Attack cases in front matter and paths: script in every field, and slugs, aliases and image
paths that try to leave their folder. Each is escaped, or an error with file and line; nothing is
ever written outside the output folder."""

from __future__ import annotations

import json

import lxml.html
import pytest

from builder.errors import BuildFailed
from tests.support.builds import article, build_into
from tests.support.files import png, tree_state

PAYLOADS = ['<script>alert("t")</script>', '"><img src=x onerror=alert(1)>', "</title><script>alert(2)</script>",
            "javascript:alert(3)", "'-alert(4)-'", "</script><!--", "{{ 7 * 7 }}{% raw %}"]
PAYLOAD = " ".join(PAYLOADS)
STATIC = {"static/x.png": png(2, 1)}


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    story = article(
        PAYLOAD, "2024-03-05T09:30:00+04:00", summary=PAYLOAD, tags=[PAYLOAD, "plain"], authors=[PAYLOAD],
        image={"src": "/x.png", "alt": "Alt " + PAYLOAD, "caption": "Caption " + PAYLOAD,
               "credit": "Credit " + PAYLOAD},
        corrections=[{"date": "2024-03-06T10:00:00+04:00", "text": PAYLOAD}], body="A safe body.\n")
    return build_into(tmp_path_factory.mktemp("inject"), {**STATIC, "content/politics/attack.md": story})


def _pages(built):
    return [p for p in built.out.rglob("*.html") if not p.relative_to(built.out).as_posix().startswith(".")]


def test_no_page_gets_a_script_an_event_handler_or_a_javascript_link_from_front_matter(attacked):
    pages = _pages(attacked)
    assert len(pages) > 5
    for page in pages:
        doc = lxml.html.document_fromstring(page.read_bytes())
        for script in doc.xpath("//script"):
            assert 'alert("t")' not in (script.text or "") or script.get("type") == "application/ld+json", page
            if script.get("type") == "application/ld+json":
                json.loads(script.text)  # the data block stays one valid JSON value
        for element in doc.iter():
            if not isinstance(element.tag, str):
                continue
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), (page, element.tag, name)
                if name in ("href", "src", "action"):
                    assert not value.strip().lower().startswith("javascript:"), (page, element.tag, value)
        assert "{{" not in page.read_text(encoding="utf-8") or "{{ 7 * 7 }}" in page.read_text(encoding="utf-8")
        assert ">49<" not in page.read_text(encoding="utf-8")  # no template was run on a field


def test_the_payload_is_shown_as_text(attacked):
    doc = attacked.html("politics/2024/03/attack/")
    assert doc.xpath("string(//h1)").strip() == PAYLOAD


def test_feeds_carry_the_payload_as_escaped_text(attacked):
    for name in ("feed.xml", "atom.xml"):
        parsed = attacked.feed(name)
        assert parsed.entries[0].title == PAYLOAD
    item = attacked.json("feed.json")["items"][0]
    assert item["title"] == PAYLOAD and item["summary"] == PAYLOAD


@pytest.mark.parametrize(("fields", "field"), [
    ({"slug": "../../../etc"}, "slug"), ({"slug": "a/b"}, "slug"), ({"slug": ".."}, "slug"),
    ({"slug": "%2e%2e"}, "slug"), ({"aliases": ["/../../outside/"]}, "aliases.0"),
    ({"aliases": ["relative/"]}, "aliases.0"), ({"aliases": ["/a/../../b/"]}, "aliases.0"),
    ({"image": {"src": "/../../../etc/passwd", "alt": "A"}}, "image.src"),
    ({"image": {"src": "//evil.example/x.png", "alt": "A"}}, "image.src"),
    ({"aliases": ["/.broadsheet-manifest.sqlite"]}, "output"),
])
def test_path_tricks_are_errors_and_nothing_is_written_outside_the_output(tmp_path, fields, field):
    root = tmp_path / "root"
    with pytest.raises(BuildFailed) as failed:
        build_into(root, {**STATIC, "content/politics/trick.md": article("Trick", "2024-03-05T09:30:00+04:00",
                                                                         **fields)})
    assert any(e.field == field for e in failed.value.errors), [str(e) for e in failed.value.errors]
    assert all(e.line for e in failed.value.errors if e.field != "output")
    outside = {p for p in tree_state(root) if not p.startswith(("site/", "out/"))}
    assert outside == set()
    assert not any(p.startswith("out/") and not p.startswith("out/.broadsheet") for p in tree_state(root))


def test_an_image_path_with_parent_folders_in_the_body_is_an_error(tmp_path):
    body = "![A chart](/images/../../../../etc/passwd)\n"
    with pytest.raises(BuildFailed) as failed:
        build_into(tmp_path, {**STATIC, "content/politics/trick.md": article("T", "2024-03-05T09:30:00+04:00",
                                                                             body=body)})
    (error,) = failed.value.errors
    assert (error.field, error.line) == ("body", 7) and "not a site path" in error.message
