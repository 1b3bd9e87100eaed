"""``cmdesk sync [--account NAME] [--once]``: fetch new messages headless and print what came in.

``--once`` polls each account once (all accounts at the same time) and exits: status 0 when
every account synced, 1 when one failed (its error is printed and recorded, as the app does).
Without it the accounts keep being polled by the same ``SyncService`` as the app's, on a plain
asyncio loop, until Ctrl+C (or SIGTERM) stops it cleanly between two batches. Either way the
command holds the profile lock: one process syncs a profile at a time.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from datetime import datetime

from cmdesk.cli.common import UserError, add_profile, workspace
from cmdesk.connectors.base import AuthExpired, ConnectorError
from cmdesk.core.models import Account, Item
from cmdesk.core.text import display_author, excerpt
from cmdesk.secrets import KeyringError, SecretsUnavailable
from cmdesk.services.accounts import AccountManager, SignInProblem
from cmdesk.services.sync import AccountStatus, Phase, SyncService, sync_once


def register(sub) -> None:
    parser = sub.add_parser("sync", help="fetch new messages of your accounts and print them")
    parser.add_argument("--account", metavar="NAME", help="only this account")
    parser.add_argument(
        "--once", action="store_true", help="one poll per account, then exit (default: keep polling until Ctrl+C)"
    )
    add_profile(parser)
    parser.set_defaults(func=run_sync)


def run_sync(args) -> int:
    with workspace(args, lock=True) as ws:
        manager = AccountManager.for_workspace(ws)
        try:
            accounts = [manager.find(args.account)] if args.account else [a for a in ws.store.accounts() if a.enabled]
            if not accounts:
                raise UserError("There is no account to sync yet; add one with: cmdesk accounts add …")
            manager.require_keyring()
        except SignInProblem as exc:
            raise UserError(str(exc)) from None
        printer = Printer(ws.store, accounts)
        if args.once:
            return asyncio.run(_once(ws.store, manager, accounts, printer))
        return asyncio.run(_until_stopped(ws, manager, accounts, printer))


# ---- output -------------------------------------------------------------------------------------


class Printer:
    """One line per item that came in, and one per account problem (not repeated while unchanged)."""

    def __init__(self, store, accounts: list[Account]):
        self.store = store
        self.names = {a.id: a.name for a in accounts}
        self._last_problem: dict[int, str] = {}

    def items(self, ids) -> None:
        for item in sorted(self.store.items(sorted(ids)), key=lambda i: (i.created_at, i.id)):
            print(self.line(item), flush=True)

    def line(self, item: Item) -> str:
        when = item.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        kind = item.kind.name.lower().replace("_", " ")
        who = display_author(item.author.display_name, item.author.handle)
        if item.is_own:
            who = "(ours) " + who
        return f"{when}  {self.names.get(item.account_id, '?')}  {kind}  {who}: {excerpt(item.text, 160)}"

    def summary(self, account: Account, fetched: int, new: int) -> None:
        print(f"{account.name}: {new} new of {fetched} fetched.", file=sys.stderr, flush=True)

    def problem(self, account_id: int, text: str) -> None:
        if self._last_problem.get(account_id) == text:
            return
        self._last_problem[account_id] = text
        print(f"cmdesk: {self.names.get(account_id, '?')}: {text}", file=sys.stderr, flush=True)

    def status(self, status: AccountStatus) -> None:
        if status.phase == Phase.NEEDS_SIGNIN:
            self.problem(status.account_id, f"must sign in again ({status.error})")
        elif status.phase in (Phase.WAITING, Phase.OFFLINE) and status.error:
            self.problem(status.account_id, f"{status.error} (retrying later)")
        elif status.phase == Phase.IDLE and status.last_sync_at:
            self._last_problem.pop(status.account_id, None)


def _moderation(store):
    """The profile's rules judge what the CLI syncs, exactly as in the app."""
    from cmdesk.services.moderation import ModerationService
    from cmdesk.services.outbox import Outbox

    moderation = ModerationService(store, outbox=Outbox(store))
    moderation.install_starter_rules()
    moderation.reload()
    return moderation


# ---- --once -------------------------------------------------------------------------------------


async def _once(store, manager: AccountManager, accounts: list[Account], printer: Printer) -> int:
    results = await asyncio.gather(*(_poll(store, manager, account, printer) for account in accounts))
    return 0 if all(results) else 1


async def _poll(store, manager: AccountManager, account: Account, printer: Printer) -> bool:
    loop = asyncio.get_running_loop()
    new_ids: list[int] = []
    connector = None
    try:
        connector = await loop.run_in_executor(None, manager.connector, account)  # reads the keyring
        moderation = _moderation(store)

        def on_new(conn, rows) -> None:
            moderation.on_new(conn, rows)  # automatic actions wait in the outbox for the app
            new_ids.extend(r[0] for r in rows)

        fetched, new = await sync_once(store, connector, account.id, judge=moderation.judge_for(account), on_new=on_new)
    except AuthExpired as exc:
        message = str(exc)
        await loop.run_in_executor(
            None, lambda: store.record_sync_outcome(account.id, error=message, needs_signin=True)
        )
        printer.problem(account.id, f"must sign in again ({message})")
        return False
    except (ConnectorError, LookupError, SecretsUnavailable, KeyringError) as exc:
        message = str(exc)
        await loop.run_in_executor(None, lambda: store.record_sync_outcome(account.id, error=message))
        printer.problem(account.id, message)
        return False
    finally:
        _close(connector)
        if new_ids:
            printer.items(new_ids)  # what was stored before a failure is shown too
    printer.summary(account, fetched, new)
    return True


# ---- continuous -----------------------------------------------------------------------------------


async def _until_stopped(ws, manager: AccountManager, accounts: list[Account], printer: Printer) -> int:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # Windows: Ctrl+C arrives as KeyboardInterrupt
            pass
    connectors = []

    def make_connector(account: Account):
        connector = manager.connector(account)
        connectors.append(connector)
        return connector

    moderation = _moderation(ws.store)
    service = SyncService(
        ws.store,
        make_connector,
        judge_for=moderation.judge_for,
        on_new=moderation.on_new,
        on_status=printer.status,
        on_changes=lambda changes: printer.items(changes.new),
        base_interval=float(ws.settings.get("sync_interval_s")),
    )
    service.start(accounts)
    names = ", ".join(a.name for a in accounts)
    print(f"Syncing {names} since {datetime.now():%H:%M:%S}; Ctrl+C stops.", file=sys.stderr, flush=True)
    try:
        await stop.wait()
    finally:
        await service.stop()
        for connector in connectors:
            _close(connector)
        service.network_pool.shutdown(wait=False, cancel_futures=True)
        service.db_pool.shutdown(wait=True)
    print("Stopped.", file=sys.stderr, flush=True)
    return 0


def _close(connector) -> None:
    http = getattr(connector, "http", None)
    if http is not None and hasattr(http, "close"):
        http.close()
