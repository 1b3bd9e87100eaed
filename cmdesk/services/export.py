"""Exporting items as CSV or JSON, streamed: a million items in constant memory.

Exports never contain credentials nor the connectors' private ``ref`` data. CSV cells that
a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``) are prefixed
with an apostrophe: a hostile comment must not become a command in someone's Excel.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from typing import TextIO

from cmdesk.core.models import Item

FIELDS = (
    "id",
    "account",
    "platform",
    "platform_item_id",
    "kind",
    "status",
    "moderation",
    "created_at",
    "author_name",
    "author_handle",
    "text",
    "url",
    "lang",
    "tags",
    "flag_reason",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def record(entry: Item, accounts: dict[int, tuple[str, str]]) -> dict:
    name, platform = accounts.get(entry.account_id, (f"#{entry.account_id}", ""))
    return {
        "id": entry.id,
        "account": name,
        "platform": platform,
        "platform_item_id": entry.platform_item_id,
        "kind": entry.kind.name.lower(),
        "status": entry.status.name.lower(),
        "moderation": entry.moderation.name.lower(),
        "created_at": entry.created_at.isoformat(),
        "author_name": entry.author.display_name,
        "author_handle": entry.author.handle,
        "text": entry.text,
        "url": entry.url,
        "lang": entry.lang,
        "tags": list(entry.tags),
        "flag_reason": entry.flag.reason if entry.flag else "",
    }


def safe_cell(value) -> str:
    """A CSV cell a spreadsheet will show as text, never run as a formula."""
    text = ";".join(value) if isinstance(value, list) else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(items: Iterable[Item], out: TextIO, accounts, progress: Callable[[int], None] | None = None) -> int:
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for entry in items:
        writer.writerow({k: safe_cell(v) for k, v in record(entry, accounts).items()})
        count += 1
        if progress and count % 1000 == 0:
            progress(count)
    return count


def write_json(items: Iterable[Item], out: TextIO, accounts, progress: Callable[[int], None] | None = None) -> int:
    """A JSON array written one element at a time."""
    out.write("[")
    count = 0
    for entry in items:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(record(entry, accounts), ensure_ascii=False))
        count += 1
        if progress and count % 1000 == 0:
            progress(count)
    out.write("\n]\n" if count else "]\n")
    return count


WRITERS = {"csv": write_csv, "json": write_json}
