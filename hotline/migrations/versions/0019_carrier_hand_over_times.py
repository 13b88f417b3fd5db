"""Messages and survey calls: when each was last handed to the carrier

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 07:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempted_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('survey_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dialed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('survey_attempts', schema=None) as batch_op:
        batch_op.drop_column('dialed_at')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('attempted_at')
