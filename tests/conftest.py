"""Shared fixtures: real SQLite files in a temporary folder, never the user's own profile."""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from cmdesk.core.models import IncomingAuthor, IncomingItem, ItemKind, Platform
from cmdesk.store.store import Store

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def profile_dir(tmp_path: Path) -> Path:
    return tmp_path / "profile"


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "cmdesk.db")
    yield s
    s.close()


def make_item(
    n: int,
    *,
    text: str | None = None,
    minutes: int | None = None,
    kind=ItemKind.COMMENT,
    author: str = "",
    thread: str = "",
    **extra,
) -> IncomingItem:
    """An incoming item numbered ``n``, ``n`` minutes before NOW unless told otherwise."""
    who = author or f"u{n % 7}"
    return IncomingItem(
        platform_item_id=f"p{n}",
        kind=kind,
        text=text if text is not None else f"message number {n}",
        created_at=NOW - timedelta(minutes=n if minutes is None else minutes),
        author=IncomingAuthor(who, f"Author {who}", f"{who}@example.social"),
        thread_platform_id=thread,
        **extra,
    )


@pytest.fixture
def account(store):
    return store.add_account(Platform.MASTODON, "Boulangerie", handle="@pain@example.social")


async def until(predicate, timeout: float = 10.0) -> None:
    """Let the running asyncio loop work until ``predicate()``; fails after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.02)
