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

from sqlalchemy import Select, case, column, func, select, table, tuple_
from sqlalchemy.sql.util import ClauseAdapter

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


# ---- a page of search results --------------------------------------------------------------
#
# Results are listed newest first, like every list, but FTS5 yields its hits in rowid (item id)
# order. Sorting every hit by time costs as many row reads as there are hits (150,000 for a
# common word in a million items). Ids grow as items arrive, so the newest hits are nearly the
# highest ids; a page therefore reads only the hits whose id is at least ``lowest``:
#   1. the first ``limit`` hits that pass the filters, in descending id order (cheap: FTS5
#      walks its doclists backwards and stops), give a time C: the oldest of them;
#   2. every item at least as recent as C has an id >= ``lowest`` = min(id) of the items with
#      created_at >= C (an index range over the items newer than C), so the true newest
#      ``limit`` hits — all at least as recent as C — are among the hits with id >= ``lowest``.
# This is exact whatever the ids' order (items synced late only widen the range). When a query
# has few hits (< FEW_HITS) the range of step 2 could be long while reading every hit is cheap:
# then ``lowest`` is 0.
FEW_HITS = 2000


def _fts(name: str):
    return table("item_fts", column("rowid"), column("item_fts")).alias(name)


# Built once: an alias's column collection is costly to build, and a page needs it each time.
_RECENT_FTS, _COUNTED_FTS, _HITS_FTS = _fts("recent_fts"), _fts("counted"), _fts("hits")
_ALIASES: dict = {}


def _aliases(item):
    """``newer`` and ``sample``: two more readings of the item table, for the bound."""
    if item not in _ALIASES:
        _ALIASES[item] = (item.alias("newer"), item.alias("sample"))
    return _ALIASES[item]


def page_statement(item, columns, match: str, terms: list, after, newer_than, limit: int) -> Select:
    """One page of the items matching ``match`` and ``terms`` (see above), newest first.

    ``after`` continues below a keyset; ``newer_than`` reads the items above one, oldest first.
    """
    keyset = []
    if after is not None:
        keyset.append(tuple_(item.c.created_at, item.c.id) < tuple_(*after))
    if newer_than is not None:
        keyset.append(tuple_(item.c.created_at, item.c.id) > tuple_(*newer_than))
    newer, sample = _aliases(item)
    # "+ 0": a bare min(id) would walk the table from its first row until one passes the WHERE;
    # min(id + 0) reads the range of ix_item_created instead (only the items newer than C).
    first_id = func.min(newer.c.id + 0)
    if newer_than is not None:
        # Items newer than the top of a list are few, and all have an id >= this.
        lowest = select(first_id).where(newer.c.created_at >= newer_than[0]).scalar_subquery()
    else:
        recent_fts = _RECENT_FTS
        adapt = ClauseAdapter(sample).traverse
        recent = (
            select(sample.c.created_at)
            .select_from(recent_fts.join(sample, sample.c.id == recent_fts.c.rowid))
            .where(recent_fts.c.item_fts.op("MATCH")(match), *(adapt(t) for t in [*terms, *keyset]))
            .order_by(recent_fts.c.rowid.desc())
            .limit(limit)
            .subquery("recent")
        )
        oldest_recent = select(case((func.count() >= limit, func.min(recent.c.created_at)))).scalar_subquery()
        bound = select(first_id).where(newer.c.created_at >= oldest_recent).scalar_subquery()
        counted = _COUNTED_FTS
        first_hits = select(counted.c.rowid).where(counted.c.item_fts.op("MATCH")(match)).limit(FEW_HITS)
        hit_count = select(func.count()).select_from(first_hits.subquery("first_hits")).scalar_subquery()
        lowest = case((hit_count < FEW_HITS, 0), else_=func.coalesce(bound, 0))
    hits_fts = _HITS_FTS
    hits = select(hits_fts.c.rowid).where(hits_fts.c.item_fts.op("MATCH")(match), hits_fts.c.rowid >= lowest)
    if newer_than is None:
        order = (item.c.created_at.desc(), item.c.id.desc())
    else:
        order = (item.c.created_at.asc(), item.c.id.asc())
    return select(*columns).where(item.c.id.in_(hits), *terms, *keyset).order_by(*order).limit(limit)
