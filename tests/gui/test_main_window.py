"""The main window on the demo workspace: it opens full, scrolls lazily, and keeps what the user does."""

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

from cmdesk.core.models import Changes, Platform, Status, View
from cmdesk.core.query import PAGE_SIZE, InboxQuery
from cmdesk.core.text import display_author
from cmdesk.gui import labels
from cmdesk.gui.detail import ItemIdRole
from cmdesk.gui.inbox_model import InboxModel
from tests.conftest import make_item
from tests.gui.conftest import close, fresh_item, wait_idle


def test_window_opens_populated_on_the_demo(open_demo):
    window = open_demo()
    assert window.model.rowCount() >= PAGE_SIZE
    assert window.sidebar.current() == ("view", View.UNANSWERED)
    assert "demo" in window.windowTitle()
    assert window.detail.item is not None  # the first item is shown
    assert len(window.store.accounts()) == 3


def test_inbox_model_passes_the_model_tester(qtmodeltester, store, account):
    store.ingest(account.id, [make_item(n) for n in range(120)])
    model = InboxModel(store)
    model.set_accounts(store.accounts())
    model.set_query(InboxQuery())
    qtmodeltester.check(model)
    model.fetchMore()
    qtmodeltester.check(model)


def test_selected_rows_read_from_the_ranges_match_qts_selected_rows(open_demo):
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    window = open_demo()
    view, model = window.ui.itemList, window.model
    chosen = QItemSelection()
    for top, bottom in ((1, 3), (7, 7), (2, 5)):  # overlapping ranges, as ctrl and shift clicks make
        chosen.select(model.index(top, 0), model.index(bottom, model.columnCount() - 1))
    view.selectionModel().select(chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    expected = sorted({index.row() for index in view.selectionModel().selectedRows()})
    assert window.selected_rows() == expected == [1, 2, 3, 4, 5, 7]
    assert window.selected_ids() == [model.row_at(r).id for r in expected]


def test_scrolling_fetches_more_pages(open_demo, qtbot):
    window = open_demo()
    window.sidebar.select_view(View.ALL)
    before = window.model.rowCount()
    bar = window.ui.itemList.verticalScrollBar()
    for _ in range(4):
        bar.setValue(bar.maximum())
        QApplication.processEvents()
    assert window.model.rowCount() > before
    assert window.model.fetch_ms  # each fetch was timed (the benchmark reads these)


def test_done_tag_and_note_persist_across_a_restart(open_demo, qtbot, tmp_path):
    window = open_demo()
    item_id = window.current_item_id()
    # Which demo item comes first depends on the time of day; a rule may have tagged it already.
    tags_before = window.store.item(item_id).tags
    qtbot.keyClick(window.ui.itemList, Qt.Key.Key_E)
    window.detail.ui.tagEdit.setText("Livraison")
    qtbot.keyClick(window.detail.ui.tagEdit, Qt.Key.Key_Return)
    window.detail.ui.noteEdit.setText("Rappeler la cliente demain")
    qtbot.keyClick(window.detail.ui.noteEdit, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert window.model.row_of(item_id) is None  # done: it left the Unanswered view
    close(window)

    again = open_demo()
    stored = again.store.item(item_id)
    assert stored.status == Status.DONE and stored.tags == tuple(sorted({*tags_before, "livraison"}))
    assert [n.text for n in again.store.notes(item_id)] == ["Rappeler la cliente demain"]
    again.sidebar.select_view(View.DONE)
    again.select_row(again.model.row_of(item_id))
    assert again.detail.item.id == item_id
    assert "#livraison" in again.detail.ui.tagsLabel.text()
    qtbot.waitUntil(lambda: not again.detail.sections_pending(), timeout=5000)  # filled a turn later
    assert again.detail.ui.tabs.tabText(2).endswith("(1)")
    assert {a.action for a in again.store.audit_entries(item_id=item_id)} >= {"status", "tag", "note"}


def test_undo_restores_the_previous_status(open_demo, qtbot):
    window = open_demo()
    item_id = window.current_item_id()
    before = window.store.item(item_id).status
    window.toggle_done()
    wait_idle(qtbot, window)
    assert window.store.item(item_id).status == Status.DONE
    window.act_undo.trigger()
    wait_idle(qtbot, window)
    assert window.store.item(item_id).status == before


def test_keyboard_navigation_and_focus(open_demo, qtbot):
    window = open_demo()
    window.ui.itemList.setFocus()
    start = window.ui.itemList.currentIndex().row()
    qtbot.keyClick(window.ui.itemList, Qt.Key.Key_J)
    qtbot.keyClick(window.ui.itemList, Qt.Key.Key_J)
    qtbot.keyClick(window.ui.itemList, Qt.Key.Key_K)
    assert window.ui.itemList.currentIndex().row() == start + 1
    assert window.detail.item.id == window.current_item_id()
    qtbot.keyClick(window.ui.itemList, Qt.Key.Key_Slash)
    assert window.ui.searchEdit.hasFocus()
    qtbot.keyClicks(window.ui.searchEdit, "jk")  # letters typed in a text box are text, not shortcuts
    assert window.ui.searchEdit.text() == "jk"
    assert window.ui.itemList.currentIndex().row() == start + 1
    window.ui.searchEdit.clear()
    window.ui.itemList.setFocus()
    qtbot.keyClick(window.ui.itemList, Qt.Key.Key_R)
    assert not window.composer.editor.hasFocus()  # offline demo: replies cannot be sent, the composer is off
    window.reply_blocked_reason = lambda item, account: ""
    window._update_item_controls()
    window.ui.itemList.setFocus()
    qtbot.keyClick(window.ui.itemList, Qt.Key.Key_R)
    assert window.composer.editor.hasFocus()


def test_command_palette_lists_every_action_and_runs_one(open_demo, qtbot):
    window = open_demo()
    qtbot.keyClick(window.ui.itemList, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    palette = window._palette
    labels_shown = palette.visible_labels()
    assert len(labels_shown) == len(window.actions_for_palette())
    assert any(label.startswith("Mark done") for label in labels_shown)
    qtbot.keyClicks(palette.ui.filterEdit, "show mentions")
    assert len(palette.visible_labels()) == 1
    qtbot.keyClick(palette.ui.filterEdit, Qt.Key.Key_Return)
    assert window.sidebar.current() == ("view", View.MENTIONS)


def test_search_box_and_its_messages(open_demo, qtbot):
    window = open_demo()
    window.sidebar.select_view(View.ALL)
    window.ui.searchEdit.setText("reponse")
    qtbot.waitUntil(lambda: window.model.query.search == "reponse", timeout=2000)
    assert window.model.rowCount() > 0
    texts = [window.store.item(window.model.row_at(r).id).text.lower() for r in range(window.model.rowCount())]
    assert all("réponse" in t or "reponse" in t for t in texts)
    window.ui.searchEdit.setText("-merci")
    qtbot.waitUntil(lambda: window.model.query.search == "-merci", timeout=2000)
    assert window.ui.searchHint.isVisibleTo(window) and "at least one word" in window.ui.searchHint.text()


def test_platform_text_is_shown_as_text(open_demo, qtbot):
    window = open_demo()
    account = window.store.accounts()[0]
    hostile = "<b>bold</b><img src='https://tracker.example/p.gif'><script>alert(1)</script>"
    window.store.ingest(account.id, [fresh_item(1, text=hostile, author="\u202eevil")])
    window.refresh_all()
    window.sidebar.select_view(View.ALL)
    window.select_row(0)
    assert window.detail.ui.bodyView.toPlainText() == hostile
    assert window.detail.ui.authorLabel.textFormat() == Qt.TextFormat.PlainText
    assert "\u202e" not in window.detail.ui.authorLabel.text()


def test_french_translation_loads(open_demo):
    window = open_demo(lang="fr")
    try:
        assert labels.view(View.UNANSWERED) == "Sans réponse"
        assert window.ui.menuFile.title() == "&Fichier"
        assert window.act_done.text() == "Marquer terminé / rouvrir"
        assert QCoreApplication.translate("Labels", "New") == "Nouveau"
    finally:
        for translator in QApplication.instance()._cmdesk_translators:
            QApplication.instance().removeTranslator(translator)


def test_starter_rule_reasons_and_alerts_are_shown_in_french(open_demo):
    window = open_demo(lang="fr")
    try:
        assert labels.rule_text("Threat or intimidation") == "Menace ou intimidation"
        assert labels.rule_text("Our own reason") == "Our own reason"  # a user's words stay theirs
        account = window.store.accounts()[0]
        threat = "Je sais où tu habites et je vais te retrouver"
        moderation = window.services.moderation
        result = window.store.ingest(
            account.id,
            [fresh_item(801, text=threat, author="\u202emal")],
            judge=moderation.judge_for(account),
            on_new=moderation.on_new,
        )
        window.apply_changes(result.changes | Changes(alerts=moderation.take_alerts()))
        banner = window.ui.banner.text()
        assert banner.startswith("Une menace attend dans la file de modération : ")
        assert "\u202e" not in banner and threat in banner
        window.go_to_item(result.new_ids[0])
        assert window.detail.ui.flagLabel.text().startswith("Signalé : Menace ou intimidation")
    finally:
        for translator in QApplication.instance()._cmdesk_translators:
            QApplication.instance().removeTranslator(translator)


def test_new_items_appear_on_top_without_moving_the_selection(open_demo, qtbot):
    window = open_demo()
    window.sidebar.select_view(View.ALL)
    window.select_row(3)
    selected = window.current_item_id()
    account = next(a for a in window.store.accounts() if a.platform == Platform.BLUESKY)
    result = window.store.ingest(account.id, [fresh_item(n) for n in (901, 902)])
    window.apply_changes(result.changes)
    assert window.current_item_id() == selected
    assert {window.model.row_at(0).id, window.model.row_at(1).id} == set(result.new_ids)


def test_going_back_to_the_selected_row_after_an_item_outside_the_list(open_demo):
    """The detail showed an item from outside the list; going back to the list's current row shows it."""
    window = open_demo()
    window.sidebar.select_view(View.UNANSWERED)
    listed = window.model.row_at(2).id
    window.go_to_item(listed)
    outside = next(r.id for r in window.store.page(InboxQuery(view=View.DONE), limit=50))
    assert window.model.row_of(outside) is None
    window.go_to_item(outside)
    assert window.detail.item.id == outside
    window.go_to_item(listed)  # its row is still the current one
    assert window.detail.item.id == listed


def test_rows_from_a_sync_are_read_off_the_ui_thread_and_nothing_is_lost(qtbot, store, account):
    """``insert_newer_later``: the rows are read on the worker thread; items that come while a
    read is on its way are read next; a list that changed meanwhile is read again."""
    import threading

    from cmdesk.gui.tasks import TaskRunner

    store.ingest(account.id, [make_item(n, minutes=1000 + n) for n in range(30)])
    model = InboxModel(store)
    model.set_accounts(store.accounts())
    model.set_query(InboxQuery())
    tasks = TaskRunner()
    read_on = []
    release = threading.Event()

    def run(fn, on_done, on_error):
        def read():
            read_on.append(threading.current_thread().name)
            release.wait(5)
            return fn()

        return tasks.run(read, on_done, on_error)

    store.ingest(account.id, [make_item(100 + n, minutes=-n) for n in range(5)])
    model.insert_newer_later(run)
    store.ingest(account.id, [make_item(200 + n, minutes=-10 - n) for n in range(3)])
    model.insert_newer_later(run)  # a read is on its way: this one waits for it
    assert model.rowCount() == 30  # nothing inserted before the rows are in
    release.set()
    qtbot.waitUntil(lambda: model.rowCount() == 38, timeout=5000)
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=5000)
    assert read_on and all(name.startswith("cmdesk-db") for name in read_on)
    keys = [model.row_at(n).key for n in range(model.rowCount())]
    assert keys == sorted(keys, reverse=True) and len({model.row_at(n).id for n in range(38)}) == 38
    # The top of the list changed while rows were read (a user's action, read at once): read again.
    release.clear()
    store.ingest(account.id, [make_item(300, minutes=-30)])
    model.insert_newer_later(run)
    store.ingest(account.id, [make_item(301, minutes=-31)])
    assert model.insert_newer() == 2
    release.set()
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=5000)
    assert model.rowCount() == 40
    assert len({model.row_at(n).id for n in range(40)}) == 40
    tasks.shutdown()


def test_an_empty_list_gets_its_first_page_from_the_worker(qtbot, store, account):
    from cmdesk.gui.tasks import TaskRunner

    model = InboxModel(store)
    model.set_accounts(store.accounts())
    model.set_query(InboxQuery())
    assert model.rowCount() == 0
    store.ingest(account.id, [make_item(n) for n in range(PAGE_SIZE + 20)])
    tasks = TaskRunner()
    model.insert_newer_later(tasks.run)
    qtbot.waitUntil(lambda: model.rowCount() == PAGE_SIZE, timeout=5000)
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == PAGE_SIZE + 20
    tasks.shutdown()


@pytest.fixture
def empty_window(qtbot, tmp_path):
    """A shown window on a new profile with one Mastodon account and nothing in it yet."""
    from cmdesk.gui.main_window import MainWindow
    from cmdesk.services.workspace import open_workspace

    workspace = open_workspace(tmp_path / "profile", lock=True)
    account = workspace.store.add_account(Platform.MASTODON, "Brand")
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, window)
    yield window, account
    close(window)


def test_the_first_rows_of_a_sync_select_the_top_one_after_they_are_shown(qtbot, empty_window):
    """An empty inbox filling from a first sync: the rows are inserted in one turn of the UI loop
    and the top one is selected and shown in the next (one long stall split in two)."""
    window, account = empty_window
    workspace = window.workspace
    assert window.model.rowCount() == 0 and window.detail.item is None
    result = workspace.store.ingest(account.id, [make_item(n) for n in range(5)])
    window.apply_changes(result.changes, background=True)
    qtbot.waitUntil(lambda: window.model.rowCount() == 5, timeout=5000)
    qtbot.waitUntil(lambda: window.detail.item is not None, timeout=5000)
    assert window.ui.itemList.currentIndex().row() == 0
    assert window.detail.item.id == window.model.row_at(0).id


def first_sync_delivers(qtbot, window, account, numbers) -> None:
    """One delivery of a first sync: ``numbers`` (a lower number is a newer item) stored, then shown."""
    result = window.workspace.store.ingest(account.id, [make_item(n) for n in numbers])
    before = window.model.rowCount()
    window.apply_changes(result.changes, background=True)
    qtbot.waitUntil(lambda: window.model.rowCount() == before + len(numbers), timeout=5000)


def settle(qtbot, window) -> None:
    """Past the pause after which a first sync's newest row is selected."""
    from cmdesk.gui.main_window import SETTLE_ON_NEWEST_MS

    qtbot.wait(SETTLE_ON_NEWEST_MS + 300)
    wait_idle(qtbot, window)


def test_when_a_first_sync_pauses_its_newest_row_is_selected(qtbot, empty_window):
    """Newer rows come in above the first one shown, which leaves the list's view: once they
    pause, the newest is selected, so that the detail pane shows a row the list shows."""
    window, account = empty_window
    first_sync_delivers(qtbot, window, account, range(20, 25))
    qtbot.waitUntil(lambda: window.detail.item is not None, timeout=5000)
    first_shown = window.detail.item.id
    first_sync_delivers(qtbot, window, account, range(10, 15))
    first_sync_delivers(qtbot, window, account, range(5, 10))
    assert window.detail.item.id == first_shown  # not redrawn at every delivery
    settle(qtbot, window)
    assert window.ui.itemList.currentIndex().row() == 0
    assert window.detail.item.text == "message number 5"

    first_sync_delivers(qtbot, window, account, range(5))  # after that, the selection stays put
    settle(qtbot, window)
    assert window.detail.item.text == "message number 5" and window.ui.itemList.currentIndex().row() == 5


def test_a_row_the_user_picks_during_a_first_sync_stays_selected(qtbot, empty_window):
    window, account = empty_window
    first_sync_delivers(qtbot, window, account, range(20, 25))
    qtbot.waitUntil(lambda: window.detail.item is not None, timeout=5000)
    window.ui.itemList.setCurrentIndex(window.model.index(3, 3))  # the user picks a row
    chosen = window.current_item_id()
    first_sync_delivers(qtbot, window, account, range(5))
    settle(qtbot, window)
    assert window.current_item_id() == chosen and window.detail.item.id == chosen


def test_a_list_opened_with_rows_keeps_its_selection_when_newer_ones_come(qtbot, empty_window):
    window, account = empty_window
    window.workspace.store.ingest(account.id, [make_item(n) for n in range(20, 25)])
    window.apply_query()  # opened with rows: the newest of them is selected
    shown = window.current_item_id()
    first_sync_delivers(qtbot, window, account, range(10, 15))
    settle(qtbot, window)
    assert window.current_item_id() == shown and window.ui.itemList.currentIndex().row() == 5


def test_a_refresh_of_the_shown_item_redraws_only_what_changed(qtbot, empty_window):
    """The shown item's status changes (read, answered elsewhere): its header follows, while the
    text the user selected and the conversation they scrolled stay as they were; a new message
    in the conversation is shown."""
    from PySide6.QtGui import QTextCursor

    window, account = empty_window
    store = window.workspace.store
    store.ingest(account.id, [make_item(n, thread="launch") for n in range(1, 30)])
    window.apply_query()
    detail = window.detail
    qtbot.waitUntil(lambda: detail.item is not None and not detail.sections_pending(), timeout=5000)
    cursor = detail.ui.bodyView.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(7, QTextCursor.MoveMode.KeepAnchor)
    detail.ui.bodyView.setTextCursor(cursor)
    thread_rows = detail.ui.threadView.model().rowCount()
    marker = Qt.ItemDataRole.UserRole + 50  # set on the conversation's first entry: gone if it is rebuilt
    detail.ui.threadView.model().item(0).setData("built before", marker)

    shown = detail.item.id
    window.apply_changes(store.set_status([shown], Status.OPEN, actor="elsewhere"))
    qtbot.waitUntil(lambda: not detail.sections_pending(), timeout=5000)
    assert detail.item.id == shown and labels.status(Status.OPEN) in detail.ui.metaLabel.text()
    assert detail.ui.bodyView.textCursor().selectedText() == "message"
    assert detail.ui.threadView.model().item(0).data(marker) == "built before"  # not rebuilt

    reply = make_item(0, thread="launch", text="Merci, c'est corrigé", is_own=True)
    store.ingest(account.id, [reply])
    window.apply_changes(Changes(items=frozenset({detail.item.id})))
    qtbot.waitUntil(lambda: not detail.sections_pending(), timeout=5000)
    assert detail.ui.threadView.model().rowCount() == thread_rows + 1
    assert "Merci, c'est corrigé" in detail.ui.threadView.model().item(thread_rows).text()


def test_the_banner_stays_its_time_after_the_latest_message_and_ends_with_the_window(qtbot, empty_window, monkeypatch):
    from cmdesk.gui import main_window

    monkeypatch.setattr(main_window, "ERROR_BANNER_MS", 400)
    monkeypatch.setattr(main_window, "ALERT_BANNER_MS", 400)
    window, _account = empty_window
    banner = window.ui.banner
    window.show_error("The server did not answer.")
    qtbot.wait(250)
    window.show_alert("A threat is waiting in the moderation queue.")
    qtbot.wait(250)  # past the first message's time, not the second's
    assert banner.isVisible() and "threat" in banner.text()
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=2000)

    window.show_alert("Another one.")
    window.close()  # the banner's timer belongs to the window: it stops now, and dies with it
    assert not window._banner_timer.isActive() and window._banner_timer.parent() is window


def test_an_accounts_change_during_a_sync_keeps_the_badges_and_counts_off_the_ui_thread(qtbot, empty_window):
    import threading

    from cmdesk.gui.sidebar import BadgeRole

    window, account = empty_window
    store = window.workspace.store
    store.ingest(account.id, [make_item(n) for n in range(6)])
    window.refresh_counts()
    badge = lambda: window.sidebar._account_items[account.id].data(BadgeRole)  # noqa: E731
    assert badge() == 6
    counted_on = []
    real_counts = store.counts
    window.store.counts = lambda: counted_on.append(threading.current_thread()) or real_counts()
    window.apply_changes(Changes(accounts=True), background=True)  # a sync changed an account's state
    assert badge() == 6  # the rebuilt entry keeps its number while the new one is counted
    wait_idle(qtbot, window)
    assert badge() == 6 and counted_on and threading.main_thread() not in counted_on


def test_closing_the_window_stops_filling_the_detail_pane(qtbot, empty_window):
    """The sections of the shown item are filled over the next turns of the loop; once the window
    is closed (and the store with it), none is read any more."""
    window, account = empty_window
    window.workspace.store.ingest(account.id, [make_item(n, thread="launch") for n in range(5)])
    window.apply_query()
    assert window.detail.sections_pending()
    window.close()
    assert not window.detail.sections_pending()


def test_a_long_sync_lets_go_of_unseen_rows_at_the_bottom_and_they_come_back(store, account):
    from cmdesk.gui.inbox_model import TRIM_PAST, TRIM_TO

    total = TRIM_PAST + 100
    store.ingest(account.id, [make_item(n, minutes=10_000 + n) for n in range(total)])
    model = InboxModel(store)
    model.set_accounts(store.accounts())
    model.set_query(InboxQuery())
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == total
    in_use = 10
    model.rows_in_use = lambda: in_use
    store.ingest(account.id, [make_item(50_000 + n, minutes=-n) for n in range(60)])
    assert model.insert_newer() == 60
    assert model.rowCount() == TRIM_TO and model.canFetchMore()
    assert model.row_of(model.row_at(TRIM_TO - 1).id) == TRIM_TO - 1  # positions are right after the cut
    while model.canFetchMore():  # scrolling down reads the rows let go, with no gap and no copy
        model.fetchMore()
    ids = [model.row_at(n).id for n in range(model.rowCount())]
    assert len(ids) == len(set(ids)) == total + 60
    keys = [model.row_at(n).key for n in range(model.rowCount())]
    assert keys == sorted(keys, reverse=True)
    # Rows the user has scrolled to or selected stay.
    in_use = TRIM_PAST + 50
    store.ingest(account.id, [make_item(60_000 + n, minutes=-100 - n) for n in range(5)])
    model.insert_newer()
    assert model.rowCount() == in_use + PAGE_SIZE + 1


def test_sync_progress_is_shown_at_a_steady_pace_and_the_end_at_once(qtbot, empty_window):
    """Progress comes after every batch (dozens a second): the newest is shown a moment later;
    a finished sync or a problem is shown at once."""
    from cmdesk.services.sync import AccountStatus, Phase

    window, account = empty_window
    label = window._status_label
    before = label.text()
    for fetched in (80, 160, 240):
        window._on_account_status(AccountStatus(account.id, Phase.SYNCING, fetched_this_poll=fetched))
    assert label.text() == before  # not yet: one redraw for the three
    qtbot.waitUntil(lambda: "240 items so far" in label.text(), timeout=3000)
    window._on_account_status(AccountStatus(account.id, Phase.SYNCING, fetched_this_poll=320))
    window._on_account_status(AccountStatus(account.id, Phase.OFFLINE, error="no network"))
    assert "offline" in label.text()  # at once, and the older progress is not shown after it
    qtbot.wait(400)
    assert "offline" in label.text()


def test_a_catch_up_is_redrawn_once_a_second_and_a_trickle_four_times_a_second(qtbot, empty_window):
    """Hundreds of new items between two redraws: the list and the sync's progress are redrawn
    once a second; when the flow slows down, four times a second again."""
    from cmdesk.core.models import Changes
    from cmdesk.gui.main_window import CATCH_UP_EVERY_MS, CATCH_UP_NEW_ITEMS, CHANGES_EVERY_MS

    window, account = empty_window
    workspace = window.workspace
    timers = (window._changes_timer, window._status_timer)
    new = workspace.store.ingest(account.id, [make_item(n) for n in range(CATCH_UP_NEW_ITEMS)]).new_ids
    window.queue_changes(Changes(new=frozenset(new), new_items=True, counts=True))
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=5000)
    assert [t.interval() for t in timers] == [CATCH_UP_EVERY_MS] * 2
    shown = window.model.rowCount()
    [one] = workspace.store.ingest(account.id, [make_item(CATCH_UP_NEW_ITEMS + 1, minutes=-1)]).new_ids
    window.queue_changes(Changes(new=frozenset({one}), new_items=True, counts=True))
    qtbot.waitUntil(lambda: window.model.rowCount() == shown + 1, timeout=5000)
    assert window.model.row_at(0).id == one
    assert [t.interval() for t in timers] == [CHANGES_EVERY_MS] * 2


def test_a_latest_read_runs_one_at_a_time_and_once_more_when_asked_meanwhile(caplog):
    from cmdesk.gui.tasks import LatestRead

    calls = []  # (read, done, failed) handed to the task runner, not yet run
    reads = LatestRead("the thing")

    def run(read, done, failed):
        calls.append((read, done, failed))

    shown = []
    start = lambda: (lambda: "value", shown.append)  # noqa: E731
    reads.request(run, start)
    reads.request(run, start)  # on its way: remembered, not run twice at once
    reads.request(run, start)
    assert len(calls) == 1
    read, done, _ = calls.pop()
    done(read())
    assert shown == ["value"] and len(calls) == 1  # once more, for the requests that waited
    read, done, _ = calls.pop()
    done(read())
    assert not calls  # nothing asked meanwhile: done
    reads.request(run, start)
    _, _, failed = calls.pop()
    failed(OSError("disk gone"))
    assert "cannot read the thing: disk gone" in caplog.text
    reads.request(run, start)  # a failure does not block the next read
    assert len(calls) == 1


def test_the_detail_sections_are_filled_a_turn_later_and_only_for_the_item_shown_last(open_demo, qtbot):
    window = open_demo()
    detail, store = window.detail, window.store

    def thread_of(item_id):
        return [row.id for row in store.thread_rows(store.item(item_id))]

    rows = [window.model.row_at(n).id for n in range(window.model.rowCount())]
    first = rows[0]
    second = next(i for i in rows if not set(thread_of(i)) & set(thread_of(first)))  # another conversation
    detail.show_item(first)
    assert detail.sections_pending() and detail.item.id == first  # the text at once, the rest after
    detail.show_item(second)  # before the first item's sections were filled: they never will be
    qtbot.waitUntil(lambda: not detail.sections_pending(), timeout=5000)
    thread = detail.ui.threadView.model()
    assert [thread.index(r, 0).data(ItemIdRole) for r in range(thread.rowCount())] == thread_of(second)
    author = store.item(second).author
    assert display_author(author.display_name, author.handle) in detail.ui.authorSummary.text()
    detail.show_item(first)
    detail.clear()  # nothing selected any more: nothing is filled
    QApplication.processEvents()
    assert not detail.sections_pending() and thread.rowCount() == 0


def test_every_shortcut_does_one_thing(open_demo):
    """Two actions on one key make Qt fire neither ("Ambiguous shortcut overload")."""
    window = open_demo()
    keys = [
        (shortcut.toString(), action.text())
        for action in window.actions()
        for shortcut in action.shortcuts()
        if not shortcut.isEmpty()
    ]
    taken: dict[str, str] = {}
    for key, name in keys:
        assert key not in taken, f"{key} is both {taken[key]!r} and {name!r}"
        taken[key] = name
    assert taken["F5"] == "Sync now" and taken["Ctrl+R"] == "Refresh"
