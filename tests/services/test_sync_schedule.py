"""When the sync engine polls: sync now, cancel, quiet accounts slowing down, errors backing off,
a conversation speeding an account up, and the network coming and going. Real simulators on
127.0.0.1; the service runs on a plain asyncio loop, as in the CLI."""

from __future__ import annotations

import asyncio
import time

import pytest

from cmdesk.connectors.base import Transient
from cmdesk.connectors.simulators.mastodon import MastodonSimulator
from cmdesk.core.models import Platform
from cmdesk.services import sync as sync_module
from cmdesk.services.sync import NO_NETWORK, AccountStatus, Phase, SyncService, _AccountRunner, sync_once
from tests.conftest import until
from tests.services.simkit import add_simulated_account, seed, unused_port


@pytest.fixture
def sim():
    with MastodonSimulator(owner_role="user") as server:
        yield server


def polls(seen: list[AccountStatus], account_id: int) -> list[AccountStatus]:
    """The statuses that end a poll and say when the next one is due."""
    return [s for s in seen if s.account_id == account_id and s.next_sync_at and s.phase != Phase.SYNCING]


def record_waits(monkeypatch, *, shorten: bool = False) -> dict[int, list[float]]:
    """Per account, the wait the service chose after each failed poll (``shorten``: wait 10 ms
    instead, so a test sees several failures in a row)."""
    waits: dict[int, list[float]] = {}
    real_failed = SyncService._failed

    async def failed(self, runner, exc, wait, phase):
        waits.setdefault(runner.account.id, []).append(wait)
        chosen = await real_failed(self, runner, exc, wait, phase)
        return 0.01 if shorten else chosen

    monkeypatch.setattr(SyncService, "_failed", failed)
    return waits


def service_for(store, make, seen: list, **kwargs) -> SyncService:
    return SyncService(store, lambda acc: make(acc), on_status=seen.append, **kwargs)


def test_sync_now_polls_a_waiting_account_at_once(store, sim):
    account, make = add_simulated_account(store, sim, Platform.MASTODON)
    seen: list[AccountStatus] = []
    service = service_for(store, make, seen, base_interval=3600)

    async def main():
        service.start()
        await until(lambda: len(polls(seen, account.id)) == 1)
        assert polls(seen, account.id)[0].next_sync_at - time.time() > 3000  # next poll an hour away…
        seed(sim, 3)
        service.sync_now(account.id)  # …but the user asks now
        await until(lambda: len(polls(seen, account.id)) == 2, timeout=3)
        await service.stop()

    asyncio.run(main())
    assert polls(seen, account.id)[1].new_this_poll == 3


def test_cancel_stops_a_long_poll_between_two_pages_and_loses_nothing(store, sim):
    account, make = add_simulated_account(store, sim, Platform.MASTODON)
    asyncio.run(sync_once(store, make(), account.id))
    expected = seed(sim, 400)  # ten pages of 40
    sim.faults.latency = 0.05
    seen: list[AccountStatus] = []
    service = service_for(store, make, seen, base_interval=3600)

    async def main():
        service.start()
        await until(lambda: any(s.phase == Phase.SYNCING and s.fetched_this_poll for s in seen))
        service.cancel(account.id)
        await until(lambda: len(polls(seen, account.id)) == 1)
        cancelled = polls(seen, account.id)[0]
        assert 0 < cancelled.fetched_this_poll < 400  # stopped part way…
        cursor = store.sync_state(account.id).cursor
        assert cursor is not None  # …with the cursor of what was stored
        sim.faults.latency = 0.0
        service.sync_now(account.id)  # the next poll takes up where it stopped
        await until(lambda: len(polls(seen, account.id)) == 2)
        await service.stop()
        return cancelled

    cancelled = asyncio.run(main())
    with store.read() as conn:
        stored = [r[0] for r in conn.exec_driver_sql("SELECT platform_item_id FROM item WHERE is_own = 0")]
    assert sorted(stored) == sorted(expected)
    assert polls(seen, account.id)[1].fetched_this_poll == 400 - cancelled.fetched_this_poll


def test_a_quiet_account_slows_down_to_five_times_its_interval(store, sim):
    account, make = add_simulated_account(store, sim, Platform.MASTODON)
    seen: list[AccountStatus] = []
    service = service_for(store, make, seen, base_interval=0.05)

    async def main():
        service.start()
        await until(lambda: len(polls(seen, account.id)) >= 8)
        await service.stop()

    asyncio.run(main())
    gaps = [round(s.next_sync_at - s.last_sync_at, 2) for s in polls(seen, account.id)[:8] if s.last_sync_at]
    assert gaps == sorted(gaps)  # never faster while nothing comes in
    assert gaps[0] == pytest.approx(0.075, abs=0.02)  # 1.5 × the base interval…
    assert gaps[-1] == pytest.approx(0.25, abs=0.02)  # …up to 5 ×


def test_errors_back_off_more_and_more_then_recover(store, sim, monkeypatch):
    account, make = add_simulated_account(store, sim, Platform.MASTODON)
    asyncio.run(sync_once(store, make(), account.id))
    sim.faults.error_rate = 1.0  # every request answers 503
    waits = record_waits(monkeypatch, shorten=True)
    seen: list[AccountStatus] = []
    service = service_for(store, make, seen, base_interval=3600)

    async def main():
        service.start()
        await until(lambda: len(waits.get(account.id, [])) >= 4)
        sim.faults.clear()
        seed(sim, 2)
        await until(lambda: any(s.phase == Phase.IDLE and s.new_this_poll == 2 for s in seen))
        await service.stop()

    asyncio.run(main())
    assert waits[account.id][:4] == [15.0, 30.0, 60.0, 120.0]  # doubling from 15 s (capped at 15 min)
    assert any(s.phase == Phase.WAITING and "503" in s.error for s in seen)
    assert not store.sync_state(account.id).error  # recovered: the error is cleared


def test_answering_on_an_account_makes_it_poll_fast_for_a_while(store, sim):
    account, make = add_simulated_account(store, sim, Platform.MASTODON)
    seen: list[AccountStatus] = []
    service = service_for(store, make, seen, base_interval=40.0)

    async def main():
        service.start()
        await until(lambda: len(polls(seen, account.id)) == 1)
        service.conversation_active(account.id)  # the user just sent a reply
        await until(lambda: len(polls(seen, account.id)) == 2, timeout=3)  # polled at once…
        await service.stop()

    asyncio.run(main())
    quiet, active = polls(seen, account.id)[:2]
    assert quiet.next_sync_at - quiet.last_sync_at >= 40.0
    # …and keeps polling four times as often though nothing new came in.
    assert active.new_this_poll == 0
    assert active.next_sync_at - active.last_sync_at == pytest.approx(10.0, abs=0.5)


def test_without_a_network_remote_accounts_pause_and_resume_when_it_is_back(store, sim):
    """The system says the network is gone: an account on another machine stops polling (no
    request, no error), one on this machine goes on; when the network is back, it polls at once."""
    remote, make_remote = add_simulated_account(store, sim, Platform.MASTODON, "Remote")
    # The account's address says "another machine"; its connector (made from the account as it
    # was) still reaches the simulator.
    store.update_account(remote.id, base_url="https://mastodon.example")
    with MastodonSimulator(owner_role="user") as local_sim:
        local, make_local = add_simulated_account(store, local_sim, Platform.MASTODON, "Local")
        makers = {remote.id: lambda: make_remote(remote), local.id: make_local}
        seen: list[AccountStatus] = []
        service = SyncService(store, lambda acc: makers[acc.id](), on_status=seen.append, base_interval=0.05)

        async def main():
            service.set_online(False)
            service.start()
            await until(lambda: any(s.account_id == remote.id and s.phase == Phase.OFFLINE for s in seen))
            await until(lambda: len(polls(seen, local.id)) >= 3)  # the local account keeps syncing
            assert [r for r in sim.log if "/api/" in r[1]] == []  # not one request for the remote one
            seed(sim, 4)
            service.set_online(True)
            await until(lambda: any(s.account_id == remote.id and s.fetched_this_poll == 4 for s in seen), timeout=3)
            await service.stop()

        asyncio.run(main())
    offline = next(s for s in seen if s.account_id == remote.id and s.phase == Phase.OFFLINE)
    assert offline.error == NO_NETWORK
    assert not [s for s in seen if s.account_id == remote.id and s.phase == Phase.WAITING]


class OverTheNetwork:
    """A connector behind a network that can be gone: fetch then fails as the HTTP layer does
    when no route leads to the server (an offline error)."""

    def __init__(self, connector, network: dict):
        self.connector, self.network = connector, network

    def __getattr__(self, name):
        return getattr(self.connector, name)

    def fetch(self, cursor):
        if not self.network["up"]:
            raise Transient(f"Cannot reach {self.account.name}: the network is unreachable.")
        return self.connector.fetch(cursor)


def test_an_unreachable_network_is_retried_soon_and_the_first_account_through_wakes_the_others(store, sim, monkeypatch):
    """Without news from the system: 15 s, 30 s, 60 s… (up to two minutes); and the first
    account that gets through again (here the user's "sync now") wakes the others at once."""
    waits = record_waits(monkeypatch)
    network = {"up": False}
    with MastodonSimulator(owner_role="user") as other_sim:
        first, make_first = add_simulated_account(store, sim, Platform.MASTODON, "First")
        second, make_second = add_simulated_account(store, other_sim, Platform.MASTODON, "Second")
        makers = {first.id: make_first, second.id: make_second}
        seen: list[AccountStatus] = []
        service = SyncService(
            store,
            lambda acc: OverTheNetwork(makers[acc.id](), network),
            on_status=seen.append,
            base_interval=3600,
        )
        monkeypatch.setattr(_AccountRunner, "needs_network", True)  # as if the servers were elsewhere

        def synced(account) -> bool:
            return any(s.account_id == account.id and s.phase == Phase.IDLE and s.last_sync_at for s in seen)

        async def main():
            service.start()
            await until(lambda: len(waits.get(first.id, [])) == len(waits.get(second.id, [])) == 1)
            service.sync_now(first.id)  # still no network: the next wait doubles
            await until(lambda: len(waits[first.id]) == 2)
            network["up"] = True
            service.sync_now(first.id)  # through, after failing: the network is back…
            await until(lambda: synced(first) and synced(second), timeout=3)  # …and the second goes at once
            await service.stop()

        asyncio.run(main())
    assert waits == {first.id: [15.0, 30.0], second.id: [15.0]}
    offline = [s for s in seen if s.account_id == second.id and s.phase == Phase.OFFLINE]
    assert offline and "network is unreachable" in offline[0].error
    assert sync_module.OFFLINE_INTERVAL_S == 120.0  # where the doubling stops


def test_an_account_that_never_failed_does_not_wake_one_whose_server_is_down(store, sim, monkeypatch):
    """One server down (not the network): the others' polls leave its backoff alone."""
    waits = record_waits(monkeypatch)
    monkeypatch.setattr(_AccountRunner, "needs_network", True)
    down, make_down = add_simulated_account(store, sim, Platform.MASTODON, "Down")
    dead_port = unused_port()  # nobody listens there
    unreachable = store.update_account(down.id, base_url=f"http://127.0.0.1:{dead_port}")
    with MastodonSimulator(owner_role="user") as live_sim:
        live, make_live = add_simulated_account(store, live_sim, Platform.MASTODON, "Live")
        makers = {down.id: lambda: make_down(unreachable), live.id: make_live}
        seen: list[AccountStatus] = []
        service = SyncService(store, lambda acc: makers[acc.id](), on_status=seen.append, base_interval=0.05)

        async def main():
            service.start()
            await until(lambda: len(polls(seen, live.id)) >= 10)  # the live account polls on and on…
            await service.stop()

        asyncio.run(main())
    assert waits == {down.id: [15.0]}  # …and the one that is down tried once
