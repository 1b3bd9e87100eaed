"""The sync engine against a real Mastodon simulator on loopback: nothing lost, nothing stored twice,
and every fault of the network or the platform handled where it belongs."""

from __future__ import annotations

import asyncio
import time

import pytest

from cmdesk.connectors.simulators.mastodon import MastodonSimulator
from cmdesk.core.models import Platform
from cmdesk.services.sync import AccountStatus, Phase, SyncService, sync_once
from tests.services.simkit import add_simulated_account, seed, unused_port


@pytest.fixture
def sim():
    with MastodonSimulator(owner_role="user") as server:
        yield server


def run(coro):
    return asyncio.run(coro)


def stored_ids(store, account_id):
    with store.read() as conn:
        return [
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT platform_item_id FROM item WHERE account_id = ? AND is_own = 0", (account_id,)
            )
        ]


def test_catch_up_stores_everything_once_and_is_idempotent(store, sim):
    account, make = add_simulated_account(store, sim, Platform.MASTODON)
    run(sync_once(store, make(), account.id))  # first sync of an empty account
    expected = seed(sim, 250)
    _fetched, new = run(sync_once(store, make(), account.id))
    assert new == 250 and sorted(stored_ids(store, account.id)) == sorted(expected)
    cursor = store.sync_state(account.id).cursor
    assert run(sync_once(store, make(), account.id)) == (0, 0)
    # Fetching again from an old cursor (a crash before the cursor was written) stores nothing twice.
    with store.write() as conn:
        conn.exec_driver_sql("UPDATE sync_state SET cursor = NULL WHERE account_id = ?", (account.id,))
    run(sync_once(store, make(), account.id))
    assert len(stored_ids(store, account.id)) == 250
    assert store.sync_state(account.id).cursor is not None and cursor


@pytest.mark.parametrize("fault", ["malformed_rate", "truncate_rate", "reset_rate", "error_rate"])
def test_a_failed_page_advances_nothing_and_the_next_poll_recovers(store, sim, fault):
    account, make = add_simulated_account(store, sim, Platform.MASTODON)
    run(sync_once(store, make(), account.id))
    seed(sim, 120)
    before = store.sync_state(account.id).cursor
    setattr(sim.faults, fault, 1.0)
    with pytest.raises(Exception) as failure:
        run(sync_once(store, make(), account.id))
    assert type(failure.value).__name__ == "Transient"
    assert store.sync_state(account.id).cursor == before and stored_ids(store, account.id) == []
    sim.faults.clear()
    run(sync_once(store, make(), account.id))
    assert len(stored_ids(store, account.id)) == 120


def _statuses_until(service, predicate, timeout=10.0):
    """Run the service until ``predicate(statuses)`` holds; returns every status reported."""
    seen: list[AccountStatus] = []
    service.on_status = seen.append

    async def main():
        service.start()
        deadline = asyncio.get_running_loop().time() + timeout
        while not predicate(seen):
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"timed out; statuses: {seen[-5:]}")
            await asyncio.sleep(0.02)
        await service.stop()

    asyncio.run(main())
    return seen


def test_expired_token_pauses_only_that_account(store):
    with MastodonSimulator(owner_role="user") as good, MastodonSimulator(owner_role="user") as bad:
        ok_account, make_ok = add_simulated_account(store, good, Platform.MASTODON, "Good")
        bad_account, make_bad = add_simulated_account(store, bad, Platform.MASTODON, "Expired")
        run(sync_once(store, make_ok(), ok_account.id))
        seed(good, 30)
        bad.faults.expired_token = True
        connectors = {ok_account.id: make_ok, bad_account.id: make_bad}
        service = SyncService(store, lambda acc: connectors[acc.id](acc), base_interval=0.05)

        def done(seen):
            phases = {(s.account_id, s.phase) for s in seen}
            return (bad_account.id, Phase.NEEDS_SIGNIN) in phases and any(
                s.account_id == ok_account.id and s.phase == Phase.IDLE and s.last_sync_at for s in seen
            )

        _statuses_until(service, done)
        state = store.sync_state(bad_account.id)
        assert state.needs_signin and "sign-in" in state.error
        assert len(stored_ids(store, ok_account.id)) == 30 and not store.sync_state(ok_account.id).error


def test_rate_limit_waits_as_told(store, sim):
    _account, make = add_simulated_account(store, sim, Platform.MASTODON)
    sim.faults.rate_limit = 0
    sim.faults.retry_after = 42
    service = SyncService(store, lambda acc: make(acc), base_interval=0.05)
    seen = _statuses_until(service, lambda s: any(x.phase == Phase.WAITING for x in s))
    waiting = next(x for x in seen if x.phase == Phase.WAITING)
    assert "slow down" in waiting.error
    after = [x for x in seen if x.next_sync_at][-1]
    assert 30 < after.next_sync_at - time.time() <= 43  # the simulator's Retry-After: 42


def test_network_loss_is_reported_as_offline(store, sim):
    account, make = add_simulated_account(store, sim, Platform.MASTODON)
    dead_port = unused_port()  # nobody listens there
    dead = store.update_account(account.id, base_url=f"http://127.0.0.1:{dead_port}")
    service = SyncService(store, lambda acc: make(dead), base_interval=0.05)
    seen = _statuses_until(service, lambda s: any(x.phase == Phase.OFFLINE for x in s))
    offline = next(x for x in seen if x.phase == Phase.OFFLINE)
    assert "refused" in offline.error


def test_new_items_are_reported_and_polling_speeds_up(store, sim):
    account, make = add_simulated_account(store, sim, Platform.MASTODON)
    run(sync_once(store, make(), account.id))
    seed(sim, 5)
    changes = []
    service = SyncService(store, lambda acc: make(acc), base_interval=40.0, on_changes=changes.append)
    seen = _statuses_until(service, lambda s: any(x.phase == Phase.IDLE and x.new_this_poll for x in s))
    idle = next(x for x in seen if x.phase == Phase.IDLE and x.new_this_poll)
    assert idle.new_this_poll == 5 and changes and changes[0].new_items
    scheduled = [x for x in seen if x.next_sync_at and x.last_sync_at]
    assert scheduled[-1].next_sync_at - scheduled[-1].last_sync_at <= 40.0 / 4 + 1  # active: four times faster
