"""classes: a trainer's class of trainees, each with a marketplace of their own

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06

The registry lives in the server's database; each trainee's marketplace is a database of its
own beside it (docs/classroom.md).
"""
import sqlalchemy as sa
from alembic import op

from sellerflow.store.types import UTCDateTime

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'classes',
        sa.Column('name', sa.String(40), primary_key=True),
        sa.Column('language', sa.String(8), nullable=False),
        sa.Column('scenario', sa.String(60)),
        sa.Column('policy', sa.Text()),
        sa.Column('created_at', UTCDateTime(), nullable=False))
    op.create_table(
        'class_members',
        sa.Column('class_name', sa.String(40), sa.ForeignKey('classes.name'),
                  primary_key=True),
        sa.Column('number', sa.Integer(), primary_key=True),
        sa.Column('email', sa.String(320), nullable=False, unique=True),
        sa.Column('password_hash', sa.String(200), nullable=False),
        sa.Column('database', sa.String(1000)),
        sa.Column('seller_id', sa.String(20)))
    op.create_table(
        'class_sessions',
        sa.Column('session_hash', sa.String(64), primary_key=True),
        sa.Column('class_name', sa.String(40), sa.ForeignKey('classes.name'),
                  nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('last_seen_at', UTCDateTime(), nullable=False))


def downgrade() -> None:
    op.drop_table('class_sessions')
    op.drop_table('class_members')
    op.drop_table('classes')
