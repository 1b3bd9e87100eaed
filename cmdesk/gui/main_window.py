"""The main window: sidebar of views and accounts, the inbox list, and the detail pane with the composer.

The window only calls services and the store; every write runs on the DB worker thread
(``TaskRunner``) and comes back as a ``Changes`` value that says what to redraw.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QMainWindow, QMessageBox

from cmdesk import __version__
from cmdesk.connectors.base import Verb
from cmdesk.core.cpu_turn import BACKGROUND
from cmdesk.core.models import Changes, Platform, Status, View
from cmdesk.core.query import InboxQuery
from cmdesk.gui import extensions, icons, labels
from cmdesk.gui.composer import Composer
from cmdesk.gui.detail import DetailPane
from cmdesk.gui.forms.main_window_ui import Ui_MainWindow
from cmdesk.gui.inbox_model import ACCOUNT, AUTHOR, STATUS, TEXT, TIME, InboxModel
from cmdesk.gui.palette import CommandPalette
from cmdesk.gui.sidebar import Sidebar
from cmdesk.gui.tasks import LatestRead, TaskRunner
from cmdesk.services.moderation import QueueDecision
from cmdesk.services.sync import NO_NETWORK, Phase

log = logging.getLogger("cmdesk.gui")

MODERATION_VERBS = (
    Verb.HIDE,
    Verb.UNHIDE,
    Verb.DELETE,
    Verb.BLOCK_AUTHOR,
    Verb.MUTE_AUTHOR,
    Verb.BAN_AUTHOR,
    Verb.UNBAN_AUTHOR,
    Verb.REPORT,
)
CONFIRMED_VERBS = (Verb.DELETE, Verb.BAN_AUTHOR, Verb.BLOCK_AUTHOR)
# Verbs that are a judgement on the content: recorded as labels the local model learns from.
VERB_DECISIONS = {
    Verb.HIDE: QueueDecision.HIDE,
    Verb.UNHIDE: QueueDecision.UNHIDE,
    Verb.DELETE: QueueDecision.DELETE,
    Verb.BAN_AUTHOR: QueueDecision.BAN,
    Verb.BLOCK_AUTHOR: QueueDecision.BLOCK,
}
SEEN_DELAY_MS = 800  # an item counts as read after being shown this long (j/k through a list does not)
CHANGES_EVERY_MS = 250  # background changes (sync, outbox) are redrawn at most four times a second
# During a catch-up (hundreds of new items between two redraws) the list scrolls faster than anyone
# can read: it and the sync's progress are redrawn once a second, a quarter of the interruptions.
CATCH_UP_NEW_ITEMS = 200
CATCH_UP_EVERY_MS = 1000
FIRST_ROWS_ROOM_S = 0.1  # the sync's threads wait this long while the first rows are drawn
FIRST_DETAIL_DELAY_MS = 40  # then the detail pane shows the top one
ERROR_BANNER_MS = 15_000  # how long the banner above the list shows an error
ALERT_BANNER_MS = 30_000  # and a rule's alert (a threat, a VIP)
# A first sync fills an empty list in several deliveries, each above the last. Once they pause
# this long, the newest row is selected, unless the user has chosen one meanwhile: the detail pane
# then shows a row the list shows. (Not at every delivery: redrawing the pane as a catch-up runs
# would cost the UI a pause each time. Not when the list opens with rows: its newest is selected.)
SETTLE_ON_NEWEST_MS = 1500
PERIODS = (("any", None), ("today", 1), ("7d", 7), ("30d", 30), ("365d", 365))


class MainWindow(QMainWindow):
    """Signals:
    first_page_shown(): the list has painted its first page (start-up is measured to here).
    """

    first_page_shown = Signal()

    def __init__(self, workspace, *, demo: bool = False, services=None):
        super().__init__()
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self.workspace = workspace
        self.store = workspace.store
        self.services = services
        self.demo = demo
        self.tasks = TaskRunner(self)
        self.tasks.failed.connect(self.show_error)
        self._entry = ("view", View.UNANSWERED)
        self._undo: list[tuple[str, Callable[[], Changes]]] = []
        self._first_paint_done = False
        self.setWindowIcon(icons.app_icon())
        self.setWindowTitle(QCoreApplication.translate("MainWindow", "CMDesk — demo workspace") if demo else "CMDesk")

        self.model = InboxModel(self.store, self)
        self._setup_list()
        self.sidebar = Sidebar(self.ui.sidebar)
        self.detail = DetailPane(self.store, self)
        self.composer = Composer(self.detail)
        self.detail.ui.composerLayout.addWidget(self.composer)
        self.detail.ui.layout.setStretchFactor(self.detail.ui.tabs, 1)
        self.ui.detailLayout.addWidget(self.detail)
        self.ui.splitter.setSizes([260, 680, 480])
        self.ui.splitter.setStretchFactor(1, 1)
        self._status_label = QLabel()
        self.statusBar().addPermanentWidget(self._status_label)
        self.ui.banner.setStyleSheet("background:#ffebe9; color:#82071e; padding:8px 12px;")
        self.ui.banner.mousePressEvent = lambda _event: self.ui.banner.hide()
        self.ui.searchHint.setStyleSheet("color:#9a6700;")

        self._queued_changes = Changes()
        self._following_newest = False  # see SETTLE_ON_NEWEST_MS
        self._selecting_newest = False
        self._settle_timer = QTimer(self, singleShot=True, interval=SETTLE_ON_NEWEST_MS)
        self._settle_timer.timeout.connect(self._settle_on_newest)
        self._first_rows_timer = QTimer(self, singleShot=True, interval=FIRST_DETAIL_DELAY_MS)
        self._first_rows_timer.timeout.connect(self._show_first_rows)
        # One timer, restarted by each message: a message shown just before no longer hides the new one early.
        self._banner_timer = QTimer(self, singleShot=True)
        self._banner_timer.timeout.connect(self.ui.banner.hide)
        self._counts = LatestRead("the inbox counts")  # badges counted on the DB worker thread
        self._changes_timer = QTimer(self, singleShot=True, interval=CHANGES_EVERY_MS)
        self._changes_timer.timeout.connect(self._flush_changes)
        self._statuses: dict[int, object] = {}  # the newest sync progress per account, not shown yet
        self._shown_statuses: dict[int, object] = {}  # what the sidebar shows, put back when it is rebuilt
        self._status_timer = QTimer(self, singleShot=True, interval=CHANGES_EVERY_MS)
        self._status_timer.timeout.connect(self._show_statuses)
        self._seen_timer = QTimer(self, singleShot=True, interval=SEEN_DELAY_MS)
        self._seen_timer.timeout.connect(self._mark_current_seen)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self.apply_query)
        self._clock = QTimer(self, interval=60_000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        self._setup_filters()
        self._setup_actions()
        self._connect()
        self.reload_accounts()
        self.sidebar.select_view(View.UNANSWERED)
        for install in extensions.installers():
            install(self)

    # -- construction

    def _setup_list(self) -> None:
        view = self.ui.itemList
        view.setModel(self.model)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(28)
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform rows: fast scrolling
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(STATUS, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(STATUS, 28)
        header.setSectionResizeMode(ACCOUNT, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(ACCOUNT, 30)  # the platform's icon; the account's name is in the tooltip
        header.resizeSection(AUTHOR, 160)
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(TIME, 90)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

    def _setup_filters(self) -> None:
        ui = self.ui
        ui.statusFilter.addItem(QCoreApplication.translate("MainWindow", "Any status"), None)
        for status in Status:
            ui.statusFilter.addItem(icons.status_icon(status), labels.status(status), status)
        ui.platformFilter.addItem(QCoreApplication.translate("MainWindow", "All platforms"), None)
        for platform in (Platform.MASTODON, Platform.BLUESKY, Platform.MATRIX):
            ui.platformFilter.addItem(icons.platform_icon(platform), platform.label, platform)
        period_names = {
            "any": QCoreApplication.translate("MainWindow", "Any time"),
            "today": QCoreApplication.translate("MainWindow", "Last 24 hours"),
            "7d": QCoreApplication.translate("MainWindow", "Last 7 days"),
            "30d": QCoreApplication.translate("MainWindow", "Last 30 days"),
            "365d": QCoreApplication.translate("MainWindow", "Last year"),
        }
        for key, days in PERIODS:
            ui.periodFilter.addItem(period_names[key], days)
        self.ui.tagFilter.addItem(QCoreApplication.translate("MainWindow", "Any tag"), None)
        # Counting every tag of a large history is not needed to show the first page.
        self.first_page_shown.connect(lambda: QTimer.singleShot(0, self, self.reload_tags))

    def reload_tags(self) -> None:
        combo = self.ui.tagFilter
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(QCoreApplication.translate("MainWindow", "Any tag"), None)
        for name, count in self.store.tags():
            combo.addItem(f"#{name} ({count})", name)
        index = combo.findData(current)
        combo.setCurrentIndex(max(0, index))
        combo.blockSignals(False)

    def add_action(self, text: str, slot, shortcut: str | QKeySequence | None = None, menu=None) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        if menu is not None:
            menu.addAction(action)
        self._actions.append(action)
        return action

    def _setup_actions(self) -> None:
        self._actions: list[QAction] = []
        ui = self.ui
        a = self.add_action
        self.act_sync = a(QCoreApplication.translate("MainWindow", "Sync now"), self.sync_now, "F5", ui.menuFile)
        self.act_cancel_sync = a(
            QCoreApplication.translate("MainWindow", "Stop the current sync"), self.cancel_sync, "Shift+F5", ui.menuFile
        )
        self.act_export = a(
            QCoreApplication.translate("MainWindow", "Export items…"), self.export_items, "Ctrl+Shift+E", ui.menuFile
        )
        ui.menuFile.addSeparator()
        self.act_quit = a(
            QCoreApplication.translate("MainWindow", "Quit"), self.close, QKeySequence.StandardKey.Quit, ui.menuFile
        )

        self.act_next = a(QCoreApplication.translate("MainWindow", "Next item"), lambda: self.move(1), "J", ui.menuItem)
        self.act_prev = a(
            QCoreApplication.translate("MainWindow", "Previous item"), lambda: self.move(-1), "K", ui.menuItem
        )
        ui.menuItem.addSeparator()
        self.act_done = a(
            QCoreApplication.translate("MainWindow", "Mark done / open again"), self.toggle_done, "E", ui.menuItem
        )
        self.act_reply = a(QCoreApplication.translate("MainWindow", "Reply"), self.focus_reply, "R", ui.menuItem)
        self.act_tag = a(QCoreApplication.translate("MainWindow", "Add a tag"), self.detail.focus_tag, "T", ui.menuItem)
        self.act_note = a(
            QCoreApplication.translate("MainWindow", "Add an internal note"), self.detail.focus_note, "N", ui.menuItem
        )
        self.act_spam = a(
            QCoreApplication.translate("MainWindow", "Mark as spam"), self.mark_spam, "Shift+S", ui.menuItem
        )
        self.act_unread = a(
            QCoreApplication.translate("MainWindow", "Mark as unread"), self.mark_unread, "Shift+U", ui.menuItem
        )
        ui.menuItem.addSeparator()
        self.act_hide = a(
            QCoreApplication.translate("MainWindow", "Hide on the platform"),
            lambda: self.moderate_selection(Verb.HIDE),
            "H",
            ui.menuItem,
        )
        self.act_unhide = a(
            QCoreApplication.translate("MainWindow", "Unhide on the platform"),
            lambda: self.moderate_selection(Verb.UNHIDE),
            "U",
            ui.menuItem,
        )
        self.act_delete = a(
            QCoreApplication.translate("MainWindow", "Delete on the platform…"),
            lambda: self.moderate_selection(Verb.DELETE),
            "Shift+Del",
            ui.menuItem,
        )
        ui.menuItem.addSeparator()
        self.act_undo = a(
            QCoreApplication.translate("MainWindow", "Undo"), self.undo, QKeySequence.StandardKey.Undo, ui.menuItem
        )
        self.act_undo.setEnabled(False)

        self.act_search = a(QCoreApplication.translate("MainWindow", "Search"), self.focus_search, "/", ui.menuView)
        self.act_palette = a(
            QCoreApplication.translate("MainWindow", "Command palette"), self.open_palette, "Ctrl+K", ui.menuView
        )
        self.act_refresh = a(
            QCoreApplication.translate("MainWindow", "Refresh"),
            self.refresh_all,
            "Ctrl+R",  # not the platform's Refresh key: that is F5 here, and F5 syncs
            ui.menuView,
        )
        ui.menuView.addSeparator()
        for number, view in enumerate((View.ALL, View.UNANSWERED, View.MODERATION, View.MENTIONS, View.DONE), 1):
            a(
                QCoreApplication.translate("MainWindow", "Show: {0}").format(labels.view(view)),
                lambda _=False, v=view: self.sidebar.select_view(v),
                f"Ctrl+{number}",
                ui.menuView,
            )
        ui.menuView.addSeparator()
        language_menu = ui.menuView.addMenu(QCoreApplication.translate("MainWindow", "Language"))
        group = QActionGroup(self)
        current = self.workspace.settings.get("language")
        for code, name in (
            ("system", QCoreApplication.translate("MainWindow", "Follow the system")),
            ("en", "English"),
            ("fr", "Français"),
        ):
            action = QAction(name, self, checkable=True)
            action.setChecked(code == current)
            action.triggered.connect(lambda _=False, c=code: self.set_language(c))
            group.addAction(action)
            language_menu.addAction(action)

        self.act_shortcuts = a(
            QCoreApplication.translate("MainWindow", "Keyboard shortcuts"), self.show_shortcuts, "F1", ui.menuHelp
        )
        self.act_about = a(QCoreApplication.translate("MainWindow", "About CMDesk"), self.show_about, None, ui.menuHelp)

    def _connect(self) -> None:
        ui = self.ui
        self.sidebar.selected.connect(self._on_sidebar)
        ui.itemList.selectionModel().currentRowChanged.connect(self._on_current_row)
        ui.itemList.selectionModel().selectionChanged.connect(lambda *_: self._update_footer())
        ui.searchEdit.textChanged.connect(lambda _: self._search_timer.start())
        ui.searchEdit.returnPressed.connect(self._focus_list)
        for combo in (ui.statusFilter, ui.platformFilter, ui.tagFilter, ui.periodFilter):
            combo.currentIndexChanged.connect(lambda _=0: self.apply_query())
        self.model.loaded.connect(self._on_rows_loaded)
        self.model.rows_in_use = self._rows_in_use
        self.detail.done_toggled.connect(lambda item_id: self.toggle_done([item_id]))
        self.detail.spam_requested.connect(lambda item_id: self.mark_spam())
        self.detail.verb_requested.connect(lambda item_id, verb: self.moderate([item_id], Verb(verb)))
        self.detail.outbox_retry.connect(self.retry_entry)
        self.detail.outbox_edit.connect(self.edit_entry)
        self.detail.outbox_discard.connect(self.discard_entry)
        self.composer.send_requested.connect(self.send_reply)
        if self.services is not None:
            self.services.change_listeners.append(self.queue_changes)
            self.services.status_listeners.append(self._on_account_status)
            self.detail.set_outbox_provider(self.services.outbox.entries_for_item)
        self.detail.tag_added.connect(self.add_tag)
        self.detail.note_added.connect(self.add_note)
        self.detail.item_activated.connect(self.go_to_item)

    # -- queries

    def current_query(self) -> InboxQuery:
        ui = self.ui
        kind, value = self._entry
        status = ui.statusFilter.currentData()
        days = ui.periodFilter.currentData()
        return InboxQuery(
            view=value if kind == "view" else View.ALL,
            account_id=value if kind == "account" else None,
            platform=ui.platformFilter.currentData(),
            statuses=(status,) if status is not None else (),
            tag=ui.tagFilter.currentData(),
            since=datetime.now(UTC) - timedelta(days=days) if days else None,
            search=ui.searchEdit.text().strip(),
            most_severe_first=self.workspace.settings.get("queue_order") == "severity",
        )

    def apply_query(self) -> None:
        previous = self.current_item_id()
        self.model.set_query(self.current_query())
        message = self.model.search_message()
        self.ui.searchHint.setText(message)
        self.ui.searchHint.setVisible(bool(message))
        row = self.model.row_of(previous) if previous is not None else None
        self.select_row(row if row is not None else 0)
        if self.model.rowCount() == 0:
            self.detail.clear()
            self.composer.set_target(None, None)
        self._update_footer()
        if not self._first_paint_done:
            self._first_paint_done = True
            QTimer.singleShot(0, self, self.first_page_shown.emit)

    def _on_sidebar(self, entry) -> None:
        self._entry = entry
        self.apply_query()

    # -- selection and movement

    def current_item_id(self) -> int | None:
        row = self.model.row_at(self.ui.itemList.currentIndex().row())
        return row.id if row else None

    def selected_rows(self) -> list[int]:
        """The selected rows, read from the selection's ranges. (``selectedRows()`` asks the model
        for the flags of every selected cell: calls from Qt into Python, each of which may wait
        for the GIL behind the sync's threads. The footer and the list's trimming ask after
        every delivery of new rows.)"""
        rows: set[int] = set()
        for span in self.ui.itemList.selectionModel().selection():
            rows.update(range(span.top(), span.bottom() + 1))
        return sorted(rows)

    def selected_ids(self) -> list[int]:
        rows = self.selected_rows()
        ids = [self.model.row_at(r).id for r in rows if self.model.row_at(r)]
        current = self.current_item_id()
        return ids or ([current] if current is not None else [])

    def select_row(self, row: int) -> None:
        if self.model.rowCount() == 0:
            return
        row = max(0, min(row, self.model.rowCount() - 1))
        index = self.model.index(row, TEXT)
        self.ui.itemList.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.ui.itemList.scrollTo(index)

    def move(self, step: int) -> None:
        row = self.ui.itemList.currentIndex().row()
        target = row + step
        if target >= self.model.rowCount() and self.model.canFetchMore():
            self.model.fetchMore()
        self.select_row(target if row >= 0 else 0)
        self._focus_list()

    def go_to_item(self, item_id: int) -> None:
        row = self.model.row_of(item_id)
        if row is not None:
            self.select_row(row)
        # Selecting the row that is already current changes nothing (the detail may be showing
        # an item from outside the list): show the item in any case.
        if self.detail.item is None or self.detail.item.id != item_id:
            self._show_detail(item_id)

    def _on_current_row(self, current, _previous) -> None:
        if not self._selecting_newest:
            self._following_newest = False  # the user chose: the selection stays where they put it
        row = self.model.row_at(current.row())
        if row is None:
            return
        self._show_detail(row.id)
        self._seen_timer.start()

    def _show_detail(self, item_id: int) -> None:
        try:
            self.detail.show_item(item_id, self.model.search_terms())
        except Exception as exc:  # an item deleted meanwhile: say so where the user looks
            self.show_error(str(exc))
            return
        self._update_item_controls()

    def _update_item_controls(self) -> None:
        """Composer and moderation buttons follow what the item's account may do."""
        item = self.detail.item
        if item is None:
            return
        account = self._accounts.get(item.account_id)
        blocked = QCoreApplication.translate("Services", self.reply_blocked_reason(item, account))
        self.composer.set_target(item, account, blocked)
        states = {}
        for verb in MODERATION_VERBS:
            enabled, why = self.verb_state(item, verb)
            states[verb] = (enabled, QCoreApplication.translate("Services", why) if why else "")
        self.detail.set_verb_states(states)

    def verb_state(self, item, verb: Verb) -> tuple[bool, str]:
        if self.services is None:
            return False, QCoreApplication.translate("MainWindow", "Moderation needs the outbox, not running here.")
        return self.services.verb_state(item, verb)

    def reply_blocked_reason(self, item, account) -> str:
        if self.services is None:
            return QCoreApplication.translate(
                "MainWindow", "Replies are sent by the outbox, which is not running in this window."
            )
        return self.services.reply_blocked_reason(item, account)

    def _mark_current_seen(self) -> None:
        item_id = self.current_item_id()
        row = self.model.row_at(self.ui.itemList.currentIndex().row())
        if item_id is not None and row is not None and row.status == Status.NEW:
            self.tasks.run(lambda: self.store.mark_seen(item_id), self.apply_changes)

    # -- operations

    def run_op(self, fn: Callable[[], Changes], message: str = "", undo: Callable[[], Changes] | None = None) -> None:
        def done(changes: Changes) -> None:
            self.apply_changes(changes)
            if message:
                hint = QCoreApplication.translate("MainWindow", " — Undo: Ctrl+Z") if undo else ""
                self.statusBar().showMessage(message + hint, 6000)
            if undo:
                self._undo.append((message, undo))
                self.act_undo.setEnabled(True)

        self.tasks.run(fn, done)

    def queue_changes(self, changes: Changes) -> None:
        """Changes from background services, applied together a few times a second.

        A busy sync reports every batch; redrawing after each would keep the UI thread busy
        (and make the list jump). User actions call ``apply_changes`` directly.
        """
        self._queued_changes = self._queued_changes | changes
        if not self._changes_timer.isActive():
            self._changes_timer.start()

    def _flush_changes(self) -> None:
        changes, self._queued_changes = self._queued_changes, Changes()
        pace = CATCH_UP_EVERY_MS if len(changes.new) >= CATCH_UP_NEW_ITEMS else CHANGES_EVERY_MS
        self._changes_timer.setInterval(pace)
        self._status_timer.setInterval(pace)  # the sync's progress too (a finish or an error is shown at once)
        self.apply_changes(changes, background=True)

    def apply_changes(self, changes: Changes, *, background: bool = False) -> None:
        """Show ``changes``. New rows from the background (a sync) are read on the DB worker
        thread and inserted when they are in; after a user's action they are read at once."""
        if changes.items:
            self.model.refresh(changes.items)
            if self.detail.item is not None and self.detail.item.id in changes.items:
                self.detail.refresh()
                self._update_item_controls()
        if changes.new_items and background:
            self.model.insert_newer_later(self.tasks.run)
        elif changes.new_items:
            self.model.insert_newer()
        if changes.counts or changes.new_items:
            self.refresh_counts(background=background)
        if changes.tags:
            self.reload_tags()
        if changes.accounts:
            self.reload_accounts(background=background)
            self._update_item_controls()
        if changes.alerts:
            self.show_alert("\n".join(labels.alert(alert) for alert in changes.alerts[:3]))
        if (
            self.ui.itemList.currentIndex().row() < 0
            and self.model.rowCount()
            and not self._first_rows_timer.isActive()  # the first rows' detail is on its way
        ):
            self._select_newest()
        self._update_footer()

    def _rows_in_use(self) -> int:
        """The last row the user sees, has selected or stands on."""
        view = self.ui.itemList
        rows = self.selected_rows()[-1:]
        rows.append(view.currentIndex().row())
        bottom = view.rowAt(view.viewport().height() - 1)
        rows.append(bottom if bottom >= 0 else self.model.rowCount() - 1)
        return max(rows)

    def _on_rows_loaded(self, _count: int) -> None:
        current = self.ui.itemList.currentIndex().row()
        if current < 0 and self.model.rowCount() and self.model.filled_by_sync:
            # The first rows of an empty list came in (a first sync): the top one is shown. Drawing
            # the list and the detail pane the first time is the UI's longest moment in a sync,
            # and every call Qt makes into Python would wait for the GIL behind the sync's
            # threads: they hold back meanwhile (core/cpu_turn.py). The list is drawn first, the
            # detail pane a moment later: two short pauses of the UI rather than one long one.
            BACKGROUND.give_way(FIRST_ROWS_ROOM_S)
            self._first_rows_timer.start()
        elif current < 0 and self.model.rowCount():
            self._select_newest()  # a list opened with rows: its top one, at once
        elif current > 0 and self._following_newest:
            self._settle_timer.start()  # newer rows came in above it: once they pause
        self._update_footer()

    def _show_first_rows(self) -> None:
        if self.ui.itemList.currentIndex().row() < 0 and self.model.rowCount():
            BACKGROUND.give_way(FIRST_ROWS_ROOM_S)
            self._select_newest()
            self._following_newest = True

    def _settle_on_newest(self) -> None:
        at_the_top = self.ui.itemList.verticalScrollBar().value() == 0  # not when the user scrolled away
        if self._following_newest and at_the_top:
            self._select_newest()
        self._following_newest = False

    def _select_newest(self) -> None:
        self._selecting_newest = True
        try:
            self.select_row(0)
        finally:
            self._selecting_newest = False

    def set_status(self, ids: list[int], status: Status) -> None:
        if not ids:
            return
        before: dict[Status, list[int]] = {}
        for item_id in ids:
            row = self.model.row_at(self.model.row_of(item_id)) if self.model.row_of(item_id) is not None else None
            if row is not None:
                before.setdefault(row.status, []).append(item_id)
        agent = self.workspace.agent

        def undo() -> Changes:
            changes = Changes()
            for old, group in before.items():
                changes = changes | self.store.set_status(group, old, actor=agent)
            return changes

        message = QCoreApplication.translate("MainWindow", "{0} item(s) marked {1}").format(
            len(ids), labels.status(status).lower()
        )
        self.run_op(lambda: self.store.set_status(ids, status, actor=agent), message, undo)

    def toggle_done(self, ids: list[int] | None = None) -> None:
        ids = ids or self.selected_ids()
        if not ids:
            return
        first = self.model.row_at(self.model.row_of(ids[0])) if self.model.row_of(ids[0]) is not None else None
        target = Status.OPEN if first is not None and first.status == Status.DONE else Status.DONE
        self.set_status(ids, target)

    def mark_spam(self) -> None:
        if self.services is None:
            self.set_status(self.selected_ids(), Status.SPAM)
            return
        ids = self.selected_ids()
        if not ids:
            return
        agent = self.workspace.agent
        before = self.store.items(ids)
        self.run_op(
            lambda: self.services.decide(ids, QueueDecision.SPAM, actor=agent),
            QCoreApplication.translate("MainWindow", "{0} item(s) marked as spam").format(len(ids)),
            lambda: self.services.moderation.undo_decision(before, actor=agent),
        )

    def mark_unread(self) -> None:
        self.set_status(self.selected_ids(), Status.NEW)

    def add_tag(self, item_id: int, name: str) -> None:
        ids = self.selected_ids() if item_id in self.selected_ids() else [item_id]
        agent = self.workspace.agent
        try:
            name = self.store.normalise_tag(name)
        except Exception as exc:
            self.show_error(str(exc))
            return
        self.run_op(
            lambda: self.store.add_tag(ids, name, actor=agent),
            QCoreApplication.translate("MainWindow", "Tagged {0} item(s) #{1}").format(len(ids), name),
            lambda: self.store.remove_tag(ids, name, actor=agent),
        )

    def add_note(self, item_id: int, text: str) -> None:
        agent = self.workspace.agent

        def op() -> Changes:
            self.store.add_note(item_id, text, agent=agent)
            return Changes(items=frozenset({item_id}), notes=True)

        self.run_op(op, QCoreApplication.translate("MainWindow", "Note added"))

    # -- replies and moderation (through the durable outbox)

    def send_reply(self, item_id: int, text: str) -> None:
        if self.services is None:
            return
        agent = self.workspace.agent

        def sent(changes: Changes) -> None:
            self.composer.clear_after_send()
            self.apply_changes(changes)
            self.statusBar().showMessage(QCoreApplication.translate("MainWindow", "Reply queued; sending…"), 5000)

        self.tasks.run(lambda: self.services.send_reply(item_id, text, actor=agent), sent)

    def moderate_selection(self, verb: Verb) -> None:
        self.moderate(self.selected_ids(), verb)

    def moderate(self, ids: list[int], verb: Verb, reason: str = "") -> None:
        if not ids or self.services is None:
            return
        items = self.store.items(ids)
        allowed = [i.id for i in items if self.verb_state(i, verb)[0]]
        if not allowed:
            why = self.verb_state(items[0], verb)[1] if items else ""
            self.show_error(why or QCoreApplication.translate("MainWindow", "Not possible for these items."))
            return
        if verb in CONFIRMED_VERBS and not self._confirm(verb, len(allowed)):
            return
        if verb == Verb.REPORT and not reason:
            from PySide6.QtWidgets import QInputDialog

            reason, ok = QInputDialog.getText(
                self, labels.verb(verb), QCoreApplication.translate("MainWindow", "Why are you reporting this?")
            )
            if not ok:
                return
        agent = self.workspace.agent
        message = QCoreApplication.translate("MainWindow", "{0}: {1} item(s) queued").format(
            labels.verb(verb), len(allowed)
        )
        decision = VERB_DECISIONS.get(verb)
        if decision is None:  # mute, report, unban: actions, not judgements on the content
            self.run_op(lambda: self.services.moderate(allowed, verb, actor=agent, reason=reason), message)
            return
        undo = None
        opposite = {Verb.HIDE: QueueDecision.UNHIDE, Verb.UNHIDE: QueueDecision.HIDE}.get(verb)
        if opposite is not None:
            before = self.store.items(allowed)

            def undo() -> Changes:
                changes = self.services.decide(allowed, opposite, actor=agent, reason="undo")
                return changes | self.services.moderation.undo_decision(before, actor=agent)

        self.run_op(lambda: self.services.decide(allowed, decision, actor=agent, reason=reason), message, undo)

    def decide(self, decision: QueueDecision) -> None:
        """A queue decision with no platform action (approve, not abusive) on the selection."""
        ids = self.selected_ids()
        if not ids or self.services is None:
            return
        agent = self.workspace.agent
        before = self.store.items(ids)
        message = QCoreApplication.translate("MainWindow", "{0} item(s): {1}").format(
            len(ids), labels.decision(decision)
        )
        self.run_op(
            lambda: self.services.decide(ids, decision, actor=agent),
            message,
            lambda: self.services.moderation.undo_decision(before, actor=agent),
        )

    def _confirm(self, verb: Verb, count: int) -> bool:
        if verb == Verb.DELETE and not self.workspace.settings.get("confirm_delete"):
            return True
        answer = QMessageBox.question(
            self,
            labels.verb(verb),
            QCoreApplication.translate("MainWindow", "{0} — {1} item(s)? This is done on the platform itself.").format(
                labels.verb(verb), count
            ),
        )
        return answer == QMessageBox.StandardButton.Yes

    def retry_entry(self, entry_id: int) -> None:
        self.run_op(lambda: self.services.retry(entry_id), QCoreApplication.translate("MainWindow", "Sending again"))

    def discard_entry(self, entry_id: int) -> None:
        agent = self.workspace.agent
        self.run_op(
            lambda: self.services.discard(entry_id, actor=agent), QCoreApplication.translate("MainWindow", "Discarded")
        )

    def edit_entry(self, entry_id: int) -> None:
        """Put a failed reply back in the composer; sending it creates a new entry, the old one is discarded."""
        entry = self.services.outbox.entry(entry_id)
        self.composer.set_text(entry.text)
        self.discard_entry(entry_id)
        self.focus_reply()

    def sync_now(self) -> None:
        if self.services is None or not self.services.running:
            self.statusBar().showMessage(QCoreApplication.translate("MainWindow", "This window is offline."), 4000)
            return
        kind, value = self._entry
        self.services.sync_now(value if kind == "account" else None)
        self.statusBar().showMessage(QCoreApplication.translate("MainWindow", "Syncing…"), 3000)

    def cancel_sync(self) -> None:
        """Stop polls under way after the batch being written (a long first sync, a slow server)."""
        if self.services is None or not self.services.running:
            return
        for account in self._accounts.values():
            self.services.sync.cancel(account.id)
        self.statusBar().showMessage(
            QCoreApplication.translate("MainWindow", "Sync stopped; it continues at the next poll."), 5000
        )

    def _on_account_status(self, status) -> None:
        """A sync reports progress after every batch (dozens a second across accounts): progress
        is shown at the pace of other background changes; anything else at once."""
        self._statuses[status.account_id] = status
        if status.phase != Phase.SYNCING:
            self._show_statuses()
        elif not self._status_timer.isActive():
            self._status_timer.start()

    def _show_statuses(self) -> None:
        statuses, self._statuses = self._statuses, {}
        for status in statuses.values():
            self._show_account_status(status)

    def _show_account_status(self, status) -> None:
        account = self._accounts.get(status.account_id)
        if account is None:
            return
        self._shown_statuses[account.id] = status
        text = self._mark_account(account, status)
        self._status_label.setText(text)
        if status.phase == Phase.NEEDS_SIGNIN:
            self.show_error(text)

    def _mark_account(self, account, status) -> str:
        """The account's sidebar entry says where its sync stands (tooltip, red mark on a problem)."""
        text = describe_status(account, status)
        problem = status.phase in (Phase.NEEDS_SIGNIN, Phase.WAITING, Phase.OFFLINE) and bool(status.error)
        self.sidebar.set_account_status(account.id, text, problem)
        return text

    def undo(self) -> None:
        if not self._undo:
            return
        message, fn = self._undo.pop()
        self.act_undo.setEnabled(bool(self._undo))
        self.tasks.run(
            fn,
            lambda changes: (
                self.apply_changes(changes),
                self.statusBar().showMessage(
                    QCoreApplication.translate("MainWindow", "Undone: {0}").format(message), 4000
                ),
            ),
        )

    # -- refreshes

    def reload_accounts(self, *, background: bool = False) -> None:
        """Rebuild the accounts' entries; ``background``: their badges are counted on the DB worker
        thread (a sync's change of an account's state: not a count of the history on the UI thread)."""
        accounts = self.store.accounts()
        self._accounts = {a.id: a for a in accounts}
        self.model.set_accounts(accounts)
        self.detail.set_accounts(accounts)
        current = self.sidebar.current()
        self.sidebar.set_accounts(accounts)
        # New entries know nothing yet: a sign-in problem reported once must not vanish with the old ones.
        self._shown_statuses = {k: v for k, v in self._shown_statuses.items() if k in self._accounts}
        for account_id, status in self._shown_statuses.items():
            self._mark_account(self._accounts[account_id], status)
        if current and current[0] == "account" and current[1] in self._accounts:
            self.sidebar.select_account(current[1])
        self.refresh_counts(background=background)

    def refresh_counts(self, *, background: bool = False) -> None:
        """Redraw the badges and the title; ``background``: count on the DB worker thread."""
        if background:
            self._counts.request(self.tasks.run, lambda: (self.store.counts, self._show_counts))
            return
        self._show_counts(self.store.counts())

    def _show_counts(self, counts) -> None:
        self.sidebar.set_counts(counts)
        unread = sum(counts.unread_by_account.values())
        self.setWindowTitle(
            (f"({unread}) " if unread else "")
            + (QCoreApplication.translate("MainWindow", "CMDesk — demo workspace") if self.demo else "CMDesk")
        )

    def refresh_all(self) -> None:
        self.reload_accounts()
        self.reload_tags()
        self.apply_query()

    def _tick(self) -> None:
        if self.model.rowCount():
            self.model.dataChanged.emit(self.model.index(0, TIME), self.model.index(self.model.rowCount() - 1, TIME))

    def _update_footer(self) -> None:
        loaded = self.model.rowCount()
        more = "+" if self.model.canFetchMore() else ""
        selected = len(self.selected_rows())
        text = QCoreApplication.translate("MainWindow", "{0}{1} items").format(loaded, more)
        if selected > 1:
            text += QCoreApplication.translate("MainWindow", " · {0} selected").format(selected)
        self.ui.listFooter.setText(text)

    # -- focus and dialogs

    def _focus_list(self) -> None:
        self.ui.itemList.setFocus()

    def focus_search(self) -> None:
        self.ui.searchEdit.setFocus()
        self.ui.searchEdit.selectAll()

    def focus_reply(self) -> None:
        if self.detail.item is not None:
            self.composer.editor.setFocus()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self._focus_list()
            return
        super().keyPressEvent(event)

    def actions_for_palette(self) -> list[QAction]:
        return [a for a in self._actions if a is not self.act_palette]

    def open_palette(self) -> None:
        palette = CommandPalette(self.actions_for_palette(), self)
        palette.open()
        self._palette = palette  # kept for tests and to stay alive while open

    def show_error(self, text: str) -> None:
        self._show_banner(text, "background:#ffebe9; color:#82071e; padding:8px 12px;", ERROR_BANNER_MS)

    def show_alert(self, text: str) -> None:
        """A rule asked to tell the user now (a threat, a VIP): a banner, and the taskbar entry flashes."""
        from PySide6.QtWidgets import QApplication

        self._show_banner(text, "background:#fff8c5; color:#4d2d00; padding:8px 12px;", ALERT_BANNER_MS)
        QApplication.alert(self, 0)

    def _show_banner(self, text: str, style: str, shown_ms: int) -> None:
        """The banner above the list, hidden after ``shown_ms`` (counted from the latest message:
        one shown just before does not take the new one away early)."""
        self.ui.banner.setStyleSheet(style)
        self.ui.banner.setText(text + "   " + QCoreApplication.translate("MainWindow", "(click to dismiss)"))
        self.ui.banner.show()
        self._banner_timer.start(shown_ms)

    def export_items(self) -> None:
        from cmdesk.gui.export_dialog import export_with_progress

        export_with_progress(self, self.store, self.current_query())

    def set_language(self, code: str) -> None:
        self.workspace.settings.set("language", code)
        self.statusBar().showMessage(
            QCoreApplication.translate("MainWindow", "The language changes the next time CMDesk starts."), 8000
        )

    def show_shortcuts(self) -> None:
        lines = []
        for action in self._actions:
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if keys:
                lines.append(f"{keys:<14} {action.text().replace('&', '')}")
        box = QMessageBox(self)
        box.setWindowTitle(QCoreApplication.translate("MainWindow", "Keyboard shortcuts"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText("\n".join(lines))
        box.open()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            QCoreApplication.translate("MainWindow", "About CMDesk"),
            QCoreApplication.translate(
                "MainWindow", "CMDesk {0}\nOne local inbox for your social accounts. Your data stays on this computer."
            ).format(__version__),
        )

    def closeEvent(self, event) -> None:
        timers = (self._seen_timer, self._search_timer, self._clock, self._changes_timer, self._settle_timer)
        for timer in (*timers, self._first_rows_timer, self._banner_timer):
            timer.stop()
        self.detail.stop()
        self.tasks.shutdown()
        super().closeEvent(event)


def describe_status(account, status) -> str:
    """One line for the sidebar tooltip and the status bar: where the account's sync stands."""
    name = account.name
    if status.phase == Phase.SYNCING:
        if status.fetched_this_poll:
            return QCoreApplication.translate("MainWindow", "{0}: syncing… {1} items so far").format(
                name, status.fetched_this_poll
            )
        return QCoreApplication.translate("MainWindow", "{0}: syncing…").format(name)
    if status.phase == Phase.NEEDS_SIGNIN:
        return QCoreApplication.translate("MainWindow", "{0} must sign in again: {1}").format(name, status.error)
    if status.phase == Phase.OFFLINE and status.error == NO_NETWORK:
        return QCoreApplication.translate(
            "MainWindow", "{0}: no network connection, sync resumes when it is back"
        ).format(name)
    if status.phase == Phase.OFFLINE:
        return QCoreApplication.translate("MainWindow", "{0}: offline, retrying later ({1})").format(name, status.error)
    if status.phase == Phase.WAITING:
        return QCoreApplication.translate("MainWindow", "{0}: problem, retrying later ({1})").format(name, status.error)
    parts = [name]
    if status.last_sync_at:
        parts.append(
            QCoreApplication.translate("MainWindow", "synced at {0}").format(
                datetime.fromtimestamp(status.last_sync_at).strftime("%H:%M:%S")
            )
        )
    if status.next_sync_at:
        parts.append(
            QCoreApplication.translate("MainWindow", "next at {0}").format(
                datetime.fromtimestamp(status.next_sync_at).strftime("%H:%M:%S")
            )
        )
    if status.new_this_poll:
        parts.append(QCoreApplication.translate("MainWindow", "{0} new").format(status.new_this_poll))
    return " · ".join(parts)
