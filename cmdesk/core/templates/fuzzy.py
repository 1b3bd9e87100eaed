"""Ranking for the "/" picker: what the user types against shortcode, title, tags and bodies.

Every word of the query must be found somewhere in a template (accents and case folded,
a leading "/" ignored); each word scores by where and how well it matched, best first:
exact shortcode > shortcode prefix > title/tag word > substring > letters in order
("mrci" finds "merci") > body word. Favourites and frequent use break near-ties. Build one
``PickerIndex`` per library change and call ``search`` on each keystroke: folding and word
splitting happen once.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cmdesk.core.templates.model import Template
from cmdesk.core.text import fold

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Match:
    template: Template
    score: float


class _Words:
    """The distinct words of a text, sorted, for O(log n) prefix tests."""

    __slots__ = ("text", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = sorted(set(_WORD.findall(text)))

    def has(self, word: str) -> bool:
        i = bisect.bisect_left(self.words, word)
        return i < len(self.words) and self.words[i] == word

    def has_prefix(self, prefix: str) -> bool:
        i = bisect.bisect_left(self.words, prefix)
        return i < len(self.words) and self.words[i].startswith(prefix)


@dataclass(slots=True)
class _Entry:
    template: Template
    order: int
    shortcode: str
    shortcode_words: _Words
    titles: _Words
    tags: tuple[str, ...]
    category: _Words
    bodies: _Words


def _subsequence_density(needle: str, haystack: str) -> float:
    """How tightly ``needle``'s letters appear in order in ``haystack`` (0 = not at all)."""
    start = haystack.find(needle[0])
    if start < 0:
        return 0.0
    position = start
    for ch in needle[1:]:
        position = haystack.find(ch, position + 1)
        if position < 0:
            return 0.0
    return len(needle) / (position - start + 1)


def _token_score(token: str, e: _Entry) -> float:
    if e.shortcode == token:
        return 100.0
    if e.shortcode.startswith(token):
        return 80.0 + 10.0 * len(token) / len(e.shortcode)
    if e.shortcode_words.has_prefix(token):
        return 62.0
    if e.titles.has(token) or token in e.tags:
        return 60.0
    if e.titles.has_prefix(token) or any(tag.startswith(token) for tag in e.tags):
        return 52.0
    if token in e.titles.text or any(token in tag for tag in e.tags):
        return 35.0
    if e.category.has_prefix(token):
        return 30.0
    if len(token) >= 2:
        density = max(_subsequence_density(token, e.shortcode), _subsequence_density(token, e.titles.text))
        if density >= 0.5:
            return 20.0 * density
    if e.bodies.has_prefix(token):
        return 15.0
    if len(token) >= 3 and token in e.bodies.text:
        return 8.0
    return 0.0


class PickerIndex:
    """The templates of a library, folded once, searchable many times."""

    def __init__(self, templates: Iterable[Template], usage: Mapping[int, int] | None = None) -> None:
        self._usage = usage or {}
        self._entries = [
            _Entry(
                template=t,
                order=i,
                shortcode=fold(t.shortcode),
                shortcode_words=_Words(fold(t.shortcode)),
                titles=_Words(fold(" \n".join([t.title, *(v.title for v in t.variants if v.title)]))),
                tags=tuple(fold(tag) for tag in t.tags),
                category=_Words(fold(t.category)),
                bodies=_Words(fold("\n".join(v.body for v in t.variants))),
            )
            for i, t in enumerate(templates)
        ]

    def _bonus(self, e: _Entry) -> float:
        used = self._usage.get(e.template.id, 0) if e.template.id is not None else 0
        return (3.0 if e.template.favourite else 0.0) + min(3.0, math.log1p(used))

    def search(self, query: str, limit: int | None = None) -> list[Match]:
        """Templates matching every word of ``query``, best first; all of them for "" or "/"."""
        tokens = fold(query).strip().removeprefix("/").split()
        scored: list[tuple[float, int, Template]] = []
        for e in self._entries:
            total = 0.0
            for token in tokens:
                score = _token_score(token, e)
                if not score:
                    break
                total += score
            else:
                scored.append((total + self._bonus(e), e.order, e.template))
        scored.sort(key=lambda s: (-s[0], s[1]))
        return [Match(t, score) for score, _, t in scored[:limit]]


def rank(query: str, templates: Iterable[Template], limit: int | None = None) -> list[Match]:
    """One-off search; prefer a ``PickerIndex`` when the user types several characters."""
    return PickerIndex(templates).search(query, limit)
