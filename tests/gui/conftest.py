"""GUI fixtures: a real window on a real demo profile, offscreen."""

from __future__ import annotations

import pytest

from cmdesk.app import open_window


@pytest.fixture
def open_demo(qtbot, tmp_path):
    """``open_demo(lang=None)`` opens (or reopens) the demo window on one profile for the test."""
    opened = []

    def _open(lang: str | None = "en", root=None):
        window, _services = open_window(root or tmp_path / "demo", demo=True, lang=lang, offline=True)
        qtbot.addWidget(window)
        window.resize(1400, 860)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=3000)  # window shortcuts need an active window
        opened.append(window)
        return window

    yield _open
    for window in opened:
        close(window)


def close(window) -> None:
    from shiboken6 import isValid

    workspace = window.workspace
    if isValid(window) and window.isVisible():
        window.close()
    workspace.close()


def fresh_item(n: int, **fields):
    """An item newer than every demo item (the demo is dated from the real clock)."""
    from dataclasses import replace
    from datetime import timedelta

    from cmdesk.core.models import utcnow
    from tests.conftest import make_item

    return replace(make_item(n, **fields), created_at=utcnow() + timedelta(seconds=n))


def wait_idle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.tasks.pending == 0, timeout=5000)
