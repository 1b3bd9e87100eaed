"""Helpers shared by the Matrix connector tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cmdesk.connectors.http import HttpClient
from cmdesk.connectors.matrix import MatrixConnector
from cmdesk.connectors.simulators.matrix import MatrixSimulator
from cmdesk.core.models import ItemKind

FIXTURES = Path(__file__).parent / "fixtures"
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def fast_http(**kwargs) -> HttpClient:
    """Quick retries and no long inline waits: a 429 comes back as RateLimited at once."""
    options = {"backoff_base": 0.01, "retries": 2, "max_inline_wait": 0.5, "label": "test"}
    options.update(kwargs)
    return HttpClient(**options)


def seed(
    sim: MatrixSimulator,
    text: str,
    kind: ItemKind = ItemKind.COMMENT,
    *,
    author: str = "alice",
    minutes: int = 0,
    thread_key: str | None = None,
) -> str:
    return sim.seed_incoming(
        author_id=author,
        author_name=author.title(),
        author_handle=author,
        text=text,
        created_at=T0 + timedelta(minutes=minutes),
        kind=kind,
        thread_key=thread_key,
    )


def fetch_all(connector: MatrixConnector, cursor: str | None = None, limit: int = 20):
    """Fetch until ``more`` is False; returns (items, final cursor, number of batches)."""
    items, batches = [], 0
    while True:
        batch = connector.fetch(cursor)
        batches += 1
        items.extend(batch.items)
        cursor = batch.cursor
        if not batch.more or batches >= limit:
            return items, cursor, batches
