"""The app's worker processes (scoring, page parsing) end when the app is killed, instead of
waiting for ever on a pipe nobody writes to any more."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

APP = """
from cmdesk.connectors.page_worker import PageWorker
from cmdesk.services.scoring import MIN_BATCH, ScoringPool

if __name__ == "__main__":
    pool, pages = ScoringPool(), PageWorker()
    pool.start()
    assert pool.score([("bonjour", None, ())] * MIN_BATCH) is not None  # the worker is up
    pages.start()
    workers = [*pool._executor._processes, *pages._started_executor()._processes]
    print(" ".join(map(str, workers)), flush=True)
    input()  # until killed
"""


def gone(pid: int) -> bool:
    """Exited (a zombie waiting for whoever adopted it counts: it runs no more)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


def test_workers_end_when_the_app_is_killed():
    app = subprocess.Popen(
        [sys.executable, "-c", APP],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    try:
        workers = [int(pid) for pid in app.stdout.readline().split()]
        assert len(workers) == 2 and not any(gone(pid) for pid in workers)
        app.send_signal(signal.SIGKILL)  # no clean-up code runs
        app.wait(timeout=10)
        deadline = time.monotonic() + 10
        while not all(gone(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(gone(pid) for pid in workers), [pid for pid in workers if not gone(pid)]
    finally:
        app.kill()
        app.stdin.close()
        app.stdout.close()
