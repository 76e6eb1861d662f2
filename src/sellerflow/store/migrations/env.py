"""Alembic environment: run with the connection that sellerflow.store.migrate hands over."""

from __future__ import annotations

from alembic import context

from sellerflow.store.schema import declare_partial_indexes, metadata

declare_partial_indexes()

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
