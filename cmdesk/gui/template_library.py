"""The template library window: create, edit, duplicate, delete (with undo), reorder, favourites,
usage statistics, search, category guidelines, custom fields, import and export.

Every write is a ``TemplateLibrary`` operation run on the window's DB worker thread; its
``TemplateChanges`` comes back on the UI thread, is re-emitted as ``changed`` (the composer's
picker reloads on it) and redraws the table. The editor checks the template on each
keystroke with the core's rules; Save stays disabled while there is a problem, and leaving
a template with valid unsaved changes saves them (invalid ones keep you on it): an edit is
never silently lost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QItemSelectionModel, QLocale, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QTableWidgetItem,
    QWidget,
)

from cmdesk.core.models import Platform, to_millis
from cmdesk.core.templates import (
    CustomField,
    PickerIndex,
    Template,
    UsageStats,
    Variant,
    limit_for,
    measure,
    normalize_lang,
    normalize_shortcode,
)
from cmdesk.core.templates.engine import BUILTIN_VARIABLES
from cmdesk.core.templates.model import normalize_newlines, normalize_tags
from cmdesk.gui.formatting import relative_time
from cmdesk.gui.forms.template_library_ui import Ui_TemplateLibrary
from cmdesk.gui.template_picker import variable_label
from cmdesk.services.templates import TemplateChanges, TemplateLibrary, markup_hint

FAVOURITE, SHORTCODE, TITLE, CATEGORY, LANGS, USED, LAST_USED, REPLY_TIME = range(8)
LANGUAGES = ("fr", "en", "es", "de", "it", "pt", "nl")


def _duration(delta: timedelta | None) -> str:
    if delta is None:
        return ""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return QCoreApplication.translate("TemplateLibrary", "{0} min").format(max(minutes, 1))
    if minutes < 48 * 60:
        return QCoreApplication.translate("TemplateLibrary", "{0} h").format(round(minutes / 60, 1))
    return QCoreApplication.translate("TemplateLibrary", "{0} days").format(round(minutes / 1440, 1))


class TemplateTableModel(QAbstractTableModel):
    """The templates shown (all, in the library's order, or the search's matches), with their stats."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[Template] = []
        self._usage: dict[int, UsageStats] = {}

    def set_rows(self, templates: list[Template], usage: dict[int, UsageStats]) -> None:
        self.beginResetModel()
        self._rows, self._usage = list(templates), dict(usage)
        self.endResetModel()

    def template_at(self, row: int) -> Template | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, template_id: int | None) -> int | None:
        return next((i for i, t in enumerate(self._rows) if t.id == template_id), None)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 8

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return {
                FAVOURITE: QCoreApplication.translate("TemplateLibrary", "Favourite"),
                LANGS: QCoreApplication.translate("TemplateLibrary", "Languages of its texts"),
                USED: QCoreApplication.translate("TemplateLibrary", "Replies sent with it"),
                REPLY_TIME: QCoreApplication.translate(
                    "TemplateLibrary", "Average time items had waited when a reply using it was sent"
                ),
            }.get(section)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            "★",
            QCoreApplication.translate("TemplateLibrary", "Shortcode"),
            QCoreApplication.translate("TemplateLibrary", "Title"),
            QCoreApplication.translate("TemplateLibrary", "Category"),
            QCoreApplication.translate("TemplateLibrary", "Lang."),
            QCoreApplication.translate("TemplateLibrary", "Uses"),
            QCoreApplication.translate("TemplateLibrary", "Last use"),
            QCoreApplication.translate("TemplateLibrary", "Reply time"),
        )[section]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        t = self.template_at(index.row()) if index.isValid() else None
        if t is None:
            return None
        column = index.column()
        stats = self._usage.get(t.id, UsageStats())
        if role == Qt.ItemDataRole.DisplayRole:
            if column == FAVOURITE:
                return "★" if t.favourite else ""
            if column == SHORTCODE:
                return f"/{t.shortcode}"
            if column == TITLE:
                return t.title
            if column == CATEGORY:
                return t.category
            if column == LANGS:
                return ", ".join(lang or "*" for lang in t.langs)
            if column == USED:
                return str(stats.times_used)
            if column == LAST_USED:
                return relative_time(to_millis(stats.last_used)) if stats.last_used else ""
            if column == REPLY_TIME:
                return _duration(stats.average_reply_time)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (FAVOURITE, USED):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column in (TITLE, CATEGORY):
            return t.title if column == TITLE else t.category
        return None


class TemplateLibraryWindow(QWidget):
    """Signals:
    changed(object): a ``TemplateChanges`` after each write (the composer reloads on it).
    """

    changed = Signal(object)

    def __init__(self, main_window, library: TemplateLibrary):
        super().__init__(main_window, Qt.WindowType.Window)
        self.ui = Ui_TemplateLibrary()
        self.ui.setupUi(self)
        self.main_window = main_window
        self.library = library
        self.model = TemplateTableModel(self)
        self._templates: list[Template] = []
        self._current: Template | None = None  # the stored template being edited (None: a new one)
        self._baseline: Template | None = None  # what the editor showed when loaded, to tell edits
        self._variants: list[Variant] = []
        self._loading = False
        self._undo: list[tuple[str, Callable[[], TemplateChanges]]] = []
        self._categories: dict[str, str] = {}
        self._charte_name = ""  # the category whose guidelines are in the editor
        self._shown_fields: tuple[CustomField, ...] | None = None
        self.resize(1320, 760)
        self._setup_widgets()
        self._setup_actions()
        self._connect()
        self.reload()

    # -- construction

    def _setup_widgets(self) -> None:
        ui = self.ui
        table = ui.templateTable
        table.setModel(self.model)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(26)
        table.setWordWrap(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(SHORTCODE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        for column, width in ((FAVOURITE, 26), (CATEGORY, 140), (LANGS, 56), (USED, 48), (LAST_USED, 78)):
            header.resizeSection(column, width)
        header.resizeSection(REPLY_TIME, 78)
        for combo in (ui.categoryCombo, ui.variableCombo):  # long labels must not widen the editor
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(16)
        ui.splitter.setStretchFactor(0, 3)
        ui.splitter.setStretchFactor(1, 2)
        # Lists here are often shown without the focus: keep their current row readable then.
        self.setStyleSheet("QListWidget::item:selected { background: #dbe7ff; color: #1f2328; }")
        ui.langCombo.addItems(["", *LANGUAGES])
        ui.langCombo.lineEdit().setPlaceholderText(QCoreApplication.translate("TemplateLibrary", "any language"))
        ui.platformCombo.addItem(QCoreApplication.translate("TemplateLibrary", "Any platform"), None)
        for platform in Platform:
            ui.platformCombo.addItem(platform.label, platform)
        ui.categoryCombo.lineEdit().setPlaceholderText(
            QCoreApplication.translate("TemplateLibrary", "Folder or Folder/Sub-folder")
        )
        ui.problemsLabel.setStyleSheet("color: #cf222e;")
        for edit in (ui.bodyEdit, ui.charteEdit):
            edit.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        ui.previewLabel.setStyleSheet("color: #57606a;")
        ui.fieldsTable.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        menu = QMenu(ui.importButton)
        menu.addAction(QCoreApplication.translate("TemplateLibrary", "Import…"), lambda: self.choose_import(False))
        menu.addAction(
            QCoreApplication.translate("TemplateLibrary", "Import, replacing templates with the same shortcode…"),
            lambda: self.choose_import(True),
        )
        ui.importButton.setMenu(menu)

    def _setup_actions(self) -> None:
        def action(text: str, slot, keys, widget: QWidget | None = None) -> QAction:
            act = QAction(text, self)
            act.setShortcut(QKeySequence(keys))
            act.setShortcutContext(
                Qt.ShortcutContext.WidgetShortcut if widget else Qt.ShortcutContext.WidgetWithChildrenShortcut
            )
            act.triggered.connect(slot)
            (widget or self).addAction(act)
            return act

        action(QCoreApplication.translate("TemplateLibrary", "New template"), self.new_template, "Ctrl+N")
        action(QCoreApplication.translate("TemplateLibrary", "Duplicate"), self.duplicate, "Ctrl+D")
        action(QCoreApplication.translate("TemplateLibrary", "Save"), self.save, QKeySequence.StandardKey.Save)
        action(QCoreApplication.translate("TemplateLibrary", "Undo"), self.undo, QKeySequence.StandardKey.Undo)
        action(
            QCoreApplication.translate("TemplateLibrary", "Search"), self._focus_search, QKeySequence.StandardKey.Find
        )
        action(QCoreApplication.translate("TemplateLibrary", "Favourite"), self.toggle_favourite, "Ctrl+B")
        action(QCoreApplication.translate("TemplateLibrary", "Move up"), lambda: self.move(-1), "Alt+Up")
        action(QCoreApplication.translate("TemplateLibrary", "Move down"), lambda: self.move(1), "Alt+Down")
        action(
            QCoreApplication.translate("TemplateLibrary", "Delete"),
            self.delete,
            QKeySequence.StandardKey.Delete,
            self.ui.templateTable,
        )

    def _connect(self) -> None:
        ui = self.ui
        ui.searchEdit.textChanged.connect(lambda _text: self.reload())
        ui.templateTable.selectionModel().currentRowChanged.connect(self._on_row)
        ui.newButton.clicked.connect(self.new_template)
        ui.duplicateButton.clicked.connect(self.duplicate)
        ui.deleteButton.clicked.connect(self.delete)
        ui.favouriteButton.clicked.connect(self.toggle_favourite)
        ui.upButton.clicked.connect(lambda: self.move(-1))
        ui.downButton.clicked.connect(lambda: self.move(1))
        ui.undoButton.clicked.connect(self.undo)
        ui.importButton.clicked.connect(lambda: self.choose_import(False))
        ui.exportButton.clicked.connect(self.choose_export)
        ui.saveButton.clicked.connect(self.save)
        ui.revertButton.clicked.connect(self.revert)
        for edit in (ui.shortcodeEdit, ui.titleEdit, ui.tagsEdit):
            edit.textChanged.connect(self._on_edit)
        ui.categoryCombo.currentTextChanged.connect(self._on_edit)
        ui.variantList.currentRowChanged.connect(self._show_variant)
        ui.langCombo.currentTextChanged.connect(self._on_variant_edit)
        ui.platformCombo.currentIndexChanged.connect(self._on_variant_edit)
        ui.variantTitleEdit.textChanged.connect(self._on_variant_edit)
        ui.bodyEdit.textChanged.connect(self._on_variant_edit)
        ui.addVariantButton.clicked.connect(self.add_variant)
        ui.removeVariantButton.clicked.connect(self.remove_variant)
        ui.variableCombo.activated.connect(self._insert_variable)
        ui.categoryList.currentTextChanged.connect(self._show_charte)
        ui.saveCharteButton.clicked.connect(lambda: self.save_charte())
        ui.addFieldButton.clicked.connect(self._add_field_row)
        ui.removeFieldButton.clicked.connect(lambda: ui.fieldsTable.removeRow(ui.fieldsTable.currentRow()))
        ui.saveFieldsButton.clicked.connect(self.save_fields)

    # -- reading

    def reload(self, select_id: int | None = None) -> None:
        """Re-read the library and redraw; the editor keeps what it shows unless it was deleted."""
        self._templates = self.library.templates()
        query = self.ui.searchEdit.text().strip()
        shown = [m.template for m in PickerIndex(self._templates).search(query)] if query else self._templates
        keep = select_id if select_id is not None else (self._current.id if self._current else None)
        self._loading = True
        self.model.set_rows(shown, self.library.usage())
        row = self.model.row_of(keep) if keep is not None else None
        if row is not None:
            self._select_row(row)
        self._loading = False
        ids = {t.id for t in self._templates}
        if self._current is not None and self._current.id not in ids:
            self._load(None)  # deleted: start a new one rather than edit a ghost
            self._show_first()
        elif self._current is None and self._baseline is None:
            self._show_first()  # first opening
        self._reload_side_lists()
        self._update_buttons()

    def _show_first(self) -> None:
        if self.model.rowCount():
            self._loading = True
            self._select_row(0)
            self._loading = False
            self._load(self.model.template_at(0))

    def _reload_side_lists(self) -> None:
        ui = self.ui
        names = self.library.category_names()
        self._categories = {c.name: c.charte for c in self.library.categories()}
        text = ui.categoryCombo.currentText()
        ui.categoryCombo.blockSignals(True)
        ui.categoryCombo.clear()
        ui.categoryCombo.addItems(["", *names])
        ui.categoryCombo.setEditText(text)
        ui.categoryCombo.blockSignals(False)
        selected = ui.categoryList.currentItem().text() if ui.categoryList.currentItem() else ""
        ui.categoryList.blockSignals(True)
        ui.categoryList.clear()
        ui.categoryList.addItems(names)
        matches = ui.categoryList.findItems(selected, Qt.MatchFlag.MatchExactly) if selected else []
        ui.categoryList.blockSignals(False)
        ui.categoryList.setCurrentItem(matches[0] if matches else ui.categoryList.item(0))
        ui.variableCombo.clear()
        ui.variableCombo.addItem(QCoreApplication.translate("TemplateLibrary", "Insert a variable…"), "")
        fields = self.library.fields()
        for name in BUILTIN_VARIABLES:
            ui.variableCombo.addItem(variable_label(name), name)
        for f in fields:
            ui.variableCombo.addItem(variable_label(f.name, f.label), f.name)
        if fields != self._shown_fields:  # unsaved edits in the table survive unrelated reloads
            self._fill_fields_table(fields)

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, FAVOURITE)
        self.ui.templateTable.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.ui.templateTable.scrollTo(index)

    def selected(self) -> Template | None:
        return self.model.template_at(self.ui.templateTable.currentIndex().row())

    # -- the editor

    def _on_row(self, current, previous) -> None:
        if self._loading:
            return
        template = self.model.template_at(current.row())
        if template is None or (self._current is not None and template.id == self._current.id):
            return
        if not self._leave_current():
            self._loading = True  # stay on the template with problems
            self.ui.templateTable.selectionModel().setCurrentIndex(
                previous, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )
            self._loading = False
            return
        self._load(template)

    def _leave_current(self) -> bool:
        """Before showing another template: save valid edits, refuse to drop invalid ones."""
        if not self._is_dirty():
            return True
        if self._problems():
            self._status(
                QCoreApplication.translate(
                    "TemplateLibrary", "Fix the problems shown, or Revert, before leaving this template."
                ),
                error=True,
            )
            return False
        self.save(follow=False)
        return True

    def _load(self, template: Template | None, *, lang: str = "") -> None:
        """Show ``template`` in the editor (None: a new, empty one)."""
        ui = self.ui
        self._loading = True
        self._current = template
        source = template or Template("", "", (Variant("", lang),))
        ui.shortcodeEdit.setText(source.shortcode)
        ui.titleEdit.setText(source.title)
        ui.categoryCombo.setEditText(source.category)
        ui.tagsEdit.setText(", ".join(source.tags))
        self._variants = list(source.variants)
        ui.variantList.clear()
        for variant in self._variants:
            ui.variantList.addItem(QListWidgetItem(self._variant_label(variant)))
        self._loading = False
        ui.variantList.setCurrentRow(0)
        self._baseline = self._candidate()
        ui.favouriteButton.setChecked(bool(template and template.favourite))
        self._show_stats()
        self._refresh_checks()

    def _variant_label(self, variant: Variant) -> str:
        lang = variant.lang or QCoreApplication.translate("TemplateLibrary", "any language")
        platform = variant.platform.label if variant.platform else QCoreApplication.translate("TemplateLibrary", "any")
        return f"{lang} · {platform}"

    def _show_variant(self, row: int) -> None:
        if row < 0 or row >= len(self._variants):
            return
        ui = self.ui
        variant = self._variants[row]
        was_loading, self._loading = self._loading, True
        ui.langCombo.setEditText(variant.lang)
        ui.platformCombo.setCurrentIndex(max(0, ui.platformCombo.findData(variant.platform)))
        ui.variantTitleEdit.setText(variant.title)
        ui.bodyEdit.setPlainText(variant.body)
        self._loading = was_loading
        self._refresh_checks()

    def _on_variant_edit(self, *_args) -> None:
        row = self.ui.variantList.currentRow()
        if self._loading or row < 0 or row >= len(self._variants):
            return
        ui = self.ui
        self._variants[row] = Variant(
            normalize_newlines(ui.bodyEdit.toPlainText()),
            normalize_lang(ui.langCombo.currentText()),
            ui.platformCombo.currentData(),
            ui.variantTitleEdit.text().strip(),
        )
        ui.variantList.item(row).setText(self._variant_label(self._variants[row]))
        self._refresh_checks()

    def _on_edit(self, *_args) -> None:
        if not self._loading:
            self._refresh_checks()

    def add_variant(self) -> None:
        taken = {v.lang for v in self._variants}
        lang = next((code for code in LANGUAGES if code not in taken), "")
        self._variants.append(Variant("", lang))
        self.ui.variantList.addItem(self._variant_label(self._variants[-1]))
        self.ui.variantList.setCurrentRow(len(self._variants) - 1)
        self.ui.bodyEdit.setFocus()

    def remove_variant(self) -> None:
        row = self.ui.variantList.currentRow()
        if len(self._variants) <= 1 or row < 0:
            return
        del self._variants[row]
        self.ui.variantList.takeItem(row)
        self.ui.variantList.setCurrentRow(min(row, len(self._variants) - 1))
        self._refresh_checks()

    def _insert_variable(self, index: int) -> None:
        name = self.ui.variableCombo.itemData(index)
        self.ui.variableCombo.setCurrentIndex(0)
        if name:
            self.ui.bodyEdit.insertPlainText(f"{{{name}}}")
            self.ui.bodyEdit.setFocus()

    def _candidate(self) -> Template:
        ui = self.ui
        category = "/".join(part.strip() for part in ui.categoryCombo.currentText().strip().split("/"))
        return Template(
            shortcode=normalize_shortcode(ui.shortcodeEdit.text()),
            title=ui.titleEdit.text().strip(),
            variants=tuple(self._variants),
            category=category if category.strip("/") else "",
            tags=normalize_tags(ui.tagsEdit.text().split(",")),
            favourite=bool(self._current and self._current.favourite),
            id=self._current.id if self._current else None,
        )

    def _is_dirty(self) -> bool:
        return self._baseline is not None and self._candidate() != self._baseline

    def _problems(self) -> list[str]:
        candidate = self._candidate()
        lines = []
        for problem in self.library.problems(candidate, self._templates):
            where = ""
            if problem.variant is not None and problem.variant < len(candidate.variants):
                where = QCoreApplication.translate("TemplateLibrary", "Text {0} ({1}): ").format(
                    problem.variant + 1, self._variant_label(candidate.variants[problem.variant])
                )
            lines.append(where + problem.message)
        return lines

    def _refresh_checks(self) -> None:
        """Problems, preview and length of the text being edited; Save follows them."""
        if self._loading:
            return
        ui = self.ui
        problems = self._problems()
        shown = problems[:6] + ([f"… (+{len(problems) - 6})"] if len(problems) > 6 else [])
        ui.problemsLabel.setText("\n".join(f"• {line}" for line in shown))
        ui.problemsLabel.setVisible(bool(problems))
        dirty = self._is_dirty() or self._current is None
        ui.saveButton.setEnabled(dirty and not problems)
        ui.revertButton.setEnabled(self._is_dirty())
        ui.removeVariantButton.setEnabled(len(self._variants) > 1)
        self._show_preview()

    def _show_preview(self) -> None:
        ui = self.ui
        row = ui.variantList.currentRow()
        if row < 0 or row >= len(self._variants):
            return
        variant = self._variants[row]
        item = self.main_window.detail.item
        account = self.main_window._accounts.get(item.account_id) if item is not None else None
        context = self.library.context(item, account)
        rendered = context.render(variant.body, variant.lang)
        if item is not None:
            heading = QCoreApplication.translate("TemplateLibrary", "Preview for the selected item ({0}):").format(
                item.author.display_name or item.author.handle
            )
        else:
            heading = QCoreApplication.translate("TemplateLibrary", "Preview:")
        notes = []
        if markup_hint(variant.body):
            notes.append(
                QCoreApplication.translate(
                    "TemplateLibrary", "Note: HTML and markdown are sent as plain text, exactly as typed."
                )
            )
        ui.previewLabel.setText("\n".join([heading, rendered.preview, *notes]) if variant.body.strip() else "")
        platform = variant.platform or (account.platform if account is not None else None)
        if platform is None:
            ui.lengthLabel.setText("")
            return
        limit = limit_for(platform, account.settings) if account is not None and account.platform == platform else None
        report = measure(rendered.text if rendered.ok else rendered.preview, platform, limit)
        ui.lengthLabel.setText(f"{platform.label}: {report.shown.count} / {report.shown.limit}")
        ui.lengthLabel.setStyleSheet("color: #cf222e;" if report.over else "color: #57606a;")

    def _show_stats(self) -> None:
        template = self._current
        stats = self.library.usage().get(template.id, UsageStats()) if template and template.id else UsageStats()
        if template is None:
            self.ui.statsLabel.setText(QCoreApplication.translate("TemplateLibrary", "New template"))
            return
        text = QCoreApplication.translate("TemplateLibrary", "Used {0} times").format(stats.times_used)
        if stats.last_used:
            text += QCoreApplication.translate("TemplateLibrary", " · last {0}").format(
                relative_time(to_millis(stats.last_used))
            )
        if stats.average_reply_time is not None:
            text += QCoreApplication.translate("TemplateLibrary", " · average reply time {0}").format(
                _duration(stats.average_reply_time)
            )
        self.ui.statsLabel.setText(text)

    def _update_buttons(self) -> None:
        ui = self.ui
        stored = self._current is not None and self.selected() is not None
        searching = bool(ui.searchEdit.text().strip())
        for button in (ui.duplicateButton, ui.deleteButton, ui.favouriteButton):
            button.setEnabled(stored)
        ui.upButton.setEnabled(stored and not searching)  # the order is the whole library's
        ui.downButton.setEnabled(stored and not searching)
        ui.undoButton.setEnabled(bool(self._undo))
        ui.undoButton.setToolTip(
            QCoreApplication.translate("TemplateLibrary", "Undo: {0} (Ctrl+Z)").format(self._undo[-1][0])
            if self._undo
            else ""
        )

    # -- operations

    def _run(
        self,
        fn: Callable[[], TemplateChanges | tuple],
        message: str,
        undo: Callable[[object], Callable[[], TemplateChanges]] | None = None,
        *,
        follow: bool = True,
    ) -> None:
        """Run ``fn`` on the DB thread; ``undo(result)`` builds the operation that reverts it.

        ``follow``: show the template the operation names (not when saving on the way out).
        """

        def done(result) -> None:
            changes = result[0] if isinstance(result, tuple) else result
            if undo is not None:
                self._undo.append((message, undo(result)))
            self._status(message + (QCoreApplication.translate("TemplateLibrary", " — Undo: Ctrl+Z") if undo else ""))
            self._after(changes, follow)

        self.main_window.tasks.run(fn, done, lambda exc: self._status(str(exc), error=True))

    def _after(self, changes: TemplateChanges, follow: bool = True) -> None:
        follow = follow and changes.current is not None
        self.reload(changes.current if follow else None)
        if follow:
            self._load(self.library.template(changes.current))
        elif self._current is not None and self._current.id in changes.templates and not self._is_dirty():
            self._load(self.library.template(self._current.id))  # e.g. its favourite star changed
        self.changed.emit(changes)

    def save(self, *, follow: bool = True) -> None:
        candidate = self._candidate()
        if self._problems() or not (self._is_dirty() or self._current is None):
            return
        library = self.library
        self.ui.saveButton.setEnabled(False)  # once: the result reloads the editor
        if candidate.id is None:
            message = QCoreApplication.translate("TemplateLibrary", "Created /{0}").format(candidate.shortcode)
            self._run(
                lambda: library.create(candidate),
                message,
                lambda ch: lambda: library.delete(ch.current)[0],
                follow=follow,
            )
        else:
            previous = next((t for t in self._templates if t.id == candidate.id), None)
            message = QCoreApplication.translate("TemplateLibrary", "Saved /{0}").format(candidate.shortcode)
            self._run(
                lambda: library.update(candidate),
                message,
                (lambda _ch: lambda: library.restore_version(previous)) if previous else None,
                follow=follow,
            )

    def revert(self) -> None:
        self._load(self._current)

    def new_template(self) -> None:
        if not self._leave_current():
            return
        self._loading = True
        self.ui.templateTable.clearSelection()
        self.ui.templateTable.setCurrentIndex(QModelIndex())
        self._loading = False
        ui_lang = QLocale().name()[:2]
        self._load(None, lang=ui_lang if ui_lang in LANGUAGES else "")
        self._update_buttons()
        self.ui.shortcodeEdit.setFocus()

    def duplicate(self) -> None:
        template = self.selected()
        if template is None or not self._leave_current():
            return
        library = self.library
        title = QCoreApplication.translate("TemplateLibrary", "{0} (copy)").format(template.title)
        message = QCoreApplication.translate("TemplateLibrary", "Duplicated /{0}").format(template.shortcode)
        self._run(
            lambda: library.duplicate(template.id, title), message, lambda ch: lambda: library.delete(ch.current)[0]
        )

    def delete(self) -> None:
        template = self.selected()
        if template is None:
            return
        library = self.library
        self._baseline = None  # its unsaved edits go with it; Undo brings back the stored version
        message = QCoreApplication.translate("TemplateLibrary", "Deleted /{0}").format(template.shortcode)
        self._run(lambda: library.delete(template.id), message, lambda result: lambda: library.restore(result[1]))

    def move(self, step: int) -> None:
        template = self.selected()
        if template is None or self.ui.searchEdit.text().strip():
            return
        index = next(i for i, t in enumerate(self._templates) if t.id == template.id)
        target = index + step
        if not 0 <= target < len(self._templates):
            return
        library = self.library
        message = QCoreApplication.translate("TemplateLibrary", "Moved /{0}").format(template.shortcode)
        self._run(
            lambda: library.move(template.id, target),
            message,
            lambda result: lambda: library.move(template.id, result[1])[0],
        )

    def toggle_favourite(self) -> None:
        template = self.selected()
        if template is None:
            return
        library, on = self.library, not template.favourite
        if on:
            message = QCoreApplication.translate("TemplateLibrary", "/{0} is a favourite").format(template.shortcode)
        else:
            message = QCoreApplication.translate("TemplateLibrary", "/{0} is no longer a favourite").format(
                template.shortcode
            )
        self._run(
            lambda: library.set_favourite(template.id, on),
            message,
            lambda _ch: lambda: library.set_favourite(template.id, not on),
        )

    def undo(self) -> None:
        if not self._undo:
            return
        message, fn = self._undo.pop()
        self._baseline = None

        def done(changes: TemplateChanges) -> None:
            self._status(QCoreApplication.translate("TemplateLibrary", "Undone: {0}").format(message))
            self._after(changes)

        self.main_window.tasks.run(fn, done, lambda exc: self._status(str(exc), error=True))

    # -- guidelines and custom fields

    def _show_charte(self, name: str) -> None:
        if self._charte_name and self.ui.charteEdit.toPlainText().strip() != self._categories.get(
            self._charte_name, ""
        ):
            self.save_charte(self._charte_name)  # switching category keeps what was typed
        self._charte_name = name
        self.ui.charteEdit.setPlainText(self._categories.get(name, ""))
        self.ui.saveCharteButton.setEnabled(bool(name))

    def save_charte(self, name: str = "") -> None:
        name = name or self._charte_name
        if not name:
            return
        text, library = self.ui.charteEdit.toPlainText(), self.library
        self._categories[name] = text.strip()  # what the list shows until the reload
        message = QCoreApplication.translate("TemplateLibrary", "Guidelines saved for {0}").format(name)
        self._run(lambda: library.set_charte(name, text), message)

    def _fill_fields_table(self, fields: tuple[CustomField, ...]) -> None:
        self._shown_fields = fields
        table = self.ui.fieldsTable
        table.setRowCount(0)
        for f in fields:
            self._add_field_row(f)

    def _add_field_row(self, field: CustomField | None = None) -> None:
        table = self.ui.fieldsTable
        row = table.rowCount()
        table.insertRow(row)
        for column, text in enumerate((field.name, field.label, field.value) if field else ("", "", "")):
            table.setItem(row, column, QTableWidgetItem(text))
        if field is None:
            table.setCurrentCell(row, 0)
            table.editItem(table.item(row, 0))

    def save_fields(self) -> None:
        table = self.ui.fieldsTable

        def cell(row: int, column: int) -> str:
            item = table.item(row, column)
            return item.text() if item is not None else ""

        fields = [
            CustomField(cell(r, 0).strip(), cell(r, 2), cell(r, 1))
            for r in range(table.rowCount())
            if cell(r, 0).strip() or cell(r, 2).strip()
        ]
        library = self.library
        self._run(lambda: library.set_fields(fields), QCoreApplication.translate("TemplateLibrary", "Fields saved"))

    # -- import and export

    def choose_import(self, replace: bool) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            QCoreApplication.translate("TemplateLibrary", "Import templates"),
            "",
            QCoreApplication.translate("TemplateLibrary", "Template files (*.json *.csv *.tsv *.txt);;All files (*)"),
        )
        if path:
            self.import_file(Path(path), replace=replace)

    def import_file(self, path: Path, *, replace: bool = False) -> None:
        """Check and apply a file in one transaction; its problems are listed, nothing half-done."""
        library = self.library

        def op():
            return library.import_file(path.read_bytes(), path.name, replace=replace)

        def done(outcome) -> None:
            result = outcome.result
            if not outcome.ok:
                self._show_import_errors(path, [str(e) for e in result.errors])
                return
            text = QCoreApplication.translate(
                "TemplateLibrary", "Imported {0} templates ({1} new, {2} replaced) from {3}."
            ).format(len(result.pack.templates), len(outcome.applied.created), len(outcome.applied.replaced), path.name)
            if result.warnings:
                text += "\n" + "\n".join(str(w) for w in result.warnings[:5])
            self._status(text)
            self._after(outcome.changes)

        self._status(QCoreApplication.translate("TemplateLibrary", "Importing {0}…").format(path.name))
        self.main_window.tasks.run(op, done, lambda exc: self._show_import_errors(path, [str(exc)]))

    def _show_import_errors(self, path: Path, errors: list[str]) -> None:
        summary = QCoreApplication.translate("TemplateLibrary", "{0} was not imported; nothing was changed.").format(
            path.name
        )
        self._status(summary + "\n" + "\n".join(errors[:3]), error=True)
        box = QMessageBox(QMessageBox.Icon.Warning, self.windowTitle(), summary, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(errors[0] if errors else "")
        box.setDetailedText("\n".join(errors))
        box.open()
        self.import_errors = box  # kept alive while open, and for tests

    def choose_export(self) -> None:
        json_filter = QCoreApplication.translate("TemplateLibrary", "JSON (*.json)")
        csv_filter = QCoreApplication.translate("TemplateLibrary", "CSV for spreadsheets (*.csv)")
        path, chosen = QFileDialog.getSaveFileName(
            self,
            QCoreApplication.translate("TemplateLibrary", "Export templates"),
            "templates.json",
            f"{json_filter};;{csv_filter}",
        )
        if path:
            self.export_to(Path(path), "csv" if chosen == csv_filter or path.lower().endswith(".csv") else "json")

    def export_to(self, path: Path, format: str) -> None:
        library = self.library

        def op() -> int:
            data = library.export(format)
            partial = path.with_name(path.name + ".partial")
            partial.write_bytes(data)
            partial.replace(path)  # never a half-written file under the real name
            return len(library.templates())

        def done(count: int) -> None:
            self._status(
                QCoreApplication.translate("TemplateLibrary", "Exported {0} templates to {1}.").format(count, path)
            )

        self.main_window.tasks.run(op, done, lambda exc: self._status(str(exc), error=True))

    # -- small things

    def _status(self, text: str, *, error: bool = False) -> None:
        self.ui.statusLabel.setText(text)
        self.ui.statusLabel.setStyleSheet("color: #cf222e;" if error else "color: #57606a;")

    def _focus_search(self) -> None:
        self.ui.searchEdit.setFocus()
        self.ui.searchEdit.selectAll()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not getattr(self, "_sized", False):  # the table gets the room it needs once, then the user decides
            self._sized = True
            total = sum(self.ui.splitter.sizes())
            self.ui.splitter.setSizes([int(total * 0.56), total - int(total * 0.56)])

    def closeEvent(self, event) -> None:
        if self._is_dirty() and not self._problems():
            self.save()  # closing keeps valid edits, as leaving a template does
        super().closeEvent(event)
