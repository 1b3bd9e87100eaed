"""SQLite-only objects: the FTS5 full-text index and the triggers that keep derived data true.

Kept apart from ``schema.py`` so a PostgreSQL twin can replace this one module. Migrations
execute these statements; they are plain SQL on purpose (SQLAlchemy has no FTS5 or
trigger constructs).
"""

from __future__ import annotations

# External-content FTS5 over the item row: the index holds no second copy of the text.
# ``remove_diacritics 2`` folds accents, so "reponse" finds "réponse"; prefix indexes make
# "rep*" as fast as a whole word.
FTS_CREATE = """
CREATE VIRTUAL TABLE item_fts USING fts5(
    text, author_name, author_handle,
    content='item', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2',
    prefix='2 3'
)
"""

# These fire per row, inside the statement that wrote the item. FTS5 writes its pending index
# data to disk at every statement savepoint, so item rows go in many to a statement (see
# store._insert_rows): one executemany statement per row would leave one tiny segment per item.
FTS_TRIGGERS = (
    """
    CREATE TRIGGER item_fts_insert AFTER INSERT ON item BEGIN
        INSERT INTO item_fts(rowid, text, author_name, author_handle)
        VALUES (new.id, new.text, new.author_name, new.author_handle);
    END
    """,
    """
    CREATE TRIGGER item_fts_delete AFTER DELETE ON item BEGIN
        INSERT INTO item_fts(item_fts, rowid, text, author_name, author_handle)
        VALUES ('delete', old.id, old.text, old.author_name, old.author_handle);
    END
    """,
    """
    CREATE TRIGGER item_fts_update AFTER UPDATE OF text, author_name, author_handle ON item BEGIN
        INSERT INTO item_fts(item_fts, rowid, text, author_name, author_handle)
        VALUES ('delete', old.id, old.text, old.author_name, old.author_handle);
        INSERT INTO item_fts(rowid, text, author_name, author_handle)
        VALUES (new.id, new.text, new.author_name, new.author_handle);
    END
    """,
)

# Sidebar badges read ``view_count`` (a few hundred rows) instead of counting items.
_COUNT_UP = """
    INSERT INTO view_count(account_id, kind, status, queue, n)
    VALUES ({p}.account_id, {p}.kind, {p}.status, {p}.queue, 1)
    ON CONFLICT(account_id, kind, status, queue) DO UPDATE SET n = n + 1;
"""
_COUNT_DOWN = """
    UPDATE view_count SET n = n - 1
    WHERE account_id = {p}.account_id AND kind = {p}.kind AND status = {p}.status AND queue = {p}.queue;
"""

COUNT_TRIGGERS = (
    f"CREATE TRIGGER item_count_insert AFTER INSERT ON item BEGIN {_COUNT_UP.format(p='new')} END",
    f"CREATE TRIGGER item_count_delete AFTER DELETE ON item BEGIN {_COUNT_DOWN.format(p='old')} END",
    f"""
    CREATE TRIGGER item_count_update AFTER UPDATE OF account_id, kind, status, queue ON item
    WHEN old.account_id IS NOT new.account_id OR old.kind IS NOT new.kind
      OR old.status IS NOT new.status OR old.queue IS NOT new.queue
    BEGIN {_COUNT_DOWN.format(p="old")} {_COUNT_UP.format(p="new")} END
    """,
)

# A tag filter walks item_tag by (tag, created_at): keep that copy of the time right.
TAG_TIME_TRIGGER = """
    CREATE TRIGGER item_tag_time AFTER UPDATE OF created_at ON item BEGIN
        UPDATE item_tag SET created_at = new.created_at WHERE item_id = new.id;
    END
"""

ALL_CREATE = (FTS_CREATE, *FTS_TRIGGERS, *COUNT_TRIGGERS, TAG_TIME_TRIGGER)
ALL_DROP = (
    "DROP TRIGGER IF EXISTS item_tag_time",
    "DROP TRIGGER IF EXISTS item_count_update",
    "DROP TRIGGER IF EXISTS item_count_delete",
    "DROP TRIGGER IF EXISTS item_count_insert",
    "DROP TRIGGER IF EXISTS item_fts_update",
    "DROP TRIGGER IF EXISTS item_fts_delete",
    "DROP TRIGGER IF EXISTS item_fts_insert",
    "DROP TABLE IF EXISTS item_fts",
)
