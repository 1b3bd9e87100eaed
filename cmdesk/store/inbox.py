"""Inbox pages as SQL: a view plus filters, newest first, paged by keyset.

Each page is one ``SELECT … ORDER BY created_at DESC, id DESC LIMIT n`` that an index
serves without sorting: the equality filters lead (status, queue, kind, account) and the
keyset ``(created_at, id) < (?, ?)`` continues where the last page stopped. A view that
admits several statuses (Unanswered = new or open) becomes one such query per status,
merged: SQLite cannot read an ``IN`` list in index order, but it can merge two short lists.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, and_, column, func, literal_column, select, table, tuple_, union_all

from cmdesk.core.models import ItemKind, ItemRow, Moderation, QueueState, Status
from cmdesk.core.query import InboxQuery, Keyset
from cmdesk.store.schema import item, item_tag, tag
from cmdesk.store.search import FtsQuery, parse

EXCERPT_CHARS = 240
# The FTS5 table, as far as queries need it (its rowid is the item id).
item_fts = table("item_fts", column("rowid"), column("item_fts"))
ALL_BUT_SPAM = (Status.NEW, Status.OPEN, Status.ANSWERED, Status.DONE)

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
    )


class InboxFilter:
    """The WHERE terms of a query, built once and reused for pages, counts and membership."""

    def __init__(self, query: InboxQuery, account_ids: Sequence[int] | None = None):
        self.query = query
        self.fts: FtsQuery | None = parse(query.search) if query.search.strip() else None
        self.empty = query.is_empty_by_construction() or (self.fts is not None and self.fts.match is None)
        self._account_ids = account_ids  # platform filter, resolved by the caller

    def common_terms(self) -> list:
        q = self.query
        terms = []
        if q.account_id is not None:
            terms.append(item.c.account_id == q.account_id)
        elif self._account_ids is not None:
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
            terms.append(item.c.created_at >= int(q.since.timestamp() * 1000))
        if q.until is not None:
            terms.append(item.c.created_at < int(q.until.timestamp() * 1000))
        if q.tag:
            tag_id = select(tag.c.id).where(tag.c.name == q.tag).scalar_subquery()
            terms.append(item.c.id.in_(select(item_tag.c.item_id).where(item_tag.c.tag_id == tag_id)))
        if self.fts is not None and self.fts.match:
            matches = select(item_fts.c.rowid).where(item_fts.c.item_fts.op("MATCH")(self.fts.match))
            terms.append(item.c.id.in_(matches))
        return terms

    def status_branches(self) -> list[list]:
        """One list of extra terms per branch of the query (several only for several statuses)."""
        statuses = self.query.effective_statuses()
        if not statuses:
            return [[]]
        if tuple(statuses) == ALL_BUT_SPAM:
            return [[item.c.status != int(Status.SPAM)]]
        return [[item.c.status == int(status)] for status in statuses]

    def where(self):
        """All terms as one condition (for membership checks and counts, where order does not matter)."""
        statuses = self.query.effective_statuses()
        terms = self.common_terms()
        if statuses and tuple(statuses) != ALL_BUT_SPAM:
            terms.append(item.c.status.in_([int(s) for s in statuses]))
        elif statuses:
            terms.append(item.c.status != int(Status.SPAM))
        return and_(*terms) if terms else literal_column("1") == 1


def _ordered(stmt: Select, descending: bool) -> Select:
    if descending:
        return stmt.order_by(item.c.created_at.desc(), item.c.id.desc())
    return stmt.order_by(item.c.created_at.asc(), item.c.id.asc())


def page_statement(flt: InboxFilter, after: Keyset | None, limit: int, *, newer_than: Keyset | None = None) -> Select:
    """The SELECT of one page: rows older than ``after`` (or newer than ``newer_than``, oldest first)."""
    descending = newer_than is None
    keyset = []
    if after is not None:
        keyset.append(tuple_(item.c.created_at, item.c.id) < tuple_(*after))
    if newer_than is not None:
        keyset.append(tuple_(item.c.created_at, item.c.id) > tuple_(*newer_than))
    common = flt.common_terms()
    branches = flt.status_branches()
    if len(branches) == 1:
        return _ordered(select(*ROW_COLUMNS).where(*common, *branches[0], *keyset), descending).limit(limit)
    parts = [
        _ordered(select(*ROW_COLUMNS).where(*common, *branch, *keyset), descending).limit(limit).subquery()
        for branch in branches
    ]
    merged = union_all(*(select(*part.c) for part in parts)).subquery()
    order = (
        (merged.c.created_at.desc(), merged.c.id.desc())
        if descending
        else (merged.c.created_at.asc(), merged.c.id.asc())
    )
    return select(*merged.c).order_by(*order).limit(limit)
