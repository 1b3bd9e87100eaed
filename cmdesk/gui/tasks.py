"""Running store operations off the UI thread, with results delivered back on it (Anki's habit).

All writes from the interface go through one worker thread, so they happen in the order the
user asked for them; the callback receives the result (often a ``Changes`` value) on the
main thread, where it is safe to touch widgets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger("cmdesk.gui")


class TaskRunner(QObject):
    """``run(fn, on_done, on_error)``: ``fn`` runs on the DB worker thread, callbacks on the UI thread.

    Signals:
        failed(str): an operation without its own error callback failed; the text is for the user.
    """

    failed = Signal(str)
    _finished = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cmdesk-db")
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.pending = 0

    def run(
        self,
        fn: Callable[[], object],
        on_done: Callable[[object], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> Future:
        self.pending += 1
        future = self._executor.submit(fn)
        future.add_done_callback(lambda f: self._finished.emit((f, on_done, on_error)))
        return future

    def _deliver(self, payload) -> None:
        future, on_done, on_error = payload
        self.pending -= 1
        error = future.exception()
        if error is None:
            if on_done:
                on_done(future.result())
            return
        if on_error:
            on_error(error)
        else:
            log.error("operation failed: %s", error, exc_info=error)
            self.failed.emit(str(error))

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=False)


class LatestRead:
    """A read on the task thread that never runs twice at once: asked for while one is on its
    way, it runs once more when that one is in, so what is shown ends up current (a sync asks
    for new rows and counts many times a second)."""

    def __init__(self, what: str) -> None:
        self._what = what  # for the log
        self._pending = self._again = False

    def request(self, run: Callable, start: Callable[[], tuple[Callable, Callable] | None]) -> None:
        """``start()`` gives ``(read, done)`` as the read begins (None: nothing to read). ``read``
        runs through ``run`` (a ``TaskRunner.run``), then ``done(result)`` on the UI thread; a
        true return asks for another read."""
        if self._pending:
            self._again = True
            return
        begun = start()
        if begun is None:
            return
        read, done = begun
        self._pending = True

        def finished(result) -> None:
            self._pending = False
            if done(result) or self._again:
                self._again = False
                self.request(run, start)

        def failed(exc: Exception) -> None:
            self._pending = self._again = False
            log.warning("cannot read %s: %s", self._what, exc)

        run(read, finished, failed)
