"""Network and server faults become the right typed errors, through the simulator's Faults."""

from __future__ import annotations

import pytest

from cmdesk.connectors.base import AuthExpired, NotFound, Permanent, RateLimited, Target, Transient, Verb
from cmdesk.connectors.matrix_api import MatrixAuthExpired
from cmdesk.core.models import ItemKind

from .helpers import fast_http, seed


@pytest.fixture
def ready(sim, connector):
    """A connector that has synced once (filter uploaded), and one item to act on."""
    seed(sim, "hello")
    batch = connector.fetch(None)
    item = batch.items[0]
    target = Target(item.platform_item_id, item.kind, item.author.platform_author_id, ref=item.ref)
    return connector, batch.cursor, target


def test_malformed_json_is_transient(sim, ready):
    connector, cursor, _ = ready
    sim.faults.malformed_rate = 1.0
    with pytest.raises(Transient, match="malformed"):
        connector.fetch(cursor)


def test_truncated_body_is_transient(sim, ready):
    connector, cursor, _ = ready
    sim.faults.truncate_rate = 1.0
    with pytest.raises(Transient):
        connector.fetch(cursor)


def test_connection_reset_is_transient(sim, ready):
    connector, cursor, _ = ready
    sim.faults.reset_rate = 1.0
    with pytest.raises(Transient):
        connector.fetch(cursor)


def test_faults_cleared_and_fetch_resumes_where_it_was(sim, ready):
    connector, cursor, _ = ready
    sim.faults.error_rate = 1.0
    with pytest.raises(Transient):
        connector.fetch(cursor)
    sim.faults.clear()
    new = seed(sim, "after the outage", minutes=5)
    assert [i.platform_item_id for i in connector.fetch(cursor).items] == [new]


def test_unknown_token_is_auth_expired(sim, ready):
    connector, cursor, _ = ready
    sim.faults.expired_token = True
    with pytest.raises(AuthExpired, match="M_UNKNOWN_TOKEN"):
        connector.fetch(cursor)


def test_soft_logout_is_auth_expired_too(sim, ready):
    connector, cursor, _ = ready
    sim.expire_token(sim.owner_token, soft=True)
    with pytest.raises(MatrixAuthExpired) as error:
        connector.fetch(cursor)
    assert error.value.soft_logout and "soft logout" in str(error.value)


def test_missing_token(sim, make_connector):
    connector = make_connector(token="")
    with pytest.raises(AuthExpired):
        connector.fetch(None)


def test_forbidden_is_permanent(sim, make_connector, ready):
    _, _, target = ready
    user_id, token = sim.add_user("outsider", "Outsider")
    outsider = make_connector({"user_id": user_id}, token=token)
    with pytest.raises(Permanent, match="M_FORBIDDEN"):
        outsider.reply(target, "let me in", "k")


def test_not_found(sim, ready):
    connector, _, target = ready
    with pytest.raises(NotFound, match="M_NOT_FOUND"):
        connector.act(Verb.REPORT, Target("$nope", ItemKind.COMMENT, "@a:cmdesk.test", ref=target.ref), "x")


def test_unknown_endpoint_is_permanent_not_not_found(sim, ready):
    connector, _, _ = ready
    with pytest.raises(Permanent, match="M_UNRECOGNIZED") as error:
        connector.api.get("/_matrix/client/v3/no/such/endpoint")
    assert not isinstance(error.value, NotFound)


def test_rate_limit_is_rate_limited_with_retry_after(sim, ready):
    connector, cursor, target = ready
    sim.faults.rate_limit = 0
    sim.faults.retry_after = 7.5
    with pytest.raises(RateLimited, match="M_LIMIT_EXCEEDED") as error:
        connector.fetch(cursor)
    assert error.value.retry_after == pytest.approx(8.0)  # Retry-After (whole seconds) comes first
    with pytest.raises(RateLimited):
        connector.act(Verb.REPORT, target, "spam")  # a POST: never retried inline


def test_short_rate_limits_are_waited_out_inline(sim, make_connector, ready):
    _, cursor, _ = ready
    sim.faults.rate_limit = 3
    sim.faults.rate_window = 0.3
    sim.faults.retry_after = 0.2
    patient = make_connector(http=fast_http(max_inline_wait=2.0, retries=6))
    for _ in range(6):
        patient.fetch(cursor)


def test_server_errors_are_transient_after_retries(sim, make_connector, ready):
    _, cursor, _ = ready
    http = fast_http(retries=3)
    connector = make_connector(http=http)
    connector.fetch(cursor)
    sent = http.requests_sent
    sim.faults.error_rate = 1.0
    with pytest.raises(Transient, match="503"):
        connector.fetch(cursor)
    assert http.requests_sent - sent == 4  # one try and three retries


def test_reply_retried_after_a_reset_posts_once(sim, ready):
    connector, _, target = ready
    sim.faults.reset_rate = 1.0
    with pytest.raises(Transient):
        connector.reply(target, "hang on", "same-key")
    sim.faults.clear()
    first = connector.reply(target, "hang on", "same-key")
    again = connector.reply(target, "hang on", "same-key")
    assert first.platform_item_id == again.platform_item_id
    assert len(sim.posted_replies()) == 1


def test_reply_whose_answer_was_lost_is_not_posted_twice(sim, ready):
    """The server posted, the answer was cut off: the retry with the same txnId finds the same event."""
    connector, _, target = ready
    sim.faults.truncate_rate = 1.0
    with pytest.raises(Transient):
        connector.reply(target, "once only", "lost-answer")
    sim.faults.clear()
    assert len(sim.posted_replies()) == 1
    retry = connector.reply(target, "once only", "lost-answer")
    assert retry.platform_item_id == sim.posted_replies()[0]["id"]
    assert len(sim.posted_replies()) == 1
    assert connector.find_reply(target, "lost-answer", "once only").platform_item_id == retry.platform_item_id
