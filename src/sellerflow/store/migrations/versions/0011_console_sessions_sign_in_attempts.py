"""console sessions kept in the database; sign-in attempts and rate-limit buckets there

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

A console session was a signed cookie alone: signing out could not end a copy of it, and a
password change ended none. Sessions are now rows (the cookie holds a random id, kept as a
hash), and sign-in attempts and the usage plans' token buckets are counted in rows every
process shares. Sessions signed in before this migration end: their sellers sign in again.
"""
import sqlalchemy as sa
from alembic import op

from sellerflow.store.types import UTCDateTime

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'console_sessions',
        sa.Column('session_hash', sa.String(length=64), nullable=False),
        sa.Column('seller_id', sa.String(length=20), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('last_seen_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['seller_id'], ['sellers.seller_id'],
                                name='fk_console_sessions_seller_id_sellers'),
        sa.PrimaryKeyConstraint('session_hash', name='pk_console_sessions'))
    op.create_index('ix_console_sessions_seller', 'console_sessions', ['seller_id'])
    op.create_table(
        'sign_in_attempts',
        sa.Column('subject', sa.String(length=400), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('window_start', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('subject', name='pk_sign_in_attempts'))
    op.create_table(
        'throttle_buckets',
        sa.Column('seller_id', sa.String(length=20), nullable=False),
        sa.Column('operation', sa.String(length=60), nullable=False),
        sa.Column('tokens', sa.Float(), nullable=False),
        sa.Column('counted_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['seller_id'], ['sellers.seller_id'],
                                name='fk_throttle_buckets_seller_id_sellers'),
        sa.PrimaryKeyConstraint('seller_id', 'operation', name='pk_throttle_buckets'))


def downgrade() -> None:
    op.drop_table('throttle_buckets')
    op.drop_table('sign_in_attempts')
    op.drop_index('ix_console_sessions_seller', table_name='console_sessions')
    op.drop_table('console_sessions')
