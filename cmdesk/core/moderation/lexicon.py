"""The curated French and English lexicons shipped in ``data/`` and their compiled forms.

Files (UTF-8, ``#`` comments, one entry per line; sources and licence in LEXICONS.md):

- ``{lang}/abuse.txt``     tier 1: abusive wherever it appears (insults, slurs, "ta gueule");
- ``{lang}/insults.txt``   tier 2: name-calling, abusive only when aimed at people; ``(adj)``
  marks words that also describe things ("stupid"), ``(crit)`` those that judge work more
  than the person ("nul", "useless": aimed only at the reader), ``(2p)`` words that insult only
  when said to the reader ("you're a joke", "vous êtes la honte", not "this app is a joke");
- ``{lang}/swearing.txt``  tier 3: swearing, abusive only in a negative comment;
- ``{lang}/targets.txt``   regexes that aim a tier-2 word ("vous êtes des …", "bunch of …");
- ``{lang}/threats.txt``, ``{lang}/hate.txt``: regexes over normalised text;
- ``{lang}/allow.txt``     phrases in which a hit is harmless ("pain bâtard", "kill it");
- ``{lang}/valence.txt``, ``{lang}/modifiers.txt``: sentiment words, idioms, negators…;
- ``{lang}/spam.txt``, ``common/spam.txt``: weighted spam phrases.

An entry marked ``(only)`` is used only for texts in its own language ("retard" is an English
slur but the French word for "delay"). Everything is compiled once per process and cached.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick

from cmdesk.core.moderation.matcher import KeywordMatcher
from cmdesk.core.moderation.normalise import normalise
from cmdesk.core.moderation.regexes import DIGITS, required_literals

__all__ = ["LANGUAGES", "Lexicons", "PatternIndex", "entries", "lexicons", "read_lines"]

LANGUAGES = ("fr", "en")
_DATA = "cmdesk.core.moderation.data"
_ONLY = " (only)"
_ADJ = " (adj)"
_SECOND = " (2p)"
_CRIT = " (crit)"
_FLAGS = ((_ADJ, "adj"), (_SECOND, "2p"), (_CRIT, "crit"))


def read_lines(name: str) -> list[str]:
    """The meaningful lines of a data file (comments and blank lines dropped)."""
    text = resources.files(_DATA).joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def entries(name: str, *, own_language: bool = True) -> list[tuple[str, str]]:
    """(term, flag) pairs of a word list; flag is "adj", "crit", "2p" or "". ``(only)`` entries are
    dropped when the list is used for a text in another language."""
    out = []
    for line in read_lines(name):
        only = line.endswith(_ONLY)
        line = line.removesuffix(_ONLY)
        if only and not own_language:
            continue
        flag = next((f for suffix, f in _FLAGS if line.endswith(suffix)), "")
        for suffix, _ in _FLAGS:
            line = line.removesuffix(suffix)
        out.append((line.strip(), flag))
    return out


def weighted(name: str) -> list[tuple[str, float]]:
    """(term, number) pairs of a "term = number" file."""
    out = []
    for line in read_lines(name):
        term, _, value = line.rpartition("=")
        out.append((term.strip(), float(value)))
    return out


def sections(name: str) -> dict[str, list[str]]:
    """A file split into ``[section]`` blocks."""
    out: dict[str, list[str]] = {}
    current = ""
    for line in read_lines(name):
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            out.setdefault(current, [])
        else:
            out.setdefault(current, []).append(line)
    return out


@dataclass(frozen=True)
class Targets:
    """Compiled aiming contexts for one language (sections of ``{lang}/targets.txt``)."""

    before: tuple[re.Pattern, ...]  # any person: "you are …", "the manager is a …", "bunch of …"
    before_noun: tuple[re.Pattern, ...]  # nouns only: "staff are …", a word alone
    after: tuple[re.Pattern, ...]
    self_reference: tuple[re.Pattern, ...]  # "I was an idiot": about oneself, never aimed
    second: tuple[re.Pattern, ...] = ()  # said to the reader: "you are …", "t'es …", "you …"
    nominal: tuple[re.Pattern, ...] = ()  # an adjective used as a noun: "ce sont des incapables"
    after_second: tuple[re.Pattern, ...] = ()  # after a word, to the reader: "…, all of you"
    start: tuple[re.Pattern, ...] = ()  # a noun that opens the comment ("Escrocs !")…
    start_after: tuple[re.Pattern, ...] = ()  # …when followed by this (punctuation, the end)
    exclaim: tuple[re.Pattern, ...] = ()  # before an (adj) word followed by [person-after]…
    person_after: tuple[re.Pattern, ...] = ()  # …a word for people: "what a moronic company"
    adj_start: tuple[re.Pattern, ...] = ()  # a plural (adj) word that opens the comment…
    adj_start_after: tuple[re.Pattern, ...] = ()  # …as a vocative: "Incapables !"
    end: tuple[re.Pattern, ...] = ()  # a noun that closes the comment after a comma…
    end_after: tuple[re.Pattern, ...] = ()  # …as a vocative: "Shut up, clown."
    person_subject: tuple[re.Pattern, ...] = ()  # "the staff are …": aims (adj), not (crit)


@dataclass(frozen=True)
class Modifiers:
    negators: KeywordMatcher
    negators_after_ne: KeywordMatcher
    scalers: KeywordMatcher  # intensifiers and downtoners; payload = factor
    contrast: KeywordMatcher


@dataclass(frozen=True)
class Lexicons:
    """Everything the classifiers need for texts in one language."""

    lang: str
    abuse: KeywordMatcher
    insults: KeywordMatcher  # payload: "adj" or ""
    swearing: KeywordMatcher
    allow: KeywordMatcher
    threats: tuple[re.Pattern, ...]
    hate: tuple[re.Pattern, ...]
    targets: Targets
    valence: KeywordMatcher  # payload: score
    modifiers: Modifiers
    spam: KeywordMatcher  # payload: weight
    threat_index: PatternIndex  # ``threats`` behind a literal prefilter
    hate_index: PatternIndex  # ``hate`` behind a literal prefilter


def _patterns(lines: list[str]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(line) for line in lines)


def _needed_literals(pattern: re.Pattern) -> frozenset[str] | None:
    """Case-folded strings one of which is in any text ``pattern`` matches, or None (unknown).

    The patterns are case-sensitive, so a match holds the literal exactly and the case-folded
    text holds it case-folded. Not so under IGNORECASE, whose equivalences are not those of
    ``casefold`` ("ı" matches "i"): such a pattern always runs, as does one that only needs
    "a digit" (``\\d`` matches any Unicode digit, not just 0-9).
    """
    if not isinstance(pattern.pattern, str) or pattern.flags & re.IGNORECASE:
        return None
    literals = required_literals(pattern.pattern, ignore_case=False)
    if not literals or literals & DIGITS:
        return None
    return literals


class PatternIndex:
    """Ordered regexes behind an Aho-Corasick prefilter on the literals each one needs.

    Nearly every comment contains none of the threat and hate phrases' words, so one pass of
    the automaton replaces a regex search per pattern (185 of them). ``candidates`` keeps the
    patterns' order: the first match is the one the plain ordered search finds.
    """

    def __init__(self, patterns: tuple[re.Pattern, ...]) -> None:
        self.patterns = patterns
        by_literal: dict[str, set[int]] = {}
        always: list[int] = []
        for index, pattern in enumerate(patterns):
            literals = _needed_literals(pattern)
            if literals is None:
                always.append(index)
            else:
                for literal in literals:
                    by_literal.setdefault(literal, set()).add(index)
        self.always = tuple(always)  # patterns run on every text: no literal is known
        self._always_patterns = tuple(patterns[i] for i in always)
        self._automaton = None
        if by_literal:
            self._automaton = ahocorasick.Automaton()
            for literal, indices in by_literal.items():
                self._automaton.add_word(literal, frozenset(indices))
            self._automaton.make_automaton()

    def candidates(self, text: str) -> Sequence[re.Pattern]:
        """The patterns that may match ``text``, in their original order."""
        if self._automaton is None:
            return self._always_patterns
        found = [indices for _, indices in self._automaton.iter(text.casefold())]
        if not found:
            return self._always_patterns  # the usual case: no literal at all
        return [self.patterns[i] for i in sorted(set(self.always).union(*found))]


def _targets(lang: str) -> Targets:
    parts = sections(f"{lang}/targets.txt")
    mod = parts.get("mod", ["(?:)"])[0]

    def compile_all(name: str) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(line.replace("MOD", mod)) for line in parts.get(name, []))

    return Targets(
        compile_all("before"),
        compile_all("before-noun"),
        compile_all("after"),
        compile_all("self"),
        compile_all("second"),
        compile_all("nominal"),
        compile_all("after-second"),
        compile_all("start"),
        compile_all("start-after"),
        compile_all("exclaim"),
        compile_all("person-after"),
        compile_all("adj-start"),
        compile_all("adj-start-after"),
        compile_all("end"),
        compile_all("end-after"),
        compile_all("person-subject"),
    )


def _modifiers(lang: str) -> Modifiers:
    parts = sections(f"{lang}/modifiers.txt")

    def factors(name: str) -> list[tuple[str, float]]:
        out = []
        for line in parts.get(name, []):
            term, _, value = line.rpartition("=")
            out.append((term.strip(), float(value)))
        return out

    return Modifiers(
        negators=KeywordMatcher(parts.get("negators", [])),
        negators_after_ne=KeywordMatcher(parts.get("negators-after-ne", [])),
        scalers=KeywordMatcher(factors("intensifiers") + factors("downtoners")),
        contrast=KeywordMatcher(parts.get("contrast", [])),
    )


def _matcher(pairs, *, split: bool = False) -> KeywordMatcher:
    return KeywordMatcher([(term, flag) for term, flag in pairs], split=split)


@lru_cache(maxsize=8)
def lexicons(lang: str) -> Lexicons:
    """The compiled lexicons for texts in ``lang`` ("fr", "en", or anything else: both, tier 1 only).

    For a text in French, English tier-1 abuse and swearing apply too (minus ``(only)``
    entries): French comments borrow "fuck" and "wtf". Tier-2 words, targets and valence come
    from the text's own language.
    """
    own = lang if lang in LANGUAGES else "en"
    others = [other for other in LANGUAGES if other != own]
    foreign = lang not in LANGUAGES
    abuse = entries(f"{own}/abuse.txt", own_language=not foreign)
    swearing = entries(f"{own}/swearing.txt", own_language=not foreign)
    allow = entries(f"{own}/allow.txt")
    threats = read_lines(f"{own}/threats.txt")
    hate = read_lines(f"{own}/hate.txt")
    for other in others:
        abuse += entries(f"{other}/abuse.txt", own_language=False)
        swearing += entries(f"{other}/swearing.txt", own_language=False)
        allow += entries(f"{other}/allow.txt")
        threats += read_lines(f"{other}/threats.txt")
        hate += read_lines(f"{other}/hate.txt")
    spam = weighted("common/spam.txt")
    for code in LANGUAGES:
        spam += weighted(f"{code}/spam.txt")
    threat_patterns, hate_patterns = _patterns(threats), _patterns(hate)
    return Lexicons(
        lang=lang,
        # Abuse, insults and swearing also match a word cut once by a dot or a dash ("enc.ulé").
        abuse=_matcher(abuse, split=True),
        insults=_matcher([] if foreign else entries(f"{own}/insults.txt"), split=True),
        swearing=_matcher(swearing, split=True),
        allow=_matcher(allow),
        threats=threat_patterns,
        hate=hate_patterns,
        targets=_targets(own),
        valence=KeywordMatcher(weighted(f"{own}/valence.txt")),
        modifiers=_modifiers(own),
        spam=KeywordMatcher(spam),
        threat_index=PatternIndex(threat_patterns),
        hate_index=PatternIndex(hate_patterns),
    )


def normalised_key(term: str) -> str:
    """How a lexicon term reads once normalised (for tests and LEXICONS.md checks)."""
    return normalise(term).text
