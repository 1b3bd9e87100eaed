"""Platform failures through the simulator become the connector's typed errors."""

from __future__ import annotations

import pytest

from cmdesk.connectors.base import AuthExpired, NotFound, Permanent, RateLimited, Target, Transient, Verb
from cmdesk.connectors.mastodon import MastodonConnector
from cmdesk.connectors.simulators.mastodon import MastodonSimulator, connector_for
from cmdesk.core.models import ItemKind
from cmdesk.secrets import MemoryVault
from tests.connectors.mastodon.mastodon_testkit import at, fast_http


def connector(sim, **http_kwargs) -> MastodonConnector:
    account, vault = connector_for(sim)
    http_kwargs.setdefault("retries", 2)
    return MastodonConnector(account, vault, fast_http(**http_kwargs))


def seeded_target(sim, conn) -> Target:
    sim.seed_incoming(
        author_id="2001",
        author_name="Bob",
        author_handle="@bob@other.social",
        text="hi",
        created_at=at(0),
        kind=ItemKind.MENTION,
    )
    item = conn.fetch(None).items[0]
    return Target(item.platform_item_id, item.kind, item.author.platform_author_id, ref=item.ref)


@pytest.mark.parametrize("fault", ["malformed_rate", "truncate_rate", "reset_rate"])
def test_broken_answers_are_transient(sim, fault):
    conn = connector(sim)
    conn.profile()
    setattr(sim.faults, fault, 1.0)
    with pytest.raises(Transient):
        conn.fetch(None)


def test_expired_token_is_auth_expired(sim):
    conn = connector(sim)
    target = seeded_target(sim, conn)
    sim.faults.expired_token = True
    with pytest.raises(AuthExpired):
        conn.fetch(None)
    with pytest.raises(AuthExpired):
        conn.reply(target, "hello", "k")


def test_missing_token_is_auth_expired(sim):
    account, _ = connector_for(sim)
    with pytest.raises(AuthExpired, match="sign in again"):
        MastodonConnector(account, MemoryVault(), fast_http()).fetch(None)


def test_forbidden_by_scope_is_permanent(sim):
    account, vault = connector_for(sim)
    vault.set("access_token", sim.issue_token("read"))  # the settings claim more than the token has
    conn = MastodonConnector(account, vault, fast_http())
    target = seeded_target(sim, conn)
    with pytest.raises(Permanent, match="outside the authorized scopes"):
        conn.act(Verb.BLOCK_AUTHOR, target)
    assert sim.moderation_log() == []


def test_missing_things_are_not_found(sim):
    conn = connector(sim)
    with pytest.raises(NotFound):
        conn.context(Target("123", ItemKind.MENTION, "1"))


def test_429_with_retry_after_is_rate_limited(sim):
    conn = connector(sim, max_inline_wait=1.0)
    conn.profile()
    sim.faults.rate_limit = 0
    sim.faults.retry_after = 120
    with pytest.raises(RateLimited) as caught:
        conn.fetch(None)
    assert 100 <= caught.value.retry_after <= 120


def test_short_429_is_waited_out_inline(sim):
    conn = connector(sim)
    conn.profile()
    sim.faults.rate_limit, sim.faults.rate_window, sim.faults.retry_after = 1, 0.2, 0.2
    batch = conn.fetch(None)  # 429s on the way, each retried after Retry-After
    assert batch.cursor
    assert any(status == 429 for _, _, status in sim.log)


def test_spent_rate_budget_is_rate_limited():
    with MastodonSimulator(rate_budget=3) as sim:
        conn = connector(sim, max_inline_wait=1.0)
        with pytest.raises(RateLimited) as caught:
            conn.fetch(None)
        assert caught.value.retry_after > 200  # until the 5-minute window resets
        assert conn.http.rate.remaining == 0


def test_server_errors_are_transient_after_retries(sim):
    conn = connector(sim, retries=2)
    conn.profile()
    before = len(sim.log)
    sim.faults.error_rate = 1.0
    with pytest.raises(Transient, match="HTTP 503"):
        conn.fetch(None)
    assert [s for _, _, s in sim.log[before:]] == [503, 503, 503]


def test_lost_answers_to_a_reply_do_not_post_twice(sim):
    """The server posted but every answer was cut off: retries and a later attempt reuse the key."""
    conn = connector(sim, retries=2)
    target = seeded_target(sim, conn)
    sim.faults.truncate_rate = 1.0
    with pytest.raises(Transient):
        conn.reply(target, "Hello again", "k-cut")
    sim.faults.clear()
    posted = conn.reply(target, "Hello again", "k-cut")
    assert sim.posted_replies() == [
        {"id": posted.platform_item_id, "in_reply_to": target.platform_item_id, "text": "@bob@other.social Hello again"}
    ]


def test_validation_errors_are_permanent(sim):
    conn = connector(sim)
    target = seeded_target(sim, conn)
    sim.max_characters = 10  # the instance lowered its limit after we read it
    with pytest.raises(Permanent, match="character limit of 10 exceeded"):
        conn.reply(target, "this is longer than ten characters", "k-422")
