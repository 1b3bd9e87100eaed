"""Signing in to a Matrix homeserver with a password or an existing access token.

Follows the Matrix Client-Server spec: "Server Discovery" (``GET /.well-known/matrix/client``
-> ``m.homeserver.base_url``; ``GET /_matrix/client/versions`` proves a homeserver), "Login"
(``GET /login`` flows, ``POST /login`` with ``m.login.password`` and an ``m.id.user``
identifier; 403 ``M_FORBIDDEN`` for a wrong password, ``M_USER_DEACTIVATED``; the optional
``well_known`` of the answer), "Current account information" (``GET /account/whoami`` for a
token) and "Profiles" (``GET /profile/{userId}/displayname``).

CMDesk never asks for a refresh token, so the access token does not expire on its own; it is
returned in ``secrets`` for the caller to put in the keyring. Homeservers that only sign in
through a web page (SSO, or OAuth 2.0 through Matrix Authentication Service) and servers that
ask for a second step are told apart and answered with the access-token route.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from cmdesk.connectors.base import AuthExpired, ConnectorError, Permanent, RateLimited, Transient
from cmdesk.connectors.http import HttpClient, check_server_url
from cmdesk.connectors.matrix_api import MatrixApi, MatrixAuthExpired, MatrixError
from cmdesk.connectors.matrix_rooms import localpart, server_name
from cmdesk.core.text import clean_name

SECRET_NAMES = ("access_token",)
DEVICE_NAME = "CMDesk"
TOKEN_HELP = (
    "Sign in with an access token instead: in Element, Settings › Help & About › Advanced › Access Token "
    "(keep it secret: it is as good as your password)."
)


class SignInError(Permanent):
    """A sign-in failure the user must fix; ``reason`` is a stable code for the dialog and tests.

    Codes: ``bad_url``, ``not_homeserver``, ``wrong_password``, ``deactivated``, ``bad_token``,
    ``password_not_accepted`` (SSO/OAuth only: an app password or token is expected),
    ``second_factor`` (the server asks for another step), ``missing``.
    """

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class SignInResult:
    """What a successful sign-in gives the caller: settings go to the DB, secrets to the keyring."""

    handle: str
    display_name: str
    base_url: str
    settings: dict = field(default_factory=dict)
    secrets: dict = field(default_factory=dict)


_CLIENT_ERRORS = tuple(s for s in range(300, 500) if s not in (408, 425, 429))


def _get_json(http: HttpClient, url: str) -> dict:
    """A discovery GET: ``{}`` when the answer is not a JSON object (a web page, a 404…).

    Network failures and 5xx still raise ``Transient``: "unreachable" is a different message
    from "not a homeserver".
    """
    response = http.request("GET", url, ok_statuses=_CLIENT_ERRORS)
    if response.status != 200:
        return {}
    try:
        payload = json.loads(response.body)
    except (ValueError, UnicodeDecodeError):
        return {}
    return payload if isinstance(payload, dict) else {}


def _is_homeserver(http: HttpClient, base_url: str) -> bool:
    versions = _get_json(http, base_url + "/_matrix/client/versions").get("versions")
    return isinstance(versions, list) and any(isinstance(v, str) for v in versions)


def discover_homeserver(server: str, http: HttpClient) -> str:
    """The client-API base URL for what the user typed: a URL, a server name, or a user id's server.

    Tries the address itself, then its ``/.well-known/matrix/client`` delegation.
    """
    try:
        url = check_server_url(server)
    except Permanent as exc:
        raise SignInError(str(exc), "bad_url") from exc
    if _is_homeserver(http, url):
        return url
    parts = urlsplit(url)
    origin = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    well_known = _get_json(http, origin + "/.well-known/matrix/client")
    homeserver = well_known.get("m.homeserver")
    base = homeserver.get("base_url") if isinstance(homeserver, dict) else None
    if isinstance(base, str) and base:
        try:
            delegated = check_server_url(base)
        except Permanent as exc:
            raise SignInError(f"{parts.hostname} delegates to {base}, which CMDesk refuses: {exc}", "bad_url") from exc
        if _is_homeserver(http, delegated):
            return delegated
    raise SignInError(
        f"{url} is not a Matrix homeserver (it does not answer /_matrix/client/versions). "
        "Check the address: it is the part after the colon in your Matrix ID, e.g. matrix.org.",
        "not_homeserver",
    )


def sign_in(
    server: str,
    *,
    user: str = "",
    password: str = "",
    access_token: str = "",
    http: HttpClient | None = None,
    device_name: str = DEVICE_NAME,
) -> SignInResult:
    """Sign in with ``user`` + ``password``, or check an existing ``access_token``.

    ``server`` may be empty when ``user`` is a full Matrix ID (``@alice:example.org``).
    Raises ``SignInError`` for what the user must fix, ``Transient`` when the server cannot be
    reached, ``RateLimited`` when it asks to wait.
    """
    http = http or HttpClient(label="Matrix sign-in", retries=1)
    if not server and user.startswith("@") and ":" in user:
        server = server_name(user)
    if not server:
        raise SignInError("Enter your homeserver's address (e.g. matrix.org) or your full Matrix ID.", "missing")
    base_url = discover_homeserver(server, http)
    api = MatrixApi(base_url, http)
    if access_token:
        api.token = access_token.strip()
        try:
            me = api.whoami()
        except AuthExpired as exc:
            raise SignInError(
                f"This access token is not valid on {urlsplit(base_url).hostname}: {exc}", "bad_token"
            ) from exc
        device_id = me.get("device_id") if isinstance(me.get("device_id"), str) else ""
    else:
        if not user or not password:
            raise SignInError("Enter your Matrix user name and password, or an access token.", "missing")
        me, base_url = _password_login(api, user.strip(), password, device_name)
        api = MatrixApi(base_url, http, me["access_token"])
        device_id = me["device_id"]
    user_id = me.get("user_id")
    if not isinstance(user_id, str) or not user_id.startswith("@"):
        raise Transient("The homeserver sent a malformed answer (no user_id).")
    return SignInResult(
        handle=user_id,
        display_name=_display_name(api, user_id),
        base_url=base_url,
        settings={"user_id": user_id, "device_id": device_id, "rooms": []},
        secrets={"access_token": api.token},
    )


def _password_login(api: MatrixApi, user: str, password: str, device_name: str) -> tuple[dict, str]:
    host = urlsplit(api.base_url).hostname
    flows = {f.get("type") for f in api.login_flows()}
    if "m.login.password" not in flows:
        raise SignInError(
            f"{host} does not accept passwords from apps: it signs you in through its own web page "
            f"(single sign-on). {TOKEN_HELP}",
            "password_not_accepted",
        )
    try:
        answer = api.login_password(user, password, device_name)
    except RateLimited:
        raise
    except MatrixAuthExpired as exc:
        if exc.errcode == "M_USER_DEACTIVATED":
            raise SignInError(f"This account has been deactivated on {host}.", "deactivated") from exc
        # 401 at login: the server wants more than a password (a second factor, terms…).
        raise SignInError(
            f"{host} asks for another sign-in step that CMDesk cannot complete. {TOKEN_HELP}", "second_factor"
        ) from exc
    except MatrixError as exc:
        if exc.errcode == "M_FORBIDDEN" or exc.status == 403:
            raise SignInError(f"{host} did not accept this user name and password.", "wrong_password") from exc
        if exc.status == 401 or exc.errcode in ("M_UNAUTHORIZED", "M_UNKNOWN"):
            raise SignInError(
                f"{host} asks for another sign-in step that CMDesk cannot complete. {TOKEN_HELP}", "second_factor"
            ) from exc
        raise SignInError(f"Signing in to {host} failed: {exc}", "password_not_accepted") from exc
    for key in ("access_token", "device_id", "user_id"):
        if not isinstance(answer.get(key), str) or not answer[key]:
            raise Transient(f"{host} sent a malformed sign-in answer (no {key}).")
    return answer, _well_known_base(answer, api.base_url)


def _well_known_base(answer: dict, current: str) -> str:
    """The login answer may point at the homeserver's preferred URL (spec: Login, ``well_known``)."""
    well_known = answer.get("well_known")
    homeserver = well_known.get("m.homeserver") if isinstance(well_known, dict) else None
    base = homeserver.get("base_url") if isinstance(homeserver, dict) else None
    if not isinstance(base, str) or not base:
        return current
    try:
        return check_server_url(base)
    except Permanent:
        return current  # a delegation CMDesk will not follow (plain http) keeps the address that worked


def _display_name(api: MatrixApi, user_id: str) -> str:
    try:
        name = clean_name(api.displayname(user_id))
    except (ConnectorError, ValueError):
        name = ""  # a profile is optional; signing in does not depend on it
    return name or localpart(user_id)
