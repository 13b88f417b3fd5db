"""reason codes beside the English text of event and review reasons

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 23:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('ticket_events') as batch:
        batch.add_column(sa.Column('reason_codes', sa.JSON(), nullable=True))
    with op.batch_alter_table('tickets') as batch:
        batch.add_column(sa.Column('review_codes', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('tickets') as batch:
        batch.drop_column('review_codes')
    with op.batch_alter_table('ticket_events') as batch:
        batch.drop_column('reason_codes')
