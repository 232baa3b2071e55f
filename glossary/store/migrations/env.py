"""Alembic environment: migrations run on a connection the store hands over."""

from alembic import context

from glossary.store.models import Base

connection = context.config.attributes["connection"]
# Batch mode lets SQLite alter tables (it rebuilds them); PostgreSQL alters in place.
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
