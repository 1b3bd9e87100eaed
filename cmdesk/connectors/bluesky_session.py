"""Bluesky sign-in and the XRPC session of a signed-in account.

Followed documents:
- XRPC (atproto.com/specs/xrpc): ``GET /xrpc/<nsid>`` for queries, ``POST /xrpc/<nsid>`` with a
  JSON body for procedures; errors are ``{"error": <name>, "message": <text>}``.
- ``com.atproto.server.createSession`` (identifier + password; errors ``AuthFactorTokenRequired``,
  ``AccountTakedown``), ``refreshSession`` (authenticated with the *refresh* JWT; it rotates both
  tokens), ``deleteSession``, ``describeServer``, ``app.bsky.actor.getProfile``.
- PDS behaviour: an expired access JWT answers **400** ``ExpiredToken``; a token that cannot be
  verified answers 401. App-password sessions carry the JWT scope ``com.atproto.appPass`` (or
  ``com.atproto.appPassPrivileged``); the account's main password gives ``com.atproto.access``.
- Rate limits (docs.bsky.app/docs/advanced-guides/rate-limits): ``createSession`` is limited per
  account (30 per 5 minutes, and a daily cap near 100 on bsky.social). So sessions are created
  only by :func:`sign_in`; the connector refreshes them and never signs in again by itself.
- Entryway (docs.bsky.app/docs/advanced-guides/entryway): accounts hosted by Bluesky sign in at
  bsky.social, whose answer names the account's own PDS in ``didDoc``; calls go to that PDS and
  ``refreshSession`` back to the server the user signed in at.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from cmdesk.connectors.base import (
    AuthExpired,
    ConnectorError,
    CredentialVault,
    NotFound,
    Permanent,
    RateLimited,
    Transient,
)
from cmdesk.connectors.http import HttpClient, HttpResponse, check_server_url
from cmdesk.core.redaction import register_secret
from cmdesk.core.text import clean_name

log = logging.getLogger("cmdesk.connectors.bluesky")

DEFAULT_SERVICE = "https://bsky.social"
ACCESS_SECRET = "access_jwt"
REFRESH_SECRET = "refresh_jwt"
SECRET_NAMES = (ACCESS_SECRET, REFRESH_SECRET)
APP_PASSWORD_SCOPES = frozenset({"com.atproto.appPass", "com.atproto.appPassPrivileged"})
MAIN_PASSWORD_SCOPE = "com.atproto.access"
_APP_PASSWORD_SHAPE = re.compile(r"^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$")
HOW_TO_GET_AN_APP_PASSWORD = (
    "Create one in Bluesky under Settings → Privacy and security → App passwords (it looks like xxxx-xxxx-xxxx-xxxx)."
)
_REFRESH_MARGIN = 60.0  # refresh an access JWT this many seconds before it expires (a quarter of its life at most)
_clock = time.time  # the time used for JWT expiry checks (tests move it)


# ---- errors --------------------------------------------------------------------------------


class XrpcError(Permanent):
    """An XRPC error answer; ``error`` is the lexicon's error name (``InvalidSwap``…)."""

    def __init__(self, message: str, error: str = "", status: int = 400):
        super().__init__(message)
        self.error = error
        self.status = status


class XrpcNotFound(NotFound):
    """``NotFound`` / ``RecordNotFound`` answers (XRPC uses HTTP 400 for them)."""

    def __init__(self, message: str, error: str = "", status: int = 400):
        super().__init__(message)
        self.error = error
        self.status = status


class MainPasswordUsed(Permanent):
    """The user typed the account's main password where an app password is expected."""


class TwoFactorRequired(Permanent):
    """The server sent a sign-in code by e-mail (only main-password sign-ins get one)."""


class WrongCredentials(Permanent):
    """Handle or password not accepted."""


def xrpc_error_of(response: HttpResponse) -> tuple[str, str]:
    """``(error name, message)`` of an XRPC error body; empty strings when there is none."""
    try:
        payload = json.loads(response.body)
    except (ValueError, UnicodeDecodeError):
        return "", response.text[:200].strip()
    if not isinstance(payload, dict):
        return "", ""
    name, message = payload.get("error"), payload.get("message")
    return (name if isinstance(name, str) else ""), (message if isinstance(message, str) else "")


def jwt_claims(token: str) -> dict:
    """The payload of a JWT, unverified (only to read ``exp`` and ``scope``); {} if not a JWT."""
    try:
        payload = token.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def pds_endpoint(did_doc: object) -> str:
    """The ``#atproto_pds`` service endpoint of a DID document, or ""."""
    services = did_doc.get("service") if isinstance(did_doc, dict) else None
    for service in services if isinstance(services, list) else []:
        if not isinstance(service, dict):
            continue
        if str(service.get("id", "")).endswith("#atproto_pds") and isinstance(service.get("serviceEndpoint"), str):
            return service["serviceEndpoint"]
    return ""


def _as_xrpc_error(response: HttpResponse, what: str) -> ConnectorError:
    name, message = xrpc_error_of(response)
    detail = message or name or f"HTTP {response.status}"
    if name in ("NotFound", "RecordNotFound") or response.status == 404:
        return XrpcNotFound(f"Bluesky: {what} not found ({detail}).", name, response.status)
    return XrpcError(
        f"Bluesky refused {what}: {detail}" + (f" ({name})" if name and message else ""), name, response.status
    )


# ---- the session ---------------------------------------------------------------------------


class XrpcClient:
    """XRPC calls for one account, with its session kept alive.

    The access JWT is refreshed shortly before it expires and, if the server still says
    ``ExpiredToken`` (or 401), once more before the call is retried. Rotated tokens go straight
    to the vault. Thread-safe: one refresh at a time; a thread that lost the race reuses the
    token the winner got.
    """

    def __init__(
        self,
        http: HttpClient,
        vault: CredentialVault,
        *,
        service_url: str,
        pds_url: str = "",
        did: str = "",
    ):
        self.http = http
        self.vault = vault
        self.service_url = service_url.rstrip("/")
        self.pds_url = (pds_url or service_url).rstrip("/")
        self.did = did
        self.handle = ""
        self.status = "active"
        self.refreshes = 0
        self._lock = threading.Lock()
        self._access: str | None = None

    # -- public calls

    def query(self, nsid: str, params: Mapping | list | None = None, *, what: str = "") -> dict:
        return self._call("GET", nsid, params=params, what=what or nsid)

    def procedure(self, nsid: str, body: object = None, *, idempotent: bool = False, what: str = "") -> dict:
        return self._call("POST", nsid, body=body if body is not None else {}, idempotent=idempotent, what=what or nsid)

    def refresh(self, stale: str | None = None) -> str:
        """Rotate the session (``refreshSession``) unless another thread already replaced ``stale``."""
        with self._lock:
            if stale is not None and self._access and self._access != stale:
                return self._access
            refresh_jwt = self.vault.get(REFRESH_SECRET)
            if not refresh_jwt:
                raise AuthExpired("This Bluesky account has no stored session: sign in again with an app password.")
            response = self.http.request(
                "POST",
                f"{self.service_url}/xrpc/com.atproto.server.refreshSession",
                headers={"Authorization": f"Bearer {refresh_jwt}"},
                ok_statuses=(400, 401),
            )
            if response.status in (400, 401):
                name, message = xrpc_error_of(response)
                if name == "AccountTakedown":
                    raise Permanent(f"Bluesky says this account has been taken down: {message or name}.")
                raise AuthExpired(
                    "Your Bluesky session has ended (it expired, or the app password was revoked): "
                    f"sign in again. ({message or name or response.status})"
                )
            session = _session_payload(response)
            self._store(session)
            self.refreshes += 1
            return self._access or ""

    def delete_session(self) -> None:
        """Revoke the stored refresh token on the server (sign out); errors are not fatal."""
        refresh_jwt = self.vault.get(REFRESH_SECRET)
        if not refresh_jwt:
            return
        try:
            self.http.request(
                "POST",
                f"{self.service_url}/xrpc/com.atproto.server.deleteSession",
                headers={"Authorization": f"Bearer {refresh_jwt}"},
                ok_statuses=(400, 401),
            )
        except ConnectorError as exc:
            log.warning("Bluesky: could not revoke the session on the server (%s)", exc)

    # -- internals

    def _token(self) -> str:
        access = self._access or self.vault.get(ACCESS_SECRET)
        if access:
            register_secret(access)
            self._access = access
            claims = jwt_claims(access)
            exp, iat = claims.get("exp"), claims.get("iat")
            if isinstance(exp, int | float):
                life = exp - iat if isinstance(iat, int | float) and exp > iat else _REFRESH_MARGIN * 4
                if exp - _clock() < min(_REFRESH_MARGIN, life / 4):
                    return self.refresh(stale=access)
            return access
        return self.refresh()

    def _store(self, session: dict) -> None:
        if self.did and session.get("did") and session["did"] != self.did:
            raise AuthExpired("The stored Bluesky session belongs to another account: sign in again.")
        for name in (ACCESS_SECRET, REFRESH_SECRET):
            register_secret(session[name])
        self.vault.set(REFRESH_SECRET, session[REFRESH_SECRET])  # rotated: the old one is now spent
        self.vault.set(ACCESS_SECRET, session[ACCESS_SECRET])
        self._access = session[ACCESS_SECRET]
        self.did = session.get("did") or self.did
        self.handle = session.get("handle") or self.handle
        self.status = session.get("status") or "active"

    def _call(self, method: str, nsid: str, *, params=None, body=None, idempotent=None, what: str) -> dict:
        url = f"{self.pds_url}/xrpc/{nsid}"
        token = self._token()
        for attempt in range(2):
            response = self.http.request(
                method,
                url,
                params=params,
                json_body=body if method == "POST" else None,
                headers={"Authorization": f"Bearer {token}"},
                idempotent=idempotent,
                ok_statuses=(400, 401),
            )
            if 200 <= response.status < 300:
                return _json_object(response, what)
            name, message = xrpc_error_of(response)
            expired = response.status == 401 or name in ("ExpiredToken", "InvalidToken")
            if expired and attempt == 0:
                token = self.refresh(stale=token)
                continue
            if expired:
                raise AuthExpired(
                    f"Bluesky no longer accepts this account's session ({message or name}): sign in again."
                )
            raise _as_xrpc_error(response, what)
        raise AuthExpired("Bluesky no longer accepts this account's session: sign in again.")


def _json_object(response: HttpResponse, what: str) -> dict:
    if not response.body.strip():
        return {}  # procedures without output answer with an empty body
    payload = response.json()
    if not isinstance(payload, dict):
        raise Transient(f"Bluesky sent a malformed answer to {what} (not a JSON object).")
    return payload


def _session_payload(response: HttpResponse) -> dict:
    data = response.json()
    if not isinstance(data, dict) or not all(
        isinstance(data.get(k), str) and data.get(k) for k in ("accessJwt", "refreshJwt", "did")
    ):
        raise Transient("Bluesky sent a malformed session (no tokens).")
    return {
        ACCESS_SECRET: data["accessJwt"],
        REFRESH_SECRET: data["refreshJwt"],
        "did": data["did"],
        "handle": data.get("handle") if isinstance(data.get("handle"), str) else "",
        "status": data.get("status") if isinstance(data.get("status"), str) else "active",
        "didDoc": data.get("didDoc"),
        "email": data.get("email"),
    }


# ---- sign-in -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignInResult:
    """What the caller stores: settings in the database, ``secrets`` in the keyring (vault)."""

    handle: str
    display_name: str
    base_url: str
    settings: dict = field(default_factory=dict)
    secrets: dict = field(default_factory=dict, repr=False)


def _check_is_pds(http: HttpClient, base: str) -> None:
    """``describeServer`` answers on every PDS and entryway; anything else is the wrong address."""
    hint = (
        f"{base} does not answer like a Bluesky (AT Protocol) server. Accounts hosted by Bluesky "
        f"sign in at {DEFAULT_SERVICE}; a self-hosted account at its PDS address."
    )
    response = http.request(
        "GET", f"{base}/xrpc/com.atproto.server.describeServer", ok_statuses=(400, 401, 403, 404, 405, 501)
    )
    if response.status != 200:
        raise Permanent(hint)
    try:
        payload = json.loads(response.body)
    except (ValueError, UnicodeDecodeError):
        raise Permanent(hint) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("did"), str):
        raise Permanent(hint)


def sign_in(
    server_url: str,
    identifier: str,
    password: str,
    *,
    http: HttpClient | None = None,
) -> SignInResult:
    """Sign in with an **app password** (``com.atproto.server.createSession``).

    Raises ``Permanent`` (with a sentence for the user) for a wrong server address, plain http
    to a remote host, a wrong handle/password, the main password used instead of an app password
    (``MainPasswordUsed``), an e-mailed 2FA code (``TwoFactorRequired``); ``Transient`` when the
    server cannot be reached; ``RateLimited`` after too many attempts.
    """
    base = check_server_url(server_url or DEFAULT_SERVICE)
    identifier = identifier.strip().lstrip("@").strip()
    if not identifier:
        raise Permanent("Enter your Bluesky handle (for example alice.bsky.social) or e-mail address.")
    if not password:
        raise Permanent("Enter an app password. " + HOW_TO_GET_AN_APP_PASSWORD)
    register_secret(password)
    http = http or HttpClient(label="Bluesky sign-in")
    _check_is_pds(http, base)
    body = {"identifier": identifier, "password": password}
    try:
        response = http.request(
            "POST", f"{base}/xrpc/com.atproto.server.createSession", json_body=body, ok_statuses=(400, 401)
        )
    except RateLimited as exc:
        minutes = max(1, round(exc.retry_after / 60))
        raise RateLimited(
            f"Too many sign-in attempts for this account: Bluesky allows about 30 every 5 minutes. "
            f"Try again in about {minutes} minute{'s' if minutes > 1 else ''}.",
            exc.retry_after,
        ) from exc
    if response.status in (400, 401):
        raise _sign_in_error(response, password)
    session = _session_payload(response)
    scope = jwt_claims(session[ACCESS_SECRET]).get("scope")
    client = XrpcClient(http, _MemoryVault(session), service_url=base, did=session["did"])
    if scope == MAIN_PASSWORD_SCOPE:
        client.delete_session()  # do not leave a full-access session behind
        raise MainPasswordUsed(
            "This looks like your main Bluesky password. CMDesk only accepts an app password, which "
            "cannot change your account settings and can be revoked on its own. " + HOW_TO_GET_AN_APP_PASSWORD
        )
    pds = pds_endpoint(session.get("didDoc"))
    try:
        pds = check_server_url(pds) if pds else ""
    except Permanent:
        pds = ""  # a DID document pointing at plain http on a remote host is ignored
    client.pds_url = pds or base
    display_name = ""
    try:
        profile = client.query("app.bsky.actor.getProfile", {"actor": session["did"]}, what="your profile")
        display_name = profile.get("displayName") if isinstance(profile.get("displayName"), str) else ""
    except ConnectorError as exc:
        log.warning("Bluesky: signed in, but the profile could not be read (%s)", exc)
    handle = session["handle"] or identifier
    settings = {"did": session["did"], "status": session["status"], "scope": scope or ""}
    if pds and pds != base:
        settings["pds_url"] = pds
    return SignInResult(
        handle=handle,
        display_name=clean_name(display_name) or handle,
        base_url=base,
        settings=settings,
        secrets={ACCESS_SECRET: client.vault.get(ACCESS_SECRET), REFRESH_SECRET: client.vault.get(REFRESH_SECRET)},
    )


def _sign_in_error(response: HttpResponse, password: str) -> ConnectorError:
    name, message = xrpc_error_of(response)
    if name == "AuthFactorTokenRequired":
        return TwoFactorRequired(
            "This looks like your main Bluesky password: your account uses e-mail sign-in codes, and "
            "Bluesky just sent one. CMDesk needs an app password instead (app passwords need no code). "
            + HOW_TO_GET_AN_APP_PASSWORD
        )
    if name == "AccountTakedown":
        return Permanent(f"Bluesky says this account has been taken down: {message or name}.")
    if response.status == 401 or name == "AuthenticationRequired":
        hint = (
            ""
            if _APP_PASSWORD_SHAPE.match(password.strip())
            else (" What you typed does not look like an app password (xxxx-xxxx-xxxx-xxxx).")
        )
        return WrongCredentials(
            "Bluesky did not accept this handle and password. Check the handle (for example "
            f"alice.bsky.social) and use an app password.{hint} " + HOW_TO_GET_AN_APP_PASSWORD
        )
    return Permanent(f"Bluesky refused the sign-in: {message or name or response.status}.")


class _MemoryVault:
    """Holds a fresh session during sign-in, before the caller puts it in the keyring."""

    def __init__(self, session: dict):
        self._values = {ACCESS_SECRET: session[ACCESS_SECRET], REFRESH_SECRET: session[REFRESH_SECRET]}

    def get(self, name: str) -> str | None:
        return self._values.get(name)

    def set(self, name: str, value: str) -> None:
        self._values[name] = value

    def clear(self, names: tuple[str, ...] = ()) -> None:
        self._values.clear()
