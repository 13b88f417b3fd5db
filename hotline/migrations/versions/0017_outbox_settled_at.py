"""Outbox rows note when the queue settled their job (lost jobs are handed over again)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 18:53:53.882495
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_outbox_unsettled', ['settled_at', 'id'], unique=False)
    # Jobs handed over before this revision are not looked up again.
    op.execute("UPDATE outbox SET settled_at = enqueued_at WHERE enqueued_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_unsettled')
        batch_op.drop_column('settled_at')

