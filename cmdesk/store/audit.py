"""The audit log: who did what, when, to which item, and why — tamper-evident.

Each row carries the SHA-256 of its own content chained to the previous row's hash, so an
edited or deleted row breaks the chain from that point on; ``verify`` finds the first
broken link. Rows are only ever appended, inside the transaction of the action they record.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from sqlalchemy import Connection, select

from cmdesk.core.models import AuditEntry, from_millis, to_millis, utcnow
from cmdesk.store.schema import audit

_FIELDS = ("at", "actor", "action", "item_id", "account_id", "detail", "reason", "rule")


def _digest(prev_hash: str, row: dict) -> str:
    canonical = json.dumps([prev_hash, *(row.get(name) for name in _FIELDS)], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append_many(conn: Connection, entries: Iterable[dict]) -> None:
    """Append rows (dicts with actor, action and optional item_id, account_id, detail, reason, rule)."""
    entries = list(entries)
    if not entries:
        return
    prev = conn.execute(select(audit.c.hash).order_by(audit.c.id.desc()).limit(1)).scalar() or ""
    now = to_millis(utcnow())
    rows = []
    for entry in entries:
        row = {
            "at": entry.get("at", now),
            "actor": entry["actor"],
            "action": entry["action"],
            "item_id": entry.get("item_id"),
            "account_id": entry.get("account_id"),
            "detail": entry.get("detail", ""),
            "reason": entry.get("reason", ""),
            "rule": entry.get("rule", ""),
        }
        row["prev_hash"] = prev
        row["hash"] = prev = _digest(prev, row)
        rows.append(row)
    conn.execute(audit.insert(), rows)


def entries(store, *, item_id: int | None = None, limit: int = 200) -> list[AuditEntry]:
    stmt = select(audit).order_by(audit.c.id.desc()).limit(limit)
    if item_id is not None:
        stmt = stmt.where(audit.c.item_id == item_id)
    with store.read() as conn:
        return [
            AuditEntry(r.id, from_millis(r.at), r.actor, r.action, r.item_id, r.account_id, r.detail, r.reason, r.rule)
            for r in conn.execute(stmt)
        ]


def verify(store) -> int | None:
    """The id of the first row whose hash does not match its content or chain, or None if all hold."""
    prev = ""
    with store.read() as conn:
        for row in conn.execute(select(audit).order_by(audit.c.id)).mappings():
            if row["prev_hash"] != prev or row["hash"] != _digest(prev, dict(row)):
                return row["id"]
            prev = row["hash"]
    return None


def iter_rows(store):
    """Every audit row, oldest first, as dicts (for CSV export)."""
    with store.read() as conn:
        yield from (dict(r) for r in conn.execute(select(audit).order_by(audit.c.id)).mappings())
