"""Compile the Qt Designer files in ui/ into cmdesk/gui/forms/*_ui.py (committed, never edited by hand).

Run after changing a .ui file: `make forms`. tests/gui/test_forms.py fails when a form is stale.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI_DIR = ROOT / "ui"
FORMS_DIR = ROOT / "cmdesk" / "gui" / "forms"
HEADER = "# Generated from ui/{name} by scripts/build_forms.py — do not edit.\n"


def uic_binary() -> str:
    return str(Path(sys.executable).with_name("pyside6-uic"))


def compile_form(ui_file: Path) -> str:
    """The Python module text for one .ui file."""
    result = subprocess.run(
        [uic_binary(), "--generator", "python", "--no-autoconnection", str(ui_file)],
        check=True,
        capture_output=True,
        text=True,
    )
    lines = [line for line in result.stdout.splitlines() if not line.startswith("## Created by: Qt User Interface")]
    return HEADER.format(name=ui_file.name) + "\n".join(lines) + "\n"


def target_for(ui_file: Path) -> Path:
    return FORMS_DIR / f"{ui_file.stem}_ui.py"


def main() -> int:
    FORMS_DIR.mkdir(parents=True, exist_ok=True)
    (FORMS_DIR / "__init__.py").touch()
    for ui_file in sorted(UI_DIR.glob("*.ui")):
        target_for(ui_file).write_text(compile_form(ui_file), encoding="utf-8")
        print(f"{ui_file.relative_to(ROOT)} -> {target_for(ui_file).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
