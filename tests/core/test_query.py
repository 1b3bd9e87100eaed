from cmdesk.core.models import ItemKind, QueueState, Status, View
from cmdesk.core.query import InboxQuery


def test_views_map_to_statuses():
    assert InboxQuery(view=View.UNANSWERED).effective_statuses() == (Status.NEW, Status.OPEN)
    assert InboxQuery(view=View.DONE).effective_statuses() == (Status.DONE,)
    assert Status.SPAM not in InboxQuery(view=View.ALL).effective_statuses()
    assert InboxQuery(view=View.ALL, statuses=(Status.SPAM,)).effective_statuses() == (Status.SPAM,)


def test_explicit_status_narrows_a_view_and_contradictions_are_empty():
    assert InboxQuery(view=View.UNANSWERED, statuses=(Status.NEW,)).effective_statuses() == (Status.NEW,)
    assert InboxQuery(view=View.DONE, statuses=(Status.NEW,)).is_empty_by_construction()
    assert InboxQuery(view=View.MENTIONS, kinds=(ItemKind.COMMENT,)).is_empty_by_construction()


def test_moderation_view_uses_the_queue():
    assert InboxQuery(view=View.MODERATION).queue_state() == QueueState.PENDING
    assert InboxQuery(view=View.ALL).queue_state() is None
