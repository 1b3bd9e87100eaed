"""initial schema: accounts, authors, threads, items, tags, notes, audit

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

# SQLite objects as they were at this revision (a later change copies new text into its own
# migration; this one must not move).
SQLITE_OBJECTS = (
    "CREATE VIRTUAL TABLE item_fts USING fts5( text, author_name, author_handle, content='item', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3' )",
    "CREATE TRIGGER item_fts_insert AFTER INSERT ON item BEGIN INSERT INTO item_fts(rowid, text, author_name, author_handle) VALUES (new.id, new.text, new.author_name, new.author_handle); END",
    "CREATE TRIGGER item_fts_delete AFTER DELETE ON item BEGIN INSERT INTO item_fts(item_fts, rowid, text, author_name, author_handle) VALUES ('delete', old.id, old.text, old.author_name, old.author_handle); END",
    "CREATE TRIGGER item_fts_update AFTER UPDATE OF text, author_name, author_handle ON item BEGIN INSERT INTO item_fts(item_fts, rowid, text, author_name, author_handle) VALUES ('delete', old.id, old.text, old.author_name, old.author_handle); INSERT INTO item_fts(rowid, text, author_name, author_handle) VALUES (new.id, new.text, new.author_name, new.author_handle); END",
    "CREATE TRIGGER item_count_insert AFTER INSERT ON item BEGIN INSERT INTO view_count(account_id, kind, status, queue, n) VALUES (new.account_id, new.kind, new.status, new.queue, 1) ON CONFLICT(account_id, kind, status, queue) DO UPDATE SET n = n + 1; END",
    "CREATE TRIGGER item_count_delete AFTER DELETE ON item BEGIN UPDATE view_count SET n = n - 1 WHERE account_id = old.account_id AND kind = old.kind AND status = old.status AND queue = old.queue; END",
    "CREATE TRIGGER item_count_update AFTER UPDATE OF account_id, kind, status, queue ON item WHEN old.account_id IS NOT new.account_id OR old.kind IS NOT new.kind OR old.status IS NOT new.status OR old.queue IS NOT new.queue BEGIN UPDATE view_count SET n = n - 1 WHERE account_id = old.account_id AND kind = old.kind AND status = old.status AND queue = old.queue; INSERT INTO view_count(account_id, kind, status, queue, n) VALUES (new.account_id, new.kind, new.status, new.queue, 1) ON CONFLICT(account_id, kind, status, queue) DO UPDATE SET n = n + 1; END",
    "CREATE TRIGGER item_tag_time AFTER UPDATE OF created_at ON item BEGIN UPDATE item_tag SET created_at = new.created_at WHERE item_id = new.id; END",
)


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("handle", sa.String(length=255), server_default="", nullable=False),
        sa.Column("base_url", sa.String(length=500), server_default="", nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("settings", sa.Text(), server_default="{}", nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("name", name=op.f("uq_account_name")),
        sa.UniqueConstraint("uid", name=op.f("uq_account_uid")),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("rule", sa.String(length=200), server_default="", nullable=False),
        sa.Column("prev_hash", sa.String(length=64), server_default="", nullable=False),
        sa.Column("hash", sa.String(length=64), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit")),
    )
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.create_index("ix_audit_item", ["item_id"], unique=False)

    op.create_table(
        "tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("color", sa.String(length=16), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag")),
        sa.UniqueConstraint("name", name=op.f("uq_tag_name")),
    )
    op.create_table(
        "view_count",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.SmallInteger(), nullable=False),
        sa.Column("status", sa.SmallInteger(), nullable=False),
        sa.Column("queue", sa.SmallInteger(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "kind", "status", "queue", name=op.f("pk_view_count")),
    )
    op.create_table(
        "author",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("platform_author_id", sa.String(length=255), nullable=False),
        sa.Column("display_name", sa.String(length=255), server_default="", nullable=False),
        sa.Column("handle", sa.String(length=255), server_default="", nullable=False),
        sa.Column("url", sa.String(length=500), server_default="", nullable=False),
        sa.Column("first_seen_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_author_account_id_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_author")),
        sa.UniqueConstraint("account_id", "platform_author_id", name=op.f("uq_author_account_id_platform_author_id")),
    )
    op.create_table(
        "sync_state",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("cursor", sa.Text(), nullable=True),
        sa.Column("last_attempt_at", sa.BigInteger(), nullable=True),
        sa.Column("last_success_at", sa.BigInteger(), nullable=True),
        sa.Column("error", sa.Text(), server_default="", nullable=False),
        sa.Column("needs_signin", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("items_synced", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_sync_state_account_id_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "thread",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("platform_thread_id", sa.String(length=255), nullable=False),
        sa.Column("title", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_thread_account_id_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_thread")),
        sa.UniqueConstraint("account_id", "platform_thread_id", name=op.f("uq_thread_account_id_platform_thread_id")),
    )
    op.create_table(
        "item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("platform_item_id", sa.String(length=255), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("parent_platform_id", sa.String(length=255), server_default="", nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("author_name", sa.String(length=255), server_default="", nullable=False),
        sa.Column("author_handle", sa.String(length=255), server_default="", nullable=False),
        sa.Column("kind", sa.SmallInteger(), nullable=False),
        sa.Column("status", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("moderation", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("queue", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("priority", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("severity", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("is_own", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("fetched_at", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), server_default="", nullable=False),
        sa.Column("lang", sa.String(length=16), server_default="", nullable=False),
        sa.Column("url", sa.String(length=1000), server_default="", nullable=False),
        sa.Column("original", sa.Text(), server_default="", nullable=False),
        sa.Column("ref", sa.Text(), server_default="", nullable=False),
        sa.Column("flag_reason", sa.Text(), server_default="", nullable=False),
        sa.Column("flag_terms", sa.Text(), server_default="", nullable=False),
        sa.Column("flag_rule", sa.String(length=200), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_item_account_id_account"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["author.id"], name=op.f("fk_item_author_id_author"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"], ["thread.id"], name=op.f("fk_item_thread_id_thread"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item")),
        sa.UniqueConstraint("account_id", "platform_item_id", name=op.f("uq_item_account_id_platform_item_id")),
    )
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.create_index("ix_item_account_created", ["account_id", "created_at"], unique=False)
        batch_op.create_index("ix_item_account_status_created", ["account_id", "status", "created_at"], unique=False)
        batch_op.create_index("ix_item_author_created", ["author_id", "created_at"], unique=False)
        batch_op.create_index("ix_item_created", ["created_at"], unique=False)
        batch_op.create_index("ix_item_kind_created", ["kind", "created_at"], unique=False)
        batch_op.create_index("ix_item_queue_created", ["queue", "created_at"], unique=False)
        batch_op.create_index("ix_item_status_created", ["status", "created_at"], unique=False)
        batch_op.create_index("ix_item_thread_created", ["thread_id", "created_at"], unique=False)

    op.create_table(
        "item_tag",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], name=op.f("fk_item_tag_item_id_item"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tag_id"], ["tag.id"], name=op.f("fk_item_tag_tag_id_tag"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("item_id", "tag_id", name=op.f("pk_item_tag")),
    )
    with op.batch_alter_table("item_tag", schema=None) as batch_op:
        batch_op.create_index("ix_item_tag_tag_created", ["tag_id", "created_at", "item_id"], unique=False)

    op.create_table(
        "note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("agent", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], name=op.f("fk_note_item_id_item"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note")),
    )
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_item_id"), ["item_id"], unique=False)
    for statement in SQLITE_OBJECTS:
        op.execute(statement)


def downgrade() -> None:
    for statement in (
        "DROP TRIGGER IF EXISTS item_tag_time",
        "DROP TRIGGER IF EXISTS item_count_update",
        "DROP TRIGGER IF EXISTS item_count_delete",
        "DROP TRIGGER IF EXISTS item_count_insert",
        "DROP TRIGGER IF EXISTS item_fts_update",
        "DROP TRIGGER IF EXISTS item_fts_delete",
        "DROP TRIGGER IF EXISTS item_fts_insert",
        "DROP TABLE IF EXISTS item_fts",
    ):
        op.execute(statement)
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_item_id"))

    op.drop_table("note")
    with op.batch_alter_table("item_tag", schema=None) as batch_op:
        batch_op.drop_index("ix_item_tag_tag_created")

    op.drop_table("item_tag")
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.drop_index("ix_item_thread_created")
        batch_op.drop_index("ix_item_status_created")
        batch_op.drop_index("ix_item_queue_created")
        batch_op.drop_index("ix_item_kind_created")
        batch_op.drop_index("ix_item_created")
        batch_op.drop_index("ix_item_author_created")
        batch_op.drop_index("ix_item_account_status_created")
        batch_op.drop_index("ix_item_account_created")

    op.drop_table("item")
    op.drop_table("thread")
    op.drop_table("sync_state")
    op.drop_table("author")
    op.drop_table("view_count")
    op.drop_table("tag")
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_item")

    op.drop_table("audit")
    op.drop_table("account")
