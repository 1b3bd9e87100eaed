"""Reading a Matrix account's rooms: ``/sync``, the cursor, and paging through gaps.

Follows the Matrix Client-Server spec: "Syncing" (``GET /sync`` with a stored filter and
``since``/``next_batch``; a ``limited`` timeline and its ``prev_batch``; ``full_state``),
"Getting events for a room" (``GET /rooms/{roomId}/messages`` with ``from``/``to``/``dir=b`` and
a ``RoomEventFilter``, paging until ``end`` is absent) and "Direct Messaging" (``m.direct``).

Cursor: a JSON object ``{"since": next_batch, "gaps": [...]}`` (a bare ``next_batch`` string is
read too). ``since`` is the sync token the items were read up to. A gap is a stretch of a room's
history that ``/sync`` skipped; what CMDesk does with it:

- first sync (no cursor): each room's timeline holds at most ``timeline_limit`` events; when it
  is ``limited`` the connector pages back from ``prev_batch`` until the room has given
  ``backlog`` messages (``{"to": null, "left": n}``); older history is deliberately not read;
- later syncs: a ``limited`` timeline means more happened than one sync shows; the connector
  pages back from ``prev_batch`` down to the previous ``since`` (``/messages?to=``), so no message
  is ever skipped (``{"to": since, "left": null}``).

At most ``gap_budget`` events are paged per fetch; what is left stays in the cursor with
``more=True``, and the next fetch finishes the gaps before it syncs again. The same cursor always
asks for the same pages, so a repeated fetch gives the same items; duplicates and older items
arriving after newer ones are harmless (the store upserts on the event id).

After a restart the first sync asks for ``full_state`` once (same timeline, all room state) so
names, DMs and power levels are known again without a request per room.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections import Counter

from cmdesk.connectors.base import Batch, NotFound, Transient
from cmdesk.connectors.http import ResponseTooLarge
from cmdesk.connectors.matrix_api import MatrixApi
from cmdesk.connectors.matrix_events import ROOM_MESSAGE, Skip, message_item
from cmdesk.connectors.matrix_rooms import RoomDirectory, RoomInfo
from cmdesk.core.models import IncomingItem

log = logging.getLogger("cmdesk.connectors.matrix")

DEFAULT_TIMELINE_LIMIT = 50
DEFAULT_BACKLOG = 100  # messages per room on the first sync
DEFAULT_GAP_BUDGET = 500  # events paged through /messages per fetch
GAP_PAGE = 100
MEMBER_PROBE_BYTES = 256 * 1024  # a joined_members answer this big is certainly not a DM
HISTORY_FILTER = {"types": [ROOM_MESSAGE, "m.room.encrypted"], "lazy_load_members": True}


def _events(section: object) -> list:
    events = section.get("events") if isinstance(section, dict) else None
    return events if isinstance(events, list) else []


class SyncMixin:
    """``fetch`` for ``MatrixConnector``, which provides the attributes and helpers below."""

    api: MatrixApi
    rooms: RoomDirectory
    me: str
    backlog: int
    gap_budget: int
    skipped: Counter
    _warm: bool
    _caps: object
    # and the methods _user_id(), _via(room_id), _filter(), _reset_filter(), _room_state(room_id, max_age)

    def fetch(self, cursor: str | None) -> Batch:
        since, gaps = self._parse_cursor(cursor)
        items: dict[str, IncomingItem] = {}
        if gaps:
            gaps = self._fill_gaps(gaps, items)
            return Batch(self._ordered(items), self._dump_cursor(since, gaps), more=bool(gaps))
        answer = self._sync(since)
        next_batch = answer.get("next_batch")
        if not isinstance(next_batch, str) or not next_batch:
            raise Transient("The homeserver sent a malformed sync answer (no next_batch).")
        rooms = answer.get("rooms", {})
        joined = rooms.get("join", {}) if isinstance(rooms, dict) else None
        if not isinstance(joined, dict):
            raise Transient("The homeserver sent a malformed sync answer (rooms.join is not an object).")
        for event in _events(answer.get("account_data")):
            self._apply_account_data(event)
        full_state = since is None or not self._warm
        new_gaps = []
        for room_id, room_data in joined.items():
            if not isinstance(room_data, dict):
                self._skip("malformed", f"room {room_id} is not an object")
                continue
            gap = self._apply_room(room_id, room_data, since, items, full_state=full_state)
            if gap:
                new_gaps.append(gap)
        for room_id in rooms.get("leave", {}) if isinstance(rooms.get("leave"), dict) else ():
            self.rooms.forget(room_id)  # kicked, banned or left: nothing more to moderate there
            self._caps = None
        self._warm = True
        new_gaps = self._fill_gaps(new_gaps, items)
        return Batch(self._ordered(items), self._dump_cursor(next_batch, new_gaps), more=bool(new_gaps))

    def _sync(self, since: str | None) -> dict:
        # After a restart the room cache is empty: ask for full state once (same timeline, spec: /sync).
        full_state = since is not None and not self._warm
        filter_id = self._filter()
        try:
            return self.api.sync(filter_id=filter_id, since=since, full_state=full_state)
        except NotFound:
            self._reset_filter()  # the server forgot our filter (purged): upload it again, once
            return self.api.sync(filter_id=self._filter(), since=since, full_state=full_state)

    def _apply_account_data(self, event: object) -> None:
        if not isinstance(event, dict) or not isinstance(event.get("content"), dict):
            return
        if event.get("type") == "m.direct":
            self.rooms.apply_direct(event["content"])

    def _apply_room(self, room_id: str, data: dict, since: str | None, items: dict, *, full_state: bool) -> dict | None:
        """Room state and timeline from one sync; returns the gap to page through, if any."""
        if room_id not in self.rooms.rooms:
            self._caps = None  # a room joined since capabilities() last looked
        room = self.rooms.get(room_id)
        if isinstance(data.get("summary"), dict):
            room.apply_summary(data["summary"])
        for event in _events(data.get("state")):
            if isinstance(event, dict):
                self._apply_state(room, event)
        if full_state:
            # Complete state was sent: what is absent (no power-levels event) is known to be absent.
            room.power_known = True
            room.checked_at = time.monotonic()
        timeline = data.get("timeline") if isinstance(data.get("timeline"), dict) else {}
        messages = 0
        for event in _events(timeline):
            if not isinstance(event, dict):
                self._skip("malformed", f"timeline entry in {room_id} is not an object")
                continue
            if "state_key" in event:
                self._apply_state(room, event)
                continue
            messages += self._take(event, room, items)
        prev_batch = timeline.get("prev_batch")
        if timeline.get("limited") is True and isinstance(prev_batch, str) and prev_batch:
            if since is None:
                left = self.backlog - messages
                return {"room": room_id, "from": prev_batch, "to": None, "left": left} if left > 0 else None
            return {"room": room_id, "from": prev_batch, "to": since, "left": None}
        return None

    def _apply_state(self, room: RoomInfo, event: dict) -> None:
        room.apply_state(event)
        if event.get("type") in ("m.room.power_levels", "m.room.create"):
            room.checked_at = time.monotonic()
            self._caps = None  # the levels capabilities() reported may have changed

    def _take(self, event: dict, room: RoomInfo, items: dict) -> int:
        """Add one timeline event to ``items`` when it is a message; 1 if it counted as one."""
        if event.get("type") == "m.room.encrypted":
            room.encrypted_seen += 1
            if room.encrypted_seen == 1:
                log.warning("Matrix room %s is encrypted: CMDesk cannot read its messages.", room.room_id)
            self.skipped["encrypted"] += 1
            return 0
        if event.get("type") != ROOM_MESSAGE:
            return 0
        self._ensure_room_kind(room)
        try:
            item = message_item(
                event,
                room,
                me=self.me,
                me_name=room.members.get(self.me, ""),
                is_direct=self.rooms.is_direct(room.room_id),
                via=self._via(room.room_id),
            )
        except Skip as skip:
            self._skip(skip.reason, str(skip))
            return 1 if skip.reason in ("redacted", "edit") else 0
        items.setdefault(item.platform_item_id, item)
        return 1

    def _skip(self, reason: str, detail: str) -> None:
        self.skipped[reason] += 1
        if reason == "malformed":
            log.warning("Matrix: skipped a malformed event (%s).", detail)

    def _fill_gaps(self, gaps: list[dict], items: dict) -> list[dict]:
        """Page back through each gap with ``/messages``; returns what the budget left for later."""
        budget, remaining = self.gap_budget, []
        for gap in gaps:
            if budget <= 0:
                remaining.append(gap)
                continue
            room = self.rooms.get(gap["room"])
            if not self._warm and not room.create_known:
                self._room_state(room.room_id, max_age=math.inf)  # names for thread titles after a restart
            start, left = gap["from"], gap.get("left")
            while True:
                limit = max(1, min(GAP_PAGE, budget, left if left is not None else GAP_PAGE))
                page = self.api.messages(
                    room.room_id, from_token=start, to_token=gap.get("to"), limit=limit, event_filter=HISTORY_FILTER
                )
                chunk = page.get("chunk")
                if not isinstance(chunk, list):
                    raise Transient("The homeserver sent a malformed /messages answer (no chunk).")
                for event in page.get("state") if isinstance(page.get("state"), list) else ():
                    self._learn_member(room, event)
                taken = sum(self._take(e, room, items) for e in chunk if isinstance(e, dict))
                budget -= max(1, len(chunk))
                if left is not None:
                    left -= taken
                end = page.get("end")
                if not isinstance(end, str) or not end or end == start or (left is not None and left <= 0):
                    break  # the gap is closed (or the first-sync backlog is complete)
                start = end
                if budget <= 0:
                    remaining.append({**gap, "from": start, "left": left})
                    break
        return remaining

    @staticmethod
    def _learn_member(room: RoomInfo, event: object) -> None:
        """A member event from older history: only fills names we do not know (newer ones win)."""
        if isinstance(event, dict) and event.get("type") == "m.room.member" and isinstance(event.get("content"), dict):
            name = event["content"].get("displayname")
            key = event.get("state_key")
            if isinstance(key, str) and isinstance(name, str) and not room.members.get(key):
                room.apply_member(key, {"membership": "join", "displayname": name})

    @staticmethod
    def _ordered(items: dict[str, IncomingItem]) -> list[IncomingItem]:
        return sorted(items.values(), key=lambda i: (i.created_at, i.platform_item_id))

    @staticmethod
    def _parse_cursor(cursor: str | None) -> tuple[str | None, list[dict]]:
        if not cursor:
            return None, []
        if not cursor.startswith("{"):
            return cursor, []  # a bare next_batch token
        try:
            data = json.loads(cursor)
            since = data.get("since")
            gaps = [
                g for g in data.get("gaps") or [] if isinstance(g.get("room"), str) and isinstance(g.get("from"), str)
            ]
        except (ValueError, AttributeError, TypeError):
            log.warning("Matrix: unreadable cursor, starting with a fresh first sync.")
            return None, []
        return (since if isinstance(since, str) and since else None), gaps

    @staticmethod
    def _dump_cursor(since: str | None, gaps: list[dict]) -> str | None:
        if since is None and not gaps:
            return None
        data: dict = {"since": since}
        if gaps:
            data["gaps"] = gaps
        return json.dumps(data, separators=(",", ":"))

    def _ensure_direct(self) -> None:
        """Read ``m.direct`` once when no sync has given it (spec: Direct Messaging)."""
        if not self.rooms.direct_known:
            try:
                self.rooms.apply_direct(self.api.account_data(self._user_id(), "m.direct"))
            except NotFound:
                self.rooms.apply_direct({})

    def _ensure_room_kind(self, room: RoomInfo) -> None:
        """Enough to tell a DM: ``m.direct``, and the member count when sync did not give it."""
        self._ensure_direct()
        if room.joined_count is None and room.room_id not in self.rooms.direct_rooms:
            try:
                room.joined_count = len(self.api.joined_members(room.room_id, max_bytes=MEMBER_PROBE_BYTES))
            except ResponseTooLarge:
                room.joined_count = 1000  # thousands of members: certainly not a DM
