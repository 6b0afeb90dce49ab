"""site.yaml -> SiteConfig: validated once, here, with errors that point into site.yaml.

The configuration is closed: an unknown key is an error (a typo must not silently do nothing).
Free-form data for templates goes under `extra:`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from builder.errors import BuildError, BuildFailed
from builder.config.languages import is_valid_tag
from builder.config.yamltext import YamlDocument, YamlSyntaxError, parse_yaml

CONFIG_NAME = "site.yaml"
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PERMALINK_FIELDS = {"section", "yyyy", "mm", "dd", "slug", "lang"}
DEFAULT_PERMALINK = "/{section}/{yyyy}/{mm}/{slug}/"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class Author:
    key: str
    name: str
    bio: str = ""


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


@dataclass(frozen=True)
class DeployTarget:
    """One named target under `deploy:` in site.yaml; which fields count depends on `type`."""

    name: str
    type: str  # s3, git or rsync
    bucket: str = ""  # s3
    prefix: str = ""  # s3: "" or a key prefix ending in "/"
    region: str = ""  # s3
    endpoint: str = ""  # s3: an S3-compatible service; empty for AWS itself
    profile: str = ""  # s3: a profile in ~/.aws/config (a name, never a secret)
    precompressed: bool = False  # s3: also upload .gz/.br siblings with their Content-Encoding
    remote: str = ""  # git: any URL or path git can push to
    branch: str = "gh-pages"  # git
    destination: str = ""  # rsync: a local folder or [user@]host:path


@dataclass(frozen=True)
class SiteConfig:
    site_dir: Path
    title: str
    base_url: str  # absolute, always ends with "/"
    language: str
    timezone: ZoneInfo
    sections: tuple[Section, ...]
    authors: tuple[Author, ...] = ()
    description: str = ""
    theme: str = "default"
    per_page: int = 10
    article_permalink: str = DEFAULT_PERMALINK
    strings: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: MappingProxyType({}))
    feed_limit: int = 20
    feed_full_content: bool = True
    sitemap_max_urls: int = 50_000
    related_articles: int = 4
    redirects_file: bool = False  # write _redirects (Netlify, Cloudflare Pages) for aliases
    headers_file: bool = False  # write _headers with cache rules for hosts that read it
    fingerprint: bool = True  # content-hashed names for CSS, JS and images, cacheable for ever
    precompress: bool = False  # .gz and .br siblings of text files
    precompress_min_bytes: int = 1024
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    audit: AuditSettings = field(default_factory=AuditSettings)
    deploy: Mapping[str, DeployTarget] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: '/' or e.g. '/archive/'."""
        return urlsplit(self.base_url).path

    @property
    def content_dir(self) -> Path:
        return self.site_dir / "content"

    @property
    def static_dir(self) -> Path:
        return self.site_dir / "static"

    @property
    def templates_dir(self) -> Path:
        return self.site_dir / "templates"

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def author(self, key: str) -> Author | None:
        return next((a for a in self.authors if a.key == key), None)


class _Reader:
    """Reads typed values out of a YamlDocument and collects errors with their lines."""

    def __init__(self, doc: YamlDocument, path: Path):
        self.doc, self.path = doc, path
        self.errors: list[BuildError] = []

    def error(self, keys: tuple[str | int, ...], message: str, hint: str = "") -> None:
        name = ".".join(str(k) for k in keys) or None
        self.errors.append(BuildError(self.path, self.doc.line(*keys), name, message, hint))

    def mapping(self, value: Any, keys: tuple, allowed: set[str], required: set[str] = frozenset()) -> dict:
        if value is None and keys:
            value = {}
        if not isinstance(value, dict):
            self.error(keys, f"expected a mapping of keys, got {_kind(value)}")
            return {}
        for key in value:
            if key not in allowed:
                close = sorted(allowed, key=lambda a: _distance(a, key))[0]
                self.error((*keys, key), f"unknown key '{key}'", f"did you mean '{close}'? allowed: {', '.join(sorted(allowed))}")
        for key in sorted(required - value.keys()):
            self.error(keys, f"missing required key '{key}'")
        return value

    def string(self, value: Any, keys: tuple, default: str | None = None) -> str:
        if value is None:
            return default if default is not None else ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.error(keys, f"expected text, got {_kind(value)}")
            return default or ""
        return str(value).strip()

    def integer(self, value: Any, keys: tuple, default: int, minimum: int = 1) -> int:
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.error(keys, f"expected a whole number of at least {minimum}, got {value!r}")
            return default
        return value

    def listing(self, value: Any, keys: tuple) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(keys, f"expected a list, got {_kind(value)}")
            return []
        return value


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false", type(None): "nothing"}.get(
        type(value), f"{type(value).__name__} {value!r}"
    )


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


_TOP_KEYS = {
    "title", "description", "base_url", "language", "timezone", "theme", "pagination",
    "permalinks", "sections", "authors", "strings", "extra", "feeds", "sitemap", "related_articles", "hosting",
    "audit", "deploy",
}
# Top-level folders the build itself writes; a section key must not take one of them.
RESERVED_PATHS = {"tags", "authors", "assets", "archive", "page", "feeds"}


def parse_config(text: str, site_dir: Path, path: Path | None = None) -> SiteConfig:
    """Validate site.yaml text. Raises BuildFailed with every problem found."""
    path = path or site_dir / CONFIG_NAME
    try:
        doc = parse_yaml(text)
    except YamlSyntaxError as exc:
        raise BuildFailed([BuildError(path, exc.line, None, str(exc))]) from None
    r = _Reader(doc, path)
    top = r.mapping(doc.data, (), _TOP_KEYS, {"title", "base_url", "sections"})

    title = r.string(top.get("title"), ("title",))
    if "title" in top and not title:
        r.error(("title",), "must not be empty")

    base_url = r.string(top.get("base_url"), ("base_url",))
    if base_url:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            r.error(("base_url",), f"'{base_url}' is not an absolute http(s) URL",
                    "write it like https://example.org/ or https://example.org/archive/")
        elif not base_url.endswith("/"):
            base_url += "/"

    language = r.string(top.get("language"), ("language",), "en")
    if not is_valid_tag(language):
        r.error(("language",), f"'{language}' is not a BCP 47 language tag", "e.g. en, hy, ru, ar, pt-BR")

    tz_name = r.string(top.get("timezone"), ("timezone",), "UTC")
    try:
        timezone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        r.error(("timezone",), f"unknown time zone '{tz_name}'", "use an IANA name such as Asia/Yerevan or Europe/London")
        timezone = ZoneInfo("UTC")

    pagination = r.mapping(top.get("pagination"), ("pagination",), {"per_page"})
    per_page = r.integer(pagination.get("per_page"), ("pagination", "per_page"), 10)

    permalinks = r.mapping(top.get("permalinks"), ("permalinks",), {"article"})
    permalink = r.string(permalinks.get("article"), ("permalinks", "article"), DEFAULT_PERMALINK)
    used = set(re.findall(r"{(\w+)}", permalink))
    if unknown := used - PERMALINK_FIELDS:
        r.error(("permalinks", "article"), f"unknown placeholder {{{sorted(unknown)[0]}}}",
                f"available: {', '.join('{' + f + '}' for f in sorted(PERMALINK_FIELDS))}")
    elif "slug" not in used:
        r.error(("permalinks", "article"), "must contain {slug}, or articles would share one URL")
    if not (permalink.startswith("/") and permalink.endswith("/")):
        r.error(("permalinks", "article"), "must start and end with '/'", "e.g. /{section}/{yyyy}/{mm}/{slug}/")

    sections = tuple(_keyed(r, top.get("sections"), "sections", Section, {"title"}, {"description"}))
    if "sections" in top and not sections:
        r.error(("sections",), "at least one section is needed")
    authors = tuple(_keyed(r, top.get("authors"), "authors", Author, {"name"}, {"bio"}))

    strings: dict[str, Mapping[str, str]] = {}
    for lang, table in r.mapping(top.get("strings"), ("strings",), set(top.get("strings") or ())).items():
        if not is_valid_tag(lang):
            r.error(("strings", lang), f"'{lang}' is not a BCP 47 language tag")
        table = r.mapping(table, ("strings", lang), set(table or ()) if isinstance(table, dict) else set())
        strings[lang] = MappingProxyType({k: r.string(v, ("strings", lang, k)) for k, v in table.items()})

    feeds = r.mapping(top.get("feeds"), ("feeds",), {"limit", "content"})
    feed_limit = r.integer(feeds.get("limit"), ("feeds", "limit"), 20)
    feed_content = r.string(feeds.get("content"), ("feeds", "content"), "full")
    if feed_content not in ("full", "summary"):
        r.error(("feeds", "content"), f"'{feed_content}' is not one of: full, summary")
    sitemap = r.mapping(top.get("sitemap"), ("sitemap",), {"max_urls"})
    sitemap_max = r.integer(sitemap.get("max_urls"), ("sitemap", "max_urls"), 50_000)
    if sitemap_max > 50_000:
        r.error(("sitemap", "max_urls"), "the sitemap protocol allows at most 50000 URLs per file")
    related = r.integer(top.get("related_articles"), ("related_articles",), 4, minimum=0)
    hosting = r.mapping(top.get("hosting"), ("hosting",),
                        {"redirects", "headers", "fingerprint", "precompress", "precompress_min_bytes"})
    flags = {}
    for key, default in (("redirects", False), ("headers", False), ("fingerprint", True), ("precompress", False)):
        flags[key] = hosting.get(key, default)
        if not isinstance(flags[key], bool):
            r.error(("hosting", key), f"expected true or false, got {flags[key]!r}")
            flags[key] = default
    redirects_file = flags["redirects"]
    precompress_min = r.integer(hosting.get("precompress_min_bytes"), ("hosting", "precompress_min_bytes"), 1024, 0)

    audit = _audit(r, top.get("audit"))
    deploy = _deploy(r, top.get("deploy"))

    extra = top.get("extra") or {}
    if not isinstance(extra, dict):
        r.error(("extra",), f"expected a mapping, got {_kind(extra)}")
        extra = {}

    if r.errors:
        raise BuildFailed(r.errors)
    return SiteConfig(
        site_dir=site_dir,
        title=title,
        description=r.string(top.get("description"), ("description",)),
        base_url=base_url,
        language=language,
        timezone=timezone,
        theme=r.string(top.get("theme"), ("theme",), "default"),
        per_page=per_page,
        article_permalink=permalink,
        sections=sections,
        authors=authors,
        strings=MappingProxyType(strings),
        feed_limit=feed_limit,
        feed_full_content=feed_content == "full",
        sitemap_max_urls=sitemap_max,
        related_articles=related,
        redirects_file=redirects_file,
        headers_file=flags["headers"],
        fingerprint=flags["fingerprint"],
        precompress=flags["precompress"],
        precompress_min_bytes=precompress_min,
        extra=MappingProxyType(extra),
        audit=audit,
        deploy=deploy,
    )


def _audit(r: _Reader, value: Any) -> AuditSettings:
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


DEPLOY_KEYS = {
    "s3": ({"bucket"}, {"prefix", "region", "endpoint", "profile", "precompressed"}),
    "git": ({"remote"}, {"branch"}),
    "rsync": ({"destination"}, set()),
}
# Keys that would hold a secret. Credentials never go into site.yaml, which lives in the repository.
CREDENTIAL_KEY = re.compile(r"secret|passw|token|credential|access_?key|private_?key|api_?key", re.IGNORECASE)
CREDENTIALS_HINT = ("credentials come from the environment or a profile, never from site.yaml: "
                    "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or ~/.aws (profile:) for s3, "
                    "your ssh keys or git credential helper for git and rsync")
S3_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
GIT_BRANCH = re.compile(r"^(?!-)(?!.*(\.\.|//|@\{|\.lock$|/$|\.$))[^\s~^:?*\[\\\x00-\x1f\x7f]+$")


def _deploy(r: _Reader, value: Any) -> Mapping[str, DeployTarget]:
    targets: dict[str, DeployTarget] = {}
    section = r.mapping(value, ("deploy",), set(value) if isinstance(value, dict) else set())
    for name, item in section.items():
        keys = ("deploy", name)
        if not isinstance(name, str) or not KEY_PATTERN.match(name):
            r.error(keys, f"'{name}' is not a valid target name", "use lowercase letters, digits and hyphens")
            continue
        if not isinstance(item, dict):
            r.error(keys, f"expected a mapping with a type (s3, git or rsync), got {_kind(item)}")
            continue
        for key in item:
            if isinstance(key, str) and CREDENTIAL_KEY.search(key):
                r.error((*keys, key), f"'{key}' looks like a credential and does not belong in site.yaml",
                        CREDENTIALS_HINT)
        kind = r.string(item.get("type"), (*keys, "type"))
        if "type" not in item:
            r.error(keys, "missing required key 'type'", "one of: " + ", ".join(sorted(DEPLOY_KEYS)))
            continue
        if kind not in DEPLOY_KEYS:
            r.error((*keys, "type"), f"'{kind}' is not a deploy type", "one of: " + ", ".join(sorted(DEPLOY_KEYS)))
            continue
        required, optional = DEPLOY_KEYS[kind]
        secrets = {k for k in item if isinstance(k, str) and CREDENTIAL_KEY.search(k)}  # reported above
        r.mapping({k: v for k, v in item.items() if k not in secrets}, keys, {"type"} | required | optional, required)
        fields = {k: r.string(item.get(k), (*keys, k)) for k in required | optional - {"precompressed"}}
        for k in required:
            if k in item and not fields[k]:
                r.error((*keys, k), "must not be empty")
        if kind == "s3":
            precompressed = item.get("precompressed", False)
            if not isinstance(precompressed, bool):
                r.error((*keys, "precompressed"), f"expected true or false, got {precompressed!r}")
                precompressed = False
            fields["precompressed"] = precompressed
            if fields["bucket"] and not S3_BUCKET.match(fields["bucket"]):
                r.error((*keys, "bucket"), f"'{fields['bucket']}' is not a bucket name",
                        "3 to 63 lowercase letters, digits, dots and hyphens")
            prefix = fields.get("prefix", "").strip("/")
            if ".." in prefix.split("/") or "//" in prefix:
                r.error((*keys, "prefix"), f"'{fields['prefix']}' is not a key prefix", "e.g. archive/ or sites/news/")
            fields["prefix"] = prefix + "/" if prefix else ""
            if endpoint := fields.get("endpoint"):
                parts = urlsplit(endpoint)
                if parts.username is not None or parts.password is not None:
                    r.error((*keys, "endpoint"), "the URL holds credentials", CREDENTIALS_HINT)
                elif parts.scheme not in ("http", "https") or not parts.hostname:
                    r.error((*keys, "endpoint"), f"'{endpoint}' is not an http(s) URL", "e.g. https://s3.example.net")
        elif kind == "git":
            parts = urlsplit(fields["remote"]) if "://" in fields["remote"] else None
            # ssh://git@host/... names a user; https://TOKEN@host/... and user:password@ carry a secret.
            if parts and (parts.password is not None or (parts.scheme in ("http", "https") and parts.username)):
                r.error((*keys, "remote"), "the URL holds a password or token", CREDENTIALS_HINT)
            fields["branch"] = fields.get("branch") or "gh-pages"
            if not GIT_BRANCH.match(fields["branch"]):
                r.error((*keys, "branch"), f"'{fields['branch']}' is not a branch name", "e.g. gh-pages")
        elif kind == "rsync":
            if fields["destination"].startswith("rsync://") and urlsplit(fields["destination"]).password is not None:
                r.error((*keys, "destination"), "the URL holds a password", CREDENTIALS_HINT)
        targets[name] = DeployTarget(name=name, type=kind, **{k: v for k, v in fields.items() if v != ""})
    return MappingProxyType(targets)


def _keyed(r: _Reader, value: Any, name: str, kind: type, required: set[str], optional: set[str]):
    seen: set[str] = set()
    for i, item in enumerate(r.listing(value, (name,))):
        keys = (name, i)
        item = r.mapping(item, keys, {"key"} | required | optional, {"key"} | required)
        key = r.string(item.get("key"), (*keys, "key"))
        if not key:
            continue
        if not KEY_PATTERN.match(key):
            r.error((*keys, "key"), f"'{key}' is not a valid key",
                    "use lowercase letters, digits and hyphens; it becomes part of URLs")
        if key in seen:
            r.error((*keys, "key"), f"duplicate key '{key}'")
        if name == "sections" and (key in RESERVED_PATHS or key.isdigit()):
            r.error((*keys, "key"), f"'{key}' is used by the site's own pages",
                    f"choose another key; reserved: {', '.join(sorted(RESERVED_PATHS))} and numbers (date archives)")
        seen.add(key)
        yield kind(key=key, **{f: r.string(item.get(f), (*keys, f)) for f in required | optional})


def load_config(site_dir: Path) -> SiteConfig:
    path = site_dir / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BuildFailed([BuildError(path, None, None, "no site.yaml found",
                                      "run broadsheet in a site folder or pass --site DIR")]) from None
    except UnicodeDecodeError as exc:
        raise BuildFailed([BuildError(path, None, None, f"not UTF-8 text ({exc.reason})")]) from None
    return parse_config(text, site_dir.resolve(), path)
