"""first schema: terms, aliases, tags, see-also, articles, occurrences, meta

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('articles',
    sa.Column('slug', sa.String(length=300), nullable=False),
    sa.Column('title', sa.String(length=1000), nullable=False),
    sa.Column('date', sa.String(length=40), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('lang', sa.String(length=40), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('draft', sa.Boolean(), nullable=False),
    sa.Column('source_path', sa.String(length=2000), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('slug')
    )
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_articles_date'), ['date'], unique=False)

    op.create_table('meta',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('terms',
    sa.Column('id', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=500), nullable=False),
    sa.Column('en', sa.String(length=500), nullable=True),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.Column('pinyin', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=500), nullable=False),
    sa.Column('key', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['term_id'], ['terms.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aliases_term_id'), ['term_id'], unique=False)

    op.create_table('article_tags',
    sa.Column('article_slug', sa.String(length=300), nullable=False),
    sa.Column('tag', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_slug'], ['articles.slug'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_slug', 'tag')
    )
    with op.batch_alter_table('article_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_article_tags_tag'), ['tag'], unique=False)

    op.create_table('occurrences',
    sa.Column('article_slug', sa.String(length=300), nullable=False),
    sa.Column('term_id', sa.String(length=200), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('snippet', sa.Text(), nullable=False),
    sa.Column('snippet_start', sa.Integer(), nullable=False),
    sa.Column('snippet_end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_slug'], ['articles.slug'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['term_id'], ['terms.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_slug', 'term_id')
    )
    with op.batch_alter_table('occurrences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occurrences_term_id'), ['term_id'], unique=False)

    op.create_table('see_also',
    sa.Column('term_id', sa.String(length=200), nullable=False),
    sa.Column('target_id', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['target_id'], ['terms.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['term_id'], ['terms.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('term_id', 'target_id')
    )
    op.create_table('term_tags',
    sa.Column('term_id', sa.String(length=200), nullable=False),
    sa.Column('tag', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['term_id'], ['terms.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('term_id', 'tag')
    )
    with op.batch_alter_table('term_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_term_tags_tag'), ['tag'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('term_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_term_tags_tag'))

    op.drop_table('term_tags')
    op.drop_table('see_also')
    with op.batch_alter_table('occurrences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_occurrences_term_id'))

    op.drop_table('occurrences')
    with op.batch_alter_table('article_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_tags_tag'))

    op.drop_table('article_tags')
    with op.batch_alter_table('aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aliases_term_id'))

    op.drop_table('aliases')
    op.drop_table('terms')
    op.drop_table('meta')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_articles_date'))

    op.drop_table('articles')
