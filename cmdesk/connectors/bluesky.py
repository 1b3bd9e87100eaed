"""The Bluesky (AT Protocol) connector, over XRPC with the project's ``HttpClient``.

Calls and the documents they follow (lexicons at github.com/bluesky-social/atproto/lexicons,
guides at docs.bsky.app):
- sync: ``app.bsky.notification.listNotifications`` with ``reasons`` reply / mention / quote,
  newest first, paged backwards (see ``bluesky_sync`` for the cursor);
- context: ``app.bsky.feed.getPostThread`` (``threadViewPost`` / ``notFoundPost`` / ``blockedPost``;
  hidden replies come back with the thread and are flagged from its threadgate view);
- reply: ``com.atproto.repo.createRecord`` of an ``app.bsky.feed.post`` with ``reply.root`` and
  ``reply.parent`` strong refs (guide "Posts"), facets by UTF-8 byte offsets (guide "Links,
  mentions, and rich text"), and an explicit ``rkey`` derived from the idempotency key so a retry
  meets the record it already wrote (``com.atproto.repo.getRecord`` finds it);
- moderation: threadgate ``hiddenReplies`` / postgate ``detachedEmbeddingUris`` (see
  ``bluesky_moderation``), ``app.bsky.graph.block`` records, ``app.bsky.graph.muteActor`` /
  ``muteThread``, ``com.atproto.moderation.createReport``, ``com.atproto.repo.deleteRecord``.

Sessions are created only by ``sign_in`` (``createSession`` is rate limited to 30 per 5 minutes);
the connector lives on the refresh token kept in the vault.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from datetime import datetime

from cmdesk.connectors.base import (
    Batch,
    Capabilities,
    CredentialVault,
    NotFound,
    Permanent,
    Target,
    Transient,
    Verb,
)
from cmdesk.connectors.bluesky_moderation import (
    BAN_REASON,
    edit_gate,
    gate_action,
    report_reason_type,
    report_subject,
    why_not,
)
from cmdesk.connectors.bluesky_parse import (
    POST,
    WANTED_REASONS,
    Malformed,
    hidden_replies_of,
    notification_item,
    placeholder_item,
    post_item,
    read_ref,
    view_item,
)
from cmdesk.connectors.bluesky_session import (
    SECRET_NAMES,
    SignInResult,
    XrpcClient,
    XrpcError,
    XrpcNotFound,
    sign_in,
)
from cmdesk.connectors.bluesky_sync import LOOKBACK_PAGES, Entry, SyncCursor, advance, pending, sort_key
from cmdesk.connectors.bluesky_text import (
    MAX_POST_GRAPHEMES,
    AtUri,
    check_post_text,
    facet_for,
    find_spans,
    now_iso,
    tid_for_key,
    uri_authority,
)
from cmdesk.connectors.http import HttpClient
from cmdesk.connectors.registry import ConnectorSpec, register
from cmdesk.core.models import Account, IncomingItem, Platform

__all__ = ["BlueskyConnector", "SignInResult", "create", "sign_in"]

log = logging.getLogger("cmdesk.connectors.bluesky")

BLOCK = "app.bsky.graph.block"
ACCOUNT_VERBS = frozenset(
    {Verb.REPLY, Verb.HIDE, Verb.UNHIDE, Verb.DELETE, Verb.BLOCK_AUTHOR, Verb.MUTE_AUTHOR, Verb.REPORT}
)


class BlueskyConnector:
    """One Bluesky account. Blocking calls; safe to share between the sync worker and the outbox."""

    platform = Platform.BLUESKY

    def __init__(
        self,
        account: Account,
        vault: CredentialVault,
        http: HttpClient | None = None,
        *,
        page_size: int = 100,
        backlog: int = 200,
        batch_size: int = 100,
        max_walk_pages: int = 100,
    ):
        self.account = account
        settings = account.settings or {}
        self.http = http or HttpClient(label=account.name or account.handle)
        self.client = XrpcClient(
            self.http,
            vault,
            service_url=account.base_url,
            pds_url=settings.get("pds_url", ""),
            did=settings.get("did", ""),
        )
        self.client.status = settings.get("status") or "active"
        self.page_size = max(1, min(100, page_size))  # the lexicon's limit maximum is 100
        self.backlog = max(1, backlog)
        self.batch_size = batch_size
        self.max_walk_pages = max_walk_pages
        self.skipped = 0  # malformed items passed over (each also logged)
        self._walk_cache: tuple[str, list[Entry]] | None = None
        self._cache_lock = threading.Lock()
        self._handles: dict[str, str | None] = {}
        self.clock = time.time  # when a look-back is due (tests move it)

    @property
    def did(self) -> str:
        if not self.client.did:
            self.client.refresh()  # an old account without the DID in its settings learns it here
        return self.client.did

    # ---- capabilities ------------------------------------------------------------------------

    def capabilities(self) -> Capabilities:
        status = self.client.status
        if status and status != "active":
            why = (
                f"This Bluesky account is {status} on its server, so it cannot post or moderate. "
                "Reactivate it in the Bluesky app first."
            )
            return Capabilities(frozenset(), dict.fromkeys(Verb, why), MAX_POST_GRAPHEMES)
        return Capabilities(
            verbs=ACCOUNT_VERBS,
            missing={Verb.BAN_AUTHOR: BAN_REASON, Verb.UNBAN_AUTHOR: BAN_REASON},
            max_reply_length=MAX_POST_GRAPHEMES,
        )

    def capabilities_for(self, target: Target) -> Capabilities:
        """The verbs that apply to this item (hiding only in our threads, deleting only our posts)."""
        general = self.capabilities()
        post = read_ref(target.ref)
        if not post or not general.verbs:
            return general
        missing = dict(general.missing)
        verbs = set()
        for verb in general.verbs:
            reason = why_not(verb, post, self.did)
            if reason:
                missing[verb] = reason
            else:
                verbs.add(verb)
        return Capabilities(frozenset(verbs), missing, general.max_reply_length)

    # ---- sync --------------------------------------------------------------------------------

    def fetch(self, cursor: str | None) -> Batch:
        """Replies, mentions and quotes strictly after ``cursor``, oldest first (see ``bluesky_sync``).

        Once an hour the batches also bring again what the last day may have hidden below the
        cursor's window (a look-back, see ``bluesky_sync``): first those, then the new ones."""
        state = SyncCursor.decode(cursor)
        now = self.clock()
        deep = state is not None and state.lookback_due(now)
        with self._cache_lock:
            cached = self._walk_cache if self._walk_cache and self._walk_cache[0] == cursor else None
        if cached and (cached[2] or not deep):
            entries, complete = cached[1], True
        else:
            entries, complete = self._walk(state, deep=deep)
        floor = ""
        if state is None:
            entries = sorted(entries, key=lambda e: e.key)
            if len(entries) > self.backlog or not complete:
                entries = entries[-self.backlog :]
                floor = entries[0].at if entries else ""  # older ones stay out of CMDesk for good
        rechecks = sorted((e for e in entries if state.to_recheck(e)), key=lambda e: e.key) if deep else []
        todo = rechecks + pending(entries, state)
        chunk = todo[: self.batch_size]
        more = len(todo) > len(chunk)
        if state is None:
            if not chunk and not complete:
                return Batch([], cursor, more=False)
            # An empty first sync: from now on every notification is new (without a cursor the
            # next sync would be a first one again, and keep only a backlog). Either way the
            # first sync read all it keeps: no look-back before the hour is out.
            first = advance(None, entries, chunk, floor) if chunk else SyncCursor.from_the_start(now)
            new_state = replace(first, looked_back=int(now))
        else:
            fresh = chunk[len(rechecks) :]  # the rechecks come first
            new_state = advance(state, entries, fresh) if fresh else state
            if deep:
                unfinished = len(rechecks) > len(chunk)
                new_state = new_state.after_lookback(now, chunk[-1].key if unfinished else None)
        new_cursor = cursor if new_state is state else new_state.encode()
        with self._cache_lock:
            self._walk_cache = (new_cursor, entries, deep) if more else None
        return Batch([e.item for e in chunk if e.item is not None], new_cursor, more)

    def _walk(self, state: SyncCursor | None, *, deep: bool = False) -> tuple[list[Entry], bool]:
        """Read notification pages from the newest down to the cursor's overlap window (``deep``:
        down to its look-back's start, at most ``LOOKBACK_PAGES`` pages past the window).

        Returns the entries and whether the walk reached the oldest notification."""
        window = state.window_start if state else None
        stop_at = state.lookback_start if deep and state else window
        deep_pages_left = LOOKBACK_PAGES
        entries: dict[str, Entry] = {}
        api_cursor: str | None = None
        for page_number in range(1, self.max_walk_pages + 1):
            params: list[tuple[str, object]] = [("limit", self.page_size)]
            params += [("reasons", reason) for reason in WANTED_REASONS]
            if api_cursor:
                params.append(("cursor", api_cursor))
            page = self.client.query("app.bsky.notification.listNotifications", params, what="notifications")
            notifications = page.get("notifications")
            if not isinstance(notifications, list):
                raise Transient("Bluesky sent a malformed notification page (no notifications list).")
            oldest = None
            for notification in notifications:
                entry = self._entry(notification)
                if entry is None:
                    continue
                oldest = entry.at if oldest is None else min(oldest, entry.at)
                if (stop_at and entry.at < stop_at) or entry.uri in entries:
                    continue
                entries[entry.uri] = entry
            api_cursor = page.get("cursor") if isinstance(page.get("cursor"), str) else None
            if not notifications or not api_cursor:
                return list(entries.values()), True
            if stop_at and oldest and oldest < stop_at:
                break  # reached what the cursor already covers
            if deep and oldest and oldest < window:
                deep_pages_left -= 1
                if not deep_pages_left:
                    break  # bounded: on a busy account the look-back covers less than a day
            if state is None and len(entries) >= self.backlog:
                break  # first sync: a bounded backlog is enough
            if page_number == self.max_walk_pages:
                log.warning("Bluesky: stopped after %d notification pages; older ones were not fetched", page_number)
        return list(entries.values()), False

    def _entry(self, notification: object) -> Entry | None:
        if not isinstance(notification, dict):
            self._skip("a notification is not an object")
            return None
        at, uri = sort_key(notification.get("indexedAt")), notification.get("uri")
        if not at or not isinstance(uri, str):
            self._skip("a notification has no uri/indexedAt")
            return None
        if notification.get("reason") not in WANTED_REASONS:
            return None  # a like or follow from a server that ignored the reasons filter
        try:
            item = notification_item(notification, self.did)
        except Malformed as exc:
            self._skip(f"{uri}: {exc}")
            item = None
        return Entry(at, uri, item)

    def _skip(self, why: str) -> None:
        self.skipped += 1
        log.warning("Bluesky: skipped a malformed item (%s)", why)

    # ---- context -----------------------------------------------------------------------------

    def context(self, target: Target) -> list[IncomingItem]:
        """The thread around ``target``: ancestors (root first), the post, then its replies.

        Replies the root's author hid stay in the answer (``getPostThread`` v1); they are marked
        HIDDEN from the thread's threadgate (the answer's ``threadgate``, or the root post's view).
        """
        post = self._post(target)
        data = self.client.query(
            "app.bsky.feed.getPostThread", {"uri": post["uri"], "depth": 10, "parentHeight": 80}, what="this thread"
        )
        node = data.get("thread")
        if not isinstance(node, dict):
            raise Transient("Bluesky sent a malformed thread.")
        if node.get("notFound") is True:
            raise NotFound("This post was deleted on Bluesky.")
        if node.get("blocked") is True:
            raise Permanent("This post is hidden by Bluesky because of a block between you and its author.")
        chain = [node]
        while isinstance(chain[-1].get("parent"), dict):
            chain.append(chain[-1]["parent"])
        root_uri = post["root"]["uri"]
        top_post = chain[-1].get("post") if isinstance(chain[-1].get("post"), dict) else {}
        gate_holder = {"threadgate": data.get("threadgate")} if isinstance(data.get("threadgate"), dict) else top_post
        gate_record = (gate_holder.get("threadgate") or {}).get("record") if isinstance(gate_holder, dict) else None
        hidden = hidden_replies_of(gate_holder) if (gate_record or {}).get("post") == root_uri else frozenset()
        items: dict[str, IncomingItem] = {}
        for ancestor in reversed(chain):
            self._add_node(items, ancestor, hidden, root_uri)
        self._add_replies(items, node, hidden, root_uri)
        return list(items.values())

    def _add_node(self, items: dict, node: object, hidden: frozenset[str], thread_id: str) -> None:
        if not isinstance(node, dict):
            return
        try:
            if isinstance(node.get("post"), dict):
                item = view_item(node["post"], self.did, hidden)
            else:
                item = placeholder_item(node, self.did, thread_id)
        except Malformed as exc:
            self._skip(f"thread post: {exc}")
            return
        if item is not None and item.platform_item_id not in items:
            items[item.platform_item_id] = item

    def _add_replies(self, items: dict, node: dict, hidden: frozenset[str], thread_id: str) -> None:
        replies = [r for r in node.get("replies") or [] if isinstance(r, dict)]

        def created(reply: dict) -> str:
            post = reply.get("post") if isinstance(reply.get("post"), dict) else {}
            record = post.get("record") if isinstance(post.get("record"), dict) else {}
            return sort_key(record.get("createdAt")) or ""

        for reply in sorted(replies, key=created):
            self._add_node(items, reply, hidden, thread_id)
            self._add_replies(items, reply, hidden, thread_id)

    # ---- replies -----------------------------------------------------------------------------

    def reply(self, target: Target, text: str, idempotency_key: str) -> IncomingItem:
        """Post ``text`` under ``target`` with ``reply.root``/``reply.parent`` strong refs.

        The record key comes from ``idempotency_key``: a second attempt with the same key meets
        the record already written (the PDS refuses the duplicate) and returns it instead.
        """
        text = check_post_text(text)
        parent = self._post(target)
        self._refuse_if_not_active(Verb.REPLY)
        rkey = tid_for_key(idempotency_key)
        record: dict = {
            "$type": POST,
            "text": text,
            "createdAt": now_iso(),
            "reply": {"root": parent["root"], "parent": {"uri": parent["uri"], "cid": parent["cid"]}},
        }
        facets = self._facets(text)
        if facets:
            record["facets"] = facets
        body = {"repo": self.did, "collection": POST, "rkey": rkey, "record": record}
        try:
            out = self.client.procedure("com.atproto.repo.createRecord", body, idempotent=True, what="the reply")
        except (Permanent, Transient):
            # "already exists" (the PDS answers 400 or 500) after a lost answer or a crash: reconcile
            existing = self._reply_record(rkey, parent["uri"])
            if existing is not None:
                return existing
            raise
        if not isinstance(out.get("uri"), str) or not isinstance(out.get("cid"), str):
            raise Transient("Bluesky accepted the reply but sent a malformed answer.")
        return self._own_item(out["uri"], out["cid"], record)

    def find_reply(
        self,
        target: Target,
        idempotency_key: str,
        text: str,
        *,
        since: datetime | None = None,
        known: frozenset[str] = frozenset(),
    ) -> IncomingItem | None:
        """The reply posted earlier with this key (``com.atproto.repo.getRecord`` at its rkey).
        The record key comes from the idempotency key, so the match is exact: ``since`` and
        ``known`` are not needed."""
        parent_uri = read_ref(target.ref).get("uri") or target.platform_item_id
        return self._reply_record(tid_for_key(idempotency_key), parent_uri)

    def _reply_record(self, rkey: str, parent_uri: str) -> IncomingItem | None:
        try:
            found = self.client.query(
                "com.atproto.repo.getRecord", {"repo": self.did, "collection": POST, "rkey": rkey}, what="the reply"
            )
        except XrpcNotFound:
            return None
        value = found.get("value")
        if not isinstance(value, dict) or not isinstance(found.get("uri"), str):
            raise Transient("Bluesky sent a malformed record.")
        posted_under = ((value.get("reply") or {}).get("parent") or {}).get("uri")
        if parent_uri and posted_under != parent_uri:
            raise Permanent("This idempotency key was already used for a reply to another post.")
        return self._own_item(found["uri"], str(found.get("cid") or ""), value)

    def _own_item(self, uri: str, cid: str, record: dict) -> IncomingItem:
        me = {"did": self.did, "handle": self.client.handle or self.account.handle, "displayName": self.account.name}
        try:
            return post_item(uri=uri, cid=cid or "unknown", author=me, record=record, own_did=self.did)
        except Malformed as exc:
            raise Transient(f"Bluesky returned a reply CMDesk cannot read ({exc}).") from exc

    def _facets(self, text: str) -> list[dict]:
        facets = []
        for span in find_spans(text):
            if span.kind == "mention":
                did = self._resolve_handle(span.value)
                if not did:
                    continue  # an unknown handle stays plain text, as the docs advise
                facets.append(facet_for(text, span, did))
            else:
                facets.append(facet_for(text, span))
        return facets

    def _resolve_handle(self, handle: str) -> str | None:
        if handle not in self._handles:
            try:
                answer = self.client.query("com.atproto.identity.resolveHandle", {"handle": handle}, what="a handle")
                did = answer.get("did")
                self._handles[handle] = did if isinstance(did, str) and did.startswith("did:") else None
            except (XrpcError, XrpcNotFound):
                self._handles[handle] = None
        return self._handles[handle]

    # ---- moderation --------------------------------------------------------------------------

    def act(self, verb: Verb, target: Target, reason: str = "") -> None:
        """HIDE/UNHIDE: threadgate (our threads) or postgate (quotes of our posts); BLOCK_AUTHOR:
        block record; MUTE_AUTHOR: muteActor; REPORT: createReport; DELETE: our own posts only."""
        if verb == Verb.REPLY:
            raise Permanent("Replies are sent with reply(), not act().")
        if verb in (Verb.BAN_AUTHOR, Verb.UNBAN_AUTHOR):
            raise Permanent(BAN_REASON)
        self._refuse_if_not_active(verb)
        post = self._post(target)
        refusal = why_not(verb, post, self.did)
        if refusal:
            raise Permanent(refusal)
        if verb in (Verb.HIDE, Verb.UNHIDE):
            collection, subject = gate_action(post, self.did)
            edit_gate(self.client, collection, subject, post["uri"], add=verb == Verb.HIDE)
        elif verb == Verb.DELETE:
            at = AtUri.parse(post["uri"])
            self.client.procedure(
                "com.atproto.repo.deleteRecord",
                {"repo": self.did, "collection": at.collection, "rkey": at.rkey},
                idempotent=True,
                what="the post",
            )
        elif verb == Verb.BLOCK_AUTHOR:
            self._block(post["did"])
        elif verb == Verb.MUTE_AUTHOR:
            self.client.procedure(
                "app.bsky.graph.muteActor", {"actor": post["did"]}, idempotent=True, what="muting this account"
            )
        elif verb == Verb.REPORT:
            self.client.procedure(
                "com.atproto.moderation.createReport",
                {
                    "reasonType": report_reason_type(reason),
                    "reason": reason[:2000],
                    "subject": report_subject(reason, post),
                },
                what="the report",
            )
        else:
            raise Permanent(f"CMDesk does not know how to {verb.value} on Bluesky.")

    def mute_thread(self, target: Target) -> None:
        """Stop notifications from the thread ``target`` is in (``app.bsky.graph.muteThread``)."""
        post = self._post(target)
        self.client.procedure(
            "app.bsky.graph.muteThread", {"root": post["root"]["uri"]}, idempotent=True, what="muting this thread"
        )

    def _block(self, did: str) -> None:
        # One block record per author, at a key derived from the DID: blocking twice is harmless.
        rkey = tid_for_key(did, namespace="cmdesk.block")
        body = {
            "repo": self.did,
            "collection": BLOCK,
            "rkey": rkey,
            "record": {"$type": BLOCK, "subject": did, "createdAt": now_iso()},
        }
        try:
            self.client.procedure("com.atproto.repo.createRecord", body, idempotent=True, what="the block")
        except (Permanent, Transient) as exc:
            try:
                self.client.query(
                    "com.atproto.repo.getRecord",
                    {"repo": self.did, "collection": BLOCK, "rkey": rkey},
                    what="the block",
                )
            except XrpcNotFound:
                raise exc from None

    # ---- helpers -----------------------------------------------------------------------------

    def _refuse_if_not_active(self, verb: Verb) -> None:
        reason = self.capabilities().why_not(verb)
        if reason:
            raise Permanent(reason)

    def _post(self, target: Target) -> dict:
        """The item's ref (uri, cid, author DID, root/parent/quote strong refs); rebuilt with
        ``app.bsky.feed.getPosts`` when the stored one is missing."""
        post = read_ref(target.ref)
        if post and isinstance(post.get("root"), dict):
            post.setdefault("did", uri_authority(post["uri"]))
            return post
        uri = target.platform_item_id
        if not uri.startswith("at://"):
            raise Permanent("This item is not a Bluesky post.")
        found = self.client.query("app.bsky.feed.getPosts", [("uris", uri)], what="the post")
        posts = found.get("posts")
        if not isinstance(posts, list):
            raise Transient("Bluesky sent a malformed answer to getPosts.")
        if not posts:
            raise NotFound("This post no longer exists on Bluesky.")
        try:
            return read_ref(view_item(posts[0], self.did).ref)
        except Malformed as exc:
            raise Transient(f"Bluesky sent a post CMDesk cannot read ({exc}).") from exc

    def sign_out(self) -> None:
        """Revoke the session on the server, then forget the tokens."""
        self.client.delete_session()
        self.client.vault.clear(SECRET_NAMES)

    def close(self) -> None:
        self.http.close()


def create(account: Account, vault: CredentialVault, http: HttpClient | None = None) -> BlueskyConnector:
    """The registry's factory."""
    return BlueskyConnector(account, vault, http)


register(ConnectorSpec(platform=Platform.BLUESKY, factory=create, secret_names=SECRET_NAMES))
