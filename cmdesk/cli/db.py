"""Database maintenance: ``db check``, ``db vacuum``, ``db backup PATH``."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from cmdesk.cli.common import UserError, add_profile
from cmdesk.profile import Profile, resolve
from cmdesk.store import migrate


def register(sub) -> None:
    db = sub.add_parser("db", help="check, back up or compact the database")
    dbsub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    check = dbsub.add_parser("check", help="integrity check and migration state")
    add_profile(check)
    check.set_defaults(func=run_check)
    vacuum = dbsub.add_parser("vacuum", help="compact the database file (the app must be closed)")
    add_profile(vacuum)
    vacuum.set_defaults(func=run_vacuum)
    backup = dbsub.add_parser("backup", help="consistent copy of the database, even while the app runs")
    backup.add_argument("path", help="destination file")
    add_profile(backup)
    backup.set_defaults(func=run_backup)


def _db_path(args) -> Path:
    path = Profile(resolve(args.profile)).db_path
    if not path.exists():
        raise UserError(f"There is no CMDesk database at {path}.")
    return path


def run_check(args) -> int:
    """Read-only: never migrates, so it also works on a damaged or newer database."""
    path = _db_path(args)
    print(f"Database: {path} ({path.stat().st_size:,} bytes)")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        has_version = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()[0]
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] if has_version else None
        conn.close()
    except sqlite3.DatabaseError as exc:
        print(f"Integrity: FAILED — {exc}. The file is damaged or is not a SQLite database.")
        return 1
    ok = result == ["ok"]
    print("Integrity: ok" if ok else "Integrity: FAILED\n  " + "\n  ".join(result[:20]))
    if revision is None:
        state = "no schema version (not a CMDesk database, or empty)"
    elif revision == migrate.HEAD:
        state = f"{revision} (current)"
    elif revision in migrate.KNOWN_REVISIONS:
        state = f"{revision} (will be upgraded to {migrate.HEAD} at the next start, after a backup)"
    else:
        state = f"{revision} (written by a newer CMDesk: this version will not open it)"
    print(f"Schema: {state}")
    return 0 if ok and revision in migrate.KNOWN_REVISIONS else 1


def _progress(done: int, total: int) -> None:
    if total and sys.stderr.isatty():
        print(f"\r{done * 100 // total:3d} %", end="", file=sys.stderr, flush=True)


def run_backup(args) -> int:
    source = _db_path(args)
    destination = Path(args.path).expanduser()
    if destination.exists():
        raise UserError(f"{destination} already exists; choose a new file name.")
    try:
        migrate.backup_file(source, destination, progress=_progress)
    except (OSError, sqlite3.Error) as exc:
        destination.unlink(missing_ok=True)
        raise UserError(f"Backup failed: {exc}.") from exc
    print(f"\rBacked up {source} to {destination} ({destination.stat().st_size:,} bytes).", file=sys.stderr)
    return 0


def run_vacuum(args) -> int:
    from cmdesk.profile import ProfileLock

    path = _db_path(args)
    before = path.stat().st_size
    with ProfileLock(Profile(path.parent)):  # VACUUM rewrites the file: nobody else may be writing
        conn = sqlite3.connect(path)
        try:
            print("Compacting… (this can take a minute on a large history)", file=sys.stderr)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("VACUUM")
            conn.execute("PRAGMA optimize")
        except sqlite3.Error as exc:
            raise UserError(f"Vacuum failed: {exc}. The database is unchanged.") from exc
        finally:
            conn.close()
    after = path.stat().st_size
    print(f"Compacted {path}: {before:,} -> {after:,} bytes.")
    return 0
