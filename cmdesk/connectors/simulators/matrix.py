"""A Matrix homeserver simulator: the client-server API subset CMDesk uses, stateful and deterministic.

Follows the Matrix Client-Server API (spec.matrix.org, v1.x) for paths, JSON shapes and errors:
``GET /_matrix/client/versions``; ``GET``/``POST /login`` (``m.login.password``);
``GET /account/whoami``; ``POST /user/{userId}/filter``; ``GET /sync`` (``since``/``next_batch``,
timeline ``limit``/``types``, ``limited``/``prev_batch``, ``full_state``, lazy-loaded members,
room summary, account data); ``GET /rooms/{roomId}/messages`` (``from``/``to``/``dir``/``filter``),
``/context/{eventId}``, ``/event/{eventId}``, ``/state/{type}/{key}`` (``format=event``),
``/joined_members``; ``GET /joined_rooms``; ``GET /directory/room/{alias}``; ``PUT .../send/{type}/{txnId}``
(transaction ids remembered per device, as Synapse does); ``PUT .../redact/{eventId}/{txnId}``;
``POST .../kick|ban|unban``; ``POST .../report/{eventId}``; account data (``m.direct``,
``m.ignored_user_list``: ignored users' messages disappear from sync and history, as on Synapse);
power levels checked like the authorization rules (room version 12: creators have unlimited power).
Errors are ``{"errcode", "error"}``: 401 ``M_UNKNOWN_TOKEN``/``M_MISSING_TOKEN`` (``soft_logout``),
403 ``M_FORBIDDEN``, 404 ``M_NOT_FOUND``/``M_UNRECOGNIZED``, 429 ``M_LIMIT_EXCEEDED`` with
``retry_after_ms`` (and ``Retry-After``) when the ``Faults`` say so.

Tokens are positions in one event stream: ``s<N>`` (sync) and ``t<N>`` (pagination) both mean
"after stream position N".
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import re
from datetime import datetime

from cmdesk.connectors.simulators.matrix_model import (
    DEFAULT_EVENT_LEVELS,
    Session,
    SimRoom,
    StoredEvent,
    millis,
    now_ms,
)
from cmdesk.connectors.simulators.matrix_routes import MatrixRoutes
from cmdesk.connectors.simulators.server import Faults, Request, SimulatorServer
from cmdesk.core.models import Account, ItemKind, Platform
from cmdesk.secrets import MemoryVault

# Maps keyed by ids or event types, not objects with fields: rooms by membership (sync),
# joined members, power levels' users/events/notifications, ignored users.
_KEYED_MAPS = frozenset(
    {"join", "invite", "leave", "knock", "joined", "users", "events", "notifications", "ignored_users"}
)
_SIGILS = ("!", "@", "$", "#", "+")  # room, user, event, alias, group ids
_KEYED_CONTENT = frozenset({"m.direct"})  # account data whose content is a map: user id -> rooms


class MatrixSimulator(MatrixRoutes, SimulatorServer):
    """A loopback homeserver; ``owner`` is the account CMDesk operates (a room moderator)."""

    name = "matrix-simulator"

    def __init__(self, *, port: int = 0, faults: Faults | None = None, server_name: str = "cmdesk.test"):
        super().__init__(port=port, faults=faults)
        self.server_name = server_name
        self._stream = 0
        self._ids = itertools.count(1)
        self._users: dict[str, dict] = {}  # user id -> {"password", "displayname"}
        self._sessions: dict[str, Session] = {}
        self._soft_logged_out: set[str] = set()
        self._rooms: dict[str, SimRoom] = {}
        self._aliases: dict[str, str] = {}
        self._events: dict[str, tuple[SimRoom, StoredEvent]] = {}
        self._txns: dict[tuple[str, str, str], str] = {}  # (device, endpoint, txn id) -> event id
        self._filters: dict[str, dict] = {}
        self._account_data: dict[str, dict[str, tuple[int, dict]]] = {}
        self._thread_rooms: dict[str, str] = {}
        self._dm_rooms: dict[str, str] = {}
        self._roots: dict[str, str] = {}  # room id -> the owner's post seeded replies answer
        self._replies: list[dict] = []
        self._moderation: list[tuple[str, str]] = []
        self._reports: list[dict] = []
        self.login_flows: list[dict] = [{"type": "m.login.password"}]
        self.login_extra_stage: str | None = None  # e.g. "m.login.email.identity": login answers 401 UIA
        self.owner_password = "correct horse battery staple"
        self.owner_handle, self.owner_token = self.add_user("community", "Community Team", self.owner_password)
        self.community_room = self.create_room("Community", alias="community")
        self._register_routes()

    def is_keyed_map(self, request: Request, key: str | None, obj: dict, parent: dict | None) -> bool:
        if key in _KEYED_MAPS:
            return True
        if key == "content" and parent is not None and parent.get("type") in _KEYED_CONTENT:
            return True
        if key is None and request.path.rsplit("/", 1)[-1] in _KEYED_CONTENT:
            return True  # GET /user/{userId}/account_data/m.direct: the content alone
        return bool(obj) and all(k.startswith(_SIGILS) for k in obj)

    # ---- seeding and inspection (the API shared with other simulators)

    def seed_incoming(
        self,
        *,
        author_id: str,
        author_name: str,
        author_handle: str,
        text: str,
        created_at: datetime,
        kind: ItemKind,
        thread_key: str | None = None,
        lang: str = "",
    ) -> str:
        """Post a message from ``author_id`` and return its event id.

        DIRECT_MESSAGE goes to a DM room between the author and the owner (listed in the
        owner's ``m.direct``); otherwise ``thread_key`` names a room (created with an alias), and
        no key means the community room. REPLY answers the owner's post in that room (with the
        legacy reply fallback some clients still send), MENTION mentions the owner
        (``m.mentions``), COMMENT is a plain message. ``lang`` has no Matrix field and is unused.
        """
        with self._lock:
            user_id = self._mxid(author_id or author_handle)
            if user_id not in self._users:
                self.add_user(user_id, author_name)
            if kind == ItemKind.DIRECT_MESSAGE:
                room_id = self._dm_room(user_id)
            elif thread_key:
                room_id = self._thread_room(thread_key)
            else:
                room_id = self.community_room
            room = self._rooms[room_id]
            if room.membership(user_id) != "join":
                self.join(room_id, user_id)
            content: dict = {"msgtype": "m.text", "body": text}
            if kind == ItemKind.REPLY:
                root = self._root_post(room_id, thread_key)
                root_body = self._events[root][1].data["content"].get("body", "")
                content = {
                    "msgtype": "m.text",
                    "body": f"> <{self.owner_handle}> {root_body}\n\n{text}",
                    "format": "org.matrix.custom.html",
                    "formatted_body": (
                        f"<mx-reply><blockquote>{html.escape(root_body)}</blockquote></mx-reply>{html.escape(text)}"
                    ),
                    "m.relates_to": {"m.in_reply_to": {"event_id": root}},
                    "m.mentions": {"user_ids": [self.owner_handle]},
                }
            elif kind == ItemKind.MENTION:
                content["m.mentions"] = {"user_ids": [self.owner_handle]}
            return self._append(room, user_id, "m.room.message", content, ts=millis(created_at)).data["event_id"]

    def posted_replies(self) -> list[dict]:
        """Every message the owner posted through the API: ``{"id", "in_reply_to", "text"}``."""
        with self._lock:
            return [dict(r) for r in self._replies]

    def moderation_log(self) -> list[tuple[str, str]]:
        """``(action, target)``: redact/report an event id; kick/ban/unban/ignore a user id."""
        with self._lock:
            return list(self._moderation)

    def reports(self) -> list[dict]:
        with self._lock:
            return [dict(r) for r in self._reports]

    # ---- users, rooms, messages (for tests and the demo)

    def add_user(self, user: str, display_name: str = "", password: str | None = None) -> tuple[str, str]:
        """Create a user (``alice`` or ``@alice:server``); returns ``(user id, access token)``."""
        with self._lock:
            user_id = self._mxid(user)
            self._users.setdefault(user_id, {"password": password, "displayname": display_name or user_id[1:]})
            return user_id, self.login_as(user_id)

    def login_as(self, user_id: str) -> str:
        """A new session (device + token) for ``user_id``."""
        with self._lock:
            n = next(self._ids)
            token = f"syt_{hashlib.sha256(f'{user_id}/{n}'.encode()).hexdigest()[:24]}"
            self._sessions[token] = Session(token, user_id, f"DEVICE{n:04d}")
            return token

    def expire_token(self, token: str, *, soft: bool = False) -> None:
        with self._lock:
            self._sessions.pop(token, None)
            if soft:
                self._soft_logged_out.add(token)

    def create_room(
        self,
        name: str = "",
        *,
        alias: str = "",
        creator: str | None = None,
        version: str = "10",
        members: tuple[str, ...] = (),
        power_users: dict[str, int] | None = None,
        levels: dict | None = None,
    ) -> str:
        """A public room like Synapse's ``public_chat`` preset; ``members`` join it."""
        with self._lock:
            creator = creator or self.owner_handle
            room_id = f"!{hashlib.sha256(f'room{next(self._ids)}'.encode()).hexdigest()[:18]}:{self.server_name}"
            room = self._rooms[room_id] = SimRoom(room_id, version, creator)
            create = {"room_version": version} if int(version) >= 11 else {"room_version": version, "creator": creator}
            self._append(room, creator, "m.room.create", create, state_key="")
            self._append(room, creator, "m.room.member", self._member_content(creator, "join"), state_key=creator)
            users = {} if int(version) >= 12 else {creator: 100}
            users.update(power_users or {})
            power = {
                "users": users,
                "users_default": 0,
                "events": dict(DEFAULT_EVENT_LEVELS),
                "events_default": 0,
                "state_default": 50,
                "ban": 50,
                "kick": 50,
                "redact": 50,
                "invite": 0,
                **(levels or {}),
            }
            self._append(room, creator, "m.room.power_levels", power, state_key="")
            if name:
                self._append(room, creator, "m.room.name", {"name": name}, state_key="")
            if alias:
                full = f"#{alias}:{self.server_name}"
                self._aliases[full] = room_id
                self._append(room, creator, "m.room.canonical_alias", {"alias": full}, state_key="")
            for member in members:
                self.join(room_id, self._mxid(member))
            return room_id

    def join(self, room_id: str, user_id: str) -> None:
        with self._lock:
            self._append(
                self._rooms[room_id], user_id, "m.room.member", self._member_content(user_id, "join"), state_key=user_id
            )

    def post(
        self,
        room_id: str,
        sender: str,
        body: str,
        *,
        html: str = "",
        reply_to: str = "",
        msgtype: str = "m.text",
        mentions: list[str] | None = None,
        ts: int | None = None,
        extra: dict | None = None,
    ) -> str:
        """Any ``m.room.message`` from anyone (tests build real-world shapes with this)."""
        with self._lock:
            content: dict = {"msgtype": msgtype, "body": body}
            if html:
                content.update(format="org.matrix.custom.html", formatted_body=html)
            if reply_to:
                content["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
            if mentions is not None:
                content["m.mentions"] = {"user_ids": mentions}
            content.update(extra or {})
            return self._append(self._rooms[room_id], self._mxid(sender), "m.room.message", content, ts=ts).data[
                "event_id"
            ]

    def send_raw(self, room_id: str, event: dict) -> str:
        """Append an arbitrary (even malformed) event as it is, for parser tests."""
        with self._lock:
            room = self._rooms[room_id]
            stored = self._store(room, dict(event))
            return stored.data.get("event_id", "")

    def set_power(self, room_id: str, user_id: str, level: int) -> None:
        with self._lock:
            room = self._rooms[room_id]
            power = json.loads(json.dumps(room.content("m.room.power_levels")))
            power.setdefault("users", {})[self._mxid(user_id)] = level
            self._append(room, room.creator, "m.room.power_levels", power, state_key="")

    def set_levels(self, room_id: str, **levels: int) -> None:
        """Change named levels (``ban=100``…) of a room's power-levels event."""
        with self._lock:
            room = self._rooms[room_id]
            power = {**room.content("m.room.power_levels"), **levels}
            self._append(room, room.creator, "m.room.power_levels", power, state_key="")

    def membership(self, room_id: str, user_id: str) -> str:
        with self._lock:
            return self._rooms[room_id].membership(self._mxid(user_id))

    def event(self, event_id: str) -> dict:
        with self._lock:
            return json.loads(json.dumps(self._events[event_id][1].data))

    def room_of(self, event_id: str) -> str:
        with self._lock:
            return self._events[event_id][0].room_id

    def account_data(self, user_id: str, kind: str) -> dict | None:
        with self._lock:
            entry = self._account_data.get(self._mxid(user_id), {}).get(kind)
            return dict(entry[1]) if entry else None

    def set_account_data(self, user_id: str, kind: str, content: dict) -> None:
        with self._lock:
            self._stream += 1
            self._account_data.setdefault(self._mxid(user_id), {})[kind] = (self._stream, content)

    # ---- internals: storage

    def _mxid(self, user: str) -> str:
        if user.startswith("@") and ":" in user:
            return user
        local = re.sub(r"[^a-z0-9._=/-]", "_", user.lstrip("@").lower()) or "user"
        return f"@{local}:{self.server_name}"

    def _member_content(self, user_id: str, membership: str, reason: str = "") -> dict:
        content = {"membership": membership}
        if membership == "join":
            content["displayname"] = self._users.get(user_id, {}).get("displayname") or user_id[1:].split(":")[0]
        if reason:
            content["reason"] = reason
        return content

    def _append(
        self,
        room: SimRoom,
        sender: str,
        kind: str,
        content: dict,
        *,
        state_key: str | None = None,
        ts: int | None = None,
        device: str = "",
        txn: str = "",
        extra: dict | None = None,
    ) -> StoredEvent:
        event = {
            "type": kind,
            "content": content,
            "sender": sender,
            "room_id": room.room_id,
            "origin_server_ts": ts if ts is not None else now_ms(),
            **(extra or {}),
        }
        if state_key is not None:
            event["state_key"] = state_key
        return self._store(room, event, device, txn)

    def _store(self, room: SimRoom, event: dict, device: str = "", txn: str = "") -> StoredEvent:
        self._stream += 1
        if "event_id" not in event:
            digest = hashlib.sha256(f"{room.room_id}/{self._stream}".encode()).hexdigest()[:26]
            event["event_id"] = f"${digest}"
        event.setdefault("room_id", room.room_id)
        stored = StoredEvent(self._stream, event, device, txn)
        room.events.append(stored)
        self._events[event["event_id"]] = (room, stored)
        if isinstance(event.get("state_key"), str):
            room.state[(event.get("type"), event["state_key"])] = stored
        return stored

    def _dm_room(self, user_id: str) -> str:
        if user_id not in self._dm_rooms:
            room_id = self.create_room(creator=user_id, power_users={self.owner_handle: 100})
            self.join(room_id, self.owner_handle)
            self._dm_rooms[user_id] = room_id
            direct = self.account_data(self.owner_handle, "m.direct") or {}
            direct.setdefault(user_id, []).append(room_id)
            self.set_account_data(self.owner_handle, "m.direct", direct)
        return self._dm_rooms[user_id]

    def _thread_room(self, key: str) -> str:
        if key not in self._thread_rooms:
            alias = re.sub(r"[^a-z0-9-]+", "-", key.lower()).strip("-") or "thread"
            while f"#{alias}:{self.server_name}" in self._aliases:
                alias += "-x"
            self._thread_rooms[key] = self.create_room(key, alias=alias)
        return self._thread_rooms[key]

    def _root_post(self, room_id: str, thread_key: str | None) -> str:
        if room_id not in self._roots:
            body = f"New post: {thread_key}" if thread_key else "Welcome! Ask us anything here."
            room = self._rooms[room_id]
            event = self._append(room, self.owner_handle, "m.room.message", {"msgtype": "m.text", "body": body})
            self._roots[room_id] = event.data["event_id"]
        return self._roots[room_id]

    # ---- internals: what a client sees

    def _client_event(self, stored: StoredEvent, session: Session, *, with_room: bool = True) -> dict:
        event = json.loads(json.dumps(stored.data))
        if not with_room:
            event.pop("room_id", None)
        if not isinstance(event.get("unsigned", {}), dict):
            return event  # a deliberately malformed event (send_raw) goes out as it is
        unsigned = event.setdefault("unsigned", {})
        if isinstance(event.get("origin_server_ts"), int):
            unsigned["age"] = max(0, now_ms() - event["origin_server_ts"])
        if stored.txn and stored.device == session.device_id:
            unsigned["transaction_id"] = stored.txn
        return event

    def _ignored(self, user_id: str) -> set[str]:
        entry = self._account_data.get(user_id, {}).get("m.ignored_user_list")
        return set(entry[1].get("ignored_users", {})) if entry else set()

    def _visible(self, stored: StoredEvent, ignored: set[str]) -> bool:
        return "state_key" in stored.data or stored.data.get("sender") not in ignored

    def _lazy_members(self, room: SimRoom, events: list[StoredEvent], session: Session) -> list[dict]:
        senders = {e.data.get("sender") for e in events if isinstance(e.data.get("sender"), str)} | {session.user_id}
        return [
            self._client_event(room.state[("m.room.member", s)], session, with_room=False)
            for s in sorted(senders)
            if ("m.room.member", s) in room.state
        ]

    def _summary(self, room: SimRoom, me: str) -> dict:
        heroes = [m for m in room.members() + room.members("invite") if m != me][:5]
        return {
            "m.joined_member_count": len(room.members()),
            "m.invited_member_count": len(room.members("invite")),
            "m.heroes": heroes,
        }


def connector_for(
    sim: MatrixSimulator, *, settings: dict | None = None, token: str | None = None, account_id: int = 1
) -> tuple[Account, MemoryVault]:
    """An ``Account`` and a ``MemoryVault`` for the simulator's owner, ready for the Matrix factory."""
    account = Account(
        id=account_id,
        platform=Platform.MATRIX,
        name="Matrix (simulator)",
        handle=sim.owner_handle,
        base_url=sim.base_url,
        settings={"user_id": sim.owner_handle, "rooms": [], **(settings or {})},
    )
    return account, MemoryVault({"access_token": sim.owner_token if token is None else token})
