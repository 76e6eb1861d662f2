"""Notifications API destinations and subscriptions

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06

A seller's application names where notifications go (an SQS queue, an EventBridge bus, or
sellerflow's webhook) and subscribes to notification types; the notifications themselves go
through the outbox like mail.
"""
import sqlalchemy as sa
from alembic import op

from sellerflow.store.types import UTCDateTime

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'notification_destinations',
        sa.Column('destination_id', sa.String(40), nullable=False),
        sa.Column('seller_id', sa.String(20), sa.ForeignKey('sellers.seller_id'),
                  nullable=False),
        sa.Column('name', sa.String(256), nullable=False),
        sa.Column('kind', sa.String(20), nullable=False),
        sa.Column('target', sa.Text(), nullable=False),
        sa.Column('secret', sa.String(80), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('seller_id', 'destination_id'))
    op.create_index('ix_notification_destinations_id', 'notification_destinations',
                    ['destination_id'], unique=True)
    op.create_table(
        'notification_subscriptions',
        sa.Column('subscription_id', sa.String(40), nullable=False),
        sa.Column('seller_id', sa.String(20), sa.ForeignKey('sellers.seller_id'),
                  nullable=False),
        sa.Column('notification_type', sa.String(60), nullable=False),
        sa.Column('destination_id', sa.String(40), nullable=False),
        sa.Column('payload_version', sa.String(10), nullable=False),
        sa.Column('processing_directive', sa.Text(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('seller_id', 'subscription_id'),
        sa.UniqueConstraint('seller_id', 'notification_type',
                            name='uq_subscriptions_seller_type'))
    op.create_index('ix_notification_subscriptions_id', 'notification_subscriptions',
                    ['subscription_id'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_notification_subscriptions_id', 'notification_subscriptions')
    op.drop_table('notification_subscriptions')
    op.drop_index('ix_notification_destinations_id', 'notification_destinations')
    op.drop_table('notification_destinations')
