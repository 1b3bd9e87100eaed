"""Closing a qasync loop for good: its pending Qt timers must not outlive it.

Without ``close_event_loop``, a loop closed with a wait still pending and then garbage collected
on another thread leaves that wait's Qt timer registered ("QObject::~QObject: Timers cannot be
stopped from another thread"); when it fires, Qt calls a deleted object and the process dies.
The GUI tests met this a few runs in a hundred. It runs in a child process: a crash must not
take the test session with it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SCENARIO = textwrap.dedent(
    """
    import asyncio, gc, threading, time
    import qasync
    from PySide6.QtWidgets import QApplication
    from cmdesk.app import close_event_loop

    app = QApplication([])
    for _ in range(5):
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)

        async def a_poll_waits():
            loop.call_later(0.3, lambda: None)  # still pending when the loop closes
            await asyncio.sleep(0.01)

        loop.run_until_complete(a_poll_waits())
        close_event_loop(loop)
        del loop
        collector = threading.Thread(target=gc.collect)  # collected on another thread
        collector.start()
        collector.join()
        end = time.monotonic() + 0.5
        while time.monotonic() < end:  # past the pending wait's time
            app.processEvents()
            time.sleep(0.01)
    print("alive")
    """
)


def test_a_closed_loop_leaves_no_timer_behind_to_crash_the_app():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", SCENARIO], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "alive"
    assert "Timers cannot be stopped from another thread" not in done.stderr
