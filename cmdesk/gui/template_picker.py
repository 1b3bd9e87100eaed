"""The composer's "/" template picker and the fill-in form for variables without a value.

``TemplatePicker`` floats over the window above the draft and never takes the keyboard:
the user keeps typing in the composer (the text after "/" is the search), and the composer
hook forwards ↑/↓/Enter/Esc to it. ``FillInForm`` sits under the draft and asks for the
values a template needs but the item and the settings do not give.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QPoint, Qt, Signal
from PySide6.QtWidgets import QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit, QListWidgetItem, QPushButton, QWidget

from cmdesk.core.templates import Template
from cmdesk.gui.forms.template_picker_ui import Ui_TemplatePicker

TemplateRole = Qt.ItemDataRole.UserRole + 1
PICKER_WIDTH = 640
PICKER_HEIGHT = 280


def variable_label(name: str, custom_label: str = "") -> str:
    """What the fill-in form and the editor call a variable: a sentence, then ``{name}``."""
    builtins = {
        "author.name": QCoreApplication.translate("Templates", "Author's name"),
        "author.first_name": QCoreApplication.translate("Templates", "Author's first name"),
        "author.handle": QCoreApplication.translate("Templates", "Author's handle"),
        "platform": QCoreApplication.translate("Templates", "Platform"),
        "account.name": QCoreApplication.translate("Templates", "Account name"),
        "brand": QCoreApplication.translate("Templates", "Your brand"),
        "agent.name": QCoreApplication.translate("Templates", "Your name"),
        "date": QCoreApplication.translate("Templates", "Today's date"),
        "item.excerpt": QCoreApplication.translate("Templates", "Excerpt of the message"),
    }
    text = custom_label or builtins.get(name, "")
    return f"{text} {{{name}}}" if text else f"{{{name}}}"


class TemplatePicker(QFrame):
    """A list of matching templates with a live preview of the highlighted one.

    Signals:
        activated(): a row was clicked; the hook inserts ``current()``.
    """

    activated = Signal()

    def __init__(self, parent: QWidget, previewer: Callable[[Template], tuple[str, str, bool]]):
        super().__init__(parent)
        self.ui = Ui_TemplatePicker()
        self.ui.setupUi(self)
        self._previewer = previewer  # template -> (preview text, info line, is the info a problem)
        self.ui.headerLabel.setStyleSheet("color: #57606a;")
        # The list never has the focus: without this its current row would be drawn "inactive" (invisible).
        self.setStyleSheet(
            "QFrame#TemplatePicker { background: #ffffff; border: 1px solid #8c959f; border-radius: 6px; }"
            " QListWidget::item:selected { background: #dbe7ff; color: #1f2328; }"
        )
        self.ui.preview.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.ui.matchList.currentRowChanged.connect(lambda _row: self._show_preview())
        self.ui.matchList.itemClicked.connect(lambda _item: self.activated.emit())
        self.hide()

    # -- content

    def show_matches(self, templates: list[Template], query: str, lang: str = "") -> None:
        """Fill the list, best match first, and highlight it."""
        self.ui.matchList.clear()
        for template in templates:
            star = "★ " if template.favourite else ""
            entry = QListWidgetItem(f"{star}{template.title_for(lang)}   /{template.shortcode}")
            entry.setData(TemplateRole, template)
            entry.setToolTip(template.category)
            self.ui.matchList.addItem(entry)
        if templates:
            self.ui.matchList.setCurrentRow(0)
        else:
            self.ui.previewTitle.setText(
                QCoreApplication.translate("Templates", "No template matches “{0}”.").format(query.strip())
            )
            self.ui.preview.clear()
            self.ui.infoLabel.clear()

    def count(self) -> int:
        return self.ui.matchList.count()

    def current(self) -> Template | None:
        entry = self.ui.matchList.currentItem()
        return entry.data(TemplateRole) if entry is not None else None

    def move(self, step: int) -> None:
        if self.count():
            row = max(0, min(self.count() - 1, self.ui.matchList.currentRow() + step))
            self.ui.matchList.setCurrentRow(row)

    def show_problem(self, text: str) -> None:
        self.ui.infoLabel.setText(text)
        self.ui.infoLabel.setStyleSheet("color: #cf222e;")

    def _show_preview(self) -> None:
        template = self.current()
        if template is None:
            return
        text, info, problem = self._previewer(template)
        title = f"/{template.shortcode} — {template.title}"
        if template.category:
            title += f"  ·  {template.category}"
        self.ui.previewTitle.setText(title)
        self.ui.preview.setPlainText(text)
        self.ui.infoLabel.setText(info)
        self.ui.infoLabel.setStyleSheet("color: #cf222e;" if problem else "color: #57606a;")

    # -- placement

    def place_over(self, anchor: QWidget) -> None:
        """Show just above ``anchor`` (the draft), or below it when there is no room above."""
        parent = self.parentWidget()
        width = min(PICKER_WIDTH, parent.width() - 8)
        height = min(PICKER_HEIGHT, parent.height() - 8)
        top_left = anchor.mapTo(parent, QPoint(0, 0))
        x = max(4, min(top_left.x(), parent.width() - width - 4))
        y = top_left.y() - height - 2
        if y < 4:
            y = min(top_left.y() + anchor.height() + 2, parent.height() - height - 4)
        self.setGeometry(x, y, width, height)
        self.show()
        self.raise_()


class FillInForm(QFrame):
    """One line per variable that has no value; "Fill in" puts the values into the draft.

    Signals:
        filled(dict): the values typed, by variable name (blank ones left out).
    """

    filled = Signal(dict)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("fillInForm")
        layout = QFormLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        self._form = layout
        self._title = QLabel(
            QCoreApplication.translate("Templates", "This reply needs a few values before it can be sent:")
        )
        self._title.setTextFormat(Qt.TextFormat.PlainText)
        self._title.setWordWrap(True)
        layout.addRow(self._title)
        self._edits: dict[str, QLineEdit] = {}
        self._button = QPushButton(QCoreApplication.translate("Templates", "Fill in"))
        self._button.clicked.connect(self.submit)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self._button)
        layout.addRow(row)
        self.hide()

    @property
    def names(self) -> list[str]:
        return list(self._edits)

    def edit(self, name: str) -> QLineEdit:
        return self._edits[name]

    def set_needed(self, needed: list[tuple[str, str, str]]) -> None:
        """``(name, label, suggested value)`` per variable; rebuilt only when the names change."""
        if [n for n, _, _ in needed] == list(self._edits):
            return
        typed = {name: edit.text() for name, edit in self._edits.items()}
        for edit in self._edits.values():
            # Taken out and deleted later, not removed now: the form often changes because Enter
            # was pressed in one of these very line edits, still inside its signal.
            taken = self._form.takeRow(edit)
            for part in (taken.labelItem, taken.fieldItem):
                if part is not None and part.widget() is not None:
                    part.widget().hide()
                    part.widget().deleteLater()
        self._edits.clear()
        for index, (name, label, suggestion) in enumerate(needed):
            edit = QLineEdit(typed.get(name) or suggestion)
            edit.setPlaceholderText(QCoreApplication.translate("Templates", "value for {{{0}}}").format(name))
            edit.returnPressed.connect(self._next_or_submit)
            self._form.insertRow(1 + index, label, edit)
            self._edits[name] = edit
        self.setVisible(bool(needed))

    def focus_first_empty(self) -> None:
        for edit in self._edits.values():
            if not edit.text().strip():
                edit.setFocus()
                return
        if self._edits:
            next(iter(self._edits.values())).setFocus()

    def _next_or_submit(self) -> None:
        empty = [e for e in self._edits.values() if not e.text().strip()]
        if empty and self.focusWidget() is not empty[0]:
            empty[0].setFocus()
        else:
            self.submit()

    def submit(self) -> None:
        values = {name: edit.text() for name, edit in self._edits.items() if edit.text().strip()}
        if values:
            self.filled.emit(values)
