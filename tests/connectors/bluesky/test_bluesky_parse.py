"""Bluesky JSON (docs examples and real-world shapes) to core values."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from cmdesk.connectors.base import Transient
from cmdesk.connectors.bluesky import BlueskyConnector
from cmdesk.connectors.bluesky_parse import (
    Malformed,
    hidden_replies_of,
    label_values,
    notification_item,
    post_item,
    read_ref,
    view_item,
)
from cmdesk.connectors.simulators.bluesky import connector_for
from cmdesk.core.models import Account, ItemKind, Moderation
from tests.connectors.bluesky.bluesky_helpers import OWN_DID, fast_http, load, target_of

ALICE = {"did": "did:plc:vwzwgnygau7ed7b7wt5ux7y2", "handle": "alice.example.com", "displayName": "Alice"}


def item_for(
    record: dict, uri: str = "at://did:plc:vwzwgnygau7ed7b7wt5ux7y2/app.bsky.feed.post/3lbuxnbdbzc2s", **kwargs
):
    return post_item(uri=uri, cid="bafyreiexample", author=ALICE, record=record, own_did=OWN_DID, **kwargs)


# ---- the docs' example records -------------------------------------------------------------


def test_docs_reply_record_keeps_root_and_parent_strong_refs():
    record = load("docs_post_reply.json")
    item = item_for(record)
    ref = read_ref(item.ref)
    assert item.kind == ItemKind.REPLY
    assert ref["root"] == record["reply"]["root"] and ref["parent"] == record["reply"]["parent"]
    assert item.thread_platform_id == record["reply"]["root"]["uri"]
    assert item.parent_platform_id == record["reply"]["parent"]["uri"]
    assert item.created_at == datetime(2023, 8, 7, 5, 49, 40, 501974, tzinfo=UTC)
    assert item.url == "https://bsky.app/profile/alice.example.com/post/3lbuxnbdbzc2s"


def test_docs_quote_of_our_post_is_a_comment_filed_under_it():
    record = load("docs_post_quote.json")
    item = item_for(record, reason="quote")
    quoted = record["embed"]["record"]
    assert item.kind == ItemKind.COMMENT
    assert item.text == "example of a quote-post\n[quoting your post]"
    assert read_ref(item.ref)["quote"] == quoted
    assert item.thread_platform_id == item.parent_platform_id == quoted["uri"]


def test_docs_images_become_alt_text_lines():
    item = item_for(load("docs_post_images.json"))
    assert item.text.splitlines() == [
        "example post with multiple images attached",
        "[image: brief alt text description of the first image]",
        "[image: brief alt text description of the second image]",
    ]


def test_docs_external_card_and_facets():
    assert item_for(load("docs_post_external.json")).text.endswith("[link: Bluesky Social https://bsky.app]")
    facets = item_for(load("docs_post_facets.json"))
    assert facets.text.endswith("https://en.wikipedia.org/wiki/CBOR.")
    assert facets.original == ""  # nothing was rewritten


def test_docs_create_record_answer_is_what_reply_reads(connector, sim, seed):
    seed(1)
    item = connector.fetch(None).items[0]
    answer = load("docs_create_record.json")
    sim.fail_next("com.atproto.repo.createRecord", 200, body=answer)
    posted = connector.reply(target_of(item), "hi", "k-docs")
    assert posted.platform_item_id == answer["uri"] and json.loads(posted.ref)["cid"] == answer["cid"]


# ---- a real-world notification page --------------------------------------------------------


def test_notification_page_shapes():
    page = load("list_notifications.json")["notifications"]
    reply = notification_item(page[5], OWN_DID)
    assert reply.kind == ItemKind.REPLY
    assert reply.text.splitlines() == ["Merci ! Voici deux captures :", "[image: l'écran de connexion]", "[image]"]
    assert reply.lang == "fr"
    assert reply.author.handle == "alice.example.com"  # a handle on another PDS
    assert reply.author.display_name == "Alice evil"  # bidi override stripped from the name
    assert json.loads(reply.ref)["labels"] == ["graphic-media", "spam"]  # self-label + label; "rude" negated
    assert reply.thread_platform_id.endswith("/3k43tv4rft22g") and not reply.is_own

    mention = notification_item(page[4], OWN_DID)
    assert mention.kind == ItemKind.MENTION and mention.lang == "ja"
    assert "https://example.com/very-long-path/to/the/support/page" in mention.text
    assert mention.original.startswith("こんにちは") and "pa..." in mention.original
    assert mention.author.platform_author_id == "did:web:kenji.example.org"

    quote = notification_item(page[3], OWN_DID)
    assert quote.kind == ItemKind.COMMENT and quote.text == "これは良い\n[quoting your post]"

    with_media = notification_item(page[1], OWN_DID)
    assert with_media.text.splitlines() == [
        "look at this 👀",
        "[image: a screenshot of the release notes]",
        "[quoting your post]",
    ]
    assert json.loads(with_media.ref)["quote"]["uri"].endswith("/3k44deefqdk2g")

    with pytest.raises(Malformed):
        notification_item(page[2], OWN_DID)  # no author
    with pytest.raises(Malformed):
        notification_item(page[0], OWN_DID)  # a like is not an item


def test_network_hide_labels_mark_the_item_hidden():
    record = load("docs_post_reply.json")
    hidden = item_for(record, labels=[{"src": "did:plc:ar7c4by46qjdydhdevvrndac", "val": "!hide"}])
    assert hidden.moderation == Moderation.HIDDEN
    assert item_for(record, labels=[{"val": "!hide"}, {"val": "!hide", "neg": True}]).moderation == Moderation.VISIBLE


def test_labels_negation_and_self_labels():
    labels = [{"val": "spam"}, {"val": "porn"}, {"val": "porn", "neg": True}]
    assert label_values(labels, {"values": [{"val": "nudity"}]}) == ["nudity", "spam"]
    assert label_values(None, "odd") == []


def test_fixture_page_through_fetch_skips_the_malformed_item(sim):
    account, vault = connector_for(sim)
    account = Account(
        account.id, account.platform, account.name, account.handle, account.base_url, settings={"did": OWN_DID}
    )
    connector = BlueskyConnector(account, vault, fast_http())
    page = load("list_notifications.json")
    page.pop("cursor")
    sim.fail_next("app.bsky.notification.listNotifications", 200, body=page)
    batch = connector.fetch(None)
    assert [i.kind for i in batch.items] == [ItemKind.REPLY, ItemKind.MENTION, ItemKind.COMMENT, ItemKind.COMMENT]
    assert [i.created_at for i in batch.items] == sorted(i.created_at for i in batch.items)  # oldest first
    assert connector.skipped == 1
    assert json.loads(batch.cursor)["uri"].endswith("/3lbuxtk3c7s2x")  # the newest item delivered


def test_page_without_notifications_is_malformed(connector, sim):
    sim.fail_next("app.bsky.notification.listNotifications", 200, body={"feed": []})
    with pytest.raises(Transient, match="malformed"):
        connector.fetch(None)


# ---- threads -------------------------------------------------------------------------------


def test_thread_with_deleted_parent_blocked_reply_detached_quote(connector, sim):
    thread = load("get_post_thread.json")
    sim.fail_next("app.bsky.feed.getPostThread", 200, body=thread)
    anchor = thread["thread"]["post"]
    connector.client.did = OWN_DID
    items = connector.context(_target_from_view(anchor))
    texts = [i.text for i in items]
    assert texts[0] == "[deleted post]" and items[0].moderation == Moderation.DELETED
    assert items[0].created_at.year == 2024  # estimated from the TID record key
    assert texts[1] == "Replying to a deleted post"
    assert "[post from a blocked or blocking account]" in texts
    hidden = next(i for i in items if i.text == "you are all idiots")
    assert hidden.moderation == Moderation.HIDDEN  # from the answer's threadgate: the root is out of reach
    quote = next(i for i in items if i.text.startswith("see this"))
    assert "[quoted post removed by its author]" in quote.text
    assert quote.moderation == Moderation.HIDDEN  # detached from our post
    assert len(items) == 5 and connector.skipped == 1  # the broken reply was skipped


def test_hidden_replies_are_flagged_from_the_roots_threadgate(connector, sim):
    thread = load("get_post_thread_root.json")
    root = thread["thread"]["post"]
    assert hidden_replies_of(root) == frozenset(root["threadgate"]["record"]["hiddenReplies"])
    sim.fail_next("app.bsky.feed.getPostThread", 200, body=thread)
    connector.client.did = OWN_DID
    items = connector.context(_target_from_view(root))
    assert [(i.text, i.moderation) for i in items] == [
        ("We shipped 2.0 🚀", Moderation.VISIBLE),
        ("first!", Moderation.VISIBLE),
        ("you are all idiots", Moderation.HIDDEN),
    ]
    assert items[0].is_own


def _target_from_view(view: dict):
    from tests.connectors.bluesky.bluesky_helpers import target_of

    return target_of(view_item(view, OWN_DID))
