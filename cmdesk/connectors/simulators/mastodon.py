"""A loopback Mastodon instance that speaks the client API subset the connector uses.

Follows the Mastodon documentation (methods: apps, oauth, accounts, notifications,
conversations, statuses, reports, admin/accounts, instance; entities: Account,
CredentialAccount, Status, Notification, Conversation, Context, Relationship, Report,
Admin::Account, Token, Application, Instance; API guidelines: pagination by ``Link`` headers
with ``max_id`` / ``min_id``, ``X-RateLimit-*`` headers, error bodies ``{"error": …}``).

One owner account (the one CMDesk operates), other accounts created by seeding, statuses
with snowflake-like ids derived from their time (as Mastodon does), serial notification ids.
OAuth approves every request at once (``/oauth/authorize`` redirects straight to the
``redirect_uri`` with a code) and checks PKCE S256 (``mastodon_oauth``); entities are rendered
in ``mastodon_entities``. Deterministic: no randomness; ids come from counters and the times
given (statuses posted through the API take the current time, as on a real server).

Seeding and inspection (used by the demo and by the sync/outbox tests)::

    sim = MastodonSimulator(port=0, faults=None, owner_role="admin" | "user", max_characters=500)
    sim.start() -> base_url; sim.stop(); sim.owner_token; sim.owner_handle; sim.owner_id
    sim.seed_incoming(author_id=, author_name=, author_handle=, text=, created_at=, kind=, thread_key=, lang=) -> id
    sim.seed_status(...), sim.seed_boost(...), sim.seed_notification(...), sim.add_account(...)
    sim.edit_status(id, text), sim.delete_status(id), sim.delete_account(id), sim.set_owner_role(role)
    sim.issue_token(scopes)
    sim.posted_replies(), sim.moderation_log(), sim.reports(), sim.account_state(id), sim.status_exists(id)
    sim.idempotency_keys = False  # forget Idempotency-Key (a proxy dropped it, or its hour passed)
    connector_for(sim) -> (Account, MemoryVault)
"""

from __future__ import annotations

import itertools
import threading
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from cmdesk.connectors.simulators.mastodon_entities import (
    ADMIN_ACTIONS,
    ADMIN_ROLE,
    MENTION_RE,
    REPORT_CATEGORIES,
    USER_ROLE,
    EntitiesMixin,
    encode_json,
    has_scope,
    iso,
    join_objects,
    json_list,
    json_member,
)
from cmdesk.connectors.simulators.mastodon_oauth import OAuthMixin
from cmdesk.connectors.simulators.server import Faults, Request, Response, SimulatorServer
from cmdesk.core.models import Account, ItemKind, Platform
from cmdesk.core.templates.length import Unit, count
from cmdesk.secrets import MemoryVault

RATE_WINDOW = 300.0  # Mastodon: 300 requests per 5 minutes per account


OWNER_SCOPES = (
    "read write:statuses write:blocks write:mutes write:reports write:follows admin:read:accounts admin:write:accounts"
)


@dataclass
class JsonTextResponse(Response):
    """A response whose body is JSON text already (pages assembled from cached texts); it is
    encoded to UTF-8 when sent, as ``Response.encoded()`` does with the JSON it writes."""

    def encoded(self) -> bytes:
        return self.body.encode("utf-8")


class MastodonSimulator(OAuthMixin, EntitiesMixin, SimulatorServer):
    """A Mastodon instance on 127.0.0.1. ``owner_role`` is ``"admin"`` or ``"user"``."""

    name = "mastodon-simulator"

    def __init__(
        self,
        *,
        port: int = 0,
        faults: Faults | None = None,
        owner_role: str = "admin",
        owner_username: str = "cmdesk",
        domain: str = "mastodon.example",
        max_characters: int = 500,
        rate_budget: int = 300,
    ):
        super().__init__(port=port, faults=faults)
        if owner_role not in ("admin", "user"):
            raise ValueError("owner_role is 'admin' or 'user'")
        self.owner_role = owner_role
        self.domain = domain
        self.max_characters = max_characters
        self.rate_budget = rate_budget
        self.deny_authorization = False  # make /oauth/authorize answer error=access_denied
        self.owner_id = "109000000000000001"
        self.owner_token = f"mastodon-sim-{owner_username}-token"
        self.owner_handle = f"@{owner_username}@{domain}"
        self._state = threading.RLock()
        self._accounts: dict[str, dict] = {}
        self._statuses: dict[str, dict] = {}
        # Counts every change to what an Account or Status shows (see _changed): the tallies and
        # the JSON texts below are kept until it moves.
        self._changes = 0
        self._account_texts: dict[str, tuple[int, str]] = {}
        self._status_texts: dict[str, tuple[int, str]] = {}
        self._direct: list[dict] = []  # the direct statuses, oldest first (what conversations are made of)
        self._notifications: list[dict] = []
        self._notification_keys: list[int] = []  # their ids as numbers, ascending (ids come from a counter)
        self._conversation_ids: dict[str, str] = {}
        self._tokens: dict[str, set[str]] = {self.owner_token: set(OWNER_SCOPES.split())}
        self._apps: dict[str, dict] = {}
        self._codes: dict[str, dict] = {}
        self._idempotency: dict[tuple[str, str], str] = {}
        self.idempotency_keys = True  # Mastodon answers a repeated key with the first status, for an hour
        self._threads: dict[str, str] = {}  # thread_key -> our root status id
        self._blocks: set[str] = set()
        self._mutes: set[str] = set()
        self._followers: set[str] = set()
        self._reports: list[dict] = []
        self._moderation: list[tuple[str, str]] = []
        self._serial = itertools.count(1)
        self._notification_ids = itertools.count(30000)
        self._rate_used = 0
        self._rate_start = 0.0
        self._add_account(self.owner_id, owner_username, "Community Team", None)
        self._routes_setup()

    # ================================================================ seeding and inspection

    def add_account(self, account_id: str, handle: str, display_name: str = "", *, emojis: list | None = None) -> str:
        """An account ``@user`` (local) or ``@user@other.domain`` (remote); returns its id."""
        username, _, host = handle.lstrip("@").partition("@")
        with self._state:
            if account_id not in self._accounts:
                self._add_account(account_id, username, display_name, None if host in ("", self.domain) else host)
                self._accounts[account_id]["emojis"] = list(emojis or [])
                self._followers.add(account_id)
                self._changed()  # the owner's followers_count, mentions of this account
        return account_id

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
    ) -> str:
        """A status from ``author_id`` that reaches the owner; returns its id.

        REPLY / COMMENT: a public reply to our post of ``thread_key`` (one created per key; a
        standalone post of ours without a key). MENTION: a public post mentioning us (inside
        ``thread_key``'s thread when given, as an answer to its latest status). DIRECT_MESSAGE: a
        direct status mentioning us (inside the thread when given). ``text`` becomes the content
        as it is; a mention notification is created as Mastodon does.
        """
        self.add_account(author_id, author_handle, author_name)
        with self._state:
            if kind in (ItemKind.REPLY, ItemKind.COMMENT, ItemKind.REVIEW):
                parent = self._thread_root(thread_key, created_at)
                visibility = "public"
            elif kind == ItemKind.MENTION:
                parent = self._thread_tail(thread_key, created_at) if thread_key else None
                visibility = "public"
            else:
                parent = self._thread_tail(thread_key, created_at) if thread_key in self._threads else None
                visibility = "direct"
            status_id = self.seed_status(
                author_id,
                text,
                created_at=created_at,
                in_reply_to_id=parent,
                visibility=visibility,
                language=lang,
                mentions=[self.owner_id],
            )
            if thread_key and thread_key not in self._threads:
                self._threads[thread_key] = status_id  # a direct conversation starts with its first message
            return status_id

    def render_cached_texts(self) -> None:
        """Render now the JSON text of every account and status (kept until the next change), as
        a server's warm cache would hold them: a benchmark that seeds thousands of statuses then
        measures the client, not this simulator's first rendering, on the same CPU."""
        with self._state:
            for account_id in self._accounts:
                self._account_text(account_id)
            for status in self._statuses.values():
                self._status_text(status)

    def seed_status(
        self,
        author_id: str,
        text: str = "",
        *,
        created_at: datetime | None = None,
        in_reply_to_id: str | None = None,
        visibility: str = "public",
        language: str = "",
        mentions: list[str] | None = None,
        html_content: str | None = None,
        spoiler_text: str = "",
        media: list[dict] | None = None,
        poll: dict | None = None,
        emojis: list[dict] | None = None,
        notify: bool = True,
    ) -> str:
        """Any status (real-world shapes: raw HTML, content warning, media, poll, custom emoji)."""
        with self._state:
            status = self._new_status(
                author_id, text, created_at or datetime.now(UTC), in_reply_to_id, visibility, language, mentions
            )
            if html_content is not None:
                status["html"] = html_content
            status.update(spoiler_text=spoiler_text, media=list(media or []), poll=poll, emojis=list(emojis or []))
            self._changed()
            if notify and self.owner_id in status["mention_ids"] and author_id != self.owner_id:
                self._notify("mention", author_id, status["id"], status["created_at"])
            return status["id"]

    def seed_boost(self, author_id: str, status_id: str) -> str:
        """``author_id`` boosts one of our statuses: a reblog status and a ``reblog`` notification."""
        with self._state:
            boost = self._new_status(author_id, "", datetime.now(UTC), None, "public", "", [])
            boost["reblog_of"] = status_id
            self._changed()
            self._notify("reblog", author_id, boost["id"], boost["created_at"])
            return boost["id"]

    def seed_notification(self, kind: str, author_id: str, status_id: str | None = None) -> str:
        with self._state:
            return self._notify(kind, author_id, status_id, datetime.now(UTC))

    def edit_status(self, status_id: str, text: str) -> None:
        with self._state:
            status = self._statuses[status_id]
            status.update(text=text, html=self._render(text), edited_at=datetime.now(UTC))
            self._changed()

    def delete_status(self, status_id: str) -> None:
        with self._state:
            self._statuses[status_id]["deleted"] = True
            self._changed()

    def delete_account(self, account_id: str) -> None:
        """The account and its statuses are gone (deleted by its owner, or purged): 404 from now on."""
        with self._state:
            self._accounts.pop(account_id)
            for status in self._statuses.values():
                if status["account_id"] == account_id:
                    status["deleted"] = True
            self._changed()

    def set_owner_role(self, role: str) -> None:
        self.owner_role = role

    def issue_token(self, scopes: str) -> str:
        """Another token of the owner, limited to ``scopes`` (to test scope errors)."""
        with self._state:
            token = f"mastodon-sim-token-{next(self._serial)}"
            self._tokens[token] = set(scopes.split())
            return token

    def posted_replies(self) -> list[dict]:
        """Every reply the owner posted (deleted ones too), in order: ``{"id", "in_reply_to", "text"}``."""
        with self._state:
            own = [
                s
                for s in self._statuses.values()
                if s["account_id"] == self.owner_id and s["in_reply_to_id"] and s.get("posted")
            ]
            own.sort(key=lambda s: s["seq"])
            return [{"id": s["id"], "in_reply_to": s["in_reply_to_id"], "text": s["text"]} for s in own]

    def moderation_log(self) -> list[tuple[str, str]]:
        with self._state:
            return list(self._moderation)

    def reports(self) -> list[dict]:
        with self._state:
            return [dict(r) for r in self._reports]

    def account_state(self, account_id: str) -> dict:
        with self._state:
            a = self._accounts[account_id]
            return {
                "blocked": account_id in self._blocks,
                "muted": account_id in self._mutes,
                "follower": account_id in self._followers,
                "suspended": a["suspended"],
                "silenced": a["silenced"],
            }

    def status_exists(self, status_id: str) -> bool:
        with self._state:
            return status_id in self._statuses and not self._statuses[status_id]["deleted"]

    # ================================================================ internals: model

    def _add_account(self, account_id: str, username: str, display_name: str, host: str | None) -> None:
        self._accounts[account_id] = {
            "id": account_id,
            "username": username,
            "host": host,
            "display_name": display_name,
            "created_at": datetime(2022, 11, 1, tzinfo=UTC),
            "emojis": [],
            "suspended": False,
            "silenced": False,
            "sensitized": False,
            "disabled": False,
        }

    def _acct(self, account: dict) -> str:
        return f"{account['username']}@{account['host']}" if account["host"] else account["username"]

    def _new_status(self, author_id, text, created_at, in_reply_to_id, visibility, language, mentions) -> dict:
        seq = next(self._serial)
        millis = int(created_at.timestamp() * 1000)
        status_id = str((millis << 16) | (seq & 0xFFFF))
        parent = self._statuses.get(in_reply_to_id) if in_reply_to_id else None
        status = {
            "id": status_id,
            "seq": seq,
            "account_id": author_id,
            "created_at": created_at,
            "text": text,
            "html": self._render(text),
            "visibility": visibility,
            "language": language or None,
            "in_reply_to_id": in_reply_to_id,
            "in_reply_to_account_id": parent["account_id"] if parent else None,
            "mention_ids": list(dict.fromkeys(mentions or [])),
            "spoiler_text": "",
            "media": [],
            "poll": None,
            "emojis": [],
            "edited_at": None,
            "deleted": False,
            "reblog_of": None,
            "posted": False,
        }
        self._statuses[status_id] = status
        if visibility == "direct":  # visibility is set once: Mastodon's edits cannot change it
            self._direct.append(status)
        self._changed()
        return status

    def _changed(self) -> None:
        """Something an Account or Status shows may have changed (a status added, edited or
        deleted, a follower gone…): tallies and JSON texts are rendered again when next asked for.
        Every change to accounts and statuses goes through the methods here, which call this."""
        self._changes += 1

    def _notify(self, kind: str, author_id: str, status_id: str | None, created_at: datetime) -> str:
        notification_id = str(next(self._notification_ids))
        self._notification_keys.append(int(notification_id))
        self._notifications.append(
            {
                "id": notification_id,
                "type": kind,
                "account_id": author_id,
                "status_id": status_id,
                "created_at": created_at,
            }
        )
        return notification_id

    def _thread_root(self, thread_key: str | None, created_at: datetime) -> str:
        if thread_key and thread_key in self._threads:
            return self._threads[thread_key]
        root = self._new_status(
            self.owner_id,
            f"News from the team ({thread_key or 'update'})",
            created_at - timedelta(minutes=5),
            None,
            "public",
            "en",
            [],
        )
        if thread_key:
            self._threads[thread_key] = root["id"]
        return root["id"]

    def _thread_tail(self, thread_key: str, created_at: datetime) -> str:
        """The latest live status of the thread (its root when nothing answered it yet)."""
        root = self._thread_root(thread_key, created_at)
        members = [s for s in self._statuses.values() if not s["deleted"] and self._root_of(s["id"]) == root]
        return max(members, key=lambda s: int(s["id"]))["id"] if members else root

    def _root_of(self, status_id: str) -> str:
        seen = set()
        current = self._statuses.get(status_id)
        while current and current["in_reply_to_id"] in self._statuses and current["id"] not in seen:
            seen.add(current["id"])
            current = self._statuses[current["in_reply_to_id"]]
        return current["id"] if current else status_id

    # ================================================================ internals: HTTP

    def check_token(self, token: str | None) -> bool:
        return token is not None and token in self._tokens

    def dispatch(self, request: Request) -> Response | str:
        with self._state:
            now = time.monotonic()
            if now - self._rate_start >= RATE_WINDOW:
                self._rate_start, self._rate_used = now, 0
            self._rate_used += 1
            over = self._rate_used > self.rate_budget
            wait = RATE_WINDOW - (now - self._rate_start)
        if over:  # the account's budget is spent until the window resets (API guidelines, "Rate limits")
            outcome = Response(429, {"error": "Too many requests"}, {"Retry-After": f"{int(wait) + 1}"})
        else:
            outcome = super().dispatch(request)
        if isinstance(outcome, Response):
            outcome.headers.update(self._rate_headers())
        return outcome

    def _rate_headers(self) -> dict[str, str]:
        reset = datetime.now(UTC) + timedelta(seconds=max(0.0, RATE_WINDOW - (time.monotonic() - self._rate_start)))
        return {
            "X-RateLimit-Limit": str(self.rate_budget),
            "X-RateLimit-Remaining": str(max(0, self.rate_budget - self._rate_used)),
            "X-RateLimit-Reset": iso(reset),
        }

    def _scope(self, request: Request, needed: str) -> Response | None:
        if not has_scope(self._tokens.get(request.bearer() or "", set()), needed):
            return Response(403, {"error": "This action is outside the authorized scopes"})
        return None

    def _admin(self, request: Request, needed: str) -> Response | None:
        denied = self._scope(request, needed)
        if denied:
            return denied
        if self.owner_role != "admin":
            return Response(403, {"error": "This action is not allowed"})
        return None

    def _link(self, path: str, request: Request, rows: list[str]) -> dict[str, str]:
        if not rows:
            return {}
        keep = [
            (k, v) for k, values in request.query.items() if k not in ("max_id", "min_id", "since_id") for v in values
        ]
        next_url = f"{self.base_url}{path}?{urlencode([*keep, ('max_id', rows[-1])])}"
        prev_url = f"{self.base_url}{path}?{urlencode([*keep, ('min_id', rows[0])])}"
        return {"Link": f'<{next_url}>; rel="next", <{prev_url}>; rel="prev"'}

    @staticmethod
    def _page_query(request: Request, default: int, maximum: int) -> tuple[int, int | None, int | None, int | None]:
        """``limit`` (within ``maximum``), ``max_id``, ``since_id`` and ``min_id`` of a paginated GET."""

        def number(name: str) -> int | None:
            value = request.arg(name)
            return int(value) if value and value.isdigit() else None

        limit = max(1, min(maximum, int(request.arg("limit") or default)))
        return limit, number("max_id"), number("since_id"), number("min_id")

    @staticmethod
    def _page(keys: list[int], request: Request, default: int, maximum: int) -> list[int]:
        """Mastodon pagination over ids: newest first; ``min_id`` gives the page right after it."""
        limit, max_id, since_id, min_id = MastodonSimulator._page_query(request, default, maximum)
        rows = sorted(keys, reverse=True)
        rows = [k for k in rows if (max_id is None or k < max_id) and (since_id is None or k > since_id)]
        if min_id is not None:
            return sorted(k for k in rows if k > min_id)[:limit][::-1]
        return rows[:limit]

    @staticmethod
    def _page_positions(
        keys: list[int], request: Request, default: int, maximum: int, shown: Callable[[int], bool]
    ) -> list[int]:
        """``_page`` for ascending ``keys``, of which only those whose position passes ``shown``
        count; returns positions. It walks in from the end the page starts at, so a page costs
        about its own size instead of a pass over (and a sort of) every key."""
        limit, max_id, since_id, min_id = MastodonSimulator._page_query(request, default, maximum)
        above = [bound for bound in (since_id, min_id) if bound is not None]
        start = bisect_right(keys, max(above)) if above else 0
        end = bisect_left(keys, max_id) if max_id is not None else len(keys)
        # min_id: the oldest ones after it (served newest first); otherwise the newest ones.
        walk = range(start, end) if min_id is not None else range(end - 1, start - 1, -1)
        picked: list[int] = []
        for position in walk:
            if shown(position):
                picked.append(position)
                if len(picked) == limit:
                    break
        return picked[::-1] if min_id is not None else picked

    def _form(self, request: Request) -> dict[str, list[str]]:
        return {k: [str(x) for x in v] for k, v in request.form().items()}

    # ================================================================ routes

    def _routes_setup(self) -> None:
        r = self.add_route
        r("POST", r"/api/v1/apps", self._create_app, auth=False)
        r("GET", r"/oauth/authorize", self._authorize, auth=False)
        r("POST", r"/oauth/token", self._token, auth=False)
        r("POST", r"/oauth/revoke", self._revoke, auth=False)
        r("GET", r"/api/v2/instance", self._instance, auth=False)
        r("GET", r"/api/v1/accounts/verify_credentials", self._verify)
        r("GET", r"/api/v1/notifications", self._notifications_list)
        r("GET", r"/api/v1/conversations", self._conversations_list)
        r("POST", r"/api/v1/statuses", self._post_status)
        r("GET", r"/api/v1/statuses/(?P<id>[^/]+)", self._get_status)
        r("DELETE", r"/api/v1/statuses/(?P<id>[^/]+)", self._delete_status)
        r("GET", r"/api/v1/statuses/(?P<id>[^/]+)/context", self._context)
        r(
            "POST",
            r"/api/v1/accounts/(?P<id>[^/]+)/(?P<verb>block|unblock|mute|unmute|remove_from_followers)",
            self._account_verb,
        )
        r("POST", r"/api/v1/reports", self._report)
        r("POST", r"/api/v1/admin/accounts/(?P<id>[^/]+)/action", self._admin_action)
        r("GET", r"/api/v1/admin/accounts/(?P<id>[^/]+)", self._admin_get)
        r("POST", r"/api/v1/admin/accounts/(?P<id>[^/]+)/(?P<verb>unsuspend|unsilence)", self._admin_undo)

    # -- instance, account

    def _instance(self, request: Request) -> Response:
        return Response(
            200,
            {
                "domain": self.domain,
                "title": "Simulated Mastodon",
                "version": "4.3.0",
                "source_url": "https://github.com/mastodon/mastodon",
                "description": "A loopback Mastodon for CMDesk.",
                "usage": {"users": {"active_month": len(self._accounts)}},
                "languages": ["en"],
                "configuration": {
                    "urls": {"streaming": self.base_url.replace("http", "ws")},
                    "accounts": {"max_featured_tags": 10},
                    "statuses": {
                        "max_characters": self.max_characters,
                        "max_media_attachments": 4,
                        "characters_reserved_per_url": 23,
                    },
                    "translation": {"enabled": False},
                },
                "registrations": {"enabled": False, "approval_required": False, "message": None},
                "contact": {"email": f"admin@{self.domain}", "account": None},
                "rules": [],
            },
        )

    def _verify(self, request: Request) -> Response:
        with self._state:
            body = self._account_json(self.owner_id)
        body["source"] = {
            "privacy": "public",
            "sensitive": False,
            "language": "en",
            "note": "",
            "fields": [],
            "follow_requests_count": 0,
        }
        body["role"] = ADMIN_ROLE if self.owner_role == "admin" else USER_ROLE
        return Response(200, body)

    # -- timelines of work

    def _notifications_list(self, request: Request) -> Response:
        types, excluded = set(request.args("types")), set(request.args("exclude_types"))
        with self._state:

            def shown(position: int) -> bool:
                n = self._notifications[position]
                status = self._statuses.get(n["status_id"]) if n["status_id"] else None
                return not (
                    (types and n["type"] not in types)
                    or n["type"] in excluded
                    or (status and status["deleted"])
                    or n["account_id"] not in self._accounts  # a deleted account's notifications go with it
                    or n["account_id"] in self._blocks
                    or n["account_id"] in self._mutes
                )

            positions = self._page_positions(self._notification_keys, request, 40, 80, shown)
            page = json_list(self._notification_text(self._notifications[p]) for p in positions)
            ids = [str(self._notification_keys[p]) for p in positions]
        return JsonTextResponse(200, page, self._link("/api/v1/notifications", request, ids))

    def _notification_text(self, n: dict) -> str:
        """A Notification as JSON text, around the cached texts of its account and status."""
        status = self._statuses.get(n["status_id"]) if n["status_id"] else None
        head = {
            "id": n["id"],
            "type": n["type"],
            "created_at": iso(n["created_at"]),
            "group_key": f"ungrouped-{n['id']}",
        }
        return join_objects(
            encode_json(head),
            json_member("account", self._account_text(n["account_id"])),
            json_member("status", self._status_text(status) if status else "null"),
        )

    def _conversations_list(self, request: Request) -> Response:
        with self._state:
            groups: dict[str, list[dict]] = {}
            for s in self._direct:
                visible = s["account_id"] == self.owner_id or self.owner_id in s["mention_ids"]
                if s["visibility"] == "direct" and not s["deleted"] and visible:
                    groups.setdefault(self._root_of(s["id"]), []).append(s)
            by_last = {}
            for root, members in groups.items():
                last = max(members, key=lambda s: int(s["id"]))
                conv_id = self._conversation_ids.setdefault(root, str(400000 + len(self._conversation_ids)))
                people = {a for s in members for a in [s["account_id"], *s["mention_ids"]]} - {self.owner_id}
                head = {"id": conv_id, "unread": last["account_id"] != self.owner_id}
                by_last[int(last["id"])] = join_objects(
                    encode_json(head),
                    json_member("accounts", json_list(self._account_text(a) for a in sorted(people))),
                    json_member("last_status", self._status_text(last)),
                )
            rows = self._page(list(by_last), request, 20, 40)
            page = json_list(by_last[k] for k in rows)
        return JsonTextResponse(200, page, self._link("/api/v1/conversations", request, [str(k) for k in rows]))

    # -- statuses

    def _live(self, status_id: str) -> dict | None:
        status = self._statuses.get(status_id)
        return status if status and not status["deleted"] else None

    def _post_status(self, request: Request) -> Response:
        denied = self._scope(request, "write:statuses")
        if denied:
            return denied
        form = {k: v[-1] for k, v in self._form(request).items()}
        key = request.headers.get("idempotency-key") if self.idempotency_keys else None
        token = request.bearer() or ""
        with self._state:
            if key and (token, key) in self._idempotency:
                return Response(200, self._status_json(self._statuses[self._idempotency[(token, key)]]))
            text = form.get("status", "")
            if not text.strip():
                return Response(422, {"error": "Validation failed: Text can't be blank"})
            counted = count(text, Unit.MASTODON)  # graphemes; URLs weigh 23; @user@domain counts as @user
            if counted > self.max_characters:
                return Response(
                    422, {"error": f"Validation failed: Text character limit of {self.max_characters} exceeded"}
                )
            visibility = form.get("visibility") or "public"
            if visibility not in ("public", "unlisted", "private", "direct"):
                return Response(422, {"error": "Validation failed: Visibility is not included in the list"})
            parent = form.get("in_reply_to_id")
            if parent and not self._live(parent):
                return Response(404, {"error": "Record not found"})
            mentions = [
                a["id"]
                for m in MENTION_RE.finditer(text)
                for a in self._accounts.values()
                if a["username"].lower() == m.group(1).lower()
                and (m.group(2) or self.domain).lower() == (a["host"] or self.domain).lower()
            ]
            status = self._new_status(
                self.owner_id, text, datetime.now(UTC), parent, visibility, form.get("language", ""), mentions
            )
            status.update(posted=True, spoiler_text=form.get("spoiler_text", ""))
            self._changed()
            if key:
                self._idempotency[(token, key)] = status["id"]
            return Response(200, self._status_json(status))

    def _get_status(self, request: Request) -> Response:
        with self._state:
            status = self._live(request.params["id"])
            return Response(200, self._status_json(status)) if status else self.not_found(request)

    def _delete_status(self, request: Request) -> Response:
        denied = self._scope(request, "write:statuses")
        if denied:
            return denied
        with self._state:
            status = self._live(request.params["id"])
            if not status:
                return self.not_found(request)
            if status["account_id"] != self.owner_id:
                return Response(403, {"error": "This action is not allowed"})
            status["deleted"] = True
            self._changed()
            self._moderation.append(("delete", status["id"]))
            return Response(200, self._status_json(status, with_source=True))

    def _context(self, request: Request) -> Response:
        with self._state:
            status = self._live(request.params["id"])
            if not status:
                return self.not_found(request)
            ancestors, parent = [], self._live(status["in_reply_to_id"] or "")
            while parent and len(ancestors) < 100:
                ancestors.insert(0, parent)
                parent = self._live(parent["in_reply_to_id"] or "")
            descendants, frontier = [], [status["id"]]
            while frontier:
                children = sorted(
                    (s for s in self._statuses.values() if s["in_reply_to_id"] in frontier and not s["deleted"]),
                    key=lambda s: int(s["id"]),
                )
                descendants += children
                frontier = [c["id"] for c in children]
            return Response(
                200,
                {
                    "ancestors": [self._status_json(s) for s in ancestors],
                    "descendants": [self._status_json(s) for s in descendants],
                },
            )

    # -- moderation by the account owner

    def _account_verb(self, request: Request) -> Response:
        verb, account_id = request.params["verb"], request.params["id"]
        scope = {
            "block": "write:blocks",
            "unblock": "write:blocks",
            "mute": "write:mutes",
            "unmute": "write:mutes",
        }.get(verb, "write:follows")
        denied = self._scope(request, scope)
        if denied:
            return denied
        with self._state:
            if account_id not in self._accounts:
                return self.not_found(request)
            if account_id == self.owner_id:
                return Response(403, {"error": "This action is not allowed"})
            if verb == "block":
                self._blocks.add(account_id)
                self._followers.discard(account_id)
            elif verb == "unblock":
                self._blocks.discard(account_id)
            elif verb == "mute":
                self._mutes.add(account_id)
            elif verb == "unmute":
                self._mutes.discard(account_id)
            else:
                self._followers.discard(account_id)
            self._changed()  # the owner's followers_count
            self._moderation.append((verb, account_id))
            return Response(200, self._relationship(account_id))

    def _report(self, request: Request) -> Response:
        denied = self._scope(request, "write:reports")
        if denied:
            return denied
        form = self._form(request)
        account_id = (form.get("account_id") or [""])[-1]
        comment = (form.get("comment") or [""])[-1]
        category = (form.get("category") or ["other"])[-1]
        status_ids = form.get("status_ids[]", []) + form.get("status_ids", [])
        with self._state:
            if account_id not in self._accounts:
                return self.not_found(request)
            if len(comment) > 1000:
                return Response(422, {"error": "Validation failed: Comment is too long (maximum is 1000 characters)"})
            if category not in REPORT_CATEGORIES:
                return Response(422, {"error": "Validation failed: Category is not included in the list"})
            if any(s not in self._statuses or self._statuses[s]["account_id"] != account_id for s in status_ids):
                return Response(422, {"error": "Validation failed: Statuses must belong to the reported account"})
            report = {
                "id": str(next(self._serial)),
                "action_taken": False,
                "action_taken_at": None,
                "category": category,
                "comment": comment,
                "status_ids": status_ids,
                "rule_ids": None,
                "forwarded": (form.get("forward") or ["false"])[-1] in ("true", "1"),
                "created_at": iso(datetime.now(UTC)),
                "target_account": self._account_json(account_id),
            }
            self._reports.append(report)
            self._moderation.append(("report", account_id))
            return Response(200, report)

    # -- admin (methods/admin/accounts)

    def _admin_action(self, request: Request) -> Response:
        denied = self._admin(request, "admin:write:accounts")
        if denied:
            return denied
        kind = (self._form(request).get("type") or [""])[-1]
        with self._state:
            account = self._accounts.get(request.params["id"])
            if account is None:
                return self.not_found(request)
            if kind not in ADMIN_ACTIONS:
                return Response(422, {"error": "Record invalid"})
            flag = {"suspend": "suspended", "silence": "silenced", "sensitive": "sensitized", "disable": "disabled"}
            if kind in flag:
                account[flag[kind]] = True
            self._moderation.append((f"admin:{kind}", account["id"]))
            return Response(200, {})

    def _admin_get(self, request: Request) -> Response:
        denied = self._admin(request, "admin:read:accounts")
        if denied:
            return denied
        with self._state:
            if request.params["id"] not in self._accounts:
                return self.not_found(request)
            return Response(200, self._admin_account_json(request.params["id"]))

    def _admin_undo(self, request: Request) -> Response:
        denied = self._admin(request, "admin:write:accounts")
        if denied:
            return denied
        verb = request.params["verb"]
        with self._state:
            account = self._accounts.get(request.params["id"])
            if account is None:
                return self.not_found(request)
            account["suspended" if verb == "unsuspend" else "silenced"] = False
            self._moderation.append((f"admin:{verb}", account["id"]))
            return Response(200, self._admin_account_json(account["id"]))


def connector_for(
    sim: MastodonSimulator, *, account_id: int = 1, name: str = "Mastodon (simulated)", settings: dict | None = None
) -> tuple[Account, MemoryVault]:
    """An Account and a vault for ``sim``'s owner, ready for the Mastodon connector factory."""
    account = Account(
        id=account_id,
        platform=Platform.MASTODON,
        name=name,
        handle=sim.owner_handle,
        base_url=sim.base_url,
        settings={"scopes": OWNER_SCOPES, "domain": sim.domain} | dict(settings or {}),
    )
    return account, MemoryVault({"access_token": sim.owner_token})
