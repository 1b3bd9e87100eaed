"""Domain objects: accounts, authors, threads, items, notes and the audit trail.

These are plain, immutable values. Connectors build ``Incoming*`` values from platform
JSON; the store turns them into rows and gives back the read-side values (``Item``,
``ItemRow``). Enumerations are small integers so that they index well in SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntEnum, StrEnum


class Platform(StrEnum):
    """Every platform CMDesk knows; connectors exist for some of them."""

    MASTODON = "mastodon"
    BLUESKY = "bluesky"
    MATRIX = "matrix"
    YOUTUBE = "youtube"
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    TELEGRAM = "telegram"
    DISCOURSE = "discourse"

    @property
    def label(self) -> str:
        return _PLATFORM_LABELS[self]


_PLATFORM_LABELS = {
    Platform.MASTODON: "Mastodon",
    Platform.BLUESKY: "Bluesky",
    Platform.MATRIX: "Matrix",
    Platform.YOUTUBE: "YouTube",
    Platform.FACEBOOK: "Facebook",
    Platform.INSTAGRAM: "Instagram",
    Platform.TELEGRAM: "Telegram",
    Platform.DISCOURSE: "Discourse",
}


class ItemKind(IntEnum):
    COMMENT = 0
    REPLY = 1
    MENTION = 2
    DIRECT_MESSAGE = 3
    REVIEW = 4


class Status(IntEnum):
    """Where an item stands in the community manager's work."""

    NEW = 0  # never opened
    OPEN = 1  # seen, still needs an answer or a decision
    ANSWERED = 2  # we replied
    DONE = 3  # nothing more to do
    SPAM = 4

    @property
    def needs_reply(self) -> bool:
        return self in (Status.NEW, Status.OPEN)


class Moderation(IntEnum):
    """Whether the item is visible on its platform."""

    VISIBLE = 0
    HIDDEN = 1
    DELETED = 2


class QueueState(IntEnum):
    """Position of an item in the moderation queue."""

    NONE = 0  # never flagged
    PENDING = 1  # flagged, waiting for a moderator
    APPROVED = 2  # a moderator kept it
    ACTIONED = 3  # a moderator hid, deleted or banned


class View(StrEnum):
    """The fixed views of the sidebar; each is also a filter of ``InboxQuery``."""

    ALL = "all"
    UNANSWERED = "unanswered"
    MODERATION = "moderation"
    MENTIONS = "mentions"
    DONE = "done"
    SPAM = "spam"


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_millis(moment: datetime) -> int:
    """Timestamps are stored as integer UTC milliseconds (compact, index-friendly)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: CMDesk only stores timezone-aware times")
    return int(moment.timestamp() * 1000)


def from_millis(millis: int) -> datetime:
    return datetime.fromtimestamp(millis / 1000, UTC)


@dataclass(frozen=True, slots=True)
class Account:
    """A connected social account (or a demo one). Secrets are never here: see ``cmdesk.secrets``."""

    id: int
    platform: Platform
    name: str  # the label the user gave it, unique in the profile
    handle: str  # the account's own handle on its platform
    base_url: str  # instance / homeserver / API root
    enabled: bool = True
    settings: dict = field(default_factory=dict)


def reduce_to_fields(self) -> tuple:
    """``__reduce__`` for a slotted dataclass sent between processes: rebuilt by one call with its
    fields in order. The page and scoring workers send thousands of objects a second; the
    dataclass default (a state list set field by field) takes twice as long both ways.
    (Only for dataclasses whose fields are all positional ``__init__`` arguments.)"""
    return type(self), tuple(getattr(self, name) for name in self.__slots__)


@dataclass(frozen=True, slots=True)
class IncomingAuthor:
    """An author as a connector sees it; ``platform_author_id`` is stable on the platform."""

    platform_author_id: str
    display_name: str
    handle: str = ""
    url: str = ""
    avatar_url: str = ""  # never fetched unless the user asks

    __reduce__ = reduce_to_fields


@dataclass(frozen=True, slots=True)
class IncomingItem:
    """One comment, reply, mention, message or review as fetched from a platform.

    ``thread_platform_id`` names the conversation root; ``parent_platform_id`` the item
    this one answers. ``text`` is already plain text; ``original`` keeps the platform's
    markup (HTML…) for audit when it differs.
    """

    platform_item_id: str
    kind: ItemKind
    text: str
    created_at: datetime
    author: IncomingAuthor
    thread_platform_id: str = ""
    parent_platform_id: str = ""
    url: str = ""
    lang: str = ""
    original: str = ""
    is_own: bool = False  # written by the connected account itself (our replies)
    moderation: Moderation = Moderation.VISIBLE
    thread_title: str = ""
    ref: str = ""  # opaque, connector-owned data needed to act on the item later (JSON)

    __reduce__ = reduce_to_fields


@dataclass(frozen=True, slots=True)
class Flag:
    """Why an item was sent to the moderation queue."""

    reason: str
    terms: tuple[str, ...] = ()
    rule: str = ""
    severity: int = 0  # 0 low … 100 high; the queue can sort on it


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the rules decided about a new item, applied in the transaction that stores it."""

    flag: Flag | None = None  # set: the item goes to the moderation queue with this reason
    status: Status | None = None  # e.g. SPAM
    tags: tuple[str, ...] = ()
    priority: int = 0
    verbs: tuple[str, ...] = ()  # platform actions to send through the outbox ("hide", "delete", "ban_author")
    assignee: str = ""
    notify: bool = False  # tell the user at once (a threat, a VIP…)
    notice: str = ""  # what to tell them, when the rule says it ("notify: A threat is waiting…")


@dataclass(frozen=True, slots=True)
class Author:
    id: int
    account_id: int
    platform_author_id: str
    display_name: str
    handle: str
    url: str = ""


@dataclass(frozen=True, slots=True)
class ItemRow:
    """What one line of the inbox list shows: small, cheap to build by the thousand."""

    id: int
    account_id: int
    created_at: int  # UTC milliseconds: also the keyset key with ``id``
    kind: ItemKind
    status: Status
    moderation: Moderation
    queue: QueueState
    author_name: str
    author_handle: str
    excerpt: str
    flag_reason: str
    is_own: bool
    severity: int = 0  # the flag's severity, 0 … 100 (the queue can be read most severe first)

    @property
    def key(self) -> tuple[int, int]:
        return (self.created_at, self.id)


@dataclass(frozen=True, slots=True)
class Item:
    """A stored item with everything the detail pane shows."""

    id: int
    account_id: int
    platform_item_id: str
    thread_id: int | None
    parent_platform_id: str
    kind: ItemKind
    status: Status
    moderation: Moderation
    queue: QueueState
    created_at: datetime
    text: str
    author: Author
    url: str
    lang: str
    is_own: bool
    flag: Flag | None
    tags: tuple[str, ...] = ()
    original: str = ""
    ref: str = ""
    thread_platform_id: str = ""


@dataclass(frozen=True, slots=True)
class Note:
    """An internal note on an item: never sent to the platform."""

    id: int
    item_id: int
    agent: str
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the record of who did what."""

    id: int
    at: datetime
    actor: str
    action: str
    item_id: int | None
    account_id: int | None
    detail: str = ""
    reason: str = ""
    rule: str = ""


@dataclass(frozen=True, slots=True)
class Alert:
    """A rule's "notify": what to tell the user now. The GUI words it in the user's language
    (the starter rules' reasons are translated there)."""

    headline: str  # the rule's notify message, else its reason, as its file gives them
    author_name: str
    author_handle: str
    text: str  # the start of the item's text, as the platform sent it


@dataclass(frozen=True, slots=True)
class Changes:
    """What an operation changed, so each screen refreshes only what it must (Anki's habit)."""

    items: frozenset[int] = frozenset()  # rows that changed (shown rows are read again)
    new_items: bool = False
    new: frozenset[int] = frozenset()  # the ids of new rows, when known (a sync's batch)
    counts: bool = False
    tags: bool = False
    notes: bool = False
    accounts: bool = False
    alerts: tuple[Alert, ...] = ()  # to show the user now (rules with a "notify" action)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            items=self.items | other.items,
            new_items=self.new_items or other.new_items,
            new=self.new | other.new,
            counts=self.counts or other.counts,
            tags=self.tags or other.tags,
            notes=self.notes or other.notes,
            accounts=self.accounts or other.accounts,
            alerts=self.alerts + other.alerts,
        )
