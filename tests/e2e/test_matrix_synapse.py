"""The Matrix connector against a real Synapse homeserver, headless (no Qt).

A moderator (server admin, creator of a room version 12 room) and members are registered with
the shared-secret API; members post, one of them abusively; CMDesk's connector signs in, fetches,
replies (twice with one key: one event), redacts, bans, kicks, mutes and reports, and the test
checks each effect the way another Matrix client sees it. A second Synapse keeps the default
rate limits to meet a real 429 ``M_LIMIT_EXCEEDED``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from cmdesk.connectors.base import Permanent, RateLimited, Target, Verb
from cmdesk.connectors.http import HttpClient
from cmdesk.connectors.matrix import MatrixConnector, SignInError, sign_in
from cmdesk.core.models import Account, IncomingItem, ItemKind, Platform
from cmdesk.secrets import MemoryVault

from .synapse import MatrixTestClient, MatrixUser, SynapseHomeserver

ABUSE = "You are all idiots and I know where you live"


def http(**kwargs) -> HttpClient:
    options = {"backoff_base": 0.05, "retries": 2, "max_inline_wait": 5.0, "label": "e2e"}
    options.update(kwargs)
    return HttpClient(**options)


def connector_for(
    homeserver: SynapseHomeserver, user: MatrixUser, *, settings: dict | None = None, client: HttpClient | None = None
) -> MatrixConnector:
    account = Account(
        1,
        Platform.MATRIX,
        user.localpart,
        user.user_id,
        homeserver.base_url,
        settings={"user_id": user.user_id, **(settings or {})},
    )
    return MatrixConnector(account, MemoryVault({"access_token": user.access_token}), client or http())


def target_of(item: IncomingItem) -> Target:
    return Target(
        item.platform_item_id,
        item.kind,
        item.author.platform_author_id,
        thread_platform_id=item.thread_platform_id,
        parent_platform_id=item.parent_platform_id,
        ref=item.ref,
        text=item.text,
    )


def fetch_all(connector: MatrixConnector, cursor: str | None = None) -> tuple[list[IncomingItem], str | None]:
    items: list[IncomingItem] = []
    for _ in range(50):
        batch = connector.fetch(cursor)
        items.extend(batch.items)
        cursor = batch.cursor
        if not batch.more:
            return items, cursor
    raise AssertionError("fetch never finished")


@dataclass
class World:
    homeserver: SynapseHomeserver
    moderator: MatrixUser
    bob: MatrixUser
    mallory: MatrixUser
    room: str
    dm: str
    welcome: str
    events: dict[str, str]

    def client(self, user: MatrixUser) -> MatrixTestClient:
        return self.homeserver.client(user)


@pytest.fixture(scope="module")
def world(synapse: SynapseHomeserver) -> World:
    moderator = synapse.register("moderator", admin=True, displayname="Moderation Team")
    bob = synapse.register("bob", displayname="Bob")
    mallory = synapse.register("mallory", displayname="Mallory")
    mod, b, m = synapse.client(moderator), synapse.client(bob), synapse.client(mallory)
    room = mod.create_room("Community", alias="community")
    b.join(room)
    m.join(room)
    welcome = mod.send_text(room, "Welcome to the community room!")
    events = {
        "hello": b.send_text(room, "Hello everyone"),
        "abuse": m.send_text(room, ABUSE),
        "reply": b.send_text(room, "Thanks, happy to be here", reply_to=welcome),
        "mention": b.send_text(room, "Moderation Team, can you help?", mentions=(moderator.user_id,)),
        "html": b.send_text(room, "**Bold** plan", html="<p><strong>Bold</strong> plan<script>x()</script></p>"),
    }
    dm = b.create_room(preset="trusted_private_chat", is_direct=True, invite=(moderator.user_id,))
    mod.join(dm)
    events["dm"] = b.send_text(dm, "Can we talk privately?")
    return World(synapse, moderator, bob, mallory, room, dm, welcome, events)


@pytest.fixture(scope="module")
def moderation(world: World) -> tuple[MatrixConnector, dict[str, IncomingItem], str]:
    """The moderator's connector after its first sync (signed in with a password, like the app)."""
    result = sign_in(world.homeserver.base_url, user="moderator", password=world.moderator.password, http=http())
    account = Account(1, Platform.MATRIX, "Synapse", result.handle, result.base_url, settings=result.settings)
    connector = MatrixConnector(account, MemoryVault(result.secrets), http())
    items, cursor = fetch_all(connector)
    return connector, {i.platform_item_id: i for i in items}, cursor


def test_sign_in_with_password_token_and_errors(world: World):
    base = world.homeserver.base_url
    result = sign_in(base, user="moderator", password=world.moderator.password, http=http())
    assert result.handle == world.moderator.user_id and result.display_name == "Moderation Team"
    assert result.settings["device_id"] and result.secrets["access_token"].startswith("syt_")
    assert sign_in(base, access_token=world.bob.access_token, http=http()).handle == world.bob.user_id
    with pytest.raises(SignInError) as wrong:
        sign_in(base, user="moderator", password="not the password", http=http())
    assert wrong.value.reason == "wrong_password"
    with pytest.raises(SignInError) as bad_token:
        sign_in(base, access_token="syt_not_a_token", http=http())
    assert bad_token.value.reason == "bad_token"


def test_messages_appear_as_items(world: World, moderation):
    _, items, _ = moderation
    ev = world.events
    assert items[ev["hello"]].kind == ItemKind.COMMENT and items[ev["hello"]].text == "Hello everyone"
    assert items[ev["hello"]].author.display_name == "Bob"
    assert items[ev["hello"]].thread_title == "#community:localhost"
    assert items[ev["abuse"]].text == ABUSE and items[ev["abuse"]].author.platform_author_id == world.mallory.user_id
    assert items[ev["reply"]].kind == ItemKind.REPLY and items[ev["reply"]].parent_platform_id == world.welcome
    assert items[ev["mention"]].kind == ItemKind.MENTION
    assert items[ev["html"]].text == "Bold plan" and "<strong>" in items[ev["html"]].original
    assert items[ev["dm"]].kind == ItemKind.DIRECT_MESSAGE and items[ev["dm"]].thread_title == "Bob"
    assert items[world.welcome].is_own
    assert json.loads(items[ev["hello"]].ref)["room"] == world.room


def test_fetch_is_incremental_and_idempotent(world: World, moderation):
    connector, _, cursor = moderation
    assert connector.fetch(cursor).items == []
    new = world.client(world.bob).send_text(world.room, "One more thing")
    first, again = connector.fetch(cursor), connector.fetch(cursor)
    assert [i.platform_item_id for i in first.items] == [new] == [i.platform_item_id for i in again.items]
    assert connector.fetch(first.cursor).items == []


def test_gaps_in_a_limited_sync_are_filled(world: World):
    connector = connector_for(world.homeserver, world.moderator, settings={"timeline_limit": 3, "gap_budget": 5})
    _, cursor = fetch_all(connector)
    bob = world.client(world.bob)
    sent = [bob.send_text(world.room, f"burst {n}") for n in range(12)]
    items, _ = fetch_all(connector, cursor)
    assert sorted(i.platform_item_id for i in items) == sorted(sent)


def test_reply_with_one_key_posts_one_event(world: World, moderation):
    connector, items, _ = moderation
    question = target_of(items[world.events["mention"]])
    first = connector.reply(question, "Sure, how can we help?", "outbox-42")
    second = connector.reply(question, "Sure, how can we help?", "outbox-42")
    assert first.platform_item_id == second.platform_item_id
    seen_by_bob = [
        e
        for e in world.client(world.bob).messages(world.room, limit=100)
        if e["content"].get("body") == "Sure, how can we help?"
    ]
    assert [e["event_id"] for e in seen_by_bob] == [first.platform_item_id]
    assert seen_by_bob[0]["content"]["m.relates_to"] == {"m.in_reply_to": {"event_id": question.platform_item_id}}
    assert seen_by_bob[0]["sender"] == world.moderator.user_id
    assert (
        connector.find_reply(question, "outbox-42", "Sure, how can we help?").platform_item_id == first.platform_item_id
    )


def test_redacting_removes_the_content_for_other_clients(world: World, moderation):
    connector, items, _ = moderation
    abuse = target_of(items[world.events["abuse"]])
    connector.act(Verb.HIDE, abuse, "Threats are not allowed")
    seen = world.client(world.bob).event(world.room, abuse.platform_item_id)
    assert seen["content"] == {}
    assert seen["unsigned"]["redacted_because"]["content"]["reason"] == "Threats are not allowed"
    with pytest.raises(Permanent, match="cannot undo a redaction"):
        connector.act(Verb.UNHIDE, abuse)


def test_ban_and_unban_change_membership(world: World, moderation):
    connector, items, _ = moderation
    abuse = target_of(items[world.events["abuse"]])
    connector.act(Verb.BAN_AUTHOR, abuse, "Threatening members")
    member = world.client(world.bob).state(world.room, "m.room.member", world.mallory.user_id)
    assert member["membership"] == "ban" and member["reason"] == "Threatening members"
    connector.act(Verb.UNBAN_AUTHOR, abuse, "Appeal accepted")
    assert world.client(world.bob).membership(world.room, world.mallory.user_id) == "leave"


def test_kick_mute_and_report(world: World, moderation):
    connector, items, _ = moderation
    hello = target_of(items[world.events["hello"]])
    connector.act(Verb.REPORT, hello, "Testing the report flow")
    reports = world.homeserver.admin_call(world.moderator, "GET", "/_synapse/admin/v1/event_reports")
    assert any(
        r["event_id"] == hello.platform_item_id and r["reason"] == "Testing the report flow"
        for r in reports["event_reports"]
    )
    connector.act(Verb.MUTE_AUTHOR, hello)
    ignored = world.client(world.moderator).account_data("m.ignored_user_list")
    assert world.bob.user_id in ignored["ignored_users"]
    world.client(world.moderator).set_account_data("m.ignored_user_list", {"ignored_users": {}})
    connector.act(Verb.BLOCK_AUTHOR, hello, "Cool down for a bit")
    assert world.client(world.moderator).membership(world.room, world.bob.user_id) == "leave"
    world.client(world.bob).join(world.room)


def test_power_levels_decide_capabilities(world: World):
    moderator = connector_for(world.homeserver, world.moderator, settings={"rooms": ["#community:localhost"]})
    caps = moderator.capabilities()
    for verb in (Verb.HIDE, Verb.DELETE, Verb.BAN_AUTHOR, Verb.UNBAN_AUTHOR, Verb.BLOCK_AUTHOR, Verb.REPLY):
        assert caps.allows(verb), verb
    bob = connector_for(world.homeserver, world.bob, settings={"rooms": [world.room]})
    bob_caps = bob.capabilities()
    assert bob_caps.allows(Verb.REPLY) and bob_caps.allows(Verb.REPORT) and bob_caps.allows(Verb.MUTE_AUTHOR)
    assert not bob_caps.allows(Verb.BAN_AUTHOR)
    assert (
        bob_caps.why_not(Verb.BAN_AUTHOR)
        == "You need power level 50 in #community:localhost to ban people (you have 0)."
    )
    assert not bob_caps.allows(Verb.HIDE) and not bob_caps.allows(Verb.BLOCK_AUTHOR)
    target = Target(world.welcome, ItemKind.COMMENT, world.moderator.user_id, thread_platform_id=world.room)
    with pytest.raises(Permanent, match="You need power level 50"):
        bob.act(Verb.BAN_AUTHOR, target, "coup")
    # A moderator at 50 may ban members, but not the creator of a room version 12 room, who is not
    # listed in the power levels' users and has unlimited power.
    helper = world.homeserver.register("helper", displayname="Helper")
    world.client(helper).join(world.room)
    world.client(world.moderator).set_power(world.room, helper.user_id, 50)
    helper_connector = connector_for(world.homeserver, helper, settings={"rooms": [world.room]})
    assert helper_connector.capabilities().allows(Verb.BAN_AUTHOR)
    assert (
        helper_connector.capabilities_for(target)
        .why_not(Verb.BAN_AUTHOR)
        .startswith("@moderator:localhost has power level unlimited")
    )  # no sync yet: no display names
    helper_connector.fetch(None)
    why = helper_connector.capabilities_for(target).why_not(Verb.BAN_AUTHOR)
    assert why == (
        "Moderation Team has power level unlimited (room creator) in #community:localhost, "
        "not below yours (50), so you cannot ban them."
    )


def test_default_rate_limits_give_rate_limited_with_retry_after(synapse_default_limits: SynapseHomeserver):
    homeserver = synapse_default_limits
    talker = homeserver.register("talker", displayname="Talker")
    room = homeserver.client(talker).create_room("Chatter")
    first = homeserver.client(talker).send_text(room, "first")
    connector = connector_for(homeserver, talker, client=http(max_inline_wait=0, retries=0))
    target = Target(first, ItemKind.COMMENT, talker.user_id, thread_platform_id=room)
    with pytest.raises(RateLimited) as limited:
        for n in range(40):  # rc_message: 0.2/s with a burst of 10
            connector.reply(target, f"message {n}", f"key-{n}")
    assert "M_LIMIT_EXCEEDED" in str(limited.value)
    assert 0 < limited.value.retry_after <= 60
