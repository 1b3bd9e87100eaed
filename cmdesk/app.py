"""The composition root: builds the workspace, the services and the window, then runs Qt + qasync.

This is the only module besides ``cmdesk.gui`` that touches Qt. ``python -m cmdesk``,
``cmdesk-gui`` and ``cmdesk gui``/``cmdesk demo`` all end up in ``main``.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import shutil
import sys
from pathlib import Path

from cmdesk import APP_ID, __version__, resources
from cmdesk.core.memory import settle_startup_objects
from cmdesk.core.redaction import SecretFilter
from cmdesk.profile import Profile, Settings, resolve
from cmdesk.store.errors import StoreError

log = logging.getLogger("cmdesk")
DEMO_MARKER = "demo-profile"


def setup_logging(profile: Profile) -> None:
    """Log to ``<profile>/logs/cmdesk.log`` (rotated), with secrets scrubbed from every line."""
    profile.logs.mkdir(parents=True, exist_ok=True, mode=0o700)
    handler = logging.handlers.RotatingFileHandler(
        profile.logs / "cmdesk.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    os.chmod(profile.logs / "cmdesk.log", 0o600)


def reset_demo(root: Path) -> None:
    """Delete a demo profile so the demo starts over; refuses any folder that is not a demo profile."""
    if not (root / DEMO_MARKER).exists():
        if any(root.glob("*")):
            raise StoreError(f"{root} is not a demo profile; --reset only starts a demo over.")
        return
    shutil.rmtree(root)


def create_application(argv: list[str] | None = None):
    os.environ.setdefault("QT_API", "pyside6")  # qasync reads it to pick the binding
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from cmdesk.gui import icons

    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setApplicationName("CMDesk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("CMDesk")
    QGuiApplication.setDesktopFileName(APP_ID)
    app.setWindowIcon(icons.app_icon())
    style = resources.path("styles", "cmdesk.qss")
    if style.exists():
        app.setStyleSheet(style.read_text("utf-8"))
    return app


def open_window(root: Path, *, demo: bool = False, lang: str | None = None, offline: bool = False):
    """Open the profile at ``root`` and build the main window (used by ``main`` and by tests).

    Returns ``(window, services)``; raises ``StoreError`` with a user-facing message.
    """
    from cmdesk.gui import i18n
    from cmdesk.gui.main_window import MainWindow
    from cmdesk.services.workspace import open_workspace

    app = create_application()
    settings = Settings(Profile(root).settings_path) if (root / "settings.json").exists() else None
    language = i18n.choose_language(settings.get("language") if settings else "system", lang)
    app._cmdesk_translators = i18n.install(app, language)
    workspace = open_workspace(root, lock=True)
    try:
        services = build_services(workspace, root, demo=demo, offline=offline)
        window = MainWindow(workspace, demo=demo, services=services)
    except BaseException:
        workspace.close()
        raise
    return window, services


def build_services(workspace, root: Path, *, demo: bool, offline: bool):
    """The services the window drives: sync, outbox, rules — and for the demo, its simulators."""
    from cmdesk.services.runtime import Services

    if not demo:
        return Services(workspace)
    from cmdesk.services.demo_live import DemoSession, DemoWorld, read_epoch

    epoch = read_epoch(root / DEMO_MARKER)
    if offline:
        # No simulators: the demo history is written straight through Store.ingest, as a sync would.
        services = Services(workspace, demo=True, offline=True)
        if not workspace.store.accounts():
            from cmdesk.services.demo import seed_store

            seed_store(workspace.store, judge_for=services.moderation.judge_for, now=epoch)
        return services
    world = DemoWorld(epoch)
    world.start()
    services = Services(workspace, demo=True, make_connector=world.connector)
    DemoSession(world, services, root)
    return services


def _show_startup_error(text: str) -> None:
    """Say why CMDesk cannot start: on stderr always, and in a dialog when there is a screen."""
    print(f"cmdesk: {text}", file=sys.stderr)
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QMessageBox

    create_application()
    if QGuiApplication.platformName() in ("offscreen", "minimal"):
        return  # nobody could click the dialog away
    box = QMessageBox(QMessageBox.Icon.Critical, "CMDesk", text)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def main(
    profile: str | None = None,
    *,
    lang: str | None = None,
    demo: bool = False,
    reset: bool = False,
    offline: bool = False,
) -> int:
    root = resolve(profile, demo=demo)
    try:
        if demo and reset and root.exists():
            reset_demo(root)
        Profile(root).ensure()
        setup_logging(Profile(root))
        log.info("CMDesk %s starting on %s", __version__, root)
        window, services = open_window(root, demo=demo, lang=lang, offline=offline)
    except StoreError as exc:
        logging.getLogger("cmdesk").error("cannot start: %s", exc)
        _show_startup_error(str(exc))
        return 2
    import asyncio

    import qasync

    from cmdesk.gui.network import watch_network

    app = create_application()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)
    window.show()
    settle_startup_objects()
    with loop:
        services.start(loop)
        watch_network(services.set_online)
        loop.run_until_complete(closing.wait())
        loop.run_until_complete(services.stop())
    close_event_loop(loop)
    window.workspace.close()
    return 0


def close_event_loop(loop) -> None:
    """Close a qasync loop for good, here on the UI thread.

    qasync's ``close`` only marks its timer object stopped: the Qt timers of waits still pending
    (a poll's sleep, a retry) stay registered until they fire. If that object is then garbage
    collected on another thread, Qt cannot unregister them there, and the next one to fire calls
    a deleted object: the process crashes (seen in the GUI tests, a few runs in a hundred).
    Deleting the object now, on its own thread, unregisters them."""
    import asyncio

    import shiboken6

    if not loop.is_closed():
        loop.close()
    asyncio.set_event_loop(None)
    timer = getattr(loop, "_timer", None)  # qasync's timer object (private: no public way to reach it)
    if timer is not None and shiboken6.isValid(timer):
        shiboken6.delete(timer)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
