"""Matrix events to items, power levels and refs, on the spec's own examples and real-world shapes."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmdesk.connectors.base import Target
from cmdesk.connectors.matrix_events import (
    Skip,
    make_ref,
    mentions_user,
    message_item,
    message_text,
    ref_room,
    reply_parent,
    strip_reply_fallback,
)
from cmdesk.connectors.matrix_rooms import RoomDirectory, RoomInfo, localpart, server_name
from cmdesk.core.models import ItemKind

from .helpers import fixture

EVENTS = fixture("events.json")
ME = "@mod:example.org"


def room(room_id: str = "!jEsUZKDJdhlrceRyVU:example.org", **kwargs) -> RoomInfo:
    info = RoomInfo(room_id, **kwargs)
    return info


def event(content: dict, **overrides) -> dict:
    base = {
        "type": "m.room.message",
        "event_id": "$e1",
        "sender": "@alice:example.org",
        "origin_server_ts": 1432735824653,
        "content": content,
    }
    base.update(overrides)
    return base


# ---- the spec's examples ------------------------------------------------------------------------


def test_spec_text_message_uses_the_html_as_plain_text():
    item = message_item(EVENTS["m.room.message$m.text"], room(name="Support"), me=ME)
    assert item.text == "This is an example text message"
    assert item.original == "<b>This is an example text message</b>"
    assert item.kind == ItemKind.COMMENT
    assert item.platform_item_id == "$143273582443PhrSn:example.org"
    assert item.author.platform_author_id == "@example:example.org"
    assert item.author.display_name == "example"  # no member event: the localpart
    assert item.created_at.year == 2015
    assert item.thread_platform_id == "!jEsUZKDJdhlrceRyVU:example.org"
    assert item.thread_title == "Support"
    assert json.loads(item.ref) == {"room": "!jEsUZKDJdhlrceRyVU:example.org", "event": item.platform_item_id}
    assert item.url.startswith("https://matrix.to/#/!jEsUZKDJdhlrceRyVU:example.org/$143273582443PhrSn")
    assert not item.is_own


def test_spec_image_notice_and_emote():
    info = room()
    info.members["@example:example.org"] = "Example"
    assert message_item(EVENTS["m.room.message$m.image"], info, me=ME).text == "[image: filename.jpg]"
    assert message_item(EVENTS["m.room.message$m.notice"], info, me=ME).text == "This is an example notice"
    emote = message_item(EVENTS["m.room.message$m.emote"], info, me=ME)
    assert emote.text == "* Example thinks this is an example emote"


def test_spec_redaction_and_state_events_are_not_items():
    with pytest.raises(Skip) as skip:
        message_item(EVENTS["m.room.redaction"], room(), me=ME)
    assert skip.value.reason == "other"


def test_spec_power_levels_example():
    info = room()
    info.apply_state(EVENTS["m.room.power_levels"])
    assert info.level_of("@example:localhost") == 100
    assert info.level_of("@someone:localhost") == 0
    assert info.required("ban") == 50 and info.required("kick") == 50 and info.required("redact") == 50
    assert info.why_not("@example:localhost", "ban") == ""
    assert info.why_not("@someone:localhost", "ban") == (
        "You need power level 50 in !jEsUZKDJdhlrceRyVU:example.org to ban people (you have 0)."
    )


def test_spec_direct_account_data():
    directory = RoomDirectory()
    directory.apply_direct(EVENTS["m.direct"]["content"])
    assert directory.is_direct("!abcdefgh:example.com") and directory.is_direct("!hgfedcba:example.com")
    assert not directory.is_direct("!other:example.com")


# ---- real-world shapes ---------------------------------------------------------------------------


def test_reply_fallbacks_are_stripped_from_body_and_html():
    content = {
        "msgtype": "m.text",
        "body": "> <@mod:example.org> Welcome all\n> second quoted line\n\nThanks, glad to be here",
        "format": "org.matrix.custom.html",
        "formatted_body": "<mx-reply><blockquote><a href='https://matrix.to/#/!r/$p'>In reply to</a> "
        "Welcome all</blockquote></mx-reply>Thanks, <em>glad</em> to be here",
        "m.relates_to": {"m.in_reply_to": {"event_id": "$parent"}},
    }
    item = message_item(event(content), room(), me=ME)
    assert item.kind == ItemKind.REPLY
    assert item.parent_platform_id == "$parent"
    assert item.text == "Thanks, glad to be here"
    assert "mx-reply" in item.original
    content.pop("format")
    content.pop("formatted_body")
    assert message_item(event(content), room(), me=ME).text == "Thanks, glad to be here"


def test_quotes_are_kept_in_messages_that_are_not_replies():
    assert message_text({"body": "> a quote\n\nmy answer"}, is_reply=False)[0] == "> a quote\n\nmy answer"
    assert strip_reply_fallback("no quote") == "no quote"
    assert strip_reply_fallback("> only a quote") == ""


def test_html_is_made_safe_plain_text():
    content = {
        "msgtype": "m.text",
        "body": "fallback",
        "format": "org.matrix.custom.html",
        "formatted_body": "<p>Hello <script>alert(1)</script><a href='x'>link</a></p><p>line\u202etwo</p>",
    }
    text = message_item(event(content), room(), me=ME).text
    assert "<" not in text and "alert" not in text and "\u202e" not in text
    assert text.startswith("Hello link")


def test_mentions_through_m_mentions_or_legacy_body():
    assert mentions_user({"body": "hi", "m.mentions": {"user_ids": [ME]}}, ME)
    # With m.mentions present, the body is not searched (spec: intentional mentions).
    assert not mentions_user({"body": f"hi {ME}", "m.mentions": {}}, ME)
    assert mentions_user({"body": f"hi {ME}"}, ME)
    assert mentions_user({"body": "hey Moderator Team, look"}, ME, "Moderator Team")
    assert not mentions_user({"body": "no one"}, ME, "Mod")
    item = message_item(event({"msgtype": "m.text", "body": "ping", "m.mentions": {"user_ids": [ME]}}), room(), me=ME)
    assert item.kind == ItemKind.MENTION


def test_direct_message_kind_wins_and_own_messages_are_marked():
    item = message_item(event({"msgtype": "m.text", "body": "psst"}, sender=ME), room(), me=ME, is_direct=True)
    assert item.kind == ItemKind.DIRECT_MESSAGE and item.is_own


def test_thread_messages_answer_their_root():
    content = {
        "msgtype": "m.text",
        "body": "in thread",
        "m.relates_to": {
            "rel_type": "m.thread",
            "event_id": "$root",
            "is_falling_back": True,
            "m.in_reply_to": {"event_id": "$latest"},
        },
    }
    assert reply_parent(content) == "$root"
    content["m.relates_to"]["is_falling_back"] = False
    assert reply_parent(content) == "$latest"
    assert message_item(event(content), room(), me=ME).kind == ItemKind.REPLY


def test_media_caption_and_other_types():
    caption = {"msgtype": "m.image", "body": "Look at this", "filename": "cat.png", "url": "mxc://x/y"}
    assert message_item(event(caption), room(), me=ME).text == "[image: cat.png] Look at this"
    assert message_item(event({"msgtype": "m.file", "body": "report.pdf"}), room(), me=ME).text == "[file: report.pdf]"
    assert message_item(event({"msgtype": "org.custom.type", "body": "still text"}), room(), me=ME).text == "still text"


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("not an event", "malformed"),
        (event({"msgtype": "m.text"}), "malformed"),  # no body
        (event({"body": "x"}), "malformed"),  # no msgtype
        (event({"msgtype": "m.text", "body": "x"}, event_id=None), "malformed"),
        (event({"msgtype": "m.text", "body": "x"}, sender="nobody"), "malformed"),
        (event({"msgtype": "m.text", "body": "x"}, origin_server_ts="yesterday"), "malformed"),
        (event({"msgtype": "m.text", "body": "x"}, origin_server_ts=10**20), "malformed"),
        (event({}, unsigned={"redacted_because": {}}), "redacted"),
        (
            event(
                {
                    "msgtype": "m.text",
                    "body": "* fixed",
                    "m.new_content": {"msgtype": "m.text", "body": "fixed"},
                    "m.relates_to": {"rel_type": "m.replace", "event_id": "$old"},
                }
            ),
            "edit",
        ),
    ],
)
def test_events_that_are_not_items_say_why(bad, reason):
    with pytest.raises(Skip) as skip:
        message_item(bad, room(), me=ME)
    assert skip.value.reason == reason


@given(st.text())
def test_text_extraction_never_fails(body):
    text, _ = message_text({"body": body, "format": "org.matrix.custom.html", "formatted_body": body}, is_reply=True)
    assert isinstance(text, str)
    assert "\u202e" not in text


# ---- power levels and rooms ----------------------------------------------------------------------


def test_room_version_12_creators_have_unlimited_power():
    info = room()
    info.apply_state(
        {
            "type": "m.room.create",
            "state_key": "",
            "sender": "@admin:hs",
            "content": {"room_version": "12", "additional_creators": ["@co:hs"]},
        }
    )
    info.apply_state({"type": "m.room.power_levels", "state_key": "", "content": {"users": {"@mod:hs": 50}}})
    assert info.level_of("@admin:hs") == math.inf and info.level_of("@co:hs") == math.inf
    assert info.why_not("@admin:hs", "ban", "@mod:hs") == ""
    assert "not below yours" in info.why_not("@mod:hs", "ban", "@admin:hs")
    assert info.why_not("@mod:hs", "kick", "@user:hs") == ""


def test_without_power_levels_event_the_creator_has_100():
    info = room()
    info.apply_state(
        {
            "type": "m.room.create",
            "state_key": "",
            "sender": "@old:hs",
            "content": {"creator": "@old:hs", "room_version": "5"},
        }
    )
    assert info.level_of("@old:hs") == 100 and info.level_of("@x:hs") == 0
    assert info.required("ban") == 50 and info.required("send") == 0


def test_string_levels_of_old_rooms_and_unban_needs_kick_too():
    info = room(alias="#old:hs")
    info.apply_state(
        {
            "type": "m.room.power_levels",
            "state_key": "",
            "content": {"users": {"@mod:hs": "60"}, "ban": "50", "kick": 75, "events": {"m.room.redaction": 70}},
        }
    )
    assert info.level_of("@mod:hs") == 60
    assert info.why_not("@mod:hs", "ban") == ""
    assert info.why_not("@mod:hs", "unban") == "You need power level 75 in #old:hs to unban people (you have 60)."
    assert "remove other people's messages" in info.why_not("@mod:hs", "redact")


def test_two_member_rooms_are_dms_unless_named():
    directory = RoomDirectory()
    directory.get("!a:hs").apply_summary({"m.joined_member_count": 2, "m.heroes": ["@bob:hs"]})
    named = directory.get("!b:hs")
    named.apply_summary({"m.joined_member_count": 2})
    named.apply_state({"type": "m.room.name", "state_key": "", "content": {"name": "Team"}})
    assert directory.is_direct("!a:hs") and not directory.is_direct("!b:hs")
    assert directory.get("!a:hs").label("@me:hs") == "@bob:hs"


def test_refs_and_identifiers():
    ref = make_ref("!r:hs", "$e")
    assert ref_room(Target("$e", ItemKind.COMMENT, "@a:hs", ref=ref)) == "!r:hs"
    assert ref_room(Target("$e", ItemKind.COMMENT, "@a:hs", thread_platform_id="!t:hs", ref="{broken")) == "!t:hs"
    assert localpart("@alice:example.org") == "alice" and server_name("@alice:example.org") == "example.org"
