"""Transport and server faults become the typed errors the services act on."""

from __future__ import annotations

import pytest

from cmdesk.connectors.base import AuthExpired, NotFound, Permanent, RateLimited, Transient, Verb
from cmdesk.core.models import ItemKind
from tests.connectors.bluesky.bluesky_helpers import target_of

LIST = "app.bsky.notification.listNotifications"


def calls_to(sim, nsid: str) -> int:
    return sum(1 for _, path, _ in sim.log if path == f"/xrpc/{nsid}")


@pytest.mark.parametrize("fault", ["malformed_rate", "truncate_rate", "reset_rate"])
def test_broken_answers_are_transient(make_connector, sim, seed, fault):
    seed(1)
    connector = make_connector()
    connector.http.retries = 0
    setattr(sim.faults, fault, 1.0)
    with pytest.raises(Transient):
        connector.fetch(None)
    sim.faults.clear()
    assert len(connector.fetch(None).items) == 1


def test_5xx_is_retried_then_transient(connector, sim):
    sim.faults.error_rate = 1.0
    with pytest.raises(Transient, match="HTTP 503"):
        connector.fetch(None)
    assert sum(1 for _, path, status in sim.log if status == 503) == 1 + connector.http.retries


def test_5xx_on_a_report_is_not_repeated(connector, sim, seed):
    seed(1)
    reply = connector.fetch(None).items[0]
    sim.fail_next("com.atproto.moderation.createReport", 502, "UpstreamFailure", times=5)
    with pytest.raises(Transient):
        connector.act(Verb.REPORT, target_of(reply), "spam")
    assert len(sim._fail["com.atproto.moderation.createReport"]) == 4  # one attempt only: no double report


def test_401_after_a_refresh_is_auth_expired(connector, sim):
    sim.fail_next(LIST, 401, "AuthenticationRequired", "Authentication Required", times=2)
    with pytest.raises(AuthExpired):
        connector.fetch(None)
    assert sim.refresh_count == 1


def test_403_is_permanent(connector, sim, seed):
    seed(1)
    reply = connector.fetch(None).items[0]
    sim.fail_next("com.atproto.repo.createRecord", 403, "Forbidden", "Account is suspended")
    with pytest.raises(Permanent, match="forbidden"):
        connector.reply(target_of(reply), "hello", "k-403")


def test_404_and_deleted_posts_are_not_found(connector, sim, seed):
    seed(1)
    reply = connector.fetch(None).items[0]
    sim.fail_next("app.bsky.feed.getPostThread", 404, "NotFound")
    with pytest.raises(NotFound):
        connector.context(target_of(reply))
    sim.records.pop(sim._key(reply.platform_item_id))  # the author deleted it
    with pytest.raises(NotFound):
        connector.context(target_of(reply))


def test_429_with_a_long_retry_after_is_rate_limited(connector, sim):
    sim.faults.rate_limit = 0
    sim.faults.retry_after = 120
    with pytest.raises(RateLimited) as caught:
        connector.fetch(None)
    assert 110 <= caught.value.retry_after <= 120
    response = [status for _, path, status in sim.log if path.endswith(LIST)]
    assert response == [429]


def test_429_with_a_short_retry_after_is_waited_out(connector, sim, seed):
    seed(1, ItemKind.MENTION)
    sim.fail_next(
        LIST,
        429,
        "RateLimitExceeded",
        "Rate Limit Exceeded",
        headers={"Retry-After": "0.05", "RateLimit-Remaining": "0"},
    )
    assert len(connector.fetch(None).items) == 1


def test_xrpc_invalid_request_is_permanent_with_the_servers_words(connector, sim, seed):
    seed(1)
    reply = connector.fetch(None).items[0]
    sim.fail_next("app.bsky.graph.muteActor", 400, "InvalidRequest", "Actor not found")
    with pytest.raises(Permanent, match="Actor not found"):
        connector.act(Verb.MUTE_AUTHOR, target_of(reply))
