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
  ever delivered;
- ``looked_back`` / ``lookback_from``: a client clock running more than ``OVERLAP`` late puts
  a new post below the window, where the cursor takes everything as delivered. So once every
  ``LOOKBACK_EVERY_S`` a poll walks down to ``LOOKBACK`` below ``at`` (at most
  ``LOOKBACK_PAGES`` pages past the window, never below ``floor``) and delivers again what lies
  below the window: the store keeps one copy of what it has (sync is idempotent) and adds what
  it missed. ``looked_back`` is when the last look-back ended (Unix seconds); ``lookback_from``
  is the ``(indexedAt, uri)`` a look-back in progress has delivered up to, so that one spread
  over several batches, or cut by a crash, goes on where it stopped.

The cursor is a compact JSON object:
``{"v":1,"at":…,"uri":…,"seen":[…],"edge":[…],"floor":…,"looked_back":…,"lookback_from":[…]}``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import cached_property

from cmdesk.connectors.bluesky_text import parse_datetime
from cmdesk.core.models import IncomingItem

log = logging.getLogger("cmdesk.connectors.bluesky")

OVERLAP = timedelta(minutes=15)
MAX_SEEN = 500  # hashes kept in a cursor (past that, the overlap shrinks: see ``edge``)
LOOKBACK = timedelta(hours=24)  # how late a post can be indexed and still be found
LOOKBACK_EVERY_S = 3600  # a late post shows up within the hour
LOOKBACK_PAGES = 10  # pages read past the window (1,000 notifications): bounded, even when busy
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
    looked_back: int = 0  # when the last look-back ended (Unix seconds; 0: never)
    lookback_from: tuple[str, str] | None = None  # how far a look-back in progress has come

    @property
    def key(self) -> tuple[str, str]:
        return (self.at, self.uri)

    @classmethod
    def from_the_start(cls, now: float) -> SyncCursor:
        """The cursor of an account synced while it had no notification: every one is new."""
        return cls(START, "", looked_back=int(now))

    @cached_property
    def window_start(self) -> str:
        return shift(self.at, -OVERLAP)

    @cached_property
    def lookback_start(self) -> str:
        return max(shift(self.at, -LOOKBACK), self.floor)

    def lookback_due(self, now: float) -> bool:
        return self.lookback_from is not None or now - self.looked_back >= LOOKBACK_EVERY_S

    def to_recheck(self, entry: Entry) -> bool:
        """Is ``entry`` one a look-back delivers again? Those the cursor takes as delivered
        without knowing (below the window or the edge), in the look-back's reach, not yet
        delivered by the look-back in progress."""
        if self.is_new(entry) or entry.at < self.lookback_start:
            return False
        if self.lookback_from and entry.key <= self.lookback_from:
            return False
        return entry.at < self.window_start or (self.edge is not None and entry.key < self.edge)

    def after_lookback(self, now: float, delivered_up_to: tuple[str, str] | None) -> SyncCursor:
        """This cursor once a look-back has delivered up to ``delivered_up_to`` (None: all of it)."""
        if delivered_up_to is None:
            return replace(self, looked_back=int(now), lookback_from=None)
        return replace(self, lookback_from=delivered_up_to)

    def encode(self) -> str:
        data = {"v": 1, "at": self.at, "uri": self.uri, "seen": sorted(self.seen)}
        if self.edge:
            data["edge"] = list(self.edge)
        if self.floor:
            data["floor"] = self.floor
        if self.looked_back:
            data["looked_back"] = self.looked_back
        if self.lookback_from:
            data["lookback_from"] = list(self.lookback_from)
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
            edge = _read_key(data.get("edge"), "edge")
            looked_back = int(data.get("looked_back", 0))
            lookback_from = _read_key(data.get("lookback_from"), "lookback_from")
        except (ValueError, KeyError, TypeError, AttributeError, IndexError):
            at = None
        if not at or not isinstance(uri, str):
            log.warning("Bluesky: the stored sync cursor is not readable; starting a fresh sync")
            return None
        return cls(at, uri, seen, floor or "", edge, looked_back, lookback_from)

    def is_new(self, entry: Entry) -> bool:
        if self.floor and entry.at < self.floor:
            return False
        if entry.key > self.key:
            return True
        if self.edge and entry.key < self.edge:
            return False  # older than what ``seen`` could hold: taken as delivered
        return entry.at >= self.window_start and seen_hash(entry.uri) not in self.seen


def _read_key(value: object, what: str) -> tuple[str, str] | None:
    """An ``(indexedAt, uri)`` pair stored as a JSON list, or None when absent."""
    if not value:
        return None
    key = (sort_key(value[0]), value[1])
    if not (key[0] and isinstance(key[1], str)):
        raise ValueError(f"unreadable {what}")
    return key


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
    floor = floor or (cursor.floor if cursor else "")
    if cursor is None:
        return SyncCursor(at, uri, seen, floor, edge)
    return replace(cursor, at=at, uri=uri, seen=seen, floor=floor, edge=edge)
