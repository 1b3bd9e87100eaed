"""Replies, reconciliation, every moderation verb and capabilities, through the simulator."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cmdesk.connectors.base import NotFound, Permanent, Target, Verb
from cmdesk.connectors.matrix import UNHIDE_REASON
from cmdesk.connectors.registry import spec_for
from cmdesk.connectors.simulators.matrix import connector_for
from cmdesk.core.models import ItemKind, Platform

from .helpers import fast_http, seed


@pytest.fixture
def item(sim, connector):
    seed(sim, "a question", ItemKind.COMMENT, author="alice")
    return connector.fetch(None).items[0]


def target_of(item) -> Target:
    return Target(
        item.platform_item_id,
        item.kind,
        item.author.platform_author_id,
        thread_platform_id=item.thread_platform_id,
        parent_platform_id=item.parent_platform_id,
        ref=item.ref,
        text=item.text,
    )


def test_registry_builds_the_connector(sim):
    account, vault = connector_for(sim)
    spec = spec_for(Platform.MATRIX)
    assert spec.secret_names == ("access_token",)
    connector = spec.factory(account, vault, fast_http())
    assert connector.fetch(None).cursor


# ---- reply -------------------------------------------------------------------------------------


def test_reply_is_a_rich_reply_posted_once_per_key(sim, connector, item):
    target = target_of(item)
    first = connector.reply(target, "Thanks for asking!", "key-1")
    second = connector.reply(target, "Thanks for asking!", "key-1")
    assert first.platform_item_id == second.platform_item_id
    assert sim.posted_replies() == [
        {"id": first.platform_item_id, "in_reply_to": item.platform_item_id, "text": "Thanks for asking!"}
    ]
    content = sim.event(first.platform_item_id)["content"]
    assert content["m.relates_to"] == {"m.in_reply_to": {"event_id": item.platform_item_id}}
    assert content["m.mentions"] == {"user_ids": ["@alice:cmdesk.test"]}
    assert first.is_own and first.kind == ItemKind.REPLY and first.parent_platform_id == item.platform_item_id
    assert first.thread_platform_id == item.thread_platform_id
    connector.reply(target, "Another answer", "key-2")
    assert len(sim.posted_replies()) == 2


def test_find_reply_by_transaction_id_or_content(sim, connector, make_connector, item):
    target = target_of(item)
    assert connector.find_reply(target, "k", "Hello") is None
    posted = connector.reply(target, "Hello", "k")
    assert connector.find_reply(target, "k", "Hello").platform_item_id == posted.platform_item_id
    # Another device (a new sign-in) does not see the transaction id: the content still matches.
    other_device = make_connector(token=sim.login_as(sim.owner_handle))
    assert other_device.find_reply(target, "k", "Hello").platform_item_id == posted.platform_item_id
    assert other_device.find_reply(target, "k", "Something else") is None
    # By content, only a reply sent since ``since`` and not already accounted for.
    later = posted.created_at + timedelta(minutes=1)
    assert other_device.find_reply(target, "k", "Hello", since=later) is None
    assert other_device.find_reply(target, "k", "Hello", known=frozenset({posted.platform_item_id})) is None
    earlier = posted.created_at - timedelta(minutes=1)
    assert other_device.find_reply(target, "k", "Hello", since=earlier).platform_item_id == posted.platform_item_id
    # The transaction id is exact: the device that sent it finds it whatever the text says.
    assert connector.find_reply(target, "k", "Hello", since=later).platform_item_id == posted.platform_item_id


def test_reply_checks(connector, item):
    target = target_of(item)
    with pytest.raises(Permanent, match="empty"):
        connector.reply(target, "   ", "k")
    with pytest.raises(Permanent, match="too long"):
        connector.reply(target, "x" * 70_000, "k")
    with pytest.raises(Permanent, match="which Matrix room"):
        connector.reply(Target("$x", ItemKind.COMMENT, "@a:hs"), "hi", "k")


def test_reply_in_a_dm_stays_a_direct_message(sim, connector):
    seed(sim, "psst", ItemKind.DIRECT_MESSAGE, author="dora")
    dm = connector.fetch(None).items[0]
    answer = connector.reply(target_of(dm), "Hi Dora", "dm-1")
    assert answer.kind == ItemKind.DIRECT_MESSAGE and answer.thread_platform_id == dm.thread_platform_id


def test_context_returns_the_conversation(sim, connector):
    seed(sim, "answer to the welcome post", ItemKind.REPLY, author="alice")
    items = connector.fetch(None).items
    reply = next(i for i in items if i.kind == ItemKind.REPLY)
    around = {i.platform_item_id: i for i in connector.context(target_of(reply))}
    assert reply.platform_item_id in around
    assert around[reply.parent_platform_id].is_own  # the welcome post it answers
    with pytest.raises(NotFound):
        connector.context(Target("$missing", ItemKind.COMMENT, "@a:hs", thread_platform_id=sim.community_room))


# ---- moderation ----------------------------------------------------------------------------------


@pytest.mark.parametrize("verb", [Verb.HIDE, Verb.DELETE])
def test_hide_and_delete_redact_with_the_reason(sim, connector, item, verb):
    connector.act(verb, target_of(item), "spam")
    redacted = sim.event(item.platform_item_id)
    assert redacted["content"] == {}
    assert redacted["unsigned"]["redacted_because"]["content"]["reason"] == "spam"
    connector.act(verb, target_of(item), "spam")  # again: same transaction, nothing new
    assert sim.moderation_log() == [("redact", item.platform_item_id)]


def test_unhide_is_not_possible(connector, item):
    with pytest.raises(Permanent) as error:
        connector.act(Verb.UNHIDE, target_of(item))
    assert str(error.value) == UNHIDE_REASON


def test_ban_unban_and_kick(sim, connector, item):
    connector.act(Verb.BAN_AUTHOR, target_of(item), "abuse")
    assert sim.membership(sim.community_room, "@alice:cmdesk.test") == "ban"
    connector.act(Verb.UNBAN_AUTHOR, target_of(item), "appeal accepted")
    assert sim.membership(sim.community_room, "@alice:cmdesk.test") == "leave"
    sim.join(sim.community_room, "@alice:cmdesk.test")
    connector.act(Verb.BLOCK_AUTHOR, target_of(item), "cool down")
    assert sim.membership(sim.community_room, "@alice:cmdesk.test") == "leave"
    assert sim.moderation_log() == [
        ("ban", "@alice:cmdesk.test"),
        ("unban", "@alice:cmdesk.test"),
        ("kick", "@alice:cmdesk.test"),
    ]


def test_mute_adds_to_the_ignore_list_and_keeps_others(sim, connector, item):
    sim.set_account_data(sim.owner_handle, "m.ignored_user_list", {"ignored_users": {"@old:cmdesk.test": {}}})
    connector.act(Verb.MUTE_AUTHOR, target_of(item))
    connector.act(Verb.MUTE_AUTHOR, target_of(item))
    ignored = sim.account_data(sim.owner_handle, "m.ignored_user_list")["ignored_users"]
    assert set(ignored) == {"@old:cmdesk.test", "@alice:cmdesk.test"}
    assert sim.moderation_log() == [("ignore", "@alice:cmdesk.test")]


def test_report_sends_reason_and_score(sim, connector, item):
    connector.act(Verb.REPORT, target_of(item), "harassment")
    assert sim.reports() == [
        {
            "room": sim.community_room,
            "event": item.platform_item_id,
            "reason": "harassment",
            "score": -100,
            "reporter": sim.owner_handle,
        }
    ]


def test_acting_on_a_vanished_event_is_not_found(sim, connector):
    gone = Target("$gone", ItemKind.COMMENT, "@alice:cmdesk.test", thread_platform_id=sim.community_room)
    with pytest.raises(NotFound):
        connector.act(Verb.REPORT, gone, "x")
    with pytest.raises(NotFound):
        connector.act(Verb.HIDE, gone, "x")


# ---- power levels and capabilities ---------------------------------------------------------------


def test_moderator_capabilities(connector):
    caps = connector.capabilities()
    for verb in (
        Verb.REPLY,
        Verb.HIDE,
        Verb.DELETE,
        Verb.BAN_AUTHOR,
        Verb.UNBAN_AUTHOR,
        Verb.BLOCK_AUTHOR,
        Verb.MUTE_AUTHOR,
        Verb.REPORT,
    ):
        assert caps.allows(verb), verb
    assert not caps.allows(Verb.UNHIDE) and caps.why_not(Verb.UNHIDE) == UNHIDE_REASON


def test_a_plain_member_lacks_moderation_rights(sim, make_connector, item):
    user_id, token = sim.add_user("bob", "Bob")
    sim.join(sim.community_room, user_id)
    bob = make_connector({"user_id": user_id}, token=token)
    caps = bob.capabilities()
    assert caps.allows(Verb.REPLY) and caps.allows(Verb.REPORT) and caps.allows(Verb.MUTE_AUTHOR)
    assert (
        caps.why_not(Verb.BAN_AUTHOR) == "You need power level 50 in #community:cmdesk.test to ban people (you have 0)."
    )
    assert "to remove people from the room (kick)" in caps.why_not(Verb.BLOCK_AUTHOR)
    assert "remove other people's messages" in caps.why_not(Verb.HIDE)
    with pytest.raises(Permanent, match="You need power level 50"):
        bob.act(Verb.BAN_AUTHOR, target_of(item), "x")
    with pytest.raises(Permanent, match="You need power level 50"):
        bob.act(Verb.DELETE, target_of(item), "x")
    assert sim.moderation_log() == []
    # Everyone may redact their own messages.
    own = bob.reply(target_of(item), "oops", "k")
    bob.act(Verb.DELETE, target_of(own), "typo")
    assert sim.moderation_log() == [("redact", own.platform_item_id)]


def test_server_refusal_is_permanent_when_levels_changed_meanwhile(sim, make_connector, item):
    user_id, token = sim.add_user("mia", "Mia")
    sim.join(sim.community_room, user_id)
    sim.set_power(sim.community_room, user_id, 50)
    mia = make_connector({"user_id": user_id}, token=token)
    assert mia.capabilities().allows(Verb.BAN_AUTHOR)
    sim.set_levels(sim.community_room, ban=60)
    # The levels read a moment ago still say yes: the homeserver's M_FORBIDDEN is the answer.
    with pytest.raises(Permanent, match="M_FORBIDDEN"):
        mia.act(Verb.BAN_AUTHOR, target_of(item), "x")
    mia._room_state(sim.community_room, max_age=0)
    with pytest.raises(Permanent, match="power level 60"):
        mia.act(Verb.BAN_AUTHOR, target_of(item), "x")
    assert sim.membership(sim.community_room, "@alice:cmdesk.test") == "join"


def test_cannot_ban_someone_as_powerful(sim, make_connector, connector):
    user_id, _ = sim.add_user("mod2", "Second Mod")
    sim.join(sim.community_room, user_id)
    sim.set_power(sim.community_room, user_id, 100)
    sim.post(sim.community_room, user_id, "I am a moderator too")
    mod_item = connector.fetch(None).items[-1]
    caps = connector.capabilities_for(target_of(mod_item))
    assert not caps.allows(Verb.BAN_AUTHOR)
    assert "Second Mod has power level 100" in caps.why_not(Verb.BAN_AUTHOR)
    with pytest.raises(Permanent, match="cannot ban them"):
        connector.act(Verb.BAN_AUTHOR, target_of(mod_item), "x")


def test_room_version_12_creator_is_all_powerful(sim, make_connector):
    room_id = sim.create_room("Twelve", alias="twelve", version="12")
    sim.post(room_id, "zed", "hello")
    sim.join(room_id, "@zed:cmdesk.test")
    connector = make_connector({"rooms": [room_id]})
    item = next(i for i in connector.fetch(None).items if not i.is_own)
    caps = connector.capabilities_for(target_of(item))
    assert caps.allows(Verb.BAN_AUTHOR) and caps.allows(Verb.HIDE)
    connector.act(Verb.BAN_AUTHOR, target_of(item), "x")
    assert sim.membership(room_id, "@zed:cmdesk.test") == "ban"


def test_capabilities_across_rooms_and_without_rooms(sim, make_connector):
    user_id, token = sim.add_user("half", "Half Mod")
    helper_room = sim.create_room("Helpers", members=(user_id,), power_users={user_id: 50})
    sim.join(sim.community_room, user_id)
    half = make_connector({"user_id": user_id}, token=token)
    caps = half.capabilities()
    assert caps.allows(Verb.BAN_AUTHOR)  # allowed in one of its rooms; act() checks the item's room
    assert helper_room
    loner_id, loner_token = sim.add_user("loner", "Loner")
    loner = make_connector({"user_id": loner_id}, token=loner_token).capabilities()
    assert not loner.allows(Verb.REPLY) and "not in any room" in loner.why_not(Verb.BAN_AUTHOR)
    assert loner.allows(Verb.REPORT)


def test_dm_power_does_not_count_as_moderation_rights(sim, make_connector):
    user_id, token = sim.add_user("bob", "Bob")
    sim.join(sim.community_room, user_id)
    friend, _ = sim.add_user("friend", "Friend")
    dm = sim.create_room(creator=friend, power_users={user_id: 100}, members=(user_id,))
    sim.set_account_data(user_id, "m.direct", {friend: [dm]})
    caps = make_connector({"user_id": user_id}, token=token).capabilities()
    assert not caps.allows(Verb.BAN_AUTHOR)
    assert caps.why_not(Verb.BAN_AUTHOR).startswith("You need power level 50 in #community:cmdesk.test")


def test_a_promotion_seen_by_sync_refreshes_capabilities(sim, make_connector):
    user_id, token = sim.add_user("newmod", "New Mod")
    sim.join(sim.community_room, user_id)
    newmod = make_connector({"user_id": user_id}, token=token)
    cursor = newmod.fetch(None).cursor
    assert not newmod.capabilities().allows(Verb.BAN_AUTHOR)
    sim.set_power(sim.community_room, user_id, 50)
    newmod.fetch(cursor)
    assert newmod.capabilities().allows(Verb.BAN_AUTHOR)
