"""Update the translation sources from the code and compile them for shipping.

    python scripts/build_translations.py          # lupdate (new strings into .ts) + lrelease (.ts -> .qm)
    python scripts/build_translations.py --release-only

The .ts files in resources/translations/ are the sources translators edit (Qt Linguist);
the .qm files next to them are what the app loads, committed so a checkout runs as is.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGES = ("fr",)


def _tool(name: str) -> str:
    return str(Path(sys.executable).with_name(f"pyside6-{name}"))


def sources() -> list[str]:
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "cmdesk" / "gui").rglob("*.py") if "forms" not in p.parts)
    # Sentences the services mark with QT_TRANSLATE_NOOP("Services", ...) and the GUI shows.
    files += sorted(str(p.relative_to(ROOT)) for p in (ROOT / "cmdesk" / "services").rglob("*.py"))
    return files + sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").glob("*.ui"))


def update() -> None:
    for lang in LANGUAGES:
        ts = TRANSLATIONS / f"cmdesk_{lang}.ts"
        subprocess.run(
            [
                _tool("lupdate"),
                *sources(),
                "-no-obsolete",
                "-locations",
                "none",
                "-target-language",
                lang,
                "-ts",
                str(ts),
            ],
            cwd=ROOT,
            check=True,
        )


def release(ts: Path, qm: Path) -> None:
    subprocess.run([_tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], cwd=ROOT, check=True)


def stale() -> list[str]:
    """Compiled files that do not match their source."""
    found = []
    for lang in LANGUAGES:
        ts, qm = TRANSLATIONS / f"cmdesk_{lang}.ts", TRANSLATIONS / f"cmdesk_{lang}.qm"
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / qm.name
            release(ts, fresh)
            if not qm.exists() or qm.read_bytes() != fresh.read_bytes():
                found.append(str(qm.relative_to(ROOT)))
    return found


def main(argv: list[str]) -> int:
    if "--release-only" not in argv:
        update()
    for lang in LANGUAGES:
        release(TRANSLATIONS / f"cmdesk_{lang}.ts", TRANSLATIONS / f"cmdesk_{lang}.qm")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
