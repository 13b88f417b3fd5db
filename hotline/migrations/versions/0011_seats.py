"""agent seats: call languages, current state and the log of every change

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 00:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('languages', sa.String(length=32), nullable=False, server_default='zh-CN'))
    op.create_table('seats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('pause_reason', sa.String(length=16), nullable=True),
    sa.Column('since', sa.DateTime(timezone=True), nullable=False),
    sa.Column('idle_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('call_sid', sa.String(length=64), nullable=True),
    sa.Column('wrap_up_until', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_seats_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seats')),
    sa.UniqueConstraint('user_id', name=op.f('uq_seats_user_id'))
    )
    op.create_index(op.f('ix_seats_state'), 'seats', ['state'], unique=False)
    op.create_table('seat_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('move', sa.String(length=16), nullable=False),
    sa.Column('from_state', sa.String(length=16), nullable=False),
    sa.Column('to_state', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=True),
    sa.Column('call_sid', sa.String(length=64), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_seat_changes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seat_changes'))
    )
    op.create_index('ix_seat_changes_user_id_at', 'seat_changes', ['user_id', 'at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_seat_changes_user_id_at', table_name='seat_changes')
    op.drop_table('seat_changes')
    op.drop_index(op.f('ix_seats_state'), table_name='seats')
    op.drop_table('seats')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('languages')
