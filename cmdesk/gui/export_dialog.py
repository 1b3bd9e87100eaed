"""Exporting the current view from the window: a file dialog, then a cancellable progress dialog."""

from __future__ import annotations

import os
import threading

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QProgressDialog

from cmdesk.services.export import WRITERS


class _Cancelled(Exception):
    pass


class ExportJob(QObject):
    """Writes the export on a worker thread (reads never wait for the writer in WAL mode).

    Signals:
        progress(int): items written so far.
        finished(str): a message for the status bar ('' when cancelled).
        failed(str): what went wrong; the partial file is removed.
    """

    progress = Signal(int)
    finished = Signal(str)
    failed = Signal(str)

    def __init__(self, store, query, path: str, fmt: str):
        super().__init__()
        self.store, self.query, self.path, self.fmt = store, query, path, fmt
        self.cancelled = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._run, name="cmdesk-export", daemon=True).start()

    def _tick(self, count: int) -> None:
        if self.cancelled.is_set():
            raise _Cancelled
        self.progress.emit(count)

    def _run(self) -> None:
        tmp = self.path + ".partial"
        try:
            accounts = {a.id: (a.name, a.platform.value) for a in self.store.accounts()}
            with open(tmp, "w", encoding="utf-8", newline="") as out:
                count = WRITERS[self.fmt](self.store.iter_items(self.query), out, accounts, self._tick)
            os.replace(tmp, self.path)
            self.finished.emit(
                QCoreApplication.translate("Export", "Exported {0} items to {1}").format(count, self.path)
            )
        except _Cancelled:
            self.finished.emit("")
        except Exception as exc:  # disk full, permission denied…: reported, nothing half-written kept
            self.failed.emit(QCoreApplication.translate("Export", "Export failed: {0}").format(exc))
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)


def export_with_progress(window, store, query) -> ExportJob | None:
    path, chosen = QFileDialog.getSaveFileName(
        window,
        QCoreApplication.translate("Export", "Export items"),
        "cmdesk-export.csv",
        QCoreApplication.translate("Export", "CSV (*.csv);;JSON (*.json)"),
    )
    if not path:
        return None
    fmt = "json" if path.lower().endswith(".json") or "json" in chosen.lower() else "csv"
    job = ExportJob(store, query, path, fmt)
    dialog = QProgressDialog(
        QCoreApplication.translate("Export", "Exporting…"), QCoreApplication.translate("Export", "Cancel"), 0, 0, window
    )
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    job.progress.connect(
        lambda n: dialog.setLabelText(QCoreApplication.translate("Export", "Exported {0} items…").format(n))
    )
    dialog.canceled.connect(job.cancelled.set)
    job.finished.connect(lambda message: (dialog.reset(), message and window.statusBar().showMessage(message, 8000)))
    job.failed.connect(lambda message: (dialog.reset(), window.show_error(message)))
    window._export_job = job  # keep the QObject alive until it is done
    job.start()
    return job
