"""reply(): strong refs, facets by byte offset, and a deterministic record key against double posts."""

from __future__ import annotations

import json

import pytest

from cmdesk.connectors.base import NotFound, Permanent, Transient
from cmdesk.connectors.bluesky_text import TID_PATTERN, AtUri, tid_for_key
from cmdesk.core.models import ItemKind
from tests.connectors.bluesky.bluesky_helpers import target_of


def first_item(connector):
    return connector.fetch(None).items[0]


def test_reply_to_a_reply_uses_the_thread_root_and_the_parent(connector, sim, seed):
    seed(1)
    item = first_item(connector)
    posted = connector.reply(target_of(item), "Merci beaucoup !", "k-1")
    record = sim.record(posted.platform_item_id)
    assert record["reply"]["parent"] == {"uri": item.platform_item_id, "cid": json.loads(item.ref)["cid"]}
    assert record["reply"]["root"] == json.loads(item.ref)["root"]
    assert record["reply"]["root"]["uri"] == item.thread_platform_id != item.platform_item_id
    assert AtUri.parse(posted.platform_item_id).rkey == tid_for_key("k-1")
    assert TID_PATTERN.match(tid_for_key("k-1"))
    assert posted.is_own and posted.kind == ItemKind.REPLY and posted.parent_platform_id == item.platform_item_id
    assert sim.posted_replies() == [
        {"id": posted.platform_item_id, "in_reply_to": item.platform_item_id, "text": "Merci beaucoup !"}
    ]


def test_reply_to_a_top_level_mention_makes_it_the_root(connector, sim, seed):
    seed(1, ItemKind.MENTION, thread_key=None)
    item = first_item(connector)
    posted = connector.reply(target_of(item), "hello", "k-2")
    reply = sim.record(posted.platform_item_id)["reply"]
    assert reply["root"] == reply["parent"] == {"uri": item.platform_item_id, "cid": json.loads(item.ref)["cid"]}


def test_facets_count_utf8_bytes(connector, sim, seed):
    seed(1)
    friend = sim.seed_actor("friend", "Friend", "friend.example.com")
    item = first_item(connector)
    text = "Désolé 😅🇫🇷 ! @friend.example.com voir https://example.org/faq?q=é. #aide @unknown.example.net"
    posted = connector.reply(target_of(item), text, "k-3")
    record = sim.record(posted.platform_item_id)
    data = record["text"].encode()
    spans = {
        f["features"][0]["$type"].split("#")[1]: data[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode()
        for f in record["facets"]
    }
    assert spans == {"mention": "@friend.example.com", "link": "https://example.org/faq?q=é", "tag": "#aide"}
    mention = next(f for f in record["facets"] if f["features"][0]["$type"].endswith("#mention"))
    assert mention["features"][0]["did"] == friend
    assert len(record["facets"]) == 3  # the unknown handle stays plain text


def test_retry_with_the_same_key_returns_the_first_post(connector, sim, seed):
    seed(1)
    target = target_of(first_item(connector))
    first = connector.reply(target, "once", "same-key")
    again = connector.reply(target, "once", "same-key")
    assert again.platform_item_id == first.platform_item_id
    assert len(sim.posted_replies()) == 1


def test_duplicate_refused_with_a_server_error_is_also_reconciled(connector, sim, seed):
    sim.duplicate_status = 500  # what an MST "already a value at key" error looks like on some PDSes
    seed(1)
    target = target_of(first_item(connector))
    first = connector.reply(target, "once", "k-500")
    assert connector.reply(target, "once", "k-500").platform_item_id == first.platform_item_id
    assert len(sim.posted_replies()) == 1


@pytest.mark.parametrize("retries", [2, 0])
def test_lost_answer_is_reconciled(make_connector, sim, seed, retries):
    seed(1)
    connector = make_connector()
    connector.http.retries = retries
    target = target_of(first_item(connector))
    sim.lose_next_answer("com.atproto.repo.createRecord")  # written, but the answer never arrives
    posted = connector.reply(target, "after a timeout", "k-lost")
    assert [r["id"] for r in sim.posted_replies()] == [posted.platform_item_id]
    creates = [status for _, path, status in sim.log if path.endswith("createRecord")]
    assert creates == ([504, 400] if retries else [504])  # retried into "already exists", or not retried


def test_find_reply_after_a_crash(connector, sim, seed):
    seed(1)
    target = target_of(first_item(connector))
    assert connector.find_reply(target, "k-crash", "text") is None
    posted = connector.reply(target, "sent before the crash", "k-crash")
    found = connector.find_reply(target, "k-crash", "sent before the crash")
    assert found is not None and found.platform_item_id == posted.platform_item_id
    assert found.text == "sent before the crash" and found.is_own


def test_key_reused_for_another_target_is_refused(connector, seed):
    seed(2)
    a, b = connector.fetch(None).items
    connector.reply(target_of(a), "to a", "k-reuse")
    with pytest.raises(Permanent, match="already used"):
        connector.reply(target_of(b), "to b", "k-reuse")


def test_too_long_is_refused_before_any_request(connector, sim, seed):
    seed(1)
    target = target_of(first_item(connector))
    calls = len(sim.log)
    with pytest.raises(Permanent, match="300 characters"):
        connector.reply(target, "x" * 301, "k-long")
    with pytest.raises(Permanent, match="3000 bytes"):
        connector.reply(target, "👨‍👩‍👧‍👦" * 121, "k-bytes")
    assert len(sim.log) == calls
    assert connector.capabilities().max_reply_length == 300


def test_target_without_ref_is_looked_up(connector, sim, seed):
    seed(1)
    item = first_item(connector)
    bare = target_of(item).__class__(item.platform_item_id, item.kind, item.author.platform_author_id)
    posted = connector.reply(bare, "found it", "k-bare")
    assert sim.record(posted.platform_item_id)["reply"]["root"]["uri"] == item.thread_platform_id
    gone = bare.__class__("at://did:plc:nobody/app.bsky.feed.post/3lbv2gone22xc", ItemKind.REPLY, "did:plc:nobody")
    with pytest.raises(NotFound):
        connector.reply(gone, "x", "k-gone")
    with pytest.raises(Permanent, match="not a Bluesky post"):
        connector.reply(bare.__class__("12345", ItemKind.REPLY, "u"), "x", "k-odd")


def test_malformed_create_answer_is_transient(connector, sim, seed):
    seed(1)
    target = target_of(first_item(connector))
    sim.fail_next("com.atproto.repo.createRecord", 200, body={"ok": True})
    with pytest.raises(Transient, match="malformed"):
        connector.reply(target, "hello", "k-odd-answer")
