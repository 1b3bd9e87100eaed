"""Ctrl+K: the command palette lists every action of the window; typing filters, Enter runs."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QDialog

from cmdesk.core.text import fold
from cmdesk.gui.forms.command_palette_ui import Ui_CommandPalette

ActionRole = Qt.ItemDataRole.UserRole + 1


class _FoldedFilter(QSortFilterProxyModel):
    """Keeps actions whose label contains every typed word (accents and case ignored)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._words: list[str] = []

    def set_text(self, text: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10; invalidateFilter() is deprecated there
            self.beginFilterChange()
            self._words = fold(text).split()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._words = fold(text).split()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row, source_parent) -> bool:
        label = fold(self.sourceModel().index(source_row, 0, source_parent).data() or "")
        return all(word in label for word in self._words)


class CommandPalette(QDialog):
    def __init__(self, actions: list[QAction], parent=None):
        super().__init__(parent)
        self.ui = Ui_CommandPalette()
        self.ui.setupUi(self)
        self._model = QStandardItemModel(self)
        for action in actions:
            label = action.text().replace("&", "")
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            entry = QStandardItem(f"{label}\t{keys}" if keys else label)
            entry.setData(action, ActionRole)
            entry.setEnabled(action.isEnabled())
            if not action.isEnabled() and action.toolTip():
                entry.setToolTip(action.toolTip())
            self._model.appendRow(entry)
        self._proxy = _FoldedFilter(self)
        self._proxy.setSourceModel(self._model)
        self.ui.commandList.setModel(self._proxy)
        self.ui.filterEdit.textChanged.connect(self._filter)
        self.ui.filterEdit.installEventFilter(self)
        self.ui.commandList.activated.connect(self._run)
        self._select_first()

    def _filter(self, text: str) -> None:
        self._proxy.set_text(text)
        self._select_first()

    def _select_first(self) -> None:
        for row in range(self._proxy.rowCount()):
            index = self._proxy.index(row, 0)
            if index.flags() & Qt.ItemFlag.ItemIsEnabled:
                self.ui.commandList.setCurrentIndex(index)
                return

    def eventFilter(self, watched, event) -> bool:
        # Up/Down move in the list while the cursor stays in the filter box; Enter runs.
        if watched is self.ui.filterEdit and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                row = self.ui.commandList.currentIndex().row() + (1 if key == Qt.Key.Key_Down else -1)
                if 0 <= row < self._proxy.rowCount():
                    self.ui.commandList.setCurrentIndex(self._proxy.index(row, 0))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._run(self.ui.commandList.currentIndex())
                return True
        return super().eventFilter(watched, event)

    def _run(self, index) -> None:
        if not index.isValid() or not index.flags() & Qt.ItemFlag.ItemIsEnabled:
            return
        action: QAction = index.data(ActionRole)
        self.accept()
        action.trigger()

    def visible_labels(self) -> list[str]:
        return [self._proxy.index(r, 0).data() for r in range(self._proxy.rowCount())]
