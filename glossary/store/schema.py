"""The store's schema, kept by Alembic migrations (glossary/store/migrations)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class SchemaError(RuntimeError):
    """The database's schema is not the one this version of glossary needs."""


def _config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head() -> str:
    """Return the newest migration's revision id."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def current(connection) -> str | None:
    """Return the revision the database is at, or None for a database without our schema."""
    return MigrationContext.configure(connection).get_current_revision()


def is_empty(connection) -> bool:
    """Return whether the database has none of our tables (and no migration record)."""
    return current(connection) is None and not inspect(connection).has_table("terms")


# The schema that glossary 0.1 created without migrations is revision 0001.
FIRST = "0001"


def upgrade(connection, revision: str = "head") -> None:
    """Migrate the database to `revision` inside the caller's transaction."""
    config = _config(connection)
    if current(connection) is None and inspect(connection).has_table("terms"):
        command.stamp(config, FIRST)
    command.upgrade(config, revision)


def check(connection) -> None:
    """Raise SchemaError unless the database is at the newest migration.

    Raises:
        SchemaError: Naming the command that brings the schema up to date.
    """
    at, wanted = current(connection), head()
    if at == wanted:
        return
    raise SchemaError(f"the store's schema is at revision {at or 'none'}, this version needs {wanted}: "
                      "run `glossary db upgrade`")
