"""articles.max_links, and articles.mode may be empty: both then follow the site's settings

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.alter_column('mode', existing_type=sa.String(length=10), nullable=True)
        batch_op.add_column(sa.Column('max_links', sa.Integer(), nullable=True))


def downgrade() -> None:
    op.execute("UPDATE articles SET mode = 'bold' WHERE mode IS NULL")
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('max_links')
        batch_op.alter_column('mode', existing_type=sa.String(length=10), nullable=False)
