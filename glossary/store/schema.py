"""The store's schema, kept by Alembic migrations (glossary/store/migrations).

Servers only check the schema's revision, with one query; Alembic itself
(~10 MB of imports) is loaded only to migrate.
"""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import inspect, text

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest migration's revision (a test checks it against migrations/versions).
HEAD = "0005"
# The schema that glossary 0.1 created without migrations is revision 0001.
FIRST = "0001"


class SchemaError(RuntimeError):
    """The database's schema is not the one this version of glossary needs."""


def head() -> str:
    """Return the newest migration's revision id."""
    return HEAD


def current(connection) -> str | None:
    """Return the revision the database is at, or None for a database without our schema."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def is_empty(connection) -> bool:
    """Return whether the database has none of our tables (and no migration record)."""
    return current(connection) is None and not inspect(connection).has_table("terms")


# Alembic keeps the running migration's context in a module global: two
# threads of one process migrating at once (a server's first request and its
# background reload, each finding an empty store) would swap each other's.
_MIGRATING = threading.Lock()


def upgrade(connection, revision: str = "head") -> None:
    """Migrate the database to `revision` inside the caller's transaction."""
    from alembic import command

    config = alembic_config(connection)
    with _MIGRATING:
        if current(connection) is None and inspect(connection).has_table("terms"):
            command.stamp(config, FIRST)
        command.upgrade(config, revision)


def alembic_config(connection=None):
    """Return an Alembic Config for the migrations, bound to `connection` if given."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def check(connection) -> None:
    """Raise SchemaError unless the database is at the newest migration.

    Raises:
        SchemaError: Naming the command that brings the schema up to date.
    """
    at = current(connection)
    if at == HEAD:
        return
    raise SchemaError(f"the store's schema is at revision {at or 'none'}, this version needs {HEAD}: "
                      "run `glossary db upgrade`")
