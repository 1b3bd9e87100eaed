"""The simulated Bluesky repository and AppView views, mixed into ``BlueskySimulator``.

- ``RepoMixin``: ``com.atproto.repo.getRecord`` / ``createRecord`` / ``putRecord`` (with
  ``swapRecord``) / ``deleteRecord`` for the owner's repo, validated as the lexicons say
  (post text ≤ 300 graphemes / 3000 bytes, reply strong refs, TID record keys, threadgate
  ``hiddenReplies`` ≤ 300, postgate ``detachedEmbeddingUris`` ≤ 50, gate rkey = post rkey).
- ``ViewsMixin``: ``app.bsky.actor.defs#profileView``, ``app.bsky.feed.defs#postView`` (with the
  root's ``threadgate`` view), embed views (``#viewRecord`` / ``#viewNotFound`` / ``#viewBlocked`` /
  ``#viewDetached``) and ``threadViewPost`` / ``notFoundPost`` / ``blockedPost`` nodes.

Both expect the simulator's state: ``records``, ``actors``, ``owner_did``, ``muted``,
``muted_threads``, ``_log``, ``_replies`` and the helpers ``_key``, ``_write``, ``_did_for``,
``_next_seq``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime

from cmdesk.connectors.bluesky_text import (
    MAX_POST_BYTES,
    MAX_POST_GRAPHEMES,
    TID_PATTERN,
    AtUri,
    grapheme_count,
    tid_from_clock,
)
from cmdesk.connectors.simulators.server import Request

POST, THREADGATE, POSTGATE, BLOCK = (
    "app.bsky.feed.post",
    "app.bsky.feed.threadgate",
    "app.bsky.feed.postgate",
    "app.bsky.graph.block",
)
TID_COLLECTIONS = {POST, THREADGATE, POSTGATE, BLOCK}
REASON_TYPES = {
    f"com.atproto.moderation.defs#reason{n}"
    for n in ("Spam", "Violation", "Misleading", "Sexual", "Rude", "Other", "Appeal")
}
GATE_LISTS = {THREADGATE: ("hiddenReplies", 300), POSTGATE: ("detachedEmbeddingUris", 50)}


class XrpcFail(Exception):
    def __init__(self, status: int, error: str, message: str):
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


def b32(data: bytes) -> str:
    return base64.b32encode(data).decode().lower().rstrip("=")


def cid_of(value: object) -> str:
    """A CIDv1-looking content hash (dag-cbor/sha-256 CIDs print as ``bafyrei…``)."""
    return "bafyrei" + b32(hashlib.sha256(json.dumps(value, sort_keys=True).encode()).digest())[:52]


class RepoMixin:
    """Record reads and writes in the owner's repository."""

    def _repo_key(self, body_or_args: dict) -> tuple[str, str, str]:
        did = self._did_for(str(body_or_args.get("repo", "")))
        if not did:
            raise XrpcFail(400, "InvalidRequest", f"Could not find repo: {body_or_args.get('repo')}")
        return did, str(body_or_args["collection"]), str(body_or_args["rkey"])

    def _get_record(self, request: Request) -> dict:
        key = self._repo_key({k: request.arg(k) for k in ("repo", "collection", "rkey")})
        stored = self.records.get(key)
        uri = "at://" + "/".join(key)
        if stored is None:
            raise XrpcFail(400, "RecordNotFound", f"Could not locate record: {uri}")
        return {"uri": uri, "cid": stored["cid"], "value": stored["value"]}

    def _own_write(self, body: dict, need_rkey: bool) -> tuple[str, str, str, dict]:
        if self._did_for(str(body.get("repo", ""))) != self.owner_did:
            raise XrpcFail(400, "InvalidRequest", "Repo does not belong to the signed-in account")
        collection, rkey, record = str(body["collection"]), body.get("rkey"), body.get("record")
        if rkey is None and not need_rkey:
            rkey = tid_from_clock(datetime.now(UTC), self._next_seq())
        if not isinstance(rkey, str) or (collection in TID_COLLECTIONS and not TID_PATTERN.match(rkey)):
            raise XrpcFail(400, "InvalidRequest", f"Invalid record key: {rkey!r}")
        if not isinstance(record, dict) or record.get("$type", collection) != collection:
            raise XrpcFail(400, "InvalidRequest", "Invalid record: $type does not match the collection")
        self._validate(collection, rkey, record)
        return self.owner_did, collection, rkey, record

    def _validate(self, collection: str, rkey: str, record: dict) -> None:
        invalid = f"Invalid {collection} record: "
        if collection == POST:
            text = record["text"]
            if len(text.encode()) > MAX_POST_BYTES or grapheme_count(text) > MAX_POST_GRAPHEMES:
                raise XrpcFail(400, "InvalidRequest", invalid + "Record/text must not be longer than 300 graphemes")
            for facet in record.get("facets", []):
                index = facet["index"]
                if not 0 <= index["byteStart"] < index["byteEnd"] <= len(text.encode()):
                    raise XrpcFail(400, "InvalidRequest", invalid + "facet index out of range")
            reply = record.get("reply")
            if reply and not all(
                isinstance(reply.get(k), dict) and reply[k].get("uri") and reply[k].get("cid")
                for k in ("root", "parent")
            ):
                raise XrpcFail(400, "InvalidRequest", invalid + "Record/reply must have root and parent strong refs")
        if collection in GATE_LISTS:
            field, cap = GATE_LISTS[collection]
            if AtUri.parse(record["post"]).rkey != rkey:
                raise XrpcFail(400, "InvalidRequest", invalid + "the record key must match the post's")
            if len(record.get(field, [])) > cap:
                raise XrpcFail(400, "InvalidRequest", f"{invalid}Record/{field} must not have more than {cap} elements")
            if len(record.get("allow", [])) > 5:
                raise XrpcFail(400, "InvalidRequest", invalid + "Record/allow must not have more than 5 elements")
        if collection == BLOCK and not str(record.get("subject", "")).startswith("did:"):
            raise XrpcFail(400, "InvalidRequest", invalid + "Record/subject must be a did")

    def _check_swap(self, key: tuple[str, str, str], body: dict) -> None:
        if "swapRecord" not in body:
            return
        current = self.records.get(key)
        if (current["cid"] if current else None) != body["swapRecord"]:
            raise XrpcFail(400, "InvalidSwap", f"Record was at {current['cid'] if current else 'null'}")

    def _write_result(self, uri: str) -> dict:
        cid = self.records[self._key(uri)]["cid"]
        return {
            "uri": uri,
            "cid": cid,
            "commit": {"cid": cid_of(uri), "rev": tid_from_clock(datetime.now(UTC))},
            "validationStatus": "valid",
        }

    def _create_record(self, request: Request) -> object:
        did, collection, rkey, record = self._own_write(self._body(request), need_rkey=False)
        uri = f"at://{did}/{collection}/{rkey}"
        if (did, collection, rkey) in self.records:
            if self.duplicate_status >= 500:
                raise XrpcFail(self.duplicate_status, "InternalServerError", "Internal Server Error")
            raise XrpcFail(self.duplicate_status, "InvalidRequest", f"Record already exists: {uri}")
        if collection == BLOCK and self._block_uri(record["subject"]):  # PDS: duplicate backlinks are idempotent
            return self._write_result(self._block_uri(record["subject"]))
        self._write(did, collection, rkey, record)
        if collection == BLOCK:
            self._log.append(("block_author", record["subject"]))
        if collection in GATE_LISTS:
            self._gate_changed(collection, {}, record)
        if collection == POST and record.get("reply"):
            self._replies.append({"id": uri, "in_reply_to": record["reply"]["parent"]["uri"], "text": record["text"]})
        return self._write_result(uri)

    def _put_record(self, request: Request) -> dict:
        body = self._body(request)
        did, collection, rkey, record = self._own_write(body, need_rkey=True)
        self._check_swap((did, collection, rkey), body)
        before = (self.records.get((did, collection, rkey)) or {}).get("value", {})
        uri = self._write(did, collection, rkey, record)
        if collection in GATE_LISTS:
            self._gate_changed(collection, before, record)
        return self._write_result(uri)

    def _delete_record(self, request: Request) -> dict:
        body = self._body(request)
        key = self._repo_key(body)
        if key[0] != self.owner_did:
            raise XrpcFail(400, "InvalidRequest", "Repo does not belong to the signed-in account")
        self._check_swap(key, body)
        stored = self.records.pop(key, None)
        if stored and key[1] == POST:
            self._log.append(("delete", "at://" + "/".join(key)))
        if stored and key[1] in GATE_LISTS:
            self._gate_changed(key[1], stored["value"], {})
        return {"commit": {"cid": cid_of(key), "rev": tid_from_clock(datetime.now(UTC))}}

    def _gate_changed(self, collection: str, before: dict, after: dict) -> None:
        field = GATE_LISTS[collection][0]
        old, new = before.get(field, []), after.get(field, [])
        self._log.extend(("hide", uri) for uri in new if uri not in old)
        self._log.extend(("unhide", uri) for uri in old if uri not in new)


class ViewsMixin:
    """AppView shapes built from the stored records."""

    def _profile(self, did: str, basic: bool = True) -> dict:
        actor = self.actors.get(did) or {"did": did, "handle": "handle.invalid", "displayName": ""}
        block = self._block_uri(did)
        view = {**actor, "labels": [], "viewer": {"muted": did in self.muted, "blockedBy": False}}
        if block:
            view["viewer"]["blocking"] = block
        if not basic:
            view.update(
                {
                    "description": "",
                    "followersCount": 0,
                    "followsCount": 0,
                    "postsCount": 0,
                    "indexedAt": "2024-01-01T00:00:00.000Z",
                }
            )
        return view

    def _block_uri(self, did: str) -> str:
        for (owner, collection, rkey), stored in self.records.items():
            if owner == self.owner_did and collection == BLOCK and stored["value"].get("subject") == did:
                return f"at://{owner}/{BLOCK}/{rkey}"
        return ""

    def _children(self, uri: str) -> list[str]:
        found = []
        for (did, collection, rkey), stored in self.records.items():
            parent = ((stored["value"].get("reply") or {}).get("parent") or {}).get("uri")
            if collection == POST and parent == uri:
                found.append((stored["value"].get("createdAt", ""), f"at://{did}/{POST}/{rkey}"))
        return [u for _, u in sorted(found)]

    def _post_view(self, uri: str) -> dict:
        stored = self.records[self._key(uri)]
        value, did, rkey = stored["value"], AtUri.parse(uri).authority, AtUri.parse(uri).rkey
        view = {
            "uri": uri,
            "cid": stored["cid"],
            "author": self._profile(did),
            "record": value,
            "replyCount": len(self._children(uri)),
            "repostCount": 0,
            "likeCount": 0,
            "quoteCount": 0,
            "indexedAt": stored["indexedAt"],
            "labels": [],
            "viewer": {"threadMuted": uri in self.muted_threads},
        }
        if value.get("embed"):
            view["embed"] = self._embed_view(value["embed"], uri)
        gate = self.records.get((did, THREADGATE, rkey))
        if gate and not value.get("reply"):
            view["threadgate"] = {
                "uri": f"at://{did}/{THREADGATE}/{rkey}",
                "cid": gate["cid"],
                "record": gate["value"],
                "lists": [],
            }
        return view

    def _embed_view(self, embed: dict, embedding_uri: str) -> dict:
        kind = embed.get("$type")
        if kind == "app.bsky.embed.record":
            return {
                "$type": "app.bsky.embed.record#view",
                "record": self._quoted_view(embed["record"]["uri"], embedding_uri),
            }
        if kind == "app.bsky.embed.recordWithMedia":
            return {
                "$type": "app.bsky.embed.recordWithMedia#view",
                "record": self._embed_view(embed["record"] | {"$type": "app.bsky.embed.record"}, embedding_uri),
                "media": self._embed_view(embed["media"], embedding_uri),
            }
        if kind == "app.bsky.embed.images":
            return {
                "$type": "app.bsky.embed.images#view",
                "images": [
                    {
                        "thumb": "https://cdn.invalid/thumb.jpg",
                        "fullsize": "https://cdn.invalid/full.jpg",
                        "alt": image.get("alt", ""),
                    }
                    for image in embed.get("images", [])
                ],
            }
        if kind == "app.bsky.embed.external":
            return {"$type": "app.bsky.embed.external#view", "external": dict(embed.get("external", {}))}
        return dict(embed)

    def _quoted_view(self, uri: str, embedding_uri: str) -> dict:
        try:
            key = self._key(uri)
        except ValueError:
            key = ("", "", "")
        if key not in self.records:
            return {"$type": "app.bsky.embed.record#viewNotFound", "uri": uri, "notFound": True}
        gate = self.records.get((key[0], POSTGATE, key[2]))
        if gate and embedding_uri in gate["value"].get("detachedEmbeddingUris", []):
            return {"$type": "app.bsky.embed.record#viewDetached", "uri": uri, "detached": True}
        if self._block_uri(key[0]):
            return {
                "$type": "app.bsky.embed.record#viewBlocked",
                "uri": uri,
                "blocked": True,
                "author": {"did": key[0], "viewer": {"blocking": self._block_uri(key[0])}},
            }
        stored = self.records[key]
        return {
            "$type": "app.bsky.embed.record#viewRecord",
            "uri": uri,
            "cid": stored["cid"],
            "author": self._profile(key[0]),
            "value": stored["value"],
            "labels": [],
            "indexedAt": stored["indexedAt"],
        }

    def _thread_node(self, uri: str, depth: int) -> dict:
        key = self._key(uri)
        if key not in self.records:
            return {"$type": "app.bsky.feed.defs#notFoundPost", "uri": uri, "notFound": True}
        if self._block_uri(key[0]):
            return {
                "$type": "app.bsky.feed.defs#blockedPost",
                "uri": uri,
                "blocked": True,
                "author": {"did": key[0], "viewer": {"blocking": self._block_uri(key[0])}},
            }
        node = {"$type": "app.bsky.feed.defs#threadViewPost", "post": self._post_view(uri)}
        if depth > 0:
            node["replies"] = [self._thread_node(child, depth - 1) for child in self._children(uri)]
        return node
