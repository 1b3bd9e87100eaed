"""Crash safety, for real: a CMDesk process is killed with SIGKILL at random moments while it syncs or
sends replies, then started again. Afterwards nothing is lost, nothing is stored or posted twice, and
SQLite's integrity check passes."""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cmdesk.connectors.base import Verb
from cmdesk.connectors.registry import spec_for
from cmdesk.connectors.simulators.bluesky import BlueskySimulator
from cmdesk.connectors.simulators.mastodon import MastodonSimulator
from cmdesk.connectors.simulators.matrix import MatrixSimulator
from cmdesk.core.models import ItemKind, Platform
from cmdesk.core.query import InboxQuery
from cmdesk.services.outbox import Outbox, State
from cmdesk.services.sync import sync_once
from cmdesk.store.store import Store
from tests.services.simkit import add_simulated_account, seed

DRIVER = Path(__file__).with_name("crash_driver.py")
KILLS = 20
ROOT = Path(__file__).resolve().parents[2]


def account_spec(store, account_id: int, sim, platform: Platform) -> str:
    import importlib

    module = importlib.import_module(f"cmdesk.connectors.simulators.{platform.value}")
    account, vault = module.connector_for(sim, account_id=account_id)
    secrets = {name: vault.get(name) for name in spec_for(platform).secret_names if vault.get(name)}
    secrets |= {k: v for k, v in getattr(vault, "_values", {}).items()}  # simulator credentials, in memory
    return json.dumps(
        {
            "platform": platform.value,
            "account_id": account_id,
            "handle": account.handle,
            "base_url": sim.base_url,
            "settings": account.settings,
            "secrets": secrets,
        }
    )


def start(mode: str, profile: Path, spec: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, str(DRIVER), mode, str(profile), spec],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def run_to_end(mode, profile, spec) -> float:
    started = time.monotonic()
    process = start(mode, profile, spec)
    try:
        _out, err = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()  # no driver left behind to run on after the test
        _out, err = process.communicate()
        raise AssertionError(f"the {mode} run did not finish in 120 s: {err[-2000:]}") from None
    assert process.returncode == 0, err
    return time.monotonic() - started


def kill_repeatedly(mode, profile, spec, window: float, rnd: random.Random, more_work) -> int:
    """Add work, start the driver and SIGKILL it at a random moment, until KILLS runs were
    killed while still working (a run that finished before its moment does not count).

    Returns the number of cycles.
    """
    killed = cycle = 0
    while killed < KILLS:
        assert cycle < 3 * KILLS, f"only {killed} of {cycle} runs were still working when killed"
        more_work(cycle)
        cycle += 1
        process = start(mode, profile, spec)
        assert process.stdout.readline().strip() == "ready"  # the store is open: work starts now
        time.sleep(rnd.uniform(0.0, window))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.wait(timeout=30)
        process.stdout.close()
        process.stderr.close()
    return cycle


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def simulator_of(platform: Platform):
    if platform == Platform.MASTODON:
        return MastodonSimulator(owner_role="user", rate_budget=1_000_000)
    return BlueskySimulator() if platform == Platform.BLUESKY else MatrixSimulator()


@pytest.mark.slow
@pytest.mark.parametrize("platform", [Platform.MASTODON, Platform.BLUESKY, Platform.MATRIX])
def test_sync_killed_at_random_loses_and_duplicates_nothing(tmp_path, platform):
    profile = tmp_path / "profile"
    profile.mkdir()
    rnd = random.Random(20261124)
    with simulator_of(platform) as sim:
        store = Store(profile / "cmdesk.db")
        account, make = add_simulated_account(store, sim, platform)
        asyncio.run(sync_once(store, make(), account.id))
        spec = account_spec(store, account.id, sim, platform)
        store.close()
        expected: set[str] = set()

        def more_work(cycle: int) -> None:  # new comments keep arriving between two crashes
            expected.update(seed(sim, 160, start=cycle * 160))

        sim.faults.latency = 0.03  # a little network time, so kills land in every phase of the work
        kill_repeatedly("sync", profile, spec, window=0.35, rnd=rnd, more_work=more_work)
        run_to_end("sync", profile, spec)
    store = Store(profile / "cmdesk.db")
    with store.read() as conn:
        rows = conn.exec_driver_sql(
            "SELECT platform_item_id FROM item WHERE account_id = ? AND is_own = 0", (account.id,)
        ).fetchall()
    stored = [r[0] for r in rows]
    assert len(stored) == len(set(stored)) == len(expected)  # none lost, none twice
    assert set(stored) == expected
    assert store.counts().unread_by_account[account.id] == len(expected)  # trigger-kept counters stayed true
    store.close()
    assert integrity(profile / "cmdesk.db") == "ok"


@pytest.mark.slow
@pytest.mark.parametrize("server", ["mastodon", "mastodon-keys-forgotten", "bluesky", "matrix"])
def test_outbox_killed_at_random_posts_each_reply_exactly_once(tmp_path, server):
    """Replies and blocks (on Matrix: ignoring the author), killed at random.
    "mastodon-keys-forgotten" answers a repeated Idempotency-Key with a new post (a proxy dropped
    the header, the key's hour passed): only the outbox's own reconciliation then stands between
    a crash and a reply posted twice."""
    profile = tmp_path / "profile"
    profile.mkdir()
    platform = {"bluesky": Platform.BLUESKY, "matrix": Platform.MATRIX}.get(server, Platform.MASTODON)
    rnd = random.Random({"mastodon": 7, "mastodon-keys-forgotten": 9, "bluesky": 8, "matrix": 10}[server])
    # Bluesky's record keys and Matrix's transaction ids come from the idempotency keys.
    simulator = simulator_of(platform)
    if platform == Platform.MASTODON:
        simulator.idempotency_keys = server != "mastodon-keys-forgotten"
    verb = Verb.MUTE_AUTHOR if platform == Platform.MATRIX else Verb.BLOCK_AUTHOR
    with simulator as sim:
        store = Store(profile / "cmdesk.db")
        account, make = add_simulated_account(store, sim, platform)
        asyncio.run(sync_once(store, make(), account.id))
        seed(sim, KILLS * 3 * 4, kind=ItemKind.REPLY, thread="launch")
        asyncio.run(sync_once(store, make(), account.id))
        targets = [r.id for r in store.page(InboxQuery(account_id=account.id), limit=KILLS * 3 * 4)]
        spec = account_spec(store, account.id, sim, platform)
        store.close()
        texts: set[str] = set()
        blocked: set[str] = set()

        def more_work(cycle: int) -> None:  # the community manager keeps answering between two crashes
            with Store(profile / "cmdesk.db") as writer_store:
                outbox = Outbox(writer_store)
                for target in targets[cycle * 4 : cycle * 4 + 4]:
                    text = f"Merci pour votre message n°{target} !"
                    outbox.reply(target, text, actor="crash-test")
                    texts.add(text)
                rude = targets[cycle * 4]  # …and blocks an author now and then
                outbox.moderate([rude], verb, actor="crash-test", reason="insultes")
                blocked.add(writer_store.item(rude).author.platform_author_id)

        sim.faults.latency = 0.05
        kill_repeatedly("outbox", profile, spec, window=0.3, rnd=rnd, more_work=more_work)
        run_to_end("outbox", profile, spec)
        posted = [r["text"] for r in sim.posted_replies()]
        if platform == Platform.MASTODON:
            assert {author for action, author in sim.moderation_log() if action == "block"} == blocked
        elif platform == Platform.BLUESKY:
            assert sim.blocks() == blocked
        else:
            ignored = sim.account_data(sim.owner_handle, "m.ignored_user_list") or {}
            assert set(ignored.get("ignored_users", {})) == blocked
    bodies = [text.split(" ", 1)[1] if text.startswith("@") else text for text in posted]
    assert sorted(bodies) == sorted(texts)  # every reply once: none lost, none twice
    store = Store(profile / "cmdesk.db")
    assert {e.state for e in Outbox(store).active()} == set()
    with store.read() as conn:
        states = {r[0] for r in conn.exec_driver_sql("SELECT state FROM outbox")}
    assert states == {int(State.SENT)}
    store.close()
    assert integrity(profile / "cmdesk.db") == "ok"
