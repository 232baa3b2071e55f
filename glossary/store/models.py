"""The term store's tables (SQLAlchemy 2.0 declarative models)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Base of every model in the store."""


class TermRow(Base):
    """A glossary term as last synced from terms.yaml."""

    __tablename__ = "terms"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    term: Mapped[str] = mapped_column(String(500))
    en: Mapped[str | None] = mapped_column(String(500))
    definition: Mapped[str] = mapped_column(Text)
    pinyin: Mapped[str | None] = mapped_column(String(500))
    # The headword's index reading (collation.Reading.encode), computed at
    # sync time so that web servers never load pypinyin's dictionaries.
    reading: Mapped[str | None] = mapped_column(Text)
    # The dated definition (core/versions): the day it was last checked, and
    # its sources and earlier versions as JSON (sync.encode_sources,
    # encode_history), None when terms.yaml gives none.
    as_of: Mapped[date | None] = mapped_column(Date)
    sources: Mapped[str | None] = mapped_column(Text)
    history: Mapped[str | None] = mapped_column(Text)
    # The aliases given as objects and the not_in strings, as JSON
    # (store.sync.encode_variants); NULL for a term with neither.
    variants: Mapped[str | None] = mapped_column(Text)

    aliases: Mapped[list[AliasRow]] = relationship(
        back_populates="term_row", cascade="all, delete-orphan", order_by="AliasRow.position"
    )
    tags: Mapped[list[TermTagRow]] = relationship(cascade="all, delete-orphan", order_by="TermTagRow.position")
    see_also: Mapped[list[SeeAlsoRow]] = relationship(
        cascade="all, delete-orphan", order_by="SeeAlsoRow.position", foreign_keys="SeeAlsoRow.term_id"
    )
    occurrences: Mapped[list[OccurrenceRow]] = relationship(back_populates="term_row", cascade="all, delete-orphan")


class AliasRow(Base):
    """Another spelling of a term; `key` is its folded match key."""

    __tablename__ = "aliases"
    __table_args__ = (UniqueConstraint("key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    term_id: Mapped[str] = mapped_column(ForeignKey("terms.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    alias: Mapped[str] = mapped_column(String(500))
    key: Mapped[str] = mapped_column(String(500))

    term_row: Mapped[TermRow] = relationship(back_populates="aliases")


class TermTagRow(Base):
    """A tag on a term."""

    __tablename__ = "term_tags"

    term_id: Mapped[str] = mapped_column(ForeignKey("terms.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)


class SeeAlsoRow(Base):
    """A see-also link from one term to another."""

    __tablename__ = "see_also"

    term_id: Mapped[str] = mapped_column(ForeignKey("terms.id", ondelete="CASCADE"), primary_key=True)
    target_id: Mapped[str] = mapped_column(ForeignKey("terms.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class ArticleRow(Base):
    """An article as last synced from the articles folder."""

    __tablename__ = "articles"

    slug: Mapped[str] = mapped_column(String(300), primary_key=True)
    title: Mapped[str] = mapped_column(String(1000))
    date: Mapped[str | None] = mapped_column(String(40), index=True)
    summary: Mapped[str | None] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(40))
    # None: the site's GLOSSARY_DEFAULT_MODE / GLOSSARY_MAX_LINKS_PER_TERM.
    mode: Mapped[str | None] = mapped_column(String(10))
    max_links: Mapped[int | None] = mapped_column(Integer)
    draft: Mapped[bool] = mapped_column(default=False)
    source_path: Mapped[str] = mapped_column(String(2000))
    content_hash: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)

    tags: Mapped[list[ArticleTagRow]] = relationship(cascade="all, delete-orphan", order_by="ArticleTagRow.position")
    occurrences: Mapped[list[OccurrenceRow]] = relationship(back_populates="article_row", cascade="all, delete-orphan")


class ArticleTagRow(Base):
    """A tag on an article."""

    __tablename__ = "article_tags"

    article_slug: Mapped[str] = mapped_column(ForeignKey("articles.slug", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)


class OccurrenceRow(Base):
    """How often an article mentions a term, with the sentence of the first mention."""

    __tablename__ = "occurrences"

    article_slug: Mapped[str] = mapped_column(ForeignKey("articles.slug", ondelete="CASCADE"), primary_key=True)
    term_id: Mapped[str] = mapped_column(ForeignKey("terms.id", ondelete="CASCADE"), primary_key=True, index=True)
    count: Mapped[int] = mapped_column(Integer)
    snippet: Mapped[str] = mapped_column(Text)
    snippet_start: Mapped[int] = mapped_column(Integer)
    snippet_end: Mapped[int] = mapped_column(Integer)

    article_row: Mapped[ArticleRow] = relationship(back_populates="occurrences")
    term_row: Mapped[TermRow] = relationship(back_populates="occurrences")


class TermChangeRow(Base):
    """One term's change in one sync: what changed, when, and the terms file it came from.

    Not tied to the term's row: the change log keeps a removed term's entry.
    """

    __tablename__ = "term_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    term_id: Mapped[str] = mapped_column(String(200), index=True)
    # The headword then (the new one, or the last one of a removed term).
    term: Mapped[str] = mapped_column(String(500))
    # added, removed or changed.
    kind: Mapped[str] = mapped_column(String(10))
    # The fields that changed, space-separated (sync.CHANGE_FIELDS), e.g. "definition as_of".
    fields: Mapped[str] = mapped_column(String(200))
    # The definition after the change (before it, for a removed term), and before it where it changed.
    definition: Mapped[str | None] = mapped_column(Text)
    previous: Mapped[str | None] = mapped_column(Text)
    # The glossary version: the first 16 hex digits of the sha256 of the terms file's bytes.
    terms_sha256: Mapped[str] = mapped_column(String(64))


class MetaRow(Base):
    """Store-wide facts, e.g. the glossary version last synced."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
