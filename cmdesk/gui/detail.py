"""The detail pane: the selected item in full, its conversation, its author, notes and history.

Everything from a platform is shown as plain text (labels in PlainText format, a read-only
plain-text editor, list items): no HTML is interpreted and nothing remote is loaded.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QStandardItem, QStandardItemModel, QTextCharFormat
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QTextEdit, QWidget

from cmdesk.connectors.base import Verb
from cmdesk.core.models import Item, ItemRow, Moderation, QueueState, Status
from cmdesk.core.text import display_author, excerpt, fold
from cmdesk.gui import labels
from cmdesk.gui.formatting import full_time, relative_time
from cmdesk.gui.forms.detail_pane_ui import Ui_DetailPane
from cmdesk.services.outbox import State

ItemIdRole = Qt.ItemDataRole.UserRole + 1
MAX_BODY_CHARS = 200_000
_SHOWN_STATES = (State.PENDING, State.SENDING, State.FAILED, State.OBSOLETE)


class _OutboxRow(QWidget):
    """One waiting or failed reply/action: what it is, where it stands, and retry / edit / discard."""

    def __init__(self, entry, pane: DetailPane):
        super().__init__(pane)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        what = (
            QCoreApplication.translate("DetailPane", "Reply") if entry.verb == Verb.REPLY else labels.verb(entry.verb)
        )
        if entry.state in (State.PENDING, State.SENDING):
            state = QCoreApplication.translate("DetailPane", "⏳ {0}: sending…").format(what)
            if entry.last_error:
                state += " " + QCoreApplication.translate("DetailPane", "(will retry: {0})").format(entry.last_error)
            color = "#9a6700"
        elif entry.state == State.OBSOLETE:
            state = QCoreApplication.translate("DetailPane", "✕ {0}: no longer possible — {1}").format(
                what, entry.last_error
            )
            color = "#57606a"
        else:
            state = QCoreApplication.translate("DetailPane", "⚠ {0} not sent: {1}").format(what, entry.last_error)
            color = "#cf222e"
        label = QLabel(state)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setStyleSheet(f"color: {color};")
        if entry.text:
            label.setToolTip(entry.text)
        layout.addWidget(label, 1)
        if entry.state in (State.FAILED, State.OBSOLETE):
            for text, signal in (
                (QCoreApplication.translate("DetailPane", "Retry"), pane.outbox_retry),
                (QCoreApplication.translate("DetailPane", "Edit"), pane.outbox_edit),
                (QCoreApplication.translate("DetailPane", "Discard"), pane.outbox_discard),
            ):
                if signal is pane.outbox_edit and entry.verb != Verb.REPLY:
                    continue
                button = QPushButton(text, self)
                button.clicked.connect(lambda _=False, s=signal, i=entry.id: s.emit(i))
                layout.addWidget(button)


class DetailPane(QWidget):
    """Signals:
    done_toggled(int): mark the item done, or open again if it is done.
    tag_added(int, str) / tag_removed(int, str)
    note_added(int, str)
    spam_requested(int)
    verb_requested(int, str): a moderation verb (``connectors.base.Verb`` value) on the item.
    item_activated(int): the user picked another item of the conversation or author history.
    outbox_retry(int) / outbox_edit(int) / outbox_discard(int): decisions on a failed outbox entry.
    """

    done_toggled = Signal(int)
    tag_added = Signal(int, str)
    note_added = Signal(int, str)
    spam_requested = Signal(int)
    verb_requested = Signal(int, str)
    item_activated = Signal(int)
    outbox_retry = Signal(int)
    outbox_edit = Signal(int)
    outbox_discard = Signal(int)

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.ui = Ui_DetailPane()
        self.ui.setupUi(self)
        self._store = store
        self._item: Item | None = None
        self._accounts = {}
        self._outbox_entries = lambda item_id: []
        self._verb_buttons = {
            Verb.HIDE: self.ui.hideButton,
            Verb.UNHIDE: self.ui.unhideButton,
            Verb.DELETE: self.ui.deleteButton,
        }
        self._author_menu = QMenu(self)
        self._verb_actions = {}
        for verb, text in (
            (Verb.BLOCK_AUTHOR, QCoreApplication.translate("DetailPane", "Block the author")),
            (Verb.MUTE_AUTHOR, QCoreApplication.translate("DetailPane", "Mute the author")),
            (Verb.BAN_AUTHOR, QCoreApplication.translate("DetailPane", "Ban the author")),
            (Verb.UNBAN_AUTHOR, QCoreApplication.translate("DetailPane", "Lift the ban")),
            (Verb.REPORT, QCoreApplication.translate("DetailPane", "Report to the platform…")),
        ):
            action = self._author_menu.addAction(text)
            action.triggered.connect(lambda _=False, v=verb: self._emit_verb(v))
            self._verb_actions[verb] = action
        self.ui.moreButton.setMenu(self._author_menu)
        for verb, button in self._verb_buttons.items():
            button.clicked.connect(lambda _=False, v=verb: self._emit_verb(v))
        self._thread_model = QStandardItemModel(self)
        self._author_model = QStandardItemModel(self)
        # What the body, the conversation and the author's list show: a refresh rebuilds only
        # what changed, and leaves the rest as the user left it (scroll, selected text).
        self._shown: dict[str, object] = {}
        self._notes_model = QStandardItemModel(self)
        self._history_model = QStandardItemModel(self)
        self.ui.threadView.setModel(self._thread_model)
        self.ui.authorView.setModel(self._author_model)
        self.ui.notesView.setModel(self._notes_model)
        self.ui.historyView.setModel(self._history_model)
        self.ui.bodyView.setLineWrapMode(self.ui.bodyView.LineWrapMode.WidgetWidth)
        self.ui.flagLabel.setStyleSheet("color: #cf222e; font-weight: 600;")
        self.ui.authorLabel.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.ui.metaLabel.setStyleSheet("color: #57606a;")
        self.ui.doneButton.clicked.connect(lambda: self._emit(self.done_toggled))
        self.ui.spamButton.clicked.connect(lambda: self._emit(self.spam_requested))
        self.ui.tagEdit.returnPressed.connect(self._add_tag)
        self.ui.noteEdit.returnPressed.connect(self._add_note)
        self.ui.noteButton.clicked.connect(self._add_note)
        self.ui.openButton.clicked.connect(self._open_on_platform)
        self.ui.threadView.activated.connect(lambda index: self._activate(index))
        self.ui.authorView.activated.connect(lambda index: self._activate(index))
        # The sections below the text (thread, outbox, author, notes, history) each read the
        # store: filled one per event-loop turn, so that the list keeps painting between them
        # (all at once took 36 ms during a busy sync, a visible stall).
        self._sections: list = []
        self._section_timer = QTimer(self, interval=0)
        self._section_timer.timeout.connect(self._fill_next_section)
        self.clear()

    @property
    def item(self) -> Item | None:
        return self._item

    def set_accounts(self, accounts) -> None:
        self._accounts = {a.id: a for a in accounts}

    def set_outbox_provider(self, provider) -> None:
        """``provider(item_id) -> [outbox Entry]``: replies and actions waiting or failed for an item."""
        self._outbox_entries = provider

    def set_verb_states(self, states: dict) -> None:
        """``{Verb: (enabled, why_not)}``: disabled buttons say why in their tooltip."""
        for verb, (enabled, why_not) in states.items():
            widget = self._verb_buttons.get(verb) or self._verb_actions.get(verb)
            if widget is None:
                continue
            widget.setEnabled(bool(enabled) and self._item is not None)
            widget.setToolTip(why_not)
        if self._item is not None:
            hidden = self._item.moderation == Moderation.HIDDEN
            self.ui.hideButton.setVisible(not hidden)
            self.ui.unhideButton.setVisible(hidden)
        self.ui.moreButton.setEnabled(any(a.isEnabled() for a in self._verb_actions.values()))

    def clear(self) -> None:
        self._item = None
        self.stop()
        self.ui.authorLabel.setText(QCoreApplication.translate("DetailPane", "Nothing selected"))
        self.ui.metaLabel.setText(QCoreApplication.translate("DetailPane", "Pick an item in the list (j/k to move)."))
        for widget in (self.ui.flagLabel, self.ui.tagsLabel):
            widget.setText("")
        self.ui.bodyView.setPlainText("")
        for model in (self._thread_model, self._author_model, self._notes_model, self._history_model):
            model.clear()
        self._shown.clear()
        self._set_enabled(False)

    def _changed(self, part: str, key: object) -> bool:
        """Whether ``part`` must be rebuilt to show ``key`` (and, if so, it is taken as shown)."""
        if self._shown.get(part) == key:
            return False
        self._shown[part] = key
        return True

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (
            self.ui.doneButton,
            self.ui.hideButton,
            self.ui.spamButton,
            self.ui.tagEdit,
            self.ui.noteEdit,
            self.ui.noteButton,
            self.ui.openButton,
        ):
            widget.setEnabled(enabled)

    def show_item(self, item_id: int, highlight: tuple[str, ...] = ()) -> None:
        self._item = it = self._store.item(item_id)
        account = self._accounts.get(it.account_id)
        self.ui.authorLabel.setText(display_author(it.author.display_name, it.author.handle))
        created = int(it.created_at.timestamp() * 1000)
        meta = [
            labels.kind(it.kind),
            account.name if account else "",
            full_time(created),
            labels.status(it.status),
        ]
        if it.moderation != Moderation.VISIBLE:
            meta.append(labels.moderation(it.moderation))
        if it.queue != QueueState.NONE:
            meta.append(labels.queue(it.queue))
        self.ui.metaLabel.setText(" · ".join(m for m in meta if m))
        if it.flag:
            terms = ", ".join(it.flag.terms)
            flag = QCoreApplication.translate("DetailPane", "Flagged: {0}").format(labels.rule_text(it.flag.reason))
            self.ui.flagLabel.setText(flag + (f" — {terms}" if terms else ""))
        else:
            self.ui.flagLabel.setText("")
        self._show_tags()
        body = it.text if len(it.text) <= MAX_BODY_CHARS else it.text[:MAX_BODY_CHARS] + "\n[…]"
        terms = highlight or (it.flag.terms if it.flag else ())
        if self._changed("body", (it.id, body, terms)):
            self.ui.bodyView.setPlainText(body)
            self._highlight(terms)
        self.ui.doneButton.setText(
            QCoreApplication.translate("DetailPane", "Open again (e)")
            if it.status == Status.DONE
            else QCoreApplication.translate("DetailPane", "Done (e)")
        )
        self._set_enabled(True)
        self.ui.openButton.setEnabled(bool(it.url))
        self.ui.openButton.setToolTip(
            it.url or QCoreApplication.translate("DetailPane", "This platform gave no web address for the item.")
        )
        self._sections = [self._fill_thread, self._fill_outbox, self._fill_author, self._fill_notes, self._fill_history]
        self._section_timer.start()

    def _fill_next_section(self) -> None:
        if self._item is None:
            self._sections = []
        if self._sections:
            self._sections.pop(0)()  # taken first: a section that fails is not tried again
        if not self._sections:
            self._section_timer.stop()

    def stop(self) -> None:
        """No more sections (the window closes, and the store with it)."""
        self._sections = []
        self._section_timer.stop()

    def sections_pending(self) -> bool:
        """Whether sections of the shown item are still to be filled (tests wait for them)."""
        return bool(self._sections)

    def refresh(self) -> None:
        if self._item is not None:
            self.show_item(self._item.id)

    # -- sections

    def _show_tags(self) -> None:
        tags = self._item.tags if self._item else ()
        self.ui.tagsLabel.setText(
            "  ".join(f"#{t}" for t in tags) if tags else QCoreApplication.translate("DetailPane", "No tags")
        )

    def _row_entry(self, row: ItemRow) -> QStandardItem:
        who = display_author(row.author_name, row.author_handle)
        entry = QStandardItem(f"{who} · {relative_time(row.created_at)}\n{excerpt(row.excerpt, 600)}")
        entry.setData(row.id, ItemIdRole)
        entry.setToolTip(full_time(row.created_at))
        if row.is_own:
            entry.setBackground(QBrush(QColor("#ddf4ff")))
        if self._item and row.id == self._item.id:
            entry.setBackground(QBrush(QColor("#fff8c5")))
        return entry

    def _fill_thread(self) -> None:
        rows = self._store.thread_rows(self._item)
        waiting = [e for e in self._outbox_entries(self._item.id) if e.verb == Verb.REPLY and e.state in _SHOWN_STATES]
        key = (self._item.id, [(r.id, r.excerpt) for r in rows], [(e.id, e.text) for e in waiting])
        if not self._changed("thread", key):
            return
        self._thread_model.clear()
        for row in rows:
            self._thread_model.appendRow(self._row_entry(row))
        for entry in waiting:
            pending = QStandardItem(
                QCoreApplication.translate("DetailPane", "You · not sent yet") + f"\n{excerpt(entry.text, 600)}"
            )
            pending.setBackground(QBrush(QColor("#fff1e5")))
            self._thread_model.appendRow(pending)
        current = next((n for n, row in enumerate(rows) if row.id == self._item.id), None)
        if current is not None:
            self.ui.threadView.scrollTo(self._thread_model.index(current, 0))

    def _fill_outbox(self) -> None:
        """Replies and actions of this item that are waiting or failed, with what can be done about them."""
        layout = self.ui.outboxLayout
        while layout.count():
            widget = layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        entries = [e for e in self._outbox_entries(self._item.id) if e.state in _SHOWN_STATES]
        for entry in entries:
            layout.addWidget(_OutboxRow(entry, self))
        self.ui.outboxBox.setVisible(bool(entries))

    def _fill_author(self) -> None:
        total = self._store.author_item_count(self._item.author.id)
        rows = self._store.author_rows(self._item.author.id, exclude=self._item.id)
        if not self._changed("author", (self._item.id, total, [(r.id, r.excerpt) for r in rows])):
            return
        self._author_model.clear()
        self.ui.authorSummary.setText(
            QCoreApplication.translate("DetailPane", "{0} — {1} items in this account's history").format(
                display_author(self._item.author.display_name, self._item.author.handle), total
            )
        )
        for row in rows:
            self._author_model.appendRow(self._row_entry(row))

    def _fill_notes(self) -> None:
        self._notes_model.clear()
        for n in self._store.notes(self._item.id):
            when = full_time(int(n.created_at.timestamp() * 1000))
            self._notes_model.appendRow(QStandardItem(f"{n.agent} · {when}\n{n.text}"))
        count = self._notes_model.rowCount()
        self.ui.tabs.setTabText(
            2,
            QCoreApplication.translate("DetailPane", "Notes ({0})").format(count)
            if count
            else QCoreApplication.translate("DetailPane", "Notes"),
        )

    def _fill_history(self) -> None:
        self._history_model.clear()
        for entry in self._store.audit_entries(item_id=self._item.id, limit=100):
            when = full_time(int(entry.at.timestamp() * 1000))
            line = f"{when} · {entry.actor} · {entry.action}"
            if entry.detail:
                line += f" · {entry.detail}"
            if entry.reason:
                line += f" — {labels.rule_text(entry.reason)}"
            self._history_model.appendRow(QStandardItem(line))

    def _highlight(self, terms) -> None:
        """Mark search or rule terms in the body (accents and case do not matter)."""
        selections = []
        text = self.ui.bodyView.toPlainText()
        folded = fold(text)
        if len(folded) != len(text):
            folded = text.casefold() if len(text.casefold()) == len(text) else None
        fmt = QTextCharFormat()
        fmt.setBackground(QColor("#fff3b0"))
        for term in terms:
            needle = fold(term).strip("*").strip()
            if not needle or folded is None:
                continue
            for match in re.finditer(re.escape(needle), folded):
                cursor = self.ui.bodyView.textCursor()
                cursor.setPosition(match.start())
                cursor.setPosition(match.end(), cursor.MoveMode.KeepAnchor)
                selection = QTextEdit.ExtraSelection()
                selection.cursor = cursor
                selection.format = fmt
                selections.append(selection)
                if len(selections) > 500:
                    break
        self.ui.bodyView.setExtraSelections(selections)

    # -- user actions

    def _emit(self, signal) -> None:
        if self._item is not None:
            signal.emit(self._item.id)

    def _emit_verb(self, verb: Verb) -> None:
        if self._item is not None:
            self.verb_requested.emit(self._item.id, str(verb))

    def _add_tag(self) -> None:
        name = self.ui.tagEdit.text().strip()
        if self._item is not None and name:
            self.tag_added.emit(self._item.id, name)
            self.ui.tagEdit.clear()

    def _add_note(self) -> None:
        text = self.ui.noteEdit.text().strip()
        if self._item is not None and text:
            self.note_added.emit(self._item.id, text)
            self.ui.noteEdit.clear()

    def _open_on_platform(self) -> None:
        # Only on the user's explicit click: nothing remote is ever opened on its own.
        if self._item is not None and self._item.url.startswith(("https://", "http://")):
            QDesktopServices.openUrl(QUrl(self._item.url))

    def _activate(self, index) -> None:
        item_id = index.data(ItemIdRole)
        if item_id is not None:
            self.item_activated.emit(item_id)

    def focus_tag(self) -> None:
        self.ui.tagEdit.setFocus()

    def focus_note(self) -> None:
        self.ui.tabs.setCurrentIndex(2)
        self.ui.noteEdit.setFocus()
