"""The sidebar: fixed views, then one entry per account, each with its unread badge.

Selecting an entry emits ``selected`` with what to show; the main window turns it into an
inbox query. Badges come from ``Store.counts()`` (trigger-kept counters, not item scans).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView

from cmdesk.core.models import Account, View
from cmdesk.core.text import clean_name
from cmdesk.gui import icons, labels

EntryRole = Qt.ItemDataRole.UserRole + 1  # ("view", View) or ("account", id)
BadgeRole = Qt.ItemDataRole.UserRole + 2
AlertRole = Qt.ItemDataRole.UserRole + 3  # the account has a sync problem

_BADGE_ROOM = 48  # pixels kept free on the right of an entry for its count
VIEWS = (View.ALL, View.UNANSWERED, View.MODERATION, View.MENTIONS, View.DONE, View.SPAM)
# Views with a badge: what is waiting (to answer, to moderate, unread mentions). All, Done and Spam are archives.
_BADGE_VIEWS = {View.UNANSWERED, View.MODERATION, View.MENTIONS}


class BadgeDelegate(QStyledItemDelegate):
    """Draws the entry, then its count as a pill on the right (red when the account has a problem)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        badge = index.data(BadgeRole)
        if not badge:
            super().paint(painter, option, index)
            return
        # Full-width selection/hover background, then the text in the room left by the badge.
        panel = QStyleOptionViewItem(option)
        self.initStyleOption(panel, index)
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, panel, painter, option.widget)
        narrow = QStyleOptionViewItem(option)
        narrow.rect = option.rect.adjusted(0, 0, -(_BADGE_ROOM), 0)
        super().paint(painter, narrow, index)
        text = str(badge) if badge < 10_000 else f"{badge // 1000}k"
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = option.fontMetrics
        width = max(22, metrics.horizontalAdvance(text) + 12)
        rect = QRect(option.rect.right() - width - 8, option.rect.center().y() - 9, width, 18)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#cf222e" if index.data(AlertRole) else "#1f6feb"))
        painter.drawRoundedRect(rect, 9, 9)
        painter.setPen(QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + _BADGE_ROOM, max(size.height(), 26))


class Sidebar(QObject):
    """Signals:
    selected(object): the user chose an entry: ("view", View) or ("account", account_id).
    """

    selected = Signal(object)

    def __init__(self, view: QTreeView):
        super().__init__(view)
        self._view = view
        self._model = QStandardItemModel(self)
        self._view_items: dict[View, QStandardItem] = {}
        self._account_items: dict[int, QStandardItem] = {}
        self._accounts_header = QStandardItem()
        view.setModel(self._model)
        view.setItemDelegate(BadgeDelegate(view))
        view.setIconSize(QSize(18, 18))
        self._build()
        view.selectionModel().currentChanged.connect(self._on_current)

    def _build(self) -> None:
        for v in VIEWS:
            entry = QStandardItem(labels.view(v))
            entry.setData(("view", v), EntryRole)
            entry.setIcon(icons.dot_icon({View.MODERATION: "#cf222e", View.SPAM: "#8c959f"}.get(v, "#1f6feb")))
            self._model.appendRow(entry)
            self._view_items[v] = entry
        self._accounts_header.setText(QCoreApplication.translate("Sidebar", "ACCOUNTS"))
        self._accounts_header.setFlags(Qt.ItemFlag.NoItemFlags)
        self._model.appendRow(self._accounts_header)

    def retranslate(self) -> None:
        for v, entry in self._view_items.items():
            entry.setText(labels.view(v))
        self._accounts_header.setText(QCoreApplication.translate("Sidebar", "ACCOUNTS"))

    def set_accounts(self, accounts: list[Account]) -> None:
        """Rebuild the accounts' entries. Their badges keep their numbers until ``set_counts``
        brings new ones (counted in the background during a sync: no blank moment meanwhile)."""
        badges = {account_id: entry.data(BadgeRole) for account_id, entry in self._account_items.items()}
        for entry in self._account_items.values():
            self._model.removeRow(entry.row())
        self._account_items.clear()
        for account in accounts:
            entry = QStandardItem(icons.platform_icon(account.platform), clean_name(account.name))
            entry.setData(("account", account.id), EntryRole)
            entry.setData(badges.get(account.id), BadgeRole)
            entry.setToolTip(f"{account.platform.label} · {account.handle}")
            self._model.appendRow(entry)
            self._account_items[account.id] = entry

    def set_counts(self, counts) -> None:
        for v, entry in self._view_items.items():
            entry.setData(counts.views.get(v, 0) if v in _BADGE_VIEWS else 0, BadgeRole)
        for account_id, entry in self._account_items.items():
            entry.setData(counts.unread_by_account.get(account_id, 0), BadgeRole)

    def set_account_status(self, account_id: int, tooltip: str, problem: bool) -> None:
        entry = self._account_items.get(account_id)
        if entry is not None:
            entry.setToolTip(tooltip)
            entry.setData(problem, AlertRole)

    def select_view(self, v: View) -> None:
        self._view.setCurrentIndex(self._view_items[v].index())

    def select_account(self, account_id: int) -> None:
        if account_id in self._account_items:
            self._view.setCurrentIndex(self._account_items[account_id].index())

    def current(self):
        index = self._view.currentIndex()
        return index.data(EntryRole) if index.isValid() else None

    def _on_current(self, current: QModelIndex, _previous) -> None:
        entry = current.data(EntryRole)
        if entry is not None:
            self.selected.emit(entry)
