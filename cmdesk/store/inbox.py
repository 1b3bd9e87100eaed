"""Inbox pages as SQL: a view plus filters, newest first, paged by keyset.

Each page is ``… ORDER BY created_at DESC, id DESC LIMIT n`` read in index order, never
sorted: the equality filters lead (status, queue, kind, account) and the keyset
``(created_at, id) < (?, ?)`` continues where the last page stopped. A view that admits
several statuses (Unanswered = new or open) or several accounts (a platform) becomes a
compound ``SELECT … UNION ALL SELECT … ORDER BY … LIMIT n``, one arm per value: SQLite cannot
read an ``IN`` list in index order, but it merges arms that are each in index order, lazily,
and stops after ``n`` rows. (Arms wrapped in subqueries would lose their order and be
sorted again; plain arms keep it.)

The moderation queue read most severe first is the same, keyed by ``(severity, created_at, id)``
on the ``(queue, severity, created_at)`` index.

With a tag filter the page walks ``item_tag`` by (tag, newest first) — the item's time is
copied there for this — and reads each item by its id. A search is the FTS5 index's job
(``search.page_statement``).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import product

from sqlalchemy import Select, and_, column, func, literal_column, select, table, tuple_, union_all

from cmdesk.core.models import ItemKind, ItemRow, Moderation, QueueState, Status
from cmdesk.core.query import InboxQuery, Keyset
from cmdesk.store import search
from cmdesk.store.schema import item, item_tag, tag
from cmdesk.store.search import FtsQuery, parse

EXCERPT_CHARS = 240
# The FTS5 table, as far as queries need it (its rowid is the item id).
item_fts = table("item_fts", column("rowid"), column("item_fts"))
ALL_BUT_SPAM = (Status.NEW, Status.OPEN, Status.ANSWERED, Status.DONE)
MAX_ARMS = 32  # beyond this many (account, status) pairs, one sorted query is cheaper than a merge

ROW_COLUMNS = (
    item.c.id,
    item.c.account_id,
    item.c.created_at,
    item.c.kind,
    item.c.status,
    item.c.moderation,
    item.c.queue,
    item.c.author_name,
    item.c.author_handle,
    func.substr(item.c.text, 1, EXCERPT_CHARS).label("excerpt"),
    item.c.flag_reason,
    item.c.is_own,
    item.c.severity,
)
# The same row read through a tag: id and time come from item_tag (equal values), so the
# page's order is the order of the (tag_id, created_at, item_id) index.
TAG_ROW_COLUMNS = (
    item_tag.c.item_id.label("id"),
    item.c.account_id,
    item_tag.c.created_at.label("created_at"),
    *ROW_COLUMNS[3:],
)


def row_from(record) -> ItemRow:
    return ItemRow(
        id=record[0],
        account_id=record[1],
        created_at=record[2],
        kind=ItemKind(record[3]),
        status=Status(record[4]),
        moderation=Moderation(record[5]),
        queue=QueueState(record[6]),
        author_name=record[7],
        author_handle=record[8],
        excerpt=record[9] or "",
        flag_reason=record[10],
        is_own=bool(record[11]),
        severity=record[12] or 0,
    )


class InboxFilter:
    """The WHERE terms of a query, built once and reused for pages, counts and membership."""

    def __init__(self, query: InboxQuery, account_ids: Sequence[int] | None = None):
        self.query = query
        self.fts: FtsQuery | None = parse(query.search) if query.search.strip() else None
        self.empty = query.is_empty_by_construction() or (self.fts is not None and self.fts.match is None)
        self._account_ids = account_ids  # platform filter, resolved by the caller
        self.by_severity = query.by_severity()

    def common_terms(self, *, accounts: bool = True, tags: bool = True, fts: bool = True, time=None) -> list:
        """Every term but the statuses; ``time`` is the column the date range applies to."""
        q = self.query
        time = item.c.created_at if time is None else time
        terms = []
        if accounts and q.account_id is not None:
            terms.append(item.c.account_id == q.account_id)
        elif accounts and self._account_ids is not None:
            terms.append(item.c.account_id.in_(list(self._account_ids)))
        kinds = q.effective_kinds()
        if len(kinds) == 1:
            terms.append(item.c.kind == int(kinds[0]))
        elif kinds:
            terms.append(item.c.kind.in_([int(k) for k in kinds]))
        queue = q.queue_state()
        if queue is not None:
            terms.append(item.c.queue == int(queue))
        else:
            # Our own posts are context, not work: they stay out of the views (never out of search).
            if not q.search:
                terms.append(item.c.is_own == 0)
        if q.since is not None:
            terms.append(time >= int(q.since.timestamp() * 1000))
        if q.until is not None:
            terms.append(time < int(q.until.timestamp() * 1000))
        if tags and q.tag:
            terms.append(item.c.id.in_(select(item_tag.c.item_id).where(item_tag.c.tag_id == self.tag_id())))
        if fts and self.fts is not None and self.fts.match:
            matches = select(item_fts.c.rowid).where(item_fts.c.item_fts.op("MATCH")(self.fts.match))
            terms.append(item.c.id.in_(matches))
        return terms

    def tag_id(self):
        return select(tag.c.id).where(tag.c.name == self.query.tag).scalar_subquery()

    def status_branches(self) -> list[list]:
        """One list of extra terms per branch of the query (several only for several statuses)."""
        statuses = self.query.effective_statuses()
        if not statuses:
            return [[]]
        if tuple(statuses) == ALL_BUT_SPAM:
            return [[item.c.status != int(Status.SPAM)]]
        return [[item.c.status == int(status)] for status in statuses]

    def account_branches(self) -> list[list]:
        """One list of terms per account (several only for a platform's accounts)."""
        if self.query.account_id is not None:
            return [[item.c.account_id == self.query.account_id]]
        if self._account_ids:
            return [[item.c.account_id == account_id] for account_id in self._account_ids]
        if self._account_ids is not None:
            return [[item.c.account_id.in_([])]]  # a platform with no account: no rows
        return [[]]

    def status_terms(self) -> list:
        statuses = self.query.effective_statuses()
        if statuses and tuple(statuses) != ALL_BUT_SPAM:
            return [item.c.status.in_([int(s) for s in statuses])]
        if statuses:
            return [item.c.status != int(Status.SPAM)]
        return []

    def where(self):
        """All terms as one condition (for membership checks and counts, where order does not matter)."""
        terms = self.common_terms() + self.status_terms()
        return and_(*terms) if terms else literal_column("1") == 1


def page_statement(flt: InboxFilter, after: Keyset | None, limit: int, *, newer_than: Keyset | None = None):
    """The SELECT of one page: rows older than ``after`` (or newer than ``newer_than``, oldest first)."""
    descending = newer_than is None
    if flt.fts is not None and flt.fts.match:
        terms = flt.common_terms(fts=False) + flt.status_terms()
        return search.page_statement(item, ROW_COLUMNS, flt.fts.match, terms, after, newer_than, limit)
    by_tag = bool(flt.query.tag)
    columns = TAG_ROW_COLUMNS if by_tag else ROW_COLUMNS
    time, ident = (item_tag.c.created_at, item_tag.c.item_id) if by_tag else (item.c.created_at, item.c.id)
    terms = flt.common_terms(accounts=False, tags=not by_tag, time=time)
    if by_tag:
        terms.append(item_tag.c.tag_id == flt.tag_id())
    key = (item.c.severity, time, ident) if flt.by_severity else (time, ident)
    if after is not None:
        terms.append(tuple_(*key) < tuple_(*after))
    if newer_than is not None:
        terms.append(tuple_(*key) > tuple_(*newer_than))
    arms = [a + s for a, s in product(flt.account_branches(), flt.status_branches())]
    if len(arms) > MAX_ARMS:
        arms = [[item.c.account_id.in_(list(flt._account_ids or ())), *flt.status_terms()]]

    def arm(extra: list) -> Select:
        stmt = select(*columns)
        if by_tag:
            stmt = stmt.select_from(item_tag.join(item, item.c.id == item_tag.c.item_id))
        return stmt.where(*terms, *extra)

    if len(arms) == 1:
        order = tuple(c.desc() if descending else c.asc() for c in key)
        return arm(arms[0]).order_by(*order).limit(limit)
    # A compound's ORDER BY names its result columns; each arm is read in that order.
    names = ("severity", "created_at", "id") if flt.by_severity else ("created_at", "id")
    order = tuple(literal_column(n).desc() if descending else literal_column(n).asc() for n in names)
    return union_all(*(arm(extra) for extra in arms)).order_by(*order).limit(limit)
