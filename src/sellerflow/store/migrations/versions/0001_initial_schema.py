"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

import sellerflow.store.types

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('buyers',
    sa.Column('buyer_id', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('token_hash', sa.String(length=200), nullable=False),
    sa.Column('created_at', sellerflow.store.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('buyer_id', name=op.f('pk_buyers')),
    sa.UniqueConstraint('email', name=op.f('uq_buyers_email')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_buyers_token_hash'))
    )
    op.create_table('ledger',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('seller_id', sa.String(length=20), nullable=False),
    sa.Column('amazon_order_id', sa.String(length=19), nullable=False),
    sa.Column('at', sellerflow.store.types.UTCDateTime(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger'))
    )
    with op.batch_alter_table('ledger', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_seller', ['seller_id', 'id'], unique=False)

    op.create_table('mailbox',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('outbox_id', sa.BigInteger(), nullable=False),
    sa.Column('recipient', sa.String(length=320), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('sent_at', sellerflow.store.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mailbox')),
    sa.UniqueConstraint('outbox_id', name=op.f('uq_mailbox_outbox_id'))
    )
    with op.batch_alter_table('mailbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mailbox_recipient'), ['recipient'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('dedupe_key', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('recipient', sa.String(length=320), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sellerflow.store.types.UTCDateTime(), nullable=False),
    sa.Column('sent_at', sellerflow.store.types.UTCDateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_dedupe_key'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_unsent', ['id'], unique=False, sqlite_where=sa.text('sent_at IS NULL'), postgresql_where=sa.text('sent_at IS NULL'))

    op.create_table('sellers',
    sa.Column('seller_id', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('plan', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('holidays', sa.Text(), server_default='', nullable=False),
    sa.Column('client_id', sa.String(length=100), nullable=False),
    sa.Column('client_secret_hash', sa.String(length=200), nullable=False),
    sa.Column('refresh_token_hash', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('created_at', sellerflow.store.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('seller_id', name=op.f('pk_sellers')),
    sa.UniqueConstraint('client_id', name=op.f('uq_sellers_client_id')),
    sa.UniqueConstraint('refresh_token_hash', name=op.f('uq_sellers_refresh_token_hash'))
    )
    op.create_table('settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('feeds',
    sa.Column('feed_id', sa.String(length=20), nullable=False),
    sa.Column('seller_id', sa.String(length=20), nullable=False),
    sa.Column('feed_type', sa.String(length=60), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sellerflow.store.types.UTCDateTime(), nullable=False),
    sa.Column('done_at', sellerflow.store.types.UTCDateTime(), nullable=True),
    sa.Column('next_record', sa.Integer(), nullable=False),
    sa.Column('total_records', sa.Integer(), nullable=True),
    sa.Column('processed', sa.Integer(), nullable=False),
    sa.Column('successful', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['seller_id'], ['sellers.seller_id'], name=op.f('fk_feeds_seller_id_sellers')),
    sa.PrimaryKeyConstraint('feed_id', name=op.f('pk_feeds'))
    )
    with op.batch_alter_table('feeds', schema=None) as batch_op:
        batch_op.create_index('ix_feeds_status', ['status'], unique=False)

    op.create_table('idempotency_keys',
    sa.Column('buyer_id', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('created_at', sellerflow.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['buyer_id'], ['buyers.buyer_id'], name=op.f('fk_idempotency_keys_buyer_id_buyers')),
    sa.PrimaryKeyConstraint('buyer_id', 'key', name=op.f('pk_idempotency_keys'))
    )
    op.create_table('listings',
    sa.Column('listing_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('seller_id', sa.String(length=20), nullable=False),
    sa.Column('sku', sa.String(length=200), nullable=False),
    sa.Column('asin', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('price_cents', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('handling_days', sa.Integer(), nullable=False),
    sa.Column('units_stocked', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('units_written_off', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('updated_at', sellerflow.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['seller_id'], ['sellers.seller_id'], name=op.f('fk_listings_seller_id_sellers')),
    sa.PrimaryKeyConstraint('listing_id', name=op.f('pk_listings')),
    sa.UniqueConstraint('seller_id', 'sku', name='uq_listings_seller_sku')
    )
    op.create_table('orders',
    sa.Column('amazon_order_id', sa.String(length=19), nullable=False),
    sa.Column('seller_id', sa.String(length=20), nullable=False),
    sa.Column('buyer_id', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('purchase_date', sellerflow.store.types.UTCDateTime(), nullable=False),
    sa.Column('last_update', sellerflow.store.types.UTCDateTime(), nullable=False),
    sa.Column('verification', sa.String(length=20), nullable=False),
    sa.Column('payment_method', sa.String(length=20), nullable=False),
    sa.Column('ship_service_level', sa.String(length=20), nullable=False),
    sa.Column('shipping_address', sa.Text(), nullable=False),
    sa.Column('requested_address', sa.Text(), nullable=True),
    sa.Column('released_at', sellerflow.store.types.UTCDateTime(), nullable=True),
    sa.Column('earliest_ship_date', sellerflow.store.types.UTCDateTime(), nullable=True),
    sa.Column('latest_ship_date', sellerflow.store.types.UTCDateTime(), nullable=True),
    sa.Column('earliest_delivery_date', sellerflow.store.types.UTCDateTime(), nullable=True),
    sa.Column('latest_delivery_date', sellerflow.store.types.UTCDateTime(), nullable=True),
    sa.Column('buyer_cancel_requested', sa.Boolean(), nullable=False),
    sa.Column('buyer_cancel_reason', sa.String(length=200), nullable=True),
    sa.Column('charged_cents', sa.BigInteger(), nullable=False),
    sa.Column('refunded_cents', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.ForeignKeyConstraint(['buyer_id'], ['buyers.buyer_id'], name=op.f('fk_orders_buyer_id_buyers')),
    sa.ForeignKeyConstraint(['seller_id'], ['sellers.seller_id'], name=op.f('fk_orders_seller_id_sellers')),
    sa.PrimaryKeyConstraint('amazon_order_id', name=op.f('pk_orders'))
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index('ix_orders_buyer', ['buyer_id'], unique=False)
        batch_op.create_index('ix_orders_seller_purchase', ['seller_id', 'purchase_date'], unique=False)
        batch_op.create_index('ix_orders_seller_status', ['seller_id', 'status'], unique=False)

    op.create_table('deadlines',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('amazon_order_id', sa.String(length=19), nullable=False),
    sa.Column('seller_id', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('due_at', sellerflow.store.types.UTCDateTime(), nullable=False),
    sa.Column('fired_at', sellerflow.store.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['amazon_order_id'], ['orders.amazon_order_id'], name=op.f('fk_deadlines_amazon_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadlines'))
    )
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadlines_amazon_order_id'), ['amazon_order_id'], unique=False)
        batch_op.create_index('ix_deadlines_due', ['due_at', 'id'], unique=False, sqlite_where=sa.text('fired_at IS NULL'), postgresql_where=sa.text('fired_at IS NULL'))

    op.create_table('feed_results',
    sa.Column('feed_id', sa.String(length=20), nullable=False),
    sa.Column('record_number', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.String(length=20), nullable=False),
    sa.Column('order_id', sa.String(length=40), nullable=False),
    sa.Column('order_item_id', sa.String(length=40), nullable=False),
    sa.Column('error_code', sa.String(length=10), nullable=False),
    sa.Column('error_type', sa.String(length=10), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['feed_id'], ['feeds.feed_id'], name=op.f('fk_feed_results_feed_id_feeds')),
    sa.PrimaryKeyConstraint('feed_id', 'record_number', name=op.f('pk_feed_results'))
    )
    op.create_table('feedback',
    sa.Column('amazon_order_id', sa.String(length=19), nullable=False),
    sa.Column('seller_id', sa.String(length=20), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('at', sellerflow.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['amazon_order_id'], ['orders.amazon_order_id'], name=op.f('fk_feedback_amazon_order_id_orders')),
    sa.PrimaryKeyConstraint('amazon_order_id', name=op.f('pk_feedback'))
    )
    op.create_table('messages',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('amazon_order_id', sa.String(length=19), nullable=False),
    sa.Column('seller_id', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('at', sellerflow.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['amazon_order_id'], ['orders.amazon_order_id'], name=op.f('fk_messages_amazon_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_messages_amazon_order_id'), ['amazon_order_id'], unique=False)

    op.create_table('order_history',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('amazon_order_id', sa.String(length=19), nullable=False),
    sa.Column('seller_id', sa.String(length=20), nullable=False),
    sa.Column('at', sellerflow.store.types.UTCDateTime(), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('cause', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['amazon_order_id'], ['orders.amazon_order_id'], name=op.f('fk_order_history_amazon_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_history'))
    )
    with op.batch_alter_table('order_history', schema=None) as batch_op:
        batch_op.create_index('ix_order_history_order', ['amazon_order_id', 'id'], unique=False)
        batch_op.create_index('ix_order_history_seller_at', ['seller_id', 'at'], unique=False)

    op.create_table('order_items',
    sa.Column('order_item_id', sa.String(length=14), nullable=False),
    sa.Column('amazon_order_id', sa.String(length=19), nullable=False),
    sa.Column('seller_id', sa.String(length=20), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=200), nullable=False),
    sa.Column('asin', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('quantity_ordered', sa.Integer(), nullable=False),
    sa.Column('quantity_shipped', sa.Integer(), nullable=False),
    sa.Column('quantity_canceled', sa.Integer(), nullable=False),
    sa.Column('unit_price_cents', sa.BigInteger(), nullable=False),
    sa.Column('unit_shipping_cents', sa.BigInteger(), nullable=False),
    sa.Column('handling_days', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['amazon_order_id'], ['orders.amazon_order_id'], name=op.f('fk_order_items_amazon_order_id_orders')),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.listing_id'], name=op.f('fk_order_items_listing_id_listings')),
    sa.PrimaryKeyConstraint('order_item_id', name=op.f('pk_order_items'))
    )
    with op.batch_alter_table('order_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_items_amazon_order_id'), ['amazon_order_id'], unique=False)

    op.create_table('refunds',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('amazon_order_id', sa.String(length=19), nullable=False),
    sa.Column('seller_id', sa.String(length=20), nullable=False),
    sa.Column('at', sellerflow.store.types.UTCDateTime(), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['amazon_order_id'], ['orders.amazon_order_id'], name=op.f('fk_refunds_amazon_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refunds'))
    )
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refunds_amazon_order_id'), ['amazon_order_id'], unique=False)

    op.create_table('shipments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('amazon_order_id', sa.String(length=19), nullable=False),
    sa.Column('seller_id', sa.String(length=20), nullable=False),
    sa.Column('carrier_code', sa.String(length=40), nullable=False),
    sa.Column('carrier_name', sa.String(length=200), nullable=True),
    sa.Column('tracking_number', sa.String(length=100), nullable=False),
    sa.Column('tracking_valid', sa.Boolean(), nullable=False),
    sa.Column('ship_method', sa.String(length=100), nullable=False),
    sa.Column('ship_date', sellerflow.store.types.UTCDateTime(), nullable=False),
    sa.Column('confirmed_at', sellerflow.store.types.UTCDateTime(), nullable=False),
    sa.Column('ship_to', sa.Text(), nullable=False),
    sa.Column('lines', sa.Text(), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('upload_key', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['amazon_order_id'], ['orders.amazon_order_id'], name=op.f('fk_shipments_amazon_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipments')),
    sa.UniqueConstraint('seller_id', 'upload_key', name='uq_shipments_seller_upload_key')
    )
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shipments_amazon_order_id'), ['amazon_order_id'], unique=False)
        batch_op.create_index('ix_shipments_seller_confirmed', ['seller_id', 'confirmed_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_index('ix_shipments_seller_confirmed')
        batch_op.drop_index(batch_op.f('ix_shipments_amazon_order_id'))

    op.drop_table('shipments')
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refunds_amazon_order_id'))

    op.drop_table('refunds')
    with op.batch_alter_table('order_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_items_amazon_order_id'))

    op.drop_table('order_items')
    with op.batch_alter_table('order_history', schema=None) as batch_op:
        batch_op.drop_index('ix_order_history_seller_at')
        batch_op.drop_index('ix_order_history_order')

    op.drop_table('order_history')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_amazon_order_id'))

    op.drop_table('messages')
    op.drop_table('feedback')
    op.drop_table('feed_results')
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index('ix_deadlines_due', sqlite_where=sa.text('fired_at IS NULL'), postgresql_where=sa.text('fired_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_deadlines_amazon_order_id'))

    op.drop_table('deadlines')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('ix_orders_seller_status')
        batch_op.drop_index('ix_orders_seller_purchase')
        batch_op.drop_index('ix_orders_buyer')

    op.drop_table('orders')
    op.drop_table('listings')
    op.drop_table('idempotency_keys')
    with op.batch_alter_table('feeds', schema=None) as batch_op:
        batch_op.drop_index('ix_feeds_status')

    op.drop_table('feeds')
    op.drop_table('settings')
    op.drop_table('sellers')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_unsent', sqlite_where=sa.text('sent_at IS NULL'), postgresql_where=sa.text('sent_at IS NULL'))

    op.drop_table('outbox')
    with op.batch_alter_table('mailbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mailbox_recipient'))

    op.drop_table('mailbox')
    with op.batch_alter_table('ledger', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_seller')

    op.drop_table('ledger')
    op.drop_table('buyers')
