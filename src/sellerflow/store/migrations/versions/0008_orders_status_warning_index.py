"""orders indexed by status with their ship-by warning time

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26

Manage Orders counts a seller's orders of each status and those of Unshipped and Partially
shipped past their ship-by warning (L24) on every page. With the warning time in the
(seller_id, status) index, both counts read the index alone, and the warned orders are one
range of it.
"""
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_orders_seller_status', table_name='orders')
    op.create_index('ix_orders_seller_status', 'orders',
                    ['seller_id', 'status', 'ship_warning_at'])


def downgrade() -> None:
    op.drop_index('ix_orders_seller_status', table_name='orders')
    op.create_index('ix_orders_seller_status', 'orders', ['seller_id', 'status'])
