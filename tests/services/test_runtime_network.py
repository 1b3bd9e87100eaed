"""The network's return, as the window passes it on (Services.set_online): replies held up by
its absence go out at once, not after their backoff."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import update

from cmdesk.connectors.simulators.mastodon import MastodonSimulator
from cmdesk.core.models import ItemKind, Platform, to_millis, utcnow
from cmdesk.core.query import InboxQuery
from cmdesk.services.outbox import Outbox, State
from cmdesk.services.runtime import Services
from cmdesk.services.sync import sync_once
from cmdesk.services.workspace import open_workspace
from cmdesk.store.schema import outbox as outbox_table
from tests.services.simkit import add_simulated_account, seed


def test_when_the_network_is_back_held_up_replies_go_at_once(tmp_path):
    with MastodonSimulator(owner_role="user") as sim:
        workspace = open_workspace(tmp_path / "profile", lock=True)
        store = workspace.store
        account, make = add_simulated_account(store, sim, Platform.MASTODON)
        asyncio.run(sync_once(store, make(), account.id))
        seed(sim, 1, kind=ItemKind.REPLY, thread="launch")
        asyncio.run(sync_once(store, make(), account.id))
        [row] = store.page(InboxQuery(account_id=account.id))
        entry, _ = Outbox(store).reply(row.id, "Envoyé au retour du réseau", actor="camille")
        with store.write() as conn:  # tried while the network was gone: its next try is half an hour away
            conn.execute(
                update(outbox_table)
                .where(outbox_table.c.id == entry.id)
                .values(
                    attempts=5,
                    next_attempt_at=to_millis(utcnow()) + 30 * 60 * 1000,
                    last_error="Cannot reach the server: the network is unreachable.",
                )
            )
        services = Services(workspace, make_connector=lambda acc: make(acc))

        async def main():
            services.start(asyncio.get_running_loop())
            await asyncio.sleep(0.5)
            assert sim.posted_replies() == []  # waiting out its backoff
            services.set_online(True)
            deadline = time.monotonic() + 10
            while not sim.posted_replies():
                assert time.monotonic() < deadline, "the held-up reply did not go"
                await asyncio.sleep(0.05)
            await services.stop()

        try:
            asyncio.run(main())
            assert [r["text"] for r in sim.posted_replies()] == ["@author0 Envoyé au retour du réseau"]
            assert Outbox(store).entry(entry.id).state == State.SENT
        finally:
            workspace.close()
