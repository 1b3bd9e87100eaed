"""Account settings: sync interval, the platform's own options, sign in again, sign out, remove.

Only settings a connector actually reads are offered: the sync interval (every platform),
what "Ban author" does on Mastodon (suspend or silence), and which rooms a Matrix account
syncs. Which notifications come in is fixed by each connector, so it is shown, not offered.
Sign-out and removal talk to the platform (revoking the session), so they run on a
background thread with a progress bar; the window's running sync follows the change.
"""

from __future__ import annotations

from concurrent.futures import TimeoutError as FutureTimeout

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from cmdesk.core.models import Changes, Platform, View, from_millis
from cmdesk.gui import icons
from cmdesk.gui.account_dialog import Background, Bridge
from cmdesk.gui.accounts_ui import restart_syncing, stop_syncing
from cmdesk.gui.forms.account_settings_ui import Ui_AccountSettings
from cmdesk.services.accounts import SignInProblem

STOP_WAIT_S = 30.0  # how long a removal waits for the account's sync to stop


class AccountSettingsDialog(QDialog):
    """The settings of one account (chosen in the dialog), and its sign-in, sign-out and removal."""

    def __init__(self, window, feature, account_id: int):
        super().__init__(window)
        self.ui = Ui_AccountSettings()
        self.ui.setupUi(self)
        self.window_ = window
        self.feature = feature
        self.manager = feature.manager
        self._bridge = Bridge(self, self._on_finished)
        self._job: Background | None = None
        self._then = None
        ui = self.ui
        ui.banTypeCombo.addItem(self.tr("Suspend the account"), "suspend")
        ui.banTypeCombo.addItem(self.tr("Silence (limit) the account"), "silence")
        ui.banTypeHelp.setText(
            self.tr("What “Ban author” does. It needs a sign-in with moderator rights (Sign in again…).")
        )
        ui.intervalSpin.setSuffix(self.tr(" s"))
        ui.defaultIntervalCheck.setText(
            self.tr("Use the workspace's interval ({0} s)").format(window.workspace.settings.get("sync_interval_s"))
        )
        ui.defaultIntervalCheck.toggled.connect(lambda on: ui.intervalSpin.setEnabled(not on))
        ui.errorLabel.setStyleSheet("color: #cf222e;")
        for label in (ui.intervalHelp, ui.banTypeHelp, ui.roomsHelp, ui.notificationsLabel):
            label.setStyleSheet("color: #57606a;")
        ui.accountCombo.currentIndexChanged.connect(lambda _: self._load())
        ui.saveButton.clicked.connect(self.save)
        ui.closeButton.clicked.connect(self.reject)
        ui.signInAgainButton.clicked.connect(self.sign_in_again)
        ui.signOutButton.clicked.connect(self.sign_out)
        ui.removeButton.clicked.connect(self.remove)
        self._fill_accounts(account_id)
        self._set_busy(False)
        self.resize(580, 520)

    # -- showing an account

    def _fill_accounts(self, selected: int | None) -> None:
        combo = self.ui.accountCombo
        combo.blockSignals(True)
        combo.clear()
        for account in self.window_.store.accounts():
            combo.addItem(icons.platform_icon(account.platform), account.name, account.id)
        index = combo.findData(selected)
        combo.setCurrentIndex(max(0, index))
        combo.blockSignals(False)
        self._load()

    def account_id(self) -> int | None:
        return self.ui.accountCombo.currentData()

    def _load(self) -> None:
        ui = self.ui
        ui.errorLabel.hide()
        account_id = self.account_id()
        if account_id is None:
            return
        store = self.window_.store
        account = store.account(account_id)
        self.account = account
        ui.infoLabel.setText(f"{account.platform.label} · {account.handle}\n{account.base_url}")
        ui.stateLabel.setText(self._state_text(account))
        interval = account.settings.get("sync_interval_s")
        ui.defaultIntervalCheck.setChecked(interval is None)
        ui.intervalSpin.setEnabled(interval is not None)
        ui.intervalSpin.setValue(int(interval) if interval is not None else self._default_interval())
        ui.mastodonBox.setVisible(account.platform == Platform.MASTODON)
        ui.banTypeCombo.setCurrentIndex(max(0, ui.banTypeCombo.findData(account.settings.get("ban_type", "suspend"))))
        ui.matrixBox.setVisible(account.platform == Platform.MATRIX)
        ui.roomsEdit.setPlainText("\n".join(str(r) for r in account.settings.get("rooms") or []))
        ui.notificationsLabel.setText(self._synced_text(account.platform))

    def _default_interval(self) -> int:
        return int(self.window_.workspace.settings.get("sync_interval_s"))

    def _state_text(self, account) -> str:
        state = self.window_.store.sync_state(account.id)
        items = self.window_.store.counts().total_by_account.get(account.id, 0)
        if state.last_success_at:
            when = from_millis(state.last_success_at).astimezone().strftime("%Y-%m-%d %H:%M")
            text = self.tr("Last synced {0} · {1} items in CMDesk").format(when, items)
        else:
            text = self.tr("Not synced yet · {0} items in CMDesk").format(items)
        if state.needs_signin:
            text += "\n" + self.tr("Signed out or session ended: sign in again to sync. {0}").format(state.error)
        elif state.error:
            text += "\n" + self.tr("Last problem: {0}").format(state.error)
        return text

    def _synced_text(self, platform: Platform) -> str:
        # What each connector fetches: fixed by the connector, so shown rather than offered.
        return {
            Platform.MASTODON: self.tr("Synced: mentions, replies and direct messages."),
            Platform.BLUESKY: self.tr("Synced: replies, mentions and quotes of this account's posts."),
            Platform.MATRIX: self.tr("Synced: the messages of the rooms above (replies, mentions, direct messages)."),
        }.get(platform, "")

    # -- busy state

    def _set_busy(self, busy: bool) -> None:
        ui = self.ui
        ui.progressBar.setVisible(busy)
        for widget in (
            ui.accountCombo,
            ui.syncBox,
            ui.mastodonBox,
            ui.matrixBox,
            ui.saveButton,
            ui.signInAgainButton,
            ui.signOutButton,
            ui.removeButton,
        ):
            widget.setEnabled(not busy)

    def _run(self, fn, then) -> None:
        self._then = then
        self._set_busy(True)
        self.ui.errorLabel.hide()
        self._job = Background(fn, self._bridge, "account").start()

    def _on_finished(self, outcome: tuple) -> None:
        job, ok, value = outcome
        if job is not self._job:
            return
        self._job = None
        self._set_busy(False)
        if ok:
            self._then(value)
        else:
            self._show_error(value)

    def _show_error(self, exc: BaseException) -> None:
        self.ui.errorLabel.setText(str(exc) or type(exc).__name__)
        self.ui.errorLabel.show()

    # -- actions

    def save(self) -> None:
        ui = self.ui
        account = self.account
        values: dict = {"sync_interval_s": None if ui.defaultIntervalCheck.isChecked() else ui.intervalSpin.value()}
        if account.platform == Platform.MASTODON:
            values["ban_type"] = ui.banTypeCombo.currentData()
        if account.platform == Platform.MATRIX:
            values["rooms"] = ui.roomsEdit.toPlainText().splitlines()

        def saved(updated) -> None:
            self._set_busy(False)
            restart_syncing(self.window_.services, updated)
            self.window_.apply_changes(Changes(accounts=True))
            self.window_.statusBar().showMessage(self.tr("Settings of {0} saved.").format(updated.name), 6000)
            self.accept()

        def failed(exc: Exception) -> None:
            self._set_busy(False)
            self._show_error(exc)

        self._set_busy(True)
        self.window_.tasks.run(lambda: self.manager.update_settings(account.id, **values), saved, failed)

    def sign_in_again(self) -> None:
        dialog = self.feature.add_account(self.account)
        dialog.saved.connect(self._reload)  # a bound method: disconnected if this dialog is gone first

    def _reload(self, _saved=None) -> None:
        self._fill_accounts(self.account_id())

    def sign_out(self) -> None:
        account = self.account
        if not self.confirm(
            self.tr("Sign out"),
            self.tr(
                "Sign out of {0}? CMDesk ends the session on {1} and deletes the password or token from your "
                "keyring. The history stays on this computer; sign in again to sync."
            ).format(account.name, account.platform.label),
        ):
            return

        def done(_account) -> None:
            restart_syncing(self.window_.services, account)
            self.window_.apply_changes(Changes(accounts=True))
            self.window_.statusBar().showMessage(self.tr("Signed out of {0}.").format(account.name), 6000)
            self._load()

        self._run(lambda: self.manager.sign_out(account.id), done)

    def remove(self) -> None:
        account = self.account
        items = self.window_.store.counts().total_by_account.get(account.id, 0)
        if not self.confirm(
            self.tr("Remove account"),
            self.tr(
                "Remove {0} ({1} {2})? Its {3} items, with their notes and tags, are deleted from this computer, "
                "and its password or token from your keyring. This cannot be undone."
            ).format(account.name, account.platform.label, account.handle, items),
            danger=True,
        ):
            return
        services = self.window_.services

        def work() -> str:
            stopping = stop_syncing(services, account.id)
            if stopping is not None:
                try:
                    stopping.result(STOP_WAIT_S)  # the sync of this account has stopped before its rows go
                except FutureTimeout:
                    raise SignInProblem(
                        QCoreApplication.translate(
                            "AccountSettingsDialog",
                            "The account is still busy syncing; nothing was removed. Try again.",
                        )
                    ) from None
            return self.manager.remove(account.id)

        def done(note: str) -> None:
            window = self.window_
            if window.sidebar.current() == ("account", account.id):
                window.sidebar.select_view(View.ALL)
            window.apply_changes(Changes(accounts=True, counts=True))
            window.apply_query()  # its items leave the list
            window.statusBar().showMessage(self.tr("Removed {0}.").format(account.name), 8000)
            if note:
                window.show_error(note)
            if window.store.accounts():
                self._fill_accounts(None)
            else:
                self.accept()

        self._run(work, done)

    def confirm(self, title: str, text: str, *, danger: bool = False) -> bool:
        """Ask Yes/No; names and handles come from platforms, so the text is shown as plain text."""
        box = QMessageBox(QMessageBox.Icon.Warning if danger else QMessageBox.Icon.Question, title, text, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No if danger else QMessageBox.StandardButton.Yes)
        return box.exec() == QMessageBox.StandardButton.Yes

    def reject(self) -> None:
        if self._job is not None:
            return  # a sign-out or removal is half-way: it finishes, then the dialog can close
        super().reject()
