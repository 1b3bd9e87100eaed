"""Account management in the window: File → "Add account…" and "Account settings…".

Also the glue that makes the *running* sync follow what the dialogs changed: a new account
starts syncing, an account signed in again (or whose settings changed, or that signed out)
gets a fresh runner and connector, a removed account stops before its rows are deleted.
The services run on the app's asyncio loop (qasync: the UI thread); everything is scheduled
there with ``call_soon_threadsafe`` / ``run_coroutine_threadsafe`` so it is safe from any thread.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future

from PySide6.QtCore import QCoreApplication, QObject

from cmdesk.core.models import Account, Changes

log = logging.getLogger("cmdesk.gui.accounts")


def install(window) -> None:
    AccountsFeature(window)


class AccountsFeature(QObject):
    """The account actions of one window (found with ``window.findChild(AccountsFeature)``).

    ``manager`` is the ``AccountManager`` the dialogs use (tests swap in one over an in-memory
    secret store).
    """

    def __init__(self, window):
        super().__init__(window)
        self.setObjectName("accountsFeature")
        self.window = window
        self._manager = None  # built on first use: sign-in code is not needed to start the app
        self.dialog = None  # the dialog currently open (kept alive while it is)
        menu = window.ui.menuFile
        first = next(iter(menu.actions()), None)
        self.act_add = window.add_action(
            QCoreApplication.translate("Accounts", "Add account…"), lambda: self.add_account(), None, menu
        )
        self.act_settings = window.add_action(
            QCoreApplication.translate("Accounts", "Account settings…"), lambda: self.open_settings(), None, menu
        )
        if first is not None:  # account entries head the File menu, above Export and Quit
            for action in (self.act_add, self.act_settings):
                menu.removeAction(action)
                menu.insertAction(first, action)
            menu.insertSeparator(first)

    @property
    def manager(self):
        if self._manager is None:
            from cmdesk.services.accounts import AccountManager

            self._manager = AccountManager.for_workspace(self.window.workspace)
        return self._manager

    @manager.setter
    def manager(self, value) -> None:
        self._manager = value

    # -- dialogs

    def add_account(self, account: Account | None = None):
        """The sign-in dialog: a new account, or ``account`` signed in again."""
        from cmdesk.gui.account_dialog import AccountDialog

        dialog = AccountDialog(self.window, self.manager, self.window.tasks, account=account)
        dialog.saved.connect(self.on_saved)
        dialog.finished.connect(lambda _: dialog.deleteLater())
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_settings(self, account_id: int | None = None):
        from cmdesk.gui.account_settings import AccountSettingsDialog

        accounts = self.window.store.accounts()
        if not accounts:
            self.window.statusBar().showMessage(
                QCoreApplication.translate("Accounts", "No account yet: add one first."), 6000
            )
            return self.add_account()
        if account_id is None:
            entry = self.window.sidebar.current()
            account_id = entry[1] if entry and entry[0] == "account" else accounts[0].id
        dialog = AccountSettingsDialog(self.window, self, account_id)
        dialog.finished.connect(lambda _: dialog.deleteLater())
        self.dialog = dialog
        dialog.open()
        return dialog

    # -- after a dialog changed something

    def on_saved(self, saved) -> None:
        services = self.window.services
        if saved.created:
            start_syncing(services, saved.account)
            text = QCoreApplication.translate("Accounts", "Added {0}. Its messages arrive with the next sync.")
        else:
            restart_syncing(services, saved.account)
            text = QCoreApplication.translate("Accounts", "{0} is signed in again.")
        self.window.apply_changes(Changes(accounts=True))
        self.window.statusBar().showMessage(text.format(saved.account.name), 8000)


# ---- the running services -----------------------------------------------------------------------


def start_syncing(services, account: Account) -> bool:
    """A new account: give it a sync runner and read what it may do."""
    return services is not None and services.account_added(account)


def restart_syncing(services, account: Account) -> Future | None:
    """After a new sign-in, a sign-out or a settings change: a fresh connector and runner."""
    return services.account_changed(account.id) if services is not None else None


def stop_syncing(services, account_id: int) -> Future | None:
    """Before a removal: the account's runner stops, so no poll writes into rows being deleted."""
    return services.account_removed(account_id) if services is not None else None
