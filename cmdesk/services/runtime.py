"""The services of one open workspace: sync, outbox, rules and connectors, wired together.

The window (or a headless command) builds one ``Services``, starts it on a running asyncio
loop (qasync in the app), and calls its plain methods. Listeners get ``Changes`` and
``AccountStatus`` values on the loop's thread; the GUI turns them into Qt signals.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from cmdesk.connectors.base import Capabilities, Connector, Verb
from cmdesk.connectors.page_worker import PAGES
from cmdesk.connectors.registry import spec_for
from cmdesk.core.i18n import QT_TRANSLATE_NOOP
from cmdesk.core.models import Account, Changes, Item, Moderation
from cmdesk.services.moderation import ModerationService
from cmdesk.services.outbox import Outbox
from cmdesk.services.outbox_worker import OutboxWorker
from cmdesk.services.scoring import ScoringPool
from cmdesk.services.sync import AccountStatus, Phase, SyncService

log = logging.getLogger("cmdesk.services")


DRAIN_TIMEOUT_S = 5.0


async def _drained(pool: ThreadPoolExecutor, timeout: float) -> None:
    """Let network calls already running finish while the loop still runs: each hands its result
    to the loop, and a qasync loop closed in the meantime crashes the process on it."""
    done = threading.Event()

    def wait() -> None:
        pool.shutdown(wait=True)
        done.set()

    threading.Thread(target=wait, name="cmdesk-drain", daemon=True).start()
    deadline = time.monotonic() + timeout
    while not done.is_set() and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    if not done.is_set():
        log.warning("network calls still running after %.0f s at stop", timeout)


class Services:
    def __init__(
        self,
        workspace,
        *,
        demo: bool = False,
        offline: bool = False,
        make_connector: Callable[[Account], Connector] | None = None,
    ):
        self.workspace = workspace
        self.store = workspace.store
        self.demo = demo
        self.offline = offline
        self.outbox = Outbox(self.store)
        # Enough threads for every account to wait on its network at once (they mostly wait).
        self.network_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="cmdesk-net")
        self.db_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cmdesk-db-sync")
        self._make_connector = make_connector or self._connector_from_registry
        self._connectors: dict[int, Connector] = {}
        self._capabilities: dict[int, Capabilities] = {}
        self.change_listeners: list[Callable[[Changes], None]] = []
        self.status_listeners: list[Callable[[AccountStatus], None]] = []
        self.on_start: list[Callable[[], None]] = []  # run on the loop once syncing has started
        self.on_stop: list[Callable[[], None]] = []
        self._loop = None
        # Offline (the demo without simulators) nothing can reach a platform: rules only flag.
        self.moderation = ModerationService(
            self.store, capabilities_for=self.capabilities, outbox=None if offline else self.outbox
        )
        if not offline:  # new items from a sync are scored in a worker process (services/scoring.py)
            self.moderation.scoring = ScoringPool()
        self.moderation.install_starter_rules()
        self.moderation.reload()
        self.sync = SyncService(
            self.store,
            self.connector,
            judge_for=self.moderation.judge_for,
            on_new=self.moderation.on_new,
            on_status=self._status,
            on_changes=self._changed,
            network_pool=self.network_pool,
            db_pool=self.db_pool,
            base_interval=float(workspace.settings.get("sync_interval_s")),
        )
        self.worker = OutboxWorker(
            self.outbox,
            self._connector_if_ready,
            self.network_pool,
            on_changes=self._changed,
            on_auth_expired=self._auth_expired,
        )
        self.running = False
        if not offline and any(account.enabled for account in self.store.accounts()):
            self._start_workers()

    def _start_workers(self) -> None:
        """Start the scoring and page workers while the window opens: each takes a process start
        and its imports (the scoring one also loads its models, 0.6 s of CPU), which the first
        sync would otherwise wait for. Both are niced or idle by then, so the UI does not."""
        if self.moderation.scoring is not None:
            self.moderation.scoring.start()
        PAGES.start()

    # -- connectors

    def _connector_from_registry(self, account: Account) -> Connector:
        from cmdesk.connectors.http import HttpClient  # requests is imported when a connector is needed
        from cmdesk.secrets import SecretStore

        spec = spec_for(account.platform)
        vault = SecretStore(self.workspace.profile.id).vault(self.store.account_uid(account.id), spec.secret_names)
        http = HttpClient(label=account.name)
        return spec.factory(account, vault, http)

    def connector(self, account: Account) -> Connector:
        if account.id not in self._connectors:
            self._connectors[account.id] = self._make_connector(account)
        return self._connectors[account.id]

    def _connector_if_ready(self, account_id: int) -> Connector | None:
        try:
            return self.connector(self.store.account(account_id))
        except Exception as exc:  # no keyring, account removed…: the entry waits
            log.info("no connector for account %s: %s", account_id, exc)
            return None

    def capabilities(self, account_id: int) -> Capabilities | None:
        """What the account may do (read once from its connector; ``None`` while unknown)."""
        return self._capabilities.get(account_id)

    async def _load_capabilities(self) -> None:
        import asyncio

        loop = asyncio.get_running_loop()
        for account in self.store.accounts():
            connector = self._connector_if_ready(account.id)
            if connector is None:
                continue
            try:
                self._capabilities[account.id] = await loop.run_in_executor(self.network_pool, connector.capabilities)
            except Exception as exc:
                log.info("capabilities of %s unavailable: %s", account.name, exc)
        self._changed(Changes(accounts=True))

    # -- life cycle

    def start(self, loop) -> None:
        """Start syncing and sending (call on the running loop, or pass it to schedule there)."""
        if self.offline:
            return
        loop.call_soon(self._start_on_loop)

    def _start_on_loop(self) -> None:
        import asyncio

        self.running = True
        self._loop = asyncio.get_running_loop()
        self.sync.start()
        self.worker.start()
        self._loop.create_task(self._load_capabilities())
        for hook in self.on_start:
            hook()

    async def stop(self) -> None:
        if self.running:
            await self.sync.stop()
            await self.worker.stop()
            self.running = False
        for hook in self.on_stop:
            hook()
        for connector in self._connectors.values():
            http = getattr(connector, "http", None)
            if http is not None:
                http.close()
        self.network_pool.shutdown(wait=False, cancel_futures=True)
        await _drained(self.network_pool, timeout=DRAIN_TIMEOUT_S)
        self.db_pool.shutdown(wait=True)
        if self.moderation.scoring is not None:
            self.moderation.scoring.close()
        PAGES.shutdown()  # a page still being read after the drain is parsed in its own thread

    # -- listeners

    def _changed(self, changes: Changes) -> None:
        alerts = self.moderation.take_alerts()
        if alerts:
            changes = changes | Changes(alerts=alerts)
        for listener in list(self.change_listeners):
            try:
                listener(changes)
            except Exception:
                log.exception("change listener failed")

    def notify_from_thread(self, changes: Changes) -> None:
        """Report changes made on a worker thread: listeners still run on the loop's thread."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._changed, changes)

    def _status(self, status: AccountStatus) -> None:
        for listener in list(self.status_listeners):
            try:
                listener(status)
            except Exception:
                log.exception("status listener failed")

    def _auth_expired(self, account_id: int, message: str) -> None:
        self.store.record_sync_outcome(account_id, error=message, needs_signin=True)
        self._status(AccountStatus(account_id, Phase.NEEDS_SIGNIN, error=message))

    # -- what the window asks

    def reply_blocked_reason(self, the_item: Item | None, account: Account | None) -> str:
        if the_item is None or account is None:
            return ""
        if self.offline or not self.running:
            return QT_TRANSLATE_NOOP(
                "Services", "Replies are sent when CMDesk is online with its accounts (this window is offline)."
            )
        if the_item.moderation == Moderation.DELETED:
            return QT_TRANSLATE_NOOP("Services", "This item was deleted on its platform.")
        capabilities = self.capabilities(account.id)
        if capabilities is not None and not capabilities.allows(Verb.REPLY):
            return capabilities.why_not(Verb.REPLY) or f"{account.platform.label} does not allow replies here."
        status = self.sync.status(account.id)
        if status is not None and status.phase == Phase.NEEDS_SIGNIN:
            return QT_TRANSLATE_NOOP(
                "Services",
                "This account must sign in again before it can reply (File → Account settings… → Sign in again…).",
            )
        return ""

    def verb_state(self, the_item: Item, verb: Verb) -> tuple[bool, str]:
        """Whether a moderation button is enabled for this item, and the tooltip that says why not."""
        if self.offline or not self.running:
            return False, QT_TRANSLATE_NOOP(
                "Services", "Moderation actions are sent when CMDesk is online with its accounts."
            )
        capabilities = self.capabilities(the_item.account_id)
        if capabilities is None:
            return False, QT_TRANSLATE_NOOP("Services", "Checking what this account may do…")
        if not capabilities.allows(verb):
            return False, capabilities.why_not(verb) or QT_TRANSLATE_NOOP(
                "Services", "This platform does not offer this action."
            )
        # A verb both offered and explained is conditional: platforms let an account delete its own posts only.
        if verb == Verb.DELETE and verb in capabilities.missing and not the_item.is_own:
            return False, capabilities.missing[verb]
        if verb == Verb.HIDE and the_item.moderation != Moderation.VISIBLE:
            return False, QT_TRANSLATE_NOOP("Services", "Already hidden.")
        if verb == Verb.UNHIDE and the_item.moderation != Moderation.HIDDEN:
            return False, QT_TRANSLATE_NOOP("Services", "The item is not hidden.")
        return True, ""

    def send_reply(self, item_id: int, text: str, *, actor: str) -> Changes:
        entry, changes = self.outbox.reply(item_id, text, actor=actor)
        self._wake_worker()
        loop = self._running_loop()
        if loop is not None:  # an answer often gets one back soon: that account polls fast a while
            loop.call_soon_threadsafe(self.sync.conversation_active, entry.account_id)
        return changes

    def moderate(self, item_ids, verb: Verb, *, actor: str, reason: str = "") -> Changes:
        changes = self.outbox.moderate(item_ids, verb, actor=actor, reason=reason)
        self._wake_worker()
        return changes

    def decide(self, item_ids, decision, *, actor: str, reason: str = "") -> Changes:
        """A moderator's decision (see ModerationService.decide); the outbox starts on it at once."""
        changes = self.moderation.decide(list(item_ids), decision, actor=actor, reason=reason)
        self._wake_worker()
        return changes

    def retry(self, entry_id: int, text: str | None = None) -> Changes:
        entry = self.outbox.retry(entry_id, text)
        self._wake_worker()
        return Changes(items=frozenset({entry.item_id}) if entry.item_id else frozenset())

    def discard(self, entry_id: int, *, actor: str) -> Changes:
        entry = self.outbox.discard(entry_id, actor=actor)
        return Changes(items=frozenset({entry.item_id}) if entry.item_id else frozenset())

    def _wake_worker(self) -> None:
        # Called from the UI's DB thread: asyncio objects may only be touched on the loop's thread.
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self.worker.wake)

    # -- accounts added, changed or removed while running (callable from any thread)

    def _running_loop(self):
        loop = self._loop
        if loop is None or not self.running or loop.is_closed():
            return None
        return loop

    def account_added(self, account: Account) -> bool:
        """A new account starts syncing and its capabilities are read; False when not running."""
        loop = self._running_loop()
        if loop is None:
            return False

        def start() -> None:
            self.sync.add(account)
            loop.create_task(self._load_capabilities())

        loop.call_soon_threadsafe(start)
        return True

    def account_changed(self, account_id: int):
        """After a new sign-in, a sign-out or a settings change: a fresh connector and sync runner.

        Returns a ``concurrent.futures.Future`` (or None when not running).
        """
        loop = self._running_loop()
        if loop is None:
            return None

        async def restart() -> None:
            await self.sync.remove(account_id)
            self.signed_in_again(account_id)
            fresh = self.store.account(account_id)
            if fresh.enabled:
                self.sync.add(fresh)
            await self._load_capabilities()

        return asyncio.run_coroutine_threadsafe(restart(), loop)

    def account_removed(self, account_id: int):
        """Before an account's rows are deleted: its runner stops, so no poll writes into them."""
        loop = self._running_loop()
        if loop is None:
            return None

        async def stop() -> None:
            await self.sync.remove(account_id)
            self._connectors.pop(account_id, None)
            self._capabilities.pop(account_id, None)

        return asyncio.run_coroutine_threadsafe(stop(), loop)

    def set_online(self, online: bool) -> None:
        """What the system says of the network (on the loop's thread): sync pauses without one;
        when it is back, accounts poll and replies held up by it go out at once."""
        self.sync.set_online(online)
        loop = self._running_loop()
        if online and loop is not None:

            async def send_held_up_entries() -> None:
                await loop.run_in_executor(self.db_pool, self.outbox.send_offline_now)  # a write: off the UI thread
                self.worker.wake()

            loop.create_task(send_held_up_entries())

    def sync_now(self, account_id: int | None = None) -> None:
        self.sync.sync_now(account_id)

    def signed_in_again(self, account_id: int) -> None:
        self._connectors.pop(account_id, None)
        self.sync.resume(account_id)
        self.worker.resume(account_id)
