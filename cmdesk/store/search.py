"""What the user types in the search box, turned into a safe FTS5 ``MATCH`` expression.

User text is never passed to FTS5 as is: every word becomes a quoted string, so characters
that mean something to FTS5 (``"``, ``*``, ``-``, ``:``, ``^``, ``AND``/``OR``/``NOT``/``NEAR``,
parentheses) can only do what this small grammar allows:

- ``word`` — items containing the word (accents and case do not matter);
- ``"two words"`` — the exact phrase (an unclosed quote runs to the end);
- ``word*`` — words starting with ``word``;
- ``-word`` — items without the word (needs at least one positive term);
- ``from:name`` — the author's name or handle contains ``name``;
- ``a OR b`` — either word.

Anything else is a word. ``parse`` never raises; a query with nothing to search for comes
back with a message for the user instead of a match expression.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# A token: an optional "-" and "from:", then a quoted phrase or a run of non-space characters.
_TOKEN = re.compile(r'(?P<neg>-)?(?P<field>from:)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')
# What FTS5's unicode61 tokenizer treats as part of a word; anything else separates words.
_WORDISH = re.compile(r"\w", re.UNICODE)
MAX_TERMS = 32


@dataclass(frozen=True, slots=True)
class FtsQuery:
    match: str | None  # None: nothing to search for
    message: str = ""  # why, when match is None (or a note on what was ignored)
    terms: tuple[str, ...] = ()  # the words looked for, for highlighting


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _term(text: str, prefix: bool, field: bool) -> str | None:
    if not _WORDISH.search(text):
        return None
    quoted = _quote(text) + ("*" if prefix else "")
    return f"{{author_name author_handle}} : {quoted}" if field else quoted


def parse(query: str) -> FtsQuery:
    # Control and format characters (NUL, zero-width…) can only confuse the FTS5 parser.
    query = "".join(ch for ch in query if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    positives: list[list[str]] = []  # groups joined by OR inside, AND between
    negatives: list[str] = []
    terms: list[str] = []
    pending_or = False
    for token in _TOKEN.finditer(query.strip()):
        word = token.group("word")
        if word is not None and word == "OR" and not token.group("neg") and not token.group("field"):
            pending_or = bool(positives)
            continue
        phrase = token.group("phrase")
        text = phrase if phrase is not None else word or ""
        prefix = phrase is None and text.endswith("*")
        text = text.rstrip("*") if prefix else text
        expression = _term(text, prefix, bool(token.group("field")))
        if expression is None:
            continue
        terms.append(text)
        if token.group("neg"):
            negatives.append(expression)
            pending_or = False
        elif pending_or:
            positives[-1].append(expression)
            pending_or = False
        else:
            positives.append([expression])
        if len(positives) + len(negatives) >= MAX_TERMS:
            break
    if not positives:
        if negatives:
            return FtsQuery(None, "Add at least one word to look for; “-word” only excludes.", tuple(terms))
        return FtsQuery(None, "Type a word to search for." if not query.strip() else "Nothing searchable in that text.")
    groups = [group[0] if len(group) == 1 else "(" + " OR ".join(group) + ")" for group in positives]
    match = " AND ".join(groups)
    for negative in negatives:
        match = f"({match}) NOT {negative}"
    return FtsQuery(match, "", tuple(terms))
