"""Group commit for the sync: the pages of every account that wait for the writer go to the
store together, in one transaction.

Each account's task hands its page to ``GroupWriter.write`` and awaits its own result. While the
database thread writes one group, the pages that arrive meanwhile queue up; the next group takes
them all (up to ``MAX_GROUP_ITEMS``). A lone page is written at once, so a quiet sync waits no
longer than before, and a busy one pays one commit, one thread hop and one loop wake-up per group
instead of per page.

Every page is still stored with the cursor that covers it, in the same transaction. If a group
fails, its pages are written again one by one, so a bad page or account gets its own error and
the other accounts' pages are stored.

The writer does not take the background threads' turn (``core.cpu_turn``), though it waits while
the UI asks for room: most of a write is SQLite's, which runs without the GIL, and the network
threads finish their pages meanwhile. With the turn, each group held back every fetch for its
whole length (a 5 × 10,000-item catch-up took 10.0–10.3 s; without, 7.0–8.8 s, and the UI loop's
lag was no worse: ``benchmarks/sync.py``).
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor

from cmdesk.core.cpu_turn import BACKGROUND
from cmdesk.store.store import IngestBatch, IngestResult

log = logging.getLogger("cmdesk.sync")

MAX_GROUP_ITEMS = 1000  # keeps the write lock short for the app's own writes (status, notes…)


class GroupWriter:
    """Writes ``IngestBatch`` es on ``pool`` (one thread: the store's single writer), grouped."""

    def __init__(self, store, pool: Executor) -> None:
        self.store = store
        self.pool = pool
        self._waiting: list[tuple[IngestBatch, asyncio.Future]] = []
        self._draining: asyncio.Task | None = None

    async def write(self, batch: IngestBatch) -> IngestResult:
        """Store ``batch`` (alone or with others); its result, or the error it alone caused."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._waiting.append((batch, future))
        if self._draining is None:
            self._draining = loop.create_task(self._drain(), name="sync-writer")
        return await future

    async def wait_idle(self) -> None:
        """Wait until every page handed over is written (for a clean stop)."""
        while (draining := self._draining) is not None:
            await asyncio.wait({draining})

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._waiting:
                group = self._take_group()
                if not group:
                    continue
                outcomes = await loop.run_in_executor(self.pool, self._write_group, [batch for batch, _ in group])
                for (_, future), outcome in zip(group, outcomes, strict=True):
                    if future.done():  # its account was removed meanwhile: the page is stored anyway
                        continue
                    if isinstance(outcome, BaseException):
                        future.set_exception(outcome)
                    else:
                        future.set_result(outcome)
        except BaseException as exc:  # the pool is shut down, or a bug: no page waits forever
            for _, future in self._waiting:
                if not future.done():
                    future.set_exception(exc if isinstance(exc, Exception) else RuntimeError("sync writer stopped"))
            self._waiting.clear()
            raise
        finally:
            self._draining = None

    def _take_group(self) -> list[tuple[IngestBatch, asyncio.Future]]:
        group, size = [], 0
        while self._waiting and (not group or size + len(self._waiting[0][0].items) <= MAX_GROUP_ITEMS):
            batch, future = self._waiting.pop(0)
            if future.cancelled():  # its task was cancelled before the page was taken
                continue
            group.append((batch, future))
            size += len(batch.items)
        return group

    def _write_group(self, batches: list[IngestBatch]) -> list[IngestResult | Exception]:
        """On the database thread: all together, else one by one so each error has its owner."""
        BACKGROUND.wait_for_room()  # the UI may be drawing its first rows (cpu_turn.give_way)
        if len(batches) > 1:
            try:
                return list(self.store.ingest_many(batches))
            except Exception:
                log.info("a group of %d pages failed; writing them one by one", len(batches), exc_info=True)
        outcomes: list[IngestResult | Exception] = []
        for batch in batches:
            try:
                outcomes.append(self.store.ingest_many([batch])[0])
            except Exception as exc:
                outcomes.append(exc)
        return outcomes
