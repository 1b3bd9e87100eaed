"""The durable outbox and the accounts' sync status, as the user sees them in the window.

A real workspace (SQLite file in tmp_path) with one Mastodon account whose real connector talks
to the Mastodon simulator on 127.0.0.1. The services run on a qasync loop that Qt's own event
processing drives (``already_running``), so ``qtbot.waitUntil`` lets both Qt and asyncio run.

Permanent refusal: the simulator's ``max_characters`` is lowered after the connector has read
the instance's limit (500), as when an instance lowers it: CMDesk's composer and connector let
the reply through, and the server answers 422 "Text character limit of 30 exceeded".
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from cmdesk.app import close_event_loop
from cmdesk.connectors.http import HttpClient
from cmdesk.connectors.registry import spec_for
from cmdesk.connectors.simulators.mastodon import MastodonSimulator, connector_for
from cmdesk.core.models import ItemKind, Platform
from cmdesk.core.query import InboxQuery
from cmdesk.gui.main_window import MainWindow
from cmdesk.gui.sidebar import AlertRole, EntryRole
from cmdesk.services.outbox import State
from cmdesk.services.runtime import Services
from cmdesk.services.workspace import open_workspace
from tests.gui.conftest import close

WAIT_MS = 10_000
ALICE = "109000000000000777"
REFUSING_LIMIT = 30  # characters the simulated instance accepts while it refuses our long reply
LONG = "Oui, tous nos croissants sont au beurre AOP Charentes-Poitou !"
SHORT = "Oui, pur beurre !"  # posted as "@alice Oui, pur beurre !": 24 characters


@dataclass
class Desk:
    window: MainWindow
    services: Services
    sim: MastodonSimulator
    account_id: int
    loop: asyncio.AbstractEventLoop


@pytest.fixture
def mastodon():
    with MastodonSimulator() as sim:
        yield sim


@pytest.fixture
def desk(qtbot, tmp_path, mastodon):
    """The window on a fresh workspace with one Mastodon account, its services running."""
    import qasync

    workspace = open_workspace(tmp_path / "profile", lock=True)
    account = workspace.store.add_account(
        Platform.MASTODON, "Boulangerie", handle=mastodon.owner_handle, base_url=mastodon.base_url
    )

    def make_connector(acc):
        simulated, vault = connector_for(mastodon, account_id=acc.id)
        acc = replace(acc, base_url=mastodon.base_url, settings={**simulated.settings, **acc.settings})
        return spec_for(acc.platform).factory(acc, vault, HttpClient(label=acc.name))

    services = Services(workspace, make_connector=make_connector)
    window = MainWindow(workspace, services=services)
    qtbot.addWidget(window)
    window.resize(1400, 860)
    window.show()
    qtbot.waitExposed(window)
    app = QApplication.instance()
    # A loop that runs whenever Qt processes events: qtbot.waitUntil drives the services too.
    loop = qasync.QEventLoop(app, already_running=True)
    asyncio.set_event_loop(loop)
    try:
        services.start(loop)
        qtbot.waitUntil(lambda: services.running, timeout=WAIT_MS)
        yield Desk(window, services, mastodon, account.id, loop)
    finally:
        stopping = asyncio.ensure_future(services.stop(), loop=loop)
        try:
            qtbot.waitUntil(stopping.done, timeout=WAIT_MS)
        finally:
            # What loop.stop() does, minus QApplication.exit(): outside exec() that would leave Qt's
            # "quit now" flag set, and every later QEventLoop.exec() (qtbot.wait) would return at once.
            loop._QEventLoop__is_running = False
            asyncio.events._set_running_loop(None)
            app.aboutToQuit.disconnect(loop._after_run_forever)
            close(window)
            close_event_loop(loop)
        stopping.result()


def seed_comment(sim: MastodonSimulator, text: str) -> str:
    return sim.seed_incoming(
        author_id=ALICE,
        author_name="Alice",
        author_handle="alice",
        text=text,
        created_at=datetime.now(UTC),
        kind=ItemKind.REPLY,
        thread_key="croissants",
    )


def find_item(window, text: str) -> int | None:
    return next((row.id for row in window.store.page(InboxQuery(), limit=200) if row.excerpt == text), None)


def settle(qtbot, desk: Desk) -> None:
    """The account's capabilities are read and the window has redrawn what that changed."""
    window = desk.window
    qtbot.waitUntil(lambda: desk.services.capabilities(desk.account_id) is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window._changes_timer.isActive() and window.tasks.pending == 0, timeout=WAIT_MS)


def open_comment(qtbot, desk: Desk, text: str = "Vos croissants sont-ils au beurre ?") -> int:
    """A comment from Alice, synced in from the simulator and shown in the detail pane."""
    window = desk.window
    settle(qtbot, desk)  # the connector has read the instance's limits (500 characters)
    seed_comment(desk.sim, text)
    window.act_sync.trigger()
    qtbot.waitUntil(lambda: find_item(window, text) is not None, timeout=WAIT_MS)
    item_id = find_item(window, text)
    window.go_to_item(item_id)
    qtbot.waitUntil(lambda: window.detail.item is not None and window.detail.item.id == item_id, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.composer.editor.isEnabled(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.detail.sections_pending(), timeout=WAIT_MS)
    assert thread_lines(window)[-1].endswith(text)
    return item_id


def write_and_send(qtbot, window, text: str) -> None:
    editor = window.composer.editor
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    assert window.composer.text() == text and window.composer.problem() == ""
    qtbot.mouseClick(window.composer.ui.sendButton, Qt.MouseButton.LeftButton)


def thread_lines(window) -> list[str]:
    model = window.detail.ui.threadView.model()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def unsent_in_thread(window) -> list[str]:
    return [line for line in thread_lines(window) if line.startswith("You · not sent yet")]


def outbox_rows(window) -> list[tuple[str, dict[str, QPushButton]]]:
    """What the outbox box of the detail pane shows: each row's text and its buttons by label."""
    if window.detail.ui.outboxBox.isHidden():
        return []
    layout = window.detail.ui.outboxLayout
    rows = []
    for n in range(layout.count()):
        widget = layout.itemAt(n).widget()
        buttons = {b.text(): b for b in widget.findChildren(QPushButton) if not b.isHidden()}
        rows.append((widget.findChild(QLabel).text(), buttons))
    return rows


def posted_texts(sim: MastodonSimulator) -> list[str]:
    return [reply["text"] for reply in sim.posted_replies()]


def refused_reply(qtbot, desk: Desk) -> tuple[int, int, dict[str, QPushButton]]:
    """Send LONG while the instance refuses it: the failed row is shown; returns item, entry, buttons."""
    window, sim = desk.window, desk.sim
    item_id = open_comment(qtbot, desk)
    sim.max_characters = REFUSING_LIMIT
    write_and_send(qtbot, window, LONG)
    qtbot.waitUntil(lambda: any(text.startswith("⚠") for text, _ in outbox_rows(window)), timeout=WAIT_MS)
    [(text, buttons)] = outbox_rows(window)
    [entry] = desk.services.outbox.entries_for_item(item_id)
    assert entry.state == State.FAILED and entry.text == LONG
    assert text == f"⚠ Reply not sent: {entry.last_error}"
    assert "HTTP 422" in text and f"Text character limit of {REFUSING_LIMIT} exceeded" in text
    assert list(buttons) == ["Retry", "Edit", "Discard"]
    assert unsent_in_thread(window) == [f"You · not sent yet\n{LONG}"]  # still shown in the conversation
    assert posted_texts(sim) == []
    return item_id, entry.id, buttons


def click(qtbot, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


# ---- a reply on its way ---------------------------------------------------------------------


def test_a_sent_reply_is_shown_pending_in_the_thread_until_the_platform_has_it(qtbot, desk):
    window, sim = desk.window, desk.sim
    item_id = open_comment(qtbot, desk)
    sim.faults.latency = 2.0  # a slow instance: the reply is on its way for a while
    write_and_send(qtbot, window, SHORT)

    # The thread and the outbox line are filled a turn apart: wait for both.
    qtbot.waitUntil(lambda: bool(unsent_in_thread(window) and outbox_rows(window)), timeout=WAIT_MS)
    assert posted_texts(sim) == []  # shown before the platform has it
    assert unsent_in_thread(window) == [f"You · not sent yet\n{SHORT}"]
    assert outbox_rows(window) and outbox_rows(window)[0][0] == "⏳ Reply: sending…"
    assert outbox_rows(window)[0][1] == {}  # nothing to decide while it is on its way
    assert window.composer.text() == ""  # the draft went to the outbox
    [entry] = desk.services.outbox.entries_for_item(item_id)
    assert entry.state in (State.PENDING, State.SENDING)

    sim.faults.latency = 0.0
    qtbot.waitUntil(lambda: not unsent_in_thread(window) and not outbox_rows(window), timeout=WAIT_MS)
    assert posted_texts(sim) == [f"@alice {SHORT}"]
    assert desk.services.outbox.entry(entry.id).state == State.SENT
    # The pending line became the posted reply, synced back as our own item of the conversation.
    assert thread_lines(window)[-1].endswith(f"\n@alice {SHORT}")
    assert "Community Team" in thread_lines(window)[-1]


# ---- a reply the platform refuses -------------------------------------------------------------


def test_retry_sends_a_refused_reply_once_the_platform_accepts_it(qtbot, desk):
    window, sim = desk.window, desk.sim
    item_id, entry_id, buttons = refused_reply(qtbot, desk)

    sim.max_characters = 500  # the instance accepts long replies again
    click(qtbot, buttons["Retry"])
    qtbot.waitUntil(lambda: desk.services.outbox.entry(entry_id).state == State.SENT, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not outbox_rows(window) and not unsent_in_thread(window), timeout=WAIT_MS)
    assert posted_texts(sim) == [f"@alice {LONG}"]  # exactly one reply reached the platform
    assert [e.id for e in desk.services.outbox.entries_for_item(item_id)] == [entry_id]  # re-queued, not copied
    qtbot.waitUntil(lambda: thread_lines(window)[-1].endswith(f"\n@alice {LONG}"), timeout=WAIT_MS)


def test_edit_puts_a_refused_reply_back_in_the_composer_and_only_the_new_text_is_sent(qtbot, desk):
    window, sim = desk.window, desk.sim
    item_id, entry_id, buttons = refused_reply(qtbot, desk)

    click(qtbot, buttons["Edit"])
    assert window.composer.text() == LONG
    # By design the refused entry is discarded at once: the draft is now the only copy.
    qtbot.waitUntil(lambda: desk.services.outbox.entry(entry_id).state == State.DISCARDED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not outbox_rows(window) and not unsent_in_thread(window), timeout=WAIT_MS)
    assert window.composer.text() == LONG  # redrawing the item did not empty the draft

    sim.max_characters = 500  # were the old entry still queued, it would now go out too
    write_and_send(qtbot, window, SHORT)
    qtbot.waitUntil(lambda: bool(sim.posted_replies()), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not outbox_rows(window) and not unsent_in_thread(window), timeout=WAIT_MS)
    entries = desk.services.outbox.entries_for_item(item_id)
    assert [(e.text, e.state) for e in entries] == [(LONG, State.DISCARDED), (SHORT, State.SENT)]
    assert posted_texts(sim) == [f"@alice {SHORT}"]
    run = asyncio.ensure_future(desk.services.worker.run_once(), loop=desk.loop)
    qtbot.waitUntil(run.done, timeout=WAIT_MS)
    assert run.result() == 0 and posted_texts(sim) == [f"@alice {SHORT}"]


def test_discard_drops_a_refused_reply_and_nothing_is_ever_posted(qtbot, desk):
    window, sim = desk.window, desk.sim
    item_id, entry_id, buttons = refused_reply(qtbot, desk)

    click(qtbot, buttons["Discard"])
    qtbot.waitUntil(lambda: not outbox_rows(window) and not unsent_in_thread(window), timeout=WAIT_MS)
    assert desk.services.outbox.entry(entry_id).state == State.DISCARDED
    assert window.composer.text() == ""  # discarding does not bring the text back

    sim.max_characters = 500  # the instance would accept it now: the outbox must not send it
    run = asyncio.ensure_future(desk.services.worker.run_once(), loop=desk.loop)
    qtbot.waitUntil(run.done, timeout=WAIT_MS)
    assert run.result() == 0
    assert desk.services.outbox.due() == [] and desk.services.outbox.active() == []
    assert posted_texts(sim) == []
    window.go_to_item(item_id)
    window.detail.refresh()
    qtbot.waitUntil(lambda: not window.detail.sections_pending(), timeout=WAIT_MS)
    assert outbox_rows(window) == [] and unsent_in_thread(window) == []


# ---- the accounts' sync status in the sidebar ------------------------------------------------


def account_entry(window, account_id: int):
    """The sidebar's index of the account (what the tree view shows and hovers)."""
    model = window.ui.sidebar.model()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if index.data(EntryRole) == ("account", account_id):
            return index
    raise AssertionError(f"account {account_id} is not in the sidebar")


def tooltip(desk: Desk) -> str:
    return account_entry(desk.window, desk.account_id).data(Qt.ItemDataRole.ToolTipRole) or ""


def alert(desk: Desk) -> bool:
    return bool(account_entry(desk.window, desk.account_id).data(AlertRole))


def test_the_sidebar_shows_the_last_sync_and_a_sign_in_problem_of_the_account(qtbot, desk):
    window, services, sim = desk.window, desk.services, desk.sim
    settle(qtbot, desk)

    # A successful sync: when it happened, when the next one is, what it brought.
    seed_comment(sim, "Ouvert dimanche ?")
    window.act_sync.trigger()
    qtbot.waitUntil(lambda: "1 new" in tooltip(desk), timeout=WAIT_MS)
    status = services.sync.status(desk.account_id)
    synced = datetime.fromtimestamp(status.last_sync_at).strftime("%H:%M:%S")
    assert tooltip(desk).startswith(f"Boulangerie · synced at {synced} · next at ")
    assert not alert(desk)

    # The token expired on the instance: the account says it must sign in again, and why.
    sim.faults.expired_token = True
    window.act_sync.trigger()
    qtbot.waitUntil(lambda: "must sign in again" in tooltip(desk), timeout=WAIT_MS)
    assert tooltip(desk).startswith("Boulangerie must sign in again: ")
    assert "The access token is invalid" in tooltip(desk)  # the instance's own words
    assert "synced at" not in tooltip(desk)
    assert alert(desk)  # its badge turns red
    assert window.ui.banner.isVisible() and "must sign in again" in window.ui.banner.text()

    # Signed in again: the problem goes, the last sync is shown again.
    sim.faults.expired_token = False
    services.signed_in_again(desk.account_id)
    qtbot.waitUntil(lambda: "synced at" in tooltip(desk), timeout=WAIT_MS)
    assert tooltip(desk).startswith("Boulangerie · synced at ")
    assert not alert(desk)


@pytest.fixture
def expired_token(mastodon):
    mastodon.faults.expired_token = True


def test_a_sign_in_problem_found_at_start_stays_in_the_sidebar(qtbot, expired_token, desk):
    """The token is already expired when CMDesk starts: the banner says so (and hides after 15 s),
    and the sidebar keeps saying it, though its entries are rebuilt right after (the capabilities
    read at start) and again on View → Refresh: the paused sync reports nothing more until a new
    sign-in."""
    window = desk.window
    qtbot.waitUntil(lambda: "must sign in again" in window.ui.banner.text(), timeout=WAIT_MS)
    settle(qtbot, desk)
    assert "must sign in again" in tooltip(desk)
    assert alert(desk)
    window.refresh_all()  # View → Refresh rebuilds the entries again
    settle(qtbot, desk)
    assert "must sign in again" in tooltip(desk) and alert(desk)
