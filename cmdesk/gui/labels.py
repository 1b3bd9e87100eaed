"""Translated names for the domain's enumerations (the core stays free of Qt and of tr())."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from cmdesk.core.models import Alert, ItemKind, Moderation, QueueState, Status, View
from cmdesk.core.text import clean_text, display_author, excerpt, isolate
from cmdesk.services.starter_texts import CONTEXT as STARTER_CONTEXT

ALERT_EXCERPT_CHARS = 120


def status(value: Status) -> str:
    return {
        Status.NEW: QCoreApplication.translate("Labels", "New"),
        Status.OPEN: QCoreApplication.translate("Labels", "Open"),
        Status.ANSWERED: QCoreApplication.translate("Labels", "Answered"),
        Status.DONE: QCoreApplication.translate("Labels", "Done"),
        Status.SPAM: QCoreApplication.translate("Labels", "Spam"),
    }[value]


def kind(value: ItemKind) -> str:
    return {
        ItemKind.COMMENT: QCoreApplication.translate("Labels", "Comment"),
        ItemKind.REPLY: QCoreApplication.translate("Labels", "Reply"),
        ItemKind.MENTION: QCoreApplication.translate("Labels", "Mention"),
        ItemKind.DIRECT_MESSAGE: QCoreApplication.translate("Labels", "Direct message"),
        ItemKind.REVIEW: QCoreApplication.translate("Labels", "Review"),
    }[value]


def moderation(value: Moderation) -> str:
    return {
        Moderation.VISIBLE: QCoreApplication.translate("Labels", "Visible"),
        Moderation.HIDDEN: QCoreApplication.translate("Labels", "Hidden"),
        Moderation.DELETED: QCoreApplication.translate("Labels", "Deleted"),
    }[value]


def queue(value: QueueState) -> str:
    return {
        QueueState.NONE: "",
        QueueState.PENDING: QCoreApplication.translate("Labels", "Waiting for a moderator"),
        QueueState.APPROVED: QCoreApplication.translate("Labels", "Approved"),
        QueueState.ACTIONED: QCoreApplication.translate("Labels", "Moderated"),
    }[value]


def view(value: View) -> str:
    return {
        View.ALL: QCoreApplication.translate("Labels", "All"),
        View.UNANSWERED: QCoreApplication.translate("Labels", "Unanswered"),
        View.MODERATION: QCoreApplication.translate("Labels", "Moderation queue"),
        View.MENTIONS: QCoreApplication.translate("Labels", "Mentions"),
        View.DONE: QCoreApplication.translate("Labels", "Done"),
        View.SPAM: QCoreApplication.translate("Labels", "Spam"),
    }[value]


def verb(value) -> str:
    from cmdesk.connectors.base import Verb

    return {
        Verb.REPLY: QCoreApplication.translate("Labels", "Reply"),
        Verb.HIDE: QCoreApplication.translate("Labels", "Hide"),
        Verb.UNHIDE: QCoreApplication.translate("Labels", "Unhide"),
        Verb.DELETE: QCoreApplication.translate("Labels", "Delete"),
        Verb.BAN_AUTHOR: QCoreApplication.translate("Labels", "Ban the author"),
        Verb.UNBAN_AUTHOR: QCoreApplication.translate("Labels", "Lift the ban"),
        Verb.BLOCK_AUTHOR: QCoreApplication.translate("Labels", "Block the author"),
        Verb.MUTE_AUTHOR: QCoreApplication.translate("Labels", "Mute the author"),
        Verb.REPORT: QCoreApplication.translate("Labels", "Report"),
    }[Verb(value)]


def decision(value) -> str:
    from cmdesk.services.moderation import QueueDecision

    return {
        QueueDecision.APPROVE: QCoreApplication.translate("Labels", "approved"),
        QueueDecision.NOT_ABUSIVE: QCoreApplication.translate("Labels", "not abusive"),
        QueueDecision.HIDE: QCoreApplication.translate("Labels", "hidden"),
        QueueDecision.UNHIDE: QCoreApplication.translate("Labels", "unhidden"),
        QueueDecision.DELETE: QCoreApplication.translate("Labels", "deleted"),
        QueueDecision.SPAM: QCoreApplication.translate("Labels", "marked as spam"),
        QueueDecision.BAN: QCoreApplication.translate("Labels", "author banned"),
        QueueDecision.BLOCK: QCoreApplication.translate("Labels", "author blocked"),
    }[QueueDecision(value)]


def rule_text(text: str) -> str:
    """A rule's reason or notify message: translated when it is a starter rule's, else as written
    (``services/starter_texts.py``)."""
    return QCoreApplication.translate(STARTER_CONTEXT, text) if text else text


def alert(value: Alert) -> str:
    """One line: what the rule says, who wrote, and the start of what they wrote (made safe)."""
    said = isolate(excerpt(clean_text(value.text), ALERT_EXCERPT_CHARS))
    who = display_author(value.author_name, value.author_handle)
    return QCoreApplication.translate("Labels", "{0}: {1} — {2}").format(rule_text(value.headline), who, said)
