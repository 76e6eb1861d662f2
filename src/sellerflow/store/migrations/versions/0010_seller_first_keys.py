"""every seller-owned table keyed and indexed with seller_id first

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04

A sharded PostgreSQL (Citus, docs/scaling.md) places each row by a distribution column and
requires it in every primary key, unique constraint and foreign key of a distributed table:
orders and everything about them are now keyed by (seller_id, ...), so one seller's rows
live together on one shard. Lookups by an id alone keep an index of their own
(a buyer's or the operator's view of an order names no seller, nor the worker's of a feed).

SQLite numbers rows only through a single-column INTEGER PRIMARY KEY, so its tables with a
serial id (listings, order_history, deadlines, shipments, refunds, ledger, messages) keep
that id as their key and get seller-first indexes instead; a SQLite database is one file and
never shards. SQLite changes a key by rebuilding the table (Alembic's batch mode), with
foreign keys checked once at the end (store/migrate.py).

Existing rows are kept: feed_documents gains its feed's seller_id, copied from feeds.
"""
import warnings

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# Tables whose rows belong to an order: (name, its old index on amazon_order_id and its
# columns, its new index on (seller_id, amazon_order_id, ...) and its columns).
ORDER_CHILDREN = [
    ('order_items', ('ix_order_items_amazon_order_id', ['amazon_order_id']),
     ('ix_order_items_order', ['seller_id', 'amazon_order_id', 'position'])),
    ('order_history', ('ix_order_history_order', ['amazon_order_id', 'id']),
     ('ix_order_history_order', ['seller_id', 'amazon_order_id', 'id'])),
    ('deadlines', ('ix_deadlines_amazon_order_id', ['amazon_order_id']),
     ('ix_deadlines_order', ['seller_id', 'amazon_order_id', 'due_at'])),
    ('shipments', ('ix_shipments_amazon_order_id', ['amazon_order_id']),
     ('ix_shipments_order', ['seller_id', 'amazon_order_id', 'id'])),
    ('refunds', ('ix_refunds_amazon_order_id', ['amazon_order_id']),
     ('ix_refunds_order', ['seller_id', 'amazon_order_id', 'id'])),
    ('messages', ('ix_messages_amazon_order_id', ['amazon_order_id']),
     ('ix_messages_order', ['seller_id', 'amazon_order_id', 'id'])),
    ('feedback', None, None),
]
# Lookups by an id alone: a buyer's or the operator's of an order, the operator's or the
# worker's of a feed or a report.
BY_ID_INDEXES = [('ix_orders_amazon_order_id', 'orders', ['amazon_order_id']),
                 ('ix_feeds_feed_id', 'feeds', ['feed_id']),
                 ('ix_report_requests_report_id', 'report_requests', ['report_id'])]
# Primary keys, seller first (tables with a serial id: on PostgreSQL only).
NEW_KEYS = {
    'orders': ['seller_id', 'amazon_order_id'],
    'order_items': ['seller_id', 'order_item_id'],
    'feedback': ['seller_id', 'amazon_order_id'],
    'listings': ['seller_id', 'listing_id'],
    'order_history': ['seller_id', 'id'],
    'deadlines': ['seller_id', 'id'],
    'shipments': ['seller_id', 'id'],
    'refunds': ['seller_id', 'id'],
    'ledger': ['seller_id', 'id'],
    'messages': ['seller_id', 'id'],
    'feeds': ['seller_id', 'feed_id'],
    'feed_documents': ['seller_id', 'feed_id'],
    'feed_results': ['seller_id', 'feed_id', 'record_number'],
    'report_requests': ['seller_id', 'report_id'],
}
OLD_KEYS = {table: columns[1:] for table, columns in NEW_KEYS.items()}
SERIAL = {'listings', 'order_history', 'deadlines', 'shipments', 'refunds', 'ledger',
          'messages'}
UPLOAD_KEY = ('uq_shipments_seller_upload_key', ['seller_id', 'upload_key'])
OLD_UPLOAD_KEY = ('uq_shipments_upload_key', ['upload_key'])
# Parents before children.
REBUILT_ON_SQLITE = ('orders', 'listings', 'feeds', *(t for t, *_ in ORDER_CHILDREN),
                     'feed_documents', 'feed_results', 'report_requests')

ForeignKey = tuple[str, str, list[str]]      # (name, referred table, columns on both sides)


def _references(table: str, referred: str, key: str, seller_first: bool) -> ForeignKey:
    if seller_first:
        return (f'fk_{table}_seller_id_{referred}', referred, ['seller_id', key])
    return (f'fk_{table}_{key}_{referred}', referred, [key])


def _foreign_keys(seller_first: bool) -> dict[str, list[ForeignKey]]:
    """The foreign keys between seller-owned tables, by table: the composite ones (new) or
    those by id alone (old)."""
    found = {table: [_references(table, 'orders', 'amazon_order_id', seller_first)]
             for table, *_ in ORDER_CHILDREN}
    found['order_items'].append(_references('order_items', 'listings', 'listing_id',
                                            seller_first))
    for table in ('feed_documents', 'feed_results'):
        found[table] = [_references(table, 'feeds', 'feed_id', seller_first)]
    return found


def upgrade() -> None:
    op.add_column('feed_documents', sa.Column('seller_id', sa.String(length=20)))
    op.execute('UPDATE feed_documents SET seller_id = (SELECT feeds.seller_id FROM feeds '
               'WHERE feeds.feed_id = feed_documents.feed_id)')
    _change_keys(seller_first=True)
    for table, old, new in ORDER_CHILDREN:
        if old is not None and new is not None:
            op.drop_index(old[0], table_name=table)
            op.create_index(new[0], table, new[1])
    for name, table, columns in BY_ID_INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    """Back to keys by id alone (ids are distinct across sellers, so the rows fit them)."""
    for name, table, _columns in BY_ID_INDEXES:
        op.drop_index(name, table_name=table)
    for table, old, new in ORDER_CHILDREN:
        if old is not None and new is not None:
            op.drop_index(new[0], table_name=table)
            op.create_index(old[0], table, old[1])
    _change_keys(seller_first=False)
    op.drop_column('feed_documents', 'seller_id')


def _change_keys(seller_first: bool) -> None:
    keys, upload_key = (NEW_KEYS, UPLOAD_KEY) if seller_first else (OLD_KEYS, OLD_UPLOAD_KEY)
    dropped, created = _foreign_keys(not seller_first), _foreign_keys(seller_first)
    old_upload_key = OLD_UPLOAD_KEY if seller_first else UPLOAD_KEY
    if op.get_bind().dialect.name == 'postgresql':
        for table, foreign_keys in dropped.items():
            for name, *_ in foreign_keys:
                op.drop_constraint(name, table, type_='foreignkey')
        if seller_first:
            op.alter_column('feed_documents', 'seller_id', nullable=False)
        for table, columns in keys.items():
            op.drop_constraint(f'pk_{table}', table, type_='primary')
            op.create_primary_key(f'pk_{table}', table, columns)
        for table, foreign_keys in created.items():
            for name, referred, columns in foreign_keys:
                op.create_foreign_key(name, table, referred, columns, columns)
        op.drop_constraint(old_upload_key[0], 'shipments', type_='unique')
        op.create_unique_constraint(upload_key[0], 'shipments', upload_key[1])
        return
    order = REBUILT_ON_SQLITE if seller_first else tuple(reversed(REBUILT_ON_SQLITE))
    for table in order:
        with warnings.catch_warnings(), op.batch_alter_table(table, recreate='always') as batch:
            # The rebuilt table's columns are copied with their old key flags, which
            # create_primary_key replaces: SQLAlchemy says so, and that is the intent.
            warnings.filterwarnings('ignore', r'.*specifies columns .* as primary_key=True',
                                    sa.exc.SAWarning)
            for name, *_ in dropped.get(table, []):
                batch.drop_constraint(name, type_='foreignkey')
            if table == 'feed_documents' and seller_first:
                batch.alter_column('seller_id', nullable=False)
            if table == 'listings':
                # The referred key of order_items' composite foreign key.
                if seller_first:
                    batch.create_unique_constraint('uq_listings_seller_listing',
                                                   ['seller_id', 'listing_id'])
                else:
                    batch.drop_constraint('uq_listings_seller_listing', type_='unique')
            elif table == 'shipments':
                batch.drop_constraint(old_upload_key[0], type_='unique')
                batch.create_unique_constraint(upload_key[0], upload_key[1])
            if table not in SERIAL:
                batch.create_primary_key(f'pk_{table}', keys[table])
            for name, referred, columns in created.get(table, []):
                batch.create_foreign_key(name, referred, columns, columns)
