"""The Matrix client-server API calls CMDesk makes, over ``HttpClient``, with Matrix's error codes.

Follows the Matrix Client-Server API specification (spec.matrix.org, v1.x, ``/_matrix/client/v3``):
"API Standards" (JSON bodies, the standard error response ``{"errcode", "error"}``, 429
``M_LIMIT_EXCEEDED`` with ``retry_after_ms``), "Client Authentication" (``Authorization: Bearer``,
401 ``M_UNKNOWN_TOKEN`` with ``soft_logout``). Each method names the spec section it follows.

Error mapping (on top of what ``HttpClient`` does with statuses):
``M_LIMIT_EXCEEDED`` -> ``RateLimited`` (``retry_after_ms`` or ``Retry-After``), ``M_UNKNOWN_TOKEN``
/ ``M_MISSING_TOKEN`` / 401 -> ``AuthExpired`` (soft logout too: it needs a fresh sign-in),
``M_NOT_FOUND`` -> ``NotFound``, ``M_UNRECOGNIZED`` (an endpoint the server does not have) and
``M_FORBIDDEN`` and every other 4xx -> ``Permanent``; 5xx and transport failures stay ``Transient``.
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlsplit

from cmdesk.connectors.base import AuthExpired, NotFound, Permanent, RateLimited, Transient
from cmdesk.connectors.http import HttpClient, HttpResponse, retry_after_seconds

CLIENT_V3 = "/_matrix/client/v3"
# 4xx statuses that ``HttpClient`` hands back so their ``errcode`` decides the error type;
# 408 / 425 / 429 keep HttpClient's retry and Retry-After handling.
_MAPPED_STATUSES = tuple(s for s in range(400, 500) if s not in (408, 425, 429))
AUTH_ERRCODES = frozenset({"M_UNKNOWN_TOKEN", "M_MISSING_TOKEN", "M_USER_DEACTIVATED", "M_USER_LOCKED"})


def seg(value: str) -> str:
    """One path segment: room, event and user ids carry ``!``, ``$``, ``@``, ``:`` and ``/``."""
    return quote(value, safe="")


class MatrixError(Permanent):
    """A Matrix error answer that is none of the more specific types; ``errcode`` says which."""

    def __init__(self, message: str, errcode: str = "", status: int = 0):
        super().__init__(message)
        self.errcode = errcode
        self.status = status


class MatrixAuthExpired(AuthExpired):
    """The access token no longer works (or the account is gone); ``errcode`` says which."""

    def __init__(self, message: str, errcode: str = "", soft_logout: bool = False):
        super().__init__(message)
        self.errcode = errcode
        self.soft_logout = soft_logout


def error_payload(response: HttpResponse) -> dict:
    try:
        payload = json.loads(response.body)
    except (ValueError, UnicodeDecodeError):
        return {}
    return payload if isinstance(payload, dict) else {}


def raise_for_matrix_error(response: HttpResponse) -> None:
    """Turn a non-2xx Matrix answer into the connector error it means (spec: "Standard error response")."""
    if 200 <= response.status < 300:
        return
    payload = error_payload(response)
    errcode = payload.get("errcode") if isinstance(payload.get("errcode"), str) else ""
    detail = payload.get("error") if isinstance(payload.get("error"), str) else ""
    host = urlsplit(response.url).hostname or "The homeserver"
    said = f"{detail} ({errcode})" if detail and errcode else (detail or errcode or f"HTTP {response.status}")
    if errcode == "M_LIMIT_EXCEEDED" or response.status == 429:
        wait = retry_after_seconds(response.headers, response.body)
        raise RateLimited(f"{host} asks CMDesk to slow down: {said}", 5.0 if wait is None else wait)
    if errcode in AUTH_ERRCODES or response.status == 401:
        if errcode == "M_USER_DEACTIVATED":
            raise MatrixAuthExpired(f"{host} says this Matrix account has been deactivated: {said}", errcode)
        if payload.get("soft_logout") is True:
            raise MatrixAuthExpired(
                f"{host} ended this session (soft logout); sign in again to continue: {said}", errcode, soft_logout=True
            )
        raise MatrixAuthExpired(f"{host} no longer accepts this account's access token: {said}", errcode)
    if errcode == "M_NOT_FOUND" or (response.status == 404 and not errcode):
        raise NotFound(f"{host} says this no longer exists: {said}")
    if errcode == "M_UNRECOGNIZED":
        raise MatrixError(
            f"{host} does not support this request (too old, or not Synapse-compatible): {said}",
            errcode,
            response.status,
        )
    if response.status >= 500:
        raise Transient(f"{host} had a problem (HTTP {response.status}): {said}")
    if errcode == "M_FORBIDDEN":
        raise MatrixError(f"{host} refused: {said}", errcode, response.status)
    raise MatrixError(f"{host} rejected the request: {said}", errcode, response.status)


class MatrixApi:
    """Authenticated calls to one homeserver, returning JSON objects or raising typed errors."""

    def __init__(self, base_url: str, http: HttpClient, token: str | None = None):
        self.base_url = base_url.rstrip("/")
        self.http = http
        self.token = token

    # -- plumbing

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict | None = None,
        body: object = None,
        idempotent: bool | None = None,
        max_bytes: int | None = None,
        auth: bool = True,
    ) -> dict:
        """One call; ``path`` is absolute (``/_matrix/...``). The answer must be a JSON object."""
        headers = {}
        if auth:
            if not self.token:
                raise AuthExpired("This Matrix account has no access token: sign in again.")
            headers["Authorization"] = f"Bearer {self.token}"
        response = self.http.request(
            method,
            self.base_url + path,
            params=params,
            json_body=body,
            headers=headers,
            idempotent=idempotent,
            ok_statuses=_MAPPED_STATUSES,
            max_bytes=max_bytes,
        )
        raise_for_matrix_error(response)
        payload = response.json()
        if not isinstance(payload, dict):
            raise Transient(f"{urlsplit(response.url).hostname} sent a malformed answer (not a JSON object).")
        return payload

    def get(self, path: str, **kwargs) -> dict:
        return self.request("GET", path, **kwargs)

    # -- discovery and session (spec: "Server Discovery", "Login", "Current account information")

    def versions(self) -> dict:
        """``GET /_matrix/client/versions`` (spec: "Getting versions of the specification")."""
        return self.request("GET", "/_matrix/client/versions", auth=False)

    def login_flows(self) -> list[dict]:
        """``GET /login`` (spec: "Login"): the login types the server accepts."""
        flows = self.request("GET", f"{CLIENT_V3}/login", auth=False).get("flows")
        return [f for f in flows if isinstance(f, dict)] if isinstance(flows, list) else []

    def login_password(self, user: str, password: str, device_name: str) -> dict:
        """``POST /login`` with ``m.login.password`` and an ``m.id.user`` identifier (spec: "Login")."""
        body = {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": user},
            "password": password,
            "initial_device_display_name": device_name,
        }
        return self.request("POST", f"{CLIENT_V3}/login", body=body, auth=False)

    def whoami(self) -> dict:
        """``GET /account/whoami`` (spec: "Current account information")."""
        return self.get(f"{CLIENT_V3}/account/whoami")

    def displayname(self, user_id: str) -> str:
        """``GET /profile/{userId}/displayname`` (spec: "Profiles")."""
        name = self.get(f"{CLIENT_V3}/profile/{seg(user_id)}/displayname").get("displayname")
        return name if isinstance(name, str) else ""

    # -- sync (spec: "Syncing", "Filtering")

    def create_filter(self, user_id: str, definition: dict) -> str:
        """``POST /user/{userId}/filter`` (spec: "Filtering"); the id is passed to ``/sync?filter=``."""
        answer = self.request("POST", f"{CLIENT_V3}/user/{seg(user_id)}/filter", body=definition)
        filter_id = answer.get("filter_id")
        if not isinstance(filter_id, str) or not filter_id:
            raise Transient("The homeserver sent a malformed answer (no filter_id).")
        return filter_id

    def sync(self, *, filter_id: str, since: str | None, full_state: bool = False) -> dict:
        """``GET /sync`` (spec: "Syncing"): ``timeout=0`` (CMDesk polls), presence left untouched."""
        params = {"filter": filter_id, "timeout": "0", "set_presence": "offline"}
        if since:
            params["since"] = since
        if full_state:
            params["full_state"] = "true"
        return self.get(f"{CLIENT_V3}/sync", params=params)

    def messages(
        self,
        room_id: str,
        *,
        from_token: str | None,
        to_token: str | None = None,
        direction: str = "b",
        limit: int = 100,
        event_filter: dict | None = None,
    ) -> dict:
        """``GET /rooms/{roomId}/messages`` (spec: "Getting events for a room", pagination with from/to/dir)."""
        params = {"dir": direction, "limit": str(limit)}
        if from_token:
            params["from"] = from_token
        if to_token:
            params["to"] = to_token
        if event_filter:
            params["filter"] = json.dumps(event_filter, separators=(",", ":"))
        return self.get(f"{CLIENT_V3}/rooms/{seg(room_id)}/messages", params=params)

    def event(self, room_id: str, event_id: str) -> dict:
        """``GET /rooms/{roomId}/event/{eventId}`` (spec: "Getting events for a room")."""
        return self.get(f"{CLIENT_V3}/rooms/{seg(room_id)}/event/{seg(event_id)}")

    def context(self, room_id: str, event_id: str, *, limit: int = 10, event_filter: dict | None = None) -> dict:
        """``GET /rooms/{roomId}/context/{eventId}`` (spec: "Room events: context")."""
        params = {"limit": str(limit)}
        if event_filter:
            params["filter"] = json.dumps(event_filter, separators=(",", ":"))
        return self.get(f"{CLIENT_V3}/rooms/{seg(room_id)}/context/{seg(event_id)}", params=params)

    # -- rooms and state (spec: "Room membership", "Getting state of a room")

    def joined_rooms(self) -> list[str]:
        """``GET /joined_rooms`` (spec: "Room membership")."""
        rooms = self.get(f"{CLIENT_V3}/joined_rooms").get("joined_rooms")
        if not isinstance(rooms, list):
            raise Transient("The homeserver sent a malformed answer (no joined_rooms list).")
        return [r for r in rooms if isinstance(r, str)]

    def joined_members(self, room_id: str, *, max_bytes: int | None = None) -> dict:
        """``GET /rooms/{roomId}/joined_members`` (spec: "Room membership")."""
        joined = self.get(f"{CLIENT_V3}/rooms/{seg(room_id)}/joined_members", max_bytes=max_bytes).get("joined")
        return joined if isinstance(joined, dict) else {}

    def state(self, room_id: str, event_type: str, state_key: str = "", *, as_event: bool = False) -> dict:
        """``GET /rooms/{roomId}/state/{eventType}/{stateKey}`` (spec: "Getting state of a room").

        The empty state key makes the path end in ``/`` (e.g. ``.../state/m.room.power_levels/``).
        ``as_event`` asks for the whole event (``format=event``, spec v1.16); older servers ignore
        it and send the content, which the caller tells apart.
        """
        params = {"format": "event"} if as_event else None
        path = f"{CLIENT_V3}/rooms/{seg(room_id)}/state/{seg(event_type)}/{seg(state_key)}"
        return self.get(path, params=params)

    def resolve_alias(self, alias: str) -> str:
        """``GET /directory/room/{roomAlias}`` (spec: "Room aliases")."""
        room_id = self.get(f"{CLIENT_V3}/directory/room/{seg(alias)}").get("room_id")
        if not isinstance(room_id, str) or not room_id:
            raise Transient("The homeserver sent a malformed answer (no room_id for the alias).")
        return room_id

    # -- sending (spec: "Sending events to a room", "Redactions")

    def send_message(self, room_id: str, txn_id: str, content: dict) -> str:
        """``PUT /rooms/{roomId}/send/m.room.message/{txnId}``: the same txnId never posts twice."""
        path = f"{CLIENT_V3}/rooms/{seg(room_id)}/send/m.room.message/{seg(txn_id)}"
        return _event_id(self.request("PUT", path, body=content, idempotent=True))

    def redact(self, room_id: str, event_id: str, txn_id: str, reason: str = "") -> str:
        """``PUT /rooms/{roomId}/redact/{eventId}/{txnId}`` with an optional reason."""
        body = {"reason": reason} if reason else {}
        path = f"{CLIENT_V3}/rooms/{seg(room_id)}/redact/{seg(event_id)}/{seg(txn_id)}"
        return _event_id(self.request("PUT", path, body=body, idempotent=True))

    # -- moderation (spec: "Room membership: kicking, banning", "Reporting content", "Ignoring users")

    def membership_action(self, action: str, room_id: str, user_id: str, reason: str = "") -> None:
        """``POST /rooms/{roomId}/kick|ban|unban`` with ``user_id`` and ``reason``.

        Repeating one is harmless (banning a banned user is a no-op), so retries are allowed.
        """
        if action not in ("kick", "ban", "unban"):
            raise ValueError(action)
        body = {"user_id": user_id}
        if reason:
            body["reason"] = reason
        self.request("POST", f"{CLIENT_V3}/rooms/{seg(room_id)}/{action}", body=body, idempotent=True)

    def report(self, room_id: str, event_id: str, reason: str, score: int = -100) -> None:
        """``POST /rooms/{roomId}/report/{eventId}`` with ``reason`` and ``score`` (-100 most offensive)."""
        body = {"reason": reason, "score": score}
        self.request("POST", f"{CLIENT_V3}/rooms/{seg(room_id)}/report/{seg(event_id)}", body=body)

    def account_data(self, user_id: str, event_type: str) -> dict:
        """``GET /user/{userId}/account_data/{type}`` (spec: "Client Config"); NotFound when never set."""
        return self.get(f"{CLIENT_V3}/user/{seg(user_id)}/account_data/{seg(event_type)}")

    def set_account_data(self, user_id: str, event_type: str, content: dict) -> None:
        """``PUT /user/{userId}/account_data/{type}`` (spec: "Client Config")."""
        self.request("PUT", f"{CLIENT_V3}/user/{seg(user_id)}/account_data/{seg(event_type)}", body=content)


def _event_id(answer: dict) -> str:
    event_id = answer.get("event_id")
    if not isinstance(event_id, str) or not event_id:
        raise Transient("The homeserver sent a malformed answer (no event_id).")
    return event_id
