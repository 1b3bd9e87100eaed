"""The durable outbox: replies and moderation actions are written down before anything is sent.

Life of an entry::

    PENDING --(worker marks it)--> SENDING --(platform said yes)--> SENT
       ^                              |--(network, 5xx, 429)--> PENDING again, later
       |                              |--(404: target gone)----> OBSOLETE
       |                              '--(403, 422, too long)--> FAILED   (retry / edit / discard)
       '------------------- retry / edit ----------------------------'

``SENDING`` is written (and committed) before the platform is called. An entry found in
``SENDING`` at start-up was interrupted between "sent" and "recorded": the worker asks the
platform whether the reply already exists (``Connector.find_reply``, matching the
idempotency key, or the text of a reply posted since the entry was written that no other
entry accounts for) instead of posting twice. Moderation verbs are sent again: hiding,
blocking or banning twice does it once; a delete that now finds nothing to delete did its
work before the crash, and is recorded as done. A report sent again may reach the
platform's moderators twice: no platform lets a user list the reports they filed, and a
second copy of a report is better than none.

Every moderation action writes an audit row when it is requested (who, why, which rule) and
another when the platform confirms or refuses it.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from sqlalchemy import and_, insert, or_, select, update

from cmdesk.connectors.base import (
    AuthExpired,
    Connector,
    ConnectorError,
    NotFound,
    Permanent,
    RateLimited,
    Target,
    Transient,
    Verb,
)
from cmdesk.core.models import Changes, Item, Moderation, QueueState, Status, from_millis, to_millis, utcnow
from cmdesk.services.sync import is_offline_error
from cmdesk.store import audit
from cmdesk.store.errors import NotFoundError
from cmdesk.store.schema import item as item_table
from cmdesk.store.schema import outbox

log = logging.getLogger("cmdesk.outbox")

MAX_ATTEMPTS = 12
BACKOFF_CAP_S = 3600
# A reply found by its text counts if the platform dated it at most this long before the entry
# was written (our clock and the platform's may disagree by a few minutes).
CLOCK_SKEW_MS = 5 * 60 * 1000


class State(IntEnum):
    PENDING = 0
    SENDING = 1
    SENT = 2
    FAILED = 3
    OBSOLETE = 4
    DISCARDED = 5


ACTIVE = (State.PENDING, State.SENDING)
# What the item looks like locally once the platform confirmed a verb.
_MODERATION_AFTER = {Verb.HIDE: Moderation.HIDDEN, Verb.DELETE: Moderation.DELETED, Verb.UNHIDE: Moderation.VISIBLE}


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    key: str
    account_id: int
    item_id: int | None
    verb: Verb
    payload: dict
    state: State
    attempts: int
    next_attempt_at: int
    last_error: str
    result: str
    actor: str
    rule: str
    created_at: int

    @property
    def text(self) -> str:
        return self.payload.get("text", "")


def _entry(row) -> Entry:
    return Entry(
        row.id,
        row.key,
        row.account_id,
        row.item_id,
        Verb(row.verb),
        json.loads(row.payload or "{}"),
        State(row.state),
        row.attempts,
        row.next_attempt_at,
        row.last_error,
        row.result,
        row.actor,
        row.rule,
        row.created_at,
    )


def target_of(entry_item: Item) -> Target:
    return Target(
        platform_item_id=entry_item.platform_item_id,
        kind=entry_item.kind,
        author_platform_id=entry_item.author.platform_author_id,
        thread_platform_id=entry_item.thread_platform_id,
        parent_platform_id=entry_item.parent_platform_id,
        ref=entry_item.ref,
        text=entry_item.text,
    )


def backoff_ms(attempts: int) -> int:
    """30 s, 1 min, 2 min … capped at an hour."""
    return int(min(BACKOFF_CAP_S, 30 * 2 ** max(0, attempts - 1)) * 1000)


class Outbox:
    """The outbox table of one store, and the worker step that sends what is due."""

    def __init__(self, store, clock: Callable[[], int] | None = None):
        self.store = store
        self._now = clock or (lambda: to_millis(utcnow()))

    # -- writing entries (UI and rules)

    def enqueue(
        self, account_id: int, item_id: int | None, verb: Verb, payload: dict, *, actor: str, rule: str = "", conn=None
    ) -> Entry:
        """Write an entry (in ``conn``'s transaction when given, e.g. while ingesting)."""
        now = self._now()
        values = dict(
            key=uuid.uuid4().hex,
            account_id=account_id,
            item_id=item_id,
            verb=str(verb),
            payload=json.dumps(payload, ensure_ascii=False),
            state=int(State.PENDING),
            attempts=0,
            next_attempt_at=now,
            created_at=now,
            updated_at=now,
            actor=actor,
            rule=rule,
        )
        if conn is None:
            with self.store.write() as own:
                return self._insert(own, values, payload)
        return self._insert(conn, values, payload)

    def _insert(self, conn, values: dict, payload: dict) -> Entry:
        entry_id = conn.execute(insert(outbox).values(**values)).inserted_primary_key[0]
        if values["verb"] != Verb.REPLY:
            audit.append_many(
                conn,
                [
                    dict(
                        actor=values["actor"],
                        action=values["verb"],
                        item_id=values["item_id"],
                        account_id=values["account_id"],
                        detail="requested",
                        reason=payload.get("reason", ""),
                        rule=values["rule"],
                    )
                ],
            )
        row = conn.execute(select(outbox).where(outbox.c.id == entry_id)).first()
        return _entry(row)

    def reply(self, item_id: int, text: str, *, actor: str) -> tuple[Entry, Changes]:
        the_item = self.store.item(item_id)
        entry = self.enqueue(the_item.account_id, item_id, Verb.REPLY, {"text": text}, actor=actor)
        return entry, Changes(items=frozenset({item_id}))

    def moderate(self, item_ids, verb: Verb, *, actor: str, reason: str = "", rule: str = "") -> Changes:
        """Queue ``verb`` for each item; the items leave the moderation queue at once (decided)."""
        items = self.store.items(list(item_ids))
        with self.store.write() as conn:
            for entry_item in items:
                self.enqueue(
                    entry_item.account_id, entry_item.id, verb, {"reason": reason}, actor=actor, rule=rule, conn=conn
                )
                if entry_item.queue == QueueState.PENDING:
                    conn.execute(
                        update(item_table)
                        .where(item_table.c.id == entry_item.id)
                        .values(queue=int(QueueState.ACTIONED))
                    )
        return Changes(items=frozenset(i.id for i in items), counts=True)

    # -- reading

    def entries_for_item(self, item_id: int) -> list[Entry]:
        with self.store.read() as conn:
            rows = conn.execute(select(outbox).where(outbox.c.item_id == item_id).order_by(outbox.c.id))
            return [_entry(r) for r in rows]

    def entry(self, entry_id: int) -> Entry:
        with self.store.read() as conn:
            row = conn.execute(select(outbox).where(outbox.c.id == entry_id)).first()
        if row is None:
            raise LookupError(f"Outbox entry #{entry_id} does not exist.")
        return _entry(row)

    def active(self, account_id: int | None = None) -> list[Entry]:
        stmt = select(outbox).where(outbox.c.state.in_([int(s) for s in ACTIVE])).order_by(outbox.c.id)
        if account_id is not None:
            stmt = stmt.where(outbox.c.account_id == account_id)
        with self.store.read() as conn:
            return [_entry(r) for r in conn.execute(stmt)]

    def problems(self) -> list[Entry]:
        with self.store.read() as conn:
            rows = conn.execute(select(outbox).where(outbox.c.state == int(State.FAILED)).order_by(outbox.c.id))
            return [_entry(r) for r in rows]

    def due(self, now: int | None = None, paused: set[int] = frozenset()) -> list[Entry]:
        """Entries to work on now, oldest first: pending ones whose time has come, and interrupted sends."""
        now = self._now() if now is None else now
        stmt = (
            select(outbox)
            .where(
                or_(
                    and_(outbox.c.state == int(State.PENDING), outbox.c.next_attempt_at <= now),
                    outbox.c.state == int(State.SENDING),
                )
            )
            .order_by(outbox.c.id)
        )
        with self.store.read() as conn:
            return [e for e in (_entry(r) for r in conn.execute(stmt)) if e.account_id not in paused]

    def next_due_at(self) -> int | None:
        with self.store.read() as conn:
            return conn.execute(
                select(outbox.c.next_attempt_at)
                .where(outbox.c.state == int(State.PENDING))
                .order_by(outbox.c.next_attempt_at)
                .limit(1)
            ).scalar()

    def send_offline_now(self) -> int:
        """The network is back: entries waiting because it was gone are due at once (not after
        their backoff, which grows to an hour over a long outage). Returns how many."""
        now = self._now()
        with self.store.write() as conn:
            waiting = conn.execute(
                select(outbox.c.id, outbox.c.last_error).where(
                    outbox.c.state == int(State.PENDING), outbox.c.next_attempt_at > now
                )
            ).all()
            ids = [row.id for row in waiting if is_offline_error(row.last_error)]
            if ids:
                conn.execute(update(outbox).where(outbox.c.id.in_(ids)).values(next_attempt_at=now))
        return len(ids)

    # -- user decisions on failed entries

    def retry(self, entry_id: int, text: str | None = None) -> Entry:
        """Send a failed (or obsolete) entry again, optionally with edited text."""
        current = self.entry(entry_id)
        payload = dict(current.payload)
        if text is not None:
            payload["text"] = text
        with self.store.write() as conn:
            conn.execute(
                update(outbox)
                .where(outbox.c.id == entry_id)
                .values(
                    state=int(State.PENDING),
                    attempts=0,
                    next_attempt_at=self._now(),
                    last_error="",
                    payload=json.dumps(payload, ensure_ascii=False),
                    updated_at=self._now(),
                )
            )
        return self.entry(entry_id)

    def discard(self, entry_id: int, *, actor: str) -> Entry:
        current = self.entry(entry_id)
        if current.state == State.SENT:
            raise ValueError("This action was already carried out; it cannot be discarded.")
        with self.store.write() as conn:
            conn.execute(
                update(outbox).where(outbox.c.id == entry_id).values(state=int(State.DISCARDED), updated_at=self._now())
            )
            if current.verb != Verb.REPLY:
                audit.append_many(
                    conn,
                    [
                        dict(
                            actor=actor,
                            action=str(current.verb),
                            item_id=current.item_id,
                            account_id=current.account_id,
                            detail="discarded",
                        )
                    ],
                )
        return self.entry(entry_id)

    # -- the worker step

    def _set(self, entry_id: int, **values) -> None:
        values["updated_at"] = self._now()
        with self.store.write() as conn:
            conn.execute(update(outbox).where(outbox.c.id == entry_id).values(**values))

    def process(self, entry: Entry, connector: Connector) -> Changes:
        """Carry out one entry against its platform; never raises for platform errors."""
        if entry.item_id is None:
            self._set(entry.id, state=int(State.OBSOLETE), last_error="The item was deleted from the history.")
            return Changes()
        try:
            the_item = self.store.item(entry.item_id)
        except NotFoundError:
            self._set(entry.id, state=int(State.OBSOLETE), last_error="The item was deleted from the history.")
            return Changes()
        target = target_of(the_item)
        interrupted = entry.state == State.SENDING
        self._set(entry.id, state=int(State.SENDING), attempts=entry.attempts + 1)
        try:
            if entry.verb == Verb.REPLY:
                posted = self._find_sent_reply(entry, target, connector) if interrupted else None
                if posted is None:
                    posted = connector.reply(target, entry.text, entry.key)
                return self._reply_done(entry, the_item, posted)
            connector.act(entry.verb, target, entry.payload.get("reason", ""))
            return self._action_done(entry, the_item)
        except NotFound as exc:
            if interrupted and entry.verb == Verb.DELETE:  # deleted before the crash: what was asked is done
                return self._action_done(entry, the_item)
            self._finish_failed(entry, State.OBSOLETE, str(exc))
            return Changes(items=frozenset({the_item.id}))
        except (Transient, RateLimited, AuthExpired) as exc:
            attempts = entry.attempts + 1
            if attempts >= MAX_ATTEMPTS and not isinstance(exc, AuthExpired):
                self._finish_failed(entry, State.FAILED, f"Gave up after {attempts} attempts: {exc}")
                return Changes(items=frozenset({the_item.id}))
            wait_ms = int(exc.retry_after * 1000) if isinstance(exc, RateLimited) else backoff_ms(attempts)
            self._set(entry.id, state=int(State.PENDING), next_attempt_at=self._now() + wait_ms, last_error=str(exc))
            if isinstance(exc, AuthExpired):
                raise  # the caller pauses the account until it signs in again
            return Changes()
        except (Permanent, ConnectorError) as exc:
            self._finish_failed(entry, State.FAILED, str(exc))
            return Changes(items=frozenset({the_item.id}))

    def _find_sent_reply(self, entry: Entry, target: Target, connector: Connector):
        """The reply an interrupted entry may have posted: by its key, or by its text if posted
        since the entry was written and not the result of another entry for the same item."""
        with self.store.read() as conn:
            known = frozenset(
                conn.execute(
                    select(outbox.c.result).where(
                        outbox.c.item_id == entry.item_id,
                        outbox.c.verb == str(Verb.REPLY),
                        outbox.c.id != entry.id,
                        outbox.c.result != "",
                    )
                ).scalars()
            )
        since = from_millis(entry.created_at - CLOCK_SKEW_MS)
        return connector.find_reply(target, entry.key, entry.text, since=since, known=known)

    def _reply_done(self, entry: Entry, the_item: Item, posted) -> Changes:
        with self.store.write() as conn:
            conn.execute(
                update(outbox)
                .where(outbox.c.id == entry.id)
                .values(state=int(State.SENT), result=posted.platform_item_id, last_error="", updated_at=self._now())
            )
            if the_item.status in (Status.NEW, Status.OPEN):
                conn.execute(
                    update(item_table).where(item_table.c.id == the_item.id).values(status=int(Status.ANSWERED))
                )
            audit.append_many(
                conn,
                [
                    dict(
                        actor=entry.actor,
                        action="reply",
                        item_id=the_item.id,
                        account_id=entry.account_id,
                        detail=posted.platform_item_id,
                    )
                ],
            )
        own = posted if posted.is_own else _as_own(posted)
        result = self.store.ingest(entry.account_id, [own])
        return Changes(items=frozenset({the_item.id, *result.new_ids}), new_items=bool(result.new_ids), counts=True)

    def _action_done(self, entry: Entry, the_item: Item) -> Changes:
        with self.store.write() as conn:
            conn.execute(
                update(outbox)
                .where(outbox.c.id == entry.id)
                .values(state=int(State.SENT), last_error="", updated_at=self._now())
            )
            after = _MODERATION_AFTER.get(entry.verb)
            if after is not None:
                conn.execute(update(item_table).where(item_table.c.id == the_item.id).values(moderation=int(after)))
            audit.append_many(
                conn,
                [
                    dict(
                        actor=entry.actor,
                        action=str(entry.verb),
                        item_id=the_item.id,
                        account_id=entry.account_id,
                        detail="done",
                        reason=entry.payload.get("reason", ""),
                        rule=entry.rule,
                    )
                ],
            )
        return Changes(items=frozenset({the_item.id}))

    def _finish_failed(self, entry: Entry, state: State, message: str) -> None:
        with self.store.write() as conn:
            conn.execute(
                update(outbox)
                .where(outbox.c.id == entry.id)
                .values(state=int(state), last_error=message, updated_at=self._now())
            )
            if entry.verb != Verb.REPLY:
                audit.append_many(
                    conn,
                    [
                        dict(
                            actor=entry.actor,
                            action=str(entry.verb),
                            item_id=entry.item_id,
                            account_id=entry.account_id,
                            detail=state.name.lower(),
                            reason=message[:500],
                            rule=entry.rule,
                        )
                    ],
                )
        log.warning("outbox entry %s (%s) %s: %s", entry.id, entry.verb, state.name.lower(), message)


def _as_own(posted):
    from dataclasses import replace

    return replace(posted, is_own=True)
