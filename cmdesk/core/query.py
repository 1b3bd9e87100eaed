"""What the inbox asks the store for: a view plus filters, paged by a keyset.

Pages are keyed by ``(created_at, id)`` of the last row seen, newest first, so a page
never shifts when new items arrive at the top (unlike OFFSET paging). The moderation queue can
also be read most severe first: then the key is ``(severity, created_at, id)``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from cmdesk.core.models import ItemKind, Platform, QueueState, Status, View

PAGE_SIZE = 50

Keyset = tuple[int, ...]  # (created_at millis, item id), or (severity, created_at, id)


@dataclass(frozen=True, slots=True)
class InboxQuery:
    view: View = View.ALL
    account_id: int | None = None
    platform: Platform | None = None
    statuses: tuple[Status, ...] = ()
    kinds: tuple[ItemKind, ...] = ()
    tag: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    search: str = ""
    most_severe_first: bool = False  # honoured by the moderation queue (without search or tag)

    def with_(self, **changes) -> InboxQuery:
        return replace(self, **changes)

    def effective_statuses(self) -> tuple[Status, ...]:
        """The statuses this query admits, combining the view with an explicit filter."""
        by_view = {
            View.UNANSWERED: (Status.NEW, Status.OPEN),
            View.DONE: (Status.DONE,),
            View.SPAM: (Status.SPAM,),
        }.get(self.view)
        if by_view is None:
            chosen = self.statuses
            if not chosen and self.view is View.ALL:
                # "All" hides spam; the Spam view and an explicit filter show it.
                chosen = (Status.NEW, Status.OPEN, Status.ANSWERED, Status.DONE)
            return tuple(sorted(set(chosen)))
        if not self.statuses:
            return by_view
        return tuple(sorted(set(by_view) & set(self.statuses)))

    def effective_kinds(self) -> tuple[ItemKind, ...]:
        if self.view is View.MENTIONS:
            return (ItemKind.MENTION,) if not self.kinds or ItemKind.MENTION in self.kinds else ()
        return tuple(sorted(set(self.kinds)))

    def queue_state(self) -> QueueState | None:
        return QueueState.PENDING if self.view is View.MODERATION else None

    def by_severity(self) -> bool:
        """True when pages are ordered most severe first (the queue, not searched, not by tag)."""
        return self.most_severe_first and self.queue_state() is not None and not self.search.strip() and not self.tag

    def key_of(self, row) -> Keyset:
        """Where ``row`` (an ``ItemRow``) sits in this query's order."""
        return (row.severity, row.created_at, row.id) if self.by_severity() else (row.created_at, row.id)

    def is_empty_by_construction(self) -> bool:
        """True when the filters contradict each other (e.g. Done view + status New)."""
        if self.view in (View.UNANSWERED, View.DONE, View.SPAM) and not self.effective_statuses():
            return True
        return self.view is View.MENTIONS and not self.effective_kinds()
