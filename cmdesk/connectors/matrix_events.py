"""Matrix room events to CMDesk items: text, kind, author, thread and the ``ref`` to act later.

Follows the Matrix spec, "Instant Messaging" module: ``m.room.message`` msgtypes (``m.text``,
``m.notice``, ``m.emote``, ``m.image`` and the other media types, whose ``body`` is the file
name or, when ``filename`` differs, the caption), ``format: org.matrix.custom.html`` with
``formatted_body``; "Rich replies" (``m.relates_to.m.in_reply_to``, and stripping the legacy
reply fallback: the ``<mx-reply>`` block of the HTML and the leading ``> `` quote lines of the
body); "Threading" (``rel_type: m.thread``, ``is_falling_back``); "Event replacements" (edits,
``rel_type: m.replace``, are not new items); "User and room mentions" (``m.mentions.user_ids``;
without it, the legacy rule: our user id or display name in the body); "Redactions" (a redacted
event has an empty content and ``unsigned.redacted_because``).

All text becomes plain text (``html_to_text`` / ``clean_text``); the HTML is kept as ``original``.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from urllib.parse import quote

from cmdesk.connectors.base import Target
from cmdesk.connectors.matrix_rooms import RoomInfo
from cmdesk.core.models import IncomingAuthor, IncomingItem, ItemKind
from cmdesk.core.text import clean_name, clean_text, html_to_text

ROOM_MESSAGE = "m.room.message"
HTML_FORMAT = "org.matrix.custom.html"
_MX_REPLY = re.compile(r"<mx-reply>.*?</mx-reply>", re.S | re.I)
_MEDIA_LABELS = {"m.image": "image", "m.file": "file", "m.video": "video", "m.audio": "audio"}


class Skip(Exception):
    """This event is not an item; ``reason`` is one of ``malformed``, ``redacted``, ``edit``, ``other``."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


# ---- relations --------------------------------------------------------------------------------


def relates_to(content: dict) -> dict:
    relation = content.get("m.relates_to")
    return relation if isinstance(relation, dict) else {}


def reply_parent(content: dict) -> str:
    """The event this message answers: its rich-reply target, or its thread root (spec: Threading)."""
    relation = relates_to(content)
    in_reply_to = relation.get("m.in_reply_to")
    target = in_reply_to.get("event_id") if isinstance(in_reply_to, dict) else None
    if relation.get("rel_type") == "m.thread":
        root = relation.get("event_id")
        # A falling-back reply only points at the thread's latest event for thread-unaware clients.
        if relation.get("is_falling_back") is True or not isinstance(target, str):
            return root if isinstance(root, str) else ""
    return target if isinstance(target, str) else ""


def is_edit(content: dict) -> bool:
    return relates_to(content).get("rel_type") == "m.replace"


# ---- text -------------------------------------------------------------------------------------


def strip_reply_fallback(body: str) -> str:
    """Drop the leading ``> `` quote lines of a reply fallback and the blank line after them."""
    lines = body.split("\n")
    i = 0
    while i < len(lines) and lines[i].startswith(">"):
        i += 1
    if i == 0:
        return body
    if i < len(lines) and not lines[i].strip():
        i += 1
    return "\n".join(lines[i:])


def message_text(content: dict, *, is_reply: bool) -> tuple[str, str]:
    """``(plain text, original markup or '')`` of a message content, reply fallback removed."""
    body = content.get("body")
    body = body if isinstance(body, str) else ""
    formatted = content.get("formatted_body")
    if content.get("format") == HTML_FORMAT and isinstance(formatted, str) and formatted.strip():
        text = html_to_text(_MX_REPLY.sub("", formatted))
        if text:
            return text, formatted
    plain = strip_reply_fallback(body) if is_reply else body
    text = clean_text(plain).strip()
    return text, (body if text != body else "")


def display_text(content: dict, text: str, sender_name: str) -> str:
    """The text as a reader sees it: emotes as ``* name …``, media as ``[image: name] caption``."""
    msgtype = content.get("msgtype")
    if msgtype == "m.emote":
        return f"* {sender_name} {text}"
    if msgtype in _MEDIA_LABELS:
        label = _MEDIA_LABELS[msgtype]
        filename = content.get("filename")
        if isinstance(filename, str) and filename and filename != content.get("body"):
            return f"[{label}: {clean_text(filename)}] {text}"
        return f"[{label}: {text}]" if text else f"[{label}]"
    if msgtype == "m.location":
        return f"[location] {text}"
    return text


# ---- mentions ---------------------------------------------------------------------------------


def mentions_user(content: dict, user_id: str, display_name: str = "") -> bool:
    """Whether the message mentions ``user_id`` (spec: "User and room mentions")."""
    mentions = content.get("m.mentions")
    if isinstance(mentions, dict):
        # With m.mentions present, clients must not fall back to matching the body.
        users = mentions.get("user_ids")
        return isinstance(users, list) and user_id in users
    body = content.get("body") if isinstance(content.get("body"), str) else ""
    formatted = content.get("formatted_body") if isinstance(content.get("formatted_body"), str) else ""
    if user_id and (user_id in body or quote(user_id, safe="") in formatted or user_id in formatted):
        return True
    if display_name and len(display_name) >= 3:
        return re.search(rf"(?<!\w){re.escape(display_name)}(?!\w)", body, re.I) is not None
    return False


# ---- events to items ---------------------------------------------------------------------------


def matrix_to(room_id: str, event_id: str = "", via: str = "") -> str:
    """A ``https://matrix.to`` permalink (spec: "Matrix URI scheme / matrix.to navigation")."""
    link = "https://matrix.to/#/" + quote(room_id, safe="!:@#")
    if event_id:
        link += "/" + quote(event_id, safe="$:")
    return link + (f"?via={quote(via, safe='')}" if via else "")


def make_ref(room_id: str, event_id: str) -> str:
    return json.dumps({"room": room_id, "event": event_id}, separators=(",", ":"))


def ref_room(target: Target) -> str:
    """The room of a stored item: from ``ref``, else its thread (CMDesk's thread is the room)."""
    if target.ref:
        try:
            ref = json.loads(target.ref)
        except ValueError:
            ref = None
        if isinstance(ref, dict) and isinstance(ref.get("room"), str) and ref["room"]:
            return ref["room"]
    return target.thread_platform_id


def _timestamp(value: object) -> datetime:
    if not isinstance(value, int) or isinstance(value, bool):
        raise Skip("malformed", "origin_server_ts is not an integer")
    try:
        return datetime.fromtimestamp(value / 1000, UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise Skip("malformed", f"origin_server_ts out of range ({value})") from exc


def message_item(
    event: object, room: RoomInfo, *, me: str, me_name: str = "", is_direct: bool = False, via: str = ""
) -> IncomingItem:
    """One ``m.room.message`` event as an item, or ``Skip`` saying why it is not one."""
    if not isinstance(event, dict):
        raise Skip("malformed", "event is not an object")
    if event.get("type") != ROOM_MESSAGE:
        raise Skip("other", str(event.get("type")))
    event_id, sender = event.get("event_id"), event.get("sender")
    if not isinstance(event_id, str) or not event_id or not isinstance(sender, str) or not sender.startswith("@"):
        raise Skip("malformed", "event_id or sender missing")
    created_at = _timestamp(event.get("origin_server_ts"))
    content = event.get("content")
    unsigned = event.get("unsigned") if isinstance(event.get("unsigned"), dict) else {}
    if content == {} or "redacted_because" in unsigned:
        raise Skip("redacted", event_id)
    if (
        not isinstance(content, dict)
        or not isinstance(content.get("body"), str)
        or not isinstance(content.get("msgtype"), str)
    ):
        raise Skip("malformed", f"{event_id}: content without body or msgtype")
    if is_edit(content):
        raise Skip("edit", event_id)

    parent = reply_parent(content)
    text, original = message_text(content, is_reply=bool(parent))
    sender_name = clean_name(room.display_name(sender))
    text = display_text(content, text, sender_name)
    if is_direct:
        kind = ItemKind.DIRECT_MESSAGE
    elif parent:
        kind = ItemKind.REPLY
    elif sender != me and mentions_user(content, me, me_name):
        kind = ItemKind.MENTION
    else:
        kind = ItemKind.COMMENT
    return IncomingItem(
        platform_item_id=event_id,
        kind=kind,
        text=text,
        created_at=created_at,
        author=IncomingAuthor(
            platform_author_id=sender,
            display_name=sender_name or sender,
            handle=sender,
            url=matrix_to(sender),
        ),
        thread_platform_id=room.room_id,
        parent_platform_id=parent,
        url=matrix_to(room.room_id, event_id, via),
        original=original,
        is_own=sender == me,
        thread_title=room.label(me),
        ref=make_ref(room.room_id, event_id),
    )
