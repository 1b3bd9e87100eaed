"""Helpers shared by the Mastodon connector tests (a unique module name: other platforms have a conftest too)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cmdesk.connectors.http import HttpClient
from cmdesk.connectors.mastodon import MastodonConnector
from cmdesk.connectors.simulators.mastodon import MastodonSimulator, connector_for

FIXTURES = Path(__file__).parent / "fixtures"
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def load_fixture(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def fast_http(**kwargs) -> HttpClient:
    kwargs.setdefault("backoff_base", 0.01)
    kwargs.setdefault("backoff_cap", 0.05)
    kwargs.setdefault("timeout", (2.0, 5.0))
    return HttpClient(label="test", **kwargs)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def make_connector(server: MastodonSimulator, **settings) -> MastodonConnector:
    account, vault = connector_for(server, settings=settings)
    return MastodonConnector(account, vault, fast_http())
