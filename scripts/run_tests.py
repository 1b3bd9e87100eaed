"""The whole test suite, as CI runs it: lint, then pytest — inside a private D-Bus session with an
unlocked GNOME Keyring when those are installed, so keyring tests use a real Secret Service.

Usage: .venv/bin/python scripts/run_tests.py [pytest arguments]   (what `make test` runs)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INNER = "CMDESK_TESTS_INNER"


def in_keyring_session() -> bool:
    return bool(os.environ.get(INNER))


def main(argv: list[str]) -> int:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    if not in_keyring_session():
        lint = subprocess.run([str(Path(sys.executable).with_name("ruff")), "check", "."], cwd=ROOT)
        if lint.returncode:
            print("ruff found problems (see above); fix them first.", file=sys.stderr)
            return lint.returncode
        forms = subprocess.run([sys.executable, "scripts/check_generated.py"], cwd=ROOT)
        if forms.returncode:
            return forms.returncode
        if shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon"):
            # A fresh session bus, and a keyring unlocked with a throw-away password, for this run only.
            script = (
                'eval "$(printf cmdesk-test | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null; '
                'export GNOME_KEYRING_CONTROL; exec "$@"'
            )
            env[INNER] = "1"
            command = ["dbus-run-session", "--", "sh", "-c", script, "sh", sys.executable, __file__, *argv]
            return subprocess.run(command, cwd=ROOT, env=env).returncode
        print("note: no dbus-run-session/gnome-keyring-daemon: keyring tests will be skipped", file=sys.stderr)
    home = ROOT / ".pytest_cache" / "home"  # the tests never touch the real user's profile or keyring
    home.mkdir(parents=True, exist_ok=True)
    env.setdefault("XDG_DATA_HOME", str(home / "data"))
    env.setdefault("XDG_CONFIG_HOME", str(home / "config"))
    return subprocess.run([sys.executable, "-m", "pytest", *argv], cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
