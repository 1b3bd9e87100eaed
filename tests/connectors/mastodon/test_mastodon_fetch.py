"""Fetching mentions, replies and direct messages through the simulator: cursors, pages, idempotence."""

from __future__ import annotations

import json

import pytest

from cmdesk.connectors.base import Permanent, Target
from cmdesk.connectors.mastodon import BACKLOG_PAGES, NOTIFICATION_PAGE
from cmdesk.core.models import ItemKind
from tests.connectors.mastodon.mastodon_testkit import at


def seed(sim, n: int, *, start: float = 0, kind=ItemKind.MENTION, author="2001", thread=None) -> list[str]:
    return [
        sim.seed_incoming(
            author_id=author,
            author_name="Bob",
            author_handle="@bob@other.social",
            text=f"message {i}",
            created_at=at(start + i),
            kind=kind,
            thread_key=thread,
        )
        for i in range(n)
    ]


def target_of(item) -> Target:
    return Target(
        item.platform_item_id,
        item.kind,
        item.author.platform_author_id,
        item.thread_platform_id,
        item.parent_platform_id,
        item.ref,
        item.text,
    )


def test_first_sync_kinds_order_and_cursor(sim, conn):
    reply = sim.seed_incoming(
        author_id="2001",
        author_name="Bob",
        author_handle="@bob@other.social",
        text="Nice post &amp; <b>thanks</b>",
        created_at=at(2),
        kind=ItemKind.REPLY,
        thread_key="launch",
    )
    mention = sim.seed_incoming(
        author_id="2002",
        author_name="Ann",
        author_handle="ann",
        text="hey look",
        created_at=at(1),
        kind=ItemKind.MENTION,
        lang="fr",
    )
    dm = sim.seed_incoming(
        author_id="2002",
        author_name="Ann",
        author_handle="ann",
        text="a private question",
        created_at=at(3),
        kind=ItemKind.DIRECT_MESSAGE,
    )
    batch = conn.fetch(None)
    assert [i.platform_item_id for i in batch.items] == [mention, reply, dm]  # oldest first
    assert [i.kind for i in batch.items] == [ItemKind.MENTION, ItemKind.REPLY, ItemKind.DIRECT_MESSAGE]
    by_id = {i.platform_item_id: i for i in batch.items}
    assert by_id[reply].text == "Nice post &amp; <b>thanks</b>"  # the author's literal text, escaped by the server
    assert by_id[reply].author.handle == "@bob@other.social"
    assert by_id[mention].author.handle == "@ann@mastodon.example" and by_id[mention].lang == "fr"
    assert by_id[reply].thread_platform_id == by_id[reply].parent_platform_id  # our post of "launch"
    assert json.loads(by_id[dm].ref)["vis"] == "direct"
    cursor = json.loads(batch.cursor)
    assert cursor["v"] == 1 and cursor["n"] and cursor["c"] == dm
    assert not batch.more
    assert conn.fetch(batch.cursor).items == []


def test_fetch_is_idempotent(sim, conn):
    seed(sim, 3)
    first = conn.fetch(None)
    seed(sim, 4, start=10)
    again = conn.fetch(first.cursor)
    assert conn.fetch(first.cursor) == again
    assert conn.fetch(None).items[-4:] == again.items
    assert len(again.items) == 4


def test_full_pages_continue_without_gaps(sim, conn):
    first = conn.fetch(None)
    assert first.items == [] and json.loads(first.cursor) == {"v": 1, "n": "0", "c": "0"}
    ids = seed(sim, NOTIFICATION_PAGE + 5)
    page1 = conn.fetch(first.cursor)
    assert len(page1.items) == NOTIFICATION_PAGE and page1.more
    page2 = conn.fetch(page1.cursor)
    assert len(page2.items) == 5 and page2.more  # a page size cannot prove the end: servers cap limit
    page3 = conn.fetch(page2.cursor)
    assert page3.items == [] and not page3.more
    # The same position; only the count of catch-up pages read without DMs ("d") is gone.
    assert json.loads(page3.cursor) == {k: v for k, v in json.loads(page2.cursor).items() if k != "d"}
    assert [i.platform_item_id for i in page1.items + page2.items] == ids


def test_first_sync_backlog_is_bounded(sim, conn):
    ids = seed(sim, NOTIFICATION_PAGE * BACKLOG_PAGES + 15)
    batch = conn.fetch(None)
    assert [i.platform_item_id for i in batch.items] == ids[15:]  # the newest 200
    assert not batch.more
    newer = seed(sim, 1, start=1000)
    assert [i.platform_item_id for i in conn.fetch(batch.cursor).items] == newer


def test_boosts_favourites_and_deleted_statuses_are_not_items(sim, conn):
    cursor = conn.fetch(None).cursor
    ours = sim.seed_status(sim.owner_id, "our announcement", created_at=at(0))
    sim.add_account("3001", "@carol@example.net", "Carol")
    sim.seed_boost("3001", ours)
    sim.seed_notification("favourite", "3001", ours)
    gone, kept = seed(sim, 2, start=5)
    sim.delete_status(gone)
    batch = conn.fetch(cursor)
    assert [i.platform_item_id for i in batch.items] == [kept]


def test_direct_messages_filtered_from_notifications_still_arrive(sim, conn):
    """Mastodon's notification policy can filter private mentions; conversations still list them."""
    sim.add_account("4001", "@dana@far.example", "Dana")
    first = sim.seed_status(
        "4001", "@cmdesk hello?", created_at=at(0), visibility="direct", mentions=[sim.owner_id], notify=False
    )
    batch = conn.fetch(None)
    assert [i.platform_item_id for i in batch.items] == [first]
    second = sim.seed_status(
        "4001",
        "are you there?",
        created_at=at(1),
        visibility="direct",
        mentions=[sim.owner_id],
        in_reply_to_id=first,
        notify=False,
    )
    third = sim.seed_status(
        "4001",
        "hello??",
        created_at=at(2),
        visibility="direct",
        mentions=[sim.owner_id],
        in_reply_to_id=second,
        notify=False,
    )
    burst = conn.fetch(batch.cursor)
    assert [i.platform_item_id for i in burst.items] == [second, third]  # the earlier one via the thread
    assert all(i.kind == ItemKind.DIRECT_MESSAGE for i in burst.items)
    assert conn.fetch(burst.cursor).items == []


def test_our_own_direct_replies_come_back_marked_own(sim, conn):
    seed(sim, 1, kind=ItemKind.DIRECT_MESSAGE, thread="dm")
    batch = conn.fetch(None)
    posted = conn.reply(target_of(batch.items[0]), "Happy to help", "key-1")
    again = conn.fetch(batch.cursor)
    assert [i.platform_item_id for i in again.items] == [posted.platform_item_id]
    assert again.items[0].is_own and again.items[0].kind == ItemKind.DIRECT_MESSAGE


def test_items_seeded_out_of_order_are_not_lost(sim, conn):
    cursor = conn.fetch(None).cursor
    late = seed(sim, 1, start=100)
    early = seed(sim, 1, start=-100)  # federated late, with an old date
    assert {i.platform_item_id for i in conn.fetch(cursor).items} == {late[0], early[0]}


def test_context_gives_the_thread(sim, conn):
    ids = seed(sim, 1, kind=ItemKind.REPLY, thread="t")
    nested = sim.seed_incoming(
        author_id="2002",
        author_name="Ann",
        author_handle="ann",
        text="me too",
        created_at=at(5),
        kind=ItemKind.MENTION,
        thread_key="t",
    )
    items = conn.fetch(None).items
    thread = conn.context(target_of(items[0]))
    texts = [i.text for i in thread]
    assert texts[0] == "News from the team (t)" and thread[0].is_own
    assert [i.platform_item_id for i in thread[1:]] == [ids[0], nested]


def test_unreadable_cursor_is_refused(conn):
    with pytest.raises(Permanent):
        conn.fetch("garbage")
    with pytest.raises(Permanent):
        conn.fetch('{"v": 9}')


def test_rate_limit_headers_are_noted(sim, conn):
    conn.fetch(None)
    assert conn.http.rate.remaining is not None and conn.http.rate.remaining < sim.rate_budget
    assert conn.http.rate.reset_at is not None


def test_a_long_catch_up_reads_direct_messages_now_and_then_and_misses_none(sim, conn):
    """Pages of mentions keep coming: DMs are read with the first page, every DM_EVERY_PAGES
    pages and with the last one, not with every page; every DM still arrives."""
    from cmdesk.connectors.mastodon import DM_EVERY_PAGES

    cursor = conn.fetch(None).cursor
    pages = DM_EVERY_PAGES + 5
    mentions = seed(sim, NOTIFICATION_PAGE * pages - 3)
    early_dm = seed(sim, 1, start=10_000, kind=ItemKind.DIRECT_MESSAGE, author="3001")
    sim.log.clear()
    got, fetches = [], 0
    while True:
        batch = conn.fetch(cursor)
        fetches += 1
        got += [i.platform_item_id for i in batch.items]
        if fetches == 3:  # a DM sent in the middle of the catch-up
            late_dm = seed(sim, 1, start=20_000, kind=ItemKind.DIRECT_MESSAGE, author="3002")
        cursor = batch.cursor
        if not batch.more:
            break
    # A DM is also a mention notification: it may come twice, in two batches (stored once).
    assert set(got) == set(mentions + early_dm + late_dm)
    asked = sum(1 for _method, path, _status in sim.log if path.startswith("/api/v1/conversations"))
    assert asked <= 4 < fetches  # first page, every DM_EVERY_PAGES, last page (not every page)
