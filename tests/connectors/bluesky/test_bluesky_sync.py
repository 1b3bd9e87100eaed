"""fetch(): backwards notification pages delivered forwards, with an exact cursor."""

from __future__ import annotations

import json
from datetime import timedelta

from cmdesk.connectors.bluesky_sync import OVERLAP
from cmdesk.connectors.bluesky_text import parse_datetime
from cmdesk.core.models import ItemKind
from tests.connectors.bluesky.bluesky_helpers import T0

LIST = "/xrpc/app.bsky.notification.listNotifications"


def drain(connector, cursor=None, limit=50):
    """Every item fetch() gives from ``cursor`` on, following ``more``."""
    items = []
    for _ in range(limit):
        batch = connector.fetch(cursor)
        items += batch.items
        cursor = batch.cursor
        if not batch.more:
            return items, cursor
    raise AssertionError("fetch kept saying more=True")


def list_calls(sim) -> int:
    return sum(1 for method, path, _ in sim.log if path == LIST)


def test_first_sync_maps_kinds_oldest_first(connector, seed, sim):
    replies, mentions, quotes = seed(2), seed(1, ItemKind.MENTION), seed(1, ItemKind.COMMENT)
    batch = connector.fetch(None)
    assert [i.platform_item_id for i in batch.items] == replies + mentions + quotes
    assert [i.kind for i in batch.items] == [ItemKind.REPLY] * 2 + [ItemKind.MENTION, ItemKind.COMMENT]
    assert not batch.more and not any(i.is_own for i in batch.items)
    assert len({i.thread_platform_id for i in batch.items}) == 1  # all under our post for "launch"
    cursor = json.loads(batch.cursor)
    assert cursor["uri"] == quotes[0] and cursor["v"] == 1  # the newest item delivered
    ref = json.loads(batch.items[0].ref)
    assert ref["root"]["uri"] == batch.items[0].thread_platform_id and ref["parent"]["cid"]


def test_fetch_is_idempotent_and_incremental(connector, seed):
    seed(3)
    first = connector.fetch(None)
    assert [i.platform_item_id for i in connector.fetch(None).items] == [i.platform_item_id for i in first.items]
    again = connector.fetch(first.cursor)
    assert again.items == [] and again.cursor == first.cursor and not again.more
    new = seed(2)
    nxt = connector.fetch(first.cursor)
    assert [i.platform_item_id for i in nxt.items] == new
    assert [i.platform_item_id for i in connector.fetch(first.cursor).items] == new  # same cursor, same items
    assert connector.fetch(nxt.cursor).items == []


def test_after_an_empty_first_sync_every_new_notification_comes_in(make_connector, seed):
    """The account had nothing when it was added; then more than a first sync's backlog arrived
    (the app was closed for a weekend): none of it is cut off as old history."""
    connector = make_connector(page_size=4, backlog=5)
    empty = connector.fetch(None)
    assert empty.items == [] and empty.cursor is not None and not empty.more
    uris = seed(12)
    items, cursor = drain(connector, empty.cursor)
    assert [i.platform_item_id for i in items] == uris
    assert drain(connector, cursor)[0] == []


def test_more_items_in_one_overlap_than_the_cursor_remembers_come_in_once(make_connector, seed, monkeypatch):
    """A catch-up or a busy quarter of an hour: more items inside the overlap than ``seen`` can
    hold. Each is delivered once, and the sync ends (it used to hand the oldest ones out again
    at every fetch, for ever)."""
    from cmdesk.connectors import bluesky_sync

    monkeypatch.setattr(bluesky_sync, "MAX_SEEN", 5)
    connector = make_connector(page_size=4, batch_size=3)
    first = seed(1)
    start = connector.fetch(None)
    uris = seed(17)  # indexed within the same second: all inside one overlap
    items, cursor = drain(connector, start.cursor)
    assert [i.platform_item_id for i in items] == uris and first[0] not in uris
    assert drain(connector, cursor)[0] == []
    late = seed(2)
    assert [i.platform_item_id for i in drain(connector, cursor)[0]] == late


def test_many_pages_are_delivered_in_chunks_without_gaps_or_repeats(make_connector, seed, sim):
    connector = make_connector(page_size=3, batch_size=4)
    uris = seed(10)
    items, cursor = drain(connector)
    assert [i.platform_item_id for i in items] == uris
    walks = list_calls(sim)
    # pages of 3+3+3+1, then an empty one (a short page does not prove the end: the AppView filters
    # blocked and muted authors after paging); one walk served every chunk
    assert walks == 5
    more = seed(7)
    items, _ = drain(connector, cursor)
    assert [i.platform_item_id for i in items] == more


def test_first_sync_backlog_is_bounded(make_connector, seed):
    connector = make_connector(page_size=4, backlog=5)
    uris = seed(12)
    items, cursor = drain(connector)
    assert [i.platform_item_id for i in items] == uris[-5:]
    assert json.loads(cursor)["floor"]
    assert drain(connector, cursor)[0] == []  # the older backlog never comes back
    new = seed(1)
    assert [i.platform_item_id for i in drain(connector, cursor)[0]] == new


def test_incremental_poll_stops_at_the_cursor(make_connector, seed, sim):
    connector = make_connector(page_size=5)
    old = seed(30, indexed_at=T0)  # indexed long ago: far below the cursor's overlap window
    recent = seed(1)
    items, cursor = drain(connector)
    assert [i.platform_item_id for i in items] == sorted(old) + recent  # same indexedAt: ordered by uri
    calls = list_calls(sim)
    new = seed(2)
    items, _ = drain(connector, cursor)
    assert [i.platform_item_id for i in items] == new
    assert list_calls(sim) - calls == 1  # the first page already reaches below the window


def test_backdated_item_inside_the_overlap_is_delivered_once(connector, seed, sim):
    seed(3)
    batch = connector.fetch(None)
    newest = parse_datetime(json.loads(batch.cursor)["at"])
    late = seed(1, indexed_at=newest - timedelta(minutes=5))  # an author's clock running late
    too_late = seed(1, indexed_at=newest - OVERLAP - timedelta(minutes=5))
    nxt = connector.fetch(batch.cursor)
    assert [i.platform_item_id for i in nxt.items] == late
    assert too_late[0] not in [i.platform_item_id for i in nxt.items]  # the hourly look-back's (test_bluesky_lookback)
    assert connector.fetch(nxt.cursor).items == []
    assert late[0] not in [i.platform_item_id for i in connector.fetch(nxt.cursor).items]


def test_duplicates_across_pages_and_disorder_are_harmless(connector, sim, seed):
    seed(3)
    page = connector.client.query("app.bsky.notification.listNotifications", {"limit": 100})
    notes = page["notifications"]
    first = {"notifications": [notes[1], notes[0]], "cursor": "c1"}  # out of order
    second = {"notifications": [notes[1], notes[2]]}  # notes[1] again, no cursor: the end
    sim.fail_next("app.bsky.notification.listNotifications", 200, body=first)
    sim.fail_next("app.bsky.notification.listNotifications", 200, body=second)
    items = connector.fetch(None).items
    assert [i.platform_item_id for i in items] == [n["uri"] for n in reversed(notes)]


def test_unreadable_cursor_starts_a_fresh_sync(connector, seed):
    uris = seed(2)
    assert [i.platform_item_id for i in connector.fetch("not json at all").items] == uris


def test_malformed_item_is_passed_over_and_counted(connector, sim, seed):
    seed(2)
    page = connector.client.query("app.bsky.notification.listNotifications", {"limit": 100})
    del page["notifications"][0]["record"]
    sim.fail_next("app.bsky.notification.listNotifications", 200, body=page)
    batch = connector.fetch(None)
    assert len(batch.items) == 1 and connector.skipped == 1
    assert json.loads(batch.cursor)["uri"] == page["notifications"][0]["uri"]  # passed over, not retried
