"""Moderation rules, the moderator's labels and the learned model, in the history database.

Rules are stored one row each, in order, as the JSON of ``cmdesk.core.moderation.Rule``;
importing a rule file replaces them all in one transaction. Labels keep the text as it was
when the moderator decided, so the local model can learn even after the item is gone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace

from sqlalchemy import delete, func, insert, select, update

from cmdesk.core.models import from_millis, to_millis, utcnow
from cmdesk.core.moderation import Label, Rule
from cmdesk.store.errors import InvalidInput
from cmdesk.store.schema import label, model_state, rule


def load_rules(store) -> list[Rule]:
    with store.read() as conn:
        rows = conn.execute(select(rule.c.definition).order_by(rule.c.position, rule.c.id)).scalars().all()
    return [Rule.from_dict(json.loads(text)) for text in rows]


def rule_count(store) -> int:
    with store.read() as conn:
        return conn.execute(select(func.count()).select_from(rule)).scalar()


def replace_rules(store, rules: Iterable[Rule]) -> None:
    """All rules at once (an import, the editor's save): in one transaction, or not at all."""
    rules = list(rules)
    names = [r.name for r in rules]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise InvalidInput(f"Two rules have the same name: {', '.join(duplicates)}.")
    now = to_millis(utcnow())
    with store.write() as conn:
        conn.execute(delete(rule))
        if rules:
            conn.execute(
                insert(rule),
                [
                    dict(
                        name=r.name,
                        position=n,
                        enabled=r.enabled,
                        definition=json.dumps(r.to_dict(), ensure_ascii=False),
                        created_at=now,
                        updated_at=now,
                    )
                    for n, r in enumerate(rules)
                ],
            )


def save_rule(store, new: Rule, *, replacing: str | None = None) -> None:
    """Add a rule at the end, or replace the rule named ``replacing`` in place."""
    rules = load_rules(store)
    names = [r.name for r in rules]
    if replacing is not None and replacing in names:
        rules[names.index(replacing)] = new
    else:
        rules.append(new)
    replace_rules(store, rules)


def set_enabled(store, name: str, enabled: bool) -> None:
    rules = [replace(r, enabled=enabled) if r.name == name else r for r in load_rules(store)]
    replace_rules(store, rules)


def delete_rule(store, name: str) -> None:
    replace_rules(store, [r for r in load_rules(store) if r.name != name])


# ---- labels ---------------------------------------------------------------------------------


def add_labels(conn, entries: Iterable[dict]) -> None:
    """Record decisions (dicts with item_id, decision, text, lang, actor) in ``conn``'s transaction."""
    now = to_millis(utcnow())
    rows = [
        dict(
            item_id=e.get("item_id"),
            decision=str(e["decision"]),
            text=e["text"],
            lang=e.get("lang", ""),
            actor=e["actor"],
            at=e.get("at", now),
        )
        for e in entries
    ]
    if rows:
        conn.execute(insert(label), rows)


def labels(store) -> list[Label]:
    with store.read() as conn:
        rows = conn.execute(select(label.c.text, label.c.decision).order_by(label.c.id)).all()
    return [Label.of(text, decision) for text, decision in rows]


def label_count(store) -> int:
    with store.read() as conn:
        return conn.execute(select(func.count()).select_from(label)).scalar()


# ---- the learned model ----------------------------------------------------------------------


def save_model(store, name: str, data: str, metrics: dict) -> None:
    now = to_millis(utcnow())
    with store.write() as conn:
        updated = conn.execute(
            update(model_state)
            .where(model_state.c.name == name)
            .values(data=data, metrics=json.dumps(metrics), trained_at=now)
        ).rowcount
        if not updated:
            conn.execute(insert(model_state).values(name=name, data=data, metrics=json.dumps(metrics), trained_at=now))


def load_model(store, name: str) -> tuple[str, dict, object] | None:
    """(model JSON, metrics, trained at) or None."""
    with store.read() as conn:
        row = conn.execute(select(model_state).where(model_state.c.name == name)).first()
    if row is None:
        return None
    return row.data, json.loads(row.metrics or "{}"), from_millis(row.trained_at)
