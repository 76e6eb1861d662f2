"""orders checked out with Prime

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26

Amazon's IsPrime on an order: the buyer checked out with Prime (seller-fulfilled Prime).
Orders placed before were not.
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('orders') as batch:
        batch.add_column(sa.Column('is_prime', sa.Boolean(), nullable=False,
                                   server_default=sa.text('false')))


def downgrade() -> None:
    with op.batch_alter_table('orders') as batch:
        batch.drop_column('is_prime')
