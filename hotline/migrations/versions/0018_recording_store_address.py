"""Recordings: the address of their shared copy in the object store

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 22:50:11.218405
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('recordings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('store_uri', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('recordings', schema=None) as batch_op:
        batch_op.drop_column('store_uri')

