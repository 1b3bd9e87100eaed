"""The Mastodon connector: mentions, replies and direct messages of one account on any instance.

Follows the Mastodon documentation, methods section:
- notifications: ``GET /api/v1/notifications`` with ``types[]=mention``; ``min_id`` pages forward
  without gaps (``since_id`` would jump to the newest page and skip), ``Link`` ``rel="next"``
  (``max_id``) pages back through the first-sync backlog;
- conversations: ``GET /api/v1/conversations`` (paginated by the last status id, as its ``Link``
  header does), so direct messages filtered out of notifications by the notification policy
  still arrive;
- statuses: ``GET /api/v1/statuses/:id``, ``…/:id/context``, ``POST /api/v1/statuses`` with
  ``in_reply_to_id``, ``visibility`` and the ``Idempotency-Key`` header, ``DELETE …/:id``;
- accounts: ``POST /api/v1/accounts/:id/block``, ``/mute``, ``/remove_from_followers``,
  ``GET /api/v1/accounts/verify_credentials``; reports: ``POST /api/v1/reports``;
- admin/accounts: ``POST /api/v1/admin/accounts/:id/action`` (``suspend``), ``GET …/:id``,
  ``POST …/:id/unsuspend`` and ``…/unsilence``; instance: ``GET /api/v2/instance``.
Rate-limit headers (``X-RateLimit-*``, API guidelines "Rate limits") are read by ``HttpClient``.

Moderation verbs live in ``mastodon_moderation`` (what an owner, and an admin, may do), sign-in
in ``mastodon_auth``, JSON parsing and the sync cursor in ``mastodon_parse``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from cmdesk.connectors.base import (
    AuthExpired,
    Batch,
    Capabilities,
    ConnectorError,
    CredentialVault,
    NotFound,
    Permanent,
    Target,
    Transient,
    Verb,
)
from cmdesk.connectors.http import HttpClient, HttpResponse
from cmdesk.connectors.mastodon_auth import (
    ADMIN_SCOPES,
    BASE_SCOPES,
    SECRET_NAMES,
    MastodonSignIn,
    SignInResult,
    sign_in,
    sign_out,
)
from cmdesk.connectors.mastodon_moderation import NO_DELETE_OTHERS, NO_HIDE, ModerationMixin
from cmdesk.connectors.mastodon_parse import (
    DEFAULT_MAX_CHARACTERS,
    URL_WEIGHT,
    Malformed,
    Me,
    PageResult,
    SyncCursor,
    can_moderate_users,
    has_scope,
    id_key,
    instance_limits,
    items_from_conversations,
    items_from_notifications,
    items_from_statuses,
    load_ref,
    newest_id,
    notifications_page,
    role_permissions,
    status_item,
    status_length,
)
from cmdesk.connectors.page_worker import PAGES
from cmdesk.connectors.registry import ConnectorSpec, register
from cmdesk.core.models import Account, IncomingItem, Platform
from cmdesk.core.text import html_to_text

__all__ = ["MastodonConnector", "MastodonSignIn", "SignInResult", "sign_in", "sign_out"]

log = logging.getLogger("cmdesk.connectors.mastodon")
PAGES.parser_modules.add(notifications_page.__module__)  # imported in the worker when it starts

NOTIFICATION_PAGE = 80  # the documented maximum (default 40): half the requests on a busy account
CONVERSATION_PAGE = 40  # the documented maximum
BACKLOG_PAGES = 3  # first sync: the newest 240 mentions
CONVERSATION_BACKLOG_PAGES = 2
# While pages of mentions keep coming (a catch-up), direct messages are read with one page in
# this many, not with every page: half the requests of a long catch-up asked for DMs and found
# none. The count travels in the cursor, so a page fetched again is fetched the same way.
DM_EVERY_PAGES = 10
PROFILE_TTL = 1800.0  # seconds before the role and limits are read again
_SCOPES_FOR = {
    Verb.REPLY: ("write:statuses",),
    Verb.DELETE: ("write:statuses",),
    Verb.BLOCK_AUTHOR: ("write:blocks",),
    Verb.MUTE_AUTHOR: ("write:mutes",),
    Verb.REPORT: ("write:reports",),
    Verb.BAN_AUTHOR: ("admin:write:accounts",),
    Verb.UNBAN_AUTHOR: ("admin:read:accounts", "admin:write:accounts"),  # reads which limit to lift
}


@dataclass(frozen=True)
class _Profile:
    me: Me
    permissions: int
    role_name: str
    max_characters: int
    url_weight: int


class MastodonConnector(ModerationMixin):
    """One Mastodon account. Blocking; safe to use from a sync worker and the outbox together."""

    def __init__(self, account: Account, vault: CredentialVault, http: HttpClient | None = None):
        self.account = account
        self.vault = vault
        self.base_url = account.base_url.rstrip("/")
        self.http = http or HttpClient(label=account.name or account.handle)
        self.skipped = 0  # items dropped because they were not the documented shape
        self._profile: _Profile | None = self._profile_from_settings()
        self._profile_at = float("-inf")  # settings are a start, not fresh: the first call reads the server
        self._lock = threading.Lock()

    # ---- plumbing

    @property
    def _settings(self) -> dict:
        return self.account.settings or {}

    @property
    def _host(self) -> str:
        return urlsplit(self.base_url).netloc

    def _auth(self) -> dict[str, str]:
        token = self.vault.get("access_token")
        if not token:
            raise AuthExpired(f"{self.account.name or 'This Mastodon account'} has no token; sign in again.")
        return {"Authorization": f"Bearer {token}"}

    def _call(self, method: str, path: str, *, params=None, data=None, headers=None, **kwargs) -> HttpResponse:
        all_headers = self._auth() | dict(headers or {})
        response = self.http.request(
            method, self.base_url + path, params=params, data=data, headers=all_headers, **kwargs
        )
        return response

    def _json(self, method: str, path: str, **kwargs):
        return self._call(method, path, **kwargs).json()

    def _granted(self) -> set[str]:
        scopes = self._settings.get("scopes")
        if not scopes:  # unknown (older settings, demo): assume what CMDesk asks for; the server decides
            return set(BASE_SCOPES + ADMIN_SCOPES)
        return set(str(scopes).split())

    # ---- who we are

    def _profile_from_settings(self) -> _Profile | None:
        settings = self.account.settings or {}
        if not settings.get("account_id"):
            return None
        domain = settings.get("domain") or urlsplit(self.account.base_url).hostname or ""
        return _Profile(
            me=Me(str(settings["account_id"]), str(settings.get("acct") or ""), domain),
            permissions=int(settings.get("role_permissions") or 0),
            role_name=str(settings.get("role_name") or ""),
            max_characters=int(settings.get("max_characters") or DEFAULT_MAX_CHARACTERS),
            url_weight=int(settings.get("url_weight") or URL_WEIGHT),
        )

    def profile(self, *, refresh: bool = False) -> _Profile:
        """The signed-in account and the instance limits, read again every ``PROFILE_TTL`` seconds
        (roles change, instances raise their character limit)."""
        with self._lock:
            if self._profile and not refresh and time.monotonic() - self._profile_at < PROFILE_TTL:
                return self._profile
        me = self._json("GET", "/api/v1/accounts/verify_credentials")
        if not isinstance(me, dict) or not me.get("id"):
            raise Transient(f"{self._host} sent an account without an id.")
        instance = self._instance()
        domain, max_chars, url_weight = instance_limits(instance)
        profile = _Profile(
            me=Me(str(me["id"]), str(me.get("acct") or ""), domain or urlsplit(self.base_url).hostname or ""),
            permissions=role_permissions(me),
            role_name=str((me.get("role") or {}).get("name") or ""),
            max_characters=max_chars,
            url_weight=url_weight,
        )
        with self._lock:
            self._profile, self._profile_at = profile, time.monotonic()
        return profile

    def _instance(self) -> dict:
        for path in ("/api/v2/instance", "/api/v1/instance"):
            try:
                data = self._json("GET", path)
            except NotFound:
                continue
            except Transient:
                break  # the limits have defaults; the sync should not fail over them
            return data if isinstance(data, dict) else {}
        return {}

    def _me(self) -> Me:
        return self.profile().me

    # ---- capabilities

    def capabilities(self) -> Capabilities:
        """What this account may do; never raises (an unknown role means no admin verbs)."""
        profile = self._profile
        if profile is None:
            try:
                profile = self.profile()
            except ConnectorError as exc:
                log.info("Mastodon: could not read the account's role: %s", exc)
        verbs = {Verb.REPLY, Verb.DELETE, Verb.BLOCK_AUTHOR, Verb.MUTE_AUTHOR, Verb.REPORT}
        missing = {Verb.HIDE: NO_HIDE, Verb.UNHIDE: NO_HIDE, Verb.DELETE: NO_DELETE_OTHERS}
        domain = profile.me.domain if profile else self._host
        if profile is None:
            reason = "CMDesk could not read this account's role yet; try again once it is online."
            missing[Verb.BAN_AUTHOR] = missing[Verb.UNBAN_AUTHOR] = reason
        elif not can_moderate_users(profile.permissions):
            reason = f"Only moderators of {domain} with the “Manage Users” permission can suspend accounts."
            missing[Verb.BAN_AUTHOR] = missing[Verb.UNBAN_AUTHOR] = reason
        else:
            verbs |= {Verb.BAN_AUTHOR, Verb.UNBAN_AUTHOR}
        granted = self._granted()
        for verb in list(verbs):
            lacking = [scope for scope in _SCOPES_FOR[verb] if not has_scope(granted, scope)]
            if lacking:
                verbs.discard(verb)
                missing[verb] = (
                    f"CMDesk was not given the “{lacking[0]}” permission on {domain}; sign in again to allow it."
                )
        return Capabilities(
            verbs=frozenset(verbs),
            missing=missing,
            max_reply_length=profile.max_characters if profile else DEFAULT_MAX_CHARACTERS,
        )

    # ---- fetching

    def fetch(self, cursor: str | None) -> Batch:
        """Mentions (replies included) and direct messages newer than ``cursor``, oldest first."""
        state = SyncCursor.load(cursor)
        me = self._me()
        try:
            if state.notifications is None:
                (n_items, n_cursor), n_more = (
                    self._backlog(
                        "/api/v1/notifications",
                        self._notification_params(),
                        NOTIFICATION_PAGE,
                        BACKLOG_PAGES,
                        lambda page: items_from_notifications(page, me),
                    ),
                    False,
                )
            else:
                n_items, n_cursor, n_more = self._notifications_after(state.notifications, me)
            # In a catch-up (more mentions wait), DMs are read with its first page, then every
            # DM_EVERY_PAGES pages, and with its last page.
            read_dms = not n_more or not 0 < state.dm_pages_behind < DM_EVERY_PAGES
            if not read_dms:
                c_items, c_cursor, c_more = [], state.conversations, False
            elif state.conversations is None:
                (c_items, c_cursor), c_more = (
                    self._backlog(
                        "/api/v1/conversations",
                        [("limit", str(CONVERSATION_PAGE))],
                        CONVERSATION_PAGE,
                        CONVERSATION_BACKLOG_PAGES,
                        lambda page: items_from_conversations(page, me)[:2],
                    ),
                    False,
                )
            else:
                c_items, c_cursor, c_more = self._conversations_after(state.conversations, me)
        except Malformed as exc:
            raise Transient(f"{self._host} sent a page CMDesk cannot read ({exc}).") from exc
        behind = (1 if read_dms else state.dm_pages_behind + 1) if n_more else 0
        seen: dict[str, IncomingItem] = {}
        for item in n_items + c_items:
            seen.setdefault(item.platform_item_id, item)
        items = sorted(seen.values(), key=lambda i: (i.created_at, id_key(i.platform_item_id)))
        return Batch(items, SyncCursor(n_cursor, c_cursor, behind).dump(), more=n_more or c_more)

    def _page(self, path: str, params: list[tuple[str, str]]) -> tuple[list, HttpResponse]:
        response = self._call("GET", path, params=params)
        page = response.json()
        if not isinstance(page, list):
            raise Malformed(f"{path} did not answer with a list")
        return page, response

    def _notification_params(self, **extra: str) -> list[tuple[str, str]]:
        return [("types[]", "mention"), ("limit", str(NOTIFICATION_PAGE)), *extra.items()]

    def _backlog(
        self,
        path: str,
        params: list[tuple[str, str]],
        limit: int,
        pages: int,
        parse: Callable[[list], tuple[PageResult, list[str]]],
    ) -> tuple[list[IncomingItem], str]:
        """Newest first, following ``Link: rel="next"`` (its ``max_id``) for at most ``pages`` pages.

        Returns the items and the newest id seen ("0" when there was nothing: all later ones are new)."""
        items: list[IncomingItem] = []
        ids: list[str] = []
        query = list(params)
        for _ in range(pages):
            page, response = self._page(path, query)
            result, page_ids = parse(page)
            self.skipped += result.skipped
            items += result.items
            ids += page_ids
            older = _link_param(response, "next", "max_id") or (min(page_ids, key=id_key) if page_ids else None)
            if len(page) < limit or not older:
                break
            query = [*params, ("max_id", older)]
        return items, newest_id(ids) or "0"

    def _notifications_after(self, after: str, me: Me) -> tuple[list[IncomingItem], str, bool]:
        """The page immediately newer than ``after`` (``min_id``): nothing between is skipped."""
        response = self._call("GET", "/api/v1/notifications", params=self._notification_params(min_id=after))
        result, ids, count = PAGES.run(notifications_page, response.body, self._host, me)
        self.skipped += result.skipped
        newest = newest_id(ids)
        cursor = newest if newest and id_key(newest) > id_key(after) else after
        # Any non-empty page may have a successor: servers may cap ``limit`` below what we ask
        # (mastodon-mock serves 40), so the page size cannot tell. An empty page ends the catch-up.
        return result.items, cursor, count > 0

    def _conversations_after(self, after: str, me: Me) -> tuple[list[IncomingItem], str, bool]:
        """Conversations whose last status is newer than ``after``, plus the earlier new messages
        of each (a burst of several messages only shows its last one in the list)."""
        params = [("limit", str(CONVERSATION_PAGE)), ("min_id", after)]
        page, _ = self._page("/api/v1/conversations", params)
        result, ids, statuses = items_from_conversations(page, me)
        self.skipped += result.skipped
        items = list(result.items)
        for status in statuses:
            if not status.get("in_reply_to_id"):
                continue
            try:
                context = self._json("GET", f"/api/v1/statuses/{status['id']}/context")
            except NotFound:
                continue
            ancestors = context.get("ancestors") if isinstance(context, dict) else None
            if not isinstance(ancestors, list):
                raise Malformed("context without ancestors")
            newer = [
                s
                for s in ancestors
                if isinstance(s, dict)
                and id_key(str(s.get("id") or "")) > id_key(after)
                and s.get("visibility") == "direct"
            ]
            extra = items_from_statuses(newer, me)
            self.skipped += extra.skipped
            items += extra.items
        newest = newest_id(ids)
        cursor = newest if newest and id_key(newest) > id_key(after) else after
        return items, cursor, len(page) >= CONVERSATION_PAGE

    # ---- context

    def _status_id(self, target: Target) -> str:
        return str(load_ref(target.ref).get("id") or target.platform_item_id)

    def context(self, target: Target) -> list[IncomingItem]:
        """Ancestors, the status itself, then its replies (``GET /api/v1/statuses/:id/context``)."""
        status_id = self._status_id(target)
        me = self._me()
        status = self._json("GET", f"/api/v1/statuses/{status_id}")
        context = self._json("GET", f"/api/v1/statuses/{status_id}/context")
        if not isinstance(context, dict):
            raise Transient(f"{self._host} sent a thread CMDesk cannot read.")
        try:
            statuses = [*(context.get("ancestors") or []), status, *(context.get("descendants") or [])]
            result = items_from_statuses(statuses, me)
        except Malformed as exc:
            raise Transient(f"{self._host} sent a thread CMDesk cannot read ({exc}).") from exc
        self.skipped += result.skipped
        return result.items

    # ---- replying

    def _parent_facts(self, target: Target) -> dict:
        """Visibility, content warning and who to address, from the ref or from the status itself."""
        ref = load_ref(target.ref)
        if "vis" in ref and "mentions" in ref:
            return ref
        status = self._json("GET", f"/api/v1/statuses/{self._status_id(target)}")
        try:
            fresh = load_ref(status_item(status, self._me()).ref)
        except Malformed as exc:
            raise Transient(f"{self._host} sent a status CMDesk cannot read ({exc}).") from exc
        return fresh

    def compose(self, target: Target, text: str) -> str:
        """The reply text as it will be posted: the people the parent involves are mentioned first
        (a direct reply reaches only who it mentions)."""
        facts = self._parent_facts(target)
        lowered = text.casefold()
        prefix = [f"@{acct}" for acct in facts.get("mentions") or [] if f"@{acct}".casefold() not in lowered]
        return (" ".join(prefix) + " " + text.strip()).strip() if prefix else text.strip()

    def reply(self, target: Target, text: str, idempotency_key: str) -> IncomingItem:
        """``POST /api/v1/statuses`` answering ``target`` with its visibility (a DM stays direct).

        The ``Idempotency-Key`` makes the server return the first status for a repeated key
        (Mastodon keeps keys for an hour; ``find_reply`` covers longer gaps).
        """
        if not text.strip():
            raise Permanent("The reply is empty.")
        facts = self._parent_facts(target)
        body = self.compose(target, text)
        profile = self.profile()
        length = status_length(body, profile.url_weight)
        if length > profile.max_characters:
            raise Permanent(
                f"The reply is {length} characters long; {profile.me.domain or self._host} "
                f"accepts at most {profile.max_characters}."
            )
        form = {
            "status": body,
            "in_reply_to_id": str(facts.get("id") or self._status_id(target)),
            "visibility": str(facts.get("vis") or "public"),
        }
        if facts.get("cw"):
            form["spoiler_text"] = str(facts["cw"])
        status = self._json("POST", "/api/v1/statuses", data=form, headers={"Idempotency-Key": idempotency_key})
        try:
            return status_item(status, profile.me)
        except Malformed as exc:
            raise Transient(f"{self._host} answered the reply with something CMDesk cannot read ({exc}).") from exc

    def find_reply(
        self,
        target: Target,
        idempotency_key: str,
        text: str,
        *,
        since: datetime | None = None,
        known: frozenset[str] = frozenset(),
    ) -> IncomingItem | None:
        """Our reply to ``target`` with this text, posted since ``since`` and not one of ``known``
        (seen among the descendants). Mastodon keeps an Idempotency-Key for an hour only, and
        shows no key on a status: after that, or behind a proxy that drops the header, the text
        and the time are all there is to match."""
        status_id = self._status_id(target)
        me = self._me()
        try:
            context = self._json("GET", f"/api/v1/statuses/{status_id}/context")
        except NotFound:
            return None
        wanted = _comparable(text)
        for status in (context.get("descendants") or []) if isinstance(context, dict) else []:
            if not isinstance(status, dict) or str(status.get("in_reply_to_id") or "") != status_id:
                continue
            if str((status.get("account") or {}).get("id") or "") != me.account_id or status.get("id") in known:
                continue
            if _comparable(html_to_text(str(status.get("content") or ""))) == wanted:
                try:
                    found = status_item(status, me)
                except Malformed:
                    continue
                if since is None or found.created_at >= since:
                    return found
        return None


# ---- helpers --------------------------------------------------------------------------------


def _link_param(response: HttpResponse, rel: str, name: str) -> str | None:
    url = response.link(rel)
    if not url:
        return None
    values = parse_qs(urlsplit(url).query).get(name)
    return values[-1] if values else None


def _comparable(text: str) -> str:
    """Text with mentions dropped and spacing folded: the server renders ``@user@domain`` as ``@user``."""
    return " ".join(word for word in text.casefold().split() if not word.startswith("@"))


register(ConnectorSpec(platform=Platform.MASTODON, factory=MastodonConnector, secret_names=SECRET_NAMES))
