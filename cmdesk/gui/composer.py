"""The reply composer: plain text, counted the way the item's platform counts, sent through the outbox.

Send is blocked (with the reason shown) when the text is empty, too long for the platform,
the account cannot reply, or a feature reports a problem (``set_problem``: the template
library does, for unknown or unfilled variables). Ctrl+Enter sends. The text is never
interpreted as HTML. Features attach through signals and ``add_panel`` rather than
subclassing: the "/" template picker lives in ``templates_ui``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from cmdesk.core.models import Account, Item
from cmdesk.core.templates.length import limit_for, measure
from cmdesk.gui.forms.composer_ui import Ui_Composer


class Composer(QWidget):
    """Signals:
    send_requested(int, str): send this text as a reply to the item with this id.
    text_changed(): the draft changed (templates re-check their variables on it).
    reply_sent(int, str): the outbox accepted this reply to this item (``clear_after_send``).
    target_changed(): another item (or none) is being answered; the draft was emptied.
    """

    send_requested = Signal(int, str)
    text_changed = Signal()
    reply_sent = Signal(int, str)
    target_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.ui = Ui_Composer()
        self.ui.setupUi(self)
        self._item: Item | None = None
        self._account: Account | None = None
        self._blocked_reason = ""
        self._extra_problem = ""
        self._sending: tuple[int, str] | None = None
        self.ui.editor.textChanged.connect(self._on_text_changed)
        self.ui.sendButton.clicked.connect(self.send)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self.ui.editor)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.send)
        self.ui.problemLabel.setStyleSheet("color: #cf222e;")
        self.ui.guidelineView.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.ui.guidelineView.setStyleSheet("background: #fff8c5; border: 1px solid #eed888; border-radius: 4px;")
        self.ui.templateButton.setVisible(False)  # shown once a template library is attached
        self.set_target(None, None)

    @property
    def editor(self):
        return self.ui.editor

    @property
    def item(self) -> Item | None:
        return self._item

    @property
    def account(self) -> Account | None:
        return self._account

    def add_panel(self, widget: QWidget) -> None:
        """Show a feature's widget between the draft and the send row (e.g. the fill-in form)."""
        self.ui.layout.insertWidget(self.ui.layout.indexOf(self.ui.problemLabel) + 1, widget)

    def enable_templates(self, on_click) -> None:
        """Show the "Templates…" button, which calls ``on_click`` (the template library is attached)."""
        self.ui.templateButton.setVisible(True)
        self.ui.templateButton.clicked.connect(on_click)

    def text(self) -> str:
        return self.ui.editor.toPlainText()

    def set_text(self, text: str) -> None:
        self.ui.editor.setPlainText(text)
        cursor = self.ui.editor.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.ui.editor.setTextCursor(cursor)

    def set_target(self, item: Item | None, account: Account | None, reply_blocked: str = "") -> None:
        """Answer ``item`` of ``account``; ``reply_blocked`` says why this account cannot reply, if so."""
        changed = item is None or self._item is None or item.id != self._item.id
        self._item, self._account = item, account
        self._blocked_reason = reply_blocked
        if changed:
            self.ui.editor.clear()
            self.set_guideline("")
        self.ui.editor.setEnabled(item is not None and not reply_blocked)
        self.ui.templateButton.setEnabled(self.ui.editor.isEnabled())
        self._update()
        if changed:
            self.target_changed.emit()

    def set_problem(self, text: str) -> None:
        """A problem from outside the composer (e.g. an unfilled template variable) that blocks sending."""
        self._extra_problem = text
        self._update()

    def set_guideline(self, text: str) -> None:
        """Posture guidelines shown above the draft (scrollable: a charte can be long); "" hides them."""
        if text != self.ui.guidelineView.toPlainText():
            self.ui.guidelineView.setPlainText(text)
        self.ui.guidelineView.setVisible(bool(text))

    def _on_text_changed(self) -> None:
        self._update()
        self.text_changed.emit()

    def problem(self) -> str:
        """Why the draft cannot be sent now ('' when it can)."""
        if self._item is None:
            return QCoreApplication.translate("Composer", "Select an item to answer.")
        if self._blocked_reason:
            return self._blocked_reason
        if self._extra_problem:
            return self._extra_problem
        text = self.text().strip()
        if not text:
            return ""  # empty: nothing to say, the button is just disabled
        if self._account is not None:
            report = self._report()
            if report.over:
                check = report.shown
                return QCoreApplication.translate("Composer", "Too long for {0}: {1} of {2} allowed.").format(
                    self._account.platform.label, check.count, check.limit
                )
        return ""

    def _report(self):
        platform = self._account.platform
        return measure(self.text(), platform, limit_for(platform, self._account.settings))

    def _update(self) -> None:
        problem = self.problem()
        self.ui.problemLabel.setText(problem)
        self.ui.problemLabel.setVisible(bool(problem) and self._item is not None)
        can_send = not problem and bool(self.text().strip())
        self.ui.sendButton.setEnabled(can_send)
        if self._account is not None and self._item is not None:
            report = self._report()
            check = report.shown
            self.ui.counterLabel.setText(f"{check.count} / {check.limit}")
            self.ui.counterLabel.setStyleSheet(
                "color: #cf222e; font-weight: 600;" if report.over else "color: #57606a;"
            )
        else:
            self.ui.counterLabel.setText("")

    def send(self) -> None:
        if self._item is None or self.problem() or not self.text().strip():
            return
        self._sending = (self._item.id, self.text().strip())
        self.send_requested.emit(*self._sending)

    def clear_after_send(self) -> None:
        """The window calls this once the outbox holds the reply: listeners learn what was sent."""
        sent, self._sending = self._sending, None
        if sent is not None:
            self.reply_sent.emit(*sent)
        self.ui.editor.clear()
        self.set_guideline("")
