"""scheduled warning and deadline on orders; notification retries

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

An order keeps the ship-by warning and ship-confirm deadline it was placed with (L24, L23),
copied from its deadline rows, whatever the deployment's numbers become later. A notification
that cannot be delivered is retried with backoff and set aside after its last attempt.
"""
import sqlalchemy as sa
from alembic import op

import sellerflow.store.types

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('orders') as batch:
        batch.add_column(sa.Column('ship_warning_at', sellerflow.store.types.UTCDateTime(),
                                   nullable=True))
        batch.add_column(sa.Column('ship_deadline_at', sellerflow.store.types.UTCDateTime(),
                                   nullable=True))
    for column, kind in (('ship_warning_at', 'ship_warning'),
                         ('ship_deadline_at', 'ship_deadline')):
        op.execute(f"UPDATE orders SET {column} = (SELECT d.due_at FROM deadlines d "
                   f"WHERE d.amazon_order_id = orders.amazon_order_id AND d.kind = '{kind}')")
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('next_attempt_at', sellerflow.store.types.UTCDateTime(),
                                   nullable=True))
        batch.add_column(sa.Column('failed_at', sellerflow.store.types.UTCDateTime(),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('failed_at')
        batch.drop_column('next_attempt_at')
    with op.batch_alter_table('orders') as batch:
        batch.drop_column('ship_deadline_at')
        batch.drop_column('ship_warning_at')
