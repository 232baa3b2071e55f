"""The term store: terms, articles and mentions in a SQL database."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, selectinload, sessionmaker

from ..core.model import Glossary, Term
from . import schema
from .models import ArticleRow, ArticleTagRow, MetaRow, OccurrenceRow, TermChangeRow, TermRow
from .schema import SchemaError
from .sync import (
    TAG_LABELS_KEY,
    Changes,
    Sources,
    SyncError,
    decode_tag_labels,
    decode_variants,
    foreign_source,
    iter_stored_terms,
    preview_sync,
    read_inputs,
    set_sources,
    stored_sources,
    sync_glossary,
    sync_store,
    term_state,
)

__all__ = ["Changes", "SchemaError", "Sources", "Store", "SyncError", "TermChangeRow", "foreign_source",
           "read_inputs"]

# pg_advisory_xact_lock key that serialises writers (syncs, migrations) on
# one PostgreSQL database: "glossary" as an int64.
WRITE_LOCK = int.from_bytes(b"glossary", "big") - 2**63


def _sqlite_folder(parsed) -> Path | None:
    """Return the folder a SQLite store's file goes in, to be made if missing; None for memory or a read-only URI."""
    database = parsed.database
    if not database or database == ":memory:":
        return None
    if str(parsed.query.get("uri", "")).lower() in ("true", "1") and database.startswith("file:"):
        # SQLite's URI form (sqlite:///file:/srv/store.db?uri=true): the
        # file is the URI's path, not a folder named "file:" here. A store
        # opened read-only or in memory has no file to make room for.
        # (SQLAlchemy reads the URI's parameters as the URL's.)
        mode = parsed.query.get("mode")
        path = urlsplit(database).path
        if mode in ("ro", "memory") or not path or path == ":memory:":
            return None
        return Path(path).parent
    return Path(database).parent


class Store:
    """A database holding the synced glossary and articles."""

    def __init__(self, url: str):
        self.url = url
        self._engine = None
        self._session = None
        self._schema_ready = False

    @property
    def engine(self):
        """Return the engine, created on first use (so a bad URL only fails what needs the store)."""
        if self._engine is None:
            parsed = make_url(self.url)
            options = {}
            if parsed.get_backend_name() == "sqlite":
                folder = _sqlite_folder(parsed)
                if folder is not None:
                    folder.mkdir(parents=True, exist_ok=True)
                options["connect_args"] = {"timeout": 30}
            else:
                # A server restarted or a connection cut while idle: test
                # pooled connections before use, so the store recovers by itself.
                options["pool_pre_ping"] = True
            engine = create_engine(self.url, **options)
            if parsed.get_backend_name() == "sqlite":
                event.listen(engine, "connect", _sqlite_connect)
                event.listen(engine, "begin", _sqlite_begin)
            self._engine = engine
        return self._engine

    @property
    def session(self):
        """Return the session factory."""
        if self._session is None:
            self._session = sessionmaker(self.engine, expire_on_commit=False)
        return self._session

    @contextmanager
    def writing(self):
        """Yield a connection in a transaction that holds the store's write lock until it ends."""
        with self.engine.connect() as connection:
            connection.execution_options(glossary_write=True)
            with connection.begin():
                # SQLite takes its write lock at BEGIN (see _sqlite_begin);
                # PostgreSQL needs an explicit lock, released at commit or rollback.
                if connection.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
                yield connection

    def upgrade(self) -> str:
        """Migrate the schema to the newest revision; return that revision."""
        with self.writing() as connection:
            schema.upgrade(connection)
            self._schema_ready = True
            return schema.current(connection)

    def revision(self) -> tuple[str | None, str]:
        """Return (the database's schema revision, the revision this version needs)."""
        with self.engine.connect() as connection:
            return schema.current(connection), schema.head()

    def ensure_schema(self) -> None:
        """Check the schema once per process; an empty database gets one, so it reads as an empty store.

        Raises:
            SchemaError: The schema is older than this version needs.
        """
        if self._schema_ready:
            return
        with self.engine.connect() as connection:
            empty = schema.is_empty(connection)
            if not empty:
                schema.check(connection)
        if empty:
            self.upgrade()
        self._schema_ready = True

    def sync(self, glossary: Glossary, articles, progress=None, sources: Sources | None = None) -> Changes:
        """Replace the store's content with `glossary` and `articles` in one transaction.

        Two syncs of one database never interleave: the second waits for the
        first to commit, then writes its own inputs whole.

        Args:
            glossary: The validated glossary.
            articles: Every article, read and checked.
            progress: Wraps the articles while their mentions are found.
            sources: The terms file and articles folder they were read from,
                recorded so that a server never overwrites them from others.

        Raises:
            SchemaError: The schema is older than this version needs.
            SyncError: An article nests too deeply to render; nothing is written.
        """
        with self._write_session() as session:
            changes = sync_store(session, glossary, articles, progress)
            if sources is not None:
                set_sources(session, sources)
            return changes

    def sync_glossary(self, glossary: Glossary, terms_source: str | None = None) -> Changes:
        """Replace the store's terms with `glossary` in one transaction, keeping its articles.

        Args:
            glossary: The validated glossary.
            terms_source: The terms file it was read from, recorded as the store's.

        Raises:
            SchemaError: The schema is older than this version needs.
        """
        with self._write_session() as session:
            changes = sync_glossary(session, glossary)
            if terms_source is not None:
                set_sources(session, Sources(terms=terms_source))
            return changes

    def preview(self, glossary: Glossary, articles, progress=None) -> Changes:
        """Return what `sync` would change, naming the articles each changed term touches; write nothing.

        A SQLite file that does not exist is not created: it reads as an empty store.

        Raises:
            SchemaError: The schema is older than this version needs (a sync would refuse it too).
        """
        parsed = make_url(self.url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:") \
                and not Path(parsed.database).exists():
            return preview_sync(None, glossary, articles, progress)
        with self.engine.connect() as connection:
            if schema.is_empty(connection):
                return preview_sync(None, glossary, articles, progress)
            schema.check(connection)
            with Session(bind=connection) as session:
                try:
                    return preview_sync(session, glossary, articles, progress)
                finally:
                    session.rollback()

    def changes(self, limit: int = 50, term_id: str | None = None) -> list[TermChangeRow]:
        """Return the change log, newest first (only `term_id`'s entries, if given)."""
        with self.session() as session:
            query = select(TermChangeRow)
            if term_id is not None:
                query = query.where(TermChangeRow.term_id == term_id)
            return list(session.scalars(query.order_by(TermChangeRow.changed_at.desc(), TermChangeRow.id.desc())
                                        .limit(limit)))

    def sources(self) -> Sources:
        """Return the terms file and articles folder the store was last synced from (None where unknown)."""
        with self.session() as session:
            return stored_sources(session)

    @contextmanager
    def _write_session(self):
        with self.writing() as connection:
            if schema.is_empty(connection):
                schema.upgrade(connection)
            else:
                schema.check(connection)
            with Session(bind=connection, expire_on_commit=False) as session:
                yield session
                session.flush()

    def versions(self) -> tuple[str | None, str | None]:
        """Return (glossary version, content version) of the last sync, in one query; (None, None) before any."""
        with self.session() as session:
            rows = dict(session.execute(select(MetaRow.key, MetaRow.value).where(
                MetaRow.key.in_(("glossary_version", "content_version")))).all())
        return rows.get("glossary_version"), rows.get("content_version")

    def glossary_version(self) -> str | None:
        """Return the version of the glossary last synced, or None."""
        return self.versions()[0]

    def term_count(self) -> int:
        """Return how many terms the store holds."""
        with self.session() as session:
            return session.scalar(select(func.count()).select_from(TermRow))

    def load_glossary(self, previous: Glossary | None = None) -> Glossary:
        """Build the synced glossary from the store.

        Args:
            previous: The glossary a server holds now: its terms that did
                not change are reused, not built again, so a reload of a
                large glossary takes little more memory than the changes.
                (What it compiled is taken over by `CompiledGlossary(new,
                previous=...)`, not here.)
        """
        old = previous.by_id if previous is not None else {}
        old_readings = previous.readings if previous is not None else {}
        terms, readings = [], {}
        with self.session() as session:
            version = session.get(MetaRow, "glossary_version")
            labels = session.get(MetaRow, TAG_LABELS_KEY)
            # Rows stream past and an unchanged term is taken as it is: a
            # reload allocates little beyond what changed, so it leaves few
            # long-lived objects among its temporaries (RSS that a worker
            # could not give back).
            for term_id, _, state, read in iter_stored_terms(session):
                kept = old.get(term_id)
                if kept is None or term_state(kept) != state:
                    term, en, definition, pinyin, aliases, tags, see_also, as_of, sources, history, variants = state
                    kept = Term(id=term_id, term=term, en=en, definition=definition, pinyin=pinyin,
                                aliases=aliases, tags=tags, see_also=see_also, as_of=as_of, sources=sources,
                                history=history, **decode_variants(variants))
                terms.append(kept)
                if read is not None:
                    readings[kept.id] = old_readings[kept.id] if old_readings.get(kept.id) == read else read
        return Glossary(terms, version=version.value if version else None, source=self.url, readings=readings,
                        tag_labels=decode_tag_labels(labels.value if labels else None))

    def articles(self, include_drafts: bool = True, tag: str | None = None) -> list[ArticleRow]:
        """Return the articles (only those tagged `tag`, if given), newest first."""
        with self.session() as session:
            query = select(ArticleRow).options(selectinload(ArticleRow.tags))
            if not include_drafts:
                query = query.where(ArticleRow.draft.is_(False))
            if tag is not None:
                query = query.where(ArticleRow.tags.any(ArticleTagRow.tag == tag))
            return list(session.scalars(query.order_by(ArticleRow.date.desc(), ArticleRow.slug)))

    def article(self, slug: str) -> ArticleRow | None:
        """Return one article, or None."""
        with self.session() as session:
            return session.get(ArticleRow, slug, options=[selectinload(ArticleRow.tags)])

    def usage_counts(self) -> dict[str, int]:
        """Return how many published articles mention each term."""
        with self.session() as session:
            rows = session.execute(
                select(OccurrenceRow.term_id, func.count())
                .join(ArticleRow, ArticleRow.slug == OccurrenceRow.article_slug)
                .where(ArticleRow.draft.is_(False))
                .group_by(OccurrenceRow.term_id)
            )
            return dict(rows.all())

    def tag_counts(self) -> dict[str, int]:
        """Return how many published articles carry each tag."""
        with self.session() as session:
            rows = session.execute(
                select(ArticleTagRow.tag, func.count())
                .join(ArticleRow, ArticleRow.slug == ArticleTagRow.article_slug)
                .where(ArticleRow.draft.is_(False))
                .group_by(ArticleTagRow.tag)
            )
            return dict(rows.all())

    def backlinks(self, term_id: str) -> list[tuple[ArticleRow, OccurrenceRow]]:
        """Return the published articles that mention a term, with the first mention's sentence."""
        with self.session() as session:
            rows = session.execute(
                select(ArticleRow, OccurrenceRow)
                .join(OccurrenceRow, OccurrenceRow.article_slug == ArticleRow.slug)
                .where(OccurrenceRow.term_id == term_id, ArticleRow.draft.is_(False))
                .order_by(ArticleRow.date.desc(), ArticleRow.slug)
            )
            return [(a, o) for a, o in rows.all()]


def _sqlite_connect(connection, _record) -> None:
    # Transactions are begun by _sqlite_begin, not by the sqlite3 module,
    # which would begin them lazily and without a write lock.
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_begin(connection) -> None:
    # IMMEDIATE takes the write lock at once: two syncs queue (up to the
    # busy timeout) instead of one failing when it first writes. Readers
    # are not blocked (WAL), and SQLAlchemy's reads run outside begin().
    writer = connection.get_execution_options().get("glossary_write")
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")
