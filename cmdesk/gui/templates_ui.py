"""The template library's place in the main window: a menu entry, and the composer's "/" picker.

``install(window)`` (called by ``extensions``) adds *Item → Templates…* (Ctrl+Shift+T) and
*Insert a template* (Ctrl+/), installs the starter pack into an empty library (and gives the
demo its brand), and attaches ``ComposerTemplates`` to the composer:

* "/" at the start of the draft or after a space opens the picker; the text typed after it
  is the search; ↑/↓ choose, Enter or Tab inserts the rendered template, Esc closes;
* the variant in the item's language and for its platform is chosen first; the picker
  previews it and shows its length as the platform counts it;
* a ``{variable}`` left in the draft blocks sending: a known one without a value opens the
  fill-in form, an unknown one is an error; the category's charte is shown beside the draft;
* when the reply is sent, one use per template that went into it is recorded.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QTextCursor

from cmdesk.core.templates import PickerIndex, Reply, Template, charte_for, limit_for, prepare_reply
from cmdesk.gui.template_picker import FillInForm, TemplatePicker, variable_label
from cmdesk.services.templates import TemplateChanges, TemplateLibrary, draft_holes, fill_holes

log = logging.getLogger("cmdesk.gui")

PICKER_LIMIT = 30
MAX_QUERY_CHARS = 60
_NAVIGATION = {
    Qt.Key.Key_Up: -1,
    Qt.Key.Key_Down: 1,
    Qt.Key.Key_PageUp: -8,
    Qt.Key.Key_PageDown: 8,
}
_PICK_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)


def install(window) -> None:
    window.templates_feature = TemplatesFeature(window)


class TemplatesFeature(QObject):
    """Owns the library service, the composer hook and the (lazily built) library window."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.library = TemplateLibrary(window.store, window.workspace.settings)
        self.composer_hook = ComposerTemplates(window, self.library)
        self.library_window = None
        self.act_library = window.add_action(
            QCoreApplication.translate("Templates", "Templates…"), self.open_library, "Ctrl+Shift+T", window.ui.menuItem
        )
        self.act_insert = window.add_action(
            QCoreApplication.translate("Templates", "Insert a template"),
            self.composer_hook.start_picker,
            "Ctrl+/",
            window.ui.menuItem,
        )
        window.tasks.run(self._first_use, self._after_first_use)

    def _first_use(self) -> tuple[bool, LibraryView]:
        """On the task thread: the starter pack, then the library as the composer needs it (read
        and indexed here: on the UI thread it stalled a syncing window for tens of ms)."""
        if self.window.demo:
            from cmdesk.services.demo import load_corpus

            self.library.prepare_demo(load_corpus()["brand"])
        installed = self.library.install_starter()
        return installed, LibraryView.read(self.library)

    def _after_first_use(self, result: tuple[bool, LibraryView]) -> None:
        installed, view = result
        self.composer_hook.apply(view)
        if installed:
            count = len(self.composer_hook.templates)
            self.window.statusBar().showMessage(
                QCoreApplication.translate(
                    "Templates", "{0} starter templates were added to your library (Item → Templates…)."
                ).format(count),
                8000,
            )

    def open_library(self) -> None:
        if self.library_window is None:
            from cmdesk.gui.template_library import TemplateLibraryWindow

            self.library_window = TemplateLibraryWindow(self.window, self.library)
            self.library_window.changed.connect(self.composer_hook.reload)
        if self.library_window.isVisible():  # already open behind the main window: bring it forward
            self.library_window.raise_()
            self.library_window.activateWindow()
        self.library_window.show()


@dataclass(frozen=True)
class LibraryView:
    """What the composer keeps of the library: its templates, their picker index, categories
    and known variables. Plain data, so it can be read off the UI thread."""

    templates: list[Template]
    index: PickerIndex
    categories: tuple
    known: frozenset[str]

    @classmethod
    def read(cls, library: TemplateLibrary) -> LibraryView:
        templates = library.templates()
        usage = library.usage()
        index = PickerIndex(templates, {tid: u.times_used for tid, u in usage.items()})
        return cls(templates, index, tuple(library.categories()), library.known_variables())


class ComposerTemplates(QObject):
    """The composer's side of the library: picker, insertion, fill-in form, charte, usage."""

    def __init__(self, window, library: TemplateLibrary):
        super().__init__(window)
        self.window = window
        self.library = library
        self.composer = window.composer
        self.editor = window.composer.editor
        self.templates: list[Template] = []
        self._index = PickerIndex(())
        self._categories = ()
        self._known: frozenset[str] = frozenset()
        self._anchor: int | None = None  # offset of the "/" that opened the picker
        self._used: set[int] = set()  # templates inserted into the current draft
        self._sending: dict[tuple[int, str], set[int]] = {}
        self.picker = TemplatePicker(window, self._preview)
        self.form = FillInForm()
        self.composer.add_panel(self.form)
        self.composer.enable_templates(self.start_picker)
        self.editor.installEventFilter(self)
        self.composer.text_changed.connect(self._on_text)
        self.editor.cursorPositionChanged.connect(self._follow_cursor)
        self.composer.target_changed.connect(self._on_target)
        self.composer.send_requested.connect(self._on_send)
        self.composer.reply_sent.connect(self._on_sent)
        self.form.filled.connect(self.fill)
        self.picker.activated.connect(self.pick)

    # -- library state

    def reload(self, _changes: TemplateChanges | None = None) -> None:
        """Re-read the library (after a change in the library window, an import, a use)."""
        self.apply(LibraryView.read(self.library))

    def apply(self, view: LibraryView) -> None:
        """Use ``view`` (read on any thread) from now on."""
        self.templates = view.templates
        self._index = view.index
        self._categories = view.categories
        self._known = view.known
        self._check_draft()
        if self.picker.isVisible():
            self._refresh_picker()

    def context(self):
        return self.library.context(self.composer.item, self.composer.account)

    def _lang(self) -> str:
        item = self.composer.item
        return item.lang if item is not None else ""

    def prepare(self, template: Template) -> Reply:
        """The template as it would answer the current item: its variant, values and length."""
        account = self.composer.account
        platform = account.platform if account is not None else None
        limit = limit_for(account.platform, account.settings) if account is not None else None
        return prepare_reply(template, self.context(), self._lang(), platform, limit)

    # -- keyboard

    def eventFilter(self, watched, event) -> bool:
        if watched is not self.editor:
            return False
        kind = event.type()
        if kind == QEvent.Type.FocusOut and event.reason() != Qt.FocusReason.PopupFocusReason:
            self.close_picker()
        elif kind == QEvent.Type.ShortcutOverride and self.is_open() and self._picker_key(event):
            event.accept()  # Enter/Esc/arrows go to the picker, not to a window shortcut
            return True
        elif kind == QEvent.Type.KeyPress:
            return self._key_press(event)
        return False

    @staticmethod
    def _picker_key(event) -> bool:
        key = event.key()
        return key in _NAVIGATION or key in _PICK_KEYS or key == Qt.Key.Key_Escape

    def _key_press(self, event) -> bool:
        if self.is_open():
            key = event.key()
            if key in _NAVIGATION:
                self.picker.move(_NAVIGATION[key])
                return True
            if key in _PICK_KEYS:
                self.pick()
                return True
            if key == Qt.Key.Key_Escape:
                self.close_picker()
                return True
            return False
        if event.text() == "/" and self._slash_opens():
            cursor = self.editor.textCursor()
            cursor.insertText("/")
            self.open_picker(cursor.position() - 1)
            return True
        return False

    def _slash_opens(self) -> bool:
        cursor = self.editor.textCursor()
        if cursor.hasSelection():
            return False
        position = cursor.position()
        return position == 0 or self.composer.text()[position - 1].isspace()

    # -- the picker

    def is_open(self) -> bool:
        return self._anchor is not None

    def start_picker(self) -> None:
        """The "Templates…" button and Ctrl+/: type a "/" where the cursor is and open the picker."""
        if not self.editor.isEnabled():
            self.window.statusBar().showMessage(
                QCoreApplication.translate("Templates", "Select an item you can answer to insert a template."), 5000
            )
            return
        self.editor.setFocus()
        cursor = self.editor.textCursor()
        cursor.clearSelection()
        before = self.composer.text()[: cursor.position()]
        cursor.insertText("/" if not before or before[-1].isspace() else " /")
        self.editor.setTextCursor(cursor)
        self.open_picker(cursor.position() - 1)

    def open_picker(self, anchor: int) -> None:
        self._anchor = anchor
        self._refresh_picker()

    def close_picker(self) -> None:
        self._anchor = None
        self.picker.hide()

    def _query(self) -> str | None:
        """The search typed after the "/", or None when the picker should close."""
        text = self.composer.text()
        position = self.editor.textCursor().position()
        anchor = self._anchor
        if anchor is None or anchor >= len(text) or text[anchor] != "/" or position <= anchor:
            return None
        query = text[anchor + 1 : position]
        if "\n" in query or query[:1].isspace() or len(query) > MAX_QUERY_CHARS:
            return None
        return query

    def _refresh_picker(self) -> None:
        query = self._query()
        if query is None:
            self.close_picker()
            return
        found = [m.template for m in self._index.search(query, PICKER_LIMIT)]
        if not found and query[-1:].isspace():
            self.close_picker()  # "10 / 20": a slash in a sentence, not a template search
            return
        self.picker.show_matches(found, query, self._lang())
        if not self.picker.isVisible():
            self.picker.place_over(self.editor)

    def _follow_cursor(self) -> None:
        if self.is_open() and self._query() is None:
            self.close_picker()

    def _preview(self, template: Template) -> tuple[str, str, bool]:
        reply = self.prepare(template)
        variant = reply.choice.variant
        lang = variant.lang or QCoreApplication.translate("Templates", "any language")
        platform = (
            variant.platform.label if variant.platform else QCoreApplication.translate("Templates", "any platform")
        )
        parts = [f"{lang} · {platform}"]
        if self._lang() and not reply.choice.lang_matched:
            parts.append(QCoreApplication.translate("Templates", "no version in “{0}”").format(self._lang()))
        if reply.length is not None:
            shown = reply.length.shown
            parts.append(f"{shown.count} / {shown.limit}")
        rendered = reply.rendered
        problem = ""
        if rendered.errors:
            problem = QCoreApplication.translate("Templates", "Cannot be used as is: {0}").format(rendered.errors[0])
        elif rendered.missing:
            parts.append(
                QCoreApplication.translate("Templates", "asks for {0}").format(
                    ", ".join(f"{{{name}}}" for name in rendered.missing)
                )
            )
        elif reply.length is not None and reply.length.over:
            problem = QCoreApplication.translate("Templates", "Too long for {0}.").format(reply.length.platform.label)
        info = " · ".join(parts) + (f"\n{problem}" if problem else "")
        return reply.text if rendered.ok else rendered.preview, info, bool(problem)

    def pick(self) -> None:
        """Replace "/query" with the chosen template, rendered for the current item."""
        template = self.picker.current()
        query = self._query()
        if template is None or query is None:
            self.close_picker()
            return
        reply = self.prepare(template)
        if reply.rendered.syntax_errors:
            self.picker.show_problem(
                QCoreApplication.translate(
                    "Templates", "/{0} has an error and cannot be inserted: {1}. Fix it in Templates…"
                ).format(template.shortcode, reply.rendered.syntax_errors[0])
            )
            return
        text = reply.text if reply.rendered.ok else reply.rendered.preview
        cursor = self.editor.textCursor()
        end = cursor.position()
        cursor.setPosition(self._anchor)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.close_picker()
        if template.id is not None:
            self._used.add(template.id)
        cursor.insertText(text)
        self.editor.setTextCursor(cursor)
        self.composer.set_guideline(charte_for(template.category, self._categories))
        if self._lang() and not reply.choice.lang_matched:
            self.window.statusBar().showMessage(
                QCoreApplication.translate("Templates", "/{0} has no version in “{1}”: its {2} text was used.").format(
                    template.shortcode, self._lang(), reply.choice.variant.lang or "?"
                ),
                6000,
            )
        if self.form.isVisible():
            self.form.focus_first_empty()

    # -- variables left in the draft

    def _on_text(self) -> None:
        if self.is_open():
            self._refresh_picker()
        if not self.composer.text().strip():
            self._used.clear()
            self.composer.set_guideline("")
        self._check_draft()

    def _check_draft(self) -> None:
        holes = draft_holes(self.composer.text())
        unknown = list(dict.fromkeys(h.name for h in holes if h.name not in self._known))
        missing = list(dict.fromkeys(h.name for h in holes if h.name in self._known))
        if unknown:
            problem = QCoreApplication.translate(
                "Templates",
                "Unknown variable {0}: a reply is never sent with a raw {{…}} in it. Remove it, or declare"
                " it in Templates… → Custom fields.",
            ).format(", ".join(f"{{{name}}}" for name in unknown))
        elif missing:
            problem = QCoreApplication.translate("Templates", "Fill in {0} before sending.").format(
                ", ".join(f"{{{name}}}" for name in missing)
            )
        else:
            problem = ""
        self.composer.set_problem(problem)
        context = self.context() if missing else None
        defaults = {h.name: h.default for h in holes if h.default}
        self.form.set_needed(
            [
                (
                    name,
                    variable_label(name, context.label(name) if context.label(name) != name else ""),
                    context.value(name, self._lang()) or defaults.get(name, ""),
                )
                for name in missing
            ]
        )

    def fill(self, values: dict) -> None:
        """Put the fill-in form's values into the draft, as one undoable edit."""
        text = self.composer.text()
        filled = fill_holes(text, values)
        if filled != text:
            cursor = self.editor.textCursor()
            cursor.beginEditBlock()
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(filled)
            cursor.endEditBlock()
            self.editor.setTextCursor(cursor)
        if self.form.isVisible():
            self.form.focus_first_empty()
        else:
            self.editor.setFocus()

    # -- item changes and usage

    def _on_target(self) -> None:
        self.close_picker()
        self._used.clear()
        self._check_draft()

    def _on_send(self, item_id: int, text: str) -> None:
        if self._used:
            self._sending[(item_id, text)] = set(self._used)

    def _on_sent(self, item_id: int, text: str) -> None:
        used = self._sending.pop((item_id, text), None)
        if not used:
            return
        library = self.library
        self.window.tasks.run(lambda: library.record_use(used, item_id), lambda _n: self.reload())
