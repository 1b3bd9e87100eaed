"""Account commands: ``accounts add|list|sign-out|remove`` — headless, for scripting and support.

Secrets are never taken from the command line (it shows in ``ps`` and shell history): they
are asked for without echo, or read from standard input with ``--password-stdin`` /
``--token-stdin``. Mastodon signs in through the instance's own page: the command prints the
address to open, then waits for the browser to come back to a loopback listener, or for the
code the instance shows to be pasted here.
"""

from __future__ import annotations

import getpass
import queue
import sys
import threading
import webbrowser
from datetime import datetime

from cmdesk.cli.common import UserError, add_profile, workspace
from cmdesk.core.models import Platform
from cmdesk.services.accounts import AccountManager, SignInProblem, check_address, problem_of

DEFAULT_WAIT_S = 600.0


def register(sub) -> None:
    accounts = sub.add_parser("accounts", help="add, list, sign out or remove the accounts CMDesk syncs")
    actions = accounts.add_subparsers(dest="accounts_command", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="sign in and add an account (or sign an existing one in again)")
    platforms = add.add_subparsers(dest="platform", metavar="PLATFORM", required=True)
    mastodon = platforms.add_parser("mastodon", help="sign in on the instance's page (OAuth)")
    mastodon.add_argument("--instance", required=True, metavar="URL", help="e.g. mastodon.social")
    mastodon.add_argument(
        "--admin", action="store_true", help="also ask for moderation rights (suspend/silence accounts)"
    )
    mastodon.add_argument("--browser", action="store_true", help="also open the page in your web browser")
    mastodon.add_argument(
        "--timeout", type=float, default=DEFAULT_WAIT_S, metavar="SECONDS", help="how long to wait for the approval"
    )
    bluesky = platforms.add_parser("bluesky", help="sign in with an app password")
    bluesky.add_argument("--handle", required=True, metavar="H", help="e.g. alice.bsky.social")
    bluesky.add_argument("--server", default="", metavar="URL", help="your PDS (default: https://bsky.social)")
    bluesky.add_argument("--password-stdin", action="store_true", help="read the app password from standard input")
    matrix = platforms.add_parser("matrix", help="sign in with a password or an access token")
    matrix.add_argument("--homeserver", required=True, metavar="URL", help="e.g. matrix.org")
    matrix.add_argument("--user", default="", metavar="U", help="user name or full Matrix ID (@alice:matrix.org)")
    secret = matrix.add_mutually_exclusive_group()
    secret.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    secret.add_argument(
        "--token-stdin", action="store_true", help="read an access token (instead of a password) from standard input"
    )
    for parser in (mastodon, bluesky, matrix):
        parser.add_argument("--name", default="", help="the account's name in CMDesk (default: its handle)")
        add_profile(parser)
        parser.set_defaults(func=run_add)

    listing = actions.add_parser("list", help="accounts with their last sync and last error")
    add_profile(listing)
    listing.set_defaults(func=run_list)

    sign_out = actions.add_parser("sign-out", help="end the session and delete the account's keyring entries")
    sign_out.add_argument("name", metavar="NAME")
    add_profile(sign_out)
    sign_out.set_defaults(func=run_sign_out)

    remove = actions.add_parser("remove", help="delete an account, its keyring entries and its whole history")
    remove.add_argument("name", metavar="NAME")
    remove.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    add_profile(remove)
    remove.set_defaults(func=run_remove)


# ---- add ----------------------------------------------------------------------------------------


def run_add(args) -> int:
    platform = Platform(args.platform)
    with workspace(args) as ws:
        manager = AccountManager.for_workspace(ws)
        try:
            check_address(_address(args, platform))  # a typo is reported before anything else happens
            manager.require_keyring()  # before any password is typed or any session is opened
            if platform == Platform.MASTODON:
                result = _sign_in_mastodon(args)
            elif platform == Platform.BLUESKY:
                password = read_secret(f"App password for {args.handle}: ", args.password_stdin, "--password-stdin")
                _progress(f"Signing in to Bluesky as {args.handle}…")
                result = _sign_in_bluesky(args, password)
            else:
                result = _sign_in_matrix(args)
            saved = manager.save(platform, result, name=args.name)
        except SignInProblem as exc:
            raise UserError(str(exc)) from None
    account = saved.account
    if saved.created:
        print(f"Added “{account.name}”: {platform.label} account {account.handle}.")
        print(f"Fetch its messages with: cmdesk sync --account '{account.name}' --once")
    else:
        print(f"Signed “{account.name}” in again ({platform.label} account {account.handle}).")
    return 0


def _address(args, platform: Platform) -> str:
    if platform == Platform.MASTODON:
        return args.instance
    if platform == Platform.BLUESKY:
        from cmdesk.connectors.bluesky_session import DEFAULT_SERVICE

        return args.server or DEFAULT_SERVICE
    return args.homeserver


def _sign_in_bluesky(args, password: str):
    from cmdesk.services.accounts import sign_in_bluesky

    return sign_in_bluesky(args.handle, password, args.server)


def _sign_in_matrix(args):
    from cmdesk.services.accounts import sign_in_matrix

    if args.token_stdin:
        token = read_secret("", True, "--token-stdin")
        _progress(f"Checking the access token on {args.homeserver}…")
        return sign_in_matrix(args.homeserver, args.user, token=token)
    if not args.user:
        raise UserError("Give --user (or --token-stdin to sign in with an access token).")
    password = read_secret(f"Matrix password for {args.user}: ", args.password_stdin, "--password-stdin")
    _progress(f"Signing in to {args.homeserver} as {args.user}…")
    return sign_in_matrix(args.homeserver, args.user, password)


def _sign_in_mastodon(args):
    from cmdesk.connectors.base import ConnectorError
    from cmdesk.connectors.mastodon_auth import OOB_REDIRECT
    from cmdesk.services.accounts import mastodon_flow

    flow = mastodon_flow(args.instance, admin=args.admin)
    try:
        _progress(f"Registering CMDesk with {flow.base_url}…")
        try:
            flow.prepare()
        except ConnectorError as exc:
            raise problem_of(exc) from exc
        loopback = flow.redirect_uri != OOB_REDIRECT
        if loopback:
            _say("Open this address in a web browser on this computer and approve CMDesk:")
            _say(f"  {flow.authorize_url}")
            _say("If your browser is on another computer, open this address there, then paste the code it shows here:")
        else:
            _say("Open this address in a web browser, approve CMDesk, then paste the code it shows here:")
        _say(f"  {flow.oob_url}")
        if args.browser:
            webbrowser.open(flow.authorize_url if loopback else flow.oob_url)
        _say("Waiting for the approval… (Ctrl+C to cancel)")
        return _wait_for_mastodon(flow, args.timeout, loopback)
    finally:
        flow.close()


def _wait_for_mastodon(flow, timeout: float, loopback: bool):
    """Whichever comes first: the browser back on the loopback listener, or a code typed on stdin."""
    from cmdesk.connectors.base import ConnectorError
    from cmdesk.connectors.mastodon_auth import OOB_REDIRECT, SignInCancelled

    answers: queue.Queue = queue.Queue()

    def browser() -> None:
        try:
            answers.put(("result", flow.wait_for_browser(timeout)))
        except SignInCancelled as exc:
            answers.put(("timeout", exc))
        except Exception as exc:  # handed to the main thread, which reports it
            answers.put(("error", exc))

    def typed() -> None:
        for line in sys.stdin:  # daemon thread: a read still blocked at exit does not keep the process
            if line.strip():
                answers.put(("code", line.strip()))
                return

    if loopback:
        threading.Thread(target=browser, name="mastodon-browser", daemon=True).start()
    threading.Thread(target=typed, name="mastodon-code", daemon=True).start()
    try:
        kind, value = answers.get(timeout=timeout + 1)
    except queue.Empty:
        kind, value = "timeout", None
    try:
        if kind == "result":
            return value
        if kind == "code":
            flow.cancel()  # the browser wait stops; the pasted code finishes the sign-in
            redirect = flow.redirect_uri if loopback and value.startswith(flow.redirect_uri) else OOB_REDIRECT
            _progress("Signing in…")
            return flow.finish(value, redirect_uri=redirect)
        if kind == "timeout":
            raise SignInProblem(
                f"No approval arrived within {timeout:.0f} seconds; run the command again.", "cancelled"
            )
        raise value
    except ConnectorError as exc:
        raise problem_of(exc) from exc


def read_secret(prompt: str, from_stdin: bool, flag: str) -> str:
    """A password or token: one line of standard input, or typed without echo at a terminal."""
    if from_stdin:
        value = sys.stdin.readline().rstrip("\r\n")
        if not value:
            raise UserError(f"Nothing was read from standard input for {flag}.")
        return value
    if not sys.stdin.isatty():
        raise UserError(f"There is no terminal to type it on: pass it on standard input with {flag}.")
    value = getpass.getpass(prompt)
    if not value:
        raise UserError("Nothing was typed; the account was not added.")
    return value


# ---- list, sign-out, remove ---------------------------------------------------------------------


def run_list(args) -> int:
    with workspace(args) as ws:
        summaries = AccountManager.for_workspace(ws).summaries()
    if not summaries:
        print("No accounts yet. Add one with: cmdesk accounts add mastodon|bluesky|matrix …")
        return 0
    rows = [("NAME", "PLATFORM", "HANDLE", "LAST SYNC", "ERROR")]
    for s in summaries:
        error = s.error
        if s.needs_signin and not error.startswith("Signed out"):
            error = f"needs sign-in: {error}" if error else "needs sign-in"
        rows.append((s.account.name, s.account.platform.label, s.account.handle, _when(s.last_success), error))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4])
    return 0


def _when(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "never"


def run_sign_out(args) -> int:
    with workspace(args) as ws:
        manager = AccountManager.for_workspace(ws)
        try:
            account = manager.find(args.name)
            manager.require_keyring()
            _progress(f"Signing “{account.name}” out…")
            manager.sign_out(account.id)
        except SignInProblem as exc:
            raise UserError(str(exc)) from None
    print(f"Signed “{account.name}” out: its keyring entries are deleted; its history is kept.")
    return 0


def run_remove(args) -> int:
    # The lock: a running CMDesk would keep syncing into the account being deleted.
    with workspace(args, lock=True) as ws:
        manager = AccountManager.for_workspace(ws)
        try:
            account = manager.find(args.name)
        except SignInProblem as exc:
            raise UserError(str(exc)) from None
        items = ws.store.counts().total_by_account.get(account.id, 0)
        if not args.yes and not _confirm(
            f"Remove “{account.name}” ({account.platform.label} {account.handle}), its keyring entries "
            f"and its {items:,} items of history? This cannot be undone. [y/N] "
        ):
            print("Nothing was removed.", file=sys.stderr)
            return 1
        note = manager.remove(account.id)
    if note:
        print(f"cmdesk: {note}", file=sys.stderr)
    print(f"Removed “{account.name}” and {items:,} items.")
    return 0


def _confirm(question: str) -> bool:
    print(question, end="", flush=True)
    answer = sys.stdin.readline()
    if not sys.stdin.isatty():
        print()  # the answer came from a pipe and was not echoed: end the question's line
    return answer.strip().lower() in ("y", "yes")


def _say(text: str) -> None:
    print(text, flush=True)  # a pipe (tests, scripts) must see the address before the wait starts


def _progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
