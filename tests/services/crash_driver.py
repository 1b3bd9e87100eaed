"""A CMDesk process for the crash tests: syncs one account, or works through the outbox, until done.

    python crash_driver.py sync|outbox PROFILE_DIR ACCOUNT_JSON

ACCOUNT_JSON carries the platform, account id, base URL, settings and (simulator) secrets. The
test kills this process with SIGKILL at random moments and starts it again.

"sync" runs the app's own path: ``SyncService`` (prefetch, the group writer) judging every new
item with the stored rules, automatic moderation writing its outbox entries in the same
transaction. It polls until a whole poll finds nothing new.
"""

from __future__ import annotations

import asyncio
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cmdesk.connectors.http import HttpClient
from cmdesk.connectors.registry import spec_for
from cmdesk.core.models import Account, Platform
from cmdesk.secrets import MemoryVault
from cmdesk.services.moderation import ModerationService
from cmdesk.services.outbox import Outbox, State
from cmdesk.services.outbox_worker import OutboxWorker
from cmdesk.services.sync import AccountStatus, Phase, SyncService
from cmdesk.store.store import Store


def connector(store, spec: dict):
    platform = Platform(spec["platform"])
    account = Account(
        spec["account_id"], platform, "crash test", spec["handle"], spec["base_url"], settings=spec["settings"]
    )
    http = HttpClient(label="crash", backoff_base=0.01, backoff_cap=0.05)
    return spec_for(platform).factory(account, MemoryVault(spec["secrets"]), http)


async def run_sync(store, spec) -> None:
    moderation = ModerationService(store, outbox=Outbox(store))
    finished = asyncio.Event()
    failure: list[str] = []

    def on_status(status: AccountStatus) -> None:
        if status.phase in (Phase.WAITING, Phase.OFFLINE, Phase.NEEDS_SIGNIN):
            failure.append(status.error)
            finished.set()
        elif status.phase == Phase.IDLE and status.last_sync_at is not None:
            if status.new_this_poll == 0:  # a whole poll found nothing new (Bluesky re-reads an overlap)
                finished.set()
            else:
                service.sync_now()  # more may have arrived while this poll ran

    service = SyncService(
        store,
        lambda account: connector(store, spec),
        judge_for=moderation.judge_for,
        on_new=moderation.on_new,
        on_status=on_status,
        base_interval=3600,
    )
    service.start([store.account(spec["account_id"])])
    await finished.wait()
    await service.stop()
    if failure:
        raise SystemExit(f"sync failed: {failure[0]}")


async def run_outbox(store, spec) -> None:
    outbox = Outbox(store)
    worker = OutboxWorker(outbox, lambda account_id: connector(store, spec), ThreadPoolExecutor(1))
    while any(e.state in (State.PENDING, State.SENDING) for e in outbox.active()):
        await worker.run_once()


def main() -> int:
    mode, profile, spec = sys.argv[1], Path(sys.argv[2]), json.loads(sys.argv[3])
    store = Store(profile / "cmdesk.db")
    print("ready", flush=True)
    asyncio.run(run_sync(store, spec) if mode == "sync" else run_outbox(store, spec))
    store.close()
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
