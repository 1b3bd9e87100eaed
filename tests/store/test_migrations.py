"""Migrations on real files: from empty, from the previous revision, and the databases we refuse."""

import os
import sqlite3
import stat

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from cmdesk.store import migrate
from cmdesk.store.engine import create_sqlite_engine
from cmdesk.store.errors import CorruptDatabase, DatabaseTooNew
from cmdesk.store.schema import metadata
from cmdesk.store.store import Store


def test_known_revisions_match_the_migration_scripts():
    assert migrate.script_revisions() == list(migrate.KNOWN_REVISIONS)


def test_fresh_database_is_at_head_and_matches_the_schema(tmp_path):
    store = Store(tmp_path / "cmdesk.db")
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn)
        diffs = [d for d in compare_metadata(context, metadata) if "item_fts" not in str(d)]
        assert diffs == []
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == migrate.HEAD
    store.close()


def test_file_mode_wal_and_foreign_keys(tmp_path):
    store = Store(tmp_path / "cmdesk.db")
    assert stat.S_IMODE(os.stat(tmp_path / "cmdesk.db").st_mode) == 0o600
    with store.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    store.close()


def test_upgrade_from_previous_revision_keeps_data_and_makes_a_backup(tmp_path):
    path = tmp_path / "cmdesk.db"
    engine = create_sqlite_engine(path)
    migrate.upgrade_to(engine, migrate.KNOWN_REVISIONS[-2])
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO account(uid, platform, name, created_at) VALUES ('u1', 'mastodon', 'Old account', 1)"
        )
    engine.dispose()
    store = Store(path)
    assert [a.name for a in store.accounts()] == ["Old account"]
    assert store.last_backup is not None
    backup = sqlite3.connect(store.last_backup)
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone()[0] == migrate.KNOWN_REVISIONS[-2]
    assert backup.execute("SELECT name FROM account").fetchall() == [("Old account",)]
    backup.close()
    with store.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar() == 0
    store.close()


def test_a_database_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "cmdesk.db"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew, match="newer version of CMDesk"):
        Store(path)
    assert path.read_bytes() == before


def test_a_corrupt_file_is_refused_untouched(tmp_path):
    path = tmp_path / "cmdesk.db"
    path.write_bytes(b"this is not a database at all, just some bytes" * 100)
    before = path.read_bytes()
    with pytest.raises(CorruptDatabase, match="damaged"):
        Store(path)
    assert path.read_bytes() == before


def test_a_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "cmdesk.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE photos(id INTEGER)")
    with pytest.raises(CorruptDatabase, match="not a CMDesk history"):
        Store(path)


def test_backups_are_pruned(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    for n in range(5):
        (folder / f"cmdesk-before-0002-from-0001-2026010{n}T000000Z.db").write_bytes(b"x")
    migrate._prune_backups(folder)
    assert len(list(folder.iterdir())) == migrate.BACKUPS_KEPT
