"""The moderation menu: queue decisions by keyboard, rules on a selection, the rules editor.

Decisions go through ``ModerationService.decide`` so that each one is carried out on the
platform (through the outbox), audited, and remembered as a label the local model learns from.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from cmdesk.services.moderation import QueueDecision


def install(window) -> None:
    if window.services is None:
        return
    menu = window.menuBar().addMenu(QCoreApplication.translate("Moderation", "&Moderation"))
    window.menuBar().insertMenu(window.ui.menuHelp.menuAction(), menu)
    add = window.add_action
    window.act_approve = add(
        QCoreApplication.translate("Moderation", "Approve (keep it, leave the queue)"),
        lambda: window.decide(QueueDecision.APPROVE),
        "A",
        menu,
    )
    window.act_not_abusive = add(
        QCoreApplication.translate("Moderation", "Not abusive (teach the model)"),
        lambda: window.decide(QueueDecision.NOT_ABUSIVE),
        "Shift+A",
        menu,
    )
    window.act_severity_first = add(
        QCoreApplication.translate("Moderation", "Queue: most severe first"),
        lambda: _set_queue_order(window, window.act_severity_first.isChecked()),
        "Ctrl+Shift+O",
        menu,
    )
    window.act_severity_first.setCheckable(True)
    window.act_severity_first.setChecked(window.workspace.settings.get("queue_order") == "severity")
    menu.addSeparator()
    for action in (window.act_hide, window.act_unhide, window.act_delete, window.act_spam):
        menu.addAction(action)
    menu.addSeparator()
    add(
        QCoreApplication.translate("Moderation", "Run the rules on the selection"),
        lambda: _apply_rules(window),
        "Ctrl+Shift+M",
        menu,
    )
    add(
        QCoreApplication.translate("Moderation", "Rules and learning…"),
        lambda: open_rules_editor(window),
        "Ctrl+Shift+L",
        menu,
    )


def _set_queue_order(window, severity_first: bool) -> None:
    """Newest or most severe first: remembered in the settings, applied to the list at once."""
    window.workspace.settings.set("queue_order", "severity" if severity_first else "newest")
    window.apply_query()


def _apply_rules(window) -> None:
    ids = window.selected_ids()
    if not ids:
        return
    accounts = dict(window._accounts)
    agent = window.workspace.agent
    window.run_op(
        lambda: window.services.moderation.apply_rules(ids, accounts, actor=agent),
        QCoreApplication.translate("Moderation", "Rules run on {0} item(s)").format(len(ids)),
    )


def open_rules_editor(window):
    from cmdesk.gui.rules_editor import RulesEditor

    editor = RulesEditor(window)
    editor.resize(1180, 760)
    editor.open()
    window._rules_editor = editor  # kept alive while open, and reachable by tests
    return editor
