"""Scoring new items in a worker process: the same verdicts as scoring them in the app, a
fallback when the worker is gone, and nothing sent for the live trickle of one or two items."""

from __future__ import annotations

import logging
import os
import signal

import pytest

from cmdesk.core.moderation.classifiers import classify
from cmdesk.core.moderation.rules import RecentTexts
from cmdesk.core.moderation.starter import starter_rules
from cmdesk.services.moderation import ModerationService
from cmdesk.services.scoring import MIN_BATCH, ScoringPool
from tests.conftest import make_item

TEXTS = [
    "Merci pour la livraison rapide, les croissants étaient parfaits",
    "Bande d'escrocs, rendez-moi mon argent !!!",
    "I know where you live and I will find you",
    "WIN FREE CRYPTO NOW 💰💰 http://bit.ly/xyz click here",
    "Service nul, livraison en retard, très déçu",
    "Great staff, lovely shop, thank you!",
    "🙂🙂🙂",
    "",
    "<script>alert(1)</script> بسيط \u200b\u202e reversed",
    "you complete morons",
]


@pytest.fixture
def pool():
    pool = ScoringPool()
    yield pool
    pool.close()


def requests_for(texts):
    return [(text, None, ()) for text in texts]


def test_the_worker_scores_exactly_as_the_app(pool):
    texts = (TEXTS * 4)[: max(MIN_BATCH, 40)]
    scores = pool.score(requests_for(texts))
    assert scores == [(classify(text), RecentTexts.fingerprint(text)[0]) for text in texts]
    with_lang = pool.score([(text, "fr", ("https://example.org/a",)) for text in texts])
    links = ("https://example.org/a",)
    assert with_lang == [(classify(text, "fr", links=links), RecentTexts.fingerprint(text)[0]) for text in texts]


def test_small_batches_stay_in_the_app(pool):
    assert pool.score(requests_for(TEXTS[: MIN_BATCH - 1])) is None
    assert pool._executor is None  # no process started for the live trickle


def test_a_dead_worker_means_scoring_in_the_app(pool, caplog):
    batch = requests_for((TEXTS * 4)[:MIN_BATCH])
    assert pool.score(batch) is not None
    for process in list(pool._executor._processes.values()):
        os.kill(process.pid, signal.SIGKILL)
        process.join(10)
    with caplog.at_level(logging.WARNING, logger="cmdesk.scoring"):
        assert pool.score(batch) is None
    assert "scoring in the app" in caplog.text
    assert pool.score(batch) is None  # and it does not try again


def test_closed_pool_scores_nothing(pool):
    pool.close()
    assert pool.score(requests_for((TEXTS * 4)[:MIN_BATCH])) is None


def test_verdicts_are_the_same_with_and_without_the_worker(tmp_path, pool):
    """The starter rules on a batch with repeated texts (a copy-paste flood counts copies: those
    are scored in the app) judge the same whether the batch was scored ahead or not."""
    from cmdesk.core.models import Platform
    from cmdesk.store.store import Store

    items = [make_item(n, text=TEXTS[n % len(TEXTS)] + ("" if n % 3 else f" #{n}")) for n in range(60)]
    verdicts = []
    for scoring in (None, pool):
        store = Store(tmp_path / f"{'worker' if scoring else 'app'}" / "cmdesk.db")
        account = store.add_account(Platform.MASTODON, "Brand")
        service = ModerationService(store)
        service.save_rules(starter_rules())
        service.scoring = scoring
        judged = []
        store.ingest(
            account.id,
            items,
            judge=service.judge_for(account),
            on_new=lambda conn, rows, judged=judged: judged.extend((e.platform_item_id, v) for _, e, v in rows),
        )
        verdicts.append(judged)
        store.close()
    app, worker = verdicts
    assert worker == app
    assert any(verdict is not None for _, verdict in app)  # the rules did flag something


def test_sync_scores_each_page_ahead_in_the_worker_and_flags_as_the_app(store, pool):
    """A real sync of a simulated Mastodon account: pages are scored in the worker as they
    arrive (on the network thread, before the page is stored), and the items end up with the
    same flags as when the app scores them itself."""
    import asyncio
    import threading
    from datetime import timedelta

    from cmdesk.connectors.simulators.mastodon import MastodonSimulator
    from cmdesk.core.models import ItemKind, Platform
    from cmdesk.services.sync import SyncService
    from tests.services.simkit import T0, add_simulated_account

    service = ModerationService(store)
    service.save_rules(starter_rules())
    service.scoring = pool
    scored_on = []
    score = pool.score

    def recording_score(requests):
        scored_on.append((threading.current_thread().name, len(requests)))
        return score(requests)

    pool.score = recording_score
    with MastodonSimulator(owner_role="user") as sim:
        account, make = add_simulated_account(store, sim, Platform.MASTODON)
        asyncio.run(_sync_all(SyncService(store, make, judge_for=service.judge_for), store, 0))
        for n in range(120):
            sim.seed_incoming(
                author_id=f"a{n % 9}",
                author_name=f"A {n % 9}",
                author_handle=f"a{n % 9}",
                text=TEXTS[n % len(TEXTS)] + f" ({n})",
                created_at=T0 + timedelta(minutes=n),
                kind=ItemKind.MENTION,
            )
        sync = SyncService(store, make, judge_for=service.judge_for, base_interval=60)
        asyncio.run(_sync_all(sync, store, 120))
    assert scored_on and all(name.startswith("cmdesk-net") for name, _ in scored_on)
    assert sum(n for _, n in scored_on) == 120

    # The same items judged in the app (the "run rules on a selection" path, no worker).
    in_app = ModerationService(store)
    in_app.save_rules(starter_rules())
    with store.read() as conn:
        ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM item WHERE is_own = 0")]
    stored = [store.item(i) for i in ids]
    judged = in_app.evaluate_items(stored, {account.id: store.account(account.id)})
    expected = {it.id: (m.rule if m else None) for it, m in judged}
    got = {it.id: (it.flag.rule if it.flag else None) for it in stored}
    assert got == expected
    assert len({rule for rule in got.values() if rule}) >= 2  # threats, abuse, spam… were flagged


async def _sync_all(sync, store, expected):
    import asyncio

    sync.start()
    deadline = asyncio.get_running_loop().time() + 30
    while store.item_count() < expected and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.1)
    await sync.stop()
    assert store.item_count() >= expected
