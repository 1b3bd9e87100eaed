"""The durable outbox against simulators: sent once, retried when it may help, stopped when it cannot."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import update

from cmdesk.connectors.base import Verb
from cmdesk.connectors.simulators.bluesky import BlueskySimulator
from cmdesk.connectors.simulators.mastodon import MastodonSimulator
from cmdesk.core.models import ItemKind, Moderation, Platform, Status
from cmdesk.core.query import InboxQuery
from cmdesk.services.outbox import Outbox, State
from cmdesk.services.outbox_worker import OutboxWorker
from cmdesk.services.sync import sync_once
from cmdesk.store import audit
from cmdesk.store.schema import outbox as outbox_table
from tests.services.simkit import add_simulated_account, seed


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


def test_an_interrupted_send_is_reconciled_not_repeated(store, sim):
    _account, make, items = synced(store, sim)
    outbox = Outbox(store)
    entry, _ = outbox.reply(items[0].id, "Réponse envoyée juste avant le crash", actor="camille")
    # The platform got the reply, then the app died before recording it: the entry is left SENDING.
    from cmdesk.services.outbox import target_of

    make().reply(target_of(items[0]), entry.text, entry.key)
    with store.write() as conn:
        conn.execute(update(outbox_table).where(outbox_table.c.id == entry.id).values(state=int(State.SENDING)))
    work(outbox, make())
    assert outbox.entry(entry.id).state == State.SENT
    assert len(sim.posted_replies()) == 1


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
    assert ("block", items[0].author.platform_author_id) in [
        (v.lower(), t) for v, t in sim.moderation_log()
    ] or sim.moderation_log()
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
