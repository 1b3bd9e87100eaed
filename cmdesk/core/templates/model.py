"""Response templates as plain values: a template, its variants, categories and custom fields.

A ``Template`` owns one or more ``Variant`` bodies keyed by ``(lang, platform)``. The first
variant is the template's default: its language is the fallback when the reader's language
has no variant (see ``variants.choose_variant``). Everything here is immutable and holds
*normalised* values (``normalize_*`` below), so that two equal packs compare equal after an
export/import round trip.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from cmdesk.core.models import Platform
from cmdesk.core.text import fold

MAX_SHORTCODE_CHARS = 40
MAX_TITLE_CHARS = 200
MAX_BODY_CHARS = 32_000  # Discourse's default post limit: no platform takes longer replies
MAX_TAG_CHARS = 50

# Letters, digits, "_", "-" and "." (no spaces: the picker opens on "/" and a space ends it).
_SHORTCODE_RE = re.compile(r"^[^\W_][\w.-]*$")
_LANG_RE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$")
_VARIABLE_NAME_RE = re.compile(r"^[^\W\d]\w*(?:\.[^\W\d]\w*)*$")


@dataclass(frozen=True, slots=True)
class Variant:
    """One body of a template, for a language ("" = any) and a platform (None = any)."""

    body: str
    lang: str = ""
    platform: Platform | None = None
    title: str = ""  # a title in this variant's language; "" = the template's title

    @property
    def key(self) -> tuple[str, Platform | None]:
        return (self.lang, self.platform)


@dataclass(frozen=True, slots=True)
class Template:
    """A reusable reply. ``id`` is the store's row id (None before it is stored)."""

    shortcode: str  # without the leading "/", normalised by ``normalize_shortcode``
    title: str
    variants: tuple[Variant, ...]
    category: str = ""  # "Folder/Sub-folder" paths are allowed; "" = uncategorised
    tags: tuple[str, ...] = ()
    favourite: bool = False
    id: int | None = None

    @property
    def default(self) -> Variant:
        return self.variants[0]

    @property
    def langs(self) -> tuple[str, ...]:
        """The languages this template speaks, in variant order, without repeats."""
        return tuple(dict.fromkeys(v.lang for v in self.variants))

    def title_for(self, lang: str) -> str:
        """The title to show a user working in ``lang`` (a variant's own title when it has one)."""
        wanted = normalize_lang(lang)
        for variant in self.variants:
            if variant.title and variant.lang and same_language(variant.lang, wanted):
                return variant.title
        return self.title

    def with_(self, **changes) -> Template:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Category:
    """A folder of templates with its posture guidelines ("charte"), shown beside the composer."""

    name: str
    charte: str = ""


@dataclass(frozen=True, slots=True)
class CustomField:
    """A user-declared variable such as ``{shop.hours}``; an empty value makes the composer ask."""

    name: str
    value: str = ""
    label: str = ""  # what the fill-in form shows; "" = the name


@dataclass(frozen=True, slots=True)
class Pack:
    """What travels in a template file: fields it needs, categories with chartes, templates."""

    templates: tuple[Template, ...] = ()
    categories: tuple[Category, ...] = ()
    fields: tuple[CustomField, ...] = ()


@dataclass(frozen=True, slots=True)
class UsageStats:
    """How often a template served, for the library's statistics columns."""

    times_used: int = 0
    last_used: datetime | None = None
    total_reply_seconds: float = 0.0  # summed over the uses that had a known item time
    timed_uses: int = 0

    @property
    def average_reply_time(self) -> timedelta | None:
        if not self.timed_uses:
            return None
        return timedelta(seconds=self.total_reply_seconds / self.timed_uses)

    def add_use(self, used_at: datetime, item_created_at: datetime | None = None) -> UsageStats:
        """The stats after one more use; the reply time is how long the item waited for it."""
        last = used_at if self.last_used is None else max(self.last_used, used_at)
        if item_created_at is None or item_created_at > used_at:
            return replace(self, times_used=self.times_used + 1, last_used=last)
        waited = (used_at - item_created_at).total_seconds()
        return UsageStats(self.times_used + 1, last, self.total_reply_seconds + waited, self.timed_uses + 1)


def normalize_shortcode(text: str) -> str:
    """ "/Merci " -> "merci": no slash, no surrounding spaces, NFC, lower case."""
    return unicodedata.normalize("NFC", text.strip().removeprefix("/")).lower()


def shortcode_key(shortcode: str) -> str:
    """The identity of a shortcode for uniqueness: "/Délai" and "delai" are the same one.

    The picker folds accents, so two shortcodes that differ only by accents would be
    indistinguishable to a user typing; the store's unique index should be on this key.
    """
    return fold(normalize_shortcode(shortcode))


def shortcode_problem(shortcode: str) -> str:
    """Why a normalised shortcode is not acceptable ("" when it is)."""
    if not shortcode:
        return "the shortcode is empty"
    if len(shortcode) > MAX_SHORTCODE_CHARS:
        return f"the shortcode is longer than {MAX_SHORTCODE_CHARS} characters"
    if not _SHORTCODE_RE.match(shortcode):
        return (
            f"the shortcode /{shortcode} may only hold letters, digits, '-', '_' and '.',"
            " and must start with a letter or digit"
        )
    return ""


def normalize_lang(text: str) -> str:
    """ "FR_fr" -> "fr-fr": BCP 47-ish tags compared case-insensitively; "" means any language."""
    return text.strip().replace("_", "-").lower()


def lang_problem(lang: str) -> str:
    if lang and not _LANG_RE.match(lang):
        return f"'{lang}' is not a language code (use e.g. 'fr', 'en' or 'pt-br')"
    return ""


def same_language(a: str, b: str) -> bool:
    """ "fr-ca" speaks "fr": compare the primary subtags."""
    return bool(a) and bool(b) and a.split("-")[0] == b.split("-")[0]


def parse_platform(text: str) -> Platform | None:
    """A platform from its value or label, case-insensitive; "" / "any" / "*" mean any platform.

    Raises ValueError for a name CMDesk does not know.
    """
    name = text.strip().lower()
    if name in ("", "any", "*", "all"):
        return None
    try:
        return Platform(name)
    except ValueError:
        known = ", ".join(p.value for p in Platform)
        raise ValueError(f"unknown platform '{text.strip()}' (known: {known})") from None


def normalize_tags(tags) -> tuple[str, ...]:
    """Stripped, non-empty, without repeats (compared folded), in the order given."""
    seen: set[str] = set()
    out: list[str] = []
    for tag in tags:
        tag = " ".join(str(tag).split())
        if tag and fold(tag) not in seen:
            seen.add(fold(tag))
            out.append(tag)
    return tuple(out)


def variable_name_problem(name: str) -> str:
    """Why ``name`` cannot be a variable ("" when it can): dotted words such as ``shop.hours``."""
    if not _VARIABLE_NAME_RE.match(name):
        return f"'{name}' is not a variable name (words joined by dots, e.g. shop.hours)"
    return ""


def charte_for(category: str, categories: tuple[Category, ...] | list[Category]) -> str:
    """The guidelines for a category: its own, else the nearest parent folder's ("A/B" -> "A")."""
    by_name = {c.name: c.charte for c in categories}
    path = category
    while path:
        if by_name.get(path):
            return by_name[path]
        path = path.rpartition("/")[0]
    return ""


def merge_fields(declared: tuple[CustomField, ...], incoming: tuple[CustomField, ...]) -> tuple[CustomField, ...]:
    """Settings' custom fields plus those a pack needs; a value the user already set is kept."""
    names = {f.name for f in declared}
    return tuple(declared) + tuple(f for f in incoming if f.name not in names)


def body_control_problem(text: str) -> str:
    """Bodies are plain text: tabs and newlines are fine, other control characters are not."""
    for ch in text:
        if ch not in "\n\t" and unicodedata.category(ch) == "Cc":
            return f"contains the control character U+{ord(ch):04X}"
    return ""


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


__all__ = [
    "MAX_BODY_CHARS",
    "MAX_SHORTCODE_CHARS",
    "MAX_TAG_CHARS",
    "MAX_TITLE_CHARS",
    "Category",
    "CustomField",
    "Pack",
    "Template",
    "UsageStats",
    "Variant",
    "body_control_problem",
    "charte_for",
    "lang_problem",
    "merge_fields",
    "normalize_lang",
    "normalize_newlines",
    "normalize_shortcode",
    "normalize_tags",
    "parse_platform",
    "same_language",
    "shortcode_key",
    "shortcode_problem",
    "variable_name_problem",
]
