"""the moderation queue read most severe first

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_item_queue_severity_created", "item", ["queue", "severity", "created_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_item_queue_severity_created", table_name="item")
