"""Shared helpers of the Bluesky connector tests (imported by the test modules next to it)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from cmdesk.connectors.base import Target
from cmdesk.connectors.http import HttpClient
from cmdesk.core.models import IncomingItem

FIXTURES = Path(__file__).parent / "fixtures"
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
OWN_DID = "did:plc:u5cwb2mwiv2bfq53cjufe6yn"  # the root post author of the docs' examples


def load(name: str) -> dict:
    data = json.loads((FIXTURES / name).read_text("utf-8"))
    data.pop("_source", None)
    return data


def fast_http(retries: int = 2, **kwargs) -> HttpClient:
    return HttpClient(backoff_base=0.01, backoff_cap=0.02, retries=retries, **kwargs)


def target_of(item: IncomingItem) -> Target:
    return Target(
        platform_item_id=item.platform_item_id,
        kind=item.kind,
        author_platform_id=item.author.platform_author_id,
        thread_platform_id=item.thread_platform_id,
        parent_platform_id=item.parent_platform_id,
        ref=item.ref,
        text=item.text,
    )
