"""Bluesky JSON to ``cmdesk.core`` values, at the edge.

Followed lexicons (github.com/bluesky-social/atproto/tree/main/lexicons):
- ``app.bsky.notification.listNotifications#notification``: uri, cid, author (profileView),
  reason (``reply`` / ``mention`` / ``quote`` are the ones we keep), reasonSubject, record
  (the raw ``app.bsky.feed.post``), isRead, indexedAt, labels.
- ``app.bsky.feed.defs``: postView (uri, cid, author, record, embed view, indexedAt, labels,
  threadgate), threadViewPost (post, parent, replies), notFoundPost, blockedPost.
- ``app.bsky.feed.post``: text, facets, reply {root, parent} strong refs, embed, langs, labels
  (``com.atproto.label.defs#selfLabels``), createdAt.
- Embeds: ``app.bsky.embed.images`` (alt text per image), ``external``, ``record`` (quote),
  ``recordWithMedia``, ``video``; views ``…#view`` and ``app.bsky.embed.record#viewRecord`` /
  ``#viewNotFound`` / ``#viewBlocked`` / ``#viewDetached``.
- ``com.atproto.label.defs#label`` (val, neg) and ``app.bsky.feed.threadgate`` (hiddenReplies).

A missing or odd field in one item raises ``Malformed`` for that item only; the caller skips it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from cmdesk.connectors.bluesky_text import (
    AtUri,
    expand_links,
    mentioned_dids,
    parse_datetime,
    tid_time,
    uri_authority,
    web_url,
)
from cmdesk.core.models import IncomingAuthor, IncomingItem, ItemKind, Moderation
from cmdesk.core.text import clean_name, clean_text

POST = "app.bsky.feed.post"
REASON_KINDS = {"reply": ItemKind.REPLY, "mention": ItemKind.MENTION, "quote": ItemKind.COMMENT}
WANTED_REASONS = tuple(REASON_KINDS)
HIDING_LABELS = frozenset({"!hide", "!takedown"})  # com.atproto.label.defs: the network hides these
_EPOCH = datetime.fromtimestamp(0, UTC)


class Malformed(ValueError):
    """One item is not in the documented shape."""


@dataclass(frozen=True, slots=True)
class StrongRef:
    uri: str
    cid: str

    def as_json(self) -> dict:
        return {"uri": self.uri, "cid": self.cid}


def strong_ref(value: object) -> StrongRef | None:
    if not isinstance(value, dict):
        return None
    uri, cid = value.get("uri"), value.get("cid")
    if isinstance(uri, str) and uri.startswith("at://") and isinstance(cid, str) and cid:
        return StrongRef(uri, cid)
    return None


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


# ---- authors and labels --------------------------------------------------------------------


def author_of(profile: object) -> IncomingAuthor:
    if not isinstance(profile, dict) or not _str(profile.get("did")).startswith("did:"):
        raise Malformed("author without a DID")
    did, handle = profile["did"], _str(profile.get("handle"))
    shown_handle = handle if handle and handle != "handle.invalid" else ""
    return IncomingAuthor(
        platform_author_id=did,
        display_name=clean_name(_str(profile.get("displayName"))) or shown_handle or did,
        handle=shown_handle,
        url=f"https://bsky.app/profile/{shown_handle or did}",
        avatar_url=_str(profile.get("avatar")),
    )


def label_values(*sources: object) -> list[str]:
    """Label values in force: ``com.atproto.label.defs#label`` lists (``neg`` removes) and self-labels."""
    on: dict[str, bool] = {}
    for source in sources:
        if isinstance(source, dict):  # selfLabels: {"values": [{"val": …}]}
            source = source.get("values")
        for label in source if isinstance(source, list) else []:
            if isinstance(label, dict) and isinstance(label.get("val"), str) and label["val"]:
                on[label["val"]] = not label.get("neg", False)
    return sorted(v for v, active in on.items() if active)


# ---- text and embeds -----------------------------------------------------------------------


def _images(embed: dict) -> list[str]:
    lines = []
    for image in embed.get("images") or []:
        alt = clean_text(_str(image.get("alt"))).strip() if isinstance(image, dict) else ""
        lines.append(f"[image: {alt}]" if alt else "[image]")
    return lines


def _media_lines(embed: dict) -> list[str]:
    kind = _str(embed.get("$type")).split("#")[0]
    if kind == "app.bsky.embed.images":
        return _images(embed)
    if kind == "app.bsky.embed.video":
        alt = clean_text(_str(embed.get("alt"))).strip()
        return [f"[video: {alt}]" if alt else "[video]"]
    if kind == "app.bsky.embed.external":
        external = embed.get("external") if isinstance(embed.get("external"), dict) else {}
        title, uri = clean_text(_str(external.get("title"))).strip(), _str(external.get("uri"))
        return [f"[link: {title} {uri}]".replace("  ", " ") if title else f"[link: {uri}]"] if uri else []
    return []


def _quote_line(record_view: object, raw: object, own_did: str) -> tuple[list[str], bool]:
    """What a quoted record adds to the text, and whether its author detached it."""
    view = record_view if isinstance(record_view, dict) else {}
    kind = _str(view.get("$type"))
    if kind.endswith("#viewDetached") or view.get("detached") is True:
        return ["[quoted post removed by its author]"], True
    if kind.endswith("#viewNotFound") or view.get("notFound") is True:
        return ["[quoted post deleted]"], False
    if kind.endswith("#viewBlocked") or view.get("blocked") is True:
        return ["[quoted post from a blocked account]"], False
    if kind.endswith("#viewRecord") and isinstance(view.get("value"), dict):
        who = view.get("author") if isinstance(view.get("author"), dict) else {}
        text = clean_text(_str(view["value"].get("text"))).strip()
        handle = _str(who.get("handle"))
        return ([f"[quoting @{handle}: {text}]" if text else f"[quoting @{handle}]"] if handle else []), False
    ref = strong_ref(raw.get("record") if isinstance(raw, dict) else None)
    if ref and own_did and uri_authority(ref.uri) == own_did:
        return ["[quoting your post]"], False
    return ([f"[quoting {web_url(ref.uri) or ref.uri}]"] if ref else []), False


def embed_lines(
    raw_embed: object, view_embed: object = None, own_did: str = ""
) -> tuple[list[str], StrongRef | None, bool]:
    """Plain-text lines for a post's embed, the quoted post's strong ref, and whether it was detached.

    ``raw_embed`` is the record's embed; ``view_embed`` the hydrated view when the API gave one.
    """
    raw = raw_embed if isinstance(raw_embed, dict) else {}
    view = view_embed if isinstance(view_embed, dict) else {}
    kind = _str(raw.get("$type")) or _str(view.get("$type")).split("#")[0]
    if kind == "app.bsky.embed.record":
        lines, detached = _quote_line(view.get("record"), raw, own_did)
        return lines, strong_ref(raw.get("record")), detached
    if kind == "app.bsky.embed.recordWithMedia":
        raw_record = raw.get("record") if isinstance(raw.get("record"), dict) else {}
        view_record = view.get("record") if isinstance(view.get("record"), dict) else {}
        media = raw.get("media") if isinstance(raw.get("media"), dict) else view.get("media")
        lines = _media_lines(media) if isinstance(media, dict) else []
        quote, detached = _quote_line(view_record.get("record"), raw_record, own_did)
        return lines + quote, strong_ref(raw_record.get("record")), detached
    source = raw or view
    return _media_lines(source), None, False


def post_text(record: dict, view_embed: object = None, own_did: str = "") -> tuple[str, str, StrongRef | None, bool]:
    """``(plain text, original text, quoted ref, quote detached)`` of a post record."""
    original = _str(record.get("text"))
    text = clean_text(expand_links(original, record.get("facets")))
    lines, quoted, detached = embed_lines(record.get("embed"), view_embed, own_did)
    text = "\n".join(part for part in [text.strip(), *lines] if part)
    return text, (original if original != text else ""), quoted, detached


# ---- posts ---------------------------------------------------------------------------------


def make_ref(
    uri: str,
    cid: str,
    did: str,
    root: StrongRef,
    parent: StrongRef | None,
    quoted: StrongRef | None,
    reason: str,
    labels: list[str],
) -> str:
    """The compact JSON kept with the item (``IncomingItem.ref``) to act on it later."""
    data: dict = {"uri": uri, "cid": cid, "did": did, "root": root.as_json()}
    if parent:
        data["parent"] = parent.as_json()
    if quoted:
        data["quote"] = quoted.as_json()
    if reason:
        data["reason"] = reason
    if labels:
        data["labels"] = labels
    return json.dumps(data, separators=(",", ":"), sort_keys=True)


def read_ref(ref: str) -> dict:
    """The ref JSON back; {} when it is missing or not ours."""
    try:
        data = json.loads(ref) if ref else {}
    except ValueError:
        return {}
    if not isinstance(data, dict) or not _str(data.get("uri")).startswith("at://") or not _str(data.get("cid")):
        return {}
    return data


def kind_for(record: dict, own_did: str, quoted: StrongRef | None) -> ItemKind:
    if strong_ref((record.get("reply") or {}).get("parent") if isinstance(record.get("reply"), dict) else None):
        return ItemKind.REPLY
    if quoted and uri_authority(quoted.uri) == own_did:
        return ItemKind.COMMENT
    if own_did and own_did in mentioned_dids(record.get("facets")):
        return ItemKind.MENTION
    return ItemKind.COMMENT


def post_item(
    *,
    uri: object,
    cid: object,
    author: object,
    record: object,
    own_did: str,
    indexed_at: object = None,
    view_embed: object = None,
    labels: object = None,
    reason: str = "",
    hidden: frozenset[str] = frozenset(),
) -> IncomingItem:
    """One post as an ``IncomingItem`` (from a notification or a thread view)."""
    if not isinstance(uri, str) or not uri.startswith("at://") or not isinstance(cid, str) or not cid:
        raise Malformed("post without uri/cid")
    if not isinstance(record, dict):
        raise Malformed("post without a record")
    try:
        at = AtUri.parse(uri)
    except ValueError as exc:
        raise Malformed(str(exc)) from exc
    if at.collection != POST:
        raise Malformed(f"not a post: {at.collection}")
    who = author_of(author)
    created = parse_datetime(record.get("createdAt")) or parse_datetime(indexed_at)
    if created is None:
        raise Malformed("post without a valid createdAt")
    text, original, quoted, detached = post_text(record, view_embed, own_did)
    reply = record.get("reply") if isinstance(record.get("reply"), dict) else {}
    root, parent = strong_ref(reply.get("root")), strong_ref(reply.get("parent"))
    if reply and not (root and parent):
        raise Malformed("reply without root/parent strong refs")
    own_quote = quoted is not None and uri_authority(quoted.uri) == own_did
    thread, parent_id = (root.uri, parent.uri) if root and parent else (uri, "")
    if reason == "quote" and own_quote and not parent:
        thread, parent_id = quoted.uri, quoted.uri  # a quote of our post is filed under that post
    found_labels = label_values(labels, record.get("labels"))
    moderation = Moderation.VISIBLE
    if uri in hidden or (detached and own_quote) or HIDING_LABELS.intersection(found_labels):
        moderation = Moderation.HIDDEN
    langs = record.get("langs")
    lang = langs[0] if isinstance(langs, list) and langs and isinstance(langs[0], str) else ""
    return IncomingItem(
        platform_item_id=uri,
        kind=REASON_KINDS.get(reason) or kind_for(record, own_did, quoted),
        text=text,
        created_at=created,
        author=who,
        thread_platform_id=thread,
        parent_platform_id=parent_id,
        url=web_url(uri, who.handle),
        lang=lang[:35],
        original=original,
        is_own=bool(own_did) and who.platform_author_id == own_did,
        moderation=moderation,
        ref=make_ref(
            uri, cid, who.platform_author_id, root or StrongRef(uri, cid), parent, quoted, reason, found_labels
        ),
    )


def notification_item(notification: object, own_did: str) -> IncomingItem:
    """A ``listNotifications`` entry with reason reply / mention / quote."""
    if not isinstance(notification, dict):
        raise Malformed("notification is not an object")
    reason = _str(notification.get("reason"))
    if reason not in REASON_KINDS:
        raise Malformed(f"unexpected reason {reason!r}")
    return post_item(
        uri=notification.get("uri"),
        cid=notification.get("cid"),
        author=notification.get("author"),
        record=notification.get("record"),
        own_did=own_did,
        indexed_at=notification.get("indexedAt"),
        labels=notification.get("labels"),
        reason=reason,
    )


def view_item(view: object, own_did: str, hidden: frozenset[str] = frozenset()) -> IncomingItem:
    """A ``postView`` (threads, ``getPosts``)."""
    if not isinstance(view, dict):
        raise Malformed("postView is not an object")
    return post_item(
        uri=view.get("uri"),
        cid=view.get("cid"),
        author=view.get("author"),
        record=view.get("record"),
        own_did=own_did,
        indexed_at=view.get("indexedAt"),
        view_embed=view.get("embed"),
        labels=view.get("labels"),
        hidden=hidden,
    )


def placeholder_item(node: dict, own_did: str, thread: str) -> IncomingItem | None:
    """A deleted (``notFoundPost``) or blocked (``blockedPost``) post in a thread, shown as a gap."""
    uri = _str(node.get("uri"))
    try:
        at = AtUri.parse(uri)
    except ValueError:
        return None
    blocked = node.get("blocked") is True
    blocked_author = node.get("author") if isinstance(node.get("author"), dict) else {}
    did = _str(blocked_author.get("did")) or at.authority
    return IncomingItem(
        platform_item_id=uri,
        kind=ItemKind.REPLY,
        text="[post from a blocked or blocking account]" if blocked else "[deleted post]",
        created_at=tid_time(at.rkey) or _EPOCH,  # the record key is the only clue left
        author=IncomingAuthor(platform_author_id=did, display_name=did, url=f"https://bsky.app/profile/{did}"),
        thread_platform_id=thread or uri,
        url=web_url(uri),
        is_own=did == own_did,
        moderation=Moderation.VISIBLE if blocked else Moderation.DELETED,
    )


def hidden_replies_of(root_view: object) -> frozenset[str]:
    """The ``hiddenReplies`` of a ``threadgate`` view: the one the AppView attaches to a thread's root
    post, or the top-level one of a ``getPostThread`` answer (pass ``{"threadgate": …}``)."""
    gate = root_view.get("threadgate") if isinstance(root_view, dict) else None
    record = gate.get("record") if isinstance(gate, dict) else None
    hidden = record.get("hiddenReplies") if isinstance(record, dict) else None
    return frozenset(u for u in hidden if isinstance(u, str)) if isinstance(hidden, list) else frozenset()
