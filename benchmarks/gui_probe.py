"""The GUI half of the benchmark, run in a fresh interpreter (offscreen) so start-up is real.

``app_probe`` opens the profile with ``cmdesk.app.open_window(root, offline=True)``, waits for
``MainWindow.first_page_shown`` and the list's next paint, then scrolls the list to 10,000 rows
(each ``fetchMore`` is timed by ``InboxModel.fetch_ms``) and reports resident memory.
``raw_probe`` is its baseline: a bare ``QTableView`` over a minimal model that reads the same
Unanswered query with plain sqlite3 — the least a Qt program can do to show that list.

Both print one JSON line: ``painted_at`` (``time.time()`` when the first page was painted, so
the parent measures from before it started the process), ``rss_mb``, ``peak_rss_mb``,
``fetch_ms`` and ``rows``. The benchmark launches them with ``python -c``.
"""

from __future__ import annotations

import json
import os
import sys
import time


def _rss_mb() -> tuple[float, float]:
    """Current and peak resident memory of this process, in MB (Linux /proc)."""
    values = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, amount, _unit = line.split()
                values[key] = int(amount) / 1024
    return values.get("VmRSS:", 0.0), values.get("VmHWM:", 0.0)


class _PaintWatch:
    """Calls ``done`` once the watched widget has finished a paint after ``arm()``."""

    def __init__(self, widget, done):
        from PySide6.QtCore import QEvent, QObject, QTimer

        self._armed = False
        self._done = done

        class Filter(QObject):
            def eventFilter(inner, obj, event):
                if self._armed and event.type() == QEvent.Type.Paint:
                    self._armed = False
                    QTimer.singleShot(0, self._done)  # after the paint event has been handled
                return False

        self._filter = Filter()
        widget.installEventFilter(self._filter)
        self._widget = widget

    def arm(self) -> None:
        self._armed = True
        self._widget.update()


def _scroll(app, view, model_rows, can_fetch, target: int) -> None:
    """Scroll to the bottom until ``target`` rows are loaded (the view calls fetchMore)."""
    bar = view.verticalScrollBar()
    stalled = 0
    while model_rows() < target and can_fetch():
        before = model_rows()
        bar.setValue(bar.maximum())
        app.processEvents()
        stalled = stalled + 1 if model_rows() == before else 0
        if stalled > 50:
            break


def _cpu_ms() -> float:
    """CPU time used by this process so far (user + system): start-up work, whatever the machine's load."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return (usage.ru_utime + usage.ru_stime) * 1000


def _report(painted_at: float, fetch_ms: list[float], rows: int, extra: dict | None = None) -> None:
    rss, peak = _rss_mb()
    out = {"painted_at": painted_at, "rss_mb": rss, "peak_rss_mb": peak, "fetch_ms": fetch_ms, "rows": rows}
    out.update(extra or {})
    sys.stdout.write("PROBE " + json.dumps(out) + "\n")
    sys.stdout.flush()


def app_probe(root: str, scroll_rows: int = 10_000) -> None:
    """Start CMDesk on the profile at ``root`` and measure it (see the module docstring)."""
    from pathlib import Path

    from cmdesk.app import create_application, open_window

    window, _services = open_window(Path(root), offline=True)
    app = create_application()
    state = {"shown": False, "painted_at": None, "cpu_ms": None}
    view = window.ui.itemList

    def painted():
        state["painted_at"] = time.time()
        state["cpu_ms"] = _cpu_ms()
        app.exit(0)

    watch = _PaintWatch(view.viewport(), painted)

    def shown():
        state["shown"] = True
        watch.arm()

    window.first_page_shown.connect(shown)
    window.resize(1400, 860)
    window.show()
    app.exec()
    first_rows = window.model.loaded_rows()
    _scroll(app, view, window.model.loaded_rows, window.model.canFetchMore, scroll_rows)
    extra = {"first_rows": first_rows, "startup_cpu_ms": state["cpu_ms"]}
    _report(state["painted_at"], list(window.model.fetch_ms), window.model.loaded_rows(), extra)
    os._exit(0)  # no teardown: the measurement is over (and PRAGMA optimize would run at close)


RAW_SQL = """
SELECT * FROM (SELECT id, account_id, created_at, status, author_name, substr(text, 1, 240) FROM item
               WHERE status = 0 AND is_own = 0 {keyset} ORDER BY created_at DESC, id DESC LIMIT 50)
UNION ALL
SELECT * FROM (SELECT id, account_id, created_at, status, author_name, substr(text, 1, 240) FROM item
               WHERE status = 1 AND is_own = 0 {keyset} ORDER BY created_at DESC, id DESC LIMIT 50)
ORDER BY created_at DESC, id DESC LIMIT 50
"""


def raw_probe(db: str, scroll_rows: int = 10_000) -> None:
    """The baseline: a QTableView over the Unanswered rows read with plain sqlite3."""
    import sqlite3

    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtWidgets import QApplication, QTableView

    conn = sqlite3.connect(db)
    first_sql = RAW_SQL.format(keyset="")
    next_sql = RAW_SQL.format(keyset="AND (created_at, id) < (?, ?)")

    class Model(QAbstractTableModel):
        def __init__(self):
            super().__init__()
            self.rows = conn.execute(first_sql).fetchall()
            self.done = len(self.rows) < 50
            self.fetch_ms: list[float] = []

        def rowCount(self, parent=QModelIndex()):  # noqa: B008 - Qt's signature
            return 0 if parent.isValid() else len(self.rows)

        def columnCount(self, parent=QModelIndex()):  # noqa: B008
            return 0 if parent.isValid() else 4

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            if role != Qt.ItemDataRole.DisplayRole:
                return None
            row = self.rows[index.row()]
            return str(row[(3, 4, 5, 2)[index.column()]])

        def canFetchMore(self, parent=QModelIndex()):  # noqa: B008
            return not self.done

        def fetchMore(self, parent=QModelIndex()):  # noqa: B008
            started = time.perf_counter()
            last = self.rows[-1]
            page = conn.execute(next_sql, (last[2], last[0], last[2], last[0])).fetchall()
            self.done = len(page) < 50
            if page:
                self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page) - 1)
                self.rows.extend(page)
                self.endInsertRows()
            self.fetch_ms.append((time.perf_counter() - started) * 1000)

    app = QApplication.instance() or QApplication([sys.argv[0]])
    model = Model()
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().setDefaultSectionSize(28)
    state = {"painted_at": None, "cpu_ms": None}

    def painted():
        state["painted_at"] = time.time()
        state["cpu_ms"] = _cpu_ms()
        app.exit(0)

    watch = _PaintWatch(view.viewport(), painted)
    view.resize(1400, 860)
    view.show()
    watch.arm()
    app.exec()
    _scroll(app, view, lambda: len(model.rows), lambda: not model.done, scroll_rows)
    _report(state["painted_at"], model.fetch_ms, len(model.rows), {"startup_cpu_ms": state["cpu_ms"]})
    os._exit(0)
