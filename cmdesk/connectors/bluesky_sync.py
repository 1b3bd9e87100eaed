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
- ``floor``: the oldest time the first sync took in (its bounded backlog); nothing older is
  ever delivered.

The cursor is a compact JSON object: ``{"v":1,"at":…,"uri":…,"seen":[…],"floor":…}``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from cmdesk.connectors.bluesky_text import parse_datetime
from cmdesk.core.models import IncomingItem

log = logging.getLogger("cmdesk.connectors.bluesky")

OVERLAP = timedelta(minutes=15)
MAX_SEEN = 500  # hashes kept in a cursor (an account with more items per 15 minutes loses some overlap)


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

    @property
    def key(self) -> tuple[str, str]:
        return (self.at, self.uri)

    @property
    def window_start(self) -> str:
        return shift(self.at, -OVERLAP)

    def encode(self) -> str:
        data = {"v": 1, "at": self.at, "uri": self.uri, "seen": sorted(self.seen)}
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
        except (ValueError, KeyError, TypeError, AttributeError):
            at = None
        if not at or not isinstance(uri, str):
            log.warning("Bluesky: the stored sync cursor is not readable; starting a fresh sync")
            return None
        return cls(at, uri, seen, floor or "")

    def is_new(self, entry: Entry) -> bool:
        if self.floor and entry.at < self.floor:
            return False
        if entry.key > self.key:
            return True
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
    seen = frozenset(seen_hash(e.uri) for e in delivered[:MAX_SEEN])
    return SyncCursor(at, uri, seen, floor or (cursor.floor if cursor else ""))
