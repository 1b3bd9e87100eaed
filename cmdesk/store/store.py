"""The ``Store``: the one façade over a CMDesk history.

Everything that reads or writes the database goes through here, as plain Python calls with
``cmdesk.core`` values in and out. Writers take the write lock at the start of their
transaction (``BEGIN IMMEDIATE``), so a sync thread and the UI never deadlock; readers
never wait for writers (WAL).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, delete, func, insert, select, tuple_, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from cmdesk.core.models import (
    Account,
    AuditEntry,
    Author,
    Changes,
    Flag,
    IncomingItem,
    Item,
    ItemKind,
    ItemRow,
    Moderation,
    Note,
    Platform,
    QueueState,
    Status,
    Verdict,
    View,
    from_millis,
    to_millis,
    utcnow,
)
from cmdesk.core.query import PAGE_SIZE, InboxQuery, Keyset
from cmdesk.core.text import clean_name, clean_text
from cmdesk.store import audit as audit_log
from cmdesk.store.engine import create_sqlite_engine, translate_error, writer
from cmdesk.store.errors import InvalidInput, NotFoundError
from cmdesk.store.inbox import InboxFilter, page_statement, row_from
from cmdesk.store.migrate import upgrade
from cmdesk.store.schema import account, author, item, item_tag, note, sync_state, tag, thread, view_count

log = logging.getLogger("cmdesk.store")

UNCHANGED = object()  # "leave the sync cursor as it is"
_PARAM_CHUNK = 500  # stay well under SQLite's limit on bound parameters
MAX_TEXT_CHARS = 200_000  # a 100 KB comment is kept whole; a 50 MB one is not


@dataclass(frozen=True, slots=True)
class IngestResult:
    new_ids: tuple[int, ...] = ()
    updated: int = 0
    skipped: int = 0

    @property
    def changes(self) -> Changes:
        # New rows are read fresh where they are shown; ``items`` is for rows that changed (a
        # busy sync listed thousands, and the list re-read the ones it had just inserted).
        new = frozenset(self.new_ids)
        return Changes(new=new, new_items=bool(new), counts=bool(new))


@dataclass(frozen=True, slots=True)
class IngestBatch:
    """One batch for ``Store.ingest_many``: the arguments of ``Store.ingest``."""

    account_id: int
    items: Sequence[IncomingItem]
    cursor: object = UNCHANGED
    judge: Callable[[IncomingItem, bool], Verdict | None] | None = None
    on_new: Callable[[Connection, list[tuple[int, IncomingItem, Verdict | None]]], None] | None = None


@dataclass(frozen=True, slots=True)
class Counts:
    """Sidebar badges: unread (``new``) items per view and per account."""

    views: dict[View, int] = field(default_factory=dict)
    unread_by_account: dict[int, int] = field(default_factory=dict)
    total_by_account: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SyncState:
    account_id: int
    cursor: str | None
    last_attempt_at: int | None
    last_success_at: int | None
    error: str
    needs_signin: bool
    items_synced: int


def _chunks(values: Sequence, size: int = _PARAM_CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class Store:
    """A CMDesk history in one SQLite file."""

    def __init__(self, path: Path, *, backups: Path | None = None, migrate: bool = True):
        self.path = Path(path)
        self.engine = create_sqlite_engine(self.path)
        self._writer = writer(self.engine)
        self.last_backup: str | None = None
        self._author_ids: dict[tuple[int, str], int] = {}
        self._thread_ids: dict[tuple[int, str], int] = {}
        if migrate:
            self.last_backup = upgrade(self.engine, self.path, backups or self.path.parent / "backups")

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        try:
            with self.engine.connect() as conn:
                # Bounded: on SQLite < 3.46 a plain optimize may ANALYZE a million rows at exit.
                conn.exec_driver_sql("PRAGMA analysis_limit=400")
                conn.exec_driver_sql("PRAGMA optimize")
        except DBAPIError:
            pass
        self.engine.dispose()

    # -- transactions

    @contextmanager
    def read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except DBAPIError as exc:
            raise (translate_error(exc, self.path) or exc) from exc

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction; it commits at the end of the block or rolls back on error."""
        try:
            with self._writer.begin() as conn:
                yield conn
        except DBAPIError as exc:
            raise (translate_error(exc, self.path) or exc) from exc

    # -- accounts

    def add_account(
        self, platform: Platform, name: str, *, handle: str = "", base_url: str = "", settings: dict | None = None
    ) -> Account:
        name = clean_name(name)
        if not name:
            raise InvalidInput("An account needs a name.")
        try:
            with self.write() as conn:
                account_id = conn.execute(
                    insert(account).values(
                        uid=str(uuid.uuid4()),
                        platform=str(platform),
                        name=name,
                        handle=handle,
                        base_url=base_url,
                        settings=json.dumps(settings or {}),
                        created_at=to_millis(utcnow()),
                    )
                ).inserted_primary_key[0]
                conn.execute(insert(sync_state).values(account_id=account_id))
        except IntegrityError as exc:
            raise InvalidInput(f"An account named “{name}” already exists.") from exc
        return self.account(account_id)

    @staticmethod
    def _account_from(row) -> Account:
        return Account(
            id=row.id,
            platform=Platform(row.platform),
            name=row.name,
            handle=row.handle,
            base_url=row.base_url,
            enabled=bool(row.enabled),
            settings=json.loads(row.settings or "{}"),
        )

    def accounts(self) -> list[Account]:
        with self.read() as conn:
            return [self._account_from(r) for r in conn.execute(select(account).order_by(account.c.name))]

    def account(self, account_id: int) -> Account:
        with self.read() as conn:
            row = conn.execute(select(account).where(account.c.id == account_id)).first()
        if row is None:
            raise NotFoundError(f"There is no account #{account_id}.")
        return self._account_from(row)

    def account_by_name(self, name: str) -> Account:
        with self.read() as conn:
            row = conn.execute(select(account).where(account.c.name == name)).first()
        if row is None:
            raise NotFoundError(f"There is no account named “{name}”.")
        return self._account_from(row)

    def account_uid(self, account_id: int) -> str:
        with self.read() as conn:
            uid = conn.execute(select(account.c.uid).where(account.c.id == account_id)).scalar()
        if uid is None:
            raise NotFoundError(f"There is no account #{account_id}.")
        return uid

    def update_account(self, account_id: int, **values) -> Account:
        if "settings" in values:
            values["settings"] = json.dumps(values["settings"])
        if "platform" in values:
            values["platform"] = str(values["platform"])
        with self.write() as conn:
            conn.execute(update(account).where(account.c.id == account_id).values(**values))
        return self.account(account_id)

    def remove_account(self, account_id: int) -> None:
        """Delete an account with its whole history (the caller has asked the user)."""
        with self.write() as conn:
            conn.execute(delete(account).where(account.c.id == account_id))
            conn.execute(delete(view_count).where(view_count.c.account_id == account_id))
        self._author_ids = {k: v for k, v in self._author_ids.items() if k[0] != account_id}
        self._thread_ids = {k: v for k, v in self._thread_ids.items() if k[0] != account_id}

    # -- sync state

    def sync_state(self, account_id: int) -> SyncState:
        with self.read() as conn:
            row = conn.execute(select(sync_state).where(sync_state.c.account_id == account_id)).first()
        if row is None:
            raise NotFoundError(f"There is no account #{account_id}.")
        return SyncState(
            row.account_id,
            row.cursor,
            row.last_attempt_at,
            row.last_success_at,
            row.error,
            bool(row.needs_signin),
            row.items_synced,
        )

    def record_sync_outcome(self, account_id: int, *, error: str = "", needs_signin: bool = False) -> None:
        now = to_millis(utcnow())
        values = {"last_attempt_at": now, "error": error, "needs_signin": needs_signin}
        if not error:
            values["last_success_at"] = now
        with self.write() as conn:
            conn.execute(update(sync_state).where(sync_state.c.account_id == account_id).values(**values))

    def clear_sync_problem(self, account_id: int) -> None:
        """After a new sign-in: forget the error and the "needs sign-in" flag (not a successful sync)."""
        with self.write() as conn:
            conn.execute(
                update(sync_state).where(sync_state.c.account_id == account_id).values(error="", needs_signin=False)
            )

    # -- ingest

    def ingest(
        self,
        account_id: int,
        incoming: Iterable[IncomingItem],
        *,
        cursor: object = UNCHANGED,
        judge: Callable[[IncomingItem, bool], Verdict | None] | None = None,
        on_new: Callable[[Connection, list[tuple[int, IncomingItem, Verdict | None]]], None] | None = None,
    ) -> IngestResult:
        """Store a batch of fetched items and, in the same transaction, the cursor that covers them.

        Idempotent on ``(account, platform item id)``: a second delivery updates what the platform
        may change (text of an edit, moderation, author name) and never the local state
        (status, tags, notes). ``judge(entry, author_is_new)`` decides about items seen for the
        first time (``author_is_new``: this batch is the first time the account sees the author);
        ``on_new`` runs inside the transaction (the outbox uses it for automatic actions).
        """
        return self.ingest_many([IngestBatch(account_id, list(incoming), cursor, judge, on_new)])[0]

    def ingest_many(self, batches: Sequence[IngestBatch]) -> list[IngestResult]:
        """``ingest`` for several batches, of one account or several, in one transaction: all
        are stored with their cursors, or none is. The sync groups the pages that wait for the
        writer this way (one commit instead of one per page)."""
        try:
            return self._ingest_all(batches, to_millis(utcnow()))
        except BaseException:
            # Rolled back: the author and thread caches may name rows that no longer exist
            # (every later batch from those authors failed on a foreign key, until a restart).
            self._author_ids.clear()
            self._thread_ids.clear()
            raise

    def _ingest_all(self, batches: Sequence[IngestBatch], now: int) -> list[IngestResult]:
        results = []
        with self.write() as conn:
            for batch in batches:
                items = self._dedupe(batch.items)
                result = self._ingest(conn, batch.account_id, items, now, batch.judge, batch.on_new)
                if batch.cursor is not UNCHANGED or result.new_ids:
                    # Plain SQL: built from SQLAlchemy expressions at every page, this statement
                    # took 190 µs (11 µs as text), what storing four of the page's items takes.
                    sets, values = "items_synced = items_synced + ?", [len(result.new_ids)]
                    if batch.cursor is not UNCHANGED:
                        sets, values = sets + ", cursor = ?", [*values, batch.cursor]
                    statement = f"UPDATE sync_state SET {sets} WHERE account_id = ?"
                    conn.exec_driver_sql(statement, (*values, batch.account_id))
                results.append(result)
        return results

    @staticmethod
    def _dedupe(incoming: Iterable[IncomingItem]) -> list[IncomingItem]:
        latest: dict[str, IncomingItem] = {}
        for entry in incoming:
            latest[entry.platform_item_id] = entry  # a later copy in the same batch wins
        return list(latest.values())

    def _ingest(self, conn, account_id, items, now, judge, on_new) -> IngestResult:
        if not items:
            return IngestResult()
        author_ids, new_authors = self._resolve_authors(conn, account_id, items, now)
        thread_ids = self._resolve_threads(conn, account_id, items)
        inherited = self._parent_threads(conn, account_id, items)
        existing: set[str] = set()
        for chunk in _chunks([i.platform_item_id for i in items]):
            existing.update(
                conn.exec_driver_sql(
                    f"SELECT platform_item_id FROM item WHERE account_id = ? AND platform_item_id IN ({_marks(chunk)})",
                    (account_id, *chunk),
                ).scalars()
            )
        # New rows get their ids here (max + 1, as SQLite would; the write lock is ours), so they
        # need no second lookup, and go in with a plain INSERT; known ones take the upsert.
        next_id = (conn.exec_driver_sql("SELECT max(id) FROM item").scalar() or 0) + 1
        prepare = getattr(judge, "prepare", None)
        if prepare is not None:  # a judge may look at the batch's new items together first
            prepare([e for e in items if e.platform_item_id not in existing and not e.is_own])
        fresh, known = [], []
        new_ids: list[tuple[int, IncomingItem, Verdict | None]] = []
        for entry in items:
            thread_id = inherited.get(entry.platform_item_id, thread_ids.get(entry.thread_platform_id))
            if entry.platform_item_id in existing:
                known.append(self._item_row(account_id, entry, author_ids, thread_id, now, None))
                continue
            is_new = entry.author.platform_author_id in new_authors
            verdict = judge(entry, is_new) if judge and not entry.is_own else None
            fresh.append((next_id, *self._item_row(account_id, entry, author_ids, thread_id, now, verdict)))
            new_ids.append((next_id, entry, verdict))
            next_id += 1
        _insert_rows(conn, _INSERT_ITEM, fresh)
        _insert_rows(conn, _UPSERT_ITEM, known)
        tagged = [
            (row_id, to_millis(entry.created_at), self.normalise_tag(name))
            for row_id, entry, verdict in new_ids
            if verdict
            for name in verdict.tags
        ]
        if tagged:  # the rules' tags: three statements per batch, whatever the number of tags
            names = sorted({name for _, _, name in tagged})
            conn.exec_driver_sql("INSERT OR IGNORE INTO tag(name) VALUES (?)", [(name,) for name in names])
            tag_ids = {}
            for chunk in _chunks(names):
                found = conn.exec_driver_sql(f"SELECT name, id FROM tag WHERE name IN ({_marks(chunk)})", tuple(chunk))
                tag_ids.update((name, tag_id) for name, tag_id in found)
            conn.exec_driver_sql(
                "INSERT OR IGNORE INTO item_tag(item_id, tag_id, created_at) VALUES (?, ?, ?)",
                [(row_id, tag_ids[name], created) for row_id, created, name in tagged],
            )
        if on_new and new_ids:
            on_new(conn, new_ids)
        return IngestResult(tuple(i for i, _, _ in new_ids), updated=len(known))

    def _resolve_authors(self, conn, account_id, items, now) -> tuple[dict[str, int], set[str]]:
        """Author ids for a batch, and which authors this batch is the first to bring; writes only
        authors that are new or whose name, handle or url changed.

        The cache holds each author's id and facts as last written, so a known author costs no SQL.
        """
        seen: dict[str, IncomingItem] = {}
        for entry in items:
            seen[entry.author.platform_author_id] = entry
        ids: dict[str, int] = {}
        new: set[str] = set()
        rows, written = [], []
        for pid, e in seen.items():
            facts = (clean_name(e.author.display_name), clean_name(e.author.handle), e.author.url)
            cached = self._author_ids.get((account_id, pid))
            if cached is not None and cached[1] == facts:
                ids[pid] = cached[0]
                continue
            rows.append((account_id, pid, *facts, now))
            written.append(pid)
        if not rows:
            return ids, new
        conn.exec_driver_sql(_UPSERT_AUTHOR, rows)
        facts_of = {row[1]: row[2:5] for row in rows}
        if len(self._author_ids) > 200_000:
            self._author_ids.clear()  # bounded memory on huge imports; ids are re-read when needed
        for chunk in _chunks(written):
            for row_id, pid, first_seen in conn.exec_driver_sql(
                "SELECT id, platform_author_id, first_seen_at FROM author WHERE account_id = ? "
                f"AND platform_author_id IN ({_marks(chunk)})",
                (account_id, *chunk),
            ):
                ids[pid] = row_id
                self._author_ids[(account_id, pid)] = (row_id, facts_of[pid])
                if first_seen == now:  # inserted just now (an update keeps the first time)
                    new.add(pid)
        return ids, new

    @staticmethod
    def _parent_threads(conn, account_id, items) -> dict[str, int]:
        """Thread ids inherited from stored parents: a reply joins its parent's conversation.

        (Mastodon only knows a status's parent; without this, our answer to a comment would sit in
        a thread of its own instead of under the comment.) Returns platform item id -> thread id.
        """
        parents = {i.parent_platform_id for i in items if i.parent_platform_id}
        if not parents:
            return {}
        parent_thread: dict[str, int] = {}
        for chunk in _chunks(sorted(parents)):
            for pid, tid in conn.execute(
                select(item.c.platform_item_id, item.c.thread_id).where(
                    item.c.account_id == account_id, item.c.platform_item_id.in_(chunk), item.c.thread_id.is_not(None)
                )
            ):
                parent_thread[pid] = tid
        return {
            i.platform_item_id: parent_thread[i.parent_platform_id]
            for i in items
            if i.parent_platform_id in parent_thread
        }

    def _resolve_threads(self, conn, account_id, items) -> dict[str, int]:
        titles: dict[str, str] = {}
        for entry in items:
            if entry.thread_platform_id:
                titles.setdefault(entry.thread_platform_id, entry.thread_title)
        if not titles:
            return {}
        missing = [t for t in titles if (account_id, t) not in self._thread_ids]
        if missing:
            if len(self._thread_ids) > 200_000:
                self._thread_ids.clear()  # bounded memory; ids are re-read when needed
            conn.exec_driver_sql(
                "INSERT INTO thread(account_id, platform_thread_id, title) VALUES (?, ?, ?) "
                "ON CONFLICT(account_id, platform_thread_id) DO NOTHING",
                [(account_id, t, clean_text(titles[t])[:500]) for t in missing],
            )
            for chunk in _chunks(missing):
                for row_id, pid in conn.exec_driver_sql(
                    "SELECT id, platform_thread_id FROM thread WHERE account_id = ? "
                    f"AND platform_thread_id IN ({_marks(chunk)})",
                    (account_id, *chunk),
                ):
                    self._thread_ids[(account_id, pid)] = row_id
        return {t: self._thread_ids[(account_id, t)] for t in titles if (account_id, t) in self._thread_ids}

    @staticmethod
    def _item_row(account_id, e: IncomingItem, author_ids, thread_id, now, verdict: Verdict | None) -> tuple:
        text = clean_text(e.text)
        if len(text) > MAX_TEXT_CHARS:
            text = text[:MAX_TEXT_CHARS] + "\n[…]"
        status = Status.DONE if e.is_own else Status.NEW
        queue, flag = QueueState.NONE, None
        priority = 0
        if verdict is not None:
            flag = verdict.flag
            if verdict.status is not None:
                status = verdict.status
            if flag is not None:
                queue = QueueState.PENDING
            priority = verdict.priority
        return (
            account_id,
            e.platform_item_id,
            thread_id,
            e.parent_platform_id,
            author_ids[e.author.platform_author_id],
            clean_name(e.author.display_name),
            clean_name(e.author.handle),
            int(e.kind),
            int(status),
            int(e.moderation),
            int(queue),
            priority,
            flag.severity if flag else 0,
            int(e.is_own),
            to_millis(e.created_at),
            now,
            text,
            e.lang[:16],
            e.url[:1000],
            e.original[:MAX_TEXT_CHARS] if e.original != e.text else "",
            e.ref,
            flag.reason if flag else "",
            json.dumps(list(flag.terms), ensure_ascii=False) if flag else "",
            flag.rule if flag else "",
        )

    # -- reading pages

    def _platform_accounts(self, query: InboxQuery) -> list[int] | None:
        if query.platform is None or query.account_id is not None:
            return None
        with self.read() as conn:
            return list(conn.execute(select(account.c.id).where(account.c.platform == str(query.platform))).scalars())

    def inbox_filter(self, query: InboxQuery) -> InboxFilter:
        return InboxFilter(query, self._platform_accounts(query))

    def page(
        self, query: InboxQuery | InboxFilter, after: Keyset | None = None, limit: int = PAGE_SIZE
    ) -> list[ItemRow]:
        """One page of rows, newest first, strictly older than ``after``."""
        flt = query if isinstance(query, InboxFilter) else self.inbox_filter(query)
        if flt.empty:
            return []
        with self.read() as conn:
            return [row_from(r) for r in conn.execute(page_statement(flt, after, limit))]

    def newer(self, query: InboxQuery | InboxFilter, than: Keyset, limit: int = 500) -> list[ItemRow]:
        """Rows newer than ``than`` (arrived since the list was loaded), newest first."""
        flt = query if isinstance(query, InboxFilter) else self.inbox_filter(query)
        if flt.empty:
            return []
        with self.read() as conn:
            rows = [row_from(r) for r in conn.execute(page_statement(flt, None, limit, newer_than=than))]
        rows.reverse()
        return rows

    def matching(self, query: InboxQuery | InboxFilter, ids: Iterable[int]) -> set[int]:
        """Which of ``ids`` the query admits (after a change, to drop rows that left the view)."""
        flt = query if isinstance(query, InboxFilter) else self.inbox_filter(query)
        ids = list(ids)
        if flt.empty or not ids:
            return set()
        found: set[int] = set()
        with self.read() as conn:
            for chunk in _chunks(ids):
                found.update(conn.execute(select(item.c.id).where(flt.where(), item.c.id.in_(chunk))).scalars())
        return found

    def rows(self, ids: Iterable[int]) -> dict[int, ItemRow]:
        """Fresh list rows for ``ids`` (to redraw rows an operation changed)."""
        from cmdesk.store.inbox import ROW_COLUMNS

        out: dict[int, ItemRow] = {}
        with self.read() as conn:
            for chunk in _chunks(list(ids)):
                for record in conn.execute(select(*ROW_COLUMNS).where(item.c.id.in_(chunk))):
                    out[record[0]] = row_from(record)
        return out

    def iter_rows(self, query: InboxQuery, batch: int = 1000) -> Iterator[ItemRow]:
        """Every row of a query, newest first, a page at a time (constant memory)."""
        flt = self.inbox_filter(query)
        after = None
        while True:
            rows = self.page(flt, after, batch)
            yield from rows
            if len(rows) < batch:
                return
            after = rows[-1].key

    def iter_items(self, query: InboxQuery, batch: int = 500) -> Iterator[Item]:
        """Every full item of a query (for exports), a page at a time."""
        for rows in _batched(self.iter_rows(query, batch), batch):
            yield from self.items([r.id for r in rows])

    # -- one item

    def item(self, item_id: int) -> Item:
        found = self.items([item_id])
        if not found:
            raise NotFoundError(f"Item #{item_id} does not exist (any more).")
        return found[0]

    def authors_first_items(self, ids: Sequence[int]) -> set[int]:
        """Which of ``ids`` are their author's first stored item (the "new author" of the rules,
        judged on history): one probe of the (author, time) index per item."""
        found: set[int] = set()
        with self.read() as conn:
            for chunk in _chunks(list(ids)):
                found.update(
                    conn.exec_driver_sql(
                        f"SELECT i.id FROM item AS i WHERE i.id IN ({_marks(chunk)}) AND NOT EXISTS ("
                        "SELECT 1 FROM item AS e WHERE e.author_id = i.author_id AND e.created_at <= i.created_at "
                        "AND (e.created_at < i.created_at OR e.id < i.id))",
                        tuple(chunk),
                    ).scalars()
                )
        return found

    def items(self, ids: Sequence[int]) -> list[Item]:
        """Full items in the order of ``ids`` (missing ones are left out)."""
        if not ids:
            return []
        columns = [
            item,
            author.c.platform_author_id,
            author.c.display_name.label("a_name"),
            author.c.handle.label("a_handle"),
            author.c.url.label("a_url"),
            thread.c.platform_thread_id,
        ]
        by_id = {}
        tags_by_id: dict[int, list[str]] = {}
        with self.read() as conn:
            for chunk in _chunks(list(ids)):
                stmt = (
                    select(*columns)
                    .join(author, author.c.id == item.c.author_id)
                    .outerjoin(thread, thread.c.id == item.c.thread_id)
                    .where(item.c.id.in_(chunk))
                )
                for row in conn.execute(stmt):
                    by_id[row.id] = row
                for item_id, name in conn.execute(
                    select(item_tag.c.item_id, tag.c.name)
                    .join(tag, tag.c.id == item_tag.c.tag_id)
                    .where(item_tag.c.item_id.in_(chunk))
                    .order_by(tag.c.name)
                ):
                    tags_by_id.setdefault(item_id, []).append(name)
        return [self._item_from(by_id[i], tags_by_id.get(i, ())) for i in ids if i in by_id]

    @staticmethod
    def _item_from(row, tags) -> Item:
        flag = None
        if row.flag_reason:
            terms = tuple(json.loads(row.flag_terms)) if row.flag_terms else ()
            flag = Flag(row.flag_reason, terms, row.flag_rule, row.severity)
        return Item(
            id=row.id,
            account_id=row.account_id,
            platform_item_id=row.platform_item_id,
            thread_id=row.thread_id,
            parent_platform_id=row.parent_platform_id,
            kind=ItemKind(row.kind),
            status=Status(row.status),
            moderation=Moderation(row.moderation),
            queue=QueueState(row.queue),
            created_at=from_millis(row.created_at),
            text=row.text,
            author=Author(
                row.author_id,
                row.account_id,
                row.platform_author_id,
                row.author_name or row.a_name,
                row.author_handle or row.a_handle,
                row.a_url,
            ),
            url=row.url,
            lang=row.lang,
            is_own=bool(row.is_own),
            flag=flag,
            tags=tuple(tags),
            original=row.original,
            ref=row.ref,
            thread_platform_id=row.platform_thread_id or "",
        )

    def thread_rows(self, the_item: Item, limit: int = 100) -> list[ItemRow]:
        """The conversation around an item, oldest first: its thread, or its parent chain.

        In a thread longer than ``limit``, the ``limit`` messages around the item: up to half
        before it (it included), the rest after, so that an early reply in a busy thread is
        shown among its neighbours rather than left out of the newest ones."""
        from cmdesk.store.inbox import ROW_COLUMNS

        with self.read() as conn:
            if the_item.thread_id is not None:
                key, at = tuple_(item.c.created_at, item.c.id), (to_millis(the_item.created_at), the_item.id)
                in_thread = select(*ROW_COLUMNS).where(item.c.thread_id == the_item.thread_id).limit(limit)
                newest_first = in_thread.where(key <= at).order_by(item.c.created_at.desc(), item.c.id.desc())
                before = [row_from(r) for r in conn.execute(newest_first)]
                after = [row_from(r) for r in conn.execute(in_thread.where(key > at).order_by(*key.clauses))]
                # Half the room before it (it included), unless fewer are there; the rest after.
                n_after = min(len(after), limit - min(len(before), limit // 2 or 1))
                n_before = min(len(before), limit - n_after)
                return before[:n_before][::-1] + after[:n_after]
            chain = [the_item.id]
            parent = the_item.parent_platform_id
            while parent and len(chain) < 50:
                found = conn.execute(
                    select(item.c.id, item.c.parent_platform_id).where(
                        item.c.account_id == the_item.account_id, item.c.platform_item_id == parent
                    )
                ).first()
                if found is None:
                    break
                chain.append(found.id)
                parent = found.parent_platform_id
        rows = self.rows(chain)
        return sorted(rows.values(), key=lambda r: r.key)

    def author_rows(self, author_id: int, *, exclude: int | None = None, limit: int = 20) -> list[ItemRow]:
        """An author's earlier items, newest first."""
        from cmdesk.store.inbox import ROW_COLUMNS

        stmt = select(*ROW_COLUMNS).where(item.c.author_id == author_id)
        if exclude is not None:
            stmt = stmt.where(item.c.id != exclude)
        stmt = stmt.order_by(item.c.created_at.desc(), item.c.id.desc()).limit(limit)
        with self.read() as conn:
            return [row_from(r) for r in conn.execute(stmt)]

    def author_item_count(self, author_id: int) -> int:
        with self.read() as conn:
            return conn.execute(select(func.count()).select_from(item).where(item.c.author_id == author_id)).scalar()

    # -- local state: status, tags, notes

    def set_status(self, ids: Sequence[int], status: Status, *, actor: str) -> Changes:
        ids = list(ids)
        with self.write() as conn:
            for chunk in _chunks(ids):
                conn.execute(update(item).where(item.c.id.in_(chunk)).values(status=int(status)))
            audit_log.append_many(
                conn, [dict(actor=actor, action="status", item_id=i, detail=status.name.lower()) for i in ids]
            )
        return Changes(items=frozenset(ids), counts=True)

    def mark_seen(self, item_id: int) -> Changes:
        """Opening a new item makes it "open" (read); no audit row, it is not a decision."""
        with self.write() as conn:
            changed = conn.execute(
                update(item)
                .where(item.c.id == item_id, item.c.status == int(Status.NEW))
                .values(status=int(Status.OPEN))
            ).rowcount
        return Changes(items=frozenset({item_id}), counts=True) if changed else Changes()

    def set_queue(self, ids: Sequence[int], queue: QueueState) -> Changes:
        with self.write() as conn:
            for chunk in _chunks(list(ids)):
                conn.execute(update(item).where(item.c.id.in_(chunk)).values(queue=int(queue)))
        return Changes(items=frozenset(ids), counts=True)

    def set_moderation(self, ids: Sequence[int], moderation: Moderation) -> Changes:
        with self.write() as conn:
            for chunk in _chunks(list(ids)):
                conn.execute(update(item).where(item.c.id.in_(chunk)).values(moderation=int(moderation)))
        return Changes(items=frozenset(ids))

    @staticmethod
    def normalise_tag(name: str) -> str:
        name = " ".join(clean_name(name).split()).strip().lstrip("#")
        if not name:
            raise InvalidInput("A tag needs a name.")
        if len(name) > 80:
            raise InvalidInput("A tag name is at most 80 characters.")
        return name.lower()

    def _tag_rows(self, conn, rows: list[tuple[int, int]], names: Iterable[str]) -> None:
        for name in names:
            name = self.normalise_tag(name)
            conn.execute(insert(tag).values(name=name).prefix_with("OR IGNORE"))
            tag_id = conn.execute(select(tag.c.id).where(tag.c.name == name)).scalar_one()
            conn.exec_driver_sql(
                "INSERT OR IGNORE INTO item_tag(item_id, tag_id, created_at) VALUES (?, ?, ?)",
                [(item_id, tag_id, created) for item_id, created in rows],
            )

    def add_tag(self, ids: Sequence[int], name: str, *, actor: str) -> Changes:
        name = self.normalise_tag(name)
        with self.write() as conn:
            rows = []
            for chunk in _chunks(list(ids)):
                rows += list(conn.execute(select(item.c.id, item.c.created_at).where(item.c.id.in_(chunk))))
            self._tag_rows(conn, [(r[0], r[1]) for r in rows], [name])
            audit_log.append_many(conn, [dict(actor=actor, action="tag", item_id=r[0], detail=name) for r in rows])
        return Changes(items=frozenset(ids), tags=True)

    def remove_tag(self, ids: Sequence[int], name: str, *, actor: str) -> Changes:
        name = self.normalise_tag(name)
        with self.write() as conn:
            tag_id = conn.execute(select(tag.c.id).where(tag.c.name == name)).scalar()
            if tag_id is None:
                return Changes()
            for chunk in _chunks(list(ids)):
                conn.execute(delete(item_tag).where(item_tag.c.tag_id == tag_id, item_tag.c.item_id.in_(chunk)))
            audit_log.append_many(conn, [dict(actor=actor, action="untag", item_id=i, detail=name) for i in ids])
        return Changes(items=frozenset(ids), tags=True)

    def tags(self) -> list[tuple[str, int]]:
        """Every tag with how many items carry it, most used first."""
        with self.read() as conn:
            stmt = (
                select(tag.c.name, func.count(item_tag.c.item_id))
                .outerjoin(item_tag, item_tag.c.tag_id == tag.c.id)
                .group_by(tag.c.id)
                .order_by(func.count(item_tag.c.item_id).desc(), tag.c.name)
            )
            return [(name, count) for name, count in conn.execute(stmt)]

    def add_note(self, item_id: int, text: str, *, agent: str) -> Note:
        text = clean_text(text).strip()
        if not text:
            raise InvalidInput("A note cannot be empty.")
        now = to_millis(utcnow())
        with self.write() as conn:
            if conn.execute(select(item.c.id).where(item.c.id == item_id)).first() is None:
                raise NotFoundError(f"Item #{item_id} does not exist (any more).")
            note_id = conn.execute(
                insert(note).values(item_id=item_id, agent=agent, text=text, created_at=now)
            ).inserted_primary_key[0]
            audit_log.append_many(conn, [dict(actor=agent, action="note", item_id=item_id, detail=text[:200])])
        return Note(note_id, item_id, agent, text, from_millis(now))

    def notes(self, item_id: int) -> list[Note]:
        with self.read() as conn:
            rows = conn.execute(select(note).where(note.c.item_id == item_id).order_by(note.c.created_at, note.c.id))
            return [Note(r.id, r.item_id, r.agent, r.text, from_millis(r.created_at)) for r in rows]

    # -- counts and statistics

    def counts(self) -> Counts:
        """Badges from the trigger-kept ``view_count`` table: a few hundred rows, never the items."""
        views = dict.fromkeys(View, 0)
        unread: dict[int, int] = {}
        totals: dict[int, int] = {}
        with self.read() as conn:
            rows = conn.execute(select(view_count).where(view_count.c.n > 0)).all()
        for account_id, kind, status, queue, n in rows:
            totals[account_id] = totals.get(account_id, 0) + n
            if status == Status.NEW:
                unread[account_id] = unread.get(account_id, 0) + n
                views[View.ALL] += n
                if kind == ItemKind.MENTION:
                    views[View.MENTIONS] += n
            if status in (Status.NEW, Status.OPEN):
                views[View.UNANSWERED] += n
            if queue == QueueState.PENDING:
                views[View.MODERATION] += n
            if status == Status.SPAM:
                views[View.SPAM] += n
        return Counts(views, unread, totals)

    def stats(self) -> list[tuple[str, str, int]]:
        """(account name, status name, count) for every non-empty pair."""
        names = {a.id: a.name for a in self.accounts()}
        per: dict[tuple[str, str], int] = {}
        with self.read() as conn:
            for account_id, status, n in conn.execute(
                select(view_count.c.account_id, view_count.c.status, func.sum(view_count.c.n)).group_by(
                    view_count.c.account_id, view_count.c.status
                )
            ):
                if n:
                    key = (names.get(account_id, f"#{account_id}"), Status(status).name.lower())
                    per[key] = per.get(key, 0) + n
        return sorted((a, s, n) for (a, s), n in per.items())

    def item_count(self) -> int:
        with self.read() as conn:
            return conn.execute(select(func.coalesce(func.sum(view_count.c.n), 0))).scalar()

    # -- audit

    def audit_entries(self, *, item_id: int | None = None, limit: int = 200) -> list[AuditEntry]:
        return audit_log.entries(self, item_id=item_id, limit=limit)

    def append_audit(self, **entry) -> None:
        with self.write() as conn:
            audit_log.append_many(conn, [entry])


def _batched(iterable: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for value in iterable:
        chunk.append(value)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_UPSERT_AUTHOR = """
INSERT INTO author(account_id, platform_author_id, display_name, handle, url, first_seen_at)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT(account_id, platform_author_id) DO UPDATE SET
    display_name = excluded.display_name, handle = excluded.handle, url = excluded.url
WHERE author.display_name IS NOT excluded.display_name OR author.handle IS NOT excluded.handle
   OR author.url IS NOT excluded.url
"""

# Local state (status, queue, tags, notes) is never overwritten by a second delivery; the
# platform's own facts are. Moderation only moves forward (visible -> hidden -> deleted).
_ITEM_COLUMNS = (
    "account_id, platform_item_id, thread_id, parent_platform_id, author_id, author_name, author_handle, kind, "
    "status, moderation, queue, priority, severity, is_own, created_at, fetched_at, text, lang, url, original, ref, "
    "flag_reason, flag_terms, flag_rule"
)
_UPSERT_ITEM = (
    f"INSERT INTO item({_ITEM_COLUMNS}) VALUES {{rows}}",
    """
ON CONFLICT(account_id, platform_item_id) DO UPDATE SET
    text = excluded.text, author_name = excluded.author_name, author_handle = excluded.author_handle,
    moderation = max(item.moderation, excluded.moderation), url = excluded.url, original = excluded.original,
    ref = excluded.ref, lang = excluded.lang, thread_id = coalesce(excluded.thread_id, item.thread_id),
    parent_platform_id = excluded.parent_platform_id, fetched_at = excluded.fetched_at
WHERE item.text IS NOT excluded.text OR item.author_name IS NOT excluded.author_name
   OR item.author_handle IS NOT excluded.author_handle OR item.moderation < excluded.moderation
   OR item.url IS NOT excluded.url OR item.ref IS NOT excluded.ref
   OR item.thread_id IS NOT coalesce(excluded.thread_id, item.thread_id)
""",
)
_INSERT_ITEM = (f"INSERT INTO item(id, {_ITEM_COLUMNS}) VALUES {{rows}}", "")
# Rows go in many to a statement, not one statement per row (executemany): SQLite opens a
# statement savepoint for each statement that fires triggers, and FTS5 writes its pending
# index data to disk at every savepoint — one tiny segment per item, then merges. Measured
# on the benchmark's history (benchmarks/run.py): ingest 4x faster. Up to 100 rows a
# statement, fewer where SQLite allows fewer bound parameters (999 before 3.32).
_ROWS_PER_STATEMENT = 100


def _marks(values: Sequence) -> str:
    return ", ".join("?" * len(values))


def _insert_rows(conn: Connection, statement: tuple[str, str], rows: list[tuple]) -> None:
    """Run ``INSERT … VALUES {rows} <tail>`` over ``rows``, many rows per statement."""
    if not rows:
        return
    head, tail = statement
    bind_limit = conn.connection.driver_connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per_statement = max(1, min(_ROWS_PER_STATEMENT, bind_limit // len(rows[0])))
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        one = "(" + _marks(chunk[0]) + ")"
        sql = head.format(rows=", ".join([one] * len(chunk))) + tail
        conn.exec_driver_sql(sql, tuple(value for row in chunk for value in row))
