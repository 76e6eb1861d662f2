"""Buy Shipping labels and the carriers' scans

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06

A shipment keeps what its carrier's scans tell (first scan, delivery, loss) and the order's
promised delivery; labels bought through Merchant Fulfillment or Shipping v2 are kept with
the shipment they confirmed, and Shipping v2's rate answers for its purchases. The outbox
takes the longer kind of SHIPMENT_TRACKING_MILESTONE_CHANGED.
"""
import sqlalchemy as sa
from alembic import op

from sellerflow.store.types import UTCDateTime

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

_SCANS = ('first_scan_at', 'delivered_at', 'lost_at', 'deliver_by')


def upgrade() -> None:
    # sp-api:SHIPMENT_TRACKING_MILESTONE_CHANGED is longer than the 40 characters kept.
    with op.batch_alter_table('outbox') as batch:
        batch.alter_column('kind', type_=sa.String(60), existing_type=sa.String(40),
                           existing_nullable=False)
    for name in _SCANS:
        op.add_column('shipments', sa.Column(name, UTCDateTime()))
    op.add_column('shipments', sa.Column('label_id', sa.String(40)))
    # Shipments confirmed before scans were kept: a valid number was scanned when shipped.
    op.execute("UPDATE shipments SET first_scan_at = ship_date WHERE tracking_valid")
    op.create_index('ix_shipments_tracking', 'shipments', ['seller_id', 'tracking_number'])
    op.create_index('ix_shipments_deliver_by', 'shipments', ['seller_id', 'deliver_by'])
    op.create_table(
        'labels',
        sa.Column('seller_id', sa.String(20), nullable=False),
        sa.Column('label_id', sa.String(40), nullable=False),
        sa.Column('amazon_order_id', sa.String(19), nullable=False),
        sa.Column('api', sa.String(10), nullable=False),
        sa.Column('service_id', sa.String(60), nullable=False),
        sa.Column('carrier', sa.String(40), nullable=False),
        sa.Column('tracking_number', sa.String(100), nullable=False),
        sa.Column('charge_cents', sa.BigInteger(), nullable=False),
        sa.Column('label_format', sa.String(10), nullable=False),
        sa.Column('ship_from', sa.Text(), nullable=False),
        sa.Column('package', sa.Text(), nullable=False),
        sa.Column('lines', sa.Text(), nullable=False),
        sa.Column('ship_date', UTCDateTime(), nullable=False),
        sa.Column('earliest_delivery', UTCDateTime(), nullable=False),
        sa.Column('latest_delivery', UTCDateTime(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('canceled_at', UTCDateTime()),
        sa.PrimaryKeyConstraint('seller_id', 'label_id'),
        sa.ForeignKeyConstraint(['seller_id', 'amazon_order_id'],
                                ['orders.seller_id', 'orders.amazon_order_id']))
    op.create_index('ix_labels_order', 'labels', ['seller_id', 'amazon_order_id'])
    op.create_table(
        'rate_requests',
        sa.Column('request_token', sa.String(40), primary_key=True),
        sa.Column('seller_id', sa.String(20), nullable=False),
        sa.Column('request', sa.Text(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False))


def downgrade() -> None:
    op.drop_table('rate_requests')
    op.drop_index('ix_labels_order', 'labels')
    op.drop_table('labels')
    op.drop_index('ix_shipments_deliver_by', 'shipments')
    op.drop_index('ix_shipments_tracking', 'shipments')
    with op.batch_alter_table('shipments') as batch:
        for name in (*_SCANS, 'label_id'):
            batch.drop_column(name)
    with op.batch_alter_table('outbox') as batch:
        batch.alter_column('kind', type_=sa.String(40), existing_type=sa.String(60),
                           existing_nullable=False)
