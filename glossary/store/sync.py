"""Load terms.yaml and the articles into the store in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..articles import Article, ArticleError, find_mentions, read_article
from ..model import Glossary, Term
from ..normalize import normalize_key
from ..render import annotate_markdown
from ..termfile import load_glossary
from .models import AliasRow, ArticleRow, ArticleTagRow, MetaRow, OccurrenceRow, SeeAlsoRow, TermRow, TermTagRow


class SyncError(ValueError):
    """Input that cannot be synced; `problems` lists each as `PATH:LINE: message`."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Changes:
    """What a sync added, changed and removed, by id or slug."""

    added: dict[str, list[str]] = field(default_factory=lambda: {"terms": [], "articles": []})
    changed: dict[str, list[str]] = field(default_factory=lambda: {"terms": [], "articles": []})
    removed: dict[str, list[str]] = field(default_factory=lambda: {"terms": [], "articles": []})

    def __bool__(self) -> bool:
        return any(v for d in (self.added, self.changed, self.removed) for v in d.values())

    def lines(self) -> list[str]:
        """Describe the changes, one line per added, changed or removed item."""
        out = []
        for sign, group in (("+", self.added), ("~", self.changed), ("-", self.removed)):
            for kind in ("terms", "articles"):
                out.extend(f"{sign} {kind[:-1]} {name}" for name in group[kind])
        return out

    def summary(self) -> str:
        """Return one line counting the changes."""
        if not self:
            return "no changes"
        parts = []
        for kind in ("terms", "articles"):
            counts = [f"{len(g[kind])} {word}" for g, word in
                      ((self.added, "added"), (self.changed, "changed"), (self.removed, "removed")) if g[kind]]
            if counts:
                parts.append(f"{kind}: " + ", ".join(counts))
        return "; ".join(parts)


def read_inputs(terms_path: Path, articles_dir: Path, progress: Callable | None = None):
    """Read and check every input before the store is touched.

    Raises:
        SyncError: With every problem of terms.yaml, or of the articles.
    """
    from ..termfile import GlossaryError

    try:
        glossary = load_glossary(terms_path)
    except GlossaryError as exc:
        raise SyncError([str(p) for p in exc.problems]) from None
    if not articles_dir.is_dir():
        # A mistyped folder must not read as "every article was deleted".
        raise SyncError([f"{articles_dir}: articles folder does not exist"])
    articles, problems = [], []
    paths = sorted(articles_dir.glob("*.md"))
    for path in progress(paths) if progress else paths:
        try:
            articles.append(read_article(path))
        except ArticleError as exc:
            problems.append(str(exc))
    slugs: dict[str, str] = {}
    for article in articles:
        if article.slug in slugs:
            problems.append(f"{article.source_path}:1: slug '{article.slug}' is also used by {slugs[article.slug]}")
        slugs.setdefault(article.slug, article.source_path)
    if problems:
        raise SyncError(problems)
    return glossary, articles


def sync_store(session: Session, glossary: Glossary, articles: list[Article],
               progress: Callable | None = None) -> Changes:
    """Make the store hold exactly `glossary` and `articles`; the caller commits.

    Args:
        session: A session inside the transaction to write in.
        glossary: The validated glossary.
        articles: Every article, read and checked.
        progress: Wraps the articles while their mentions are found (a progress bar).

    Returns:
        What was added, changed and removed; nothing is written when nothing changed.
    """
    changes = Changes()
    _sync_terms(session, glossary, changes)
    session.flush()
    _sync_articles(session, glossary, articles, changes, progress)
    _set_meta(session, "glossary_version", glossary.version)
    return changes


def sync_glossary(session: Session, glossary: Glossary) -> Changes:
    """Make the store hold `glossary`, keeping its articles; the caller commits.

    The mentions of every stored article are found again with the new terms,
    so backlinks follow.  Nothing is written when the store already holds
    this version.

    Args:
        session: A session inside the transaction to write in.
        glossary: The validated glossary.

    Returns:
        The terms added, changed and removed.
    """
    changes = Changes()
    version = session.get(MetaRow, "glossary_version")
    if version is not None and version.value == glossary.version:
        return changes
    _sync_terms(session, glossary, changes)
    session.flush()
    if changes:  # only the terms' spellings decide the mentions; a reworded comment changes none
        for row in session.scalars(select(ArticleRow)):
            _sync_occurrences(session, row, glossary, row.body)
    _set_meta(session, "glossary_version", glossary.version)
    return changes


def _term_state(term: Term) -> tuple:
    return (term.term, term.en, term.definition, term.pinyin, term.aliases, term.tags, term.see_also)


def _row_state(row: TermRow) -> tuple:
    return (
        row.term, row.en, row.definition, row.pinyin,
        tuple(a.alias for a in row.aliases), tuple(t.tag for t in row.tags), tuple(s.target_id for s in row.see_also),
    )


def _sync_terms(session: Session, glossary: Glossary, changes: Changes) -> None:
    rows = {row.id: row for row in session.scalars(select(TermRow))}
    # Compared before removals: deleting a term cascades to see-also links
    # that point at it, which would hide those terms' changes.
    changed = {t.id for t in glossary if t.id in rows and _row_state(rows[t.id]) != _term_state(t)}
    # Aliases carry a unique key: clear changed ones first so that a key
    # moving from one term to another does not collide mid-flush.
    for term_id in changed:
        rows[term_id].aliases.clear()
        rows[term_id].see_also.clear()
    session.flush()
    for row_id in [i for i in rows if i not in glossary.by_id]:
        session.delete(rows.pop(row_id))
        changes.removed["terms"].append(row_id)
    session.flush()
    for position, term in enumerate(glossary):
        row = rows.get(term.id)
        if row is None:
            row = TermRow(id=term.id)
            session.add(row)
            changes.added["terms"].append(term.id)
        elif term.id in changed:
            changes.changed["terms"].append(term.id)
        else:
            if row.position != position:
                row.position = position
            continue
        row.position = position
        row.term, row.en, row.definition, row.pinyin = term.term, term.en, term.definition, term.pinyin
        row.aliases = [AliasRow(alias=a, key=normalize_key(a), position=i) for i, a in enumerate(term.aliases)]
        row.tags = [TermTagRow(tag=t, position=i) for i, t in enumerate(term.tags)]
    session.flush()
    for term in glossary:
        row = rows.get(term.id) or session.get(TermRow, term.id)
        if tuple(s.target_id for s in row.see_also) != term.see_also:
            row.see_also = [SeeAlsoRow(target_id=t, position=i) for i, t in enumerate(term.see_also)]


def _sync_articles(session: Session, glossary: Glossary, articles: list[Article], changes: Changes,
                   progress: Callable | None = None) -> None:
    rows = {row.slug: row for row in session.scalars(select(ArticleRow))}
    wanted = {a.slug for a in articles}
    for slug in [s for s in rows if s not in wanted]:
        session.delete(rows.pop(slug))
        changes.removed["articles"].append(slug)
    for article in progress(articles) if progress else articles:
        row = rows.get(article.slug)
        fields = {
            "title": article.title, "date": article.date, "summary": article.summary, "lang": article.lang,
            "mode": article.mode, "draft": article.draft, "source_path": article.source_path,
            "content_hash": article.content_hash, "body": article.body,
        }
        if row is None:
            row = ArticleRow(slug=article.slug, **fields)
            session.add(row)
            changes.added["articles"].append(article.slug)
        elif any(getattr(row, k) != v for k, v in fields.items()) or tuple(t.tag for t in row.tags) != article.tags:
            for key, value in fields.items():
                setattr(row, key, value)
            changes.changed["articles"].append(article.slug)
        if tuple(t.tag for t in row.tags) != article.tags:
            row.tags = [ArticleTagRow(tag=t, position=i) for i, t in enumerate(article.tags)]
        _sync_occurrences(session, row, glossary, article.body)


def _sync_occurrences(session: Session, row: ArticleRow, glossary: Glossary, body: str) -> None:
    # Backlinks count every mention, whatever mode the article is shown in.
    mentions = find_mentions(annotate_markdown(body, glossary, mode="all").html)
    wanted = {(m.term_id, m.count, m.snippet, m.start, m.end) for m in mentions}
    have = {(o.term_id, o.count, o.snippet, o.snippet_start, o.snippet_end) for o in row.occurrences}
    if wanted == have:
        return
    if row.occurrences:
        session.execute(delete(OccurrenceRow).where(OccurrenceRow.article_slug == row.slug))
        session.expire(row, ["occurrences"])
        session.flush()
    session.add_all(
        OccurrenceRow(article_slug=row.slug, term_id=m.term_id, count=m.count, snippet=m.snippet,
                      snippet_start=m.start, snippet_end=m.end)
        for m in mentions
    )


def _set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(MetaRow, key)
    if row is None:
        session.add(MetaRow(key=key, value=value))
    elif row.value != value:
        row.value = value
