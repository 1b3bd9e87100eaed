"""The data of the Matrix simulator: sessions, stored events, rooms with state and power levels.

Shapes follow the Matrix Client-Server spec: client-format events (``type``, ``content``,
``sender``, ``event_id``, ``origin_server_ts``, ``room_id``, ``state_key``, ``unsigned``), the
standard error body ``{"errcode", "error"}``, RoomEventFilter fields (``types``, ``not_types``,
``senders``, ``not_senders`` with ``*`` wildcards) and the power-level rules (no power-levels
event: the creator has 100; room version 12: the creator has unlimited power).
"""

from __future__ import annotations

import fnmatch
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cmdesk.connectors.simulators.server import Response

V3 = r"/_matrix/client/v3"
ROOM = r"/rooms/(?P<room>[^/]+)"
SPEC_VERSIONS = ["r0.6.1", "v1.1", "v1.2", "v1.3", "v1.4", "v1.5", "v1.6", "v1.7", "v1.8", "v1.9", "v1.10", "v1.11"]
DEFAULT_EVENT_LEVELS = {
    "m.room.name": 50,
    "m.room.power_levels": 100,
    "m.room.history_visibility": 100,
    "m.room.canonical_alias": 50,
    "m.room.avatar": 50,
    "m.room.tombstone": 100,
}


def error_response(status: int, errcode: str, message: str, **extra) -> Response:
    return Response(status, {"errcode": errcode, "error": message, **extra})


def forbidden(message: str) -> Response:
    return error_response(403, "M_FORBIDDEN", message)


def position(token: str | None) -> int | None:
    """``s12``/``t12`` (or a bare number) -> 12; None when absent; ValueError when unreadable."""
    if not token:
        return None
    match = re.fullmatch(r"[st]?(\d+)", token)
    if not match:
        raise ValueError(f"unknown token {token!r}")
    return int(match.group(1))


def matches(event: dict, event_filter: dict) -> bool:
    """A RoomEventFilter's ``types``/``not_types``/``senders``/``not_senders`` (``*`` wildcards)."""
    kind, sender = event.get("type", ""), event.get("sender", "")
    types, not_types = event_filter.get("types"), event_filter.get("not_types") or []
    if types is not None and not any(fnmatch.fnmatchcase(kind, t) for t in types):
        return False
    if any(fnmatch.fnmatchcase(kind, t) for t in not_types):
        return False
    senders = event_filter.get("senders")
    if senders is not None and sender not in senders:
        return False
    return sender not in (event_filter.get("not_senders") or [])


@dataclass
class Session:
    token: str
    user_id: str
    device_id: str


@dataclass
class StoredEvent:
    stream: int
    data: dict  # the client-format event, room_id included
    device: str = ""  # the device that sent it, for unsigned.transaction_id
    txn: str = ""


@dataclass
class SimRoom:
    room_id: str
    version: str
    creator: str
    events: list[StoredEvent] = field(default_factory=list)
    state: dict[tuple[str, str], StoredEvent] = field(default_factory=dict)

    def content(self, kind: str, key: str = "") -> dict:
        event = self.state.get((kind, key))
        return event.data["content"] if event else {}

    def membership(self, user_id: str) -> str:
        return self.content("m.room.member", user_id).get("membership", "")

    def members(self, membership: str = "join") -> list[str]:
        return [
            k
            for (t, k), e in self.state.items()
            if t == "m.room.member" and e.data["content"].get("membership") == membership
        ]

    def level(self, user_id: str) -> float:
        if self.version.isdigit() and int(self.version) >= 12 and user_id == self.creator:
            return math.inf
        power = self.content("m.room.power_levels")
        if not power:
            return 100 if user_id == self.creator else 0
        return power.get("users", {}).get(user_id, power.get("users_default", 0))

    def needed(self, name: str, default: int = 50) -> int:
        power = self.content("m.room.power_levels")
        return power.get(name, default) if power else default

    def send_level(self, kind: str, state: bool) -> int:
        power = self.content("m.room.power_levels")
        if not power:
            return 0
        return power.get("events", {}).get(
            kind, power.get("state_default", 50) if state else power.get("events_default", 0)
        )


def millis(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def now_ms() -> int:
    return int(datetime.now(UTC).timestamp() * 1000)
