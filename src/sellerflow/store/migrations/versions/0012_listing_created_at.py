"""listings keep when they were created

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06

The Listings Items API's summaries.createdDate was the listing's last update, so it moved on
every change. A listing now keeps its creation time; listings made before this migration take
their last update as the nearest time known.
"""
import sqlalchemy as sa
from alembic import op

from sellerflow.store.types import UTCDateTime

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('listings', sa.Column('created_at', UTCDateTime(), nullable=True))
    op.execute("UPDATE listings SET created_at = updated_at")


def downgrade() -> None:
    with op.batch_alter_table('listings') as batch:
        batch.drop_column('created_at')
