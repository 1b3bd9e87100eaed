"""User regular expressions that cannot hang the application.

Three defences, in order:

1. ``check_pattern`` refuses what is known to explode before anything runs: patterns longer
   than ``MAX_PATTERN_CHARS`` and nested unbounded quantifiers such as ``(a+)+`` or
   ``(\\w*)*`` (the classic catastrophic backtracking shapes), with a message a person can act on.
2. Every search runs with the ``regex`` module's ``timeout`` (``SEARCH_TIMEOUT`` seconds); a
   timeout counts as "no match" and is reported, and a pattern that keeps timing out is
   switched off for the rest of the run (``SafeRegex.disabled``).
3. ``required_literals`` extracts strings one of which must occur for the pattern to match
   ("bit.ly/" for ``bit\\.ly/\\w+``); the rule engine looks for all of them at once with an
   Aho-Corasick automaton and runs a regex only on texts that contain one; when a pattern
   needs several such sets (``\\bwhats?app\\b`` needs "what" and "app", ``order\\s*\\d{4,}``
   "order" and a digit), ``required_literal_groups`` gives the others, checked with ``in``
   before the search. That is what keeps 20 regexes from costing 20 searches (with their
   timeout set-up) per item.
"""

from __future__ import annotations

import re
import re._constants as sre_c
import re._parser as sre_parse
from dataclasses import dataclass, field

import regex

__all__ = [
    "DIGITS",
    "MAX_PATTERN_CHARS",
    "SEARCH_TIMEOUT",
    "RegexError",
    "SafeRegex",
    "check_pattern",
    "required_literals",
]

MAX_PATTERN_CHARS = 1000
SEARCH_TIMEOUT = 0.05  # seconds per search: far above what a sane pattern needs on 100 KB
MAX_TIMEOUTS = 3  # after that many time-outs a pattern is switched off for the run
_REPEATS = (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT)
# Syntax where the ``regex`` module and the standard parser disagree: no static analysis then.
_REGEX_ONLY = re.compile(r"\[:|\\[pPXmMGKLNQE]|\(\?[|>V]|\(\?\(|\(\*|\{[edis][<=,}]|\(\?f|\(\?r|\(\?[0-9&R+-]")


class RegexError(ValueError):
    """A pattern refused, with a message meant for the person who wrote it."""


def _parse(pattern: str, ignore_case: bool):
    if _REGEX_ONLY.search(pattern):
        return None
    try:
        return sre_parse.parse(pattern, re.IGNORECASE if ignore_case else 0)
    except (re.error, OverflowError, RecursionError):
        return None


def _has_unbounded_repeat(items) -> bool:
    for op, av in items:
        if op in _REPEATS:
            _lo, hi, body = av
            if hi == sre_c.MAXREPEAT or hi > 50 or _has_unbounded_repeat(body):
                return True
        elif op is sre_c.SUBPATTERN:
            if _has_unbounded_repeat(av[-1]):
                return True
        elif op is sre_c.BRANCH:
            if any(_has_unbounded_repeat(b) for b in av[1]):
                return True
        elif op in (sre_c.ASSERT, sre_c.ASSERT_NOT):
            if _has_unbounded_repeat(av[1]):
                return True
        elif op is sre_c.ATOMIC_GROUP and _has_unbounded_repeat(av):
            return True
    return False


def _nested_quantifier(items) -> bool:
    """Is there a repeated group that itself contains an unbounded repeat? ``(a+)+``, ``(a*b?)*``."""
    for op, av in items:
        if op in _REPEATS:
            _lo, hi, body = av
            if (hi == sre_c.MAXREPEAT or hi > 1) and _has_unbounded_repeat(body):
                return True
            if _nested_quantifier(body):
                return True
        elif op is sre_c.SUBPATTERN:
            if _nested_quantifier(av[-1]):
                return True
        elif op is sre_c.BRANCH:
            if any(_nested_quantifier(b) for b in av[1]):
                return True
        elif op in (sre_c.ASSERT, sre_c.ASSERT_NOT) and _nested_quantifier(av[1]):
            return True
    return False


def check_pattern(pattern: str, ignore_case: bool = True) -> regex.Pattern:
    """Compile ``pattern`` with the ``regex`` module or raise ``RegexError`` saying why not."""
    if not pattern:
        raise RegexError("empty regular expression: it would match every item")
    if len(pattern) > MAX_PATTERN_CHARS:
        raise RegexError(f"regular expression too long ({len(pattern)} characters, at most {MAX_PATTERN_CHARS})")
    try:
        compiled = regex.compile(pattern, regex.IGNORECASE if ignore_case else 0)
    except (regex.error, OverflowError, RecursionError) as exc:
        raise RegexError(f"invalid regular expression: {exc}") from None
    parsed = _parse(pattern, ignore_case)
    if parsed is not None and _nested_quantifier(list(parsed)):
        raise RegexError(
            "nested quantifier (a repeated group containing + or *, like (a+)+): it can take "
            "forever on some texts; remove the outer repeat or make the inner part fixed-length"
        )
    if compiled.search("") is not None and compiled.search("\x00zq") is not None:
        raise RegexError("this regular expression matches an empty text: it would match every item")
    return compiled


DIGITS = frozenset("0123456789")  # "needs a digit" (the engine tests any Unicode digit)
_DIGIT_CLASSES = ([(sre_c.CATEGORY, sre_c.CATEGORY_DIGIT)], [(sre_c.RANGE, (48, 57))])


def _best(candidates: list[frozenset[str]]) -> frozenset[str] | None:
    def quality(alts: frozenset[str]) -> tuple[int, int]:
        return (min(len(a) for a in alts), -len(alts))

    # "some digit" is a weak but real filter: most comments have none.
    usable = [c for c in candidates if c == DIGITS or (c and all(_useful(a) for a in c))]
    return max(usable, key=quality) if usable else None


def _useful(literal: str) -> bool:
    """A literal worth looking for: two characters or more, or one rare symbol ("@", "$", "/")."""
    if len(literal.strip()) >= 2:
        return True
    return len(literal) == 1 and not literal.isalnum() and not literal.isspace()


def _required(items) -> frozenset[str] | None:
    return _best(_candidates(items))


def _candidates(items) -> list[frozenset[str]]:
    """Sets of strings, each of which has a member in every match of the sequence ``items``."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            candidates.append(frozenset(["".join(run).casefold()]))
            run.clear()

    for op, av in items:
        if op is sre_c.LITERAL:
            run.append(chr(av))
            continue
        flush()
        sub = None
        if op is sre_c.SUBPATTERN:
            sub = _required(av[-1])
        elif op is sre_c.IN and av in _DIGIT_CLASSES:
            sub = DIGITS
        elif op in _REPEATS and av[0] >= 1:
            sub = _required(av[2])
        elif op is sre_c.ATOMIC_GROUP:
            sub = _required(av)
        elif op is sre_c.BRANCH:
            branches = [_required(b) for b in av[1]]
            if all(branches):
                sub = frozenset().union(*branches)
        if sub:
            candidates.append(sub)
    flush()
    return candidates


def required_literals(pattern: str, ignore_case: bool = True) -> frozenset[str] | None:
    """Case-folded strings one of which occurs (case-folded) in any text the pattern matches.

    None when no such set is known (then the pattern must run on every text).
    """
    parsed = _parse(pattern, ignore_case)
    if parsed is None:
        return None
    try:
        return _required(list(parsed))
    except RecursionError:
        return None


MAX_GROUPS = 3  # literal sets checked before a search (the best one by the automaton, others by ``in``)


def required_literal_groups(pattern: str, ignore_case: bool = True) -> tuple[frozenset[str], ...]:
    """Every usable set of case-folded strings one of which occurs in any text the pattern
    matches, best first (at most ``MAX_GROUPS``): ``\\bwhats?app\\b`` needs "what" *and* "app".

    The first is ``required_literals(pattern)``; a text lacking any set cannot match.
    """
    parsed = _parse(pattern, ignore_case)
    if parsed is None:
        return ()
    try:
        found = _candidates(list(parsed))
    except RecursionError:
        return ()
    best = _best(found)
    if best is None:
        return ()
    usable = [c for c in found if c == DIGITS or (c and all(_useful(a) for a in c))]
    others = [c for c in dict.fromkeys(usable) if c != best]
    return (best, *others)[:MAX_GROUPS]


@dataclass(slots=True)
class SafeRegex:
    """A checked, compiled pattern that searches with a time-out and disables itself if it misbehaves."""

    pattern: str
    ignore_case: bool = True
    compiled: regex.Pattern = field(init=False, repr=False)
    literals: frozenset[str] | None = field(init=False)
    # Further literal sets that a match needs beside ``literals`` (see ``required_literal_groups``).
    more_literals: tuple[frozenset[str], ...] = field(init=False, default=())
    timeouts: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.compiled = check_pattern(self.pattern, self.ignore_case)
        self.literals = required_literals(self.pattern, self.ignore_case)
        groups = required_literal_groups(self.pattern, self.ignore_case)
        self.more_literals = groups[1:] if groups and groups[0] == self.literals else ()

    @property
    def disabled(self) -> bool:
        return self.timeouts >= MAX_TIMEOUTS

    def search(self, text: str) -> regex.Match | None:
        """The first match, or None (also on a time-out, which is counted)."""
        if self.disabled:
            return None
        try:
            return self.compiled.search(text, timeout=SEARCH_TIMEOUT)
        except TimeoutError:
            self.timeouts += 1
            return None
