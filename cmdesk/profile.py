"""A profile: the folder that holds one workspace's database, settings, logs and backups.

Where it is: ``--profile DIR``, else ``$CMDESK_HOME``, else the platform's data folder
(``~/.local/share/CMDesk/profiles/default`` on Linux). The demo workspace has its own
profile next to it, so it never mixes with real accounts.

Only one CMDesk runs per profile: the GUI (and any command that syncs or sends) holds an
exclusive lock on ``cmdesk.lock``; a second one is told which process has it.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from cmdesk.store.errors import ProfileInUse, ProfileNotWritable

DB_NAME = "cmdesk.db"
SETTINGS_NAME = "settings.json"
LOCK_NAME = "cmdesk.lock"


def data_root() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("CMDesk", appauthor=False))


def resolve(profile: str | os.PathLike | None = None, *, demo: bool = False) -> Path:
    """The profile folder for a command line's ``--profile`` (or the environment, or the default)."""
    if profile:
        return Path(profile).expanduser().resolve()
    if demo:
        return data_root() / "profiles" / "demo"
    env = os.environ.get("CMDESK_HOME")
    if env:
        return Path(env).expanduser().resolve()
    return data_root() / "profiles" / "default"


@dataclass(frozen=True)
class Profile:
    root: Path

    @property
    def db_path(self) -> Path:
        return self.root / DB_NAME

    @property
    def settings_path(self) -> Path:
        return self.root / SETTINGS_NAME

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def id(self) -> str:
        """Stable name of this profile (keyring entries are kept per profile)."""
        return str(self.root)

    def ensure(self) -> Profile:
        """Create the folder (mode 0700) or explain why it cannot be."""
        try:
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
            probe = self.root / ".write-test"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise ProfileNotWritable(
                f"CMDesk cannot use the profile folder {self.root}: {exc.strerror or exc}. "
                "Choose another one with --profile DIR or CMDESK_HOME."
            ) from exc
        return self


class ProfileLock:
    """An exclusive, advisory lock on a profile, released when the process ends (even if killed)."""

    def __init__(self, profile: Profile):
        self.path = profile.root / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> ProfileLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock_fd(fd)
        except OSError:
            holder = ""
            try:
                holder = os.pread(fd, 64, 0).decode("ascii", "ignore").strip()
            except OSError:
                pass
            os.close(fd)
            who = f" (process {holder})" if holder else ""
            raise ProfileInUse(
                f"CMDesk is already running with the profile {self.path.parent}{who}. "
                "Switch to that window, or close it first; only one CMDesk may use a profile at a time."
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the lock
            self._fd = None

    def __enter__(self) -> ProfileLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _lock_fd(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


# ---- settings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    kind: type
    choices: tuple = ()
    doc: str = ""


# The declarative schema of settings (qutebrowser's habit): types, defaults, documentation.
SCHEMA: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting("language", "system", str, ("system", "en", "fr"), "Language of the interface."),
        Setting("agent_name", "", str, doc="Your name, as it appears in notes, the audit log and {agent.name}."),
        Setting("brand", "", str, doc="Your brand's name, for {brand} in reply templates."),
        Setting("sync_interval_s", 60, int, doc="Seconds between two polls of an idle account."),
        Setting("archive", "keep", str, ("keep",), doc="What happens to old items: everything is kept."),
        Setting("confirm_delete", True, bool, doc="Ask before deleting an item on its platform."),
        Setting("queue_order", "newest", str, ("newest", "severity"), "Moderation queue: newest or most severe first."),
        Setting("custom_fields", {}, dict, doc="Extra template variables: name -> value."),
    )
}


class Settings:
    """Settings of one profile, in ``settings.json`` (mode 0600, written atomically)."""

    def __init__(self, path: Path):
        self.path = path
        self._values: dict = {}
        self.problem = ""
        if path.exists():
            try:
                loaded = json.loads(path.read_text("utf-8"))
                if not isinstance(loaded, dict):
                    raise ValueError("not a JSON object")
                self._values = loaded
            except (OSError, ValueError) as exc:
                # Keep the unreadable file aside rather than overwrite what the user may want back.
                self.problem = f"The settings file {path} could not be read ({exc}); defaults are used."
                try:
                    path.replace(path.with_suffix(".json.unreadable"))
                except OSError:
                    pass

    def get(self, name: str):
        spec = SCHEMA[name]
        value = self._values.get(name, spec.default)
        if not isinstance(value, spec.kind) or (spec.choices and value not in spec.choices):
            return spec.default
        return value

    def set(self, name: str, value) -> None:
        spec = SCHEMA[name]
        if not isinstance(value, spec.kind) or (spec.choices and value not in spec.choices):
            raise ValueError(f"{name} must be {spec.kind.__name__}" + (f" in {spec.choices}" if spec.choices else ""))
        self._values[name] = value
        self.save()

    def save(self) -> None:
        tmp = self.path.with_suffix(".json.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(self._values, out, indent=2, ensure_ascii=False, sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, self.path)

    def agent(self) -> str:
        """The name recorded as the actor of the user's actions."""
        if self.get("agent_name"):
            return self.get("agent_name")
        try:
            import getpass

            return getpass.getuser()
        except Exception:  # no user name in some containers
            return "agent"
