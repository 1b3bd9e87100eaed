"""Opening a SQLite history: file mode, pragmas, transactions, and clear errors.

Every connection gets WAL journaling (readers never wait for the writer), foreign keys,
a busy timeout, and ``synchronous=NORMAL`` (safe with WAL: a power cut can lose the last
transaction, never corrupt the file). Transactions are started by us (``BEGIN`` or
``BEGIN IMMEDIATE`` for writers), not by the driver's implicit rules.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from cmdesk.store.errors import CorruptDatabase, DatabaseLocked, ProfileNotWritable

BUSY_TIMEOUT_MS = 5000
PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA cache_size=-32000",  # 32 MB of page cache per connection
    "PRAGMA mmap_size=268435456",  # reads of a large history go through the page cache of the OS
)


def ensure_private_file(path: Path) -> None:
    """Create the database file with mode 0600 (SQLite gives its -wal/-shm files the same mode)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
        os.close(fd)
        if os.name == "posix":
            os.chmod(path, 0o600)
    except PermissionError as exc:
        raise ProfileNotWritable(
            f"CMDesk cannot write its database at {path}: permission denied. "
            "Choose another profile folder (--profile DIR) or fix the folder's permissions."
        ) from exc
    except OSError as exc:
        raise ProfileNotWritable(f"CMDesk cannot create its database at {path}: {exc.strerror or exc}.") from exc


def _on_connect(dbapi_connection: sqlite3.Connection, _record) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
    cursor = dbapi_connection.cursor()
    try:
        mode = cursor.execute("PRAGMA journal_mode=WAL").fetchone()
        for pragma in PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()
    if mode and str(mode[0]).lower() != "wal":
        # A read-only directory or a network file system: still usable, but say so in the log.
        import logging

        logging.getLogger("cmdesk.store").warning("journal_mode is %s, not WAL", mode[0])


def _on_begin(connection) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def create_sqlite_engine(path: Path) -> Engine:
    """An engine for the history at ``path``, created 0600 if it does not exist."""
    ensure_private_file(path)
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=4,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def writer(engine: Engine) -> Engine:
    """The same engine, but its transactions take the write lock at once (no upgrade deadlock)."""
    return engine.execution_options(sqlite_begin="IMMEDIATE")


def translate_error(exc: BaseException, path: Path) -> Exception | None:
    """A CMDesk error for a SQLite failure the user can act on, or None."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "file is not a database" in text or "malformed" in text or "disk image" in text:
        return CorruptDatabase(
            f"The database at {path} is damaged ({text}). Nothing was changed or deleted. "
            "Run `cmdesk db check` for details; backups made before upgrades are in the profile's backups folder."
        )
    if "database is locked" in text or "database is busy" in text:
        return DatabaseLocked(
            f"The database at {path} is busy: another program is writing to it. Try again in a moment."
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return ProfileNotWritable(f"CMDesk cannot write to {path}: the file or its folder is read-only.")
    if "disk is full" in text or "database or disk is full" in text:
        return ProfileNotWritable(
            f"The disk holding {path} is full. Nothing was lost: the last change was not saved. "
            "Free some space and try again."
        )
    return None
