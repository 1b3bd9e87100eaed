"""The tables of a CMDesk history (SQLAlchemy Core).

This module describes the current schema; Alembic migrations under ``migrations/versions``
create and evolve real databases, and a test checks that the two agree. SQLite-only
objects (the FTS5 index, triggers) live in ``sqlite_objects.py``.

Design notes:
- Times are integer UTC milliseconds: small, and ``(created_at, id)`` is the keyset key of
  every inbox page.
- The item row carries the author's name and handle as they were when it was posted: list
  pages need no join, and the full-text index reads them from the row itself.
- ``view_count`` is kept by triggers, so sidebar badges never count a million rows.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

account = Table(
    "account",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uid", String(36), nullable=False, unique=True),  # names its keyring entries
    Column("platform", String(16), nullable=False),
    Column("name", String(120), nullable=False, unique=True),
    Column("handle", String(255), nullable=False, server_default=""),
    Column("base_url", String(500), nullable=False, server_default=""),
    Column("enabled", Boolean, nullable=False, server_default="1"),
    Column("settings", Text, nullable=False, server_default="{}"),  # JSON, never secrets
    Column("created_at", BigInteger, nullable=False),
)

sync_state = Table(
    "sync_state",
    metadata,
    Column("account_id", Integer, ForeignKey("account.id", ondelete="CASCADE"), primary_key=True),
    Column("cursor", Text),  # advanced only in the transaction that stores the items it covers
    Column("last_attempt_at", BigInteger),
    Column("last_success_at", BigInteger),
    Column("error", Text, nullable=False, server_default=""),
    Column("needs_signin", Boolean, nullable=False, server_default="0"),
    Column("items_synced", Integer, nullable=False, server_default="0"),
)

author = Table(
    "author",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False),
    Column("platform_author_id", String(255), nullable=False),
    Column("display_name", String(255), nullable=False, server_default=""),
    Column("handle", String(255), nullable=False, server_default=""),
    Column("url", String(500), nullable=False, server_default=""),
    Column("first_seen_at", BigInteger, nullable=False),
    UniqueConstraint("account_id", "platform_author_id"),
)

thread = Table(
    "thread",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False),
    Column("platform_thread_id", String(255), nullable=False),
    Column("title", Text, nullable=False, server_default=""),
    UniqueConstraint("account_id", "platform_thread_id"),
)

item = Table(
    "item",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False),
    Column("platform_item_id", String(255), nullable=False),
    Column("thread_id", Integer, ForeignKey("thread.id", ondelete="SET NULL")),
    Column("parent_platform_id", String(255), nullable=False, server_default=""),
    Column("author_id", Integer, ForeignKey("author.id", ondelete="CASCADE"), nullable=False),
    Column("author_name", String(255), nullable=False, server_default=""),
    Column("author_handle", String(255), nullable=False, server_default=""),
    Column("kind", SmallInteger, nullable=False),
    Column("status", SmallInteger, nullable=False, server_default="0"),
    Column("moderation", SmallInteger, nullable=False, server_default="0"),
    Column("queue", SmallInteger, nullable=False, server_default="0"),
    Column("priority", SmallInteger, nullable=False, server_default="0"),
    Column("severity", SmallInteger, nullable=False, server_default="0"),
    Column("is_own", Boolean, nullable=False, server_default="0"),
    Column("created_at", BigInteger, nullable=False),
    Column("fetched_at", BigInteger, nullable=False),
    Column("text", Text, nullable=False, server_default=""),
    Column("lang", String(16), nullable=False, server_default=""),
    Column("url", String(1000), nullable=False, server_default=""),
    Column("original", Text, nullable=False, server_default=""),  # platform markup, for audit
    Column("ref", Text, nullable=False, server_default=""),  # connector data to act on the item
    Column("flag_reason", Text, nullable=False, server_default=""),
    Column("flag_terms", Text, nullable=False, server_default=""),  # JSON list
    Column("flag_rule", String(200), nullable=False, server_default=""),
    Column("assignee", String(120), nullable=False, server_default=""),  # revision 0003
    UniqueConstraint("account_id", "platform_item_id"),
    # Every inbox page is "newest first" within one equality filter: each index below serves
    # one family of views, for all accounts or one, and keeps pages free of sorting.
    Index("ix_item_created", "created_at"),
    Index("ix_item_account_created", "account_id", "created_at"),
    Index("ix_item_status_created", "status", "created_at"),
    Index("ix_item_account_status_created", "account_id", "status", "created_at"),
    Index("ix_item_queue_created", "queue", "created_at"),
    Index("ix_item_queue_severity_created", "queue", "severity", "created_at"),  # revision 0004
    Index("ix_item_kind_created", "kind", "created_at"),
    Index("ix_item_author_created", "author_id", "created_at"),
    Index("ix_item_thread_created", "thread_id", "created_at"),
)

tag = Table(
    "tag",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("color", String(16), nullable=False, server_default=""),
)

item_tag = Table(
    "item_tag",
    metadata,
    Column("item_id", Integer, ForeignKey("item.id", ondelete="CASCADE"), nullable=False),
    Column("tag_id", Integer, ForeignKey("tag.id", ondelete="CASCADE"), nullable=False),
    # The item's time, copied so a tag filter walks (tag, newest first) without sorting.
    Column("created_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("item_id", "tag_id"),
    Index("ix_item_tag_tag_created", "tag_id", "created_at", "item_id"),
)

note = Table(
    "note",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", Integer, ForeignKey("item.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("agent", String(120), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", BigInteger, nullable=False),
    Column("actor", String(120), nullable=False),
    Column("action", String(40), nullable=False),
    Column("item_id", Integer),  # no foreign key: the record outlives what it describes
    Column("account_id", Integer),
    Column("detail", Text, nullable=False, server_default=""),
    Column("reason", Text, nullable=False, server_default=""),
    Column("rule", String(200), nullable=False, server_default=""),
    Column("prev_hash", String(64), nullable=False, server_default=""),
    Column("hash", String(64), nullable=False, server_default=""),
    Index("ix_audit_item", "item_id"),
)

view_count = Table(
    "view_count",
    metadata,
    Column("account_id", Integer, nullable=False),
    Column("kind", SmallInteger, nullable=False),
    Column("status", SmallInteger, nullable=False),
    Column("queue", SmallInteger, nullable=False),
    Column("n", Integer, nullable=False),
    PrimaryKeyConstraint("account_id", "kind", "status", "queue"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(64), nullable=False, unique=True),  # idempotency key, sent to the platform
    Column("account_id", Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False),
    Column("item_id", Integer, ForeignKey("item.id", ondelete="SET NULL")),
    Column("verb", String(24), nullable=False),
    Column("payload", Text, nullable=False, server_default="{}"),  # JSON: reply text, reason, target
    Column("state", SmallInteger, nullable=False, server_default="0"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", BigInteger, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("last_error", Text, nullable=False, server_default=""),
    Column("result", Text, nullable=False, server_default=""),  # e.g. the platform id of a posted reply
    Column("actor", String(120), nullable=False, server_default=""),
    Column("rule", String(200), nullable=False, server_default=""),
    Index("ix_outbox_state_next", "state", "next_attempt_at"),
    Index("ix_outbox_item", "item_id"),
)

# ---- reply templates (revision 0003) -------------------------------------------------------

template = Table(
    "template",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("shortcode", String(64), nullable=False),
    Column("shortcode_key", String(64), nullable=False, unique=True),  # folded: "/Délai" == "/delai"
    Column("title", String(200), nullable=False),
    Column("category", String(200), nullable=False, server_default=""),
    Column("tags", Text, nullable=False, server_default="[]"),  # JSON list
    Column("favourite", Boolean, nullable=False, server_default="0"),
    Column("position", Integer, nullable=False, server_default="0"),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
)

template_variant = Table(
    "template_variant",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("template_id", Integer, ForeignKey("template.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False, server_default="0"),
    Column("lang", String(16), nullable=False, server_default=""),
    Column("platform", String(16), nullable=False, server_default=""),
    Column("title", String(200), nullable=False, server_default=""),
    Column("body", Text, nullable=False),
)

template_category = Table(
    "template_category",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("charte", Text, nullable=False, server_default=""),  # posture guidelines shown beside the composer
)

template_use = Table(
    "template_use",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("template_id", Integer, ForeignKey("template.id", ondelete="CASCADE"), nullable=False),
    Column("item_id", Integer, ForeignKey("item.id", ondelete="SET NULL")),
    Column("used_at", BigInteger, nullable=False),
    Column("item_created_at", BigInteger),  # for "average reply time when used"
    Index("ix_template_use_template", "template_id", "used_at"),
)

# ---- moderation rules and the moderator's labels (revision 0003) ---------------------------

rule = Table(
    "rule",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("position", Integer, nullable=False, server_default="0"),
    Column("enabled", Boolean, nullable=False, server_default="1"),
    Column("definition", Text, nullable=False),  # the rule as JSON (cmdesk.core.moderation)
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
)

label = Table(
    "label",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", Integer, ForeignKey("item.id", ondelete="SET NULL")),
    Column("decision", String(24), nullable=False),  # approve, hide, delete, spam, not_abusive…
    Column("text", Text, nullable=False),  # kept: the model learns even after the item is gone
    Column("lang", String(16), nullable=False, server_default=""),
    Column("actor", String(120), nullable=False),
    Column("at", BigInteger, nullable=False),
    Index("ix_label_at", "at"),
)

model_state = Table(
    "model_state",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("data", Text, nullable=False),  # the trained model as JSON
    Column("metrics", Text, nullable=False, server_default="{}"),  # precision/recall on held-back labels
    Column("trained_at", BigInteger, nullable=False),
)
