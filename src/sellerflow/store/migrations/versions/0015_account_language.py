"""sellers and buyers keep the language they read

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06

E-mails are written in their recipient's language: the one they last chose or signed in with
in the console or the storefront (English until then).
"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ('sellers', 'buyers'):
        op.add_column(table, sa.Column('language', sa.String(8), nullable=False,
                                       server_default='en'))


def downgrade() -> None:
    for table in ('sellers', 'buyers'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('language')
