"""Keyword and phrase matching over normalised text: one Aho-Corasick automaton, word boundaries.

A ``KeywordMatcher`` is built once from many terms (all the keywords of all rules, or one
lexicon) and then finds every term in a text in one pass. Matching happens on the
*squeezed* normalised text (every run of a repeated character reduced to one), so that
"nuuuul" finds "nul" and "connnnard" finds "connard"; each candidate is then checked
against the run lengths of the unsqueezed text, so that "as" does not find "ass" and "null"
does not find "nul": a run must have the keyword's own length, or be an obvious elongation
(three or more).

Word boundaries are required on both sides ("assassin" is not "ass", "Scunthorpe" is not a
hit); an optional plural ending (-s, -x, -es) is accepted. A term written with a trailing
``*`` matches as a prefix ("arnaqu*"), a leading ``*`` as a suffix. Masked spellings
("f*ck", "f**k", "c*nnard") are found through variants of each single-word term with one or
two inner letters replaced by ``*``. Digits count as boundaries ("connard93" finds "connard").

Most texts have no elongation and no mask: they are matched on the exact spellings, one pass
of a second automaton that also holds *markers* (a run of three of a character the keywords
use, two spaces when a keyword is a phrase); a marker found sends the text to the squeezed
path, so both paths always give the same answer. Lexicons of abuse also ask for *split*
variants ("enc.ulé", "con-nard"), which user keywords do not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

import ahocorasick

from cmdesk.core.moderation.normalise import NormalisedText, normalise, squeeze

__all__ = ["Hit", "KeywordMatcher", "Term", "parse_term"]

_RUNS = re.compile(r"(.)\1*", re.DOTALL)
# Runs that send a text to the squeezed path: three of anything ("nuuul"), or two spaces
# (phrases: "ta  gueule" is "ta gueule"). Folded text has no newlines: no slower DOTALL.
_ELONGATED = re.compile(r"(.)\1\1|  ")
MARK = (-1, 0)  # entry of a marker key in the exact automaton: "leave for the squeezed path"
_WS = re.compile(r"\s+")
_MIN_MASKABLE = 4  # masked variants only for words of 4+ letters: "c*n" could be anything


@dataclass(frozen=True, slots=True)
class Term:
    """One keyword as compiled: what the user wrote, its matching form and its anchoring."""

    text: str  # as written, wildcards included
    key: str  # normalised form, single spaces
    prefix: bool = False  # "arnaqu*": no boundary needed after
    suffix: bool = False  # "*phobe": no boundary needed before


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of a term: ``start``/``end`` are offsets in the *original* text."""

    term: str
    start: int
    end: int
    matched: str  # the original characters, e.g. "C0NN4RD"
    payload: Any = None


def parse_term(raw: str) -> Term:
    """Compile one keyword as written (``*`` at either end is a wildcard). Raises ValueError."""
    text = raw.strip()
    suffix = text.startswith("*")
    prefix = text.endswith("*") and len(text) > 1
    core = text.strip("*").strip()
    key = _WS.sub(" ", normalise(core).text).strip()
    if not key.strip("*' -"):
        raise ValueError(f"keyword {raw!r} is empty once normalised")
    return Term(text=text, key=key, prefix=prefix, suffix=suffix)


def _runs(text: str) -> list[int]:
    return [m.end() - m.start() for m in _RUNS.finditer(text)]


def _masked(word: str) -> set[str]:
    """A word with one or two inner letters replaced by a mask: "fuck" -> "f*ck", "f*k"…"""
    out: set[str] = set()
    if not word.isalpha() or len(squeeze(word)) < _MIN_MASKABLE:
        return out
    for i in range(1, len(word) - 1):
        out.add(word[:i] + "*" + word[i + 1 :])
        if i + 1 < len(word) - 1:
            out.add(word[:i] + "*" + word[i + 2 :])
    return out


_MIN_SPLITTABLE = 5  # split variants only for words of 5+ letters: "c.ul" could be anything
_SPLITTERS = ".-_"


def _split(word: str) -> set[str]:
    """A word cut once inside by a dot, dash or underscore: "enculé" -> "enc.ulé", "encu-lé"…
    (the letters one by one, "c.o.n.n.a.r.d", are joined by the normaliser instead)."""
    if not word.isalpha() or len(word) < _MIN_SPLITTABLE:
        return set()
    return {word[:i] + sep + word[i:] for i in range(2, len(word) - 1) for sep in _SPLITTERS}


def _variants(key: str, split: bool = False) -> list[str]:
    """The spellings of one key to put in the automaton: itself, phrase, masked and (with
    ``split``) split variants."""
    out = {key, *_masked(key)}
    if split:
        out |= _split(key)
    if " " in key or "'" in key:
        # Each word of a phrase may be masked on its own ("ta g*eule"), and the phrase may be
        # written with dashes or run together ("fils-de-pute", "filsdepute").
        words = key.split(" ")
        for i, word in enumerate(words):
            for masked in _masked(word):
                out.add(" ".join([*words[:i], masked, *words[i + 1 :]]))
        for variant in list(out):
            out.add(variant.replace("'", " "))
            out.add(variant.replace(" ", "-").replace("'", "-"))
        out.add(key.replace(" ", "").replace("'", ""))
    return sorted(out)


def markers_for(keys: Iterable[str]) -> frozenset[str]:
    """The runs that send a text to the squeezed path, for keys made of these characters: three
    of any character the keys use (an elongation: "nuuul"), and two spaces when a key is a
    phrase (spaces vary freely: "ta  gueule"). A run of a character no key uses cannot change
    a match: the exact path answers as the squeezed one would."""
    chars = {ch for key in keys for ch in key if ch != "*"}
    return frozenset({ch * 3 for ch in chars} | ({"  "} if " " in chars else set()))


def with_markers(table: dict[str, tuple], markers: Iterable[str]) -> dict[str, tuple]:
    """``table`` (key -> entries) with the marker keys added; a marker's entries start with
    ``MARK`` (index -1), which a scan takes as "leave this text to the squeezed path"."""
    out = dict(table)
    for marker in markers:
        out[marker] = (MARK, *out.get(marker, ()))
    return out


class _Texts:
    """The run lengths of a text, computed at most once and only for a candidate that passed
    the boundary checks (most candidates are inner substrings: "rat" in "accurate")."""

    __slots__ = ("_runs", "_starts", "squeezed", "text")

    def __init__(self, text: str, squeezed: str) -> None:
        self.text = text
        self.squeezed = squeezed
        self._runs: list[int] | None = None
        self._starts: list[int] | None = None

    @property
    def runs(self) -> list[int]:
        if self._runs is None:
            self._runs = _runs(self.text)
        return self._runs

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0, *accumulate(self.runs)]
        return self._starts


def _is_word(s: str, i: int) -> bool:
    """Is ``s[i]`` part of a word? A mask ``*`` is, when it sits between letters."""
    if i < 0 or i >= len(s):
        return False
    ch = s[i]
    if ch == "*":
        return (i > 0 and s[i - 1].isalpha()) and (i + 1 < len(s) and s[i + 1].isalpha())
    return ch.isalpha()


def _run_end(s: str, i: int) -> int:
    ch = s[i]
    while i < len(s) and s[i] == ch:
        i += 1
    return i


def plural_end(s: str, end: int) -> int | None:
    """The end of a plural ending (-s, -x, -es, runs allowed) right after ``end``, or None."""
    after = _run_end(s, end)
    if s[end] in "sx" and not _is_word(s, after):
        return after
    if s[end] == "e" and after < len(s) and s[after] == "s":
        stop = _run_end(s, after)
        if not _is_word(s, stop):
            return stop
    return None


class KeywordMatcher:
    """Many terms, one automaton. Build once, call ``find`` many times (thread-safe reads)."""

    def __init__(self, terms: Iterable[str | tuple[str, Any]], *, split: bool = False) -> None:
        """``split`` also finds single words cut once inside by a dot, dash or underscore
        ("enc.ulé"): for lexicons of abuse, where that is an evasion, not for user keywords."""
        self.terms: list[Term] = []
        self.open_ends: list[tuple[bool, bool]] = []  # (prefix, suffix) of each term, for hot loops
        self.payloads: list[Any] = []
        by_key: dict[str, list[tuple[int, tuple[int | None, ...]]]] = {}
        by_exact: dict[str, list[tuple[int, int]]] = {}
        for entry in terms:
            raw, payload = (entry, None) if isinstance(entry, str) else entry
            term = parse_term(raw)
            index = len(self.terms)
            self.terms.append(term)
            self.open_ends.append((term.prefix, term.suffix))
            self.payloads.append(payload)
            for variant in _variants(term.key, split):
                # Expected run length of each squeezed character; None for a mask.
                expected = tuple(None if m.group(1) == "*" else m.end() - m.start() for m in _RUNS.finditer(variant))
                by_key.setdefault(squeeze(variant), []).append((index, expected))
                if "*" not in variant:
                    by_exact.setdefault(variant, []).append((index, len(variant)))
        self._automaton = ahocorasick.Automaton()
        for key, entries in by_key.items():
            self._automaton.add_word(key, tuple(entries))
        # Most texts have no elongation and no mask: for them an automaton over the exact
        # spellings gives the same answers without computing run lengths. It also holds
        # *markers*, the runs that only the squeezed path reads right, for the characters the
        # keys use ("uuu" when a key has a "u", ".." when one has a dot, two spaces when one
        # is a phrase): a marker found sends the text to the squeezed path, so one pass of the
        # exact automaton both matches and checks that the exact answer is the right one.
        self.exact_keys = {key: tuple(entries) for key, entries in by_exact.items()}
        self.markers = markers_for(by_exact)
        self._exact = ahocorasick.Automaton()
        for key, entries in with_markers(self.exact_keys, self.markers).items():
            self._exact.add_word(key, entries)
        if by_key:
            self._automaton.make_automaton()
            self._exact.make_automaton()
        self._empty = not by_key

    def __len__(self) -> int:
        return len(self.terms)

    @staticmethod
    def _bounds(s: str, start: int, end: int, term: Term) -> int | None:
        """Word boundaries around ``s[start:end]``; return the end (plural included) or None."""
        if not term.suffix and s[start].isalpha() and _is_word(s, start - 1):
            return None
        if not term.prefix and s[end - 1].isalpha() and _is_word(s, end):
            if s[end] == s[end - 1]:
                return None  # the word goes on ("boss" is not a plural of "bos")
            return plural_end(s, end)
        return end

    @staticmethod
    def _runs_ok(info: _Texts, start: int, expected: tuple, term: Term | None = None) -> bool:
        """Each run as long as the keyword's, or an obvious elongation (three or more).

        At an open end of a wildcard term ("tache*", "*phobe") the text's run may be longer:
        the word goes on ("tachees" starts with "tache"), as the exact spellings would find.
        """
        s, runs = info.squeezed, info.runs
        last = len(expected) - 1
        for offset, want in enumerate(expected):
            if want is None:
                continue
            have = runs[start + offset]
            if term is not None and have > want and ((offset == last and term.prefix) or (offset == 0 and term.suffix)):
                continue
            if s[start + offset].isalpha():
                if have != want and have < max(3, want):
                    return False
            elif have < want and not s[start + offset].isspace():
                return False  # "€€€" needs three signs; spaces may vary freely
        return True

    @staticmethod
    def exact_path(norm: str) -> bool:
        """Can ``norm`` be matched on its exact spellings, whatever the keys? (no mask, no run
        of three, no two spaces). ``scan`` asks a narrower question through its markers: only
        runs of characters that its keys use count."""
        return "*" not in norm and not _ELONGATED.search(norm)

    def scan(self, text: NormalisedText | str) -> list[tuple[int, int, int]]:
        """Every verified occurrence as ``(term index, start, end)`` in normalised-text offsets."""
        if self._empty:
            return []
        norm = text.text if isinstance(text, NormalisedText) else text
        if "*" not in norm:
            exact = self._scan_exact(norm)
            if exact is not None:
                return exact
        return self._scan_squeezed(norm)

    def _scan_squeezed(self, norm: str) -> list[tuple[int, int, int]]:
        """The hits on the squeezed text, checked against the run lengths (any text)."""
        found: list[tuple[int, int, int]] = []
        squeezed = squeeze(norm)
        info = _Texts(norm, squeezed)
        for last, entries in self._automaton.iter(squeezed):
            for index, expected in entries:
                start = last + 1 - len(expected)
                stop = self._bounds(squeezed, start, last + 1, self.terms[index])
                term = self.terms[index]
                if stop is None or not self._runs_ok(info, start, expected, term):
                    continue
                o_start, o_end = info.starts[start], info.starts[stop]
                if term.prefix or term.suffix:
                    o_start, o_end = self._open_ends(info, start, last, expected, term, o_start, o_end)
                found.append((index, o_start, o_end))
        return found

    @staticmethod
    def _open_ends(info: _Texts, start: int, last: int, expected: tuple, term: Term, o_start: int, o_end: int):
        """A wildcard term whose open end sits in a doubled letter ("tache*" in "tachees") ends
        where the exact spellings end it, inside the run, not after it."""
        runs, s = info.runs, info.squeezed
        want = expected[-1]
        if term.prefix and want is not None and want < runs[last] < 3 and s[last].isalpha():
            o_end = info.starts[last] + want
        want = expected[0]
        if term.suffix and want is not None and want < runs[start] < 3 and s[start].isalpha():
            o_start = info.starts[start + 1] - want
        return o_start, o_end

    def _scan_exact(self, norm: str) -> list[tuple[int, int, int]] | None:
        """The hits on the exact spellings, or None when a marker says the squeezed path must decide."""
        found = []
        open_ends = self.open_ends
        size = len(norm)
        for last, entries in self._exact.iter(norm):
            for index, length in entries:
                if index < 0:
                    return None
                # ``_bounds`` written out for a text without masks (``_is_word`` is ``isalpha``).
                stop = last + 1
                start = stop - length
                prefix, suffix = open_ends[index]
                if not suffix and start and norm[start - 1].isalpha() and norm[start].isalpha():
                    continue
                if not prefix and stop < size and norm[stop].isalpha() and norm[stop - 1].isalpha():
                    if norm[stop] == norm[stop - 1]:
                        continue  # the word goes on ("boss" is not a plural of "bos")
                    stop = plural_end(norm, stop)
                    if stop is None:
                        continue
                found.append((index, start, stop))
        return found

    def matched_indices(self, text: NormalisedText | str) -> set[int]:
        """The indices of the terms found at least once (the rule engine's fast path)."""
        return {index for index, _, _ in self.scan(text)}

    def find(self, text: NormalisedText | str) -> list[Hit]:
        """Every occurrence, with its span in the original text, in order of position."""
        norm = text if isinstance(text, NormalisedText) else normalise(text)
        hits = []
        for index, start, end in sorted(self.scan(norm), key=lambda f: (f[1], -f[2])):
            o_start, o_end = norm.to_original(start, end)
            hits.append(Hit(self.terms[index].text, o_start, o_end, norm.original[o_start:o_end], self.payloads[index]))
        return hits
