"""tokens, report requests and documents for the HTTP API

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26

The SP-API-compatible routes: hashed access and restricted data tokens, reports requested
through the Reports API, the documents clients download (reports) or upload (feed files)
through URLs on this server, and listings' product types and attributes as the Listings Items
API gave them (a deleted listing keeps its row, which orders name).
"""
import sqlalchemy as sa
from alembic import op

from sellerflow.store.types import UTCDateTime

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('listings') as batch:
        batch.add_column(sa.Column('product_type', sa.String(length=100), nullable=True))
        batch.add_column(sa.Column('attributes', sa.Text(), nullable=True))
        batch.add_column(sa.Column('deleted_at', UTCDateTime(), nullable=True))
    op.create_table(
        'api_tokens',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('seller_id', sa.String(length=20), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('scope', sa.Text(), nullable=True),
        sa.Column('expires_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['seller_id'], ['sellers.seller_id'],
                                name='fk_api_tokens_seller_id_sellers'),
        sa.PrimaryKeyConstraint('token_hash', name='pk_api_tokens'))
    op.create_index('ix_api_tokens_seller_expires', 'api_tokens', ['seller_id', 'expires_at'])
    op.create_table(
        'report_requests',
        sa.Column('report_id', sa.String(length=20), nullable=False),
        sa.Column('seller_id', sa.String(length=20), nullable=False),
        sa.Column('report_type', sa.String(length=80), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('data_start', UTCDateTime(), nullable=True),
        sa.Column('data_end', UTCDateTime(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('processing_start', UTCDateTime(), nullable=True),
        sa.Column('processing_end', UTCDateTime(), nullable=True),
        sa.Column('document_id', sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(['seller_id'], ['sellers.seller_id'],
                                name='fk_report_requests_seller_id_sellers'),
        sa.PrimaryKeyConstraint('report_id', name='pk_report_requests'))
    op.create_index('ix_report_requests_seller_created', 'report_requests',
                    ['seller_id', 'created_at'])
    op.create_index('ix_report_requests_status', 'report_requests', ['status'])
    op.create_table(
        'documents',
        sa.Column('document_id', sa.String(length=100), nullable=False),
        sa.Column('seller_id', sa.String(length=20), nullable=False),
        sa.Column('purpose', sa.String(length=10), nullable=False),
        sa.Column('subject_id', sa.String(length=40), nullable=True),
        sa.Column('content_type', sa.String(length=200), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['seller_id'], ['sellers.seller_id'],
                                name='fk_documents_seller_id_sellers'),
        sa.PrimaryKeyConstraint('document_id', name='pk_documents'))
    op.create_index('ix_documents_subject', 'documents', ['subject_id'])


def downgrade() -> None:
    op.drop_index('ix_documents_subject', table_name='documents')
    op.drop_table('documents')
    op.drop_index('ix_report_requests_status', table_name='report_requests')
    op.drop_index('ix_report_requests_seller_created', table_name='report_requests')
    op.drop_table('report_requests')
    op.drop_index('ix_api_tokens_seller_expires', table_name='api_tokens')
    op.drop_table('api_tokens')
    with op.batch_alter_table('listings') as batch:
        batch.drop_column('deleted_at')
        batch.drop_column('attributes')
        batch.drop_column('product_type')
