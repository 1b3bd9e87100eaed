"""Fetching: first sync, cursors, gaps, idempotence and real-world oddities, through the simulator."""

from __future__ import annotations

import json

import pytest

from cmdesk.connectors.base import Transient
from cmdesk.connectors.matrix import MatrixConnector
from cmdesk.connectors.simulators.matrix_model import V3
from cmdesk.connectors.simulators.server import Response, SimulatorServer
from cmdesk.core.models import Account, ItemKind, Platform
from cmdesk.secrets import MemoryVault

from .helpers import fast_http, fetch_all, fixture, seed


def test_first_sync_gives_each_kind(sim, connector):
    ids = {
        kind: seed(sim, f"{kind.name.lower()} text", kind, author=f"user{kind.value}", minutes=kind.value)
        for kind in (ItemKind.COMMENT, ItemKind.MENTION, ItemKind.REPLY, ItemKind.DIRECT_MESSAGE)
    }
    batch = connector.fetch(None)
    by_id = {item.platform_item_id: item for item in batch.items}
    for kind, event_id in ids.items():
        assert by_id[event_id].kind == kind
        assert by_id[event_id].text == f"{kind.name.lower()} text"
    # The reply answers the owner's post, which comes too, as our own.
    reply = by_id[ids[ItemKind.REPLY]]
    assert by_id[reply.parent_platform_id].is_own
    assert by_id[ids[ItemKind.DIRECT_MESSAGE]].thread_title == "User3"
    assert by_id[ids[ItemKind.COMMENT]].thread_title == "#community:cmdesk.test"
    assert by_id[ids[ItemKind.COMMENT]].author.display_name == "User0"
    assert json.loads(batch.cursor)["since"].startswith("s")
    assert not batch.more
    assert [i.created_at for i in batch.items] == sorted(i.created_at for i in batch.items)


def test_thread_keys_share_a_room(sim, connector):
    a = seed(sim, "first", ItemKind.REPLY, thread_key="launch")
    b = seed(sim, "second", ItemKind.COMMENT, author="bob", thread_key="launch", minutes=1)
    c = seed(sim, "elsewhere", ItemKind.COMMENT, author="carol", thread_key="other", minutes=2)
    items = {i.platform_item_id: i for i in connector.fetch(None).items}
    assert items[a].thread_platform_id == items[b].thread_platform_id != items[c].thread_platform_id
    assert items[a].thread_title == "#launch:cmdesk.test"
    assert items[b].kind == ItemKind.COMMENT  # a named room of two is not a DM


def test_fetch_is_idempotent_and_continues_after_the_cursor(sim, connector):
    seed(sim, "one")
    first = connector.fetch(None)
    again = connector.fetch(None)
    assert [i.platform_item_id for i in again.items] == [i.platform_item_id for i in first.items]
    assert connector.fetch(first.cursor).items == []
    new = seed(sim, "two", minutes=1)
    after = connector.fetch(first.cursor)
    repeat = connector.fetch(first.cursor)
    assert [i.platform_item_id for i in after.items] == [new] == [i.platform_item_id for i in repeat.items]
    assert connector.fetch(after.cursor).items == []


def test_a_bare_next_batch_token_is_accepted(sim, connector):
    first = connector.fetch(None)
    event_id = seed(sim, "later")
    since = json.loads(first.cursor)["since"]
    assert [i.platform_item_id for i in connector.fetch(since).items] == [event_id]


def test_an_unreadable_cursor_restarts_with_a_first_sync(sim, connector):
    event_id = seed(sim, "hello")
    assert event_id in {i.platform_item_id for i in connector.fetch('{"since": 5, "gaps": "no"').items}


def test_first_sync_backlog_is_bounded_and_paged(sim, make_connector):
    ids = [seed(sim, f"m{n}", minutes=n) for n in range(30)]
    connector = make_connector({"timeline_limit": 5, "backlog": 12})
    items, cursor, _ = fetch_all(connector)
    got = [i.platform_item_id for i in items]
    assert got == ids[-12:]  # the newest 12, oldest first
    assert connector.fetch(cursor).items == []


def test_first_sync_backlog_continues_over_several_fetches(sim, make_connector):
    ids = [seed(sim, f"m{n}", minutes=n) for n in range(40)]
    connector = make_connector({"timeline_limit": 5, "backlog": 35, "gap_budget": 10})
    items, cursor, batches = fetch_all(connector)
    assert batches >= 3
    assert sorted(i.platform_item_id for i in items) == sorted(ids[-35:])
    assert "gaps" not in json.loads(cursor)


def test_a_limited_incremental_sync_never_skips_messages(sim, make_connector):
    connector = make_connector({"timeline_limit": 4, "gap_budget": 10})
    start = connector.fetch(None).cursor
    ids = [seed(sim, f"burst {n}", author=f"u{n % 3}", minutes=n) for n in range(27)]
    items, cursor, batches = fetch_all(connector, start)
    assert sorted(i.platform_item_id for i in items) == sorted(ids)
    assert batches > 1
    # The cursor in the middle of a gap gives the same page again.
    middle = connector.fetch(start)
    assert middle.more
    assert [i.platform_item_id for i in connector.fetch(middle.cursor).items] == [
        i.platform_item_id for i in connector.fetch(middle.cursor).items
    ]
    assert connector.fetch(cursor).items == []


def test_rooms_setting_limits_the_rooms_read(sim, make_connector):
    seed(sim, "in community")
    other = seed(sim, "in launch", thread_key="launch")
    connector = make_connector({"rooms": ["#launch:cmdesk.test"]})
    assert [i.platform_item_id for i in connector.fetch(None).items if not i.is_own] == [other]


def test_restart_with_a_cursor_relearns_room_names_and_dms(sim, make_connector):
    cursor = make_connector().fetch(None).cursor
    dm = seed(sim, "private", ItemKind.DIRECT_MESSAGE, author="dora")
    public = seed(sim, "public", author="erin", minutes=1)
    items = {i.platform_item_id: i for i in make_connector().fetch(cursor).items}
    assert items[dm].kind == ItemKind.DIRECT_MESSAGE
    assert items[public].thread_title == "#community:cmdesk.test"


def test_ignored_users_disappear_from_sync(sim, connector):
    kept = seed(sim, "fine")
    seed(sim, "noise", author="troll")
    sim.set_account_data(sim.owner_handle, "m.ignored_user_list", {"ignored_users": {"@troll:cmdesk.test": {}}})
    assert [i.platform_item_id for i in connector.fetch(None).items] == [kept]


def test_real_world_odd_events_are_skipped_one_by_one(sim, connector):
    room = sim.community_room
    good = sim.post(room, "alice", "good one")
    sim.send_raw(
        room,
        {
            "type": "m.room.message",
            "sender": "@alice:cmdesk.test",
            "content": {"msgtype": "m.text"},
            "origin_server_ts": 1,
        },
    )
    sim.send_raw(
        room,
        {
            "type": "m.room.encrypted",
            "sender": "@alice:cmdesk.test",
            "origin_server_ts": 2,
            "content": {"algorithm": "m.megolm.v1.aes-sha2", "ciphertext": "AwgA"},
        },
    )
    edit = {
        "msgtype": "m.text",
        "body": "* good one!",
        "m.new_content": {"msgtype": "m.text", "body": "good one!"},
        "m.relates_to": {"rel_type": "m.replace", "event_id": good},
    }
    sim.post(room, "alice", "* good one!", extra=edit)
    also_good = sim.post(room, "bob", "<b>bold</b>", html="<b>bold</b> move")
    items = connector.fetch(None).items
    assert [i.platform_item_id for i in items] == [good, also_good]
    assert items[1].text == "bold move"
    assert connector.skipped["malformed"] == 1
    assert connector.skipped["encrypted"] == 1
    assert connector.skipped["edit"] == 1


def test_redacted_messages_are_not_items(sim, connector):
    event_id = seed(sim, "to be removed")
    kept = seed(sim, "kept", minutes=1)
    sim.set_power(sim.community_room, sim.owner_handle, 100)
    from cmdesk.connectors.base import Target, Verb

    connector.act(
        Verb.DELETE, Target(event_id, ItemKind.COMMENT, "@alice:cmdesk.test", thread_platform_id=sim.community_room)
    )
    assert [i.platform_item_id for i in connector.fetch(None).items] == [kept]


# ---- the spec's example responses, served as they are --------------------------------------------


@pytest.fixture
def spec_server():
    server = SimulatorServer()
    sync, messages = fixture("sync.json"), fixture("messages.json")
    responses = fixture("responses.json")
    # The spec's examples reuse one event id for every event: number them so they stay distinct.
    for n, event in enumerate(messages["chunk"]):
        event["event_id"] = f"$example{n}:example.org"
    server.add_route("POST", V3 + r"/user/[^/]+/filter", lambda r: Response(200, responses["create_filter"]))
    server.add_route("GET", V3 + r"/sync", lambda r: Response(200, sync))
    server.add_route("GET", V3 + r"/rooms/[^/]+/messages", lambda r: Response(200, {**messages, "end": None}))
    server.add_route(
        "GET",
        V3 + r"/user/[^/]+/account_data/m.direct",
        lambda r: Response(404, {"errcode": "M_NOT_FOUND", "error": "Account data not found"}),
    )
    server.start()
    yield server
    server.stop()


def test_spec_sync_example(spec_server):
    account = Account(
        1,
        Platform.MATRIX,
        "spec",
        "@example:example.org",
        spec_server.base_url,
        settings={"user_id": "@mod:example.org"},
    )
    connector = MatrixConnector(account, MemoryVault({"access_token": "abc123"}), fast_http())
    batch = connector.fetch(None)
    texts = [(i.text, i.kind) for i in batch.items]
    # The timeline's message, plus the older ones paged from prev_batch (the spec's /messages example).
    assert ("This is an example text message", ItemKind.DIRECT_MESSAGE) in texts  # two members, no name
    assert ("[video: Gangnam Style]", ItemKind.DIRECT_MESSAGE) in texts
    assert json.loads(batch.cursor) == {"since": "s72595_4483_1934"}


def test_a_sync_answer_of_the_wrong_shape_is_transient(sim, connector):
    sim.stop()
    server = SimulatorServer(port=sim.port)
    server.add_route("POST", V3 + r"/user/[^/]+/filter", lambda r: Response(200, {"filter_id": "1"}))
    server.add_route("GET", V3 + r"/sync", lambda r: Response(200, {"next_batch": "s1", "rooms": {"join": []}}))
    server.start()
    try:
        with pytest.raises(Transient, match="malformed"):
            connector.fetch(None)
        server._routes.clear()
        server.add_route("POST", V3 + r"/user/[^/]+/filter", lambda r: Response(200, {"filter_id": "1"}))
        server.add_route("GET", V3 + r"/sync", lambda r: Response(200, ["not", "an", "object"]))
        with pytest.raises(Transient, match="malformed"):
            connector.fetch(None)
    finally:
        server.stop()
