"""The dependency direction of DESIGN.md: nothing below the GUI loads Qt."""

import subprocess
import sys

import pytest

HEADLESS = [
    "cmdesk.core.models",
    "cmdesk.core.text",
    "cmdesk.core.query",
    "cmdesk.store.store",
    "cmdesk.cli",
    "cmdesk.cli.items",
    "cmdesk.cli.db",
    "cmdesk.services.workspace",
    "cmdesk.services.export",
    "cmdesk.services.demo",
    "cmdesk.connectors.http",
    "cmdesk.connectors.base",
    "cmdesk.secrets",
    "cmdesk.store.templates",
    "cmdesk.services.templates",
    "cmdesk.cli.templates",
    "cmdesk.services.accounts",
    "cmdesk.cli.accounts",
    "cmdesk.cli.sync",
]


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_layers_do_not_import_qt(module):
    code = f"import sys, {module}; bad = [m for m in sys.modules if m.startswith(('PySide6', 'qasync'))]; print(bad)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_core_imports_nothing_of_ours_but_core():
    code = (
        "import sys, cmdesk.core.models, cmdesk.core.text, cmdesk.core.query, cmdesk.core.redaction; "
        "print(sorted(m for m in sys.modules if m.startswith('cmdesk.') and not m.startswith('cmdesk.core')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    code = "import sys, cmdesk.core.models; print([m for m in ('sqlalchemy', 'requests') if m in sys.modules])"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "[]"


def test_the_qt_binding_keeps_none_and_true_alive():
    """PySide6 6.12.0 on Python 3.11 leaks references *away* from None and True at each call and
    signal emit until the interpreter aborts; pyproject.toml keeps it out. This catches a regression."""
    code = (
        "import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen';"
        "from PySide6.QtCore import QObject, Signal\n"
        "class O(QObject):\n    s = Signal()\n"
        "o = O(); n, t = sys.getrefcount(None), sys.getrefcount(True)\n"
        "for _ in range(200): o.setObjectName('x'); o.s.emit()\n"
        "print(sys.getrefcount(None) - n >= 0 and sys.getrefcount(True) - t >= 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "True", out.stderr
