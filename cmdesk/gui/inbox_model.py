"""The inbox list's model: rows of an inbox query, loaded a page at a time as the view scrolls.

Never the whole history: the model holds the rows loaded so far (``canFetchMore`` /
``fetchMore`` add the next keyset page). Sorting and filtering happen in SQL, so there is no
proxy model. New items arriving from a sync are inserted at the top without touching the
rows below, so the selection and the scroll position stay where the user left them.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from cmdesk.core.cpu_turn import BACKGROUND
from cmdesk.core.models import Account, ItemRow, Moderation, QueueState, Status
from cmdesk.core.query import PAGE_SIZE, InboxQuery
from cmdesk.core.text import clean_name, excerpt, isolate
from cmdesk.gui import icons, labels
from cmdesk.gui.formatting import full_time, relative_time
from cmdesk.gui.tasks import LatestRead

ItemIdRole = Qt.ItemDataRole.UserRole + 1

STATUS, ACCOUNT, AUTHOR, TEXT, TIME = range(5)
_INVALID = QModelIndex()
# A long sync inserts rows at the top for as long as it runs. Past TRIM_PAST loaded rows, those
# below what the user sees or selected are let go (fetchMore reads them again when scrolled to),
# so that inserting stays cheap and memory flat however long the sync.
TRIM_PAST = 2000
TRIM_TO = 1000
NEW_ROWS_ROOM_S = 0.05  # the sync's threads hold back this long while new rows go in (cpu_turn)
# Asked for every cell at every paint: combined once (enum flags combine in Python, slowly).
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class InboxModel(QAbstractTableModel):
    """Signals:
    loaded(int): rows were added or the query changed; the argument is the number of rows loaded.
    """

    loaded = Signal(int)

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self._store = store
        self._rows: list[ItemRow] = []
        self._row_of: dict[int, int] = {}
        self._filter = None
        self._query = InboxQuery()
        self._exhausted = True
        self._fetching = False
        self._newer = LatestRead("the newest rows")
        self._accounts: dict[int, Account] = {}
        self.fetch_ms: list[float] = []  # how long each fetchMore took (read by the benchmark)
        self.filled_by_sync = False  # the rows loaded first came from a sync into an empty list
        # The last row the user sees or has selected (set by the window); the rows below it may
        # be let go when many come in at the top. Without it, nothing is let go.
        self.rows_in_use: Callable[[], int] | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        self._strike = QFont()
        self._strike.setStrikeOut(True)
        self._muted = QBrush(QColor("#6e7781"))
        self._alert = QBrush(QColor("#cf222e"))

    # -- query

    @property
    def query(self) -> InboxQuery:
        return self._query

    def set_accounts(self, accounts: list[Account]) -> None:
        self._accounts = {a.id: a for a in accounts}

    def set_query(self, query: InboxQuery) -> None:
        """Show ``query``: the first page is read now, the rest as the view scrolls."""
        self.beginResetModel()
        self._query = query
        self._filter = self._store.inbox_filter(query)
        self._rows = self._store.page(self._filter, None, PAGE_SIZE)
        self._row_of = {row.id: n for n, row in enumerate(self._rows)}
        self._exhausted = len(self._rows) < PAGE_SIZE
        self.filled_by_sync = False
        self.endResetModel()
        self.loaded.emit(len(self._rows))

    def search_message(self) -> str:
        """Why a search found nothing to look for (shown under the search box), or ''."""
        fts = self._filter.fts if self._filter else None
        return fts.message if fts is not None and fts.match is None else ""

    def search_terms(self) -> tuple[str, ...]:
        fts = self._filter.fts if self._filter else None
        return fts.terms if fts else ()

    # -- lazy loading

    def canFetchMore(self, parent=_INVALID) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent=_INVALID) -> None:
        if parent.isValid() or self._exhausted or self._fetching or self._filter is None:
            return
        self._fetching = True  # the view may ask again while we insert: one page at a time
        try:
            started = time.perf_counter()
            after = self._query.key_of(self._rows[-1]) if self._rows else None
            page = self._store.page(self._filter, after, PAGE_SIZE)
            self._exhausted = len(page) < PAGE_SIZE
            if page:
                first = len(self._rows)
                self.beginInsertRows(_INVALID, first, first + len(page) - 1)
                self._rows.extend(page)
                for n, row in enumerate(page, first):
                    self._row_of[row.id] = n
                self.endInsertRows()
            self.fetch_ms.append((time.perf_counter() - started) * 1000)
        finally:
            self._fetching = False
        self.loaded.emit(len(self._rows))

    def insert_newer(self) -> int:
        """Add rows that arrived since the list was loaded, at the top; returns how many."""
        if self._filter is None:
            return 0
        if not self._rows:
            self.set_query(self._query)
            return len(self._rows)
        flt, top, read = self._newer_reader()
        return self._apply_newer(flt, top, read())

    def insert_newer_later(self, run: Callable) -> None:
        """``insert_newer`` with the rows read on a worker thread (``run(fn, on_done, on_error)``,
        the window's TaskRunner). A busy sync brings hundreds of rows a second; reading them on
        the UI thread made it wait for the GIL once per row while the sync's threads ran."""
        self._newer.request(run, self._begin_newer)

    def _begin_newer(self) -> tuple[Callable, Callable] | None:
        if self._filter is None:
            return None
        flt, top, read = self._newer_reader()
        return read, lambda rows: self._apply_newer(flt, top, rows) < 0  # the list changed: again

    def _newer_reader(self) -> tuple[object, object, Callable[[], list[ItemRow]]]:
        """(filter, top key, a function for any thread that reads what is newer)."""
        store, flt = self._store, self._filter
        if not self._rows:  # an empty list (a first sync): its first page
            return flt, None, lambda: store.page(flt, None, PAGE_SIZE)
        if flt.by_severity:  # a new row may belong anywhere in what is loaded: read that range
            after, limit = self._query.key_of(self._rows[-1]), len(self._rows) + 500
        else:
            after, limit = self._rows[0].key, 500
        return flt, self._rows[0].key, lambda: store.newer(flt, after, limit=limit)

    def _apply_newer(self, flt, top, rows: list[ItemRow]) -> int:
        """Insert what ``_newer_reader`` read; -1 when the list changed meanwhile (read again)."""
        if flt is not self._filter:
            return 0  # another query: it was read fresh
        if top is None:
            return self._fill_empty(rows)
        if not self._rows or self._rows[0].key != top:
            return -1
        fresh = [row for row in rows if row.id not in self._row_of]
        if not fresh:
            return 0
        BACKGROUND.give_way(NEW_ROWS_ROOM_S)
        if flt.by_severity:
            self._merge_into_loaded(fresh)
        else:
            self.beginInsertRows(_INVALID, 0, len(fresh) - 1)
            self._rows[0:0] = fresh
            self.endInsertRows()
            self._trim_tail()
        self._row_of = {row.id: n for n, row in enumerate(self._rows)}
        self.loaded.emit(len(self._rows))
        return len(fresh)

    def _trim_tail(self) -> None:
        """Let go of the rows past ``TRIM_TO`` that the user does not see (see ``TRIM_PAST``)."""
        if len(self._rows) <= TRIM_PAST or self.rows_in_use is None:
            return
        keep = max(TRIM_TO, self.rows_in_use() + PAGE_SIZE + 1)
        if keep >= len(self._rows):
            return
        self.beginRemoveRows(_INVALID, keep, len(self._rows) - 1)
        del self._rows[keep:]
        self.endRemoveRows()
        self._exhausted = False  # the rows let go come back page by page

    def _fill_empty(self, page: list[ItemRow]) -> int:
        if self._rows:
            return -1  # filled meanwhile: read what is newer than its top
        if page:
            self.beginResetModel()
            self._rows = page
            self._row_of = {row.id: n for n, row in enumerate(page)}
            self._exhausted = len(page) < PAGE_SIZE
            self.filled_by_sync = True
            self.endResetModel()
            self.loaded.emit(len(page))
        return len(page)

    def _merge_into_loaded(self, fresh: list[ItemRow]) -> None:
        """Most severe first: insert each new row at its place, one at a time, so the selection
        and the scroll position stay put."""
        key_of = self._query.key_of
        keys = [tuple(-k for k in key_of(row)) for row in self._rows]  # ascending, for bisect
        for row in fresh:
            key = tuple(-k for k in key_of(row))
            at = bisect.bisect_left(keys, key)
            self.beginInsertRows(_INVALID, at, at)
            self._rows.insert(at, row)
            keys.insert(at, key)
            self.endInsertRows()

    def refresh(self, ids) -> None:
        """Redraw rows an operation changed; drop those that no longer belong to the view."""
        present = [i for i in ids if i in self._row_of]
        if not present or self._filter is None:
            return
        keep = self._store.matching(self._filter, present)
        fresh = self._store.rows(keep)
        for item_id in keep:
            row = self._row_of[item_id]
            self._rows[row] = fresh[item_id]
            self.dataChanged.emit(self.index(row, 0), self.index(row, TIME))
        gone = sorted((self._row_of[i] for i in present if i not in keep), reverse=True)
        for row in gone:
            self.beginRemoveRows(_INVALID, row, row)
            del self._rows[row]
            self.endRemoveRows()
        if gone:
            self._row_of = {r.id: n for n, r in enumerate(self._rows)}

    # -- access

    def row_at(self, row: int) -> ItemRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, item_id: int) -> int | None:
        return self._row_of.get(item_id)

    def loaded_rows(self) -> int:
        return len(self._rows)

    # -- Qt model interface

    def rowCount(self, parent=_INVALID) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=_INVALID) -> int:
        return 0 if parent.isValid() else 5

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            "",
            "",
            QCoreApplication.translate("InboxModel", "Author"),
            QCoreApplication.translate("InboxModel", "Message"),
            QCoreApplication.translate("InboxModel", "When"),
        )[section]

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _ROW_FLAGS

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == ItemIdRole:
            return row.id
        if role == Qt.ItemDataRole.DecorationRole:
            if column == STATUS:
                return icons.status_icon(row.status)
            if column == ACCOUNT and row.account_id in self._accounts:
                return icons.platform_icon(self._accounts[row.account_id].platform)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.FontRole:
            if row.moderation == Moderation.DELETED:
                return self._strike
            if row.moderation == Moderation.HIDDEN:
                return self._italic
            return self._bold if row.status == Status.NEW else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.queue == QueueState.PENDING and column == TEXT:
                return self._alert
            if row.status in (Status.DONE, Status.ANSWERED, Status.SPAM) or row.moderation != Moderation.VISIBLE:
                return self._muted
            return None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{labels.status(row.status)}, {self._display(row, AUTHOR)}: {row.excerpt}"
        return None

    def _display(self, row: ItemRow, column: int) -> str:
        if column == AUTHOR:
            return isolate(clean_name(row.author_name) or clean_name(row.author_handle))
        if column == TEXT:
            text = excerpt(row.excerpt, 200)
            return f"⚑ {text}" if row.queue == QueueState.PENDING else text
        if column == TIME:
            return relative_time(row.created_at)
        return ""

    def _tooltip(self, row: ItemRow, column: int) -> str:
        if column == STATUS:
            parts = [labels.status(row.status), labels.kind(row.kind)]
            if row.moderation != Moderation.VISIBLE:
                parts.append(labels.moderation(row.moderation))
            return " · ".join(parts)
        if column == ACCOUNT:
            account = self._accounts.get(row.account_id)
            return f"{account.name} · {account.handle}" if account else None
        if column == AUTHOR:
            return f"{isolate(clean_name(row.author_name))} ({isolate(clean_name(row.author_handle))})"
        if column == TEXT and row.flag_reason:
            flagged = QCoreApplication.translate("InboxModel", "Flagged: {0} (severity {1})")
            return flagged.format(labels.rule_text(row.flag_reason), row.severity)
        if column == TIME:
            return full_time(row.created_at)
        return None
