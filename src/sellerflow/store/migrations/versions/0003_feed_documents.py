"""uploaded files apart from their feeds; shipment upload keys unique on their own

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

A feed's progress is written with every batch of rows it applies; with the file in the same
row, SQLite rewrote the whole file each time. The file moves to feed_documents.

A file row's upload key is a hash of the row, which names an order of one seller: the key is
unique on its own, and PostgreSQL's planner, knowing so, looks keys up by that index instead
of scanning the seller's shipments.
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'feed_documents',
        sa.Column('feed_id', sa.String(length=20), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['feed_id'], ['feeds.feed_id']),
        sa.PrimaryKeyConstraint('feed_id'))
    op.execute("INSERT INTO feed_documents (feed_id, content) SELECT feed_id, content FROM feeds")
    with op.batch_alter_table('feeds') as batch:
        batch.drop_column('content')
    with op.batch_alter_table('shipments') as batch:
        batch.drop_constraint('uq_shipments_seller_upload_key', type_='unique')
        batch.create_unique_constraint('uq_shipments_upload_key', ['upload_key'])


def downgrade() -> None:
    with op.batch_alter_table('shipments') as batch:
        batch.drop_constraint('uq_shipments_upload_key', type_='unique')
        batch.create_unique_constraint('uq_shipments_seller_upload_key',
                                       ['seller_id', 'upload_key'])
    with op.batch_alter_table('feeds') as batch:
        batch.add_column(sa.Column('content', sa.LargeBinary(), nullable=True))
    op.execute("UPDATE feeds SET content = (SELECT d.content FROM feed_documents d "
               "WHERE d.feed_id = feeds.feed_id)")
    op.drop_table('feed_documents')
