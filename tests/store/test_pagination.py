"""Keyset pages: every row exactly once, in order, even while new items arrive; filters in SQL."""

from datetime import timedelta

from cmdesk.core.models import Flag, ItemKind, Platform, Status, Verdict, View
from cmdesk.core.query import InboxQuery
from tests.conftest import NOW, make_item


def _all_pages(store, query, size=7):
    rows, after = [], None
    while True:
        page = store.page(query, after, size)
        rows += page
        if len(page) < size:
            return rows
        after = page[-1].key


def test_pages_cover_every_row_once_newest_first(store, account):
    # Same timestamps on purpose: the id breaks ties.
    store.ingest(account.id, [make_item(n, minutes=n // 3) for n in range(100)])
    rows = _all_pages(store, InboxQuery())
    assert len(rows) == len({r.id for r in rows}) == 100
    assert [r.key for r in rows] == sorted((r.key for r in rows), reverse=True)


def test_paging_is_stable_while_new_items_arrive(store, account):
    store.ingest(account.id, [make_item(n) for n in range(1, 41)])
    query = InboxQuery(view=View.UNANSWERED)
    first = store.page(query, None, 10)
    store.ingest(account.id, [make_item(n, minutes=-n) for n in range(100, 110)])  # newer than everything
    rest, after = [], first[-1].key
    while page := store.page(query, after, 10):
        rest += page
        after = page[-1].key
    seen = [r.id for r in first + rest]
    assert len(seen) == len(set(seen)) == 40
    newer = store.newer(query, first[0].key)
    assert len(newer) == 10 and [r.key for r in newer] == sorted((r.key for r in newer), reverse=True)


def test_unanswered_merges_new_and_open_in_time_order(store, account):
    ids = store.ingest(account.id, [make_item(n) for n in range(20)]).new_ids
    store.set_status(ids[::3], Status.OPEN, actor="t")
    store.set_status(ids[1::5], Status.DONE, actor="t")
    rows = _all_pages(store, InboxQuery(view=View.UNANSWERED), size=4)
    assert {r.status for r in rows} == {Status.NEW, Status.OPEN}
    assert [r.key for r in rows] == sorted((r.key for r in rows), reverse=True)
    assert len(rows) == len([i for i in ids if store.item(i).status in (Status.NEW, Status.OPEN)])


def test_filters(store, account):
    other = store.add_account(Platform.BLUESKY, "Sky", handle="x.bsky.social")
    store.ingest(account.id, [make_item(n, kind=ItemKind.MENTION if n % 2 else ItemKind.COMMENT) for n in range(10)])
    store.ingest(other.id, [make_item(n) for n in range(5)])
    assert len(_all_pages(store, InboxQuery(account_id=other.id))) == 5
    assert len(_all_pages(store, InboxQuery(platform=Platform.BLUESKY))) == 5
    assert len(_all_pages(store, InboxQuery(view=View.MENTIONS))) == 5
    ids = [r.id for r in _all_pages(store, InboxQuery(account_id=account.id))]
    store.add_tag(ids[:3], "Urgent", actor="t")
    assert {r.id for r in _all_pages(store, InboxQuery(tag="urgent"))} == set(ids[:3])
    since = NOW - timedelta(minutes=2, seconds=30)
    assert len(_all_pages(store, InboxQuery(since=since))) == 6  # minutes 0,1,2 of both accounts
    until = NOW - timedelta(minutes=8, seconds=30)
    assert len(_all_pages(store, InboxQuery(until=until))) == 1
    store.set_status(ids[:2], Status.DONE, actor="t")
    assert len(_all_pages(store, InboxQuery(view=View.DONE, tag="urgent"))) == 2
    assert store.matching(InboxQuery(view=View.UNANSWERED), ids[:4]) == set(ids[2:4])


def test_counts_follow_every_change(store, account):
    ids = store.ingest(
        account.id, [make_item(n, kind=ItemKind.MENTION if n < 4 else ItemKind.COMMENT) for n in range(10)]
    ).new_ids
    counts = store.counts()
    assert counts.views[View.UNANSWERED] == 10 and counts.views[View.MENTIONS] == 4
    store.set_status(ids[:5], Status.DONE, actor="t")
    store.mark_seen(ids[5])
    counts = store.counts()
    assert counts.unread_by_account[account.id] == 4
    assert counts.views[View.UNANSWERED] == 5
    with store.read() as conn:
        real = conn.exec_driver_sql("SELECT count(*) FROM item WHERE status = 0").scalar()
    assert real == 4
    store.remove_account(account.id)
    assert store.counts().views[View.UNANSWERED] == 0


def _flag_by_number(entry, author_is_new):
    """Items numbered n are flagged with severity (n * 37) % 101: many ties, in no time order."""
    n = int(entry.platform_item_id[1:])
    return Verdict(flag=Flag("test", (), "r", (n * 37) % 101 if n % 4 else 50))


def test_queue_most_severe_first_pages_every_item_once_in_order(store, account):
    store.ingest(account.id, [make_item(n, minutes=n // 2) for n in range(120)], judge=_flag_by_number)
    query = InboxQuery(view=View.MODERATION, most_severe_first=True)
    rows, after = [], None
    while page := store.page(query, after, 7):
        rows += page
        after = query.key_of(page[-1])
    assert len(rows) == len({r.id for r in rows}) == 120
    keys = [(r.severity, r.created_at, r.id) for r in rows]
    assert keys == sorted(keys, reverse=True)
    assert rows[0].severity == 100
    # Newer than a key, most severe first: what a list that ends at that key is missing.
    newer = store.newer(query, query.key_of(rows[59]))
    assert [r.id for r in newer] == [r.id for r in rows[:59]]


def test_severity_order_is_for_the_queue_only(store, account):
    store.ingest(account.id, [make_item(n) for n in range(10)], judge=_flag_by_number)
    for query in (
        InboxQuery(view=View.ALL, most_severe_first=True),
        InboxQuery(view=View.MODERATION, most_severe_first=True, search="number"),
    ):
        assert not query.by_severity()
        rows = store.page(query, None, 50)
        assert [r.key for r in rows] == sorted((r.key for r in rows), reverse=True)
