"""The template language: parse, check and render ``{variable|default}`` placeholders.

Syntax, kept deliberately tiny so that a community manager can write it by hand:

* ``{author.first_name}`` is replaced by a value from the ``RenderContext``;
* ``{author.first_name|there}`` falls back to "there" when the value is missing or blank;
* ``{{`` and ``}}`` write a literal ``{`` and ``}``;
* a placeholder lives on one line and holds no other brace.

Three kinds of problem are reported separately because the composer handles each
differently: *syntax* errors and *unknown* variables must be fixed in the template, while a
*missing* value (known variable, no value, no default) is asked for in a fill-in form and the
template rendered again. A reply is only produced when there is none of the three, so a raw
``{...}`` never reaches a platform. Values are inserted verbatim and never re-parsed: an
author called "{brand}" stays "{brand}". Markup (HTML, markdown) is plain text here.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from cmdesk.core.templates.model import variable_name_problem

BUILTIN_VARIABLES: tuple[str, ...] = (
    "author.name",
    "author.first_name",
    "author.handle",
    "platform",
    "account.name",
    "brand",
    "agent.name",
    "date",
    "item.excerpt",
)

# "{{" and "}}" first so that escapes win over placeholders; then a one-line placeholder
# without inner braces; then a lone brace, which is always an error.
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}|[{}]")


class ProblemKind(StrEnum):
    SYNTAX = "syntax"  # the template text is malformed
    UNKNOWN = "unknown"  # a variable nobody defines (a typo, or an undeclared custom field)
    MISSING = "missing"  # a known variable with no value and no default: ask the user


@dataclass(frozen=True, slots=True)
class TemplateProblem:
    """One problem at a 1-based line and column of the template text."""

    kind: ProblemKind
    message: str
    line: int
    column: int
    variable: str = ""
    suggestion: str = ""  # for UNKNOWN: the closest known name, if any

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


@dataclass(frozen=True, slots=True)
class Placeholder:
    name: str
    default: str | None  # None = no "|"; "" = an explicit empty default
    source: str  # the placeholder as written, braces included
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Broken:
    """Source text around a syntax error, kept as written (shown, never sent)."""

    text: str


@dataclass(frozen=True, slots=True)
class Parsed:
    """A template split into literal text (escapes already resolved) and placeholders."""

    segments: tuple[str | Placeholder | Broken, ...]
    errors: tuple[TemplateProblem, ...]

    @property
    def placeholders(self) -> tuple[Placeholder, ...]:
        return tuple(s for s in self.segments if isinstance(s, Placeholder))


class PieceState(StrEnum):
    TEXT = "text"
    VALUE = "value"
    DEFAULT = "default"
    MISSING = "missing"
    UNKNOWN = "unknown"
    INVALID = "invalid"  # text around a syntax error, kept as written


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of the preview, so that the GUI can colour values, defaults and holes."""

    text: str
    state: PieceState
    variable: str = ""


@dataclass(frozen=True, slots=True)
class Rendered:
    """The outcome of ``render``: ``text`` is the reply, and is only set when ``ok``."""

    text: str
    pieces: tuple[Piece, ...]
    syntax_errors: tuple[TemplateProblem, ...] = ()
    unknown: tuple[TemplateProblem, ...] = ()
    missing: tuple[str, ...] = ()  # distinct names, in order of first use: the fill-in form

    @property
    def ok(self) -> bool:
        return not (self.syntax_errors or self.unknown or self.missing)

    @property
    def errors(self) -> tuple[TemplateProblem, ...]:
        """What must be fixed in the template itself (missing values are not errors)."""
        return self.syntax_errors + self.unknown

    @property
    def preview(self) -> str:
        """The text with holes shown as written, for the live preview only — never to send."""
        return "".join(p.text for p in self.pieces)


class _Lines:
    """Offset -> (line, column), both 1-based, in O(log n)."""

    def __init__(self, source: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", source)]

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self._starts, offset) - 1
        return index + 1, offset - self._starts[index] + 1


def parse(source: str) -> Parsed:
    """Split ``source``; every syntax error is reported, parsing goes on after each one."""
    return _parse_cached(source)


@lru_cache(maxsize=512)  # the composer re-renders the same bodies while the user fills values
def _parse_cached(source: str) -> Parsed:
    lines = _Lines(source)
    segments: list[str | Placeholder | Broken] = []
    errors: list[TemplateProblem] = []
    literal: list[str] = []
    position = 0

    def flush() -> None:
        if literal:
            segments.append("".join(literal))
            literal.clear()

    for match in _TOKEN.finditer(source):
        literal.append(source[position : match.start()])
        position = match.end()
        token = match.group(0)
        line, column = lines.at(match.start())
        if token in ("{{", "}}"):
            literal.append(token[0])
        elif token == "{":
            errors.append(_syntax(line, column, "'{' is not closed on this line (write '{{' for a literal brace)"))
            flush()
            segments.append(Broken(token))
        elif token == "}":
            errors.append(_syntax(line, column, "'}' closes nothing (write '}}' for a literal brace)"))
            flush()
            segments.append(Broken(token))
        else:
            name, bar, default = match.group(1).partition("|")
            name = name.strip()
            if not name:
                errors.append(_syntax(line, column, f"'{token}' names no variable"))
                flush()
                segments.append(Broken(token))
            elif problem := variable_name_problem(name):
                errors.append(_syntax(line, column, f"'{token}': {problem}", name))
                flush()
                segments.append(Broken(token))
            else:
                flush()
                segments.append(Placeholder(name, default.strip() if bar else None, token, line, column))
    literal.append(source[position:])
    flush()
    return Parsed(tuple(segments), tuple(errors))


def _syntax(line: int, column: int, message: str, variable: str = "") -> TemplateProblem:
    return TemplateProblem(ProblemKind.SYNTAX, message, line, column, variable)


def _unknown(placeholder: Placeholder, known: Iterable[str]) -> TemplateProblem:
    close = difflib.get_close_matches(placeholder.name, list(known), n=1, cutoff=0.75)
    hint = f" — did you mean {{{close[0]}}}?" if close else ""
    return TemplateProblem(
        ProblemKind.UNKNOWN,
        f"unknown variable {{{placeholder.name}}}{hint}",
        placeholder.line,
        placeholder.column,
        placeholder.name,
        close[0] if close else "",
    )


def check(source: str, known: Iterable[str]) -> tuple[TemplateProblem, ...]:
    """What the editor underlines: syntax errors and unknown variables, in text order."""
    known = set(known)
    parsed = parse(source)
    unknown = [_unknown(p, known) for p in parsed.placeholders if p.name not in known]
    return tuple(sorted(parsed.errors + tuple(unknown), key=lambda p: (p.line, p.column)))


def variables_in(source: str) -> tuple[str, ...]:
    """The distinct variable names a template uses, in order of first use."""
    return tuple(dict.fromkeys(p.name for p in parse(source).placeholders))


def render(source: str, known: Iterable[str], lookup: Callable[[str], str | None]) -> Rendered:
    """Render ``source``; ``lookup(name)`` gives a value or None, ``known`` the legal names.

    Most callers use ``RenderContext.render``, which supplies both. A blank value counts as
    missing, so a reply never says "Hello ," because a name was empty.
    """
    known = set(known)
    parsed = parse(source)
    pieces: list[Piece] = []
    unknown: list[TemplateProblem] = []
    missing: dict[str, None] = {}
    for segment in parsed.segments:
        if isinstance(segment, str):
            pieces.append(Piece(segment, PieceState.TEXT))
            continue
        if isinstance(segment, Broken):
            pieces.append(Piece(segment.text, PieceState.INVALID))
            continue
        if segment.name not in known:
            unknown.append(_unknown(segment, known))
            pieces.append(Piece(segment.source, PieceState.UNKNOWN, segment.name))
            continue
        value = lookup(segment.name)
        if value is not None and value.strip():
            pieces.append(Piece(value, PieceState.VALUE, segment.name))
        elif segment.default is not None:
            pieces.append(Piece(segment.default, PieceState.DEFAULT, segment.name))
        else:
            missing[segment.name] = None
            pieces.append(Piece(segment.source, PieceState.MISSING, segment.name))
    result = Rendered("", tuple(pieces), parsed.errors, tuple(unknown), tuple(missing))
    if result.ok:
        return Rendered("".join(p.text for p in pieces), result.pieces)
    return result
