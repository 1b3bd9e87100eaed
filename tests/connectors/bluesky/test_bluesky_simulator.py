"""The simulator speaks XRPC as a PDS does and offers the shared seeding API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cmdesk.connectors.base import Connector, Verb
from cmdesk.connectors.bluesky import BlueskyConnector
from cmdesk.connectors.registry import spec_for
from cmdesk.connectors.simulators.bluesky import BlueskySimulator, connector_for
from cmdesk.core.models import ItemKind, Platform
from tests.connectors.bluesky.bluesky_helpers import T0, fast_http, target_of

ALL = (400, 401, 404, 429, 501)


def call(sim, method, nsid, *, token=None, params=None, body=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = fast_http(retries=0).request(
        method, f"{sim.base_url}/xrpc/{nsid}", params=params, json_body=body, headers=headers, ok_statuses=ALL
    )
    return response.status, (response.json() if response.body else None), response.headers


def test_registry_builds_the_connector(sim):
    spec = spec_for(Platform.BLUESKY)
    assert spec.secret_names == ("access_jwt", "refresh_jwt")
    account, vault = connector_for(sim)
    connector = spec.factory(account, vault, fast_http())
    assert isinstance(connector, BlueskyConnector) and connector.account is account
    assert isinstance(connector, Connector)  # the runtime-checkable protocol of base.py


def test_seeding_api(sim):
    assert sim.owner_handle == "cmdesk-demo.bsky.social"
    first = sim.seed_incoming(
        author_id="42",
        author_name="Ana",
        author_handle="@ana",
        text="hi",
        created_at=T0,
        kind=ItemKind.REPLY,
        thread_key="t1",
        lang="pt",
    )
    second = sim.seed_incoming(
        author_id="43",
        author_name="Ben",
        author_handle="ben.example.org",
        text="yo",
        created_at=T0 + timedelta(minutes=1),
        kind=ItemKind.REPLY,
        thread_key="t1",
    )
    other = sim.seed_incoming(
        author_id="43",
        author_name="Ben",
        author_handle="ben.example.org",
        text="dm",
        created_at=T0,
        kind=ItemKind.DIRECT_MESSAGE,
    )
    assert first.startswith("at://did:plc:") and "/app.bsky.feed.post/" in first
    root_a = sim.record(first)["reply"]["root"]["uri"]
    assert root_a == sim.record(second)["reply"]["root"]["uri"]  # same thread_key, same root post of ours
    assert root_a.startswith(f"at://{sim.owner_did}/")
    assert sim.record(first)["langs"] == ["pt"] and sim.record(first)["createdAt"].startswith("2025-03-01T12:00")
    assert sim.actors[sim.seed_actor("42")]["handle"] == "ana.bsky.social"
    assert sim.record(other)["text"].startswith("@cmdesk-demo.bsky.social")  # chat is another service: a mention
    with pytest.raises(ValueError):
        sim.seed_incoming(
            author_id="1", author_name="x", author_handle="x", text="*****", created_at=T0, kind=ItemKind.REVIEW
        )
    assert sim.posted_replies() == [] and sim.moderation_log() == []


def test_seeds_get_the_same_ids_on_every_run():
    def run() -> list[str]:
        sim = BlueskySimulator(owner_handle="maisonbrioche.bsky.social")
        sim.issue_session()  # activity between seeds must not change the ids
        first = sim.seed_incoming(
            author_id="a",
            author_name="A",
            author_handle="a",
            text="same",
            created_at=T0,
            kind=ItemKind.REPLY,
            thread_key="k",
        )
        sim.issue_session()
        again = sim.seed_incoming(
            author_id="a",
            author_name="A",
            author_handle="a",
            text="same",
            created_at=T0,
            kind=ItemKind.COMMENT,
            thread_key="k",
        )
        return [first, again, sim.record(first)["reply"]["root"]["uri"]]

    ids = run()
    assert ids == run() and len(set(ids)) == 3


def test_owner_token_and_auth_errors(sim):
    status, body, _ = call(
        sim, "GET", "app.bsky.actor.getProfile", token=sim.owner_token, params={"actor": sim.owner_did}
    )
    assert status == 200 and body["handle"] == sim.owner_handle
    assert call(sim, "GET", "app.bsky.actor.getProfile", params={"actor": "x"})[:2] == (
        401,
        {"error": "AuthenticationRequired", "message": "Authentication Required"},
    )
    token = sim.owner_token
    sim.expire_access_tokens()
    assert call(sim, "GET", "app.bsky.actor.getProfile", token=token, params={"actor": "x"})[:2] == (
        400,
        {"error": "ExpiredToken", "message": "Token has expired"},
    )
    assert sim.owner_token != token  # a fresh one once the last expired
    assert call(sim, "GET", "app.bsky.actor.getProfile", token="a.b.c", params={"actor": "x"})[0] == 401
    _, refresh = sim.issue_session()
    assert call(sim, "GET", "app.bsky.actor.getProfile", token=refresh, params={"actor": "x"})[1]["error"] == (
        "InvalidToken"
    )
    status, session, _ = call(sim, "POST", "com.atproto.server.refreshSession", token=refresh)
    assert status == 200 and {"accessJwt", "refreshJwt", "did", "handle"} <= set(session)
    assert call(sim, "POST", "com.atproto.server.refreshSession", token=refresh)[1]["error"] == "ExpiredToken"


def test_xrpc_error_shapes(sim):
    token = sim.owner_token
    assert call(sim, "GET", "app.bsky.feed.getTimeline", token=token)[:2] == (
        501,
        {"error": "MethodNotImplemented", "message": "Method Not Implemented"},
    )
    status, body, _ = call(
        sim,
        "GET",
        "com.atproto.repo.getRecord",
        params={"repo": sim.owner_did, "collection": "app.bsky.feed.post", "rkey": "3lbv2gone22xc"},
    )
    assert status == 400 and body["error"] == "RecordNotFound"
    status, body, _ = call(
        sim,
        "GET",
        "app.bsky.feed.getPostThread",
        token=token,
        params={"uri": f"at://{sim.owner_did}/app.bsky.feed.post/3lbv2gone22xc"},
    )
    assert status == 400 and body["error"] == "NotFound"
    root = sim.seed_own_post("ours")
    rkey = root.rsplit("/", 1)[1]
    too_many = {
        "repo": sim.owner_did,
        "collection": "app.bsky.feed.threadgate",
        "rkey": rkey,
        "record": {
            "$type": "app.bsky.feed.threadgate",
            "post": root,
            "createdAt": "2025-01-01T00:00:00Z",
            "hiddenReplies": [f"at://did:plc:x/app.bsky.feed.post/{n}" for n in range(301)],
        },
    }
    status, body, _ = call(sim, "POST", "com.atproto.repo.putRecord", token=token, body=too_many)
    assert status == 400 and "300" in body["message"]
    bad_key = {
        "repo": sim.owner_did,
        "collection": "app.bsky.feed.post",
        "rkey": "not-a-tid",
        "record": {"$type": "app.bsky.feed.post", "text": "x", "createdAt": "2025-01-01T00:00:00Z"},
    }
    assert call(sim, "POST", "com.atproto.repo.createRecord", token=token, body=bad_key)[0] == 400


def test_rate_limit_headers(sim):
    sim.faults.rate_limit = 0
    sim.faults.retry_after = 30
    status, body, headers = call(sim, "GET", "com.atproto.server.describeServer")
    assert status == 429 and body["error"] == "RateLimitExceeded"
    assert headers["Retry-After"] == "30" and headers["RateLimit-Remaining"] == "0"
    assert headers["RateLimit-Policy"].startswith("0;w=") and int(headers["RateLimit-Reset"]) > 1_700_000_000


def test_notifications_page_newest_first(sim):
    uris = [
        sim.seed_incoming(
            author_id=f"u{i}",
            author_name="U",
            author_handle=f"u{i}",
            text=str(i),
            created_at=T0 + timedelta(minutes=i),
            kind=ItemKind.MENTION,
        )
        for i in range(5)
    ]
    token, seen, cursor = sim.owner_token, [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        _, page, _ = call(sim, "GET", "app.bsky.notification.listNotifications", token=token, params=params)
        seen += [n["uri"] for n in page["notifications"]]
        cursor = page.get("cursor")
        if not page["notifications"]:
            break
    assert seen == uris[::-1]
    _, page, _ = call(sim, "GET", "app.bsky.notification.listNotifications", token=token, params={"reasons": ["reply"]})
    assert page["notifications"] == []


def test_block_and_hide_show_in_threads(make_connector, sim, seed):
    seed(2)
    connector = make_connector()
    a, b = connector.fetch(None).items
    connector.act(Verb.HIDE, target_of(a))
    connector.act(Verb.BLOCK_AUTHOR, target_of(b))
    status, body, _ = call(
        sim, "GET", "app.bsky.feed.getPostThread", token=sim.owner_token, params={"uri": a.thread_platform_id}
    )
    assert status == 200
    replies = body["thread"]["replies"]
    assert body["threadgate"]["record"]["hiddenReplies"] == [a.platform_item_id]
    assert body["thread"]["post"]["threadgate"]["record"]["hiddenReplies"] == [a.platform_item_id]
    assert [r["$type"].split("#")[1] for r in replies] == ["threadViewPost", "blockedPost"]  # hidden ones stay


def test_simulator_starts_on_a_free_port_and_restarts_on_it():
    sim = BlueskySimulator()
    url = sim.start()
    sim.stop()
    assert sim.start() == url
    sim.stop()
