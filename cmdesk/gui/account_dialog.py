"""The "Add account" dialog (also "Sign in again"): the platform's sign-in flow, with progress and clear errors.

Every network call runs on a thread of its own (``Background``), never on the UI thread, and
can be cancelled: the attempt's HTTP client is closed and its late answer is ignored. On
success the result is stored by ``AccountManager.save`` on the window's DB thread (secrets to
the keyring, settings to the account row), and ``saved`` is emitted.

Mastodon: the instance's page opens in the browser; CMDesk waits for the browser to come
back to its loopback listener, or for the code the instance shows to be pasted (a browser on
another device). Bluesky: handle + app password. Matrix: user + password, or an access token.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QDialog, QLineEdit

from cmdesk.connectors.bluesky_session import DEFAULT_SERVICE as BLUESKY_SERVICE
from cmdesk.core.models import Account, Platform
from cmdesk.gui import icons
from cmdesk.gui.forms.account_dialog_ui import Ui_AccountDialog
from cmdesk.services import accounts as svc
from cmdesk.services.accounts import AccountManager, SignInProblem

log = logging.getLogger("cmdesk.gui.accounts")

BROWSER_WAIT_S = 600.0  # how long the loopback listener waits for the browser's answer
PAGES = {Platform.MASTODON: 0, Platform.BLUESKY: 1, Platform.MATRIX: 2}


class Bridge(QObject):
    """Hands the outcome of a worker thread to ``handler`` on the UI thread.

    It posts an event rather than emitting a signal: in PySide6 6.12 each Python-side
    ``Signal.emit()`` drops a reference to ``True`` (the bool it returns), and enough of them
    crash the interpreter (see the report). Outcomes wait in a thread-safe queue.
    """

    _EVENT = QEvent.Type(QEvent.registerEventType())

    def __init__(self, parent: QObject, handler: Callable[[object], None]):
        super().__init__(parent)
        self._handler = handler
        self._outcomes: queue.SimpleQueue = queue.SimpleQueue()

    def post(self, outcome: object) -> None:
        """Any thread: deliver ``outcome`` to the handler on the UI thread (dropped if the owner is gone)."""
        self._outcomes.put(outcome)
        try:
            if shiboken6.isValid(self):
                QCoreApplication.postEvent(self, QEvent(self._EVENT))
        except RuntimeError:
            pass  # the dialog and its bridge are gone: nobody is waiting for this answer

    def customEvent(self, event: QEvent) -> None:
        if event.type() != self._EVENT:
            return
        while True:
            try:
                outcome = self._outcomes.get_nowait()
            except queue.Empty:
                return
            self._handler(outcome)


class Background:
    """One blocking call on its own daemon thread; ``(job, ok, value)`` arrives through the bridge.

    ``cancel()`` only marks the job: the receiver ignores the answer of a cancelled job (the
    caller also closes its HTTP client so the thread ends soon).
    """

    def __init__(self, fn: Callable[[], object], bridge: Bridge, name: str):
        self.fn = fn
        self.bridge = bridge
        self.cancelled = False
        self.thread = threading.Thread(target=self._run, name=f"cmdesk-{name}", daemon=True)

    def start(self) -> Background:
        self.thread.start()
        return self

    def cancel(self) -> None:
        self.cancelled = True

    def _run(self) -> None:
        try:
            outcome = (self, True, self.fn())
        except BaseException as exc:  # delivered to the dialog, which explains it
            outcome = (self, False, exc)
        self.bridge.post(outcome)


class AccountDialog(QDialog):
    """Signals:
    saved(object): a ``services.accounts.Saved``: the account was added, or signed in again.
    """

    saved = Signal(object)

    def __init__(self, parent, manager: AccountManager, tasks, *, account: Account | None = None):
        super().__init__(parent)
        self.ui = Ui_AccountDialog()
        self.ui.setupUi(self)
        self.manager = manager
        self.tasks = tasks  # the window's TaskRunner: the DB worker thread
        self.account = account
        self.open_url: Callable[[str], object] = lambda url: QDesktopServices.openUrl(QUrl(url))
        self._bridge = Bridge(self, self._on_finished)
        self._job: Background | None = None
        self._next: Callable[[object], None] | None = None
        self._http = None
        self._flow = None  # the Mastodon sign-in in progress
        self._busy = False
        self._saving = False  # the result is being written (keyring, DB): too late to cancel
        self.problem_kind = ""  # the kind of the last problem shown ('' when none)
        ui = self.ui
        for platform in PAGES:
            ui.platformCombo.addItem(icons.platform_icon(platform), platform.label, str(platform))
        ui.platformCombo.currentIndexChanged.connect(lambda _: self._show_page())
        ui.tokenCheck.toggled.connect(self._token_mode)
        ui.signInButton.clicked.connect(self.sign_in)
        ui.cancelButton.clicked.connect(self.reject)
        ui.useCodeButton.clicked.connect(self._use_code)
        ui.codeEdit.returnPressed.connect(self._use_code)
        ui.openAgainButton.clicked.connect(lambda: self._flow and self.open_url(self._flow.authorize_url))
        ui.copyLinkButton.clicked.connect(lambda: self._copy(self._flow.authorize_url if self._flow else ""))
        ui.codePageButton.clicked.connect(lambda: self._copy(self._flow.oob_url if self._flow else ""))
        ui.errorLabel.setStyleSheet("color: #cf222e;")
        for label in (ui.mastodonHelp, ui.blueskyHelp, ui.matrixHelp, ui.introLabel):
            label.setStyleSheet("color: #57606a;")
        ui.serverEdit.setText(BLUESKY_SERVICE)  # accounts hosted by Bluesky sign in there
        if account is not None:
            self._prefill(account)
        self._token_mode(False)
        self._set_busy(False)
        self.resize(580, self.height())
        self._show_page()

    # -- layout

    def platform(self) -> Platform:
        return Platform(self.ui.platformCombo.currentData())  # Qt hands the StrEnum back as a str

    def set_platform(self, platform: Platform) -> None:
        self.ui.platformCombo.setCurrentIndex(self.ui.platformCombo.findData(str(platform)))

    def _prefill(self, account: Account) -> None:
        ui = self.ui
        self.setWindowTitle(self.tr("Sign in again — {0}").format(account.name))
        ui.introLabel.setText(
            self.tr("Sign in to {0} again as {1}. Its history and settings are kept.").format(
                account.platform.label, account.handle
            )
        )
        self.set_platform(account.platform)
        ui.platformCombo.setEnabled(False)
        ui.nameLabel.hide()
        ui.nameEdit.hide()
        if account.platform == Platform.MASTODON:
            ui.instanceEdit.setText(account.base_url)
            ui.adminCheck.setChecked("admin:write:accounts" in str(account.settings.get("scopes", "")).split())
        elif account.platform == Platform.BLUESKY:
            ui.handleEdit.setText(account.handle)
            ui.serverEdit.setText(account.base_url)
        elif account.platform == Platform.MATRIX:
            ui.homeserverEdit.setText(account.base_url)
            ui.userEdit.setText(account.handle)

    def _show_page(self) -> None:
        self.ui.pages.setCurrentIndex(PAGES[self.platform()])
        self._clear_messages()
        ui = self.ui
        fields = {
            Platform.MASTODON: (ui.instanceEdit,),
            Platform.BLUESKY: (ui.handleEdit, ui.appPasswordEdit),
            Platform.MATRIX: (ui.homeserverEdit, ui.userEdit, ui.matrixPasswordEdit),
        }[self.platform()]
        next((f for f in fields if not f.text()), fields[-1]).setFocus()  # the first field still to fill
        self._fit()

    def _fit(self) -> None:
        """Take the height of what is shown now: errors, progress and the browser box come and go."""
        layout = self.layout()
        layout.activate()
        width = self.width()
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else self.sizeHint().height()
        self.resize(width, max(height, layout.totalMinimumSize().height()))

    def _token_mode(self, on: bool) -> None:
        ui = self.ui
        ui.matrixPasswordLabel.setText(self.tr("Access &token") if on else self.tr("Pass&word"))
        ui.matrixPasswordEdit.clear()
        ui.userEdit.setPlaceholderText(self.tr("Optional with a token") if on else "@alice:matrix.org")

    def _set_busy(self, busy: bool, status: str = "") -> None:
        self._busy = busy
        ui = self.ui
        for widget in (ui.platformCombo, ui.nameEdit, ui.pages):
            widget.setEnabled(not busy)
        if self.account is not None:
            ui.platformCombo.setEnabled(False)
        ui.signInButton.setEnabled(not busy)
        ui.progressBar.setVisible(busy)
        ui.statusLabel.setText(status)
        ui.statusLabel.setVisible(bool(status))
        ui.cancelButton.setText(self.tr("Cancel sign-in") if busy else self.tr("Cancel"))
        ui.cancelButton.setEnabled(not self._saving)
        if not busy:
            ui.browserBox.hide()
            for widget in (ui.pages, ui.instanceEdit, ui.adminCheck):
                widget.setEnabled(True)
        self._fit()

    def _clear_messages(self) -> None:
        self.problem_kind = ""
        self.ui.errorLabel.clear()
        self.ui.errorLabel.hide()
        self._fit()

    def show_problem(self, problem: SignInProblem) -> None:
        """Say what went wrong, and put the cursor where it can be fixed."""
        self._saving = False
        self._set_busy(False)
        self.ui.errorLabel.setText(str(problem))
        self.ui.errorLabel.show()
        self._fit()
        self.problem_kind = problem.kind
        field = self._field_for(problem.kind)
        if field is not None:
            field.setFocus()
            if isinstance(field, QLineEdit):
                field.selectAll()

    def _field_for(self, kind: str):
        ui = self.ui
        platform = self.platform()
        server = {
            Platform.MASTODON: ui.instanceEdit,
            Platform.BLUESKY: ui.serverEdit,
            Platform.MATRIX: ui.homeserverEdit,
        }
        secret = {Platform.MASTODON: None, Platform.BLUESKY: ui.appPasswordEdit, Platform.MATRIX: ui.matrixPasswordEdit}
        if kind in ("address", "unreachable"):
            return server[platform]
        if kind in ("password", "two_factor", "app_password"):
            return secret[platform]
        if kind == "name":
            return ui.nameEdit
        if kind == "missing":
            edits = [e for e in ui.pages.currentWidget().findChildren(QLineEdit) if e.isVisible() and not e.text()]
            return edits[0] if edits else None
        return None

    # -- the flow

    def sign_in(self) -> None:
        if self._busy:
            return
        self._clear_messages()
        platform = self.platform()
        self._http = svc.sign_in_http(platform)
        http = self._http
        ui = self.ui
        try:
            if platform == Platform.MASTODON:
                flow = svc.mastodon_flow(ui.instanceEdit.text(), http=http, admin=ui.adminCheck.isChecked())
                self._flow = flow
                self._start(
                    lambda: (self.manager.require_keyring(), flow.prepare())[1],
                    self._on_prepared,
                    self.tr("Registering CMDesk with {0}…").format(flow.base_url),
                )
            elif platform == Platform.BLUESKY:
                handle, password, server = ui.handleEdit.text(), ui.appPasswordEdit.text(), ui.serverEdit.text()

                def bluesky():
                    self.manager.require_keyring()  # refuse before a session is opened that could not be kept
                    return svc.sign_in_bluesky(handle, password, server, http=http)

                self._start(
                    bluesky, self._on_signed_in, self.tr("Signing in to Bluesky as {0}…").format(handle.strip())
                )
            else:
                server, user, secret = ui.homeserverEdit.text(), ui.userEdit.text(), ui.matrixPasswordEdit.text()
                token_mode = ui.tokenCheck.isChecked()

                def matrix():
                    self.manager.require_keyring()
                    if token_mode:
                        return svc.sign_in_matrix(server, user, token=secret, http=http)
                    return svc.sign_in_matrix(server, user, secret, http=http)

                self._start(matrix, self._on_signed_in, self.tr("Signing in to {0}…").format(server.strip()))
        except SignInProblem as problem:  # a bad address is known before any network call
            self.show_problem(problem)

    def _start(self, fn: Callable[[], object], then: Callable[[object], None], status: str) -> None:
        self._next = then
        self._set_busy(True, status)
        self._job = Background(fn, self._bridge, "sign-in").start()

    def _on_finished(self, outcome: tuple) -> None:
        job, ok, value = outcome
        if job is not self._job or job.cancelled:
            return  # the answer of a cancelled or replaced attempt
        self._job = None
        if ok:
            self._next(value)
            return
        self._fail(value)

    def _fail(self, exc: BaseException) -> None:
        self._close_flow()
        try:
            problem = svc.problem_of(exc)
        except BaseException:
            log.error("sign-in failed", exc_info=exc)
            problem = SignInProblem(self.tr("The sign-in failed unexpectedly: {0}").format(exc))
        self.show_problem(problem)

    def _on_prepared(self, authorize_url: str) -> None:
        """Mastodon: the app is registered; the user approves in the browser (or pastes a code)."""
        from cmdesk.connectors.mastodon_auth import OOB_REDIRECT

        flow = self._flow
        ui = self.ui
        ui.pages.setEnabled(True)
        for widget in (ui.instanceEdit, ui.adminCheck):
            widget.setEnabled(False)
        ui.browserBox.show()
        loopback = flow.redirect_uri != OOB_REDIRECT
        ui.openAgainButton.setVisible(loopback)
        ui.copyLinkButton.setVisible(loopback)
        ui.browserLabel.setVisible(loopback)
        if loopback:
            self._start(
                lambda: flow.wait_for_browser(BROWSER_WAIT_S),
                self._on_signed_in,
                self.tr("Waiting for your approval in the browser…"),
            )
            ui.pages.setEnabled(True)
            self.open_url(authorize_url)
        else:  # no loopback listener: the instance shows a code to paste
            self._set_busy(True, self.tr("Approve CMDesk on the instance's page, then paste the code it shows."))
            ui.pages.setEnabled(True)
            ui.browserBox.show()
            self._job = None
            self.open_url(flow.oob_url)
        ui.codeEdit.setFocus()
        self._fit()

    def _use_code(self) -> None:
        from cmdesk.connectors.mastodon_auth import OOB_REDIRECT

        flow, code = self._flow, self.ui.codeEdit.text().strip()
        if flow is None or not code:
            return
        if self._job is not None:
            self._job.cancel()  # the browser wait is abandoned: the pasted code finishes the sign-in
        flow.cancel()
        redirect = flow.redirect_uri if code.startswith(flow.redirect_uri) else OOB_REDIRECT
        self._start(lambda: flow.finish(code, redirect_uri=redirect), self._on_signed_in, self.tr("Signing in…"))

    def _on_signed_in(self, result) -> None:
        """The platform accepted: store the account (DB thread; the keyring may take a moment)."""
        self._close_flow()
        platform, name = self.platform(), self.ui.nameEdit.text()
        account_id = self.account.id if self.account is not None else None
        self._saving = True
        self._set_busy(True, self.tr("Signed in as {0}; saving…").format(result.handle))
        self.tasks.run(
            lambda: self.manager.save(platform, result, name=name, account_id=account_id),
            self._on_saved,
            self._on_save_failed,
        )

    def _on_saved(self, saved) -> None:
        self._saving = False
        self._set_busy(False)
        self.saved.emit(saved)
        self.accept()

    def _on_save_failed(self, exc: Exception) -> None:
        if isinstance(exc, SignInProblem):
            self.show_problem(exc)
        else:
            self._fail(exc)

    # -- cancelling and closing

    def cancel_sign_in(self) -> None:
        """Stop the attempt in progress (its late answer is ignored); the form stays filled in."""
        if self._job is not None:
            self._job.cancel()
            self._job = None
        if self._http is not None:
            self._http.close()  # retries and waits stop; a request in flight ends with an error nobody reads
        self._close_flow()
        self._set_busy(False, self.tr("Sign-in cancelled."))

    def _close_flow(self) -> None:
        if self._flow is not None:
            self._flow.cancel()
            self._flow.close()
            self._flow = None

    def reject(self) -> None:
        if self._saving:
            return  # the keyring and the DB are being written: a moment, and the dialog closes by itself
        if self._busy:
            self.cancel_sign_in()  # the first Cancel (or Esc) stops the sign-in; the next one closes
            return
        self._close_flow()
        super().reject()

    def closeEvent(self, event) -> None:
        if self._job is not None or self._flow is not None:
            self.cancel_sign_in()
        super().closeEvent(event)

    def _copy(self, text: str) -> None:
        if text:
            QGuiApplication.clipboard().setText(text)
            self.ui.statusLabel.setText(self.tr("Address copied."))
            self.ui.statusLabel.show()
