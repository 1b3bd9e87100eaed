"""Features that attach themselves to the main window: menus, actions, composer hooks.

Each module named here has ``install(window)``; the window calls it once, after building
itself. A feature is added by writing its module and naming it here (MusicBrainz Picard's
extension points, kept to a plain list).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator

FEATURES = (
    "cmdesk.gui.templates_ui",
    "cmdesk.gui.accounts_ui",
    "cmdesk.gui.moderation_ui",
)


def installers() -> Iterator[Callable]:
    for name in FEATURES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # that feature is not part of this build
            raise
        yield module.install
