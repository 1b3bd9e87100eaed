"""Worker processes that end with the app.

A ``ProcessPoolExecutor`` worker waits on its call queue, a pipe whose writing end it holds
too: when the app is killed (a crash, SIGKILL, the session ending), the worker never sees the
pipe close and waits for ever, some 50 MB each. Each worker therefore watches its parent and
leaves when it is gone.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from multiprocessing.connection import wait


def exit_with_parent() -> None:
    """In a process started by ``multiprocessing``: end it when its parent ends (call first)."""
    parent = multiprocessing.parent_process()
    sentinel = getattr(parent, "sentinel", None)
    if sentinel is None:
        return

    def watch() -> None:
        wait([sentinel])  # readable once the parent has exited, however it exited
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
