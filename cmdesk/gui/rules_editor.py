"""The rules editor: the rules file in a text editor, checked as you type, tried on history before saving.

The rules are edited as the same readable YAML file that ``cmdesk rules export`` writes, so
what a moderator sees here is what a versioned file holds. Errors are shown with their line
and the line is marked. "Preview on history" runs the selected rule (or all of them) over the
stored history on a worker thread, with progress and cancel, and shows matches per week and
samples with the matched terms marked. Saving asks before enabling automatic delete or ban.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from PySide6.QtCore import QCoreApplication, QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QListWidgetItem,
    QMessageBox,
    QTextEdit,
    QWidget,
)

from cmdesk.core.moderation import Rule
from cmdesk.core.moderation.rulefile import dump, load
from cmdesk.core.moderation.starter import starter_rules_text
from cmdesk.core.text import display_author
from cmdesk.gui.forms.rules_editor_ui import Ui_RulesEditor
from cmdesk.services.rule_preview import Cancelled, PreviewResult, preview

DESTRUCTIVE = ("delete", "ban")


class WeeklyChart(QWidget):
    """Matches per week as bars (the last 26 weeks with data)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._weeks: list[tuple[str, int]] = []
        self.setMinimumHeight(110)

    def set_counts(self, counts: dict[str, int]) -> None:
        self._weeks = sorted(counts.items())[-26:]
        self.setToolTip("\n".join(f"{week}: {n}" for week, n in self._weeks))
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.rect().adjusted(4, 4, -4, -18)
        if not self._weeks:
            painter.setPen(QColor("#8c959f"))
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, QCoreApplication.translate("RulesEditor", "No matches yet")
            )
            return
        top = max(n for _, n in self._weeks)
        width = rect.width() / len(self._weeks)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#1f6feb"))
        for index, (_week, n) in enumerate(self._weeks):
            height = rect.height() * n / top
            painter.drawRoundedRect(
                QRectF(rect.left() + index * width + 1, rect.bottom() - height, max(2.0, width - 2), height), 2, 2
            )
        painter.setPen(QColor("#57606a"))
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 2))
        painter.setFont(small)
        painter.drawText(
            QRectF(rect.left(), rect.bottom() + 2, rect.width() / 2, 14), Qt.AlignmentFlag.AlignLeft, self._weeks[0][0]
        )
        painter.drawText(
            QRectF(rect.center().x(), rect.bottom() + 2, rect.width() / 2, 14),
            Qt.AlignmentFlag.AlignRight,
            self._weeks[-1][0],
        )


class PreviewJob(QObject):
    """Runs ``preview`` on a worker thread. Signals: progress(int, int), finished(object), failed(str)."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, store, rules: list[Rule], accounts: dict):
        super().__init__()
        self.store, self.rules, self.accounts = store, rules, accounts
        self.cancel_event = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._run, name="cmdesk-rule-preview", daemon=True).start()

    def _run(self) -> None:
        try:
            result = preview(
                self.store, self.rules, self.accounts, progress=self.progress.emit, cancelled=self.cancel_event.is_set
            )
        except Cancelled:
            self.finished.emit(None)
        except Exception as exc:  # a bad regex past validation, a damaged database…: shown, nothing lost
            self.failed.emit(str(exc))
        else:
            self.finished.emit(result)


class RulesEditor(QDialog):
    def __init__(self, window):
        super().__init__(window)
        self.ui = Ui_RulesEditor()
        self.ui.setupUi(self)
        self.window_ = window
        self.store = window.store
        self.moderation = window.services.moderation
        self._rules: list[Rule] = []
        self._errors = []
        self._job: PreviewJob | None = None
        self.chart = WeeklyChart(self)
        self.ui.chartLayout.addWidget(self.chart)
        self.ui.splitter.setSizes([260, 480, 420])
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.ui.editor.setFont(mono)
        self.ui.problemsLabel.setStyleSheet("color: #cf222e;")
        self.ui.progress.setVisible(False)
        self.ui.cancelButton.setVisible(False)
        self._check_timer = QTimer(self, singleShot=True, interval=300)
        self._check_timer.timeout.connect(self.check)
        self.ui.editor.textChanged.connect(self._check_timer.start)
        self.ui.ruleList.currentRowChanged.connect(self._jump_to_rule)
        self.ui.ruleList.itemChanged.connect(self._toggled)
        self.ui.previewButton.clicked.connect(self.start_preview)
        self.ui.cancelButton.clicked.connect(self.cancel_preview)
        self.ui.importButton.clicked.connect(self.import_file)
        self.ui.exportButton.clicked.connect(self.export_file)
        self.ui.starterButton.clicked.connect(lambda: self.ui.editor.setPlainText(starter_rules_text()))
        self.ui.retrainButton.clicked.connect(self.retrain)
        self.ui.buttons.accepted.connect(self.save)
        self.ui.buttons.rejected.connect(self.reject)
        self.ui.editor.setPlainText(dump(self.moderation.rules()))
        self.check()
        self._show_model(self.moderation.model_report())

    # -- checking as you type

    def check(self) -> bool:
        result = load(self.ui.editor.toPlainText())
        self._errors = result.errors
        if not result.errors:
            self._rules = result.rules
        self.ui.problemsLabel.setText("\n".join(str(e) for e in result.errors[:12]))
        self._mark_error_lines()
        self._fill_list()
        save = self.ui.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(not result.errors)
        save.setToolTip(QCoreApplication.translate("RulesEditor", "Fix the errors first.") if result.errors else "")
        self.ui.previewButton.setEnabled(not result.errors and self._job is None)
        return not result.errors

    def _mark_error_lines(self) -> None:
        selections = []
        document = self.ui.editor.document()
        for error in self._errors:
            line = getattr(error, "line", 0)
            if not line:
                continue
            block = document.findBlockByNumber(line - 1)
            if not block.isValid():
                continue
            selection = QTextEdit.ExtraSelection()
            selection.cursor = QTextCursor(block)
            selection.format.setBackground(QColor("#ffebe9"))
            selection.format.setProperty(QTextCharFormat.Property.FullWidthSelection, True)
            selections.append(selection)
        self.ui.editor.setExtraSelections(selections)

    def _fill_list(self) -> None:
        current = self.ui.ruleList.currentRow()
        self.ui.ruleList.blockSignals(True)
        self.ui.ruleList.clear()
        for rule in self._rules:
            entry = QListWidgetItem(f"{rule.name} — {rule.label}")
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked if rule.enabled else Qt.CheckState.Unchecked)
            entry.setToolTip(", ".join(str(a.to_dict()) for a in rule.then))
            self.ui.ruleList.addItem(entry)
        if 0 <= current < self.ui.ruleList.count():
            self.ui.ruleList.setCurrentRow(current)
        self.ui.ruleList.blockSignals(False)

    def _jump_to_rule(self, row: int) -> None:
        if not 0 <= row < len(self._rules):
            return
        name = self._rules[row].name
        document = self.ui.editor.document()
        for number in range(document.blockCount()):
            text = document.findBlockByNumber(number).text().strip()
            if text.startswith("- name:") and text.split(":", 1)[1].strip().strip("'\"") == name:
                cursor = QTextCursor(document.findBlockByNumber(number))
                self.ui.editor.setTextCursor(cursor)
                self.ui.editor.centerCursor()
                return

    def _toggled(self, entry: QListWidgetItem) -> None:
        row = self.ui.ruleList.row(entry)
        if not 0 <= row < len(self._rules) or self._errors:
            return
        enabled = entry.checkState() == Qt.CheckState.Checked
        if self._rules[row].enabled == enabled:
            return
        self._rules[row] = replace(self._rules[row], enabled=enabled)
        self.ui.editor.setPlainText(dump(self._rules))

    # -- preview on history

    def selected_rules(self) -> list[Rule]:
        row = self.ui.ruleList.currentRow()
        if 0 <= row < len(self._rules):
            return [replace(self._rules[row], enabled=True)]
        return self._rules

    def start_preview(self) -> None:
        if not self.check() or self._job is not None:
            return
        rules = self.selected_rules()
        accounts = {a.id: a for a in self.store.accounts()}
        self._job = job = PreviewJob(self.store, rules, accounts)
        job.progress.connect(self._progress)
        job.finished.connect(self._show_preview)
        job.failed.connect(self._preview_failed)
        self.ui.progress.setRange(0, max(1, self.store.item_count()))
        self.ui.progress.setValue(0)
        self.ui.progress.setVisible(True)
        self.ui.cancelButton.setVisible(True)
        self.ui.previewButton.setEnabled(False)
        names = ", ".join(r.name for r in rules)
        self.ui.previewSummary.setText(
            QCoreApplication.translate("RulesEditor", "Trying {0} on the history…").format(names)
        )
        job.start()

    def cancel_preview(self) -> None:
        if self._job is not None:
            self._job.cancel_event.set()

    def _progress(self, done: int, total: int) -> None:
        self.ui.progress.setMaximum(max(1, total))
        self.ui.progress.setValue(done)

    def _end_job(self) -> None:
        self._job = None
        self.ui.progress.setVisible(False)
        self.ui.cancelButton.setVisible(False)
        self.ui.previewButton.setEnabled(not self._errors)

    def _preview_failed(self, message: str) -> None:
        self._end_job()
        self.ui.previewSummary.setText(
            QCoreApplication.translate("RulesEditor", "The preview failed: {0}").format(message)
        )

    def _show_preview(self, result: PreviewResult | None) -> None:
        self._end_job()
        if result is None:
            self.ui.previewSummary.setText(QCoreApplication.translate("RulesEditor", "Preview cancelled."))
            return
        self.last_preview = result
        summary = QCoreApplication.translate(
            "RulesEditor", "{0} of {1} stored items would have matched ({2:.1%})."
        ).format(result.matched, result.total, result.rate)
        if result.too_broad:
            summary += "\n" + QCoreApplication.translate(
                "RulesEditor", "Warning: this matches a large part of ordinary traffic — probably too broad."
            )
        self.ui.previewSummary.setText(summary)
        self.ui.previewSummary.setStyleSheet("color: #cf222e;" if result.too_broad else "")
        self.chart.set_counts(dict(result.by_week))
        self._show_samples(result)

    def _show_samples(self, result: PreviewResult) -> None:
        """Samples as plain text, the matched terms marked with a format (no HTML is interpreted)."""
        view = self.ui.samples
        view.clear()
        cursor = view.textCursor()
        heading = QTextCharFormat()
        heading.setFontWeight(QFont.Weight.Bold)
        normal = QTextCharFormat()
        marked = QTextCharFormat()
        marked.setBackground(QColor("#fff3b0"))
        marked.setFontWeight(QFont.Weight.Bold)
        for the_item, match in result.samples:
            who = display_author(the_item.author.display_name, the_item.author.handle)
            cursor.insertText(f"{who} · {the_item.created_at:%Y-%m-%d} · {match.rule}\n", heading)
            text = the_item.text[:600]
            position = 0
            for hit in sorted(match.terms, key=lambda h: h.start):
                if hit.start < position or hit.end > len(text):
                    continue
                cursor.insertText(text[position : hit.start], normal)
                cursor.insertText(text[hit.start : hit.end], marked)
                position = hit.end
            cursor.insertText(text[position:] + "\n\n", normal)
        view.moveCursor(QTextCursor.MoveOperation.Start)

    # -- files

    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            QCoreApplication.translate("RulesEditor", "Import rules"),
            "",
            QCoreApplication.translate("RulesEditor", "Rules files (*.yaml *.yml);;All files (*)"),
        )
        if not path:
            return
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return
        self.ui.editor.setPlainText(text)  # errors, if any, show with their lines; nothing is saved yet
        self.check()

    def export_file(self) -> None:
        if not self.check():
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            QCoreApplication.translate("RulesEditor", "Export rules"),
            "cmdesk-rules.yaml",
            QCoreApplication.translate("RulesEditor", "Rules files (*.yaml *.yml)"),
        )
        if path:
            try:
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(dump(self._rules))
            except OSError as exc:
                QMessageBox.warning(self, self.windowTitle(), str(exc))

    # -- saving

    def _confirm_destructive(self, rules: list[Rule]) -> bool:
        """Automatic delete or ban that was not on before needs an explicit yes, here, every time."""

        def destructive(rule_list):
            return {(r.name, a.kind) for r in rule_list if r.enabled for a in r.then if a.kind in DESTRUCTIVE}

        new = destructive(rules) - destructive(self.moderation.rules())
        if not new:
            return True
        names = "\n".join(f"• {name}: {kind}" for name, kind in sorted(new))
        answer = QMessageBox.warning(
            self,
            QCoreApplication.translate("RulesEditor", "Automatic delete or ban"),
            QCoreApplication.translate(
                "RulesEditor",
                "These rules will delete items or ban authors on the platforms, without anyone looking first:"
                "\n{0}\n\nSwitch that on?",
            ).format(names),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def save(self) -> None:
        if not self.check():
            return
        rules = list(self._rules)
        if not self._confirm_destructive(rules):
            return
        agent = self.window_.workspace.agent

        def store_them():
            self.moderation.save_rules(rules)
            self.store.append_audit(actor=agent, action="rules", detail=f"saved {len(rules)} rules")

        self.window_.tasks.run(store_them, lambda _: self.accept(), lambda exc: self.ui.problemsLabel.setText(str(exc)))

    # -- learning

    def _show_model(self, report) -> None:
        lines = [
            QCoreApplication.translate("RulesEditor", "Decisions recorded from the moderation queue: {0}").format(
                report.labels
            )
        ]
        figures = report.metrics
        if figures:
            lines.append(
                QCoreApplication.translate(
                    "RulesEditor", "On {0} held-back decisions: precision {1:.0%}, recall {2:.0%}, F1 {3:.2f}."
                ).format(
                    figures.get("n_test", 0),
                    figures.get("precision", 0),
                    figures.get("recall", 0),
                    figures.get("f1", 0),
                )
            )
        if report.message:
            lines.append(QCoreApplication.translate("Services", report.message))
        lines.append(
            QCoreApplication.translate(
                "RulesEditor",
                "The learned score is the condition “score: learned”; the starter rules queue "
                "items it rates above 0.9.",
            )
        )
        self.ui.learningText.setText("\n\n".join(lines))

    def retrain(self) -> None:
        self.ui.retrainButton.setEnabled(False)

        def done(report) -> None:
            self.ui.retrainButton.setEnabled(True)
            self._show_model(report)

        self.window_.tasks.run(
            self.moderation.retrain,
            done,
            lambda exc: (self.ui.retrainButton.setEnabled(True), self.ui.learningText.setText(str(exc))),
        )

    def closeEvent(self, event) -> None:
        self.cancel_preview()
        super().closeEvent(event)
