"""What CMDesk knows about each Matrix room: name, alias, DM or not, members' names, power levels.

Follows the Matrix spec: "m.room.power_levels" (levels and their defaults), the room version
authorization rules ("Room Versions": the creator has 100 when there is no power-levels event;
from room version 12 the creators — the ``m.room.create`` sender and ``additional_creators`` —
have unlimited power and are not listed in ``users``), "Calculating the display name for a room"
(``m.room.name``, then ``m.room.canonical_alias``, then heroes), "Direct Messaging" (``m.direct``
account data) and the room summary of ``/sync`` (``m.joined_member_count``, ``m.heroes``).

The directory is filled from ``/sync`` (state, timeline state events, summaries, account data)
and, when a room is unknown after a restart, from a few targeted state reads (see
``MatrixConnector._load_room``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from cmdesk.core.text import clean_name

UNLIMITED = math.inf
# Defaults when the power-levels event lacks a key (spec: m.room.power_levels).
_NAMED_DEFAULTS = {"ban": 50, "kick": 50, "redact": 50, "invite": 0}
# Room versions whose creators have unlimited power (MSC4289, room version 12 and later).
_CREATOR_POWER_UNSTABLE = frozenset({"org.matrix.hydra.11"})

ACTION_WORDS = {
    "ban": "ban people",
    "unban": "unban people",
    "kick": "remove people from the room (kick)",
    "redact": "remove other people's messages",
    "send": "send messages",
}


def _int(value: object, default: int) -> int:
    """Power levels are integers; very old rooms may hold them as strings."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return default
    return default


def creators_have_unlimited_power(room_version: str) -> bool:
    if room_version in _CREATOR_POWER_UNSTABLE:
        return True
    return room_version.isdigit() and int(room_version) >= 12


@dataclass
class RoomInfo:
    room_id: str
    name: str = ""
    alias: str = ""
    room_version: str = "1"  # absent from m.room.create means version 1
    creators: set[str] = field(default_factory=set)
    create_known: bool = False
    power: dict | None = None  # the m.room.power_levels content; None when the room has none
    power_known: bool = False
    checked_at: float = 0.0  # time.monotonic() when the power levels were last read or updated
    joined_count: int | None = None
    heroes: list[str] = field(default_factory=list)
    members: dict[str, str] = field(default_factory=dict)  # user id -> display name
    encrypted_seen: int = 0

    # -- naming

    def label(self, me: str = "") -> str:
        """How the room is named in sentences and thread titles."""
        if self.alias:
            return self.alias
        if self.name:
            return self.name
        others = [self.members.get(h) or h for h in self.heroes if h != me]
        if others:
            return ", ".join(others[:3]) + ("…" if len(others) > 3 else "")
        return self.room_id

    def display_name(self, user_id: str) -> str:
        return self.members.get(user_id) or localpart(user_id)

    # -- power levels (spec: m.room.power_levels and the authorization rules)

    def level_of(self, user_id: str) -> float:
        if creators_have_unlimited_power(self.room_version) and user_id in self.creators:
            return UNLIMITED
        if self.power is None:
            return 100 if user_id in self.creators else 0
        users = self.power.get("users")
        if isinstance(users, dict) and user_id in users:
            return _int(users[user_id], 0)
        return _int(self.power.get("users_default"), 0)

    def required(self, action: str) -> int:
        """The level an action needs: ``ban``/``kick``/``redact``/``invite`` or ``send`` (m.room.message)."""
        if action == "send":
            return self.event_level("m.room.message")
        if action == "unban":
            # Unbanning is a membership change by someone else: both ban and kick rights.
            return max(self.required("ban"), self.required("kick"))
        if self.power is None:
            return _NAMED_DEFAULTS[action]
        return _int(self.power.get(action), _NAMED_DEFAULTS[action])

    def event_level(self, event_type: str, *, state: bool = False) -> int:
        if self.power is None:
            return 0
        events = self.power.get("events")
        if isinstance(events, dict) and event_type in events:
            return _int(events[event_type], 0)
        if state:
            return _int(self.power.get("state_default"), 50)
        return _int(self.power.get("events_default"), 0)

    def why_not(self, me: str, action: str, target_user: str = "") -> str:
        """'' when ``me`` may do ``action`` (on ``target_user``), else a sentence for the user."""
        mine = self.level_of(me)
        need = self.required(action)
        if action == "redact":
            need = max(need, self.event_level("m.room.redaction"))
        if mine < need:
            return (
                f"You need power level {need} in {self.label(me)} to {ACTION_WORDS[action]} (you have {_show(mine)})."
            )
        if target_user and action in ("ban", "kick", "unban"):
            if target_user == me:
                return "CMDesk does not ban or remove the account it acts for."
            theirs = self.level_of(target_user)
            if theirs >= mine:
                who = self.members.get(target_user) or target_user  # the full id when no name is known
                return (
                    f"{who} has power level {_show(theirs)} in {self.label(me)}, "
                    f"not below yours ({_show(mine)}), so you cannot {action} them."
                )
        return ""

    # -- updates from events

    def apply_state(self, event: dict) -> None:
        """Remember one state event (``m.room.create``/``power_levels``/``name``/``canonical_alias``/``member``)."""
        kind, content, key = event.get("type"), event.get("content"), event.get("state_key")
        if not isinstance(content, dict) or not isinstance(key, str):
            return
        if kind == "m.room.create" and key == "":
            self.apply_create(content, event.get("sender"))
        elif kind == "m.room.power_levels" and key == "":
            self.power = content or None  # an emptied (redacted) event means defaults
            self.power_known = True
        elif kind == "m.room.name" and key == "":
            name = content.get("name")
            self.name = clean_name(name) if isinstance(name, str) else ""
        elif kind == "m.room.canonical_alias" and key == "":
            alias = content.get("alias")
            self.alias = alias if isinstance(alias, str) else ""
        elif kind == "m.room.member" and key:
            self.apply_member(key, content)

    def apply_create(self, content: dict, sender: object) -> None:
        version = content.get("room_version")
        self.room_version = version if isinstance(version, str) and version else "1"
        creators = set()
        if isinstance(sender, str):
            creators.add(sender)
        creator = content.get("creator")  # room versions 1–10 name the creator in the content
        if isinstance(creator, str):
            creators.add(creator)
        extra = content.get("additional_creators")
        if isinstance(extra, list):
            creators.update(u for u in extra if isinstance(u, str))
        self.creators = creators
        self.create_known = True

    def apply_member(self, user_id: str, content: dict) -> None:
        name = content.get("displayname")
        if content.get("membership") == "join" and isinstance(name, str) and clean_name(name):
            self.members[user_id] = clean_name(name)
        elif content.get("membership") == "join":
            self.members.setdefault(user_id, "")

    def apply_summary(self, summary: dict) -> None:
        count = summary.get("m.joined_member_count")
        if isinstance(count, int) and not isinstance(count, bool):
            self.joined_count = count
        heroes = summary.get("m.heroes")
        if isinstance(heroes, list):
            self.heroes = [h for h in heroes if isinstance(h, str)]


def _show(level: float) -> str:
    return "unlimited (room creator)" if level == UNLIMITED else str(int(level))


def localpart(user_id: str) -> str:
    """``@alice:example.org`` -> ``alice`` (spec: "User Identifiers")."""
    return user_id[1:].split(":", 1)[0] if user_id.startswith("@") else user_id


def server_name(identifier: str) -> str:
    """The server part of a user id or alias (``@a:example.org`` -> ``example.org``)."""
    return identifier.split(":", 1)[1] if ":" in identifier else ""


class RoomDirectory:
    """Every room seen so far, plus the account-wide ``m.direct`` map (which rooms are DMs)."""

    def __init__(self) -> None:
        self.rooms: dict[str, RoomInfo] = {}
        self.direct_rooms: set[str] = set()
        self.direct_known = False

    def get(self, room_id: str) -> RoomInfo:
        room = self.rooms.get(room_id)
        if room is None:
            room = self.rooms[room_id] = RoomInfo(room_id)
        return room

    def forget(self, room_id: str) -> None:
        self.rooms.pop(room_id, None)

    def apply_direct(self, content: dict) -> None:
        """``m.direct`` account data: user id -> list of DM room ids (spec: "Direct Messaging")."""
        rooms: set[str] = set()
        for value in content.values():
            if isinstance(value, list):
                rooms.update(r for r in value if isinstance(r, str))
        self.direct_rooms = rooms
        self.direct_known = True

    def is_direct(self, room_id: str) -> bool:
        """A DM: listed in ``m.direct``, or an unnamed room of exactly two joined members.

        A room with a name or an alias is a place people are invited to, even when only two
        are there yet, so it is not taken for a private conversation.
        """
        if room_id in self.direct_rooms:
            return True
        room = self.rooms.get(room_id)
        return room is not None and room.joined_count == 2 and not room.name and not room.alias
