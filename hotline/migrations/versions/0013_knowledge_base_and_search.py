"""knowledge base and segmented full-text search for articles and tickets

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 05:00:00
"""
from alembic import op
import sqlalchemy as sa

from hotline.core.search_indexes import RETIRED_TRIGRAM_INDEXES
from hotline.search.fulltext import INDEXES


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('kb_articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('intake_types', sa.JSON(), nullable=False),
    sa.Column('owner', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('review_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_articles')),
    sa.UniqueConstraint('code', name=op.f('uq_kb_articles_code'))
    )
    op.create_index(op.f('ix_kb_articles_category'), 'kb_articles', ['category'], unique=False)
    op.create_index(op.f('ix_kb_articles_status'), 'kb_articles', ['status'], unique=False)
    with op.batch_alter_table('tickets') as batch:
        batch.add_column(sa.Column('kb_article_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f('fk_tickets_kb_article_id_kb_articles'), 'kb_articles', ['kb_article_id'], ['id'], ondelete='SET NULL')
    op.create_table('kb_article_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('keywords', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['kb_articles.id'], name=op.f('fk_kb_article_texts_article_id_kb_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_article_texts')),
    sa.UniqueConstraint('article_id', 'language', name=op.f('uq_kb_article_texts_article_id'))
    )
    op.create_table('kb_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['kb_articles.id'], name=op.f('fk_kb_revisions_article_id_kb_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_revisions')),
    sa.UniqueConstraint('article_id', 'version', name=op.f('uq_kb_revisions_article_id'))
    )
    op.create_table('kb_lookups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('query', sa.String(length=200), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('hits', sa.Integer(), nullable=True),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=64), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['kb_articles.id'], name=op.f('fk_kb_lookups_article_id_kb_articles'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_lookups'))
    )
    op.create_index('ix_kb_lookups_at', 'kb_lookups', ['at'], unique=False)
    op.create_table('kb_search',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('head_tokens', sa.Text(), nullable=False),
    sa.Column('body_tokens', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['kb_articles.id'], name=op.f('fk_kb_search_article_id_kb_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_search')),
    sa.UniqueConstraint('article_id', 'language', name=op.f('uq_kb_search_article_id'))
    )
    op.create_index(op.f('ix_kb_search_article_id'), 'kb_search', ['article_id'], unique=False)
    op.create_table('ticket_search',
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('tokens', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_search_ticket_id_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ticket_id', name=op.f('pk_ticket_search'))
    )
    op.create_table('search_words',
    sa.Column('word', sa.String(length=100), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('word', name=op.f('pk_search_words'))
    )
    op.create_table('search_generation',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('value', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_search_generation'))
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    for index in INDEXES:
        for statement in index.postgres_ddl() if postgres else index.sqlite_ddl():
            op.execute(statement)
    if postgres:
        for name in RETIRED_TRIGRAM_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    # Tickets written before this revision are indexed by `hotline init` (search.index_missing).


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for index in INDEXES:
        for statement in index.postgres_drop() if postgres else index.sqlite_drop():
            op.execute(statement)
    with op.batch_alter_table('tickets') as batch:
        batch.drop_constraint(batch.f('fk_tickets_kb_article_id_kb_articles'), type_='foreignkey')
        batch.drop_column('kb_article_id')
    op.drop_table('search_generation')
    op.drop_table('search_words')
    op.drop_table('ticket_search')
    op.drop_index(op.f('ix_kb_search_article_id'), table_name='kb_search')
    op.drop_table('kb_search')
    op.drop_index('ix_kb_lookups_at', table_name='kb_lookups')
    op.drop_table('kb_lookups')
    op.drop_table('kb_revisions')
    op.drop_table('kb_article_texts')
    op.drop_index(op.f('ix_kb_articles_status'), table_name='kb_articles')
    op.drop_index(op.f('ix_kb_articles_category'), table_name='kb_articles')
    op.drop_table('kb_articles')
