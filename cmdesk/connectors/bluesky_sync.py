"""The Bluesky sync cursor: notifications page backwards, CMDesk delivers forwards.

``app.bsky.notification.listNotifications`` (lexicon ``app/bsky/notification/listNotifications``)
returns the newest notifications first, and its ``cursor`` only leads to *older* pages. Its
``indexedAt`` is the AppView's ``sortAt``, the earlier of the record's ``createdAt`` and the time
it was indexed — so a post from a client whose clock is late can appear slightly *below* items
already seen. The cursor therefore keeps:

- ``at`` / ``uri``: the newest ``(indexedAt, uri)`` already delivered;
- ``seen``: short hashes of the delivered items whose ``indexedAt`` lies within ``OVERLAP`` of
  ``at``; a poll walks down to ``at - OVERLAP`` and delivers what is newer than ``(at, uri)``
  plus what is inside the overlap but not in ``seen``;
- ``edge``: when more than ``MAX_SEEN`` items were delivered inside the overlap (a busy quarter
  of an hour, a catch-up), the ``(indexedAt, uri)`` of the oldest one ``seen`` still holds: the
  overlap then starts there, since nothing older can be told apart from what was delivered;
- ``floor``: the oldest time the first sync took in (its bounded backlog); nothing older is
  ever delivered.

The cursor is a compact JSON object: ``{"v":1,"at":…,"uri":…,"seen":[…],"edge":[…],"floor":…}``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from cmdesk.connectors.bluesky_text import parse_datetime
from cmdesk.core.models import IncomingItem

log = logging.getLogger("cmdesk.connectors.bluesky")

OVERLAP = timedelta(minutes=15)
MAX_SEEN = 500  # hashes kept in a cursor (past that, the overlap shrinks: see ``edge``)
START = "1970-01-01T00:00:00.000000Z"  # before every notification


def sort_key(value: object) -> str | None:
    """An ``indexedAt`` as a fixed-width UTC string, so that string order is time order."""
    moment = parse_datetime(value)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ") if moment else None


def shift(at: str, delta: timedelta) -> str:
    moment = parse_datetime(at)
    return (moment + delta).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if moment else at


def seen_hash(uri: str) -> str:
    return hashlib.sha256(uri.encode()).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Entry:
    """One notification seen during a walk; ``item`` is None when it was malformed (passed over)."""

    at: str
    uri: str
    item: IncomingItem | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.at, self.uri)


@dataclass(frozen=True)
class SyncCursor:
    at: str
    uri: str
    seen: frozenset[str] = field(default_factory=frozenset)
    floor: str = ""
    edge: tuple[str, str] | None = None  # where the overlap starts when ``seen`` could not hold it all

    @property
    def key(self) -> tuple[str, str]:
        return (self.at, self.uri)

    @classmethod
    def from_the_start(cls) -> SyncCursor:
        """The cursor of an account synced while it had no notification: every one is new."""
        return cls(START, "")

    @cached_property
    def window_start(self) -> str:
        return shift(self.at, -OVERLAP)

    def encode(self) -> str:
        data = {"v": 1, "at": self.at, "uri": self.uri, "seen": sorted(self.seen)}
        if self.edge:
            data["edge"] = list(self.edge)
        if self.floor:
            data["floor"] = self.floor
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def decode(cls, text: str | None) -> SyncCursor | None:
        if not text:
            return None
        try:
            data = json.loads(text)
            at, uri = sort_key(data["at"]), data["uri"]
            seen = frozenset(h for h in data.get("seen", []) if isinstance(h, str))
            floor = sort_key(data["floor"]) if data.get("floor") else ""
            edge = data.get("edge")
            edge = (sort_key(edge[0]), edge[1]) if edge else None
            if edge and not (edge[0] and isinstance(edge[1], str)):
                raise ValueError("unreadable edge")
        except (ValueError, KeyError, TypeError, AttributeError, IndexError):
            at = None
        if not at or not isinstance(uri, str):
            log.warning("Bluesky: the stored sync cursor is not readable; starting a fresh sync")
            return None
        return cls(at, uri, seen, floor or "", edge)

    def is_new(self, entry: Entry) -> bool:
        if self.floor and entry.at < self.floor:
            return False
        if entry.key > self.key:
            return True
        if self.edge and entry.key < self.edge:
            return False  # older than what ``seen`` could hold: taken as delivered
        return entry.at >= self.window_start and seen_hash(entry.uri) not in self.seen


def pending(entries: list[Entry], cursor: SyncCursor | None) -> list[Entry]:
    """Entries not delivered yet under ``cursor``, oldest first."""
    ordered = sorted(entries, key=lambda e: e.key)
    return ordered if cursor is None else [e for e in ordered if cursor.is_new(e)]


def advance(cursor: SyncCursor | None, entries: list[Entry], chunk: list[Entry], floor: str = "") -> SyncCursor:
    """The cursor covering everything ``cursor`` covered plus ``chunk``."""
    newest = max((e.key for e in chunk), default=cursor.key if cursor else ("", ""))
    if cursor and cursor.key > newest:
        newest = cursor.key
    at, uri = newest
    start = shift(at, -OVERLAP)
    chunk_uris = {e.uri for e in chunk}
    delivered = [
        e for e in entries if e.at >= start and (e.uri in chunk_uris or (cursor is not None and not cursor.is_new(e)))
    ]
    delivered.sort(key=lambda e: e.key, reverse=True)
    kept = delivered[:MAX_SEEN]
    seen = frozenset(seen_hash(e.uri) for e in kept)
    # Past MAX_SEEN, what falls out of ``seen`` would look new again (and come back at every
    # poll): the overlap starts at the oldest one kept instead.
    edge = kept[-1].key if len(delivered) > MAX_SEEN else None
    if cursor and cursor.edge and cursor.edge >= (start, ""):  # never move back below an edge still in the window
        edge = max(edge, cursor.edge) if edge else cursor.edge
    return SyncCursor(at, uri, seen, floor or (cursor.floor if cursor else ""), edge)
