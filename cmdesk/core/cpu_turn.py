"""One background thread at a time runs Python-heavy work, so the UI thread gets the GIL quickly.

CPython hands the GIL over unfairly: a thread that gives it up for a moment (a Qt event, a
SQLite step, a socket read) must win it back against every thread that wants it. With one
busy background thread the UI waits about 15 ms at worst; with three, about 110 ms; with six,
about 360 ms (measured on this project's two-core machine with a 10 ms asyncio timer beside
pure-Python loops). Syncing five accounts means five threads parsing pages and one storing
them, so the UI stalled for a third of a second at a time.

``BACKGROUND`` is the turn those threads take: the sync's network threads hold it while they
turn a page into items, its database thread while it stores and judges a batch, and the HTTP
layer lets go of it while it waits on the network. Threads that wait for the turn wait on a
lock, not on the GIL, so the UI thread competes with one thread, not six. The GIL already lets
only one thread run Python at a time: taking turns costs no throughput.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["BACKGROUND", "CpuTurn"]


class CpuTurn:
    """A turn that background threads take for Python-heavy work. Re-entrant in one thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._local = threading.local()

    def _depth(self) -> int:
        return getattr(self._local, "depth", 0)

    def holding(self) -> bool:
        return self._depth() > 0

    @contextmanager
    def held(self) -> Iterator[None]:
        """Run the block in this thread's turn (waiting for it when another thread has it)."""
        depth = self._depth()
        if depth == 0:
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
            self._lock.acquire()
            self._local.depth = depth


BACKGROUND = CpuTurn()
