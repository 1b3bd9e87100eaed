"""The Matrix connector: the rooms an account moderates, as an inbox, with replies and moderation.

Follows the Matrix Client-Server API (spec.matrix.org, v1.x): "Syncing" and "Filtering" (in
``matrix_sync``), "Getting events for a room" (``/context``, ``/event``, ``/messages``), "Sending
events" (``PUT .../send/m.room.message/{txnId}``, "Transaction identifiers"), "Rich replies",
"Redactions", "Room membership" (kick/ban/unban), "Reporting content", "Ignoring users"
(``m.ignored_user_list``) and "m.room.power_levels". The calls are in ``matrix_api``; events
become items in ``matrix_events``; room knowledge and power levels are in ``matrix_rooms``;
sign-in is ``matrix_signin.sign_in``; the cursor and gaps are described in ``matrix_sync``.

Kinds: a message in a DM (listed in ``m.direct``, or an unnamed room of two joined members) is
``DIRECT_MESSAGE``; a rich reply (or a thread message) ``REPLY``; one that mentions our user
``MENTION``; the rest ``COMMENT``. CMDesk's thread is the room.

Verbs: HIDE and DELETE redact (UNHIDE cannot exist: a redaction erases the content on the
server); BAN/UNBAN_AUTHOR ban/unban in the item's room; BLOCK_AUTHOR kicks from the room
(they may rejoin a public room: ban for good); MUTE_AUTHOR adds the author to our
``m.ignored_user_list`` (the server then hides their messages from this account everywhere,
CMDesk's sync included); REPORT reports the event to the homeserver admins with score -100.
Power levels are read before acting, and ``capabilities()`` says which verbs the account lacks
the level for, and in which room.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from datetime import UTC, datetime

from cmdesk.connectors.base import Capabilities, CredentialVault, NotFound, Permanent, Target, Transient, Verb
from cmdesk.connectors.http import HttpClient
from cmdesk.connectors.matrix_api import MatrixApi
from cmdesk.connectors.matrix_events import ROOM_MESSAGE, Skip, message_item, ref_room, reply_parent
from cmdesk.connectors.matrix_rooms import RoomDirectory, RoomInfo, server_name
from cmdesk.connectors.matrix_signin import SECRET_NAMES, SignInError, SignInResult, sign_in
from cmdesk.connectors.matrix_sync import (
    DEFAULT_BACKLOG,
    DEFAULT_GAP_BUDGET,
    DEFAULT_TIMELINE_LIMIT,
    HISTORY_FILTER,
    SyncMixin,
)
from cmdesk.connectors.registry import ConnectorSpec, register
from cmdesk.core.models import Account, IncomingItem, Platform

__all__ = ["MatrixConnector", "SignInError", "SignInResult", "sign_in"]

MAX_REPLY_BYTES = 60_000  # events are capped at 65,536 bytes (spec: "Size limits")
POWER_TTL = 60.0  # seconds before power levels read for a check are read again
TIMELINE_TYPES = [
    ROOM_MESSAGE,
    "m.room.encrypted",
    "m.room.member",
    "m.room.create",
    "m.room.power_levels",
    "m.room.name",
    "m.room.canonical_alias",
]
STATE_TYPES = ["m.room.create", "m.room.power_levels", "m.room.name", "m.room.canonical_alias", "m.room.member"]
UNHIDE_REASON = (
    "Matrix cannot undo a redaction: removing a message erases its content on the server, "
    "so there is nothing to show again."
)
_ROOM_VERBS = (
    (Verb.HIDE, "redact"),
    (Verb.DELETE, "redact"),
    (Verb.BAN_AUTHOR, "ban"),
    (Verb.UNBAN_AUTHOR, "unban"),
    (Verb.BLOCK_AUTHOR, "kick"),
)


def txn_id(kind: str, key: str) -> str:
    """A transaction id derived from a key: the same key always names the same request."""
    return f"cmdesk-{kind}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}"


class MatrixConnector(SyncMixin):
    """One Matrix account (see the module docstring for cursor, kinds and verbs)."""

    def __init__(self, account: Account, vault: CredentialVault, http: HttpClient | None = None):
        self.account = account
        settings = account.settings or {}
        self.api = MatrixApi(account.base_url, http or HttpClient(label=account.name), vault.get("access_token"))
        self.me = str(settings.get("user_id") or account.handle or "")
        self.timeline_limit = int(settings.get("timeline_limit") or DEFAULT_TIMELINE_LIMIT)
        self.backlog = int(settings.get("backlog") or DEFAULT_BACKLOG)
        self.gap_budget = int(settings.get("gap_budget") or DEFAULT_GAP_BUDGET)
        self._configured = [str(r) for r in settings.get("rooms") or [] if str(r).strip()]
        self.rooms = RoomDirectory()
        self.skipped: Counter[str] = Counter()  # events left out, by reason (see matrix_events.Skip)
        self._filter_id: str | None = None
        self._room_ids: list[str] | None = None
        self._warm = False  # a sync with full state was applied since this object was made
        self._caps: tuple[float, Capabilities] | None = None

    # ---- identity and settings

    def _user_id(self) -> str:
        if not self.me.startswith("@"):
            user_id = self.api.whoami().get("user_id")
            if not isinstance(user_id, str) or not user_id.startswith("@"):
                raise Transient("The homeserver sent a malformed answer (no user_id).")
            self.me = user_id
        return self.me

    def _via(self, room_id: str) -> str:
        return server_name(room_id) or server_name(self.me)

    def moderated_rooms(self) -> list[str]:
        """The configured rooms (ids or aliases, resolved once), or every joined room."""
        if not self._configured:
            return self.api.joined_rooms()
        if self._room_ids is None:
            self._room_ids = [r if r.startswith("!") else self.api.resolve_alias(r) for r in self._configured]
        return list(self._room_ids)

    def _reset_filter(self) -> None:
        self._filter_id = None

    def _filter(self) -> str:
        """The stored sync filter (spec: Filtering), uploaded once per connector.

        Two threads racing here upload the same definition twice, which is harmless.
        """
        if self._filter_id is None:
            room: dict = {
                "include_leave": False,
                "timeline": {"limit": self.timeline_limit, "types": TIMELINE_TYPES},
                "state": {"types": STATE_TYPES, "lazy_load_members": True, "include_redundant_members": True},
                "ephemeral": {"not_types": ["*"]},
                "account_data": {"not_types": ["*"]},
            }
            if self._configured:
                room["rooms"] = self.moderated_rooms()
            definition = {
                "account_data": {"types": ["m.direct", "m.ignored_user_list"]},
                "presence": {"not_types": ["*"]},
                "room": room,
            }
            self._filter_id = self.api.create_filter(self._user_id(), definition)
        return self._filter_id

    # ---- room knowledge

    def _room_state(self, room_id: str, max_age: float = POWER_TTL) -> RoomInfo:
        """The room with power levels no older than ``max_age`` (read from the server if needed)."""
        room = self.rooms.get(room_id)
        if room.create_known and room.power_known and time.monotonic() - room.checked_at <= max_age:
            return room
        if not room.create_known:
            answer = self.api.state(room_id, "m.room.create", as_event=True)
            if isinstance(answer.get("content"), dict) and "sender" in answer:
                room.apply_create(answer["content"], answer.get("sender"))
            else:  # a server without format=event sent the content alone
                room.apply_create(answer, None)
            for kind in ("m.room.name", "m.room.canonical_alias"):
                try:
                    room.apply_state({"type": kind, "state_key": "", "content": self.api.state(room_id, kind)})
                except NotFound:
                    pass
        try:
            room.power = self.api.state(room_id, "m.room.power_levels") or None
        except NotFound:
            room.power = None  # no power-levels event: the defaults and the creator rule apply
        room.power_known = True
        room.checked_at = time.monotonic()
        return room

    # ---- capabilities

    def capabilities(self) -> Capabilities:
        """What this account may do in the rooms it moderates (cached for a minute)."""
        cached = self._caps
        if cached and time.monotonic() - cached[0] < POWER_TTL:
            return cached[1]
        me = self._user_id()
        room_ids = self.moderated_rooms()
        # DMs give both people full power: they say nothing about the rooms the account moderates.
        self._ensure_direct()
        room_ids = [r for r in room_ids if r not in self.rooms.direct_rooms] or room_ids
        rooms = [self._room_state(r) for r in room_ids]
        verbs = {Verb.MUTE_AUTHOR, Verb.REPORT}
        missing = {Verb.UNHIDE: UNHIDE_REASON}
        if not rooms:
            for verb, _ in (*_ROOM_VERBS, (Verb.REPLY, "send")):
                missing[verb] = "This account is not in any room yet: join the rooms you moderate first."
        else:
            for verb, action in (*_ROOM_VERBS, (Verb.REPLY, "send")):
                reasons = [room.why_not(me, action) for room in rooms]
                if not all(reasons):
                    verbs.add(verb)
                else:
                    others = len(reasons) - 1
                    missing[verb] = reasons[0] + (f" The same holds in {others} other room(s)." if others else "")
        caps = Capabilities(frozenset(verbs), missing, max_reply_length=MAX_REPLY_BYTES // 4)
        self._caps = (time.monotonic(), caps)
        return caps

    def capabilities_for(self, target: Target) -> Capabilities:
        """The verbs allowed on one item, from the power levels of its own room."""
        me, room = self._user_id(), self._room_state(self._room_of(target))
        verbs = {Verb.MUTE_AUTHOR, Verb.REPORT}
        missing = {Verb.UNHIDE: UNHIDE_REASON}
        for verb, action in (*_ROOM_VERBS, (Verb.REPLY, "send")):
            author = target.author_platform_id if action in ("ban", "unban", "kick") else ""
            why = "" if (action == "redact" and target.author_platform_id == me) else room.why_not(me, action, author)
            if why:
                missing[verb] = why
            else:
                verbs.add(verb)
        return Capabilities(frozenset(verbs), missing, max_reply_length=MAX_REPLY_BYTES // 4)

    # ---- conversation

    @staticmethod
    def _room_of(target: Target) -> str:
        room_id = ref_room(target)
        if not room_id:
            raise Permanent("CMDesk does not know which Matrix room this item belongs to.")
        return room_id

    def _item(self, event: dict, room: RoomInfo) -> IncomingItem | None:
        try:
            return message_item(
                event,
                room,
                me=self.me,
                me_name=room.members.get(self.me, ""),
                is_direct=self.rooms.is_direct(room.room_id),
                via=self._via(room.room_id),
            )
        except Skip:
            return None

    def context(self, target: Target) -> list[IncomingItem]:
        """The messages around ``target`` (``/context``) and the replies' ancestors (``/event``)."""
        self._user_id()
        room = self.rooms.get(self._room_of(target))
        self._ensure_room_kind(room)
        answer = self.api.context(room.room_id, target.platform_item_id, limit=10, event_filter=HISTORY_FILTER)
        for event in answer.get("state") if isinstance(answer.get("state"), list) else ():
            self._learn_member(room, event)
        before = answer.get("events_before") if isinstance(answer.get("events_before"), list) else []
        after = answer.get("events_after") if isinstance(answer.get("events_after"), list) else []
        found: dict[str, IncomingItem] = {}
        for event in [*before, answer.get("event"), *after]:
            item = self._item(event, room) if isinstance(event, dict) else None
            if item:
                found[item.platform_item_id] = item
        parent = found[target.platform_item_id].parent_platform_id if target.platform_item_id in found else ""
        for _ in range(5):  # walk up a reply chain that started before the window
            if not parent or parent in found:
                break
            try:
                item = self._item(self.api.event(room.room_id, parent), room)
            except NotFound:
                break
            if not item:
                break
            found[item.platform_item_id] = item
            parent = item.parent_platform_id
        return self._ordered(found)

    # ---- reply

    def reply(self, target: Target, text: str, idempotency_key: str) -> IncomingItem:
        """A rich reply (``m.in_reply_to``); the txnId comes from the key, so a retry posts nothing new.

        Synapse remembers transaction ids per device (access token), for a while: after a new
        sign-in a retry is reconciled with ``find_reply`` instead.
        """
        me, room_id = self._user_id(), self._room_of(target)
        text = text.strip()
        if not text:
            raise Permanent("The reply is empty.")
        if len(text.encode("utf-8")) > MAX_REPLY_BYTES:
            raise Permanent(f"The reply is too long for Matrix (at most {MAX_REPLY_BYTES:,} bytes).")
        author = target.author_platform_id
        content: dict = {
            "msgtype": "m.text",
            "body": text,
            "m.relates_to": {"m.in_reply_to": {"event_id": target.platform_item_id}},
            # Intentional mentions (spec v1.7): notify the author we answer, nobody else.
            "m.mentions": {"user_ids": [author]} if author not in ("", me) else {},
        }
        event_id = self.api.send_message(room_id, txn_id("reply", idempotency_key), content)
        event = {
            "type": ROOM_MESSAGE,
            "event_id": event_id,
            "sender": me,
            "content": content,
            "origin_server_ts": int(datetime.now(UTC).timestamp() * 1000),
        }
        item = self._item(event, self.rooms.get(room_id))
        if item is None:  # cannot happen with the content built above; keep the contract anyway
            raise Transient("The reply was sent but could not be read back.")
        return item

    def find_reply(
        self,
        target: Target,
        idempotency_key: str,
        text: str,
        *,
        since: datetime | None = None,
        known: frozenset[str] = frozenset(),
    ) -> IncomingItem | None:
        """Our reply to ``target`` among our recent messages in its room.

        Matched by ``unsigned.transaction_id`` (only shown to the device that sent it), else by
        the replied-to event and the same text (after a new sign-in), sent since ``since`` and
        not one of ``known``. Looks at 150 messages.
        """
        me, room_id = self._user_id(), self._room_of(target)
        room, wanted_txn, text = self.rooms.get(room_id), txn_id("reply", idempotency_key), text.strip()
        history = {"types": [ROOM_MESSAGE], "senders": [me]}
        start = None
        for _ in range(3):
            page = self.api.messages(room_id, from_token=start, direction="b", limit=50, event_filter=history)
            chunk = page.get("chunk") if isinstance(page.get("chunk"), list) else []
            for event in chunk:
                if not isinstance(event, dict) or not isinstance(event.get("content"), dict):
                    continue
                unsigned = event.get("unsigned") if isinstance(event.get("unsigned"), dict) else {}
                content = event["content"]
                same_txn = unsigned.get("transaction_id") == wanted_txn
                same_reply = (
                    reply_parent(content) == target.platform_item_id
                    and isinstance(content.get("body"), str)
                    and content["body"].strip() == text
                    and event.get("event_id") not in known
                )
                if same_txn:
                    return self._item(event, room)
                if same_reply:
                    found = self._item(event, room)
                    if since is None or found.created_at >= since:
                        return found
            start = page.get("end")
            if not isinstance(start, str) or not start:
                break
        return None

    # ---- moderation

    def act(self, verb: Verb, target: Target, reason: str = "") -> None:
        """Run a moderation verb; each carries ``reason`` to the homeserver where the API has one."""
        if verb == Verb.REPLY:
            raise Permanent("Replies go through reply(), not act().")
        if verb == Verb.UNHIDE:
            raise Permanent(UNHIDE_REASON)
        me, room_id, author = self._user_id(), self._room_of(target), target.author_platform_id
        if verb == Verb.MUTE_AUTHOR:
            self._ignore(me, author)
        elif verb == Verb.REPORT:
            self.api.report(room_id, target.platform_item_id, reason or "Reported by a moderator with CMDesk")
        elif verb in (Verb.HIDE, Verb.DELETE):
            if author != me:
                self._check(room_id, me, "redact")
            self.api.redact(room_id, target.platform_item_id, txn_id("redact", target.platform_item_id), reason)
        elif verb in (Verb.BAN_AUTHOR, Verb.UNBAN_AUTHOR, Verb.BLOCK_AUTHOR):
            action = {Verb.BAN_AUTHOR: "ban", Verb.UNBAN_AUTHOR: "unban", Verb.BLOCK_AUTHOR: "kick"}[verb]
            if not author:
                raise Permanent("CMDesk does not know who wrote this item.")
            self._check(room_id, me, action, author)
            self.api.membership_action(action, room_id, author, reason)
        else:
            raise Permanent(f"Matrix has no “{verb}” action.")

    def _check(self, room_id: str, me: str, action: str, target_user: str = "") -> None:
        why = self._room_state(room_id).why_not(me, action, target_user)
        if why:
            raise Permanent(why)

    def _ignore(self, me: str, user_id: str) -> None:
        """Add ``user_id`` to ``m.ignored_user_list`` (spec: "Ignoring Users"), keeping the others."""
        if not user_id or user_id == me:
            raise Permanent("CMDesk cannot mute the account it acts for.")
        try:
            content = self.api.account_data(me, "m.ignored_user_list")
        except NotFound:
            content = {}
        ignored = content.get("ignored_users") if isinstance(content.get("ignored_users"), dict) else {}
        if user_id in ignored:
            return
        self.api.set_account_data(me, "m.ignored_user_list", {**content, "ignored_users": {**ignored, user_id: {}}})


register(ConnectorSpec(platform=Platform.MATRIX, factory=MatrixConnector, secret_names=SECRET_NAMES))
