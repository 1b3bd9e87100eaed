"""Moderation services: rules on every new item, the moderator's decisions, the learned model.

``ModerationService.judge_for(account)`` is what the sync hands to ``Store.ingest``: it runs
the compiled rules on each item seen for the first time and turns the first match into a
``Verdict`` (queue with the reason and matched terms, spam, tags, priority, assignee, and the
platform actions the account can carry out). ``on_new`` then writes those platform actions to
the outbox inside the same transaction, so an automatic hide is as durable as the item itself.

Every decision a moderator takes from the queue is recorded as a label; ``retrain`` fits the
local model on them and keeps its precision and recall on held-back labels.
"""

from __future__ import annotations

import collections
import json
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select, update

from cmdesk.connectors.base import Verb
from cmdesk.core.i18n import QT_TRANSLATE_NOOP
from cmdesk.core.models import (
    Account,
    Alert,
    Changes,
    IncomingItem,
    Item,
    QueueState,
    Status,
    Verdict,
)
from cmdesk.core.moderation import (
    Decision,
    ItemFacts,
    Match,
    NaiveBayes,
    RecentTexts,
    Rule,
    RuleSet,
    evaluate_learner,
    plan_actions,
    starter_rules,
)
from cmdesk.services.scoring import ScoredTexts
from cmdesk.store import rules as rule_store
from cmdesk.store.schema import item as item_table

log = logging.getLogger("cmdesk.moderation")

MODEL_NAME = "moderator"
ALERT_TEXT_CHARS = 500  # an alert shows a line of the text; a 100 KB comment is not kept whole
_OUTBOX_VERBS = {"hide": Verb.HIDE, "delete": Verb.DELETE, "ban": Verb.BAN_AUTHOR}


class QueueDecision(StrEnum):
    """What a moderator can decide about a queued item (each becomes a label for the model)."""

    APPROVE = "approve"
    NOT_ABUSIVE = "not_abusive"
    HIDE = "hide"
    UNHIDE = "unhide"
    DELETE = "delete"
    SPAM = "spam"
    BAN = "ban"
    BLOCK = "block"


# decision -> (label for the learner, platform verb, queue state, status)
_EFFECTS: dict[QueueDecision, tuple[Decision | None, Verb | None, QueueState, Status | None]] = {
    QueueDecision.APPROVE: (Decision.APPROVE, None, QueueState.APPROVED, None),
    QueueDecision.NOT_ABUSIVE: (Decision.NOT_ABUSIVE, None, QueueState.APPROVED, None),
    QueueDecision.HIDE: (Decision.HIDE, Verb.HIDE, QueueState.ACTIONED, None),
    QueueDecision.UNHIDE: (Decision.NOT_ABUSIVE, Verb.UNHIDE, QueueState.APPROVED, None),
    QueueDecision.DELETE: (Decision.DELETE, Verb.DELETE, QueueState.ACTIONED, Status.DONE),
    QueueDecision.SPAM: (Decision.SPAM, None, QueueState.ACTIONED, Status.SPAM),
    QueueDecision.BAN: (Decision.BAN, Verb.BAN_AUTHOR, QueueState.ACTIONED, None),
    QueueDecision.BLOCK: (Decision.BAN, Verb.BLOCK_AUTHOR, QueueState.ACTIONED, None),
}


def verdict_from(match: Match, capabilities: Iterable[str]) -> Verdict:
    """The ``Verdict`` of the first matching rule, keeping only what the platform can do."""
    plan = plan_actions(match, capabilities)
    kinds = {a.kind for a in plan.actions}
    queue = bool(kinds & {"queue", "hide", "delete", "ban"})
    tags = tuple(str(a.value) for a in plan.actions if a.kind == "tag" and a.value)
    assignee = next((str(a.value) for a in plan.actions if a.kind == "assign" and a.value), "")
    verbs = tuple(str(_OUTBOX_VERBS[a.kind]) for a in plan.actions if a.kind in _OUTBOX_VERBS)
    return Verdict(
        flag=match.to_flag() if queue or kinds & {"notify"} else None,
        status=Status.SPAM if "mark_spam" in kinds else None,
        tags=tags,
        priority=match.priority,
        verbs=verbs,
        assignee=assignee,
        notify="notify" in kinds,
        notice=next((str(a.value) for a in plan.actions if a.kind == "notify" and a.value), ""),
    )


@dataclass(frozen=True)
class ModelReport:
    """What the settings show about the learned model."""

    labels: int
    trained: bool
    metrics: dict
    message: str = ""


class ModerationService:
    def __init__(self, store, *, capabilities_for: Callable[[int], object] | None = None, outbox=None):
        self.store = store
        self.outbox = outbox
        self.capabilities_for = capabilities_for or (lambda account_id: None)
        self.recent = RecentTexts()
        self.scoring = None  # a ScoringPool: new items are scored in a worker process when set
        self.scored = ScoredTexts()  # what it scored, until the judge takes it
        self._lock = threading.Lock()
        self._alerts: collections.deque[Alert] = collections.deque(maxlen=100)
        self.learned: NaiveBayes | None = None
        self._ruleset: RuleSet | None = None
        self._load_model()
        self.reload()

    # -- rules

    def install_starter_rules(self) -> None:
        """A new profile starts with sensible rules (insults and threats queued, obvious spam marked)."""
        if rule_store.rule_count(self.store) == 0:
            rule_store.replace_rules(self.store, starter_rules())

    def rules(self) -> list[Rule]:
        return rule_store.load_rules(self.store)

    def reload(self) -> None:
        """Compile the stored rules (after an edit or an import)."""
        enabled = [r for r in rule_store.load_rules(self.store) if r.enabled]
        ruleset = RuleSet.compile(enabled, learned=self.learned)
        with self._lock:
            self._ruleset = ruleset

    def save_rules(self, rules: list[Rule]) -> None:
        rule_store.replace_rules(self.store, rules)
        self.reload()

    # -- judging new items (runs on the sync's DB thread, inside the ingest transaction)

    def _capability_names(self, account_id: int) -> set[str]:
        capabilities = self.capabilities_for(account_id)
        return {str(v) for v in capabilities.verbs} if capabilities is not None else set()

    def judge_for(self, account: Account) -> AccountJudge:
        return AccountJudge(self, account)

    def on_new(self, conn, new_rows) -> None:
        """Inside the ingest transaction: outbox entries for automatic actions, assignees, alerts."""
        for row_id, entry, verdict in new_rows:
            if verdict is None:
                continue
            if verdict.assignee:
                conn.execute(update(item_table).where(item_table.c.id == row_id).values(assignee=verdict.assignee))
            if verdict.verbs and self.outbox is not None:
                account_id = conn.execute(select(item_table.c.account_id).where(item_table.c.id == row_id)).scalar()
                reason = verdict.flag.reason if verdict.flag else ""
                rule = verdict.flag.rule if verdict.flag else ""
                for verb in verdict.verbs:
                    self.outbox.enqueue(
                        account_id, row_id, Verb(verb), {"reason": reason}, actor="rules", rule=rule, conn=conn
                    )
            if verdict.notify and verdict.flag:
                headline = verdict.notice or verdict.flag.reason
                author = entry.author
                self._alerts.append(Alert(headline, author.display_name, author.handle, entry.text[:ALERT_TEXT_CHARS]))

    def take_alerts(self) -> tuple[Alert, ...]:
        alerts = []
        while self._alerts:
            alerts.append(self._alerts.popleft())
        return tuple(alerts)

    # -- evaluating stored items (the "run rules on selection" command, the preview)

    def evaluate_items(
        self, items: list[Item], accounts: dict[int, Account], rules: list[Rule] | None = None
    ) -> list[tuple[Item, Match | None]]:
        ruleset = RuleSet.compile(rules, learned=self.learned) if rules is not None else self._ruleset
        recent = RecentTexts()
        first = self.store.authors_first_items([i.id for i in items]) if ruleset and ruleset.uses_author_new else ()
        out = []
        for the_item in items:
            facts = ItemFacts.from_item(the_item, accounts[the_item.account_id], author_is_new=the_item.id in first)
            recent.observe(facts.text, facts.author_handle)
            out.append((the_item, ruleset.evaluate(facts, recent) if ruleset else None))
        return out

    def apply_rules(self, item_ids: list[int], accounts: dict[int, Account], *, actor: str) -> Changes:
        """Run the rules now on chosen items (already stored): flag what matches, as if new."""
        items = self.store.items(item_ids)
        flagged = []
        with self.store.write() as conn:
            for the_item, match in self.evaluate_items(items, accounts):
                if match is None:
                    continue
                verdict = verdict_from(match, self._capability_names(the_item.account_id))
                values = {
                    "flag_reason": match.reason,
                    "flag_terms": json.dumps(list(match.term_texts)),
                    "flag_rule": match.rule,
                    "severity": match.priority,
                }
                if verdict.flag is not None and the_item.queue == QueueState.NONE:
                    values["queue"] = int(QueueState.PENDING)
                if verdict.status is not None:
                    values["status"] = int(verdict.status)
                conn.execute(update(item_table).where(item_table.c.id == the_item.id).values(**values))
                flagged.append(the_item.id)
        if flagged:
            self.store.append_audit(
                actor=actor, action="rules", detail=f"ran the rules on {len(item_ids)} items, {len(flagged)} matched"
            )
        return Changes(items=frozenset(item_ids), counts=True)

    # -- the moderator's decisions

    def decide(self, item_ids: list[int], decision: QueueDecision, *, actor: str, reason: str = "") -> Changes:
        """Carry out a queue decision on items: local state, outbox verb, audit, and a label for the model."""
        learned, verb, queue, status = _EFFECTS[decision]
        items = self.store.items(item_ids)
        if verb is not None and self.outbox is not None:
            self.outbox.moderate([i.id for i in items], verb, actor=actor, reason=reason)
        with self.store.write() as conn:
            for the_item in items:
                values = {"queue": int(queue)}
                if status is not None:
                    values["status"] = int(status)
                conn.execute(update(item_table).where(item_table.c.id == the_item.id).values(**values))
            if learned is not None:
                rule_store.add_labels(
                    conn, [dict(item_id=i.id, decision=learned, text=i.text, lang=i.lang, actor=actor) for i in items]
                )
            if verb is None:
                from cmdesk.store import audit

                audit.append_many(
                    conn,
                    [
                        dict(
                            actor=actor,
                            action=str(decision),
                            item_id=i.id,
                            account_id=i.account_id,
                            reason=reason,
                            rule=i.flag.rule if i.flag else "",
                        )
                        for i in items
                    ],
                )
        return Changes(items=frozenset(item_ids), counts=True)

    def undo_decision(self, items_before: list[Item], *, actor: str) -> Changes:
        """Put items back as they were before a decision taken locally (queue and status)."""
        with self.store.write() as conn:
            for the_item in items_before:
                conn.execute(
                    update(item_table)
                    .where(item_table.c.id == the_item.id)
                    .values(queue=int(the_item.queue), status=int(the_item.status))
                )
        self.store.append_audit(actor=actor, action="undo", detail=f"{len(items_before)} items back in the queue")
        return Changes(items=frozenset(i.id for i in items_before), counts=True)

    # -- the learned model

    def _load_model(self) -> None:
        stored = rule_store.load_model(self.store, MODEL_NAME)
        if stored is None:
            return
        try:
            self.learned = NaiveBayes.from_json(stored[0])
        except (ValueError, KeyError) as exc:
            log.warning("the stored moderation model cannot be read (%s); it will be retrained", exc)

    def retrain(self) -> ModelReport:
        """Fit the model on every label, measure it on held-back labels, keep both."""
        labels = rule_store.labels(self.store)
        if not labels:
            return ModelReport(
                0,
                False,
                {},
                QT_TRANSLATE_NOOP("Services", "No decisions yet: the model learns from the moderation queue."),
            )
        try:
            metrics = evaluate_learner(labels)
            figures = {
                "precision": metrics.precision,
                "recall": metrics.recall,
                "f1": metrics.f1,
                "accuracy": metrics.accuracy,
                "n_train": metrics.n_train,
                "n_test": metrics.n_test,
            }
            message = ""
            if metrics.n_test == 0:  # nothing held back: no figure rather than a made-up 0.0
                figures = {}
                message = QT_TRANSLATE_NOOP(
                    "Services", "Too few decisions to hold some back and measure the model yet."
                )
        except ValueError as exc:  # too few labels of one kind to hold some back
            figures, message = {}, str(exc)
        model = NaiveBayes().train(labels)
        if not model.trained:
            return ModelReport(
                len(labels),
                False,
                figures,
                message or QT_TRANSLATE_NOOP("Services", "Not enough decisions of both kinds yet."),
            )
        rule_store.save_model(self.store, MODEL_NAME, model.to_json(), figures)
        self.learned = model
        self.reload()
        return ModelReport(len(labels), True, figures, message)

    def model_report(self) -> ModelReport:
        stored = rule_store.load_model(self.store, MODEL_NAME)
        count = rule_store.label_count(self.store)
        if stored is None:
            return ModelReport(count, False, {}, QT_TRANSLATE_NOOP("Services", "Not trained yet."))
        return ModelReport(count, True, stored[1], "")


class AccountJudge:
    """The rules applied to one account's new items, as ``Store.ingest`` calls them.

    ``prepare(entries)`` gets a batch's new items before they are judged one by one; when a rule
    reads the built-in classifiers, it scores them together in the scoring process (see
    ``services/scoring.py``), so the judging thread only matches keywords and rules.
    """

    def __init__(self, service: ModerationService, account: Account) -> None:
        self.service = service
        self.account = account

    def _ruleset(self):
        with self.service._lock:
            return self.service._ruleset

    def prepare(self, entries: list[IncomingItem]) -> None:
        """Score ``entries`` ahead, together, when a rule will read the classifiers. The sync
        calls it on its network thread as soon as a page arrives (while the previous page is
        stored); ``Store.ingest`` calls it again for the entries that turn out new (a no-op for
        those already scored)."""
        ruleset, scoring = self._ruleset(), self.service.scoring
        if ruleset is None or not ruleset.uses_scores or scoring is None:
            return
        scored = self.service.scored
        wanted = scored.missing([(e.text, e.lang or None, ()) for e in entries if not e.is_own])
        scores = scoring.score(wanted) if wanted else None
        if scores is not None:
            scored.add(wanted, scores)

    def __call__(self, entry: IncomingItem, author_is_new: bool = False) -> Verdict | None:
        ruleset = self._ruleset()
        if ruleset is None or ruleset.empty:
            # Every rule off: skip the per-item work (a fifth of a rules-off sync's Python time). The
            # copy memory then starts again from the moment a rule is switched on.
            return None
        service = self.service
        ahead = service.scored.take(entry.text, entry.lang or None) if service.scoring else None
        prescored, fingerprint = ahead if ahead is not None else (None, None)
        facts = ItemFacts.from_incoming(entry, self.account, author_is_new=author_is_new, prescored=prescored)
        service.recent.observe(facts.text, facts.author_handle or facts.author_id, fingerprint=fingerprint)
        match = ruleset.evaluate(facts, service.recent)
        if match is None:
            return None
        return verdict_from(match, service._capability_names(self.account.id))
