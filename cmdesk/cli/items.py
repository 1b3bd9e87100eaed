"""Item commands: ``search``, ``export``, ``stats``."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime

from cmdesk.cli.common import UserError, add_profile, workspace
from cmdesk.core.models import Platform, Status, View
from cmdesk.core.query import InboxQuery
from cmdesk.core.text import display_author, excerpt


def register(sub) -> None:
    search = sub.add_parser("search", help="full-text search of the local history")
    search.add_argument("query", help='words, "a phrase", prefix*, -excluded, from:author, a OR b')
    search.add_argument("--limit", type=int, default=20)
    _add_filters(search, with_search=False)
    add_profile(search)
    search.set_defaults(func=run_search)

    export = sub.add_parser("export", help="export items as CSV or JSON (streamed)")
    export.add_argument("--format", choices=("csv", "json"), required=True)
    export.add_argument("--out", required=True, metavar="FILE", help="output file, or - for standard output")
    _add_filters(export, with_search=True)
    add_profile(export)
    export.set_defaults(func=run_export)

    stats = sub.add_parser("stats", help="item counts per account and status")
    add_profile(stats)
    stats.set_defaults(func=run_stats)


def _add_filters(parser, *, with_search: bool) -> None:
    parser.add_argument("--view", choices=[v.value for v in View], default=View.ALL.value)
    parser.add_argument("--account", metavar="NAME", help="only this account")
    parser.add_argument("--platform", choices=[p.value for p in Platform])
    parser.add_argument("--status", action="append", choices=[s.name.lower() for s in Status], help="repeatable")
    parser.add_argument("--tag")
    parser.add_argument("--since", metavar="DATE", help="YYYY-MM-DD or ISO time (UTC)")
    parser.add_argument("--until", metavar="DATE", help="YYYY-MM-DD or ISO time (UTC), exclusive")
    if with_search:
        parser.add_argument("--search", default="", metavar="QUERY")


def _date(text: str | None, flag: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UserError(f"{flag} “{text}” is not a date (expected YYYY-MM-DD or an ISO time).") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def query_from(args, store, search: str = "") -> InboxQuery:
    account_id = store.account_by_name(args.account).id if args.account else None
    return InboxQuery(
        view=View(args.view),
        account_id=account_id,
        platform=Platform(args.platform) if args.platform else None,
        statuses=tuple(Status[s.upper()] for s in args.status or ()),
        tag=store.normalise_tag(args.tag) if args.tag else None,
        since=_date(args.since, "--since"),
        until=_date(args.until, "--until"),
        search=search or getattr(args, "search", ""),
    )


def run_search(args) -> int:
    with workspace(args) as ws:
        query = query_from(args, ws.store, args.query).with_(view=View(args.view))
        flt = ws.store.inbox_filter(query)
        if flt.fts is not None and flt.fts.match is None:
            raise UserError(flt.fts.message)
        names = {a.id: a.name for a in ws.store.accounts()}
        rows = ws.store.page(flt, None, max(1, args.limit))
        for row in rows:
            when = datetime.fromtimestamp(row.created_at / 1000, UTC).strftime("%Y-%m-%d %H:%M")
            who = display_author(row.author_name, row.author_handle)
            print(f"{row.id:>8}  {when}  {names.get(row.account_id, '?'):<28}  {who}: {excerpt(row.excerpt, 100)}")
        if not rows:
            print("No items match.", file=sys.stderr)
    return 0


def run_export(args) -> int:
    from cmdesk.services.export import WRITERS

    with workspace(args) as ws:
        query = query_from(args, ws.store)
        flt = ws.store.inbox_filter(query)
        if flt.fts is not None and flt.fts.match is None:
            raise UserError(flt.fts.message)
        accounts = {a.id: (a.name, a.platform.value) for a in ws.store.accounts()}
        writer = WRITERS[args.format]
        if args.out == "-":
            count = writer(ws.store.iter_items(query), sys.stdout, accounts)
        else:
            tmp = f"{args.out}.partial"
            try:
                with open(tmp, "w", encoding="utf-8", newline="") as out:
                    count = writer(ws.store.iter_items(query), out, accounts, _progress)
                os.replace(tmp, args.out)  # a failed export never leaves a half file under the real name
            except OSError as exc:
                raise UserError(f"Cannot write {args.out}: {exc.strerror or exc}.") from exc
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
            print(f"\rExported {count:,} items to {args.out}.", file=sys.stderr)
    return 0


def _progress(count: int) -> None:
    if sys.stderr.isatty():
        print(f"\r{count:,} items…", end="", file=sys.stderr, flush=True)


def run_stats(args) -> int:
    with workspace(args) as ws:
        rows = ws.store.stats()
        if not rows:
            print("No items yet.")
            return 0
        width = max(len(a) for a, _, _ in rows)
        current = None
        for account_name, status, count in rows:
            label = account_name if account_name != current else ""
            current = account_name
            print(f"{label:<{width}}  {status:<9} {count:>9,}")
        print(f"{'total':<{width}}  {'':<9} {sum(n for _, _, n in rows):>9,}")
    return 0
