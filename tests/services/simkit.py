"""Helpers for the service tests: a store account wired to a platform simulator on 127.0.0.1."""

from __future__ import annotations

import importlib
import socket
from datetime import UTC, datetime, timedelta

from cmdesk.connectors.http import HttpClient
from cmdesk.connectors.registry import spec_for
from cmdesk.core.models import ItemKind, Platform

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def unused_port() -> int:
    """A port on 127.0.0.1 where nobody listens: connecting is refused, as with no network."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fast_http(label: str = "test") -> HttpClient:
    return HttpClient(label=label, backoff_base=0.01, backoff_cap=0.05, timeout=(2.0, 5.0), max_inline_wait=0.5)


def add_simulated_account(store, sim, platform: Platform, name: str | None = None):
    """An account row for ``sim`` and a factory building fresh connectors to it."""
    module = importlib.import_module(f"cmdesk.connectors.simulators.{platform.value}")
    probe, _ = module.connector_for(sim)
    account = store.add_account(
        platform, name or f"{platform.label} test", handle=probe.handle, base_url=sim.base_url, settings=probe.settings
    )

    def make(acc=None):
        _simulated, vault = module.connector_for(sim, account_id=account.id)
        return spec_for(platform).factory(store.account(account.id) if acc is None else acc, vault, fast_http())

    return account, make


def seed(
    sim, count: int, *, start: int = 0, kind=ItemKind.MENTION, thread: str | None = None, minutes=1.0
) -> list[str]:
    return [
        sim.seed_incoming(
            author_id=f"author{n % 13}",
            author_name=f"Author {n % 13}",
            author_handle=f"author{n % 13}",
            text=f"message {n}: merci pour la réponse",
            created_at=T0 + timedelta(minutes=n * minutes),
            kind=kind,
            thread_key=thread,
        )
        for n in range(start, start + count)
    ]
