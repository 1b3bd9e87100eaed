"""The hourly look-back: a post indexed far below the cursor (its client's clock ran hours late)
still reaches CMDesk, once, within the hour; the look-back is bounded and survives a restart."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from cmdesk.connectors.bluesky_sync import LOOKBACK, LOOKBACK_EVERY_S, LOOKBACK_PAGES, OVERLAP
from cmdesk.connectors.bluesky_text import parse_datetime
from cmdesk.core.models import Platform
from tests.connectors.bluesky.test_bluesky_sync import drain, list_calls


def newest_delivered(cursor: str):
    return parse_datetime(json.loads(cursor)["at"])


def later(connector, seconds: float) -> None:
    """Move the connector's clock forward."""
    now = connector.clock()
    connector.clock = lambda: now + seconds


def ids(items) -> list[str]:
    return [i.platform_item_id for i in items]


def test_a_post_indexed_hours_late_arrives_with_the_next_lookback(connector, seed):
    seed(3)
    items, cursor = drain(connector)
    late = seed(1, indexed_at=newest_delivered(cursor) - timedelta(hours=3))  # its client's clock ran late
    items, cursor = drain(connector, cursor)
    assert items == []  # below the window: the regular poll cannot tell it from what it delivered

    later(connector, LOOKBACK_EVERY_S + 1)
    items, cursor = drain(connector, cursor)
    assert ids(items) == late
    state = json.loads(cursor)
    assert state["looked_back"] == int(connector.clock()) and "lookback_from" not in state
    assert drain(connector, cursor)[0] == []  # the next look-back is an hour away


def test_the_store_keeps_one_copy_of_what_a_lookback_brings_again(connector, seed, store):
    account = store.add_account(Platform.BLUESKY, "Bluesky")
    now = datetime.now(UTC)
    delivered = seed(3, indexed_at=now - timedelta(hours=2))
    items, cursor = drain(connector)
    store.ingest(account.id, items, cursor=cursor)
    items, cursor = drain(connector, cursor)
    new = seed(1)  # the window moves up: what was delivered now lies below it
    items, cursor = drain(connector, cursor)
    assert ids(items) == new
    store.ingest(account.id, items, cursor=cursor)
    late = seed(1, indexed_at=now - timedelta(hours=1))

    later(connector, LOOKBACK_EVERY_S)
    items, cursor = drain(connector, cursor)
    assert ids(items) == sorted(delivered) + late  # oldest first; the new one is in the window, known
    before = store.item_count()
    result = store.ingest(account.id, items, cursor=cursor)
    assert store.item_count() == before + 1 and result.new_ids and len(result.new_ids) == 1


def test_a_lookback_spread_over_batches_goes_on_after_a_restart(make_connector, seed):
    first = make_connector(batch_size=2)
    seed(2)
    _, cursor = drain(first)
    anchor = newest_delivered(cursor)
    late = seed(5, indexed_at=anchor - timedelta(hours=2))
    later(first, LOOKBACK_EVERY_S)
    batch = first.fetch(cursor)
    assert ids(batch.items) == sorted(late)[:2] and batch.more
    assert json.loads(batch.cursor)["lookback_from"][1] == sorted(late)[1]

    restarted = make_connector(batch_size=2)  # a crash: no walk in memory, only the stored cursor
    restarted.clock = first.clock
    items, cursor = drain(restarted, batch.cursor)
    assert ids(items) == sorted(late)[2:]  # where it stopped: none twice, none left
    assert "lookback_from" not in json.loads(cursor)


def test_a_lookback_reads_a_bounded_number_of_pages(make_connector, seed, sim):
    connector = make_connector(page_size=5)
    seed(1)
    _, cursor = drain(connector)
    anchor = newest_delivered(cursor)
    for n in range(100):  # 100 posts indexed late, 20 pages of 5 past the window
        seed(1, indexed_at=anchor - OVERLAP - timedelta(minutes=1 + n))
    later(connector, LOOKBACK_EVERY_S)
    calls = list_calls(sim)
    items, cursor = drain(connector, cursor)
    assert list_calls(sim) - calls <= 1 + LOOKBACK_PAGES  # the window's page, then the look-back's
    assert 0 < len(items) <= LOOKBACK_PAGES * 5
    assert "lookback_from" not in json.loads(cursor)  # bounded, and done


def test_a_lookback_stays_above_the_first_sync_backlog_and_within_a_day(make_connector, seed):
    now = datetime.now(UTC)
    connector = make_connector(backlog=2)
    left_out = seed(3, indexed_at=now - timedelta(hours=5))  # older than the first sync's backlog
    kept = seed(1, indexed_at=now - timedelta(hours=3)) + seed(1)
    items, cursor = drain(connector)
    assert ids(items) == kept  # the backlog's floor: 3 hours ago
    reachable = seed(1, indexed_at=now - timedelta(hours=1))
    below_the_floor = seed(1, indexed_at=now - timedelta(hours=4))
    later(connector, LOOKBACK_EVERY_S)
    items, cursor = drain(connector, cursor)
    assert ids(items) == [kept[0], *reachable]  # what lies below the window, down to the floor
    assert not set(ids(items)) & set(left_out + below_the_floor)


def test_a_day_is_as_far_as_a_lookback_reaches(connector, seed):
    seed(1)
    _, cursor = drain(connector)
    anchor = newest_delivered(cursor)
    within = seed(1, indexed_at=anchor - LOOKBACK + timedelta(minutes=5))
    beyond = seed(1, indexed_at=anchor - LOOKBACK - timedelta(minutes=5))
    later(connector, LOOKBACK_EVERY_S)
    items, _ = drain(connector, cursor)
    assert within[0] in ids(items) and beyond[0] not in ids(items)


def test_a_cursor_from_before_lookbacks_gets_one_at_its_next_poll(connector, seed):
    seed(2)
    _, cursor = drain(connector)
    state = json.loads(cursor)
    del state["looked_back"]  # written by an earlier version
    late = seed(1, indexed_at=newest_delivered(cursor) - timedelta(hours=1))
    items, cursor = drain(connector, json.dumps(state))
    assert ids(items) == late
    assert json.loads(cursor)["looked_back"] == int(connector.clock())
