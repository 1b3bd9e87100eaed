"""act(): what an account owner can do on Bluesky, and what capabilities say about the rest."""

from __future__ import annotations

import json

import pytest

from cmdesk.connectors.base import Permanent, Target, Transient, Verb
from cmdesk.connectors.bluesky_moderation import (
    BAN_REASON,
    DELETE_OTHERS_REASON,
    NOT_OUR_THREAD_REASON,
    report_reason_type,
)
from cmdesk.connectors.bluesky_text import AtUri
from cmdesk.core.models import ItemKind, Moderation
from tests.connectors.bluesky.bluesky_helpers import target_of


def threadgate_uri(sim, root_uri: str) -> str:
    return f"at://{sim.owner_did}/app.bsky.feed.threadgate/{AtUri.parse(root_uri).rkey}"


def items_by_kind(connector):
    return {item.kind: item for item in connector.fetch(None).items}


def test_hide_creates_a_threadgate_that_keeps_replies_open(connector, sim, seed):
    seed(1)
    reply = connector.fetch(None).items[0]
    connector.act(Verb.HIDE, target_of(reply))
    gate = sim.record(threadgate_uri(sim, reply.thread_platform_id))
    assert gate["hiddenReplies"] == [reply.platform_item_id]
    assert gate["post"] == reply.thread_platform_id
    assert "allow" not in gate  # no allow list: anybody may still reply
    assert sim.moderation_log() == [("hide", reply.platform_item_id)]
    context = {i.platform_item_id: i for i in connector.context(target_of(reply))}
    assert context[reply.platform_item_id].moderation == Moderation.HIDDEN
    connector.act(Verb.HIDE, target_of(reply))  # hiding twice changes nothing
    assert len(sim.moderation_log()) == 1


def test_hide_and_unhide_preserve_existing_rules(connector, sim, seed):
    first, second = seed(2)
    items = connector.fetch(None).items
    root = items[0].thread_platform_id
    rules = [{"$type": "app.bsky.feed.threadgate#mentionRule"}, {"$type": "app.bsky.feed.threadgate#followingRule"}]
    connector.client.procedure(
        "com.atproto.repo.putRecord",
        {
            "repo": sim.owner_did,
            "collection": "app.bsky.feed.threadgate",
            "rkey": AtUri.parse(root).rkey,
            "record": {
                "$type": "app.bsky.feed.threadgate",
                "post": root,
                "createdAt": "2025-01-01T00:00:00.000Z",
                "allow": rules,
            },
        },
    )
    for item in items:
        connector.act(Verb.HIDE, target_of(item))
    connector.act(Verb.UNHIDE, target_of(items[0]))
    gate = sim.record(threadgate_uri(sim, root))
    assert gate["allow"] == rules and gate["createdAt"] == "2025-01-01T00:00:00.000Z"
    assert gate["hiddenReplies"] == [second]
    connector.act(Verb.UNHIDE, target_of(items[1]))
    assert sim.record(threadgate_uri(sim, root))["hiddenReplies"] == []  # rules remain, so the record stays
    assert sim.moderation_log() == [("hide", first), ("hide", second), ("unhide", first), ("unhide", second)]


def test_unhiding_the_last_reply_removes_a_gate_that_only_hid(connector, sim, seed):
    seed(1)
    reply = connector.fetch(None).items[0]
    connector.act(Verb.HIDE, target_of(reply))
    connector.act(Verb.UNHIDE, target_of(reply))
    assert sim.record(threadgate_uri(sim, reply.thread_platform_id)) is None


def test_a_full_threadgate_is_a_permanent_error(connector, sim, seed):
    seed(1)
    reply = connector.fetch(None).items[0]
    root = reply.thread_platform_id
    full = [f"at://did:plc:someone/app.bsky.feed.post/3lbv2{n:08d}" for n in range(300)]
    connector.client.procedure(
        "com.atproto.repo.putRecord",
        {
            "repo": sim.owner_did,
            "collection": "app.bsky.feed.threadgate",
            "rkey": AtUri.parse(root).rkey,
            "record": {
                "$type": "app.bsky.feed.threadgate",
                "post": root,
                "createdAt": "2025-01-01T00:00:00.000Z",
                "hiddenReplies": full,
            },
        },
    )
    with pytest.raises(Permanent, match="300 hidden replies"):
        connector.act(Verb.HIDE, target_of(reply))


def test_concurrent_edit_is_read_again(connector, sim, seed):
    seed(2)
    reply, other = connector.fetch(None).items
    sim.fail_next("com.atproto.repo.putRecord", 400, "InvalidSwap", "Record was at bafyreiother")
    connector.act(Verb.HIDE, target_of(reply))
    assert sim.record(threadgate_uri(sim, reply.thread_platform_id))["hiddenReplies"] == [reply.platform_item_id]
    sim.fail_next("com.atproto.repo.putRecord", 400, "InvalidSwap", "Record was at bafyreiother", times=3)
    with pytest.raises(Transient, match="kept changing"):
        connector.act(Verb.HIDE, target_of(other))


def test_hide_outside_our_threads_says_why(connector, sim):
    stranger = sim.seed_actor("stranger", "Stranger", "stranger.example.com")
    their_post = sim.seed_post(did=stranger, text="my own thread")
    reply_there = sim.seed_post(
        did=sim.seed_actor("troll"),
        text="@cmdesk-demo.bsky.social ugh",
        reply_to=their_post,
        mention_owner=True,
        notify="mention",
    )
    item = connector.fetch(None).items[0]
    assert item.platform_item_id == reply_there and item.kind == ItemKind.MENTION
    with pytest.raises(Permanent) as caught:
        connector.act(Verb.HIDE, target_of(item))
    assert str(caught.value) == NOT_OUR_THREAD_REASON
    capabilities = connector.capabilities_for(target_of(item))
    assert not capabilities.allows(Verb.HIDE) and capabilities.why_not(Verb.HIDE) == NOT_OUR_THREAD_REASON
    assert capabilities.allows(Verb.BLOCK_AUTHOR) and capabilities.allows(Verb.REPLY)
    assert sim.moderation_log() == []


def test_hide_on_a_quote_detaches_it_with_a_postgate(connector, sim, seed):
    [quote_uri] = seed(1, ItemKind.COMMENT)
    quote = connector.fetch(None).items[0]
    connector.act(Verb.HIDE, target_of(quote))
    quoted = json.loads(quote.ref)["quote"]["uri"]
    gate = sim.record(f"at://{sim.owner_did}/app.bsky.feed.postgate/{AtUri.parse(quoted).rkey}")
    assert gate["detachedEmbeddingUris"] == [quote_uri] and gate["post"] == quoted
    [seen] = [i for i in connector.context(target_of(quote)) if i.platform_item_id == quote_uri]
    assert seen.moderation == Moderation.HIDDEN and "removed by its author" in seen.text
    connector.act(Verb.UNHIDE, target_of(quote))
    assert sim.moderation_log() == [("hide", quote_uri), ("unhide", quote_uri)]


def test_delete_only_our_own_posts(connector, sim, seed):
    seed(1)
    reply = connector.fetch(None).items[0]
    with pytest.raises(Permanent) as caught:
        connector.act(Verb.DELETE, target_of(reply))
    assert str(caught.value) == DELETE_OTHERS_REASON
    ours = connector.reply(target_of(reply), "oops", "k-del")
    connector.act(Verb.DELETE, target_of(ours))
    assert sim.record(ours.platform_item_id) is None
    connector.act(Verb.DELETE, target_of(ours))  # already gone: still fine
    assert sim.moderation_log() == [("delete", ours.platform_item_id)]
    assert connector.capabilities_for(target_of(ours)).allows(Verb.DELETE)
    assert not connector.capabilities_for(target_of(ours)).allows(Verb.HIDE)


def test_block_mute_report(connector, sim, seed):
    seed(1)
    reply = connector.fetch(None).items[0]
    author = reply.author.platform_author_id
    connector.act(Verb.BLOCK_AUTHOR, target_of(reply))
    connector.act(Verb.BLOCK_AUTHOR, target_of(reply))  # a retry: still one block record
    assert sim.blocks() == {author}
    assert len([k for k in sim.records if k[1] == "app.bsky.graph.block"]) == 1
    connector.act(Verb.MUTE_AUTHOR, target_of(reply))
    connector.act(Verb.REPORT, target_of(reply), "Harassment of our staff")
    report = sim.reports[-1]
    assert report["reasonType"] == "com.atproto.moderation.defs#reasonRude"
    assert report["subject"] == {
        "$type": "com.atproto.repo.strongRef",
        "uri": reply.platform_item_id,
        "cid": json.loads(reply.ref)["cid"],
    }
    assert sim.moderation_log() == [
        ("block_author", author),
        ("mute_author", author),
        ("report", reply.platform_item_id),
    ]
    with pytest.raises(Permanent, match="block"):
        connector.context(target_of(reply))  # the AppView answers blockedPost for it now


def test_account_level_reports_name_the_account(connector, sim, seed):
    seed(1)
    reply = connector.fetch(None).items[0]
    connector.act(Verb.REPORT, target_of(reply), "Impersonates our brand account")
    assert sim.reports[-1]["subject"] == {
        "$type": "com.atproto.admin.defs#repoRef",
        "did": reply.author.platform_author_id,
    }
    assert sim.reports[-1]["reasonType"] == "com.atproto.moderation.defs#reasonMisleading"
    assert sim.moderation_log()[-1] == ("report", reply.author.platform_author_id)


def test_mute_thread(connector, sim, seed):
    seed(1)
    reply = connector.fetch(None).items[0]
    connector.mute_thread(target_of(reply))
    assert sim.moderation_log() == [("mute_thread", reply.thread_platform_id)]


def test_ban_is_not_available_and_capabilities_say_why(connector, seed):
    seed(1)
    reply = connector.fetch(None).items[0]
    capabilities = connector.capabilities()
    assert capabilities.allows(Verb.HIDE) and capabilities.allows(Verb.REPORT)
    assert capabilities.why_not(Verb.BAN_AUTHOR) == BAN_REASON
    with pytest.raises(Permanent, match="no bans"):
        connector.act(Verb.BAN_AUTHOR, target_of(reply))
    specific = connector.capabilities_for(target_of(reply))
    assert specific.allows(Verb.HIDE) and not specific.allows(Verb.DELETE)
    assert specific.why_not(Verb.DELETE) == DELETE_OTHERS_REASON


def test_deactivated_account_can_do_nothing(make_connector):
    connector = make_connector()
    connector.client.status = "deactivated"
    capabilities = connector.capabilities()
    assert not capabilities.verbs and "deactivated" in capabilities.why_not(Verb.REPLY)
    with pytest.raises(Permanent, match="deactivated"):
        connector.act(Verb.MUTE_AUTHOR, Target("at://did:plc:x/app.bsky.feed.post/3lbv2gone22xc", ItemKind.REPLY, "x"))


@pytest.mark.parametrize(
    ("words", "token"),
    [
        ("spam bot", "reasonSpam"),
        ("nudity", "reasonSexual"),
        ("impersonates our brand", "reasonMisleading"),
        ("rude", "reasonRude"),
        ("breaks the law", "reasonViolation"),
        ("", "reasonOther"),
    ],
)
def test_report_reason_mapping(words, token):
    assert report_reason_type(words) == f"com.atproto.moderation.defs#{token}"
