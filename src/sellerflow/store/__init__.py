"""Storage: SQLAlchemy Core schema, Alembic migrations and the queries the services use."""
