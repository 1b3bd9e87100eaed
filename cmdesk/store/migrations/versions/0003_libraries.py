"""reply templates, moderation rules, moderator labels, item assignee

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "model_state",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("metrics", sa.Text(), server_default="{}", nullable=False),
        sa.Column("trained_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_model_state")),
    )
    op.create_table(
        "rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule")),
        sa.UniqueConstraint("name", name=op.f("uq_rule_name")),
    )
    op.create_table(
        "template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shortcode", sa.String(length=64), nullable=False),
        sa.Column("shortcode_key", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=200), server_default="", nullable=False),
        sa.Column("tags", sa.Text(), server_default="[]", nullable=False),
        sa.Column("favourite", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_template")),
        sa.UniqueConstraint("shortcode_key", name=op.f("uq_template_shortcode_key")),
    )
    op.create_table(
        "template_category",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("charte", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_template_category")),
    )
    op.create_table(
        "template_variant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("lang", sa.String(length=16), server_default="", nullable=False),
        sa.Column("platform", sa.String(length=16), server_default="", nullable=False),
        sa.Column("title", sa.String(length=200), server_default="", nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["template_id"], ["template.id"], name=op.f("fk_template_variant_template_id_template"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_template_variant")),
    )
    with op.batch_alter_table("template_variant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_template_variant_template_id"), ["template_id"], unique=False)

    op.create_table(
        "label",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("decision", sa.String(length=24), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(length=16), server_default="", nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], name=op.f("fk_label_item_id_item"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_label")),
    )
    with op.batch_alter_table("label", schema=None) as batch_op:
        batch_op.create_index("ix_label_at", ["at"], unique=False)

    op.create_table(
        "template_use",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("used_at", sa.BigInteger(), nullable=False),
        sa.Column("item_created_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_template_use_item_id_item"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["template_id"], ["template.id"], name=op.f("fk_template_use_template_id_template"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_template_use")),
    )
    with op.batch_alter_table("template_use", schema=None) as batch_op:
        batch_op.create_index("ix_template_use_template", ["template_id", "used_at"], unique=False)

    # A plain ALTER TABLE: rebuilding the item table (batch mode) would drop its FTS and count triggers.
    op.add_column("item", sa.Column("assignee", sa.String(length=120), server_default="", nullable=False))


def downgrade() -> None:
    op.drop_column("item", "assignee")

    with op.batch_alter_table("template_use", schema=None) as batch_op:
        batch_op.drop_index("ix_template_use_template")

    op.drop_table("template_use")
    with op.batch_alter_table("label", schema=None) as batch_op:
        batch_op.drop_index("ix_label_at")

    op.drop_table("label")
    with op.batch_alter_table("template_variant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_template_variant_template_id"))

    op.drop_table("template_variant")
    op.drop_table("template_category")
    op.drop_table("template")
    op.drop_table("rule")
    op.drop_table("model_state")
