"""terms.as_of, terms.sources, terms.history, and the change log term_changes

Revision ID: 0004
Revises: 0003
Create Date: 2027-01-10
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('terms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('as_of', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('sources', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('history', sa.Text(), nullable=True))
    op.create_table(
        'term_changes',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('term_id', sa.String(length=200), nullable=False),
        sa.Column('term', sa.String(length=500), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('fields', sa.String(length=200), nullable=False),
        sa.Column('definition', sa.Text(), nullable=True),
        sa.Column('previous', sa.Text(), nullable=True),
        sa.Column('terms_sha256', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('term_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_term_changes_changed_at'), ['changed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_term_changes_term_id'), ['term_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('term_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_term_changes_term_id'))
        batch_op.drop_index(batch_op.f('ix_term_changes_changed_at'))
    op.drop_table('term_changes')
    with op.batch_alter_table('terms', schema=None) as batch_op:
        batch_op.drop_column('history')
        batch_op.drop_column('sources')
        batch_op.drop_column('as_of')
