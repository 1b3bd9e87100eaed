"""Large pages of platform JSON are turned into items in a worker process.

A catch-up reads pages of 80 notifications, about 200 KB of JSON each. Decoding them and building
the items is pure Python: 35 to 40 µs an item, as long as storing the item, and all of it under
the app's GIL, which the UI thread needs for every event. In a process of its own that work runs
on the other core, beside the app storing the previous page; the app only unpickles the items
(about 4 µs each).

``PAGES.run(parse, body, *args)`` returns ``parse(body, *args)``. A small page (the live trickle
of a comment or two) is parsed in the calling thread: sending it costs about what parsing it
does. When the worker cannot be used (it failed to start, died or hung) every page is parsed in
the calling thread from then on, so no page is ever left unread. ``parse`` must be a
module-level function whose arguments and result pickle; what it raises reaches the caller
unchanged. The worker is started with "spawn": forking a process that runs Qt and threads is
unsafe.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from cmdesk.core.child_process import exit_with_parent
from cmdesk.core.cpu_turn import BACKGROUND

__all__ = ["MIN_BYTES", "PAGES", "PageWorker"]

log = logging.getLogger("cmdesk.connectors.pages")

Result = TypeVar("Result")

MIN_BYTES = 64 * 1024  # about 25 Mastodon notifications: below this, parsing here is as cheap
WORKER_TIMEOUT_S = 60.0  # a page takes a few milliseconds; past this the worker is stuck


def _import_modules(names: tuple[str, ...]) -> None:
    """In the worker: import the parsers' modules before the first page needs them."""
    for name in names:
        importlib.import_module(name)


class PageWorker:
    """One worker process that parses pages; thread-safe; started by ``start`` or on first use."""

    def __init__(self, min_bytes: int = MIN_BYTES, timeout_s: float = WORKER_TIMEOUT_S) -> None:
        self.min_bytes = min_bytes
        self.timeout_s = timeout_s
        self.parser_modules: set[str] = set()  # what ``start`` imports in the worker
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._failed = False  # the worker broke once: parse in the caller's thread from now on

    @property
    def started(self) -> bool:
        return self._executor is not None

    def start(self) -> None:
        """Start the worker and import the parsers there, in the background (returns at once).

        Starting a process and importing the parsers takes a third of a second; started when the
        app opens, the worker is ready by the time the first sync's first page arrives.
        """
        executor = self._started_executor()
        if executor is None:
            return
        try:
            executor.submit(_import_modules, tuple(sorted(self.parser_modules)))
        except (BrokenProcessPool, RuntimeError, OSError) as exc:
            self._give_up(executor, exc)

    def run(self, parse: Callable[..., Result], body: bytes, *args) -> Result:
        """``parse(body, *args)``, in the worker when ``body`` is large enough to be worth sending."""
        executor = self._executor_for(body)
        if executor is None:
            return parse(body, *args)
        try:
            future = executor.submit(parse, body, *args)
        except (BrokenProcessPool, RuntimeError, OSError) as exc:  # RuntimeError: shut down meanwhile
            self._give_up(executor, exc)
            return parse(body, *args)
        try:
            with BACKGROUND.released():  # waiting on the worker: other threads may use the turn
                return future.result(timeout=self.timeout_s)
        except CancelledError:  # shut down meanwhile (the sync stopping): parse it here
            return parse(body, *args)
        except (BrokenProcessPool, TimeoutError) as exc:
            self._give_up(executor, exc)
            return parse(body, *args)

    def _executor_for(self, body: bytes) -> ProcessPoolExecutor | None:
        if len(body) < self.min_bytes:
            return None
        return self._started_executor()

    def _started_executor(self) -> ProcessPoolExecutor | None:
        with self._lock:
            if self._executor is None and not self._failed:
                try:
                    self._executor = ProcessPoolExecutor(
                        max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=exit_with_parent
                    )
                except (OSError, RuntimeError) as exc:  # no processes allowed, no /dev/shm…
                    log.warning("cannot start the page worker (%s); pages are parsed in the app", exc)
                    self._failed = True
            return self._executor

    def _give_up(self, executor: ProcessPoolExecutor, reason: BaseException) -> None:
        """``executor`` failed: unless it was merely shut down meanwhile, parse here from now on."""
        with self._lock:
            if self._executor is not executor:
                return
            self._executor, self._failed = None, True
        log.warning("the page worker failed (%s); pages are parsed in the app from now on", reason)
        if isinstance(reason, TimeoutError):
            # A stuck worker would keep the app from exiting: concurrent.futures joins its workers
            # at exit. (The executor keeps its processes in ``_processes``; 3.14 adds kill_workers.)
            for process in list((getattr(executor, "_processes", None) or {}).values()):
                process.kill()
        executor.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        """Stop the worker (the sync has stopped); the next large page starts a new one."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


PAGES = PageWorker()  # shared by every connector: one process parses for all accounts
