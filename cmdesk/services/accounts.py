"""Account management, headless: sign in (new account or again), sign out, remove, list.

The platform sign-in itself belongs to the connectors (``mastodon_auth``, ``bluesky_session``,
``matrix_signin``); this module starts it with the right HTTP client, then stores what it
returned: the non-secret settings in the account row, the secrets in the OS keyring through a
``Vault`` keyed by the account's uid (the same vault ``Services`` builds connectors with).
Nothing secret is ever written to the database, the settings file or a log line.

Used by ``cmdesk accounts …`` and by the window's account dialogs (which call these blocking
functions on worker threads). Errors come out as ``SignInProblem``: a sentence for the user and
a ``kind`` the dialog uses to point at the field to fix.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from cmdesk.connectors.base import AuthExpired, ConnectorError, Permanent, RateLimited, Transient
from cmdesk.connectors.http import HttpClient, check_server_url
from cmdesk.connectors.registry import spec_for
from cmdesk.core.models import Account, Platform, from_millis
from cmdesk.core.text import clean_name
from cmdesk.secrets import KeyringError, SecretStore, SecretsUnavailable, keyring_status
from cmdesk.store.errors import InvalidInput, NotFoundError

log = logging.getLogger("cmdesk.accounts")

SUPPORTED = (Platform.MASTODON, Platform.BLUESKY, Platform.MATRIX)
# Settings the user chooses (account settings dialog); a new sign-in never resets them.
PREFERENCE_KEYS = ("sync_interval_s", "rooms", "ban_type")
# What tells two sign-ins apart as the same platform account (handles can be renamed).
_IDENTITY_KEYS = {
    Platform.MASTODON: ("domain", "account_id"),
    Platform.BLUESKY: ("did",),
    Platform.MATRIX: ("user_id",),
}
SIGNED_OUT = "Signed out: sign in again to sync this account."
MIN_INTERVAL_S = 15
MAX_INTERVAL_S = 86_400


# ---- errors -------------------------------------------------------------------------------


class SignInProblem(Exception):
    """Why a sign-in (or sign-out) did not work, as one sentence; ``kind`` names what to fix.

    Kinds: ``address`` (the server address), ``unreachable``, ``password`` (wrong credentials),
    ``two_factor`` (the server wants a second step), ``app_password`` (another kind of credential
    is expected: a Bluesky app password, a Matrix access token), ``missing`` (a field is empty),
    ``keyring``, ``rate_limited``, ``cancelled``, ``mismatch`` (signed in as someone else),
    ``name`` (the account name is taken), ``rejected`` (anything else the server refused).
    """

    def __init__(self, message: str, kind: str = "rejected"):
        super().__init__(message)
        self.kind = kind


def problem_of(exc: BaseException) -> SignInProblem:
    """The ``SignInProblem`` for an error raised by a platform's sign-in or by the keyring."""
    if isinstance(exc, SignInProblem):
        return exc
    from cmdesk.connectors.bluesky_session import MainPasswordUsed, TwoFactorRequired, WrongCredentials
    from cmdesk.connectors.mastodon_auth import SignInCancelled
    from cmdesk.connectors.matrix_signin import SignInError

    message = str(exc)
    if isinstance(exc, SecretsUnavailable | KeyringError):
        return SignInProblem(message, "keyring")
    if isinstance(exc, SignInCancelled):
        return SignInProblem(message, "cancelled")
    if isinstance(exc, MainPasswordUsed):
        return SignInProblem(message, "app_password")
    if isinstance(exc, TwoFactorRequired):
        return SignInProblem(message, "two_factor")
    if isinstance(exc, WrongCredentials):
        return SignInProblem(message, "password")
    if isinstance(exc, SignInError):
        kinds = {
            "bad_url": "address",
            "not_homeserver": "address",
            "wrong_password": "password",
            "bad_token": "password",
            "password_not_accepted": "app_password",
            "second_factor": "two_factor",
            "missing": "missing",
        }
        return SignInProblem(message, kinds.get(exc.reason, "rejected"))
    if isinstance(exc, RateLimited):
        return SignInProblem(message, "rate_limited")
    if isinstance(exc, Transient):
        if message == "Cancelled.":
            return SignInProblem("The sign-in was cancelled.", "cancelled")
        unreachable = message.startswith("Cannot reach") or "did not answer in time" in message
        return SignInProblem(message, "unreachable" if unreachable else "rejected")
    if isinstance(exc, ConnectorError):
        return SignInProblem(message, "rejected")
    raise exc  # a bug, not a sign-in problem: let it surface with its traceback


def check_address(url: str) -> str:
    """A server address typed by the user, normalised; plain http:// only for this computer."""
    if not url.strip():
        raise SignInProblem("Enter the server's address.", "missing")
    try:
        return check_server_url(url)
    except Permanent as exc:
        raise SignInProblem(str(exc), "address") from exc


def sign_in_http(platform: Platform) -> HttpClient:
    """The HTTP client of one sign-in attempt: few retries (the user is waiting), cancellable."""
    return HttpClient(label=f"{platform.label} sign-in", retries=1)


# ---- the platform sign-ins ----------------------------------------------------------------


def mastodon_flow(instance: str, *, http: HttpClient | None = None, admin: bool = False):
    """A prepared-to-start ``MastodonSignIn`` (call ``prepare()`` on a worker thread)."""
    from cmdesk.connectors.mastodon_auth import MastodonSignIn

    return MastodonSignIn(check_address(instance), http=http or sign_in_http(Platform.MASTODON), admin=admin)


def sign_in_bluesky(handle: str, app_password: str, server: str = "", *, http: HttpClient | None = None):
    """Sign in to Bluesky with an app password (blocking); raises ``SignInProblem``."""
    from cmdesk.connectors.bluesky_session import DEFAULT_SERVICE, sign_in

    base = check_address(server or DEFAULT_SERVICE)
    if not handle.strip():
        raise SignInProblem("Enter your Bluesky handle (for example alice.bsky.social).", "missing")
    if not app_password:
        raise SignInProblem("Enter an app password.", "missing")
    try:
        return sign_in(base, handle, app_password, http=http or sign_in_http(Platform.BLUESKY))
    except ConnectorError as exc:
        raise problem_of(exc) from exc


def sign_in_matrix(
    homeserver: str, user: str = "", password: str = "", token: str = "", *, http: HttpClient | None = None
):
    """Sign in to a Matrix homeserver with a password or an access token (blocking)."""
    from cmdesk.connectors.matrix_signin import sign_in

    if homeserver.strip():
        check_address(homeserver)  # the same address rule for every platform, before any request
    if not token and not (user.strip() and password):
        raise SignInProblem("Enter your Matrix user name and password, or an access token.", "missing")
    try:
        return sign_in(
            homeserver.strip(),
            user=user.strip(),
            password=password,
            access_token=token,
            http=http or sign_in_http(Platform.MATRIX),
        )
    except ConnectorError as exc:
        raise problem_of(exc) from exc


# ---- what the account list shows ----------------------------------------------------------


@dataclass(frozen=True)
class AccountSummary:
    account: Account
    last_success: datetime | None
    last_attempt: datetime | None
    error: str
    needs_signin: bool
    items_synced: int

    @property
    def sync_interval_s(self) -> int | None:
        value = self.account.settings.get("sync_interval_s")
        return int(value) if isinstance(value, int | float) else None


@dataclass(frozen=True)
class Saved:
    account: Account
    created: bool  # False: an account CMDesk already had was signed in again


# ---- the manager ----------------------------------------------------------------------------


class AccountManager:
    """Accounts of one profile: its store, and its keyring entries (``SecretStore``-like).

    ``secrets`` needs ``vault(uid, names)`` and ``delete(uid, name)``; ``keyring_check`` says
    whether credentials may be stored (tests pass an in-memory store and a check that says yes).
    """

    def __init__(
        self,
        store,
        secrets,
        *,
        actor: str = "",
        keyring_check: Callable[[], tuple[bool, str]] = keyring_status,
    ):
        self.store = store
        self.secrets = secrets
        self.actor = actor or "cmdesk"
        self._keyring_check = keyring_check

    @classmethod
    def for_workspace(cls, workspace) -> AccountManager:
        return cls(workspace.store, SecretStore(workspace.profile.id), actor=workspace.agent)

    # -- keyring

    def require_keyring(self) -> None:
        """Refuse early (before any network call) when credentials could not be stored."""
        ok, reason = self._keyring_check()
        if not ok:
            raise SignInProblem(reason, "keyring")

    def _vault(self, account: Account):
        return self.secrets.vault(self.store.account_uid(account.id), spec_for(account.platform).secret_names)

    # -- reads

    def summaries(self) -> list[AccountSummary]:
        out = []
        for account in self.store.accounts():
            state = self.store.sync_state(account.id)
            out.append(
                AccountSummary(
                    account,
                    from_millis(state.last_success_at) if state.last_success_at else None,
                    from_millis(state.last_attempt_at) if state.last_attempt_at else None,
                    state.error,
                    state.needs_signin,
                    state.items_synced,
                )
            )
        return out

    def find(self, name: str) -> Account:
        try:
            return self.store.account_by_name(name)
        except NotFoundError:
            names = ", ".join(a.name for a in self.store.accounts()) or "none yet"
            raise SignInProblem(f"There is no account named “{name}” (accounts: {names}).", "missing") from None

    # -- sign-in

    def save(self, platform: Platform, result, *, name: str = "", account_id: int | None = None) -> Saved:
        """Store a successful sign-in: the account row (new or existing) and its secrets in the keyring.

        ``account_id`` signs that account in again and refuses a result for another platform
        account. Without it, a sign-in to an account CMDesk already has updates that one.
        """
        self.require_keyring()
        if account_id is not None:
            existing = self.store.account(account_id)
            if existing.platform != platform or not _same_identity(existing, result):
                raise SignInProblem(
                    f"You signed in as {result.handle}, but “{existing.name}” is {existing.handle}. "
                    "Sign in with that account, or add the other one as a new account.",
                    "mismatch",
                )
        else:
            existing = next(
                (a for a in self.store.accounts() if a.platform == platform and _same_identity(a, result)), None
            )
        settings = dict(result.settings)
        if existing is not None:
            settings.update({k: existing.settings[k] for k in PREFERENCE_KEYS if k in existing.settings})
            account = self.store.update_account(
                existing.id, handle=result.handle, base_url=result.base_url, settings=settings
            )
            self._store_secrets(account, result.secrets)
            self._clear_signin_flag(account.id)
            self._audit("account_signin", account, f"{platform.label} {result.handle}")
            return Saved(account, created=False)
        account = self._add_row(platform, result, settings, name)
        try:
            self._store_secrets(account, result.secrets)
        except BaseException:
            # No account without its credentials: undo the row, and whatever part reached the keyring.
            self._forget_secrets(account, quiet=True)
            self.store.remove_account(account.id)
            raise
        self._audit("account_add", account, f"{platform.label} {result.handle}")
        return Saved(account, created=True)

    def _add_row(self, platform: Platform, result, settings: dict, name: str) -> Account:
        wanted = clean_name(name)
        if wanted:
            if any(a.name == wanted for a in self.store.accounts()):
                raise SignInProblem(f"An account named “{wanted}” already exists; choose another name.", "name")
            return self.store.add_account(
                platform, wanted, handle=result.handle, base_url=result.base_url, settings=settings
            )
        taken = {a.name for a in self.store.accounts()}
        base = clean_name(result.handle) or platform.label
        candidates = [base, f"{base} ({platform.label})"] + [f"{base} ({platform.label} {n})" for n in range(2, 100)]
        for candidate in candidates:
            if candidate not in taken:
                return self.store.add_account(
                    platform, candidate, handle=result.handle, base_url=result.base_url, settings=settings
                )
        raise InvalidInput("Choose a name for this account.")

    def _store_secrets(self, account: Account, secrets: dict) -> None:
        names = spec_for(account.platform).secret_names
        vault = self._vault(account)
        for key, value in secrets.items():
            if value:
                vault.set(key, value)
        uid = self.store.account_uid(account.id)
        for key in names:
            if not secrets.get(key):
                self.secrets.delete(uid, key)  # a credential of an older sign-in must not linger

    def _clear_signin_flag(self, account_id: int) -> None:
        self.store.clear_sync_problem(account_id)

    # -- sign-out and removal

    def sign_out(self, account_id: int, *, revoke: bool = True, http: HttpClient | None = None) -> Account:
        """Revoke the session on the server (best effort), delete the keyring entries, pause the account."""
        account = self.store.account(account_id)
        if revoke:
            self._revoke(account, http)
        self._forget_secrets(account)
        self.store.record_sync_outcome(account.id, error=SIGNED_OUT, needs_signin=True)
        self._audit("account_signout", account, f"{account.platform.label} {account.handle}")
        return account

    def remove(self, account_id: int, *, revoke: bool = True, http: HttpClient | None = None) -> str:
        """Delete an account, its keyring entries and its whole history.

        Returns a note for the user when the keyring could not be reached at all (then nothing
        could have been stored there by this CMDesk, but it says so rather than stay silent).
        A keyring that is present but refuses (locked) stops the removal: unlock and retry.
        """
        account = self.store.account(account_id)
        note = ""
        ok, reason = self._keyring_check()
        if ok:
            if revoke and account.platform in SUPPORTED:
                self._revoke(account, http)
            self._forget_secrets(account)
        else:
            note = (
                "No keyring is available, so CMDesk could not delete credentials it may have saved "
                f"for this account earlier. {reason}"
            )
        self._audit("account_remove", account, f"{account.platform.label} {account.handle}")
        self.store.remove_account(account.id)
        return note

    def _forget_secrets(self, account: Account, *, quiet: bool = False) -> None:
        try:
            names = spec_for(account.platform).secret_names
        except LookupError:
            return  # no connector, so nothing was ever stored for it
        uid = self.store.account_uid(account.id)
        for key in names:
            try:
                self.secrets.delete(uid, key)
            except (SecretsUnavailable, KeyringError):
                if not quiet:
                    raise

    def _revoke(self, account: Account, http: HttpClient | None) -> None:
        """End the session on the platform so a copy of the token stops working (best effort)."""
        if account.platform not in SUPPORTED:
            return
        http = http or HttpClient(label=account.name, retries=0, timeout=(5.0, 15.0))
        vault = self._vault(account)
        try:
            if account.platform == Platform.MASTODON:
                from cmdesk.connectors.mastodon_auth import sign_out

                sign_out(account, vault, http)  # POST /oauth/revoke, then it clears the vault
            elif account.platform == Platform.BLUESKY:
                from cmdesk.connectors.bluesky_session import XrpcClient

                XrpcClient(http, vault, service_url=account.base_url).delete_session()
            else:
                _matrix_logout(account, vault, http)
        except ConnectorError as exc:
            log.info("%s: the session was not revoked on the server (%s)", account.name, exc)

    # -- settings

    def update_settings(self, account_id: int, **values) -> Account:
        """Change the user's preferences of an account (``PREFERENCE_KEYS``); ``None`` removes one."""
        unknown = set(values) - set(PREFERENCE_KEYS)
        if unknown:
            raise ValueError(f"not account preferences: {sorted(unknown)}")
        account = self.store.account(account_id)
        settings = dict(account.settings)
        for key, value in values.items():
            if key == "sync_interval_s" and value is not None:
                value = int(value)
                if not MIN_INTERVAL_S <= value <= MAX_INTERVAL_S:
                    hours = MAX_INTERVAL_S // 3600
                    raise InvalidInput(f"The sync interval must be between {MIN_INTERVAL_S} seconds and {hours} hours.")
            if key == "ban_type" and value not in (None, "suspend", "silence"):
                raise InvalidInput("A ban either suspends or silences (limits) the account.")
            if key == "rooms" and value is not None:
                value = [r.strip() for r in value if r.strip()]
                bad = [r for r in value if r[0] not in "!#"]
                if bad:
                    raise InvalidInput(f"“{bad[0]}” is not a room id (!…) or alias (#…:server).")
            if value is None:
                settings.pop(key, None)
            else:
                settings[key] = value
        return self.store.update_account(account_id, settings=settings)

    # -- connectors (for ``cmdesk sync``; the window's Services builds its own the same way)

    def connector(self, account: Account):
        spec = spec_for(account.platform)
        return spec.factory(account, self._vault(account), HttpClient(label=account.name))

    def _audit(self, action: str, account: Account, detail: str) -> None:
        self.store.append_audit(actor=self.actor, action=action, account_id=account.id, detail=detail)


def _same_identity(account: Account, result) -> bool:
    keys = _IDENTITY_KEYS.get(account.platform, ())
    known = [k for k in keys if account.settings.get(k) and result.settings.get(k)]
    if known:
        return all(str(account.settings[k]) == str(result.settings[k]) for k in known)
    # An account row without the identity settings (added before they existed): the handle and server decide.
    same_server = urlsplit(account.base_url).hostname == urlsplit(result.base_url).hostname or not account.base_url
    return account.handle.casefold().lstrip("@") == result.handle.casefold().lstrip("@") and same_server


def _matrix_logout(account: Account, vault, http: HttpClient) -> None:
    """``POST /_matrix/client/v3/logout`` (Client-Server spec, "Logout"): the token and its device end."""
    from cmdesk.connectors.matrix_api import MatrixApi

    token = vault.get("access_token")
    if not token:
        return
    try:
        MatrixApi(account.base_url, http, token).request("POST", "/_matrix/client/v3/logout", body={})
    except AuthExpired:
        pass  # already invalid: nothing left to revoke
