"""Mastodon JSON -> ``cmdesk.core`` values, and the small pure helpers around them.

Follows the Mastodon documentation, entities section: ``Status`` (content, spoiler_text,
visibility, in_reply_to_id, in_reply_to_account_id, reblog, media_attachments, poll, emojis,
edited_at, mentions), ``Account`` (id, acct, display_name, avatar_static), ``Notification``
(id, type, status), ``Conversation`` (id, accounts, last_status), ``Role`` (permission flags)
and ``Instance`` (v2: domain, configuration.statuses). Nothing Mastodon-shaped leaves this
module: the connector gets ``IncomingItem`` values and plain strings.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html import unescape

from cmdesk.connectors.base import Permanent
from cmdesk.connectors.http import decode_json
from cmdesk.core.models import IncomingAuthor, IncomingItem, ItemKind
from cmdesk.core.templates.length import MASTODON_URL_WEIGHT, Unit, count
from cmdesk.core.text import clean_name, clean_text, html_to_text, tidy_extracted_text

log = logging.getLogger("cmdesk.connectors.mastodon")

DEFAULT_MAX_CHARACTERS = 500  # Mastodon's default when the instance does not say
URL_WEIGHT = 23  # configuration.statuses.characters_reserved_per_url default

# Role permission flags (entities/Role, "Permission flags").
PERM_ADMINISTRATOR = 0x1
PERM_MANAGE_REPORTS = 0x10
PERM_MANAGE_USERS = 0x400

_MEDIA_LABELS = {"image": "image", "gifv": "GIF", "video": "video", "audio": "audio"}


class Malformed(ValueError):
    """One object is not the documented shape (the caller skips it and counts it)."""


# ---- ids and times ------------------------------------------------------------------------


def id_key(value: str) -> tuple[int, str]:
    """Sort key for Mastodon ids: strings "cast from an integer but not guaranteed to be a number".

    Numeric ids compare as numbers (a longer id is a newer one); anything else falls back to
    string order, which is what the server's own string comparison would give.
    """
    return (len(value), value) if value.isdigit() else (0, value)


def newest_id(ids: list[str]) -> str | None:
    return max(ids, key=id_key) if ids else None


def parse_time(value: object) -> datetime:
    """A Mastodon Datetime (ISO 8601, usually with ``Z``) as an aware UTC datetime."""
    if not isinstance(value, str) or not value:
        raise Malformed("missing created_at")
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        # "2022-10-31" (a date only, as last_status_at is) or other odd shapes
        try:
            moment = datetime.fromisoformat(text[:10])
        except ValueError as exc:
            raise Malformed(f"bad datetime {value!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _str_id(value: object, what: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value:
        return value
    raise Malformed(f"missing {what}")


def _opt_id(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) else ""


# ---- text -----------------------------------------------------------------------------------


def attachment_text(media: object) -> str:
    """``[image: description]`` for one MediaAttachment (``[image]`` without a description)."""
    if not isinstance(media, dict):
        return "[attachment]"
    label = _MEDIA_LABELS.get(str(media.get("type") or ""), "attachment")
    description = clean_text(str(media.get("description") or "")).strip()
    description = " ".join(description.split())
    return f"[{label}: {description}]" if description else f"[{label}]"


def poll_text(poll: object) -> str:
    if not isinstance(poll, dict):
        return ""
    titles = []
    for option in poll.get("options") or []:
        if isinstance(option, dict) and option.get("title"):
            titles.append(" ".join(clean_text(str(option["title"])).split()))
    return f"[poll: {' / '.join(titles)}]" if titles else "[poll]"


# Mastodon sanitises ``content`` on the server (its Sanitize config "MASTODON_STRICT"): paragraphs,
# ``<br>``, links, ``<span>`` for mentions (``h-card``) and for the hidden parts of long links
# (``invisible``, ``ellipsis``), plus a few formatting tags in posts from other servers. For that
# markup a regex split over the tags extracts the same text as ``html_to_text``'s html.parser at
# a fraction of the cost. Anything outside it (another tag, a comment, a stray "<", an unquoted
# attribute, ``</br>``…) goes to ``html_to_text``, which stays the reference; the differential
# tests in tests/connectors/mastodon/test_mastodon_fast_text.py hold the two to the same output.

# What ``html_to_text`` does with each tag of the subset (names as html.parser lowers them).
_BREAK, _BLOCK, _PLAIN = "br", "block", "plain"  # a line break; a block (p, li…); text only
_TAG_ROLES = {
    "br": _BREAK,
    **dict.fromkeys(("p", "li", "blockquote", "pre"), _BLOCK),
    **dict.fromkeys(
        ("a", "span", "b", "strong", "i", "em", "u", "s", "del", "code", "ul", "ol", "sub", "sup", "ruby", "rt", "rp"),
        _PLAIN,
    ),
}
_SPACE = "[ \t\n\r\f]"  # what html.parser's tag regexes both count as space (not \v, not Unicode)
# Only quoted attribute values, separated by spaces: Mastodon writes nothing else, and there the
# end of the tag cannot be in doubt. Values are bounded so that a hostile "<a x=\"…" stays linear.
_ATTRIBUTE = f"{_SPACE}+[a-zA-Z_:][-a-zA-Z0-9_:.]*=(?:\"[^\"]{{0,4096}}\"|'[^']{{0,4096}}')"
# Groups (what ``split`` interleaves with the text): end tag name; start tag name; "/" of "<br/>".
_TAG_RE = re.compile(f"<(?:/([a-zA-Z][a-zA-Z0-9]*){_SPACE}*|([a-zA-Z][a-zA-Z0-9]*)(?:{_ATTRIBUTE})*{_SPACE}*(/?))>")


def content_text(content: str) -> str:
    """``html_to_text(content)``: the same text, several times faster for Mastodon's markup."""
    if "<" in content or "&" in content:
        extracted = _sanitised_text(content)
        if extracted is not None:
            return tidy_extracted_text(extracted)
    return html_to_text(content)


def _sanitised_text(markup: str) -> str | None:
    """The text html.parser extracts from ``markup`` for ``html_to_text``, or None when the markup
    is not of the subset handled here.

    Mirrors ``core.text._TextExtractor``: each run of text between tags is unescaped on its own
    (an entity cannot span a tag), a block tag starts a new line unless one was just started and
    ends with a blank line after ``</p>``, a newline after the others; ``<br>`` is a newline.
    """
    pieces = _TAG_RE.split(markup)  # text, end name, start name, "/", text, … text
    if markup.count("<") != len(pieces) // 4:
        return None  # a "<" that is no tag of the subset (or one inside an attribute value)
    parts: list[str] = []
    for index in range(0, len(pieces), 4):
        text = pieces[index]
        if text:
            parts.append(unescape(text))
        if index + 1 == len(pieces):
            break
        end, start, slash = pieces[index + 1], pieces[index + 2], pieces[index + 3]
        name = (start or end).lower()
        role = _TAG_ROLES.get(name)
        if role is None or (end and role is _BREAK):
            return None  # another tag, or "</br>" (browsers read it as <br>; leave it to the reference)
        at_line_start = not parts or parts[-1].endswith("\n")
        if start and (role is _BREAK or (role is _BLOCK and not at_line_start)):
            parts.append("\n")
        if (end or slash) and role is _BLOCK:  # "<p/>" is a start and an end tag to html.parser
            parts.append("\n\n" if name == "p" else "\n")
    return "".join(parts)


def status_text(status: dict) -> str:
    """A status as plain text: content warning, content, poll, then attachments.

    Custom emoji stay as ``:shortcode:`` (that is how they appear in ``content``; servers that
    inline ``<img alt=":shortcode:">`` get the alt text). HTML entities are decoded.
    """
    parts = []
    spoiler = clean_text(str(status.get("spoiler_text") or "")).strip()
    if spoiler:
        parts.append(f"CW: {spoiler}")
    content = status.get("content")
    if content is None and isinstance(status.get("text"), str):
        content = status["text"]  # a deleted status carries its source in `text`
    if not isinstance(content, str):
        raise Malformed("content is not a string")
    body = content_text(content)
    if body:
        parts.append(body)
    if status.get("poll"):
        parts.append(poll_text(status["poll"]))
    media = status.get("media_attachments") or []
    if isinstance(media, list) and media:
        parts.append("\n".join(attachment_text(m) for m in media))
    return "\n\n".join(parts)


_URL_RE = re.compile(r"https?://[^\s<>\"]+", re.I)


def status_length(text: str, url_weight: int = URL_WEIGHT) -> int:
    """Characters as Mastodon counts them (the shared core counter: graphemes, each URL weighs
    23, a remote mention counts as ``@username``), adjusted when the instance reserves another
    weight per URL (``configuration.statuses.characters_reserved_per_url``)."""
    counted = count(text, Unit.MASTODON)
    if url_weight != MASTODON_URL_WEIGHT:
        counted += (url_weight - MASTODON_URL_WEIGHT) * len(_URL_RE.findall(text))
    return counted


# ---- accounts -------------------------------------------------------------------------------


def account_handle(account: dict, local_domain: str) -> str:
    """``@user@domain`` for everybody, local accounts included (their ``acct`` has no domain)."""
    acct = str(account.get("acct") or account.get("username") or "")
    if not acct:
        return ""
    return f"@{acct}" if "@" in acct or not local_domain else f"@{acct}@{local_domain}"


# Authors recur (an account's regulars, the people of a thread), and the same Account JSON gives
# the same IncomingAuthor (it is immutable): the last few thousand are kept, keyed on every field
# ``_new_author`` reads. Only keys made of strings and None are kept: no other JSON value equals
# one of those, so 1, 1.0 and True (equal as keys, different as text) never share an entry.
_AUTHOR_FIELDS = ("id", "acct", "username", "display_name", "url", "avatar_static", "avatar")
_AUTHORS: dict[tuple, IncomingAuthor] = {}
_AUTHORS_KEPT = 2048


def parse_author(account: object, local_domain: str) -> IncomingAuthor:
    if not isinstance(account, dict):
        raise Malformed("missing account")
    key = (local_domain, *map(account.get, _AUTHOR_FIELDS))
    try:
        author = _AUTHORS.get(key)
    except TypeError:  # a list or an object where a string belongs: not worth keeping
        return _new_author(account, local_domain)
    if author is None:
        author = _new_author(account, local_domain)
        if all(value is None or type(value) is str for value in key):
            if len(_AUTHORS) >= _AUTHORS_KEPT:
                _AUTHORS.clear()
            _AUTHORS[key] = author
    return author


def _new_author(account: dict, local_domain: str) -> IncomingAuthor:
    author_id = _str_id(account.get("id"), "account id")
    handle = account_handle(account, local_domain)
    name = clean_name(str(account.get("display_name") or "")) or clean_name(str(account.get("username") or ""))
    return IncomingAuthor(
        platform_author_id=author_id,
        display_name=name or handle,
        handle=handle,
        url=str(account.get("url") or ""),
        avatar_url=str(account.get("avatar_static") or account.get("avatar") or ""),
    )


def role_permissions(account: dict) -> int:
    """The permission bitmask of a CredentialAccount's ``role`` (an Integer in the docs, a string
    in the wild); 0 when there is no role (Mastodon < 4.0)."""
    role = account.get("role")
    if not isinstance(role, dict):
        return 0
    value = role.get("permissions")
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def can_moderate_users(permissions: int) -> bool:
    return bool(permissions & (PERM_ADMINISTRATOR | PERM_MANAGE_USERS))


def instance_limits(instance: object) -> tuple[str, int, int]:
    """``(domain, max_characters, characters_reserved_per_url)`` from GET /api/v2/instance
    (or v1's ``uri`` and ``configuration``), with Mastodon's defaults for what is missing."""
    if not isinstance(instance, dict):
        return "", DEFAULT_MAX_CHARACTERS, URL_WEIGHT
    domain = str(instance.get("domain") or instance.get("uri") or "")
    statuses = (instance.get("configuration") or {}).get("statuses") or {}
    max_chars = statuses.get("max_characters")
    url_weight = statuses.get("characters_reserved_per_url")
    if not isinstance(max_chars, int) or max_chars <= 0:
        max_chars = instance.get("max_toot_chars") if isinstance(instance.get("max_toot_chars"), int) else None
    return (
        domain,
        max_chars if isinstance(max_chars, int) and max_chars > 0 else DEFAULT_MAX_CHARACTERS,
        url_weight if isinstance(url_weight, int) and url_weight > 0 else URL_WEIGHT,
    )


# ---- statuses -> items ----------------------------------------------------------------------


@dataclass(frozen=True)
class Me:
    """What parsing needs to know about the signed-in account."""

    account_id: str
    acct: str
    domain: str


def _mention_accts(status: dict, me: Me) -> list[str]:
    """Who a reply must address: the author first, then the others mentioned, never ourselves."""
    out: list[str] = []
    author = status.get("account") or {}
    candidates = [author] + [m for m in status.get("mentions") or [] if isinstance(m, dict)]
    for account in candidates:
        acct = str(account.get("acct") or "")
        if acct and _opt_id(account.get("id")) != me.account_id and acct not in out:
            out.append(acct)
    return out


def item_kind(status: dict, me: Me) -> ItemKind:
    """Direct -> DIRECT_MESSAGE; an answer to one of our statuses -> REPLY; a mention -> MENTION;
    any other answer -> REPLY; a root status -> COMMENT (only seen in thread context)."""
    if status.get("visibility") == "direct":
        return ItemKind.DIRECT_MESSAGE
    if _opt_id(status.get("in_reply_to_account_id")) == me.account_id and me.account_id:
        return ItemKind.REPLY
    mentioned = {_opt_id(m.get("id")) for m in status.get("mentions") or [] if isinstance(m, dict)}
    if me.account_id in mentioned:
        return ItemKind.MENTION
    return ItemKind.REPLY if status.get("in_reply_to_id") else ItemKind.COMMENT


# ``json.dumps`` with options builds a new encoder at every call; one encoder serves every ref.
_REF_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def status_item(status: object, me: Me, *, conversation_id: str = "") -> IncomingItem:
    """One Status as an IncomingItem; raises ``Malformed`` when it is not the documented shape.

    ``ref`` keeps what acting on it later needs: the status id, visibility, author id and acct,
    the accounts a reply must mention, whether it is ours, and edit / conversation markers.
    """
    if not isinstance(status, dict):
        raise Malformed("status is not an object")
    if status.get("reblog"):
        raise Malformed("a boost is not an item")
    status_id = _str_id(status.get("id"), "status id")
    author = parse_author(status.get("account"), me.domain)
    text = status_text(status)
    content = status.get("content") if isinstance(status.get("content"), str) else ""
    visibility = str(status.get("visibility") or "public")
    parent = _opt_id(status.get("in_reply_to_id"))
    is_own = bool(me.account_id) and author.platform_author_id == me.account_id
    ref = {
        "id": status_id,
        "vis": visibility,
        "aid": author.platform_author_id,
        "acct": str((status.get("account") or {}).get("acct") or ""),
        "mentions": _mention_accts(status, me),
    }
    if is_own:
        ref["own"] = True
    if status.get("spoiler_text"):
        ref["cw"] = str(status["spoiler_text"])
    if status.get("edited_at"):
        ref["edited_at"] = str(status["edited_at"])
    if conversation_id:
        ref["conv"] = conversation_id
    return IncomingItem(
        platform_item_id=status_id,
        kind=item_kind(status, me),
        text=text,
        created_at=parse_time(status.get("created_at")),
        author=author,
        thread_platform_id=parent or status_id,
        parent_platform_id=parent,
        url=str(status.get("url") or status.get("uri") or ""),
        lang=str(status.get("language") or ""),
        original=content if content and content != text else "",
        is_own=is_own,
        ref=_REF_JSON.encode(ref),
    )


def load_ref(ref: str) -> dict:
    """The ``ref`` JSON handed back in ``Target.ref`` ({} when absent or unreadable)."""
    if not ref:
        return {}
    try:
        value = json.loads(ref)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# ---- sync position and scopes -----------------------------------------------------------


@dataclass(frozen=True)
class SyncCursor:
    """``{"v":1,"n":<newest notification id>,"c":<newest conversation last-status id>,"d":<pages>}``.

    A missing part means that stream has not had its first sync yet; ``"0"`` means it had
    one and found nothing (so everything after it is new). ``d`` counts the pages of a
    catch-up read since the direct messages were last read (0 or missing: not in a catch-up).
    """

    notifications: str | None = None
    conversations: str | None = None
    dm_pages_behind: int = 0

    @classmethod
    def load(cls, cursor: str | None) -> SyncCursor:
        if not cursor:
            return cls()
        try:
            data = json.loads(cursor)
        except ValueError:
            data = None
        if not isinstance(data, dict) or data.get("v") != 1:
            raise Permanent("The saved Mastodon sync position is unreadable; reset this account's sync.")
        n, c, d = data.get("n"), data.get("c"), data.get("d")
        behind = d if isinstance(d, int) and not isinstance(d, bool) and 0 <= d < 1000 else 0
        return cls(n if isinstance(n, str) else None, c if isinstance(c, str) else None, behind)

    def dump(self) -> str:
        data: dict = {"v": 1}
        if self.notifications is not None:
            data["n"] = self.notifications
        if self.conversations is not None:
            data["c"] = self.conversations
        if self.dm_pages_behind:
            data["d"] = self.dm_pages_behind
        return json.dumps(data, separators=(",", ":"))


def has_scope(granted: set[str], needed: str) -> bool:
    """OAuth scopes are hierarchical: ``write`` covers ``write:blocks``, ``admin:write`` covers
    ``admin:write:accounts`` (API docs, "OAuth scopes")."""
    parts = needed.split(":")
    return any(":".join(parts[:i]) in granted for i in range(1, len(parts) + 1))


# ---- pages ---------------------------------------------------------------------------------


@dataclass
class PageResult:
    items: list[IncomingItem]
    skipped: int = 0


def items_from_notifications(page: object, me: Me) -> tuple[PageResult, list[str]]:
    """Mention notifications -> items; returns the result and every notification id seen.

    Other types (reblog, favourite, follow…) are not items: boosts and likes are not
    something to answer. A page that is not a list raises ``Malformed``.
    """
    if not isinstance(page, list):
        raise Malformed("notifications page is not a list")
    result, ids = PageResult([]), []
    for entry in page:
        if not isinstance(entry, dict) or _opt_id(entry.get("id")) == "":
            result.skipped += 1
            log.warning("Mastodon: skipped a notification without an id")
            continue
        ids.append(_opt_id(entry.get("id")))
        if entry.get("type") != "mention":
            continue
        if not entry.get("status"):
            log.debug("Mastodon: mention notification %s has no status (deleted)", entry.get("id"))
            continue
        try:
            result.items.append(status_item(entry["status"], me))
        except Malformed as exc:
            result.skipped += 1
            log.warning("Mastodon: skipped notification %s: %s", entry.get("id"), exc)
    return result, ids


def notifications_page(body: bytes, host: str, me: Me) -> tuple[PageResult, list[str], int]:
    """A notifications page as ``host`` sent it -> its items, every notification id it holds,
    and how many notifications it holds. Large pages are parsed in the page worker
    (``connectors.page_worker``): this depends on its arguments only."""
    page = decode_json(body, host)
    result, ids = items_from_notifications(page, me)
    return result, ids, len(page)


def items_from_conversations(page: object, me: Me) -> tuple[PageResult, list[str], list[dict]]:
    """Conversations -> the last status of each as an item.

    Returns the result, the ``last_status`` ids (conversations paginate by them), and the
    raw last statuses of the conversations that produced an item (to look up earlier ones).
    """
    if not isinstance(page, list):
        raise Malformed("conversations page is not a list")
    result, ids, statuses = PageResult([]), [], []
    for entry in page:
        status = entry.get("last_status") if isinstance(entry, dict) else None
        if not isinstance(status, dict):
            if not (isinstance(entry, dict) and "last_status" in entry):
                result.skipped += 1
                log.warning("Mastodon: skipped a conversation that is not the documented shape")
            continue  # a conversation whose last status was deleted has none
        status_id = _opt_id(status.get("id"))
        if status_id:
            ids.append(status_id)
        try:
            result.items.append(status_item(status, me, conversation_id=_opt_id(entry.get("id"))))
            statuses.append(status)
        except Malformed as exc:
            result.skipped += 1
            log.warning("Mastodon: skipped conversation %s: %s", entry.get("id"), exc)
    return result, ids, statuses


def items_from_statuses(statuses: object, me: Me) -> PageResult:
    if not isinstance(statuses, list):
        raise Malformed("expected a list of statuses")
    result = PageResult([])
    for status in statuses:
        try:
            result.items.append(status_item(status, me))
        except Malformed as exc:
            if isinstance(status, dict) and status.get("reblog"):
                continue
            result.skipped += 1
            log.warning("Mastodon: skipped a status: %s", exc)
    return result
