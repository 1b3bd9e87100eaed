"""The sync's group writer on a real profile database: pages that wait while another group is
written go together in one transaction, each with its cursor; a page that fails fails alone."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from cmdesk.core.models import Platform
from cmdesk.services.sync_writer import GroupWriter
from cmdesk.store.store import IngestBatch, Store
from tests.conftest import make_item


class RecordingStore(Store):
    """A real store that notes each transaction's pages and can hold the first one back."""

    def __init__(self, path):
        super().__init__(path)
        self.groups: list[list[int]] = []
        self.release_first = threading.Event()

    def ingest_many(self, batches):
        self.groups.append([b.account_id for b in batches])
        if len(self.groups) == 1:
            assert self.release_first.wait(10)
        return super().ingest_many(batches)


@pytest.fixture
def setup(tmp_path):
    store = RecordingStore(tmp_path / "cmdesk.db")
    accounts = [store.add_account(Platform.MASTODON, f"Brand {n}").id for n in range(3)]
    pool = ThreadPoolExecutor(max_workers=1)
    yield store, accounts, GroupWriter(store, pool)
    pool.shutdown()
    store.close()


def page(account_id: int, first: int, cursor: str, *, judge=None) -> IngestBatch:
    return IngestBatch(account_id, [make_item(n) for n in range(first, first + 3)], cursor, judge=judge)


def test_pages_that_wait_are_written_together_each_with_its_cursor(setup):
    store, (a, b, c), writer = setup

    async def scenario():
        first = asyncio.ensure_future(writer.write(page(a, 0, "a1")))
        await asyncio.sleep(0.05)  # the first page is being written (held back)
        waiting = [asyncio.ensure_future(writer.write(page(x, 10, f"{x}-1"))) for x in (b, c)]
        await asyncio.sleep(0.05)
        store.release_first.set()
        return await asyncio.gather(first, *waiting)

    results = asyncio.run(scenario())
    assert store.groups == [[a], [b, c]]  # one commit for the two pages that waited
    assert [len(r.new_ids) for r in results] == [3, 3, 3]
    assert len({i for r in results for i in r.new_ids}) == 9
    assert [store.sync_state(x).cursor for x in (a, b, c)] == ["a1", f"{b}-1", f"{c}-1"]
    assert store.item_count() == 9


def test_a_page_that_fails_fails_alone_and_the_others_are_stored(setup):
    store, (a, b, c), writer = setup

    def broken_judge(entry, author_is_new):
        raise RuntimeError("rule engine broke")

    async def scenario():
        first = asyncio.ensure_future(writer.write(page(a, 0, "a1")))
        await asyncio.sleep(0.05)
        good = asyncio.ensure_future(writer.write(page(b, 10, "b1")))
        bad = asyncio.ensure_future(writer.write(page(c, 20, "c1", judge=broken_judge)))
        await asyncio.sleep(0.05)
        store.release_first.set()
        await asyncio.wait([first, good, bad])
        return first.result(), good.result(), bad.exception()

    first, good, error = asyncio.run(scenario())
    assert isinstance(error, RuntimeError) and "rule engine broke" in str(error)
    assert len(first.new_ids) == 3 and len(good.new_ids) == 3
    # The group failed as a whole, then its pages went one by one: b's page and cursor are in,
    # c's page left no item and no cursor behind (its next poll fetches it again).
    assert store.groups == [[a], [b, c], [b], [c]]
    assert store.sync_state(b).cursor == "b1" and store.sync_state(c).cursor is None
    assert store.item_count() == 6


def test_stop_waits_for_the_pages_handed_over(setup):
    store, (a, b, _), writer = setup

    async def scenario():
        taken = asyncio.ensure_future(writer.write(page(a, 0, "a1")))
        while not store.groups:  # being written (held back)
            await asyncio.sleep(0.01)
        waiting = asyncio.ensure_future(writer.write(page(b, 10, "b1")))
        await asyncio.sleep(0.01)
        # Both accounts are removed: the page being written is stored, the one still waiting
        # is dropped (its account's next sync fetches it again from its cursor).
        taken.cancel()
        waiting.cancel()
        store.release_first.set()
        await writer.wait_idle()

    asyncio.run(scenario())
    assert store.item_count() == 3 and store.sync_state(a).cursor == "a1"
    assert store.groups == [[a]] and store.sync_state(b).cursor is None
