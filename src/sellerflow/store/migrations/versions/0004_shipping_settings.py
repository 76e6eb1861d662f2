"""sellers' shipping settings; shipping charged once per order line

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

A seller sets, per service level, an amount per shipment and an amount per item; an order's
first line carries the per-shipment amount (order_items.line_shipping_cents, 0 for the orders
placed before, which paid per item only).
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'shipping_rates',
        sa.Column('seller_id', sa.String(length=20), nullable=False),
        sa.Column('service_level', sa.String(length=20), nullable=False),
        sa.Column('per_shipment_cents', sa.BigInteger(), nullable=False),
        sa.Column('per_item_cents', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['seller_id'], ['sellers.seller_id']),
        sa.PrimaryKeyConstraint('seller_id', 'service_level'))
    with op.batch_alter_table('order_items') as batch:
        batch.add_column(sa.Column('line_shipping_cents', sa.BigInteger(), nullable=False,
                                   server_default=sa.text('0')))


def downgrade() -> None:
    with op.batch_alter_table('order_items') as batch:
        batch.drop_column('line_shipping_cents')
    op.drop_table('shipping_rates')
