"""The one interface every platform connector implements.

A connector turns a platform's API into ``cmdesk.core`` values and back. Its methods are
blocking (they use ``cmdesk.connectors.http``); the sync service and the outbox worker run
them in worker threads. Errors are raised as the typed exceptions below so the services can
decide what to do (retry later, pause the account, mark an action obsolete, give up).

Capabilities tell the UI which verbs exist for an account: a verb the platform (or the
signed-in account's role) does not allow is reported with the reason, which the UI shows
as the disabled button's tooltip.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol, runtime_checkable

from cmdesk.core.models import Account, IncomingItem, ItemKind


class Verb(StrEnum):
    REPLY = "reply"
    HIDE = "hide"
    UNHIDE = "unhide"
    DELETE = "delete"
    BAN_AUTHOR = "ban_author"
    UNBAN_AUTHOR = "unban_author"
    BLOCK_AUTHOR = "block_author"
    MUTE_AUTHOR = "mute_author"
    REPORT = "report"


# ---- errors -------------------------------------------------------------------------------


class ConnectorError(Exception):
    """Base of every error a connector raises; ``str()`` is a sentence for the user."""


class AuthExpired(ConnectorError):
    """The token is missing, expired or revoked: the account needs to sign in again."""


class RateLimited(ConnectorError):
    """The platform asked us to slow down; try again after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: float):
        super().__init__(message)
        self.retry_after = max(0.0, float(retry_after))


class Transient(ConnectorError):
    """A failure that may go away: network down, timeout, 5xx, malformed or truncated answer."""


class Permanent(ConnectorError):
    """A failure retrying will not fix: forbidden, invalid request, text too long."""


class NotFound(Permanent):
    """The target no longer exists on the platform (deleted comment, left room…)."""


# ---- values exchanged with the services ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Batch:
    """One page of fetched items and the cursor that follows them.

    The store writes ``items`` and ``cursor`` in one transaction, so the cursor never runs
    ahead of stored data. ``more`` says another page is ready right away (first sync).
    """

    items: list[IncomingItem]
    cursor: str | None
    more: bool = False


@dataclass(frozen=True, slots=True)
class Target:
    """What a connector needs to know about a stored item to act on it."""

    platform_item_id: str
    kind: ItemKind
    author_platform_id: str
    thread_platform_id: str = ""
    parent_platform_id: str = ""
    ref: str = ""  # the connector's own data saved with the item (IncomingItem.ref)
    text: str = ""


@dataclass(frozen=True, slots=True)
class Capabilities:
    """Which verbs work for this account: ``missing[verb]`` says why one does not."""

    verbs: frozenset[Verb]
    missing: dict[Verb, str] = field(default_factory=dict)
    max_reply_length: int | None = None

    def allows(self, verb: Verb) -> bool:
        return verb in self.verbs

    def why_not(self, verb: Verb) -> str:
        return self.missing.get(verb, "") if verb not in self.verbs else ""


class CredentialVault(Protocol):
    """One account's secrets (the OS keyring in the app; memory in the demo and tests)."""

    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...

    def clear(self, names: tuple[str, ...] = ()) -> None: ...


@runtime_checkable
class Connector(Protocol):
    """A platform account, reachable through blocking calls."""

    account: Account

    def capabilities(self) -> Capabilities: ...

    def fetch(self, cursor: str | None) -> Batch:
        """Items newer than ``cursor`` (``None``: the first sync), oldest work first."""

    def context(self, target: Target) -> list[IncomingItem]:
        """The conversation around ``target`` (ancestors and replies)."""

    def reply(self, target: Target, text: str, idempotency_key: str) -> IncomingItem:
        """Post ``text`` as an answer to ``target``; the key makes a retry harmless."""

    def find_reply(
        self,
        target: Target,
        idempotency_key: str,
        text: str,
        *,
        since: datetime | None = None,
        known: frozenset[str] = frozenset(),
    ) -> IncomingItem | None:
        """After a crash: the reply already posted for this key, if the platform has it.

        Where the platform cannot match the key and the text decides, a reply counts only if it
        was posted at or after ``since`` and is not one of ``known`` (replies already accounted
        for): an earlier "Merci !" under the same post is not this entry's reply.
        """

    def act(self, verb: Verb, target: Target, reason: str = "") -> None:
        """Run a moderation verb (anything but REPLY) on ``target`` or its author."""


# ``factory(account, vault, http) -> Connector``; see ``cmdesk.connectors.registry``.
ConnectorFactory = Callable[..., Connector]
