"""order items keep why and by whom their units were canceled, and their gift options

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06

Amazon cancels per item: a row of an order-cancellation file may name one item of an order,
and the Orders API 2026-01-01 gives each item its cancellation's reason and requester. An item
canceled before this migration takes its order's cancellation from the history (the last
entry that moved the order by a canceling reason). Items also keep the buyer's gift option (a
message, a gift wrap level), which getOrderItemsBuyerInfo and the 2026 API's FULFILLMENT give.
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

# The history reasons that canceled units when this migration was written.
CANCELING_REASONS = (
    "NoInventory", "ShippingAddressUndeliverable", "CustomerExchange", "BuyerCanceled",
    "GeneralAdjustment", "CarrierCreditDecision", "RiskAssessmentInformationNotValid",
    "CarrierCoverageFailure", "CustomerReturn", "MerchandiseNotReceived", "declined", "fraud",
    "verification-expired", "ship-deadline", "auto-cancel")


def upgrade() -> None:
    op.add_column('order_items', sa.Column('cancel_reason', sa.String(40), nullable=True))
    op.add_column('order_items', sa.Column('canceled_by', sa.String(12), nullable=True))
    op.add_column('order_items', sa.Column('gift_message', sa.String(240), nullable=True))
    op.add_column('order_items', sa.Column('gift_wrap_level', sa.String(40), nullable=True))
    reasons = ", ".join(f"'{reason}'" for reason in CANCELING_REASONS)
    for column, source in (("cancel_reason", "reason"), ("canceled_by", "cause")):
        op.execute(f"""
            UPDATE order_items SET {column} = (
                SELECT h.{source} FROM order_history h
                WHERE h.seller_id = order_items.seller_id
                  AND h.amazon_order_id = order_items.amazon_order_id
                  AND h.from_status IS NOT NULL AND h.from_status <> h.to_status
                  AND h.reason IN ({reasons})
                ORDER BY h.id DESC LIMIT 1)
            WHERE quantity_canceled > 0""")


def downgrade() -> None:
    with op.batch_alter_table('order_items') as batch:
        batch.drop_column('gift_wrap_level')
        batch.drop_column('gift_message')
        batch.drop_column('canceled_by')
        batch.drop_column('cancel_reason')
