"""Load terms.yaml and the articles into the store in one transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from ..core.collation import reading
from ..core.model import Glossary, TagLabel, Term
from ..core.normalize import normalize_key
from ..core.variants import ADMITTED, Variant
from ..render import annotate_markdown
from ..render.sanitize import NestingError
from ..sources.articles import Article, ArticleError, folder_articles, read_article
from ..sources.termfile import load_glossary
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
    # Tags whose labels (terms.yaml's `tags:` map) were added (+), changed (~)
    # or removed (-): (sign, slug).
    tag_labels: list[tuple[str, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.tag_labels) or any(v for d in (self.added, self.changed, self.removed) for v in d.values())

    def lines(self) -> list[str]:
        """Describe the changes, one line per added, changed or removed item."""
        out = []
        for sign, group in (("+", self.added), ("~", self.changed), ("-", self.removed)):
            for kind in ("terms", "articles"):
                out.extend(f"{sign} {kind[:-1]} {name}" for name in group[kind])
        for sign in "+~-":
            out.extend(f"{sign} tag label {slug}" for s, slug in self.tag_labels if s == sign)
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
        counts = [f"{n} {word}" for sign, word in (("+", "added"), ("~", "changed"), ("-", "removed"))
                  if (n := sum(1 for s, _ in self.tag_labels if s == sign))]
        if counts:
            parts.append("tag labels: " + ", ".join(counts))
        return "; ".join(parts)


def read_inputs(terms_path: Path, articles_dir: Path, progress: Callable | None = None):
    """Read and check every input before the store is touched.

    Raises:
        SyncError: With every problem of terms.yaml, or of the articles.
    """
    from ..sources.termfile import GlossaryError

    try:
        glossary = load_glossary(terms_path)
    except GlossaryError as exc:
        raise SyncError([str(p) for p in exc.problems]) from None
    if not articles_dir.is_dir():
        # A mistyped folder must not read as "every article was deleted".
        raise SyncError([f"{articles_dir}: articles folder does not exist"])
    articles = []
    paths, problems = folder_articles(articles_dir)
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

    Raises:
        SyncError: An article nests too deeply to render (`PATH:LINE: message` each).
    """
    changes = Changes()
    _sync_terms(session, glossary, changes)
    _sync_tag_labels(session, glossary, changes)
    session.flush()
    _sync_articles(session, glossary, articles, changes, progress)
    _set_meta(session, "glossary_version", glossary.version)
    _set_content_version(session, glossary)
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
    _sync_tag_labels(session, glossary, changes)
    session.flush()
    if any(changes.added.values()) or any(changes.changed.values()) or any(changes.removed.values()):
        # Only the terms' spellings decide the mentions; a reworded comment
        # or a tag's label changes none.
        for row in session.scalars(select(ArticleRow)):
            _sync_occurrences(session, row, glossary, row.body)
    _set_meta(session, "glossary_version", glossary.version)
    _set_content_version(session, glossary)
    return changes


def term_state(term: Term) -> tuple:
    """Return the fields a sync compares and stores, in `iter_stored_terms`' order."""
    return (term.term, term.en, term.definition, term.pinyin, term.aliases, term.tags, term.see_also,
            encode_variants(term))


def encode_variants(term: Term) -> str | None:
    """Return a term's alias objects and not_in strings as the store keeps them (JSON), or None without either."""
    if not term.variants and not term.not_in:
        return None
    data: dict = {}
    if term.variants:
        data["variants"] = [v.to_dict() for v in term.variants]
    if term.not_in:
        data["not_in"] = list(term.not_in)
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def decode_variants(value: str | None) -> dict:
    """Return the Term fields `variants` and `not_in` from what `encode_variants` stored."""
    if not value:
        return {}
    data = json.loads(value)
    variants = tuple(Variant(v["form"], v.get("status", ADMITTED), tuple(v.get("regions", ())), v.get("note"))
                     for v in data.get("variants", ()))
    return {"variants": variants, "not_in": tuple(data.get("not_in", ()))}


# Rows fetched at a time when reading every term: a server reloading 50,000
# terms never holds them all as rows at once.
STREAM_ROWS = 2000


def stored_terms(session: Session) -> dict[str, tuple[int, tuple, str | None]]:
    """Return every stored term as id -> (position, state, reading), state as `term_state` gives it."""
    return {term_id: (position, state, read) for term_id, position, state, read in iter_stored_terms(session)}


def iter_stored_terms(session: Session) -> Iterator[tuple[str, int, tuple, str | None]]:
    """Yield every stored term as (id, position, state, reading) in glossary order, a few rows at a time.

    Four plain queries rather than ORM objects: a 50,000-term glossary
    loads in a fraction of the time and memory. Only the (small) child
    lists are held whole; term rows stream, so a server that reloads never
    holds 50,000 rows' strings at once beside the glossary it serves.
    """
    children: dict[str, dict[str, list]] = {"aliases": {}, "tags": {}, "see_also": {}}
    for kind, query in (
        ("aliases", select(AliasRow.term_id, AliasRow.alias).order_by(AliasRow.term_id, AliasRow.position)),
        ("tags", select(TermTagRow.term_id, TermTagRow.tag).order_by(TermTagRow.term_id, TermTagRow.position)),
        ("see_also", select(SeeAlsoRow.term_id, SeeAlsoRow.target_id).order_by(SeeAlsoRow.term_id,
                                                                               SeeAlsoRow.position)),
    ):
        into = children[kind]
        for term_id, value in session.execute(query.execution_options(yield_per=STREAM_ROWS)):
            into.setdefault(term_id, []).append(value)
    aliases, tags, see_also = children["aliases"], children["tags"], children["see_also"]
    rows = session.execute(select(TermRow.id, TermRow.position, TermRow.term, TermRow.en, TermRow.definition,
                                  TermRow.pinyin, TermRow.reading, TermRow.variants).order_by(TermRow.position)
                           .execution_options(yield_per=STREAM_ROWS))
    for term_id, position, term, en, definition, pinyin, read, variants in rows:
        yield term_id, position, (term, en, definition, pinyin, tuple(aliases.get(term_id, ())),
                                  tuple(tags.get(term_id, ())), tuple(see_also.get(term_id, ())), variants), read


def _sync_terms(session: Session, glossary: Glossary, changes: Changes) -> None:
    # Bulk statements, not the ORM's unit of work: syncing 50,000 terms
    # must take seconds, not minutes.
    stored = stored_terms(session)
    removed = [i for i in stored if i not in glossary.by_id]
    added = [t for t in glossary if t.id not in stored]
    changed = [t for t in glossary if t.id in stored and stored[t.id][1] != term_state(t)]
    rewritten = [t.id for t in changed]
    # Children of changed and removed terms go first: an alias key moving
    # from one term to another must not collide with its old row.
    for table in (AliasRow, TermTagRow, SeeAlsoRow):
        for chunk in _chunks(rewritten + removed):
            session.execute(delete(table).where(table.term_id.in_(chunk)))
    for chunk in _chunks(removed):
        session.execute(delete(SeeAlsoRow).where(SeeAlsoRow.target_id.in_(chunk)))
        session.execute(delete(OccurrenceRow).where(OccurrenceRow.term_id.in_(chunk)))
        session.execute(delete(TermRow).where(TermRow.id.in_(chunk)))
    positions = {t.id: p for p, t in enumerate(glossary)}

    def fields(t: Term) -> dict:
        read = reading(t.term, t.pinyin).encode()
        return {"term": t.term, "en": t.en, "definition": t.definition, "pinyin": t.pinyin, "reading": read,
                "variants": encode_variants(t)}

    if added:
        session.execute(insert(TermRow), [{"id": t.id, "position": positions[t.id], **fields(t)} for t in added])
    if changed:
        session.execute(update(TermRow), [{"id": t.id, "position": positions[t.id], **fields(t)} for t in changed])
    moved = [{"id": i, "position": p} for i, p in positions.items()
             if i in stored and stored[i][0] != p and i not in rewritten]
    if moved:
        session.execute(update(TermRow), moved)
    # A store made before readings were kept gets them on its next sync.
    unread = [{"id": t.id, "reading": reading(t.term, t.pinyin).encode()} for t in glossary
              if t.id in stored and stored[t.id][2] is None and t.id not in rewritten]
    if unread:
        session.execute(update(TermRow), unread)
    fresh = added + changed
    aliases = [{"term_id": t.id, "alias": a, "key": normalize_key(a), "position": i}
               for t in fresh for i, a in enumerate(t.aliases)]
    tags = [{"term_id": t.id, "tag": tag, "position": i} for t in fresh for i, tag in enumerate(t.tags)]
    see_also = [{"term_id": t.id, "target_id": x, "position": i} for t in fresh for i, x in enumerate(t.see_also)]
    for table, rows in ((AliasRow, aliases), (TermTagRow, tags), (SeeAlsoRow, see_also)):
        if rows:
            session.execute(insert(table), rows)
    changes.added["terms"].extend(t.id for t in added)
    changes.changed["terms"].extend(rewritten)
    # (A term whose see-also named a removed term is among the changed:
    # the glossary it comes from cannot name an unknown id.)
    changes.removed["terms"].extend(removed)


TAG_LABELS_KEY = "tag_labels"


def encode_tag_labels(labels: dict[str, TagLabel]) -> str:
    """Return the tag labels as the store keeps them: JSON, {slug: {"zh": ..., "en": ...}}, sorted."""
    return json.dumps({slug: {k: v for k, v in (("zh", label.zh), ("en", label.en)) if v}
                       for slug, label in sorted(labels.items())}, ensure_ascii=False, sort_keys=True)


def decode_tag_labels(text: str | None) -> dict[str, TagLabel]:
    """Return the tag labels from the text `encode_tag_labels` made (empty for None)."""
    return {slug: TagLabel(**given) for slug, given in json.loads(text).items()} if text else {}


def _sync_tag_labels(session: Session, glossary: Glossary, changes: Changes) -> None:
    # A handful of tags: one meta row of JSON, read with the glossary's version.
    row = session.get(MetaRow, TAG_LABELS_KEY)
    stored = decode_tag_labels(row.value if row else None)
    if stored == glossary.tag_labels:
        return
    new = glossary.tag_labels
    changes.tag_labels.extend(("+" if slug not in stored else "-" if slug not in new else "~", slug)
                              for slug in sorted(stored.keys() | new.keys()) if stored.get(slug) != new.get(slug))
    _set_meta(session, TAG_LABELS_KEY, encode_tag_labels(glossary.tag_labels))


def _chunks(items: list, size: int = 500):
    # Bounded IN lists: SQLite caps bound parameters per statement.
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _sync_articles(session: Session, glossary: Glossary, articles: list[Article], changes: Changes,
                   progress: Callable | None = None) -> None:
    rows = {row.slug: row for row in session.scalars(select(ArticleRow))}
    wanted = {a.slug for a in articles}
    for slug in [s for s in rows if s not in wanted]:
        session.delete(rows.pop(slug))
        changes.removed["articles"].append(slug)
    problems = []
    for article in progress(articles) if progress else articles:
        row = rows.get(article.slug)
        fields = {
            "title": article.title, "date": article.date, "summary": article.summary, "lang": article.lang,
            "mode": article.mode, "max_links": article.max_links, "draft": article.draft,
            "source_path": article.source_path, "content_hash": article.content_hash, "body": article.body,
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
        try:
            _sync_occurrences(session, row, glossary, article.body)
        except NestingError as exc:
            # Its page could not be shown either: refused, naming the file
            # and the line where the article's text begins.
            body = article.body
            line = article.body_line + body[:len(body) - len(body.lstrip())].count("\n")
            problems.append(f"{article.source_path}:{line}: {exc}")
    if problems:
        raise SyncError(problems)


def _sync_occurrences(session: Session, row: ArticleRow, glossary: Glossary, body: str) -> None:
    # Backlinks count every mention, whatever mode and limit the article is shown with.
    result = annotate_markdown(body, glossary, mode="all", max_links=0)
    mentions = [(t.id, t.count, result.snippets[t.id]) for t in result.terms]
    wanted = {(term_id, count, s.text, s.start, s.end) for term_id, count, s in mentions}
    have = {(o.term_id, o.count, o.snippet, o.snippet_start, o.snippet_end) for o in row.occurrences}
    if wanted == have:
        return
    if row.occurrences:
        session.execute(delete(OccurrenceRow).where(OccurrenceRow.article_slug == row.slug))
        session.expire(row, ["occurrences"])
        session.flush()
    session.add_all(
        OccurrenceRow(article_slug=row.slug, term_id=term_id, count=count, snippet=s.text,
                      snippet_start=s.start, snippet_end=s.end)
        for term_id, count, s in mentions
    )


def _set_content_version(session: Session, glossary: Glossary) -> None:
    # One value that changes whenever anything a page shows may change (the
    # glossary, an article, its backlinks): servers poll it, cheaply, to
    # know whether the pages they keep are still current.
    digest = hashlib.sha256(glossary.version.encode())
    for slug, content_hash, draft in session.execute(
            select(ArticleRow.slug, ArticleRow.content_hash, ArticleRow.draft).order_by(ArticleRow.slug)):
        digest.update(f"\0{slug}\0{content_hash}\0{draft}".encode())
    _set_meta(session, "content_version", digest.hexdigest()[:32])


@dataclass(frozen=True)
class Sources:
    """Where a store's glossary and articles were synced from: absolute paths, None where unknown."""

    terms: str | None = None
    articles: str | None = None


_SOURCE_KEYS = {"terms": "terms_source", "articles": "articles_source"}


def foreign_source(recorded: str | None, ours: str, store_empty: bool) -> bool:
    """Tell whether a store whose content was synced from `recorded` belongs to a source other than `ours`.

    Args:
        recorded: The path the store recorded (`Sources`), None when it recorded none.
        ours: The absolute path about to be written into the store.
        store_empty: Whether the store holds nothing yet (then any source may fill it).

    Returns:
        True when writing `ours` would replace content that came from elsewhere.
    """
    return recorded != ours and not (recorded is None and store_empty)


def set_sources(session: Session, sources: Sources) -> None:
    """Record the paths the store's content now comes from (fields left None are kept)."""
    for field_name, key in _SOURCE_KEYS.items():
        value = getattr(sources, field_name)
        if value is not None:
            _set_meta(session, key, value)


def stored_sources(session: Session) -> Sources:
    """Return the paths recorded by `set_sources`."""
    rows = dict(session.execute(select(MetaRow.key, MetaRow.value).where(
        MetaRow.key.in_(tuple(_SOURCE_KEYS.values())))).all())
    return Sources(**{name: rows.get(key) for name, key in _SOURCE_KEYS.items()})


def _set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(MetaRow, key)
    if row is None:
        session.add(MetaRow(key=key, value=value))
    elif row.value != value:
        row.value = value
