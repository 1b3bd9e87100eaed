"""The durable outbox against simulators: sent once, retried when it may help, stopped when it cannot."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import update

from cmdesk.connectors.base import NotFound, Verb
from cmdesk.connectors.simulators.bluesky import BlueskySimulator
from cmdesk.connectors.simulators.mastodon import MastodonSimulator
from cmdesk.core.models import ItemKind, Moderation, Platform, Status, to_millis, utcnow
from cmdesk.core.query import InboxQuery
from cmdesk.services.outbox import Outbox, State
from cmdesk.services.outbox_worker import OutboxWorker
from cmdesk.services.sync import sync_once
from cmdesk.store import audit
from cmdesk.store.schema import outbox as outbox_table
from tests.services.simkit import add_simulated_account, seed, unused_port


@pytest.fixture
def sim():
    with MastodonSimulator(owner_role="user") as server:
        yield server


def synced(store, sim, platform=Platform.MASTODON, count=3, kind=ItemKind.REPLY):
    account, make = add_simulated_account(store, sim, platform)
    asyncio.run(sync_once(store, make(), account.id))
    seed(sim, count, kind=kind, thread="launch")
    asyncio.run(sync_once(store, make(), account.id))
    items = [store.item(r.id) for r in store.page(InboxQuery(account_id=account.id))]
    return account, make, items


def work(outbox, connector, paused=None):
    """One worker pass on a private loop; returns the worker (to inspect ``paused``)."""
    worker = OutboxWorker(outbox, lambda account_id: connector, ThreadPoolExecutor(2))
    if paused:
        worker.paused |= paused
    asyncio.run(worker.run_once())
    return worker


def make_due(store):
    with store.write() as conn:
        conn.execute(update(outbox_table).values(next_attempt_at=0))


def test_a_reply_is_sent_once_and_recorded(store, sim):
    _account, make, items = synced(store, sim)
    target = items[0]
    outbox = Outbox(store)
    entry, _ = outbox.reply(target.id, "Merci, on regarde ça tout de suite !", actor="camille")
    work(outbox, make())
    work(outbox, make())  # nothing left to do: no second post
    # Mastodon addresses the reply to its author, as every Mastodon client does.
    assert [r["text"] for r in sim.posted_replies()] == ["@author2 Merci, on regarde ça tout de suite !"]
    done = outbox.entry(entry.id)
    assert done.state == State.SENT and done.result
    assert store.item(target.id).status == Status.ANSWERED
    own = [r for r in store.thread_rows(store.item(target.id)) if r.is_own]
    assert own and "tout de suite" in own[-1].excerpt
    assert any(e.action == "reply" for e in store.audit_entries(item_id=target.id))


def test_transient_failures_are_retried_later(store, sim):
    _account, make, items = synced(store, sim)
    outbox = Outbox(store)
    entry, _ = outbox.reply(items[0].id, "Bonjour !", actor="camille")
    sim.faults.error_rate = 1.0
    work(outbox, make())
    waiting = outbox.entry(entry.id)
    assert waiting.state == State.PENDING and waiting.attempts == 1 and "503" in waiting.last_error
    assert outbox.due() == []  # backing off, not hammering
    sim.faults.clear()
    make_due(store)
    work(outbox, make())
    assert outbox.entry(entry.id).state == State.SENT and len(sim.posted_replies()) == 1


def test_a_deleted_target_makes_the_action_obsolete(store, sim):
    _account, make, items = synced(store, sim)
    target = items[0]
    sim.delete_status(target.platform_item_id)
    outbox = Outbox(store)
    entry, _ = outbox.reply(target.id, "Trop tard ?", actor="camille")
    work(outbox, make())
    gone = outbox.entry(entry.id)
    assert gone.state == State.OBSOLETE and "no longer exists" in gone.last_error
    make_due(store)
    assert outbox.due() == []  # never retried forever
    assert sim.posted_replies() == []


def test_permanent_failure_then_edit_retry_or_discard(store, sim):
    _account, make, items = synced(store, sim)
    outbox = Outbox(store)
    entry, _ = outbox.reply(items[0].id, "x" * 900, actor="camille")  # over the instance's 500 characters
    work(outbox, make())
    failed = outbox.entry(entry.id)
    assert failed.state == State.FAILED and failed.last_error
    assert outbox.problems() == [failed]
    outbox.retry(entry.id, text="Une réponse plus courte.")
    work(outbox, make())
    assert outbox.entry(entry.id).state == State.SENT
    assert [r["text"].split(" ", 1)[1] for r in sim.posted_replies()] == ["Une réponse plus courte."]
    other, _ = outbox.reply(items[1].id, "y" * 900, actor="camille")
    work(outbox, make())
    outbox.discard(other.id, actor="camille")
    assert outbox.entry(other.id).state == State.DISCARDED
    with pytest.raises(ValueError):
        outbox.discard(entry.id, actor="camille")


def left_sending(store, entry_id: int) -> None:
    """What a crash between "sent" and "recorded" leaves behind."""
    with store.write() as conn:
        conn.execute(update(outbox_table).where(outbox_table.c.id == entry_id).values(state=int(State.SENDING)))


@pytest.mark.parametrize("keys_honoured", [True, False], ids=["key-honoured", "key-forgotten"])
def test_an_interrupted_send_is_reconciled_not_repeated(store, sim, keys_honoured):
    """Whether the platform still knows the Idempotency-Key or not (a proxy dropped it, its hour
    passed), the reply posted before the crash is found, and not posted again."""
    sim.idempotency_keys = keys_honoured
    _account, make, items = synced(store, sim)
    outbox = Outbox(store)
    entry, _ = outbox.reply(items[0].id, "Réponse envoyée juste avant le crash", actor="camille")
    # The platform got the reply, then the app died before recording it: the entry is left SENDING.
    from cmdesk.services.outbox import target_of

    posted = make().reply(target_of(items[0]), entry.text, entry.key)
    left_sending(store, entry.id)
    work(outbox, make())
    assert outbox.entry(entry.id).state == State.SENT
    assert outbox.entry(entry.id).result == posted.platform_item_id
    assert len(sim.posted_replies()) == 1


def test_an_earlier_reply_with_the_same_text_is_not_taken_for_the_interrupted_one(store, sim):
    """Two "Merci !" to one comment: the first went out; the second was interrupted before it
    reached the platform. The first is accounted for, so the second is posted, not matched."""
    sim.idempotency_keys = False
    _account, make, items = synced(store, sim)
    outbox = Outbox(store)
    first, _ = outbox.reply(items[0].id, "Merci !", actor="camille")
    work(outbox, make())
    second, _ = outbox.reply(items[0].id, "Merci !", actor="camille")
    left_sending(store, second.id)
    work(outbox, make())
    assert outbox.entry(second.id).state == State.SENT
    assert outbox.entry(second.id).result != outbox.entry(first.id).result
    assert len(sim.posted_replies()) == 2


def test_a_reply_with_the_same_text_from_long_ago_is_not_taken_for_the_interrupted_one(store, sim):
    """The same words posted under the comment a day ago (from a phone, say) are not this
    entry's reply: only a reply posted since the entry was written can be."""
    from datetime import UTC, datetime, timedelta

    sim.idempotency_keys = False
    _account, make, items = synced(store, sim)
    sim.seed_status(
        sim.owner_id,
        "Merci !",
        created_at=datetime.now(UTC) - timedelta(days=1),
        in_reply_to_id=items[0].platform_item_id,
    )
    outbox = Outbox(store)
    entry, _ = outbox.reply(items[0].id, "Merci !", actor="camille")
    left_sending(store, entry.id)
    work(outbox, make())
    assert outbox.entry(entry.id).state == State.SENT
    assert len(sim.posted_replies()) == 1  # the new one; the seeded status was not posted through the API


class DeleteSaysNotFound:
    """A connector for a platform whose delete answers 404 when the post is already gone
    (Mastodon's connector takes that 404 as done itself; the outbox must not rely on it)."""

    def __init__(self, connector):
        self.connector = connector

    def __getattr__(self, name):
        return getattr(self.connector, name)

    def act(self, verb, target, reason=""):
        if verb == Verb.DELETE:
            raise NotFound("This post no longer exists.")
        return self.connector.act(verb, target, reason)


@pytest.mark.parametrize("platform_says", ["done", "not found"])
def test_an_interrupted_delete_that_finds_nothing_left_is_done_not_obsolete(store, sim, platform_says):
    """The delete reached the platform, then the app died: sent again, it finds the post gone,
    which is what was asked. Done, with its audit row, not "obsolete"."""
    _account, connect, items = synced(store, sim)

    def make():
        return connect() if platform_says == "done" else DeleteSaysNotFound(connect())

    outbox = Outbox(store)
    reply, _ = outbox.reply(items[0].id, "Oups, mauvaise réponse", actor="camille")
    work(outbox, make())
    own = next(r for r in store.thread_rows(store.item(items[0].id)) if r.is_own)
    outbox.moderate([own.id], Verb.DELETE, actor="camille", reason="erreur")
    entry = next(e for e in outbox.active() if e.verb == Verb.DELETE)
    sim.delete_status(outbox.entry(reply.id).result)  # the platform did it…
    left_sending(store, entry.id)  # …and the app never heard
    work(outbox, make())
    assert outbox.entry(entry.id).state == State.SENT
    assert store.item(own.id).moderation == Moderation.DELETED
    assert ("delete", "done") in [(e.action, e.detail) for e in store.audit_entries(item_id=own.id)]


def test_expired_sign_in_pauses_the_account_and_keeps_the_entry(store, sim):
    account, make, items = synced(store, sim)
    outbox = Outbox(store)
    entry, _ = outbox.reply(items[0].id, "Bonjour", actor="camille")
    sim.faults.expired_token = True
    worker = work(outbox, make())
    assert account.id in worker.paused
    assert outbox.entry(entry.id).state == State.PENDING and sim.posted_replies() == []


def test_moderation_is_audited_when_asked_and_when_done(store, sim):
    _account, make, items = synced(store, sim)
    outbox = Outbox(store)
    changes = outbox.moderate([items[0].id], Verb.BLOCK_AUTHOR, actor="camille", reason="insultes répétées")
    assert items[0].id in changes.items
    work(outbox, make())
    assert sim.moderation_log() == [("block", items[0].author.platform_author_id)]
    actions = [(e.action, e.detail) for e in store.audit_entries(item_id=items[0].id)]
    assert ("block_author", "requested") in actions and ("block_author", "done") in actions
    assert audit.verify(store) is None


def test_bluesky_hide_goes_to_the_threadgate(store):
    with BlueskySimulator() as sky:
        _account, make, items = synced(store, sky, Platform.BLUESKY, count=2, kind=ItemKind.REPLY)
        outbox = Outbox(store)
        outbox.moderate([items[0].id], Verb.HIDE, actor="camille", reason="spam")
        work(outbox, make())
        assert store.item(items[0].id).moderation == Moderation.HIDDEN
        assert any(verb.lower().startswith("hide") for verb, _ in sky.moderation_log())


def test_tampering_with_the_audit_log_is_detected(store, sim):
    _account, _make, items = synced(store, sim)
    outbox = Outbox(store)
    outbox.moderate([items[0].id], Verb.MUTE_AUTHOR, actor="camille")
    outbox.moderate([items[1].id], Verb.REPORT, actor="camille", reason="spam")
    rows = [e.id for e in store.audit_entries()]
    with store.write() as conn:
        conn.exec_driver_sql("UPDATE audit SET actor = 'someone else' WHERE id = ?", (min(rows),))
    assert audit.verify(store) == min(rows)


def test_when_the_network_is_back_replies_held_up_by_it_go_at_once(store, sim):
    """A reply that failed because the network was gone waits out its backoff (up to an hour
    after a long outage); the network's return makes it due at once. One slowed down by the
    platform (429) keeps waiting as it was told."""
    account, make, items = synced(store, sim)
    dead_port = unused_port()  # nobody listens there
    outbox = Outbox(store)
    held, _ = outbox.reply(items[0].id, "Envoyé quand le réseau revient", actor="camille")
    work(outbox, make(store.update_account(account.id, base_url=f"http://127.0.0.1:{dead_port}")))
    assert outbox.entry(held.id).state == State.PENDING and "refused" in outbox.entry(held.id).last_error
    sim.faults.rate_limit, sim.faults.retry_after = 0, 600
    slowed, _ = outbox.reply(items[1].id, "Envoyé quand la plateforme le permet", actor="camille")
    live = make(store.update_account(account.id, base_url=sim.base_url))
    work(outbox, live)
    waiting = outbox.entry(slowed.id)
    assert waiting.state == State.PENDING and outbox.due() == []
    assert 590_000 <= waiting.next_attempt_at - to_millis(utcnow()) <= 600_000  # Retry-After: 600
    assert outbox.send_offline_now() == 1
    assert [e.id for e in outbox.due()] == [held.id]


def test_a_forbidden_action_fails_for_good_and_says_why(store, sim):
    """403 (the sign-in lacks the permission): not retried, shown with its reason, audited."""
    from cmdesk.connectors.mastodon import MastodonConnector
    from cmdesk.connectors.simulators.mastodon import connector_for
    from tests.services.simkit import fast_http

    account, _make, items = synced(store, sim)
    _sim_account, vault = connector_for(sim, account_id=account.id)
    vault.set("access_token", sim.issue_token("read"))  # a token that may only read
    read_only = MastodonConnector(store.account(account.id), vault, fast_http())
    outbox = Outbox(store)
    outbox.moderate([items[0].id], Verb.BLOCK_AUTHOR, actor="camille", reason="spam")
    entry = next(e for e in outbox.active() if e.verb == Verb.BLOCK_AUTHOR)
    work(outbox, read_only)
    failed = outbox.entry(entry.id)
    assert failed.state == State.FAILED and "outside the authorized scopes" in failed.last_error
    make_due(store)
    assert outbox.due() == [] and sim.moderation_log() == []
    assert ("block_author", "failed") in [(e.action, e.detail) for e in store.audit_entries(item_id=items[0].id)]


def test_blocking_an_account_deleted_meanwhile_is_obsolete_not_retried(store, sim):
    """404 on a moderation target: recorded as obsolete (with an audit row), never retried."""
    _account, make, items = synced(store, sim)
    sim.delete_account(items[0].author.platform_author_id)
    outbox = Outbox(store)
    outbox.moderate([items[0].id], Verb.BLOCK_AUTHOR, actor="camille", reason="insultes")
    entry = next(e for e in outbox.active() if e.verb == Verb.BLOCK_AUTHOR)
    work(outbox, make())
    assert outbox.entry(entry.id).state == State.OBSOLETE
    make_due(store)
    assert outbox.due() == [] and sim.moderation_log() == []
    assert ("block_author", "obsolete") in [(e.action, e.detail) for e in store.audit_entries(item_id=items[0].id)]
    # The next sync still reads the notifications: the deleted account's are gone with it.
    assert asyncio.run(sync_once(store, make(), items[0].account_id)) == (0, 0)
