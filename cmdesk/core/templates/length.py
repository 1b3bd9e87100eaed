"""Reply length as each platform counts it, so the composer can block a reply that would bounce.

Rules (limit, unit):

* Bluesky: 300 graphemes *and* 3,000 UTF-8 bytes (the ``app.bsky.feed.post`` lexicon);
  an emoji ZWJ family, a flag or "e" + combining accent is one grapheme.
* Mastodon: 500 by default, per instance (``max_characters``); graphemes, every http(s) URL
  counts 23 whatever its length, a remote mention ``@user@domain`` counts as ``@user``.
* Telegram: 4,096 UTF-16 code units (the Bot API measures text and entity offsets in UTF-16).
* YouTube 10,000, Facebook 8,000, Instagram 2,200: counted in UTF-16 code units, as their web
  clients do; an emoji may count 2 — conservative, a reply we accept is never rejected.
* Discourse: 32,000 code points by default (``max_post_length``), configurable per forum.
* Matrix: no text limit, but an event must fit 65,536 bytes: 60,000 bytes of JSON-escaped
  body leaves room for the envelope.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import regex

from cmdesk.core.models import Platform

MASTODON_URL_WEIGHT = 23


class Unit(StrEnum):
    GRAPHEMES = "graphemes"
    BYTES = "bytes"  # UTF-8
    UTF16 = "utf16"  # UTF-16 code units
    CODEPOINTS = "codepoints"
    MASTODON = "mastodon"  # graphemes after URL and mention substitution
    JSON_BYTES = "json_bytes"  # UTF-8 bytes of the JSON-escaped string


@dataclass(frozen=True, slots=True)
class LengthCheck:
    unit: Unit
    count: int
    limit: int

    @property
    def over(self) -> bool:
        return self.count > self.limit

    @property
    def remaining(self) -> int:
        return self.limit - self.count

    def __str__(self) -> str:
        return f"{self.count}/{self.limit} {_UNIT_WORDS[self.unit]}"


@dataclass(frozen=True, slots=True)
class LengthReport:
    """All the limits a platform applies to one text; the counter shows ``shown``."""

    platform: Platform
    checks: tuple[LengthCheck, ...]

    @property
    def over(self) -> bool:
        return any(c.over for c in self.checks)

    @property
    def primary(self) -> LengthCheck:
        return self.checks[0]

    @property
    def shown(self) -> LengthCheck:
        """The check to display: the first one exceeded, else the main one."""
        return next((c for c in self.checks if c.over), self.primary)

    def describe(self) -> str:
        """One English line for the CLI: "too long for Bluesky: 342/300 characters"."""
        state = "too long for" if self.over else "fits"
        return f"{state} {self.platform.label}: {self.shown}"


_UNIT_WORDS = {
    Unit.GRAPHEMES: "characters",
    Unit.BYTES: "bytes",
    Unit.UTF16: "characters",
    Unit.CODEPOINTS: "characters",
    Unit.MASTODON: "characters",
    Unit.JSON_BYTES: "bytes",
}

# (unit, default limit) per platform; the first entry is the one a user thinks of.
RULES: dict[Platform, tuple[tuple[Unit, int], ...]] = {
    Platform.BLUESKY: ((Unit.GRAPHEMES, 300), (Unit.BYTES, 3000)),
    Platform.MASTODON: ((Unit.MASTODON, 500),),
    Platform.TELEGRAM: ((Unit.UTF16, 4096),),
    Platform.YOUTUBE: ((Unit.UTF16, 10_000),),
    Platform.FACEBOOK: ((Unit.UTF16, 8000),),
    Platform.INSTAGRAM: ((Unit.UTF16, 2200),),
    Platform.DISCOURSE: ((Unit.CODEPOINTS, 32_000),),
    Platform.MATRIX: ((Unit.JSON_BYTES, 60_000),),
}
CONFIGURABLE = frozenset({Platform.MASTODON, Platform.DISCOURSE})
LIMIT_SETTING = "max_characters"  # key in Account.settings, filled from the instance's config

_GRAPHEME = regex.compile(r"\X")
# An http(s) URL up to whitespace; trailing punctuation is trimmed below as twitter-text does.
_URL = regex.compile(r"(?<![\w@/])https?://[^\s<>\"]+", regex.IGNORECASE)
# Mastodon's MENTION_RE: "@user" or "@user@domain", not inside a word, URL path or "=".
_MENTION = regex.compile(r"(?<![=/\w])@([a-z0-9_]+(?:[.-]+[a-z0-9_]+)*)(?:@[\w.-]*\w)?", regex.IGNORECASE)
_TRAILING = ".,;:!?'\"…"


def graphemes(text: str) -> int:
    return len(_GRAPHEME.findall(text))


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def mastodon_countable(text: str) -> str:
    """The text Mastodon measures: each URL as 23 "x", each ``@user@domain`` as ``@user``."""
    pieces: list[str] = []
    position = 0
    urls = [_trim_url(m.start(), m.group(0)) for m in _URL.finditer(text)]
    for start, end in urls:
        pieces.append(_shorten_mentions(text[position:start]))
        pieces.append("x" * MASTODON_URL_WEIGHT)
        position = end
    pieces.append(_shorten_mentions(text[position:]))
    return "".join(pieces)


def _trim_url(start: int, url: str) -> tuple[int, int]:
    # "(see https://x.org/a)." ends before ")." ; a balanced "(…)" inside a URL is kept.
    while url and (url[-1] in _TRAILING or (url[-1] == ")" and url.count("(") < url.count(")"))):
        url = url[:-1]
    return start, start + len(url)


def _shorten_mentions(text: str) -> str:
    return _MENTION.sub(lambda m: "@" + m.group(1), text)


def count(text: str, unit: Unit) -> int:
    if unit is Unit.GRAPHEMES:
        return graphemes(text)
    if unit is Unit.BYTES:
        return len(text.encode("utf-8"))
    if unit is Unit.UTF16:
        return utf16_units(text)
    if unit is Unit.CODEPOINTS:
        return len(text)
    if unit is Unit.MASTODON:
        return graphemes(mastodon_countable(text))
    return len(json.dumps(text, ensure_ascii=False).encode("utf-8")) - 2  # without the quotes


def limit_for(platform: Platform, account_settings: Mapping | None = None) -> int:
    """The main limit for an account: the instance's own for Mastodon/Discourse, else the default."""
    default = RULES[platform][0][1]
    if platform in CONFIGURABLE and account_settings:
        value = account_settings.get(LIMIT_SETTING)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
        if isinstance(value, str) and value.strip().isdigit() and int(value) > 0:
            return int(value)
    return default


def measure(text: str, platform: Platform, limit: int | None = None) -> LengthReport:
    """Count ``text`` the way ``platform`` does; ``limit`` overrides the main limit."""
    checks = []
    for index, (unit, default) in enumerate(RULES[platform]):
        checks.append(LengthCheck(unit, count(text, unit), limit if index == 0 and limit else default))
    return LengthReport(platform, tuple(checks))
