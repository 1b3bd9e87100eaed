"""Fails when a generated file is older than its source: a form not rebuilt after editing ui/*.ui,
or compiled translations not rebuilt after editing resources/translations/*.ts."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_forms
import build_translations


def main() -> int:
    stale = []
    for ui_file in sorted(build_forms.UI_DIR.glob("*.ui")):
        target = build_forms.target_for(ui_file)
        if not target.exists() or target.read_text("utf-8") != build_forms.compile_form(ui_file):
            stale.append(f"{target.relative_to(build_forms.ROOT)} (run `make forms`)")
    stale += [f"{path} (run `make translations`)" for path in build_translations.stale()]
    for line in stale:
        print(f"stale generated file: {line}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
