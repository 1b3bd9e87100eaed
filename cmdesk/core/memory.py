"""Keep the garbage collector from pausing the UI.

A full collection scans every tracked object. Once the window is up, most of them live as long
as the app: modules, Qt wrappers, compiled rules, SQLAlchemy's tables. Scanning them again and
again is what made the collector stop the UI thread for about 70 ms at a time while accounts
synced (benchmarks/sync.py; 10–30 ms once they are frozen). ``gc.freeze`` moves what exists
now into a generation the collector leaves alone; what comes later is collected as usual.
"""

from __future__ import annotations

import gc


def settle_startup_objects() -> None:
    """Collect the start-up garbage, then freeze what remains (call once, when the app is built)."""
    gc.collect()
    gc.freeze()
