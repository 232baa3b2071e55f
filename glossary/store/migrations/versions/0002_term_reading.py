"""terms.reading: the index reading computed at sync time

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('terms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reading', sa.Text(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('terms', schema=None) as batch_op:
        batch_op.drop_column('reading')

