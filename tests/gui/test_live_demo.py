"""The live demo in the real window on the qasync loop: items arrive through the real connectors
from the simulators, a reply and a hide go out through the outbox and land on the simulators."""

from __future__ import annotations

import asyncio
from functools import partial

import pytest
import qasync
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

from cmdesk.app import close_event_loop, open_window
from cmdesk.connectors.base import Verb
from cmdesk.core.models import Platform, View
from cmdesk.core.query import InboxQuery
from cmdesk.services.outbox import State
from tests.conftest import until as until_in_loop


@pytest.fixture
def live(qtbot, tmp_path):
    window, services = open_window(tmp_path / "demo", demo=True, lang="en")
    qtbot.addWidget(window)
    window.resize(1400, 860)
    window.show()
    loop = qasync.QEventLoop(QApplication.instance())
    asyncio.set_event_loop(loop)
    workspace = window.workspace
    yield window, services, loop
    loop.run_until_complete(services.stop())
    if isValid(window):
        window.close()
    workspace.close()
    close_event_loop(loop)


until = partial(until_in_loop, timeout=20.0)  # this module's waits are longer


def test_live_demo_syncs_replies_and_hides(live):
    window, services, loop = live
    world = services.on_stop[0].__self__  # the DemoWorld whose stop() the services call

    async def scenario():
        services.start(asyncio.get_running_loop())
        await until(lambda: window.store.item_count() > 300)
        await until(lambda: all(services.capabilities(a.id) for a in window.store.accounts()))
        await until(lambda: window.model.rowCount() > 0)  # redrawn a moment later, not after every batch

        # A reply from the composer goes through the outbox to the simulator.
        window.sidebar.select_view(View.UNANSWERED)
        masto = next(a for a in window.store.accounts() if a.platform == Platform.MASTODON)
        target = window.store.page(InboxQuery(view=View.UNANSWERED, account_id=masto.id))[0]
        window.go_to_item(target.id)
        await until(lambda: window.detail.item is not None and window.detail.item.id == target.id)
        assert window.composer.problem() == ""
        window.composer.set_text("Merci pour votre message, on s'en occupe !")
        window.composer.send()
        sim = world.simulators["masto"]
        await until(lambda: any("on s'en occupe" in r["text"] for r in sim.posted_replies()))
        entries = services.outbox.entries_for_item(target.id)
        await until(lambda: services.outbox.entry(entries[0].id).state == State.SENT)

        # Hide a Bluesky reply: the button is enabled there, and the threadgate on the simulator gets it.
        sky = next(a for a in window.store.accounts() if a.platform == Platform.BLUESKY)
        replies = [r for r in window.store.page(InboxQuery(account_id=sky.id), limit=200) if r.kind.name == "REPLY"]
        window.go_to_item(replies[0].id)
        await until(lambda: window.detail.item is not None and window.detail.item.id == replies[0].id)
        assert window.detail.ui.hideButton.isEnabled(), window.detail.ui.hideButton.toolTip()
        window.moderate([replies[0].id], Verb.HIDE)
        await until(lambda: window.store.item(replies[0].id).moderation.name == "HIDDEN")
        assert world.simulators["bsky"].moderation_log()

        # Mastodon cannot hide other people's replies: the button says why.
        window.go_to_item(target.id)
        await until(lambda: window.detail.item.id == target.id)
        assert not window.detail.ui.hideButton.isEnabled()
        assert "Mastodon" in window.detail.ui.hideButton.toolTip()

        # A new comment arrives on a simulator and shows up without a restart.
        before = window.store.item_count()
        world.add_live_comment()
        services.sync_now()
        await until(lambda: window.store.item_count() > before)
        window.grab().save(str(window.workspace.profile.root / "live-demo.png"))

    loop.run_until_complete(scenario())
