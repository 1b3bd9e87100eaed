"""A loopback Bluesky PDS + AppView speaking the XRPC subset CMDesk uses.

``/xrpc/<nsid>``: GET for queries, POST with JSON for procedures, errors as
``{"error": <name>, "message": <text>}`` with the statuses a PDS uses (400 ``ExpiredToken`` for an
expired access JWT, 401 ``AuthenticationRequired`` / ``InvalidToken``, 400 ``NotFound`` /
``RecordNotFound`` / ``InvalidSwap`` / ``InvalidRequest``, 429 ``RateLimitExceeded`` with
``RateLimit-*`` headers and ``Retry-After``). State lives in memory and is deterministic:

- sessions: ``createSession`` (counted, limited to ``session_limit`` per ``session_window``),
  ``refreshSession`` (rotates both JWTs), ``deleteSession``; access JWTs live ``access_ttl`` s;
- the owner's repo: posts, ``app.bsky.feed.threadgate`` / ``postgate`` / ``app.bsky.graph.block``
  records via ``createRecord`` / ``putRecord`` (``swapRecord``) / ``deleteRecord`` / ``getRecord``;
- AppView reads: ``listNotifications`` (newest first, backwards cursor, ``reasons`` filter),
  ``getPostThread`` (v1 behaviour: hidden replies stay in ``replies``; the answer's and the root
  post's ``threadgate`` views list them; blocked authors become ``blockedPost``; deleted parents
  ``notFoundPost``; detached quotes ``#viewDetached``), ``getPosts``, ``getProfile``,
  ``resolveHandle``; ``muteActor`` / ``muteThread`` / ``createReport``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from cmdesk.connectors.bluesky_text import (
    AtUri,
    facet_for,
    find_spans,
    iso,
    tid_from_clock,
)
from cmdesk.connectors.simulators.bluesky_repo import (
    BLOCK,
    POST,
    REASON_TYPES,
    THREADGATE,
    RepoMixin,
    ViewsMixin,
    XrpcFail,
    b32,
    cid_of,
)
from cmdesk.connectors.simulators.server import Faults, Request, Response, SimulatorServer
from cmdesk.core.models import Account, ItemKind, Platform
from cmdesk.secrets import MemoryVault

_SECRET = b"cmdesk-bluesky-simulator"  # signs the simulated JWTs


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


class BlueskySimulator(RepoMixin, ViewsMixin, SimulatorServer):
    """A PDS and AppView for one owner account plus the authors seeded around it."""

    name = "bluesky-simulator"

    def __init__(
        self,
        *,
        port: int = 0,
        faults: Faults | None = None,
        owner_handle: str = "cmdesk-demo.bsky.social",
        owner_name: str = "CMDesk Demo",
        app_password: str = "abcd-efgh-ijkl-mnop",
        main_password: str = "correct horse battery staple",
        email_2fa: bool = False,
        access_ttl: float = 7200.0,
        refresh_ttl: float = 90 * 86400.0,
        session_limit: int = 30,
        session_window: float = 300.0,
    ):
        super().__init__(port=port, faults=faults)
        self.owner_handle = owner_handle
        self.owner_did = "did:plc:" + b32(hashlib.sha256(owner_handle.encode()).digest())[:24]
        self.owner_email = f"owner@{owner_handle}"
        self.app_password, self.main_password, self.email_2fa = app_password, main_password, email_2fa
        self.email_code = "ABCDE-12345"
        self.access_ttl, self.refresh_ttl = access_ttl, refresh_ttl
        self.session_limit, self.session_window = session_limit, session_window
        self.duplicate_status = 400  # how a duplicate rkey is refused (a real PDS may answer 500)
        self.create_session_count = 0
        self.refresh_count = 0
        self._session_times: list[float] = []
        self._tokens: dict[str, dict] = {}
        self._seq = 0
        self._last_index = datetime(2000, 1, 1, tzinfo=UTC)
        self.actors: dict[str, dict] = {}
        self.records: dict[tuple[str, str, str], dict] = {}  # (did, collection, rkey) -> {cid, value, indexedAt}
        self.notifications: list[dict] = []
        self.muted: set[str] = set()
        self.muted_threads: set[str] = set()
        self.reports: list[dict] = []
        self._threads: dict[str, str] = {}
        self._log: list[tuple[str, str]] = []
        self._replies: list[dict] = []
        self._fail: dict[str, list[Response]] = {}
        self._lose: dict[str, int] = {}
        self._owner_access = ""
        self._actor(self.owner_did, owner_name, owner_handle)
        self._register_routes()

    # ---- seeding and inspection (the shared simulator API) -------------------------------------

    @property
    def owner_token(self) -> str:
        """A valid access JWT for the owner (a new one when the last has expired)."""
        with self._lock:
            if not self.check_token(self._owner_access or None):
                self._owner_access = self._issue("access", self.owner_did)
            return self._owner_access

    def issue_session(self) -> tuple[str, str]:
        """An (access, refresh) pair for the owner, as a finished sign-in would hold (not counted)."""
        with self._lock:
            return self._issue("access", self.owner_did), self._issue("refresh", self.owner_did)

    def seed_incoming(
        self,
        *,
        author_id: str,
        author_name: str,
        author_handle: str,
        text: str,
        created_at: datetime,
        kind: ItemKind,
        thread_key: str | None = None,
        lang: str = "",
        indexed_at: datetime | None = None,
    ) -> str:
        """A post that notifies the owner; returns its AT URI.

        REPLY: a reply under our post for ``thread_key``; MENTION (and DIRECT_MESSAGE, since
        Bluesky chat is another service): a post mentioning us, as a reply in that thread when a
        key is given; COMMENT: a quote post of our post for ``thread_key``.
        """
        if kind == ItemKind.REVIEW:
            raise ValueError("Bluesky has no reviews")
        with self._lock:
            did = self._actor(author_id, author_name, author_handle)
            root = self._thread_root(thread_key, created_at)
            if kind == ItemKind.COMMENT:
                return self.seed_post(
                    did=did,
                    text=text,
                    created_at=created_at,
                    quote=root,
                    lang=lang,
                    notify="quote",
                    indexed_at=indexed_at,
                )
            if kind in (ItemKind.MENTION, ItemKind.DIRECT_MESSAGE):
                return self.seed_post(
                    did=did,
                    text=text,
                    created_at=created_at,
                    lang=lang,
                    mention_owner=True,
                    reply_to=root if thread_key else None,
                    notify="mention",
                    indexed_at=indexed_at,
                )
            return self.seed_post(
                did=did,
                text=text,
                created_at=created_at,
                reply_to=root,
                lang=lang,
                notify="reply",
                indexed_at=indexed_at,
            )

    def seed_post(
        self,
        *,
        did: str,
        text: str,
        created_at: datetime | None = None,
        reply_to: str | None = None,
        quote: str | None = None,
        mention_owner: bool = False,
        lang: str = "",
        notify: str | None = None,
        indexed_at: datetime | None = None,
    ) -> str:
        """Any post by ``did`` (create it with ``seed_actor``); ``notify`` names the owner's notification."""
        with self._lock:
            if mention_owner and f"@{self.owner_handle}" not in text:
                text = f"@{self.owner_handle} {text}"
            created_at = created_at or datetime.now(UTC)
            record: dict = {"$type": POST, "text": text, "createdAt": iso(created_at)}
            facets = [
                facet_for(text, s, self.owner_did if s.value == self.owner_handle else self._did_for(s.value))
                for s in find_spans(text)
                if s.kind != "mention" or self._did_for(s.value)
            ]
            if facets:
                record["facets"] = facets
            if reply_to:
                parent = self._strong(reply_to)
                parent_reply = self.records[self._key(reply_to)]["value"].get("reply")
                record["reply"] = {"root": parent_reply["root"] if parent_reply else parent, "parent": parent}
            if quote:
                record["embed"] = {"$type": "app.bsky.embed.record", "record": self._strong(quote)}
            if lang:
                record["langs"] = [lang]
            uri = self._write(did, POST, self._seed_rkey(did, created_at, text), record, indexed_at)
            if notify:
                subject = quote if notify == "quote" else (reply_to or "")
                self._notify(uri, notify, subject)
            return uri

    def seed_actor(self, author_id: str, name: str = "", handle: str = "") -> str:
        with self._lock:
            return self._actor(author_id, name, handle)

    def seed_own_post(self, text: str, created_at: datetime | None = None) -> str:
        return self.seed_post(did=self.owner_did, text=text, created_at=created_at)

    def posted_replies(self) -> list[dict]:
        with self._lock:
            return [dict(r) for r in self._replies]

    def moderation_log(self) -> list[tuple[str, str]]:
        with self._lock:
            return list(self._log)

    def record(self, uri: str) -> dict | None:
        """The stored value of a record (threadgate, block…), or None."""
        with self._lock:
            stored = self.records.get(self._key(uri))
            return json.loads(json.dumps(stored["value"])) if stored else None

    def blocks(self) -> set[str]:
        with self._lock:
            return {
                r["value"]["subject"] for (d, c, _), r in self.records.items() if d == self.owner_did and c == BLOCK
            }

    def expire_access_tokens(self) -> None:
        """Every access JWT issued so far now answers 400 ExpiredToken (refresh tokens still work)."""
        with self._lock:
            for info in self._tokens.values():
                if info["kind"] == "access":
                    info["exp"] = 0.0

    def revoke_sessions(self) -> None:
        """Every token is revoked, as when the user deletes the app password."""
        with self._lock:
            for info in self._tokens.values():
                info["revoked"] = True

    def fail_next(
        self,
        nsid: str,
        status: int,
        error: str = "",
        message: str = "",
        *,
        headers: dict | None = None,
        times: int = 1,
        body: object = None,
    ) -> None:
        """Answer the next ``times`` calls of ``nsid`` with this error (403, 404, 500…) or with ``body``."""
        if body is None:
            body = {"error": error or "Error", "message": message or error or "Simulated failure"}
        with self._lock:
            self._fail.setdefault(nsid, []).extend(Response(status, body, dict(headers or {})) for _ in range(times))

    def lose_next_answer(self, nsid: str, times: int = 1) -> None:
        """Carry out the next ``times`` calls of ``nsid`` but answer 504, as if the answer got lost."""
        with self._lock:
            self._lose[nsid] = self._lose.get(nsid, 0) + times

    # ---- tokens ------------------------------------------------------------------------------

    def _issue(self, kind: str, did: str, scope: str = "com.atproto.appPass") -> str:
        self._seq += 1
        ttl = self.access_ttl if kind == "access" else self.refresh_ttl
        now = time.time()
        claims = {
            "scope": scope if kind == "access" else "com.atproto.refresh",
            "sub": did,
            "aud": "did:web:localhost",
            "iat": int(now),
            "exp": int(now + ttl),
            "jti": f"{kind}-{self._seq}",
        }
        head = _b64url(json.dumps({"typ": "at+jwt" if kind == "access" else "refresh+jwt", "alg": "HS256"}).encode())
        body = _b64url(json.dumps(claims).encode())
        sig = _b64url(hmac.new(_SECRET, f"{head}.{body}".encode(), hashlib.sha256).digest())
        self._tokens[claims["jti"]] = {"kind": kind, "did": did, "exp": now + ttl, "revoked": False, "scope": scope}
        return f"{head}.{body}.{sig}"

    def _token_info(self, token: str | None) -> dict | None:
        try:
            head, body, sig = (token or "").split(".")
            expected = _b64url(hmac.new(_SECRET, f"{head}.{body}".encode(), hashlib.sha256).digest())
            if not hmac.compare_digest(sig, expected):
                return None
            claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            return self._tokens.get(claims["jti"])
        except (ValueError, KeyError, TypeError):
            return None

    def check_token(self, token: str | None) -> bool:
        info = self._token_info(token)
        return bool(info) and info["kind"] == "access" and not info["revoked"] and info["exp"] > time.time()

    def unauthorized(self, request: Request) -> Response:
        if self.faults.expired_token:
            return Response(400, {"error": "ExpiredToken", "message": "Token has expired"})
        token = request.bearer()
        if token is None:
            return Response(401, {"error": "AuthenticationRequired", "message": "Authentication Required"})
        info = self._token_info(token)
        if info is None or info["revoked"]:
            return Response(401, {"error": "InvalidToken", "message": "Token could not be verified"})
        if info["kind"] != "access":
            return Response(400, {"error": "InvalidToken", "message": "Bad token scope"})
        return Response(400, {"error": "ExpiredToken", "message": "Token has expired"})

    def rate_limited(self, request: Request) -> Response:
        return self._rate_limit_response(self.faults.rate_limit or 0, self.faults.rate_window, self.faults.retry_after)

    def _rate_limit_response(self, limit: int, window: float, wait: float) -> Response:
        reset = int(time.time() + wait)
        return Response(
            429,
            {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
            {
                "RateLimit-Limit": str(limit),
                "RateLimit-Remaining": "0",
                "RateLimit-Reset": str(reset),
                "RateLimit-Policy": f"{limit};w={int(window)}",
                "Retry-After": f"{wait:g}",
            },
        )

    def not_found(self, request: Request) -> Response:
        if request.path.startswith("/xrpc/"):
            return Response(501, {"error": "MethodNotImplemented", "message": "Method Not Implemented"})
        return Response(404, {"error": "NotFound", "message": "Not Found"})

    def dispatch(self, request: Request) -> Response | str:
        nsid = request.path[6:] if request.path.startswith("/xrpc/") else ""
        with self._lock:
            queued = self._fail.get(nsid)
            if queued:
                return queued.pop(0)
        return super().dispatch(request)

    # ---- state helpers -----------------------------------------------------------------------

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _seed_rkey(self, did: str, created_at: datetime, text: str) -> str:
        """The record key of a seeded post: its time plus a clock id from its content, so the same
        seeds give the same URIs on every run (the demo relies on it)."""
        clock = int.from_bytes(hashlib.sha256(f"{did}|{text}".encode()).digest()[:2], "big")
        for bump in range(1024):
            rkey = tid_from_clock(created_at, (clock + bump) & 0x3FF)
            if (did, POST, rkey) not in self.records:
                return rkey
        raise ValueError("too many seeded posts by one author at the same microsecond")

    def _index_time(self) -> datetime:
        moment = max(datetime.now(UTC), self._last_index + timedelta(milliseconds=1))
        self._last_index = moment
        return moment

    def _actor(self, author_id: str, name: str, handle: str) -> str:
        did = (
            author_id
            if author_id.startswith("did:")
            else "did:plc:" + b32(hashlib.sha256(author_id.encode()).digest())[:24]
        )
        handle = (handle or author_id).strip().lstrip("@").lower()
        if "." not in handle:  # a bare name becomes a bsky.social handle; others keep their own domain
            handle = re.sub(r"[^a-z0-9-]", "-", handle) + ".bsky.social"
        handle = re.sub(r"[^a-z0-9.-]", "-", handle)
        known = self.actors.get(did)
        if known is None:
            self.actors[did] = {"did": did, "handle": handle, "displayName": name or handle}
        return did

    def _did_for(self, actor: str) -> str | None:
        if actor in self.actors:
            return actor
        return next((a["did"] for a in self.actors.values() if a["handle"] == actor.lower()), None)

    def _thread_root(self, thread_key: str | None, created_at: datetime) -> str:
        if thread_key and thread_key in self._threads:
            return self._threads[thread_key]
        label = thread_key or "this"
        uri = self.seed_post(
            did=self.owner_did, text=f"Our post about {label}", created_at=created_at - timedelta(hours=1)
        )
        if thread_key:
            self._threads[thread_key] = uri
        return uri

    @staticmethod
    def _key(uri: str) -> tuple[str, str, str]:
        at = AtUri.parse(uri)
        return at.authority, at.collection, at.rkey

    def _strong(self, uri: str) -> dict:
        return {"uri": uri, "cid": self.records[self._key(uri)]["cid"]}

    def _write(self, did: str, collection: str, rkey: str, value: dict, indexed_at: datetime | None = None) -> str:
        moment = indexed_at.astimezone(UTC) if indexed_at else self._index_time()
        self.records[(did, collection, rkey)] = {"cid": cid_of(value), "value": value, "indexedAt": iso(moment)}
        return f"at://{did}/{collection}/{rkey}"

    def _notify(self, uri: str, reason: str, subject: str) -> None:
        stored = self.records[self._key(uri)]
        self.notifications.append(
            {"uri": uri, "reason": reason, "reasonSubject": subject, "indexedAt": stored["indexedAt"]}
        )

    # ---- routes ------------------------------------------------------------------------------

    def _register_routes(self) -> None:
        routes: list[tuple[str, str, Callable[[Request], object], bool]] = [
            ("GET", "com.atproto.server.describeServer", self._describe_server, False),
            ("POST", "com.atproto.server.createSession", self._create_session, False),
            ("POST", "com.atproto.server.refreshSession", self._refresh_session, False),
            ("POST", "com.atproto.server.deleteSession", self._delete_session, False),
            ("GET", "com.atproto.identity.resolveHandle", self._resolve_handle, False),
            ("GET", "com.atproto.repo.getRecord", self._get_record, False),
            ("POST", "com.atproto.repo.createRecord", self._create_record, True),
            ("POST", "com.atproto.repo.putRecord", self._put_record, True),
            ("POST", "com.atproto.repo.deleteRecord", self._delete_record, True),
            ("GET", "app.bsky.actor.getProfile", self._get_profile, True),
            ("GET", "app.bsky.notification.listNotifications", self._list_notifications, True),
            ("GET", "app.bsky.feed.getPostThread", self._get_post_thread, True),
            ("GET", "app.bsky.feed.getPosts", self._get_posts, True),
            ("POST", "app.bsky.graph.muteActor", self._mute_actor, True),
            ("POST", "app.bsky.graph.muteThread", self._mute_thread, True),
            ("POST", "com.atproto.moderation.createReport", self._create_report, True),
        ]
        for method, nsid, handler, auth in routes:
            self.add_route(method, f"/xrpc/{re.escape(nsid)}", self._xrpc(nsid, handler), auth=auth)

    def _xrpc(self, nsid: str, handler: Callable[[Request], object]) -> Callable[[Request], Response]:
        def run(request: Request) -> Response:
            try:
                with self._lock:
                    out = handler(request)
                    if self._lose.get(nsid):  # done, but the answer is "lost" on the way back
                        self._lose[nsid] -= 1
                        return Response(504, {"error": "UpstreamTimeout", "message": "Upstream timed out"})
            except XrpcFail as fail:
                return Response(fail.status, {"error": fail.error, "message": fail.message})
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                return Response(400, {"error": "InvalidRequest", "message": f"Input is invalid: {exc}"})
            return out if isinstance(out, Response) else Response(200, out)

        return run

    def _body(self, request: Request) -> dict:
        body = request.json()
        if not isinstance(body, dict):
            raise XrpcFail(400, "InvalidRequest", "Input must be an object")
        return body

    def _session(self, did: str, scope: str) -> dict:
        actor = self.actors[did]
        return {
            "accessJwt": self._issue("access", did, scope),
            "refreshJwt": self._issue("refresh", did),
            "handle": actor["handle"],
            "did": did,
            "email": self.owner_email,
            "emailConfirmed": True,
            "emailAuthFactor": self.email_2fa,
            "active": True,
            "didDoc": {
                "@context": ["https://www.w3.org/ns/did/v1"],
                "id": did,
                "alsoKnownAs": [f"at://{actor['handle']}"],
                "service": [
                    {"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": self.base_url}
                ],
            },
        }

    def _describe_server(self, request: Request) -> dict:
        return {
            "did": "did:web:localhost",
            "availableUserDomains": [".bsky.social"],
            "inviteCodeRequired": False,
            "links": {},
            "contact": {},
        }

    def _create_session(self, request: Request) -> object:
        now = time.time()
        self._session_times = [t for t in self._session_times if now - t < self.session_window]
        if len(self._session_times) >= self.session_limit:
            return self._rate_limit_response(
                self.session_limit, self.session_window, self.session_window - (now - self._session_times[0])
            )
        self._session_times.append(now)
        self.create_session_count += 1
        body = self._body(request)
        identifier = str(body.get("identifier", "")).lower().lstrip("@")
        password = body.get("password")
        if identifier not in (self.owner_handle, self.owner_did, self.owner_email):
            raise XrpcFail(401, "AuthenticationRequired", "Invalid identifier or password")
        if password == self.app_password:
            return self._session(self.owner_did, "com.atproto.appPass")
        if password != self.main_password:
            raise XrpcFail(401, "AuthenticationRequired", "Invalid identifier or password")
        if self.email_2fa:
            if not body.get("authFactorToken"):
                raise XrpcFail(401, "AuthFactorTokenRequired", "A sign in code has been sent to your email address")
            if body["authFactorToken"] != self.email_code:
                raise XrpcFail(400, "InvalidToken", "Token is invalid")
        return self._session(self.owner_did, "com.atproto.access")

    def _refresh_token(self, request: Request) -> dict:
        token = request.bearer()
        if token is None:
            raise XrpcFail(401, "AuthenticationRequired", "Authentication Required")
        info = self._token_info(token)
        if info is None:
            raise XrpcFail(401, "InvalidToken", "Token could not be verified")
        if info["kind"] != "refresh":
            raise XrpcFail(400, "InvalidToken", "Invalid token type")
        if info["revoked"]:
            raise XrpcFail(400, "ExpiredToken", "Token has been revoked")
        if info["exp"] <= time.time():
            raise XrpcFail(400, "ExpiredToken", "Token has expired")
        return info

    def _refresh_session(self, request: Request) -> dict:
        info = self._refresh_token(request)
        info["revoked"] = True  # refresh tokens rotate
        self.refresh_count += 1
        session = self._session(info["did"], "com.atproto.appPass")
        for private in ("email", "emailConfirmed", "emailAuthFactor"):  # not part of refreshSession's output
            session.pop(private)
        return session

    def _delete_session(self, request: Request) -> Response:
        self._refresh_token(request)["revoked"] = True
        return Response(200, None)

    def _resolve_handle(self, request: Request) -> dict:
        did = self._did_for(request.arg("handle") or "")
        if not did:
            raise XrpcFail(400, "InvalidRequest", "Unable to resolve handle")
        return {"did": did}

    def _get_profile(self, request: Request) -> dict:
        did = self._did_for(request.arg("actor") or "")
        if not did:
            raise XrpcFail(400, "InvalidRequest", "Profile not found")
        return self._profile(did, basic=False)

    def _list_notifications(self, request: Request) -> dict:
        limit = int(request.arg("limit", "50"))
        if not 1 <= limit <= 100:
            raise XrpcFail(400, "InvalidRequest", "limit must be between 1 and 100")
        reasons = set(request.args("reasons"))
        rows = []
        for notif in self.notifications:
            key = self._key(notif["uri"])
            if key in self.records and (not reasons or notif["reason"] in reasons):
                rows.append((notif["indexedAt"], self.records[key]["cid"], notif["uri"], notif))
        rows.sort(reverse=True)
        cursor = request.arg("cursor")
        if cursor:
            at, cid, uri = cursor.split("::", 2)
            rows = [r for r in rows if r[:3] < (at, cid, uri)]
        page = rows[:limit]
        out = []
        for at, cid, uri, notif in page:
            stored = self.records[self._key(uri)]
            out.append(
                {
                    "uri": uri,
                    "cid": cid,
                    "author": self._profile(AtUri.parse(uri).authority, basic=False),
                    "reason": notif["reason"],
                    "reasonSubject": notif["reasonSubject"],
                    "record": stored["value"],
                    "isRead": False,
                    "indexedAt": at,
                    "labels": [],
                }
            )
        result: dict = {"notifications": out, "priority": False}
        if page:
            result["cursor"] = "::".join(page[-1][:3])
        return result

    def _get_post_thread(self, request: Request) -> dict:
        uri = request.arg("uri") or ""
        depth, height = int(request.arg("depth", "6")), int(request.arg("parentHeight", "80"))
        try:
            key = self._key(uri)
        except ValueError:
            raise XrpcFail(400, "InvalidRequest", f"Invalid uri: {uri}") from None
        if key not in self.records:
            raise XrpcFail(400, "NotFound", f"Post not found: {uri}")
        thread = self._thread_node(uri, depth)
        node = thread
        while height > 0 and "post" in node:
            parent = ((node["post"]["record"].get("reply") or {}).get("parent") or {}).get("uri")
            if not parent:
                break
            node["parent"] = self._thread_node(parent, 0)
            node, height = node["parent"], height - 1
        answer: dict = {"thread": thread}
        root = ((self.records[key]["value"].get("reply") or {}).get("root") or {}).get("uri") or uri
        root_key = self._key(root)
        gate = self.records.get((root_key[0], THREADGATE, root_key[2]))
        if gate:  # the thread's threadgate, even when its root is out of reach (deleted, too far up)
            answer["threadgate"] = {
                "uri": f"at://{root_key[0]}/{THREADGATE}/{root_key[2]}",
                "cid": gate["cid"],
                "record": gate["value"],
                "lists": [],
            }
        return answer

    def _get_posts(self, request: Request) -> dict:
        uris = request.args("uris")
        if len(uris) > 25:
            raise XrpcFail(400, "InvalidRequest", "uris must not have more than 25 elements")
        return {"posts": [self._post_view(u) for u in uris if self._key(u) in self.records]}

    def _actor_arg(self, body: dict) -> str:
        did = self._did_for(str(body.get("actor", "")))
        if not did:
            raise XrpcFail(400, "InvalidRequest", "Actor not found")
        return did

    def _mute_actor(self, request: Request) -> Response:
        did = self._actor_arg(self._body(request))
        if did == self.owner_did:
            raise XrpcFail(400, "InvalidRequest", "Cannot mute oneself")
        self.muted.add(did)
        self._log.append(("mute_author", did))
        return Response(200, None)

    def _mute_thread(self, request: Request) -> Response:
        root = str(self._body(request)["root"])
        self.muted_threads.add(root)
        self._log.append(("mute_thread", root))
        return Response(200, None)

    def _create_report(self, request: Request) -> dict:
        body = self._body(request)
        subject, reason_type = body["subject"], body.get("reasonType")
        if reason_type not in REASON_TYPES:
            raise XrpcFail(400, "InvalidRequest", f"Invalid reasonType: {reason_type}")
        if subject.get("$type") == "com.atproto.repo.strongRef" and subject.get("uri") and subject.get("cid"):
            target = subject["uri"]
        elif subject.get("$type") == "com.atproto.admin.defs#repoRef" and str(subject.get("did")).startswith("did:"):
            target = subject["did"]
        else:
            raise XrpcFail(400, "InvalidRequest", "Invalid subject")
        report = {
            "id": len(self.reports) + 1,
            "reasonType": reason_type,
            "reason": body.get("reason", ""),
            "subject": subject,
            "reportedBy": self.owner_did,
            "createdAt": iso(datetime.now(UTC)),
        }
        self.reports.append(report)
        self._log.append(("report", target))
        return report


def connector_for(
    sim: BlueskySimulator, *, account_id: int = 1, name: str = "Bluesky (demo)"
) -> tuple[Account, MemoryVault]:
    """An account and vault for ``cmdesk.connectors.bluesky.create`` against a started ``sim``."""
    access, refresh = sim.issue_session()
    account = Account(
        id=account_id,
        platform=Platform.BLUESKY,
        name=name,
        handle=sim.owner_handle,
        base_url=sim.base_url,
        settings={"did": sim.owner_did},
    )
    return account, MemoryVault({"access_jwt": access, "refresh_jwt": refresh})
