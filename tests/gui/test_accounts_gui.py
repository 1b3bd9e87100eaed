"""The Add-account dialog and account settings, against the platform simulators on 127.0.0.1.

Credentials go to an in-memory secret store here (the dialog's manager is swapped), so these
run anywhere; ``test_keyring.py`` covers the real OS keyring.
"""

from __future__ import annotations

import asyncio
import re
import socket
import threading
from datetime import UTC, datetime
from functools import partial

import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from cmdesk.app import close_event_loop, open_window
from cmdesk.connectors.simulators.bluesky import BlueskySimulator
from cmdesk.connectors.simulators.mastodon import MastodonSimulator
from cmdesk.connectors.simulators.matrix import MatrixSimulator
from cmdesk.connectors.simulators.server import Faults, SimulatorServer
from cmdesk.core.models import ItemKind, Platform
from cmdesk.gui.account_settings import AccountSettingsDialog
from cmdesk.gui.accounts_ui import AccountsFeature, restart_syncing
from cmdesk.secrets import HOW_TO_GET_A_KEYRING, Vault
from cmdesk.services.accounts import AccountManager
from cmdesk.services.sync import Phase
from tests.conftest import make_item
from tests.conftest import until as until_in_loop
from tests.gui.conftest import close, wait_idle


class MemorySecrets:
    """A ``SecretStore`` stand-in: same vault API, values in a dict."""

    def __init__(self):
        self.values: dict[tuple[str, str], str] = {}

    def set(self, uid: str, name: str, value: str) -> None:
        self.values[(uid, name)] = value

    def get(self, uid: str, name: str) -> str | None:
        return self.values.get((uid, name))

    def delete(self, uid: str, name: str) -> None:
        self.values.pop((uid, name), None)

    def vault(self, uid: str, names=()) -> Vault:
        return Vault(self, uid, names)


@pytest.fixture
def secrets():
    return MemorySecrets()


@pytest.fixture
def window(qtbot, tmp_path, secrets):
    win, _services = open_window(tmp_path / "profile")
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    feature(win).manager = AccountManager(win.store, secrets, keyring_check=lambda: (True, "memory"))
    yield win
    close(win)


def feature(win) -> AccountsFeature:
    return win.findChild(AccountsFeature)


@pytest.fixture
def bluesky():
    with BlueskySimulator() as sim:
        yield sim


@pytest.fixture
def mastodon():
    with MastodonSimulator(owner_role="user") as sim:
        yield sim


@pytest.fixture
def matrix():
    with MatrixSimulator() as sim:
        yield sim


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def add_dialog(win, platform: Platform):
    dialog = feature(win).add_account()
    dialog.set_platform(platform)
    return dialog


def submit(qtbot, dialog) -> None:
    """Click Sign in and wait until the attempt ends (dialog closed, or an error shown)."""
    qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible() or not dialog.ui.progressBar.isVisible(), timeout=15000)


def fill_bluesky(dialog, sim, password: str, server: str | None = None) -> None:
    dialog.ui.handleEdit.setText(sim.owner_handle)
    dialog.ui.appPasswordEdit.setText(password)
    dialog.ui.serverEdit.setText(server or sim.base_url)


def browser(url: str) -> None:
    """The system browser: the simulated instance approves at once and redirects to CMDesk's listener."""
    threading.Thread(target=requests.get, args=(url,), kwargs={"timeout": 10}, daemon=True).start()


# ---- menus ------------------------------------------------------------------------------------------


def test_file_menu_and_palette_offer_the_account_actions(window):
    texts = [a.text() for a in window.ui.menuFile.actions()]
    assert texts[:2] == ["Add account…", "Account settings…"]
    palette = [a.text() for a in window.actions_for_palette()]
    assert "Add account…" in palette and "Account settings…" in palette


def test_account_settings_without_an_account_opens_the_add_dialog(window):
    dialog = feature(window).open_settings()
    assert dialog.windowTitle() == "Add account"


# ---- Bluesky ------------------------------------------------------------------------------------------


def test_bluesky_sign_in_adds_the_account(window, qtbot, bluesky, secrets):
    dialog = add_dialog(window, Platform.BLUESKY)
    fill_bluesky(dialog, bluesky, bluesky.app_password)
    dialog.ui.nameEdit.setText("Bakery on Bluesky")
    with qtbot.waitSignal(dialog.saved, timeout=15000) as saved:
        qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)
    assert saved.args[0].created
    account = window.store.account_by_name("Bakery on Bluesky")
    assert account.platform == Platform.BLUESKY and account.handle == bluesky.owner_handle
    assert account.settings["did"] == bluesky.owner_did
    assert {name for _uid, name in secrets.values} == {"access_jwt", "refresh_jwt"}
    assert all(value not in str(account.settings) for value in secrets.values.values())
    assert not dialog.isVisible()
    assert "Bakery on Bluesky" in window.statusBar().currentMessage()
    assert account.id in window.sidebar._account_items  # the sidebar lists it


@pytest.mark.parametrize(
    ("password", "two_factor", "kind", "phrase"),
    [
        ("nope-nope-nope-nope", False, "password", "did not accept this handle and password"),
        ("main", False, "app_password", "looks like your main Bluesky password"),
        ("main", True, "two_factor", "sign-in codes"),
    ],
)
def test_bluesky_credential_errors(window, qtbot, password, two_factor, kind, phrase):
    with BlueskySimulator(email_2fa=two_factor) as sim:
        dialog = add_dialog(window, Platform.BLUESKY)
        fill_bluesky(dialog, sim, sim.main_password if password == "main" else password)
        submit(qtbot, dialog)
        assert dialog.isVisible() and dialog.problem_kind == kind
        assert phrase in dialog.ui.errorLabel.text()
        assert dialog.ui.appPasswordEdit.hasFocus()  # the field to fix
        assert dialog.ui.signInButton.isEnabled()
    assert window.store.accounts() == []


def test_bluesky_server_errors(window, qtbot):
    dialog = add_dialog(window, Platform.BLUESKY)
    dialog.ui.handleEdit.setText("alice.example.org")
    dialog.ui.appPasswordEdit.setText("abcd-efgh-ijkl-mnop")
    dialog.ui.serverEdit.setText("http://pds.example.org")  # plain http to another host: refused before any call
    submit(qtbot, dialog)
    assert dialog.problem_kind == "address" and "plain http://" in dialog.ui.errorLabel.text()
    assert dialog.ui.serverEdit.hasFocus()

    dialog.ui.serverEdit.setText(f"http://127.0.0.1:{free_port()}")
    submit(qtbot, dialog)
    assert dialog.problem_kind == "unreachable" and "Cannot reach" in dialog.ui.errorLabel.text()

    with SimulatorServer() as not_a_pds:
        dialog.ui.serverEdit.setText(not_a_pds.base_url)
        submit(qtbot, dialog)
    assert "does not answer like a Bluesky" in dialog.ui.errorLabel.text()
    assert window.store.accounts() == []


def test_without_a_keyring_nothing_is_signed_in(window, qtbot, bluesky, secrets):
    feature(window).manager = AccountManager(window.store, secrets, keyring_check=lambda: (False, HOW_TO_GET_A_KEYRING))
    dialog = add_dialog(window, Platform.BLUESKY)
    fill_bluesky(dialog, bluesky, bluesky.app_password)
    submit(qtbot, dialog)
    assert dialog.problem_kind == "keyring"
    assert "gnome-keyring" in dialog.ui.errorLabel.text()
    assert bluesky.create_session_count == 0  # refused before a session was opened
    assert window.store.accounts() == [] and secrets.values == {}


def test_cancel_stops_a_slow_sign_in(window, qtbot):
    with BlueskySimulator(faults=Faults(latency=0.5)) as sim:
        dialog = add_dialog(window, Platform.BLUESKY)
        fill_bluesky(dialog, sim, sim.app_password)
        qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)
        job = dialog._job
        assert dialog.ui.progressBar.isVisible() and not dialog.ui.signInButton.isEnabled()
        assert dialog.ui.cancelButton.text() == "Cancel sign-in"
        qtbot.mouseClick(dialog.ui.cancelButton, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()  # the first Cancel stops the attempt, the dialog stays
        assert dialog.ui.statusLabel.text() == "Sign-in cancelled." and dialog.ui.signInButton.isEnabled()
        job.thread.join(15)
        qtbot.wait(50)  # the late answer reaches the UI thread, and is ignored
    assert window.store.accounts() == []
    qtbot.mouseClick(dialog.ui.cancelButton, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


# ---- Mastodon ----------------------------------------------------------------------------------------


def test_mastodon_sign_in_through_the_browser(window, qtbot, mastodon, secrets):
    dialog = add_dialog(window, Platform.MASTODON)
    opened = []
    dialog.open_url = lambda url: (opened.append(url), browser(url))
    dialog.ui.instanceEdit.setText(mastodon.base_url)
    with qtbot.waitSignal(dialog.saved, timeout=15000):
        qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)
    assert "/oauth/authorize?" in opened[0] and "code_challenge_method=S256" in opened[0]
    account = window.store.accounts()[0]
    assert account.handle == mastodon.owner_handle and account.settings["account_id"] == mastodon.owner_id
    assert {name for _uid, name in secrets.values} == {"access_token", "client_id", "client_secret"}


def test_mastodon_sign_in_with_a_pasted_code(window, qtbot, mastodon, secrets):
    dialog = add_dialog(window, Platform.MASTODON)
    dialog.open_url = lambda url: None  # the browser is on another device
    dialog.ui.instanceEdit.setText(mastodon.base_url)
    qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.ui.browserBox.isVisible, timeout=15000)
    assert dialog.ui.progressBar.isVisible() and dialog.ui.codeEdit.isEnabled()
    dialog.grab().save(str(window.workspace.profile.root / "mastodon-waiting.png"))
    qtbot.mouseClick(dialog.ui.codePageButton, Qt.MouseButton.LeftButton)
    page = requests.get(QGuiApplication.clipboard().text(), timeout=10).text
    dialog.ui.codeEdit.setText(re.search(r"value='([^']+)'", page).group(1))
    with qtbot.waitSignal(dialog.saved, timeout=15000):
        qtbot.mouseClick(dialog.ui.useCodeButton, Qt.MouseButton.LeftButton)
    assert window.store.accounts()[0].handle == mastodon.owner_handle
    assert len(secrets.values) == 3


def test_mastodon_errors(window, qtbot, mastodon):
    dialog = add_dialog(window, Platform.MASTODON)
    dialog.open_url = browser
    with SimulatorServer() as not_mastodon:
        dialog.ui.instanceEdit.setText(not_mastodon.base_url)
        submit(qtbot, dialog)
    assert "does not look like a Mastodon server" in dialog.ui.errorLabel.text()
    assert dialog.ui.instanceEdit.isEnabled() and not dialog.ui.browserBox.isVisible()

    dialog.ui.instanceEdit.setText(f"http://127.0.0.1:{free_port()}")
    submit(qtbot, dialog)
    assert dialog.problem_kind == "unreachable"

    mastodon.deny_authorization = True
    dialog.ui.instanceEdit.setText(mastodon.base_url)
    submit(qtbot, dialog)
    assert "did not authorise CMDesk" in dialog.ui.errorLabel.text()
    assert window.store.accounts() == []


# ---- Matrix ------------------------------------------------------------------------------------------


def fill_matrix(dialog, sim, password: str) -> None:
    dialog.ui.homeserverEdit.setText(sim.base_url)
    dialog.ui.userEdit.setText(sim.owner_handle)
    dialog.ui.matrixPasswordEdit.setText(password)


def test_matrix_password_sign_in(window, qtbot, matrix, secrets):
    dialog = add_dialog(window, Platform.MATRIX)
    fill_matrix(dialog, matrix, matrix.owner_password)
    with qtbot.waitSignal(dialog.saved, timeout=15000):
        qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)
    account = window.store.accounts()[0]
    assert account.handle == matrix.owner_handle and account.settings["user_id"] == matrix.owner_handle
    assert [name for _uid, name in secrets.values] == ["access_token"]


def test_matrix_access_token_sign_in(window, qtbot, matrix, secrets):
    dialog = add_dialog(window, Platform.MATRIX)
    dialog.ui.tokenCheck.setChecked(True)
    assert dialog.ui.matrixPasswordLabel.text() == "Access &token"
    dialog.ui.homeserverEdit.setText(matrix.base_url)
    dialog.ui.matrixPasswordEdit.setText(matrix.owner_token)
    with qtbot.waitSignal(dialog.saved, timeout=15000):
        qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)
    assert list(secrets.values.values()) == [matrix.owner_token]


def test_matrix_errors(window, qtbot, matrix):
    dialog = add_dialog(window, Platform.MATRIX)
    fill_matrix(dialog, matrix, "wrong password")
    submit(qtbot, dialog)
    assert dialog.problem_kind == "password" and "did not accept" in dialog.ui.errorLabel.text()

    matrix.login_extra_stage = "m.login.email.identity"
    dialog.ui.matrixPasswordEdit.setText(matrix.owner_password)
    submit(qtbot, dialog)
    assert dialog.problem_kind == "two_factor"

    matrix.login_flows = [{"type": "m.login.sso"}]
    submit(qtbot, dialog)
    assert dialog.problem_kind == "app_password" and "access token" in dialog.ui.errorLabel.text()

    with SimulatorServer() as not_matrix:
        dialog.ui.homeserverEdit.setText(not_matrix.base_url)
        submit(qtbot, dialog)
    assert dialog.problem_kind == "address" and "not a Matrix homeserver" in dialog.ui.errorLabel.text()
    assert dialog.ui.homeserverEdit.hasFocus()

    dialog.ui.homeserverEdit.setText(matrix.base_url)
    dialog.ui.matrixPasswordEdit.clear()
    submit(qtbot, dialog)
    assert dialog.problem_kind == "missing" and dialog.ui.matrixPasswordEdit.hasFocus()
    assert window.store.accounts() == []


# ---- signing in again, settings, sign-out, removal -----------------------------------------------


def add_matrix_account(window, qtbot, sim):
    dialog = add_dialog(window, Platform.MATRIX)
    fill_matrix(dialog, sim, sim.owner_password)
    with qtbot.waitSignal(dialog.saved, timeout=15000):
        qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)
    return window.store.accounts()[0]


def test_sign_in_again_keeps_the_account_and_refuses_another_user(window, qtbot, matrix, secrets):
    account = add_matrix_account(window, qtbot, matrix)
    old_token = next(iter(secrets.values.values()))
    matrix.add_user("intruder", "Someone Else", "another password")
    dialog = feature(window).add_account(account)
    assert not dialog.ui.platformCombo.isEnabled() and not dialog.ui.nameEdit.isVisible()
    assert dialog.ui.homeserverEdit.text() == account.base_url and dialog.ui.userEdit.text() == account.handle
    dialog.ui.userEdit.setText("intruder")
    dialog.ui.matrixPasswordEdit.setText("another password")
    submit(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.problem_kind == "mismatch", timeout=5000)
    assert "but “" in dialog.ui.errorLabel.text()

    dialog.ui.userEdit.setText(account.handle)
    dialog.ui.matrixPasswordEdit.setText(matrix.owner_password)
    with qtbot.waitSignal(dialog.saved, timeout=15000) as saved:
        qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)
    assert not saved.args[0].created and len(window.store.accounts()) == 1
    assert next(iter(secrets.values.values())) != old_token


def test_settings_save_the_interval_and_the_rooms(window, qtbot, matrix):
    account = add_matrix_account(window, qtbot, matrix)
    dialog = feature(window).open_settings(account.id)
    assert dialog.ui.matrixBox.isVisibleTo(dialog) and not dialog.ui.mastodonBox.isVisibleTo(dialog)
    assert dialog.ui.defaultIntervalCheck.isChecked() and not dialog.ui.intervalSpin.isEnabled()
    dialog.grab().save(str(window.workspace.profile.root / "settings.png"))
    dialog.ui.defaultIntervalCheck.setChecked(False)
    dialog.ui.intervalSpin.setValue(300)
    dialog.ui.roomsEdit.setPlainText("not a room")
    qtbot.mouseClick(dialog.ui.saveButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.ui.errorLabel.isVisible, timeout=5000)
    assert "not a room id" in dialog.ui.errorLabel.text() and dialog.isVisible()

    dialog.ui.roomsEdit.setPlainText("#community:cmdesk.test\n\n")
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        qtbot.mouseClick(dialog.ui.saveButton, Qt.MouseButton.LeftButton)
    settings = window.store.account(account.id).settings
    assert settings["sync_interval_s"] == 300 and settings["rooms"] == ["#community:cmdesk.test"]
    assert settings["user_id"] == matrix.owner_handle  # what the sign-in stored is kept


def test_mastodon_settings_choose_what_a_ban_does(window, qtbot, mastodon):
    dialog = add_dialog(window, Platform.MASTODON)
    dialog.open_url = browser
    dialog.ui.instanceEdit.setText(mastodon.base_url)
    with qtbot.waitSignal(dialog.saved, timeout=15000):
        qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)
    account = window.store.accounts()[0]
    settings = feature(window).open_settings(account.id)
    assert settings.ui.mastodonBox.isVisibleTo(settings) and not settings.ui.matrixBox.isVisibleTo(settings)
    settings.ui.banTypeCombo.setCurrentIndex(settings.ui.banTypeCombo.findData("silence"))
    with qtbot.waitSignal(settings.finished, timeout=5000):
        qtbot.mouseClick(settings.ui.saveButton, Qt.MouseButton.LeftButton)
    assert window.store.account(account.id).settings["ban_type"] == "silence"


def test_sign_out_deletes_the_credentials_and_keeps_the_history(window, qtbot, matrix, secrets, monkeypatch):
    account = add_matrix_account(window, qtbot, matrix)
    monkeypatch.setattr(AccountSettingsDialog, "confirm", lambda self, title, text, danger=False: True)
    dialog = feature(window).open_settings(account.id)
    qtbot.mouseClick(dialog.ui.signOutButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not secrets.values and dialog.ui.signOutButton.isEnabled(), timeout=10000)
    state = window.store.sync_state(account.id)
    assert state.needs_signin and "Signed out" in state.error
    assert "sign in again" in dialog.ui.stateLabel.text()
    assert window.store.accounts() == [window.store.account(account.id)]


def test_remove_deletes_account_history_and_credentials(window, qtbot, matrix, secrets, monkeypatch):
    account = add_matrix_account(window, qtbot, matrix)
    asked = []
    monkeypatch.setattr(
        AccountSettingsDialog, "confirm", lambda self, title, text, danger=False: asked.append(text) or bool(asked[1:])
    )
    window.store.ingest(account.id, [make_item(n) for n in range(3)])
    window.sidebar.select_account(account.id)
    dialog = feature(window).open_settings()
    assert dialog.account_id() == account.id  # the account selected in the sidebar
    qtbot.mouseClick(dialog.ui.removeButton, Qt.MouseButton.LeftButton)
    assert "3 items" in asked[0] and window.store.accounts()  # answered No: nothing removed
    with qtbot.waitSignal(dialog.finished, timeout=10000):  # the last account: the dialog closes
        qtbot.mouseClick(dialog.ui.removeButton, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert window.store.accounts() == [] and secrets.values == {} and window.store.item_count() == 0
    assert account.id not in window.sidebar._account_items
    assert window.model.rowCount() == 0


# ---- the running window picks up what the dialogs changed ---------------------------------------------


@pytest.fixture
def live_window(qtbot, tmp_path, secrets):
    """A window whose services run on the qasync loop, as in the app (the test body runs on that loop)."""
    import qasync
    from PySide6.QtWidgets import QApplication

    from cmdesk.gui.main_window import MainWindow
    from cmdesk.services.runtime import Services
    from cmdesk.services.workspace import open_workspace

    workspace = open_workspace(tmp_path / "live", lock=True)
    manager = AccountManager(workspace.store, secrets, keyring_check=lambda: (True, "memory"))
    services = Services(workspace, make_connector=manager.connector)
    win = MainWindow(workspace, services=services)
    feature(win).manager = manager
    qtbot.addWidget(win)
    win.show()
    loop = qasync.QEventLoop(QApplication.instance())
    asyncio.set_event_loop(loop)
    yield win, loop
    loop.run_until_complete(services.stop())
    close(win)
    close_event_loop(loop)


until = partial(until_in_loop, timeout=15.0)  # this module's waits are longer


def test_the_running_window_follows_sign_in_sign_out_and_sign_in_again(live_window, bluesky):
    win, loop = live_window
    services = win.services
    bluesky.seed_incoming(
        author_id="did:plc:alice",
        author_name="Alice",
        author_handle="alice.test",
        text="Are you open on Sunday?",
        created_at=datetime.now(UTC),
        kind=ItemKind.MENTION,
    )

    def phase(account_id):
        status = services.sync.status(account_id)
        return status.phase if status else None

    async def scenario():
        services.start(asyncio.get_running_loop())
        await until(lambda: services.running)
        dialog = add_dialog(win, Platform.BLUESKY)
        fill_bluesky(dialog, bluesky, bluesky.app_password)
        dialog.ui.signInButton.click()
        await until(lambda: win.store.accounts())
        account = win.store.accounts()[0]
        # A new account: it syncs at once, its capabilities are read, and the list shows its item.
        await until(lambda: win.store.counts().total_by_account.get(account.id) == 1)
        await until(lambda: services.capabilities(account.id) is not None and win.model.rowCount() == 1)

        # Signed out (what the settings dialog does): the account waits for a new sign-in.
        await asyncio.get_running_loop().run_in_executor(None, feature(win).manager.sign_out, account.id)
        restart_syncing(services, account)
        await until(lambda: phase(account.id) == Phase.NEEDS_SIGNIN)

        # Signed in again from the dialog: a fresh runner syncs again.
        again = feature(win).add_account(account)
        again.ui.appPasswordEdit.setText(bluesky.app_password)
        again.ui.signInButton.click()
        await until(lambda: phase(account.id) not in (None, Phase.NEEDS_SIGNIN))
        await until(lambda: phase(account.id) == Phase.IDLE and not win.store.sync_state(account.id).needs_signin)

    loop.run_until_complete(scenario())
