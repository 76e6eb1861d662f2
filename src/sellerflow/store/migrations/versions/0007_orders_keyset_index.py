"""orders indexed in getOrders' page order

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26

A page of a seller's orders is read in (purchase_date, amazon_order_id) order. Indexed on
(seller_id, purchase_date) alone, orders sharing a purchase time (a sandbox whose clock
stands still places thousands in one second) were sorted on every page; with the id in the
index a page reads only its own rows.
"""
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_orders_seller_purchase', table_name='orders')
    op.create_index('ix_orders_seller_purchase', 'orders',
                    ['seller_id', 'purchase_date', 'amazon_order_id'])


def downgrade() -> None:
    op.drop_index('ix_orders_seller_purchase', table_name='orders')
    op.create_index('ix_orders_seller_purchase', 'orders', ['seller_id', 'purchase_date'])
