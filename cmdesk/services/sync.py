"""The sync engine: one asyncio task per account, blocking connector calls in a bounded thread pool.

Each poll fetches batches until the connector says there is no more, and hands each batch
to the group writer (``sync_writer.py``), which writes the items *and* the cursor that covers
them in one transaction, together with the other accounts' waiting batches: a crash can lose
at most the batches being written, never skip items, and the next poll fetches them again
(the upsert is idempotent).

Polling adapts: fast while a conversation is active (new items came in, or the user just
answered on the account), slower as the account stays quiet, backing off on errors, paused
when the account needs to sign in again, and paused while the system says the network is gone
(``set_online``; without that news, an unreachable network is retried after 15 s, 30 s… up to
two minutes, and the first account that gets through again wakes the others). "Sync now" wakes an
account at once; ``cancel`` stops its current poll between two batches.

Nothing here knows Qt: status changes and new items are reported through plain callbacks,
which the GUI bridges to signals. Works on the qasync loop and on a plain asyncio loop (CLI).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from enum import StrEnum
from urllib.parse import urlsplit

from cmdesk.connectors.base import AuthExpired, Connector, ConnectorError, Permanent, RateLimited, Transient
from cmdesk.core.cpu_turn import BACKGROUND
from cmdesk.core.models import Account, Changes, IncomingItem, Verdict
from cmdesk.services.sync_writer import GroupWriter
from cmdesk.store.store import IngestBatch

log = logging.getLogger("cmdesk.sync")

# Polling adapts around an account's base interval (its setting, else the profile's):
FAST_DIVISOR = 4  # while new items keep arriving, poll four times as often (never under MIN_INTERVAL_S)
IDLE_FACTOR = 5  # a quiet account slows down to five times its base interval
MIN_INTERVAL_S = 2.0
ACTIVE_WINDOW_S = 600.0  # after the user answers on an account, it polls fast this long: answers come quickly
OFFLINE_FIRST_RETRY_S = 15.0  # unreachable: try again after 15 s, 30 s, 60 s…
OFFLINE_INTERVAL_S = 120.0  # …up to two minutes
ERROR_BACKOFF_CAP_S = 900.0
MAX_BATCHES_PER_POLL = 200  # a first sync of a huge account continues at the next poll


class Phase(StrEnum):
    IDLE = "idle"
    SYNCING = "syncing"
    WAITING = "waiting"  # backing off after an error
    OFFLINE = "offline"
    NEEDS_SIGNIN = "needs_signin"
    STOPPED = "stopped"


@dataclass(frozen=True)
class AccountStatus:
    """What the sidebar and status bar show for an account."""

    account_id: int
    phase: Phase = Phase.IDLE
    last_sync_at: float | None = None  # time.time()
    next_sync_at: float | None = None
    error: str = ""
    fetched_this_poll: int = 0
    new_this_poll: int = 0


@dataclass
class _AccountRunner:
    account: Account
    connector: Connector
    interval: float
    base: float
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    cancel_poll: bool = False
    task: asyncio.Task | None = None
    errors_in_a_row: int = 0
    status: AccountStatus | None = None
    active_until: float = 0.0  # time.monotonic() until which a conversation keeps polls fast

    @property
    def needs_network(self) -> bool:
        """False for a server on this machine (the demo's simulators): it syncs without a network."""
        host = urlsplit(self.account.base_url or "").hostname or ""
        return host not in ("localhost", "::1") and not host.startswith("127.")

    @property
    def fast_interval(self) -> float:
        return max(MIN_INTERVAL_S, self.base / FAST_DIVISOR)

    @property
    def last_sync_at(self) -> float | None:
        return self.status.last_sync_at if self.status else None

    def doubling_wait(self, first: float, cap: float) -> float:
        """``first`` after one failure in a row, twice that after two… up to ``cap``."""
        return min(cap, first * 2 ** (self.errors_in_a_row - 1))


def _retrieved(future) -> None:
    if not future.cancelled():
        future.exception()


def _fetch(connector: Connector, cursor, judge):
    """One page, parsed in the background threads' turn (the HTTP layer leaves it while it
    waits); a judge that can score a batch ahead gets it now, while the previous page is stored."""
    with BACKGROUND.held():
        batch = connector.fetch(cursor)
        prepare = getattr(judge, "prepare", None)
        if prepare is not None and batch.items:
            prepare(batch.items)
        return batch


NO_NETWORK = "No network connection: sync resumes when it is back."


def is_offline_error(error: Exception | str) -> bool:
    """Whether an error (or its recorded message) says the server could not be reached at all."""
    text = str(error).lower()
    return "cannot reach" in text and ("could not be found" in text or "unreachable" in text or "refused" in text)


class SyncService:
    """Keeps every enabled account in sync.

    ``on_status(AccountStatus)`` and ``on_changes(Changes)`` are called on the event loop's
    thread. ``judge_for(account)`` gives the function that runs the rules on that account's
    items seen for the first time; ``on_new`` runs inside the ingest transaction (automatic
    moderation writes its outbox entries there).
    """

    def __init__(
        self,
        store,
        make_connector: Callable[[Account], Connector],
        *,
        judge_for: Callable[[Account], Callable[[IncomingItem, bool], Verdict | None]] | None = None,
        on_new=None,
        on_status: Callable[[AccountStatus], None] | None = None,
        on_changes: Callable[[Changes], None] | None = None,
        network_pool: Executor | None = None,
        db_pool: Executor | None = None,
        base_interval: float = 60.0,
    ):
        self.store = store
        self.make_connector = make_connector
        self.judge_for = judge_for
        self.on_new = on_new
        self.on_status = on_status or (lambda status: None)
        self.on_changes = on_changes or (lambda changes: None)
        self.network_pool = network_pool or ThreadPoolExecutor(max_workers=8, thread_name_prefix="cmdesk-net")
        self.db_pool = db_pool or ThreadPoolExecutor(max_workers=1, thread_name_prefix="cmdesk-sync-db")
        self.base_interval = base_interval
        self.writer = GroupWriter(store, self.db_pool)  # every account's pages, grouped per commit
        self._runners: dict[int, _AccountRunner] = {}
        self._stopping = False
        self._online = asyncio.Event()  # cleared while the system says there is no network
        self._online.set()

    # -- life cycle

    def start(self, accounts: list[Account] | None = None) -> None:
        """Start one task per enabled account (on the running loop)."""
        for account in accounts if accounts is not None else self.store.accounts():
            if account.enabled:
                self.add(account)

    def add(self, account: Account) -> None:
        if account.id in self._runners:
            return
        try:
            connector = self.make_connector(account)
        except Exception as exc:  # no keyring, unknown platform…: the account shows why, others go on
            log.warning("cannot start sync of %s: %s", account.name, exc)
            self._report(AccountStatus(account.id, Phase.NEEDS_SIGNIN, error=str(exc)))
            return
        interval = float(account.settings.get("sync_interval_s", self.base_interval))
        runner = _AccountRunner(account, connector, interval, base=interval)
        self._runners[account.id] = runner
        runner.task = asyncio.get_running_loop().create_task(self._run(runner), name=f"sync-{account.id}")

    async def remove(self, account_id: int) -> None:
        runner = self._runners.pop(account_id, None)
        if runner and runner.task:
            runner.task.cancel()
            await asyncio.gather(runner.task, return_exceptions=True)

    async def stop(self) -> None:
        self._stopping = True
        for account_id in list(self._runners):
            await self.remove(account_id)
        await self.writer.wait_idle()

    def connector(self, account_id: int) -> Connector | None:
        runner = self._runners.get(account_id)
        return runner.connector if runner else None

    def status(self, account_id: int) -> AccountStatus | None:
        runner = self._runners.get(account_id)
        return runner.status if runner else None

    # -- user requests

    def sync_now(self, account_id: int | None = None) -> None:
        """Poll now (one account, or all); an account waiting for sign-in stays paused."""
        for runner in self._runners.values():
            if account_id is None or runner.account.id == account_id:
                runner.wake.set()

    def conversation_active(self, account_id: int) -> None:
        """The user just answered on this account: poll now, then fast for ``ACTIVE_WINDOW_S``."""
        runner = self._runners.get(account_id)
        if runner:
            runner.active_until = time.monotonic() + ACTIVE_WINDOW_S
            runner.interval = runner.fast_interval
            runner.wake.set()

    def set_online(self, online: bool) -> None:
        """What the system says of the network: without one, accounts on other machines pause
        (no retries, no errors) until it comes back, and then poll at once."""
        if online:
            self._online.set()
            self._wake_offline()  # those that found the network gone by themselves too
        elif self._online.is_set():
            self._online.clear()
            for runner in self._runners.values():
                if runner.needs_network:
                    runner.wake.set()  # leave the current wait, and pause where the loop checks

    def _wake_offline(self) -> None:
        for runner in self._runners.values():
            if runner.status and runner.status.phase == Phase.OFFLINE:
                runner.wake.set()

    def cancel(self, account_id: int) -> None:
        """Stop the current poll after the batch being written (nothing half-stored)."""
        runner = self._runners.get(account_id)
        if runner:
            runner.cancel_poll = True

    def resume(self, account_id: int) -> None:
        """After a new sign-in: leave the paused state and poll."""
        runner = self._runners.get(account_id)
        if runner is None:
            return
        runner.connector = self.make_connector(runner.account)  # new credentials, new session
        if runner.status and runner.status.phase == Phase.NEEDS_SIGNIN:
            runner.status = replace(runner.status, phase=Phase.IDLE, error="")
        runner.wake.set()

    # -- the loop of one account

    def _report(self, status: AccountStatus) -> None:
        runner = self._runners.get(status.account_id)
        if runner:
            runner.status = status
        try:
            self.on_status(status)
        except Exception:  # a broken listener must not stop the sync
            log.exception("status listener failed")

    async def _run(self, runner: _AccountRunner) -> None:
        account_id = runner.account.id
        delay = 0.0
        while not self._stopping:
            if delay > 0:
                try:
                    await asyncio.wait_for(runner.wake.wait(), timeout=delay)
                except TimeoutError:
                    pass
            runner.wake.clear()
            if runner.status and runner.status.phase == Phase.NEEDS_SIGNIN:
                await runner.wake.wait()  # paused until resume() after a new sign-in
                continue
            if runner.needs_network and not self._online.is_set():
                offline = AccountStatus(account_id, Phase.OFFLINE, error=NO_NETWORK, last_sync_at=runner.last_sync_at)
                self._report(offline)
                await self._online.wait()  # paused until set_online(True)
                continue
            delay = await self._poll(runner)
            self._report(
                replace(runner.status, next_sync_at=time.time() + delay)
                if runner.status
                else AccountStatus(account_id, next_sync_at=time.time() + delay)
            )

    async def _poll(self, runner: _AccountRunner) -> float:
        """One poll: batches until done; returns the seconds to wait before the next poll."""
        loop = asyncio.get_running_loop()
        account_id = runner.account.id
        runner.cancel_poll = False
        fetched = new = 0
        backlog = False
        self._report(AccountStatus(account_id, Phase.SYNCING, last_sync_at=runner.last_sync_at))
        try:
            cursor = (await loop.run_in_executor(self.db_pool, self.store.sync_state, account_id)).cursor
            judge = self.judge_for(runner.account) if self.judge_for else None
            pending = loop.run_in_executor(self.network_pool, _fetch, runner.connector, cursor, judge)
            for _ in range(MAX_BATCHES_PER_POLL):
                batch = await pending
                # Fetch the next page while this one is stored: fetch(cursor) does not depend on the
                # store, and the cursor is still written only with the items it covers.
                prefetch = batch.more and not runner.cancel_poll
                if prefetch:
                    pending = loop.run_in_executor(self.network_pool, _fetch, runner.connector, batch.cursor, judge)
                    pending.add_done_callback(_retrieved)  # an abandoned prefetch must not log "never retrieved"
                result = await self.writer.write(
                    IngestBatch(account_id, batch.items, batch.cursor, judge=judge, on_new=self.on_new)
                )
                fetched += len(batch.items)
                new += len(result.new_ids)
                if result.new_ids:
                    self.on_changes(result.changes)
                self._report(AccountStatus(account_id, Phase.SYNCING, fetched_this_poll=fetched, new_this_poll=new))
                if not prefetch:
                    break
            else:
                backlog = True  # a huge catch-up: the next poll continues right away
        except AuthExpired as exc:
            message = str(exc)
            await loop.run_in_executor(
                self.db_pool, lambda: self.store.record_sync_outcome(account_id, error=message, needs_signin=True)
            )
            self._report(AccountStatus(account_id, Phase.NEEDS_SIGNIN, error=message))
            return 0.0
        except RateLimited as exc:
            return await self._failed(runner, exc, max(exc.retry_after, 1.0), Phase.WAITING)
        except Transient as exc:
            runner.errors_in_a_row += 1
            if is_offline_error(exc):
                wait = runner.doubling_wait(OFFLINE_FIRST_RETRY_S, OFFLINE_INTERVAL_S)
                return await self._failed(runner, exc, wait, Phase.OFFLINE)
            return await self._failed(runner, exc, runner.doubling_wait(15.0, ERROR_BACKOFF_CAP_S), Phase.WAITING)
        except (Permanent, ConnectorError) as exc:
            runner.errors_in_a_row += 1
            return await self._failed(runner, exc, ERROR_BACKOFF_CAP_S, Phase.WAITING)
        except Exception as exc:  # a bug or a store problem: reported, and the other accounts go on
            log.exception("sync of account %s failed", account_id)
            runner.errors_in_a_row += 1
            return await self._failed(runner, exc, ERROR_BACKOFF_CAP_S, Phase.WAITING)
        recovered, runner.errors_in_a_row = runner.errors_in_a_row > 0, 0
        await loop.run_in_executor(self.db_pool, lambda: self.store.record_sync_outcome(account_id))
        if recovered and runner.needs_network:
            self._wake_offline()  # got through after failing: the network may be back for the others too
        now = time.time()
        # Adaptive interval: activity brings polls closer, quiet stretches them out.
        if backlog:
            return 0.0
        if new or runner.active_until > time.monotonic():
            runner.interval = runner.fast_interval
        else:
            runner.interval = min(runner.base * IDLE_FACTOR, max(runner.interval * 1.5, runner.base))
        self._report(
            AccountStatus(account_id, Phase.IDLE, last_sync_at=now, fetched_this_poll=fetched, new_this_poll=new)
        )
        return runner.interval

    async def _failed(self, runner: _AccountRunner, exc: Exception, wait: float, phase: Phase) -> float:
        account_id = runner.account.id
        log.info("sync of %s: %s (next try in %.0f s)", runner.account.name, exc, wait)
        message = str(exc)
        try:
            await asyncio.get_running_loop().run_in_executor(
                self.db_pool, lambda: self.store.record_sync_outcome(account_id, error=message)
            )
        except Exception:
            log.exception("cannot record sync outcome")
        self._report(AccountStatus(account_id, phase, error=str(exc), last_sync_at=runner.last_sync_at))
        return wait


async def sync_once(
    store, connector: Connector, account_id: int, *, judge=None, on_new=None, max_batches: int = MAX_BATCHES_PER_POLL
) -> tuple[int, int]:
    """One complete poll of one account, for the CLI and tests: (fetched, new)."""
    loop = asyncio.get_running_loop()
    cursor = store.sync_state(account_id).cursor
    fetched = new = 0
    for _ in range(max_batches):
        batch = await loop.run_in_executor(None, connector.fetch, cursor)
        result = await loop.run_in_executor(
            None, lambda b=batch: store.ingest(account_id, b.items, cursor=b.cursor, judge=judge, on_new=on_new)
        )
        fetched += len(batch.items)
        new += len(result.new_ids)
        cursor = batch.cursor
        if not batch.more:
            break
    store.record_sync_outcome(account_id)
    return fetched, new
