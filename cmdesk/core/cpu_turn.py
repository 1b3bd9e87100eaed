"""One background thread at a time runs Python-heavy work, so the UI thread gets the GIL quickly.

CPython hands the GIL over unfairly: a thread that gives it up for a moment (a Qt event, a
SQLite step, a socket read) must win it back against every thread that wants it. With one
busy background thread the UI waits about 15 ms at worst; with three, about 110 ms; with six,
about 360 ms (measured on this project's two-core machine with a 10 ms asyncio timer beside
pure-Python loops). Syncing five accounts means five threads parsing pages and one storing
them, so the UI stalled for a third of a second at a time.

``BACKGROUND`` is the turn those threads take: the sync's network threads hold it while they
turn a page into items, and the HTTP layer and the page and scoring workers let go of it while
they wait. Threads that wait for the turn wait on a lock, not on the GIL, so the UI thread
competes with one thread, not six. The GIL already lets only one thread run Python at a time:
taking turns costs no throughput. The database thread does not take it: most of its time is
SQLite's, without the GIL, and holding the turn through it held back every fetch
(``services/sync_writer.py``); it only waits while room is asked for (``wait_for_room``).

Even one background thread makes the UI wait: Qt calls into Python hundreds of times to paint
rows, and each call may wait for the GIL behind the thread in its turn. So the UI thread can ask
for room (``give_way``) before its longest drawing (a first sync's first rows): no new turn
starts until the time asked for has passed; the turn in progress finishes first.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["BACKGROUND", "CpuTurn"]


class CpuTurn:
    """A turn that background threads take for Python-heavy work. Re-entrant in one thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._local = threading.local()
        self._room_until = 0.0  # time.monotonic() before which no new turn starts

    def give_way(self, seconds: float) -> None:
        """No new turn for the next ``seconds`` (the UI thread has drawing to do)."""
        self._room_until = max(self._room_until, time.monotonic() + seconds)

    def wait_for_room(self) -> None:
        """Return once no room is asked for (threads that work without the turn call this)."""
        while (left := self._room_until - time.monotonic()) > 0:
            time.sleep(left)

    def _depth(self) -> int:
        return getattr(self._local, "depth", 0)

    def holding(self) -> bool:
        return self._depth() > 0

    @contextmanager
    def held(self) -> Iterator[None]:
        """Run the block in this thread's turn (waiting for it when another thread has it)."""
        depth = self._depth()
        if depth == 0:
            self.wait_for_room()
            self._lock.acquire()
        self._local.depth = depth + 1
        try:
            yield
        finally:
            self._local.depth = depth
            if depth == 0:
                self._lock.release()

    @contextmanager
    def released(self) -> Iterator[None]:
        """Let other threads have the turn while this one waits (network, sleep); no-op without it."""
        depth = self._depth()
        if depth == 0:
            yield
            return
        self._local.depth = 0
        self._lock.release()
        try:
            yield
        finally:
            self.wait_for_room()
            self._lock.acquire()
            self._local.depth = depth


BACKGROUND = CpuTurn()
