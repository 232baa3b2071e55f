"""The term store: terms, articles and mentions in a SQL database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import selectinload, sessionmaker

from ..model import Glossary, Term
from .models import ArticleRow, Base, MetaRow, OccurrenceRow, TermRow
from .sync import Changes, SyncError, read_inputs, sync_store

__all__ = ["Changes", "Store", "SyncError", "read_inputs"]


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
                if parsed.database and parsed.database != ":memory:":
                    Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
                options["connect_args"] = {"timeout": 30}
            engine = create_engine(self.url, **options)
            if parsed.get_backend_name() == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            self._engine = engine
        return self._engine

    @property
    def session(self):
        """Return the session factory."""
        if self._session is None:
            self._session = sessionmaker(self.engine, expire_on_commit=False)
        return self._session

    def create_schema(self) -> None:
        """Create any missing tables."""
        Base.metadata.create_all(self.engine)
        self._schema_ready = True

    def ensure_schema(self) -> None:
        """Create any missing tables once per process, so an unsynced store reads as empty."""
        if not self._schema_ready:
            self.create_schema()

    def sync(self, glossary: Glossary, articles) -> Changes:
        """Replace the store's content with `glossary` and `articles` in one transaction."""
        self.create_schema()
        with self.session.begin() as session:
            return sync_store(session, glossary, articles)

    def glossary_version(self) -> str | None:
        """Return the version of the glossary last synced, or None."""
        with self.session() as session:
            row = session.get(MetaRow, "glossary_version")
            return row.value if row else None

    def term_count(self) -> int:
        """Return how many terms the store holds."""
        with self.session() as session:
            return session.scalar(select(func.count()).select_from(TermRow))

    def load_glossary(self) -> Glossary:
        """Build the synced glossary from the store."""
        with self.session() as session:
            version = session.get(MetaRow, "glossary_version")
            rows = session.scalars(
                select(TermRow)
                .order_by(TermRow.position)
                .options(selectinload(TermRow.aliases), selectinload(TermRow.tags), selectinload(TermRow.see_also))
            )
            terms = [
                Term(
                    id=row.id, term=row.term, en=row.en, definition=row.definition, pinyin=row.pinyin,
                    aliases=tuple(a.alias for a in row.aliases), tags=tuple(t.tag for t in row.tags),
                    see_also=tuple(s.target_id for s in row.see_also),
                )
                for row in rows
            ]
        return Glossary(terms, version=version.value if version else None, source=self.url)

    def articles(self, include_drafts: bool = True) -> list[ArticleRow]:
        """Return the articles, newest first."""
        with self.session() as session:
            query = select(ArticleRow).options(selectinload(ArticleRow.tags))
            if not include_drafts:
                query = query.where(ArticleRow.draft.is_(False))
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


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
