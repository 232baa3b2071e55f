"""terms.variants: the aliases given as objects (status, regions, note) and the not_in strings, as JSON

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('terms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('variants', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('terms', schema=None) as batch_op:
        batch_op.drop_column('variants')
