"""how many orders each seller has of each status, kept as orders change

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26

Manage Orders shows the count of every status tab on every page; counting a seller's orders
each time costs in proportion to how many it has. The counts are now written with the orders
(a row per seller and status it has orders of) and filled here from the orders that exist.
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

def upgrade() -> None:
    counts = op.create_table(
        'order_counts',
        sa.Column('seller_id', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('orders', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['seller_id'], ['sellers.seller_id'],
                                name='fk_order_counts_seller_id_sellers'),
        sa.PrimaryKeyConstraint('seller_id', 'status', name='pk_order_counts'))
    conn = op.get_bind()
    found = {(seller, status): n for seller, status, n in conn.execute(sa.text(
        'SELECT seller_id, status, count(*) FROM orders GROUP BY seller_id, status'))}
    rows = [{'seller_id': seller, 'status': status, 'orders': n}
            for (seller, status), n in found.items()]
    if rows:
        op.bulk_insert(counts, rows)


def downgrade() -> None:
    op.drop_table('order_counts')
