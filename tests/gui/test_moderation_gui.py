"""The moderation queue and the rules editor in the window (offline demo: decisions are local)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from cmdesk.core.models import Flag, QueueState, Verdict, View
from cmdesk.gui.moderation_ui import open_rules_editor
from cmdesk.services.moderation import QueueDecision
from cmdesk.store import rules as rule_store
from tests.conftest import make_item
from tests.gui.conftest import wait_idle


def test_the_queue_shows_why_and_approve_teaches_the_model(open_demo, qtbot):
    window = open_demo()
    window.sidebar.select_view(View.MODERATION)
    assert window.model.rowCount() >= 10
    item = window.detail.item
    assert item.flag is not None and window.detail.ui.flagLabel.text().startswith("Flagged:")
    window.ui.itemList.setFocus()
    qtbot.keyClick(window.ui.itemList, Qt.Key.Key_A)
    wait_idle(qtbot, window)
    assert window.store.item(item.id).queue == QueueState.APPROVED
    assert window.model.row_of(item.id) is None  # decided: it left the queue
    assert rule_store.label_count(window.store) == 1
    assert any(e.action == "approve" for e in window.store.audit_entries(item_id=item.id))
    window.act_undo.trigger()
    wait_idle(qtbot, window)
    assert window.store.item(item.id).queue == QueueState.PENDING


def most_severe_first(rows) -> bool:
    keys = [(r.severity, r.created_at, r.id) for r in rows]
    return keys == sorted(keys, reverse=True)


def test_the_queue_can_be_read_most_severe_first(open_demo, qtbot):
    window = open_demo()
    window.sidebar.select_view(View.MODERATION)
    newest = [window.model.row_at(n) for n in range(window.model.rowCount())]
    assert len({r.severity for r in newest}) > 1, "the demo's queue should hold several severities"
    window.act_severity_first.trigger()
    assert window.workspace.settings.get("queue_order") == "severity"
    rows = [window.model.row_at(n) for n in range(window.model.rowCount())]
    assert most_severe_first(rows)
    # A new item lands at its place among the loaded rows, not on top, and the selection stays.
    window.select_row(3)
    selected = window.current_item_id()
    middle = sorted({r.severity for r in rows})[-2]
    account = rows[0].account_id
    judge = lambda entry, author_is_new: Verdict(flag=Flag("test", (), "t", middle))  # noqa: E731
    window.store.ingest(account, [make_item(9001, text="fresh and rude", minutes=-5)], judge=judge)
    assert window.model.insert_newer() == 1
    rows = [window.model.row_at(n) for n in range(window.model.rowCount())]
    fresh = next(n for n, r in enumerate(rows) if r.excerpt == "fresh and rude")
    assert fresh > 0 and rows[fresh].severity == middle  # below the most severe, though the newest
    assert most_severe_first(rows)
    assert window.current_item_id() == selected
    # Other views stay newest first.
    window.sidebar.select_view(View.ALL)
    keys = [window.model.row_at(n).key for n in range(window.model.rowCount())]
    assert keys == sorted(keys, reverse=True)
    window.act_severity_first.trigger()
    assert window.workspace.settings.get("queue_order") == "newest"


def test_bulk_spam_decision_on_a_selection(open_demo, qtbot):
    window = open_demo()
    window.sidebar.select_view(View.MODERATION)
    window.ui.itemList.selectAll()
    ids = window.selected_ids()
    window.mark_spam()
    wait_idle(qtbot, window)
    assert all(window.store.item(i).status.name == "SPAM" for i in ids)
    assert rule_store.label_count(window.store) == len(ids)


def test_rules_editor_checks_previews_and_saves(open_demo, qtbot, monkeypatch):
    window = open_demo()
    editor = open_rules_editor(window)
    save = editor.ui.buttons.button(QDialogButtonBox.StandardButton.Save)
    original = editor.ui.editor.toPlainText()
    editor.ui.editor.setPlainText(original.replace("rules:", "rules: [", 1))
    editor.check()
    assert not save.isEnabled() and "line" in editor.ui.problemsLabel.text()

    editor.ui.editor.setPlainText(
        "version: 1\nrules:\n- name: Rudeness\n  reason: Rude words\n  when:\n"
        "    keywords: [escrocs, c0nnard, incapables]\n  then:\n  - queue\n  - delete: {confirmed: true}\n"
    )
    assert editor.check() and save.isEnabled()
    editor.ui.ruleList.setCurrentRow(0)
    editor.start_preview()
    qtbot.waitUntil(lambda: editor._job is None, timeout=20_000)
    result = editor.last_preview
    assert result.total >= 300 and 0 < result.matched < result.total
    assert "would have matched" in editor.ui.previewSummary.text()
    assert any(hit.matched for _, match in result.samples for hit in match.terms)
    assert "escrocs" in editor.ui.samples.toPlainText().lower() or "incapables" in editor.ui.samples.toPlainText()

    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Yes)
    editor.save()
    wait_idle(qtbot, window)
    (saved,) = rule_store.load_rules(window.store)
    assert saved.name == "Rudeness" and [a.confirmed for a in saved.then if a.kind == "delete"] == [True]
    # Not confirmed in the file: refused with the line.
    editor2 = open_rules_editor(window)
    editor2.ui.editor.setPlainText(editor2.ui.editor.toPlainText().replace("confirmed: true", "confirmed: false"))
    assert not editor2.check() and "confirmation" in editor2.ui.problemsLabel.text()


def test_an_unconfirmed_automatic_delete_is_not_saved(open_demo, qtbot, monkeypatch):
    window = open_demo()
    before = [r.name for r in rule_store.load_rules(window.store)]
    editor = open_rules_editor(window)
    editor.ui.editor.setPlainText(
        "version: 1\nrules:\n- name: Nuke\n  when:\n    keywords: [merci]\n  then:\n  - delete: {confirmed: true}\n"
    )
    editor.check()
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.No)
    editor.save()
    wait_idle(qtbot, window)
    assert [r.name for r in rule_store.load_rules(window.store)] == before


def test_preview_can_be_cancelled(open_demo, qtbot):
    window = open_demo()
    editor = open_rules_editor(window)
    editor.start_preview()
    editor.cancel_preview()
    qtbot.waitUntil(lambda: editor._job is None, timeout=20_000)
    assert editor.ui.previewButton.isEnabled()


def test_retraining_shows_precision_and_recall(open_demo, qtbot):
    window = open_demo()
    window.sidebar.select_view(View.ALL)
    window.ui.itemList.selectAll()
    window.decide(QueueDecision.APPROVE)
    window.sidebar.select_view(View.MODERATION)
    window.ui.itemList.selectAll()
    window.mark_spam()
    wait_idle(qtbot, window)
    editor = open_rules_editor(window)
    editor.retrain()
    qtbot.waitUntil(lambda: editor.ui.retrainButton.isEnabled(), timeout=20_000)
    text = editor.ui.learningText.text()
    assert "Decisions recorded" in text
    assert window.services.moderation.model_report().trained
