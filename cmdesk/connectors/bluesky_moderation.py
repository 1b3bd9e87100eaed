"""What an account owner can moderate on Bluesky, and the gate records that do it.

Followed lexicons and docs:
- ``app.bsky.feed.threadgate``: the record whose rkey equals the thread root's rkey, in the root
  author's repo. ``hiddenReplies`` (at most 300 AT URIs) hides replies for everyone; ``allow``
  (at most 5 rules) restricts who may reply — absent means anyone may, an empty list means
  nobody may, so it is preserved exactly and never invented.
- ``app.bsky.feed.postgate``: same rkey as the post; ``detachedEmbeddingUris`` (at most 50)
  removes our post from the listed quote posts; ``embeddingRules`` is preserved.
- ``com.atproto.repo.getRecord`` (``RecordNotFound`` when absent), ``putRecord`` with
  ``swapRecord`` (the CID read, or null for "must not exist yet"; ``InvalidSwap`` when another
  client wrote in between) and ``deleteRecord``.
- ``com.atproto.moderation.createReport``: ``reasonType`` from ``com.atproto.moderation.defs``,
  subject ``com.atproto.repo.strongRef`` (a post) or ``com.atproto.admin.defs#repoRef`` (an account).
"""

from __future__ import annotations

import re

from cmdesk.connectors.base import Permanent, Transient, Verb
from cmdesk.connectors.bluesky_session import XrpcClient, XrpcError, XrpcNotFound
from cmdesk.connectors.bluesky_text import AtUri, now_iso, uri_authority

THREADGATE = "app.bsky.feed.threadgate"
POSTGATE = "app.bsky.feed.postgate"
MAX_HIDDEN_REPLIES = 300  # app.bsky.feed.threadgate#hiddenReplies maxLength
MAX_DETACHED_QUOTES = 50  # app.bsky.feed.postgate#detachedEmbeddingUris maxLength

BAN_REASON = (
    "Bluesky has no bans: each account only moderates its own threads. Block the author (they can "
    "no longer reply to you or see your posts) or hide their replies instead."
)
DELETE_OTHERS_REASON = "Bluesky does not let an account delete other people's posts; hide the reply instead."
NOT_OUR_THREAD_REASON = (
    "Bluesky only lets you hide replies in threads that start with one of your own posts; this reply "
    "is in a thread started by another account. Mute or block the author, or report the post, instead."
)
NOT_A_REPLY_REASON = (
    "Bluesky can hide replies in your own threads and detach quotes of your posts; this post is "
    "neither. Mute or block the author, or report the post, instead."
)
OWN_POST_REASON = "This is your own post: delete it instead."
SELF_REASON = "This is your own account."

_REPORT_REASONS = (
    (re.compile(r"spam|scam|bot|advert|promot", re.I), "com.atproto.moderation.defs#reasonSpam"),
    (re.compile(r"sex|nsfw|porn|nud", re.I), "com.atproto.moderation.defs#reasonSexual"),
    (re.compile(r"mislead|impersonat|fake|disinfo|misinfo", re.I), "com.atproto.moderation.defs#reasonMisleading"),
    (re.compile(r"rude|harass|insult|abus|hate|troll|threat|bully", re.I), "com.atproto.moderation.defs#reasonRude"),
    (re.compile(r"illegal|violat|law|terms|rule", re.I), "com.atproto.moderation.defs#reasonViolation"),
)


def report_reason_type(reason: str) -> str:
    """The ``reasonType`` token that best matches the moderator's words."""
    for pattern, token in _REPORT_REASONS:
        if pattern.search(reason or ""):
            return token
    return "com.atproto.moderation.defs#reasonOther"


_ACCOUNT_REPORT = re.compile(r"impersonat|account|profile|\bbot\b|ban evasion", re.I)


def report_subject(reason: str, post: dict) -> dict:
    """What a report is about: the account (``com.atproto.admin.defs#repoRef``) when the words are
    about who posts (impersonation, bot, profile), else the post itself (``com.atproto.repo.strongRef``)."""
    if _ACCOUNT_REPORT.search(reason or ""):
        return {"$type": "com.atproto.admin.defs#repoRef", "did": post["did"]}
    return {"$type": "com.atproto.repo.strongRef", "uri": post["uri"], "cid": post["cid"]}


def why_not(verb: Verb, post: dict, own_did: str) -> str:
    """Why ``verb`` cannot apply to ``post`` (its ref JSON) for account ``own_did``; "" when it can."""
    own = post.get("did") == own_did or uri_authority(post.get("uri", "")) == own_did
    is_reply = isinstance(post.get("parent"), dict)
    root_ours = is_reply and uri_authority((post.get("root") or {}).get("uri", "")) == own_did
    quote_ours = uri_authority((post.get("quote") or {}).get("uri", "")) == own_did
    if verb in (Verb.BAN_AUTHOR, Verb.UNBAN_AUTHOR):
        return BAN_REASON
    if verb in (Verb.HIDE, Verb.UNHIDE):
        if own:
            return OWN_POST_REASON
        if root_ours or quote_ours:
            return ""
        return NOT_OUR_THREAD_REASON if is_reply else NOT_A_REPLY_REASON
    if verb == Verb.DELETE:
        return "" if own else DELETE_OTHERS_REASON
    if verb in (Verb.BLOCK_AUTHOR, Verb.MUTE_AUTHOR, Verb.REPORT):
        return SELF_REASON if own else ""
    return ""


def gate_action(post: dict, own_did: str) -> tuple[str, str]:
    """``(collection, subject uri)`` of the gate record that hides ``post``: the thread's threadgate
    for a reply in our thread, else our quoted post's postgate."""
    root = (post.get("root") or {}).get("uri", "")
    if isinstance(post.get("parent"), dict) and uri_authority(root) == own_did:
        return THREADGATE, root
    quoted = (post.get("quote") or {}).get("uri", "")
    if uri_authority(quoted) == own_did:
        return POSTGATE, quoted
    raise Permanent(why_not(Verb.HIDE, post, own_did) or NOT_A_REPLY_REASON)


def edit_gate(client: XrpcClient, collection: str, subject_uri: str, target_uri: str, *, add: bool) -> bool:
    """Add ``target_uri`` to (or remove it from) the gate record of ``subject_uri``.

    Returns whether the record changed. Everything else in the record is kept as it was.
    """
    field, cap = (
        ("hiddenReplies", MAX_HIDDEN_REPLIES)
        if collection == THREADGATE
        else ("detachedEmbeddingUris", MAX_DETACHED_QUOTES)
    )
    rkey = AtUri.parse(subject_uri).rkey
    where = {"repo": client.did, "collection": collection, "rkey": rkey}
    for _ in range(3):
        try:
            current = client.query("com.atproto.repo.getRecord", where, what="the thread settings")
            value, swap = current.get("value"), current.get("cid")
            if not isinstance(value, dict):
                raise Transient("Bluesky sent a malformed gate record.")
            value = dict(value)
        except XrpcNotFound:
            value, swap = None, None
        listed = [u for u in (value or {}).get(field) or [] if isinstance(u, str)]
        if (target_uri in listed) == add:
            return False  # already as asked: nothing to write
        if add and len(listed) >= cap:
            raise Permanent(_full_message(collection, cap))
        listed = [*listed, target_uri] if add else [u for u in listed if u != target_uri]
        record = value or {"$type": collection, "post": subject_uri, "createdAt": now_iso()}
        record[field] = listed
        try:
            if not listed and value is not None and set(record) <= {"$type", "post", "createdAt", field}:
                # the record only existed to hide things: remove it, as the Bluesky app does
                client.procedure(
                    "com.atproto.repo.deleteRecord",
                    {**where, "swapRecord": swap},
                    idempotent=True,
                    what="the thread settings",
                )
            else:
                client.procedure(
                    "com.atproto.repo.putRecord",
                    {**where, "record": record, "swapRecord": swap},
                    idempotent=True,
                    what="the thread settings",
                )
            return True
        except XrpcError as exc:
            if exc.error != "InvalidSwap":
                raise
            # another client changed the record between our read and write: read it again
    raise Transient("The post's settings kept changing while CMDesk edited them; try again.")


def _full_message(collection: str, cap: int) -> str:
    if collection == THREADGATE:
        return (
            f"This thread already has {cap} hidden replies, the most Bluesky allows in one thread. "
            "Unhide older replies, or block or mute the author instead."
        )
    return (
        f"This post is already detached from {cap} quote posts, the most Bluesky allows. "
        "Block or mute the author instead."
    )
