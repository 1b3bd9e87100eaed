"""Bringing a database to the current schema, safely.

At start-up CMDesk reads the database's Alembic revision. If it is current, nothing else
happens (Alembic is not even imported: start-up stays fast). If it is older, the file is
first copied to ``backups/`` with SQLite's online backup API, then upgraded. If it is a
revision this version does not know, the database was written by a newer CMDesk and is
refused untouched.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DatabaseError, OperationalError

from cmdesk.store.engine import translate_error
from cmdesk.store.errors import CorruptDatabase, DatabaseTooNew

log = logging.getLogger("cmdesk.store")

# Every revision this version knows, oldest first. A test checks this against the scripts.
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004")
HEAD = KNOWN_REVISIONS[-1]
BACKUPS_KEPT = 3


def current_revision(engine: Engine, path: Path) -> str | None:
    """The database's revision, ``None`` for an empty database."""
    try:
        with engine.connect() as conn:
            tables = {row[0] for row in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
            if "alembic_version" not in tables:
                if tables - {"sqlite_sequence"}:
                    raise CorruptDatabase(
                        f"{path} is a SQLite database, but not a CMDesk history (it has no schema version). "
                        "It was left untouched."
                    )
                return None
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
            return row[0] if row else None
    except (DatabaseError, OperationalError, sqlite3.DatabaseError) as exc:
        raise (translate_error(exc, path) or exc) from exc


def _alembic_config(engine_connection):
    from alembic.config import Config

    import cmdesk.store.migrations as migrations_package

    config = Config()
    config.set_main_option("script_location", str(Path(migrations_package.__file__).parent))
    config.attributes["connection"] = engine_connection
    return config


def backup_file(source: Path, destination: Path, progress=None) -> Path:
    """A consistent copy of a live database (SQLite online backup API), page by page.

    ``progress(done_pages, total_pages)`` is called as it goes, for large files.
    """
    destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(destination)
    try:

        def report(_status, remaining, total):
            if progress:
                progress(total - remaining, total)

        src.backup(dst, pages=4096, progress=report)
    finally:
        dst.close()
        src.close()
    destination.chmod(0o600)
    return destination


def _prune_backups(folder: Path) -> None:
    backups = sorted(folder.glob("cmdesk-before-*.db"))
    for old in backups[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)


def upgrade(engine: Engine, path: Path, backups: Path) -> str | None:
    """Upgrade the database at ``path`` to ``HEAD``; returns the backup made, if any."""
    revision = current_revision(engine, path)
    if revision == HEAD:
        return None
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise DatabaseTooNew(
            f"The database at {path} was written by a newer version of CMDesk (schema {revision}). "
            "This version cannot read it safely and left it untouched: update CMDesk, or open another profile."
        )
    backup = None
    if revision is not None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup = backup_file(path, backups / f"cmdesk-before-{HEAD}-from-{revision}-{stamp}.db")
        _prune_backups(backups)
        log.info("backed up %s to %s before upgrading from %s to %s", path, backup, revision, HEAD)
    from alembic import command

    with engine.connect() as conn:
        command.upgrade(_alembic_config(conn), HEAD)
        conn.commit()
    return str(backup) if backup else None


def script_revisions() -> list[str]:
    """The revisions of the migration scripts, oldest first (for tests and ``db check``)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config(None))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def upgrade_to(engine: Engine, revision: str) -> None:
    """Upgrade to a given revision (tests use it to build an old database)."""
    from alembic import command

    with engine.connect() as conn:
        command.upgrade(_alembic_config(conn), revision)
        conn.commit()
