"""The live demo: Maison Brioche's three accounts on loopback platform simulators.

The demo's messages are seeded into a Mastodon, a Bluesky and a Matrix simulator, and CMDesk
syncs them in through its real connectors, exactly as it would from the real platforms.
While the demo runs, new comments arrive every few seconds; replies and hides go out
through the durable outbox to the simulators, which remember them.

Seeded messages are dated from the demo profile's creation (its *epoch*), so each start
seeds the same messages with the same platform ids and the sync only stores what is new.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import random
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from cmdesk.connectors.http import HttpClient
from cmdesk.connectors.registry import spec_for
from cmdesk.core.models import Account, ItemKind, utcnow
from cmdesk.services.demo import DemoPost, demo_accounts, demo_posts, load_corpus

log = logging.getLogger("cmdesk.demo")

LIVE_EVERY_S = (4.0, 9.0)  # a new comment arrives every few seconds
DEMO_SYNC_INTERVAL_S = 8  # so the demo shows them within seconds


def read_epoch(marker: Path) -> datetime:
    """The demo's creation time, kept in the demo profile's marker file (written on first use)."""
    try:
        text = marker.read_text("utf-8").strip()
        if text:
            return datetime.fromisoformat(text)
    except (OSError, ValueError):
        pass
    epoch = utcnow().replace(microsecond=0)
    marker.write_text(epoch.isoformat(), "utf-8")
    return epoch


class DemoWorld:
    """The simulators behind the demo accounts, and the stream of new comments."""

    def __init__(self, epoch: datetime, *, seed: int = 7):
        from cmdesk.connectors.simulators.bluesky import BlueskySimulator
        from cmdesk.connectors.simulators.mastodon import MastodonSimulator
        from cmdesk.connectors.simulators.matrix import MatrixSimulator

        self.epoch = epoch
        self.corpus = load_corpus()
        self._rnd = random.Random(seed)
        self._live_task: asyncio.Task | None = None
        self.simulators = {
            "masto": MastodonSimulator(owner_username="maisonbrioche", domain="piaille.fr"),
            "bsky": BlueskySimulator(owner_handle="maisonbrioche.bsky.social", owner_name="Maison Brioche"),
            "matrix": MatrixSimulator(server_name="maisonbrioche.fr"),
        }
        self.live_count = 0

    # -- life cycle

    def start(self) -> None:
        for sim in self.simulators.values():
            sim.start()
        for post in demo_posts(now=self.epoch):
            if not post.is_own:
                self._seed(post)

    def stop(self) -> None:
        if self._live_task:
            self._live_task.cancel()
        for sim in self.simulators.values():
            sim.stop()

    def _seed(self, post: DemoPost) -> str:
        sim = self.simulators[post.account_key]
        return sim.seed_incoming(
            author_id=post.author_id,
            author_name=post.author_name,
            author_handle=post.author_handle,
            text=post.text,
            created_at=post.created_at,
            kind=post.kind,
            thread_key=post.thread_key,
            lang=post.lang,
        )

    # -- accounts and connectors

    def ensure_accounts(self, store) -> dict[str, int]:
        """Create the demo accounts (first run) or point them at this run's simulators."""
        existing = {a.settings.get("demo"): a for a in store.accounts()}
        ids = {}
        for spec in demo_accounts(self.corpus):
            sim = self.simulators[spec.key]
            settings = {"demo": spec.key, "sync_interval_s": DEMO_SYNC_INTERVAL_S}
            account = existing.get(spec.key)
            if account is None:
                account = store.add_account(
                    spec.platform, spec.name, handle=sim.owner_handle, base_url=sim.base_url, settings=settings
                )
            else:
                account = store.update_account(
                    account.id,
                    base_url=sim.base_url,
                    handle=sim.owner_handle,
                    settings={**account.settings, **settings},
                )
                # A new simulator run has new cursors: start from its beginning, the upsert skips what is known.
                with store.write() as conn:
                    conn.exec_driver_sql("UPDATE sync_state SET cursor = NULL WHERE account_id = ?", (account.id,))
            ids[spec.key] = account.id
        return ids

    def connector(self, account: Account):
        """A real connector for a demo account, signed in to its simulator (credentials in memory only)."""
        key = account.settings.get("demo")
        sim = self.simulators.get(key)
        if sim is None:
            raise LookupError(f"{account.name} is not a demo account.")
        module = importlib.import_module(f"cmdesk.connectors.simulators.{account.platform.value}")
        simulated_account, vault = module.connector_for(sim, account_id=account.id)
        settings = {**simulated_account.settings, **account.settings}
        account = replace(account, base_url=sim.base_url, settings=settings)
        return spec_for(account.platform).factory(account, vault, HttpClient(label=account.name))

    # -- new comments while the demo runs

    def start_live(self) -> None:
        self._live_task = asyncio.get_running_loop().create_task(self._live(), name="demo-live")

    async def _live(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self._rnd.uniform(*LIVE_EVERY_S))
            try:
                await loop.run_in_executor(None, self.add_live_comment)
            except Exception:  # the demo goes on without this one comment
                log.exception("demo: could not add a live comment")

    def add_live_comment(self) -> str:
        """One new message from the corpus, now, on a random demo account."""
        posts = [p for p in demo_posts(now=utcnow(), count=40, seed=self._rnd.randrange(1 << 30)) if not p.is_own]
        post = self._rnd.choice(posts)
        if post.kind == ItemKind.DIRECT_MESSAGE and post.account_key == "bsky":
            post = _with(post, kind=ItemKind.REPLY)
        fresh = _with(post, created_at=datetime.now(UTC))
        self.live_count += 1
        return self._seed(fresh)


def _with(post: DemoPost, **changes) -> DemoPost:
    return replace(post, **changes)


class DemoSession:
    """Runs the demo world alongside the services of a demo workspace.

    On the first run, once every demo account has finished its first sync, older items are
    marked answered or done as if the team had been working for weeks. New comments start
    arriving when the services start; the simulators stop with them.
    """

    WORKED_FLAG = "demo-worked"

    def __init__(self, world: DemoWorld, services, profile_root: Path):
        self.world = world
        self.services = services
        self.flag = profile_root / self.WORKED_FLAG
        self.account_ids = world.ensure_accounts(services.store)
        self._synced: set[int] = set()
        services.status_listeners.append(self._on_status)
        services.on_start.append(world.start_live)
        services.on_stop.append(world.stop)

    def _on_status(self, status) -> None:
        from cmdesk.services.sync import Phase

        if self.flag.exists() or status.phase != Phase.IDLE or status.last_sync_at is None:
            return
        self._synced.add(status.account_id)
        if set(self.account_ids.values()) <= self._synced:
            self.flag.write_text("1", "utf-8")
            asyncio.get_running_loop().run_in_executor(self.services.db_pool, self._mark_worked)

    def _mark_worked(self) -> None:
        from cmdesk.core.models import Changes
        from cmdesk.services.demo import apply_worked_statuses

        apply_worked_statuses(self.services.store, self.account_ids, demo_posts(now=self.world.epoch), self.world.epoch)
        self.services.notify_from_thread(Changes(counts=True, accounts=True, new_items=True))
