"""agent-first calls: offers to agents, conference participants, live transcripts

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 22:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.alter_column('phone', existing_type=sa.String(length=32), type_=sa.String(length=255))
    with op.batch_alter_table('queue_entries') as batch:
        batch.add_column(sa.Column('overflow_reason', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('bridge_requested_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('bridged_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('talk_ended_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('conference_sid', sa.String(length=64), nullable=True))
    op.create_index('ix_queue_entries_enqueued_at', 'queue_entries', ['enqueued_at'], unique=False)
    op.create_table('call_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('manual', sa.Boolean(), nullable=False),
    sa.Column('agent_call_sid', sa.String(length=64), nullable=True),
    sa.Column('agent_phone', sa.String(length=255), nullable=False),
    sa.Column('end_reason', sa.String(length=32), nullable=True),
    sa.Column('cancel_requested', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rung_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('wrap_up_ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['entry_id'], ['queue_entries.id'], name=op.f('fk_call_offers_entry_id_queue_entries')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_call_offers_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_offers')),
    sa.UniqueConstraint('agent_call_sid', name=op.f('uq_call_offers_agent_call_sid'))
    )
    op.create_index('ix_call_offers_state', 'call_offers', ['state'], unique=False)
    op.create_index(op.f('ix_call_offers_entry_id'), 'call_offers', ['entry_id'], unique=False)
    op.create_index(op.f('ix_call_offers_user_id'), 'call_offers', ['user_id'], unique=False)
    op.create_table('conference_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('phone', sa.String(length=255), nullable=False),
    sa.Column('call_sid', sa.String(length=64), nullable=True),
    sa.Column('added_by', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['entry_id'], ['queue_entries.id'], name=op.f('fk_conference_participants_entry_id_queue_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conference_participants')),
    sa.UniqueConstraint('call_sid', name=op.f('uq_conference_participants_call_sid'))
    )
    op.create_index(op.f('ix_conference_participants_entry_id'), 'conference_participants', ['entry_id'], unique=False)
    op.create_table('live_streams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('stream_sid', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('problem', sa.Text(), nullable=True),
    sa.Column('frames', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_live_streams_call_id_calls')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_streams')),
    sa.UniqueConstraint('stream_sid', name=op.f('uq_live_streams_stream_sid'))
    )
    op.create_index(op.f('ix_live_streams_call_id'), 'live_streams', ['call_id'], unique=False)
    op.create_table('live_segments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stream_id', sa.Integer(), nullable=False),
    sa.Column('track', sa.String(length=8), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('start_seconds', sa.Float(), nullable=False),
    sa.Column('end_seconds', sa.Float(), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['stream_id'], ['live_streams.id'], name=op.f('fk_live_segments_stream_id_live_streams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_segments'))
    )
    op.create_index('ix_live_segments_stream_id_start', 'live_segments', ['stream_id', 'start_seconds'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_live_segments_stream_id_start', table_name='live_segments')
    op.drop_table('live_segments')
    op.drop_index(op.f('ix_live_streams_call_id'), table_name='live_streams')
    op.drop_table('live_streams')
    op.drop_index(op.f('ix_conference_participants_entry_id'), table_name='conference_participants')
    op.drop_table('conference_participants')
    op.drop_index(op.f('ix_call_offers_user_id'), table_name='call_offers')
    op.drop_index(op.f('ix_call_offers_entry_id'), table_name='call_offers')
    op.drop_index('ix_call_offers_state', table_name='call_offers')
    op.drop_table('call_offers')
    op.drop_index('ix_queue_entries_enqueued_at', table_name='queue_entries')
    with op.batch_alter_table('queue_entries') as batch:
        batch.drop_column('conference_sid')
        batch.drop_column('talk_ended_at')
        batch.drop_column('bridged_at')
        batch.drop_column('bridge_requested_at')
        batch.drop_column('answered_at')
        batch.drop_column('overflow_reason')
    with op.batch_alter_table('users') as batch:
        batch.alter_column('phone', existing_type=sa.String(length=255), type_=sa.String(length=32))
