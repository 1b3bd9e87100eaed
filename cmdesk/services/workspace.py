"""Opening a profile headless: its settings, its store, and (for writers) its lock."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cmdesk.profile import Profile, ProfileLock, Settings
from cmdesk.store.store import Store


@dataclass
class Workspace:
    profile: Profile
    settings: Settings
    store: Store
    lock: ProfileLock | None = None

    @property
    def agent(self) -> str:
        return self.settings.agent()

    def close(self) -> None:
        self.store.close()
        if self.lock:
            self.lock.release()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_workspace(root: Path, *, lock: bool = False) -> Workspace:
    """Open (creating if needed) the profile at ``root``.

    ``lock=True`` for anything that syncs or sends (the GUI, ``cmdesk sync``): only one such
    process per profile. Readers (search, export, stats) share the profile safely.
    Raises the store's errors (``ProfileInUse``, ``DatabaseTooNew``…) with a readable message.
    """
    profile = Profile(root).ensure()
    held = ProfileLock(profile).acquire() if lock else None
    try:
        settings = Settings(profile.settings_path)
        store = Store(profile.db_path, backups=profile.backups)
    except BaseException:
        if held:
            held.release()
        raise
    return Workspace(profile, settings, store, held)
