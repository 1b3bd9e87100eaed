"""Errors of the store, each a sentence the user can act on (shown as is by the CLI and the GUI)."""


class StoreError(Exception):
    """Base of every store error."""


class CorruptDatabase(StoreError):
    """The file is not a SQLite database, or its pages are damaged."""


class DatabaseTooNew(StoreError):
    """The database was written by a newer CMDesk; this version refuses to touch it."""


class DatabaseLocked(StoreError):
    """Another writer holds the database longer than the busy timeout."""


class ProfileNotWritable(StoreError):
    """The profile folder or the database file cannot be written (permissions, full disk)."""


class ProfileInUse(StoreError):
    """Another CMDesk already runs on this profile."""


class NotFoundError(StoreError):
    """An item, account or tag that does not exist."""


class InvalidInput(StoreError):
    """A value the user typed that the store cannot accept (empty tag name, duplicate account name…)."""
