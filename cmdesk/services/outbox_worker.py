"""The outbox worker: an asyncio task that sends what is due, one entry at a time per account.

It sleeps until the next entry is due or until ``wake()`` (a new entry was written). Entries
of an account that must sign in again wait, and so do that account's later entries, so
replies keep their order.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import Executor

from cmdesk.connectors.base import AuthExpired, Connector
from cmdesk.core.models import Changes, to_millis, utcnow
from cmdesk.services.outbox import Outbox

log = logging.getLogger("cmdesk.outbox")
IDLE_CHECK_S = 60.0


class OutboxWorker:
    def __init__(
        self,
        outbox: Outbox,
        connector_for: Callable[[int], Connector | None],
        pool: Executor,
        *,
        on_changes: Callable[[Changes], None] | None = None,
        on_auth_expired: Callable[[int, str], None] | None = None,
    ):
        self.outbox = outbox
        self.connector_for = connector_for
        self.pool = pool
        self.on_changes = on_changes or (lambda changes: None)
        self.on_auth_expired = on_auth_expired or (lambda account_id, message: None)
        self.paused: set[int] = set()
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="outbox")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    def wake(self) -> None:
        self._wake.set()

    def resume(self, account_id: int) -> None:
        self.paused.discard(account_id)
        self.wake()

    async def run_once(self) -> int:
        """Work through everything due now; returns how many entries were processed."""
        loop = asyncio.get_running_loop()
        due = await loop.run_in_executor(self.pool, lambda: self.outbox.due(paused=set(self.paused)))
        done = 0
        for entry in due:
            if entry.account_id in self.paused:
                continue
            connector = self.connector_for(entry.account_id)
            if connector is None:
                continue  # account disabled or not signed in: the entry waits, it is not lost
            try:
                changes = await loop.run_in_executor(self.pool, self.outbox.process, entry, connector)
            except AuthExpired as exc:
                self.paused.add(entry.account_id)
                self.on_auth_expired(entry.account_id, str(exc))
                continue
            except Exception:  # a bug must not kill the worker: the entry stays and is retried later
                log.exception("outbox entry %s failed unexpectedly", entry.id)
                continue
            done += 1
            if changes.items or changes.new_items:
                self.on_changes(changes)
        return done

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            self._wake.clear()
            try:
                await self.run_once()
                next_at = await loop.run_in_executor(self.pool, self.outbox.next_due_at)
            except Exception:
                log.exception("outbox worker step failed")
                next_at = None
            now = to_millis(utcnow())
            wait = IDLE_CHECK_S if next_at is None else max(0.05, min(IDLE_CHECK_S, (next_at - now) / 1000))
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=wait)
            except TimeoutError:
                pass
