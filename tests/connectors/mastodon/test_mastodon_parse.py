"""JSON -> core values: the documentation's examples and real-world shapes."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdesk.connectors.mastodon_parse import (
    Malformed,
    Me,
    attachment_text,
    can_moderate_users,
    has_scope,
    id_key,
    instance_limits,
    items_from_conversations,
    items_from_notifications,
    items_from_statuses,
    newest_id,
    parse_time,
    role_permissions,
    status_item,
    status_length,
)
from cmdesk.core.models import ItemKind
from tests.connectors.mastodon.mastodon_testkit import load_fixture

ME = Me(account_id="14715", acct="trwnh", domain="mastodon.social")


def test_documented_status_example():
    item = status_item(load_fixture("status.json"), ME)
    assert item.platform_item_id == "103270115826048975"
    assert item.kind == ItemKind.COMMENT  # a root status that does not mention us
    assert item.text.startswith('"I lost my inheritance with one wrong digit on my sort code"')
    assert "https://www.theguardian.com/money/2019/dec/07/i-lost-my" in item.text  # invisible spans are the URL
    assert "<" not in item.text and "&quot;" not in item.text
    assert item.original.startswith("<p>&quot;I lost")
    assert item.created_at == datetime(2019, 12, 8, 3, 48, 33, 901000, tzinfo=UTC)
    assert item.author.handle == "@Gargron@mastodon.social"
    assert item.author.display_name == "Eugen"
    assert item.url == "https://mastodon.social/@Gargron/103270115826048975"
    assert item.lang == "en" and not item.is_own
    ref = json.loads(item.ref)
    assert ref == {"id": "103270115826048975", "vis": "public", "aid": "1", "acct": "Gargron", "mentions": ["Gargron"]}


def test_documented_notifications_page_keeps_mentions_only():
    result, ids = items_from_notifications(load_fixture("notifications_page.json"), ME)
    assert ids == ["34975861", "34975535"]
    assert [i.platform_item_id for i in result.items] == ["103186126728896492"]
    item = result.items[0]
    assert item.kind == ItemKind.REPLY  # in_reply_to_account_id is ours
    assert item.text == "@trwnh sup!"
    assert item.parent_platform_id == item.thread_platform_id == "103186038209478945"
    assert result.skipped == 0


def test_documented_conversations_page():
    result, ids, statuses = items_from_conversations(load_fixture("conversations_page.json"), ME)
    assert ids == ["103196583826321184", "103195253010396431"]
    assert all(i.kind == ItemKind.DIRECT_MESSAGE for i in result.items)
    assert result.items[0].author.handle == "@amic@nulled.red"
    assert json.loads(result.items[0].ref)["conv"] == "418450"
    assert len(statuses) == 2


def test_documented_instance_and_role():
    assert instance_limits(load_fixture("instance_v2.json")) == ("mastodon.social", 500, 23)
    assert instance_limits({"domain": "big.example", "configuration": {"statuses": {"max_characters": 5000}}}) == (
        "big.example",
        5000,
        23,
    )
    assert instance_limits(None) == ("", 500, 23)
    owner = {"role": load_fixture("role.json")}
    assert can_moderate_users(role_permissions(owner))
    assert role_permissions({"role": {"permissions": "1024"}}) == 0x400 and can_moderate_users(0x400)
    assert not can_moderate_users(role_permissions({"role": {"permissions": "65536"}}))
    assert role_permissions({}) == 0


@pytest.fixture(scope="module")
def world():
    return load_fixture("realworld_statuses.json")


def test_entities_and_custom_emoji_as_text(world):
    item = status_item(world["entities_emoji"], ME)
    assert item.text == "@trwnh Café & bar <3 😀 :blobcat:\n\nsecond paragraph\nline two"
    assert item.kind == ItemKind.MENTION
    assert item.author.display_name == "Ann :verified:"
    assert item.author.handle == "@ann@mastodon.social"


def test_content_warning_and_poll(world):
    item = status_item(world["cw_poll"], ME)
    assert item.text == "CW: Election talk\n\nWhich one?\n\n[poll: Option & A / Option B]"
    assert json.loads(item.ref)["cw"] == "Election talk"


def test_media_described_as_text(world):
    item = status_item(world["media"], ME)
    assert item.text == "look\n\n[image: A cat on a keyboard]\n[video]\n[GIF: dancing]"
    assert item.author.handle == "@bob@fosstodon.org"
    assert "\u202e" not in item.author.display_name  # bidi override removed from names
    assert attachment_text(None) == "[attachment]"
    assert attachment_text({"type": "audio", "description": "  "}) == "[audio]"


def test_edited_reply_to_a_deleted_parent(world):
    item = status_item(world["edited_reply_deleted_parent"], ME)
    assert item.parent_platform_id == "109999999999999999"
    assert item.kind == ItemKind.REPLY
    assert json.loads(item.ref)["edited_at"] == "2024-03-01T11:00:00.000Z"


def test_direct_message_and_unlisted_mention(world):
    direct = status_item(world["direct"], ME)
    assert direct.kind == ItemKind.DIRECT_MESSAGE and json.loads(direct.ref)["vis"] == "direct"
    assert direct.lang == ""
    other = status_item(world["unlisted_mention_of_other"], ME)
    assert other.kind == ItemKind.MENTION  # answers Ann but mentions us
    assert json.loads(other.ref)["vis"] == "unlisted"


def test_inline_emoji_images_and_scripts(world):
    item = status_item(world["pleroma_inline_emoji"], ME)
    assert item.text == "hi :blob: there"


def test_boosts_are_not_items_and_broken_items_are_counted(world):
    statuses = [world["boost"], world["no_account"], world["direct"], "not an object"]
    result = items_from_statuses(statuses, ME)
    assert [i.platform_item_id for i in result.items] == ["110000000000000005"]
    assert result.skipped == 2  # the boost is left out silently, the broken ones are counted


def test_broken_notification_entries_do_not_lose_the_page(world):
    page = [
        {"id": "3", "type": "mention", "status": world["no_account"], "account": {}},
        {"id": "2", "type": "reblog", "status": world["boost"], "account": {}},
        {"type": "mention"},
        {"id": "1", "type": "mention", "status": None, "account": {}},  # its status was deleted
        {"id": "0", "type": "mention", "status": world["media"], "account": {}},
    ]
    result, ids = items_from_notifications(page, ME)
    assert [i.platform_item_id for i in result.items] == ["110000000000000003"]
    assert ids == ["3", "2", "1", "0"] and result.skipped == 2
    with pytest.raises(Malformed):
        items_from_notifications({"error": "nope"}, ME)
    with pytest.raises(Malformed):
        items_from_conversations("nope", ME)


def test_own_statuses_are_marked(world):
    ours = dict(world["direct"], account={"id": "14715", "username": "trwnh", "acct": "trwnh"})
    item = status_item(ours, ME)
    assert item.is_own and json.loads(item.ref)["own"] is True


def test_ids_times_and_lengths():
    assert id_key("99") < id_key("100") < id_key("1000")
    assert newest_id(["109", "1100", "99"]) == "1100" and newest_id([]) is None
    assert parse_time("2019-11-23T07:49:02.064Z") == datetime(2019, 11, 23, 7, 49, 2, 64000, tzinfo=UTC)
    assert parse_time("2022-10-31") == datetime(2022, 10, 31, tzinfo=UTC)
    with pytest.raises(Malformed):
        parse_time(None)
    assert status_length("hello") == 5
    assert status_length("see https://example.org/a/very/long/path/that/goes/on/and/on") == 4 + 23
    assert status_length("@bob@fosstodon.org hi") == len("@bob hi")
    assert status_length("👨‍👩‍👧 ok") == 4  # one grapheme for the family
    assert status_length("https://a.example/b", url_weight=30) == 30


def test_scopes_are_hierarchical():
    assert has_scope({"write"}, "write:blocks") and has_scope({"write:blocks"}, "write:blocks")
    assert has_scope({"admin:write"}, "admin:write:accounts")
    assert not has_scope({"read", "write:statuses"}, "write:blocks")
    assert not has_scope({"admin:read"}, "admin:write:accounts")


@settings(max_examples=150, deadline=None)
@given(
    content=st.text(),
    spoiler=st.text(max_size=20),
    name=st.text(max_size=30),
    alt=st.one_of(st.none(), st.text(max_size=30)),
)
def test_any_content_becomes_safe_plain_text(content, spoiler, name, alt):
    """Whatever a server sends in the text fields, the item is plain text without control characters."""
    status = {
        "id": "1",
        "created_at": "2024-01-01T00:00:00Z",
        "content": content,
        "spoiler_text": spoiler,
        "visibility": "public",
        "account": {"id": "2", "acct": "x", "display_name": name},
        "media_attachments": [{"type": "image", "description": alt}],
    }
    item = status_item(status, ME)
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in item.text)
    assert "\u202e" not in item.text and "\u202e" not in item.author.display_name
    assert "[image" in item.text
    assert json.loads(item.ref)["id"] == "1"
