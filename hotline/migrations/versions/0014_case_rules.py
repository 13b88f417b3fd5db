"""case rules: intake types, time-limit classes, extensions, returns

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ticket_extensions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('requested_by', sa.String(length=64), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('proposed_due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sa.String(length=64), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('due_before', sa.DateTime(timezone=True), nullable=True),
    sa.Column('due_after', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_extensions_ticket_id_tickets')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_ticket_extensions_unit_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_extensions'))
    )
    with op.batch_alter_table('ticket_extensions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_extensions_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticket_extensions_ticket_id'), ['ticket_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticket_extensions_unit_id'), ['unit_id'], unique=False)

    with op.batch_alter_table('ticket_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_ticket_events_unit_id'), ['unit_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_ticket_events_unit_id_org_units'), 'org_units', ['unit_id'], ['id'])

    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('intake_type', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('intake_type_by', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('urgency', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('urgency_by', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('responsible_unit_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('return_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index(batch_op.f('ix_tickets_intake_type'), ['intake_type'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_tickets_responsible_unit_id_org_units'), 'org_units', ['responsible_unit_id'], ['id'])
    _backfill()


def _backfill() -> None:
    """Tickets already on file get the type and class their category and level give."""
    op.execute(
        "UPDATE tickets SET intake_type = CASE category "
        "WHEN 'other' THEN 'consultation' WHEN 'noise_disputes' THEN 'complaint' "
        "ELSE 'request' END, intake_type_by = 'triage' WHERE category IS NOT NULL"
    )
    op.execute(
        "UPDATE tickets SET urgency = CASE "
        "WHEN level = 'urgent' THEN 'emergency' WHEN level = 'complex' THEN 'complex' "
        "WHEN category = 'utilities' THEN 'utilities' ELSE 'general' END, "
        "urgency_by = 'triage' WHERE level IS NOT NULL AND level <> 'simple'"
    )
    op.execute("UPDATE tickets SET responsible_unit_id = first_team_id")
    op.execute(
        "UPDATE tickets SET return_count = (SELECT count(*) FROM ticket_events e "
        "WHERE e.ticket_id = tickets.id AND e.action = 'return')"
    )


def downgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_tickets_responsible_unit_id_org_units'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_tickets_intake_type'))
        batch_op.drop_column('return_count')
        batch_op.drop_column('responsible_unit_id')
        batch_op.drop_column('urgency_by')
        batch_op.drop_column('urgency')
        batch_op.drop_column('intake_type_by')
        batch_op.drop_column('intake_type')

    with op.batch_alter_table('ticket_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_ticket_events_unit_id_org_units'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_ticket_events_unit_id'))
        batch_op.drop_column('unit_id')

    with op.batch_alter_table('ticket_extensions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_extensions_unit_id'))
        batch_op.drop_index(batch_op.f('ix_ticket_extensions_ticket_id'))
        batch_op.drop_index(batch_op.f('ix_ticket_extensions_status'))

    op.drop_table('ticket_extensions')
