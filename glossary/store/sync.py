"""Load terms.yaml and the articles into the store in one transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from ..core.collation import reading
from ..core.compiled import CompiledGlossary
from ..core.model import Glossary, TagLabel, Term
from ..core.normalize import normalize_key
from ..core.variants import ADMITTED, Variant
from ..core.versions import Source, Version, parse_date
from ..render import annotate_markdown
from ..render.depth import NestingError
from ..sources.articles import Article, ArticleError, folder_articles, read_article
from ..sources.termfile import load_glossary
from .models import (
    AliasRow,
    ArticleRow,
    ArticleTagRow,
    MetaRow,
    OccurrenceRow,
    SeeAlsoRow,
    TermChangeRow,
    TermRow,
    TermTagRow,
)


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
    # The fields of each changed term that changed (CHANGE_FIELDS, in that order).
    term_fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # For a preview (`preview_sync`): the articles that mention each added,
    # changed or removed term, before or after the sync, by slug.
    mentions: dict[str, list[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.tag_labels) or any(v for d in (self.added, self.changed, self.removed) for v in d.values())

    def lines(self, detail: bool = False) -> list[str]:
        """Describe the changes, one line per added, changed or removed item.

        With `detail`, a changed term names the fields that changed, and each
        term is followed by the articles that mention it (`mentions`), indented.
        """
        out = []
        for sign, group in (("+", self.added), ("~", self.changed), ("-", self.removed)):
            for kind in ("terms", "articles"):
                for name in group[kind]:
                    fields = self.term_fields.get(name) if detail and kind == "terms" else None
                    out.append(f"{sign} {kind[:-1]} {name}" + (f" ({', '.join(fields)})" if fields else ""))
                    if detail and kind == "terms" and name in self.mentions:
                        slugs = self.mentions[name]
                        out.append("    mentioned in: " + (", ".join(slugs) if slugs else "no article"))
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
    # Compiled once: every article is annotated with it.
    _sync_articles(session, CompiledGlossary(glossary), articles, changes, progress)
    _set_meta(session, "glossary_version", glossary.version)
    _set_content_version(session, glossary)
    return changes


def preview_sync(session: Session | None, glossary: Glossary, articles: list[Article],
                 progress: Callable | None = None) -> Changes:
    """Return what `sync_store` would change, with the articles each changed term touches; write nothing.

    Args:
        session: A session on the store, None for a store that holds nothing yet.
        glossary: The validated glossary.
        articles: Every article, read and checked.
        progress: Wraps the articles while their mentions are found (a progress bar).

    Returns:
        The changes; `mentions` names, for each added, changed and removed
        term, the articles that mention it now or would after the sync.
    """
    changes = Changes()
    stored = stored_terms(session) if session is not None else {}
    added, changed, removed = _diff_terms(stored, glossary)
    _note_term_changes(changes, stored, added, changed, removed)
    labels = session.get(MetaRow, TAG_LABELS_KEY) if session is not None else None
    old_labels, new_labels = decode_tag_labels(labels.value if labels else None), glossary.tag_labels
    changes.tag_labels.extend(("+" if slug not in old_labels else "-" if slug not in new_labels else "~", slug)
                              for slug in sorted(old_labels.keys() | new_labels.keys())
                              if old_labels.get(slug) != new_labels.get(slug))
    rows = {row.slug: row for row in session.scalars(select(ArticleRow))} if session is not None else {}
    wanted = {a.slug for a in articles}
    changes.removed["articles"].extend(slug for slug in rows if slug not in wanted)
    for article in articles:
        row = rows.get(article.slug)
        if row is None:
            changes.added["articles"].append(article.slug)
        elif _article_differs(row, article):
            changes.changed["articles"].append(article.slug)
    touched = set(changes.added["terms"]) | set(changes.changed["terms"]) | set(changes.removed["terms"])
    if not touched:
        return changes
    mentions: dict[str, set[str]] = {term_id: set() for term_id in touched}
    if session is not None:
        for chunk in _chunks(sorted(touched)):
            for slug, term_id in session.execute(select(OccurrenceRow.article_slug, OccurrenceRow.term_id)
                                                 .where(OccurrenceRow.term_id.in_(chunk))):
                mentions[term_id].add(slug)
    compiled = CompiledGlossary(glossary)
    for article in progress(articles) if progress else articles:
        for found in annotate_markdown(article.body, compiled, mode="all", max_links=0).terms:
            if found.id in mentions:
                mentions[found.id].add(article.slug)
    changes.mentions = {term_id: sorted(slugs) for term_id, slugs in mentions.items()}
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
        compiled = CompiledGlossary(glossary)
        for row in session.scalars(select(ArticleRow)):
            _sync_occurrences(session, row, compiled, row.body)
    _set_meta(session, "glossary_version", glossary.version)
    _set_content_version(session, glossary)
    return changes


# The fields of `term_state`, in its order.
STATE_FIELDS = ("term", "en", "definition", "pinyin", "aliases", "tags", "see_also", "as_of", "sources", "history",
                "variants")
# The fields a change log entry names, in the order it names them: what a reader cares about first.
CHANGE_FIELDS = ("definition", "as_of", "sources", "history", "term", "aliases", "en", "tags", "see_also", "pinyin",
                 "variants")
_STATE_INDEX = {name: i for i, name in enumerate(STATE_FIELDS)}


def term_state(term: Term) -> tuple:
    """Return the fields a sync compares and stores, in `iter_stored_terms`' order (STATE_FIELDS)."""
    return (term.term, term.en, term.definition, term.pinyin, term.aliases, term.tags, term.see_also,
            term.as_of, term.sources, term.history, encode_variants(term))


def changed_fields(old: tuple, new: tuple) -> tuple[str, ...]:
    """Return the names of the fields (CHANGE_FIELDS) in which two `term_state`s differ."""
    return tuple(name for name in CHANGE_FIELDS if old[_STATE_INDEX[name]] != new[_STATE_INDEX[name]])


def encode_sources(sources: tuple[Source, ...]) -> str | None:
    """Return sources as the store keeps them: JSON as terms.yaml writes them; None for none."""
    return json.dumps([s.to_dict() for s in sources], ensure_ascii=False) if sources else None


def decode_sources(text: str | None) -> tuple[Source, ...]:
    """Return the sources from the text `encode_sources` made."""
    return tuple(_source(item) for item in json.loads(text)) if text else ()


def encode_history(history: tuple[Version, ...]) -> str | None:
    """Return a term's earlier versions as the store keeps them: JSON as terms.yaml writes them; None for none."""
    return json.dumps([v.to_dict() for v in history], ensure_ascii=False) if history else None


def decode_history(text: str | None) -> tuple[Version, ...]:
    """Return the earlier versions from the text `encode_history` made."""
    if not text:
        return ()
    return tuple(Version(until=parse_date(item["until"]), definition=item["definition"],
                         sources=tuple(_source(s) for s in item.get("sources", ())), note=item.get("note"))
                 for item in json.loads(text))


def _source(item: dict) -> Source:
    return Source(url=item["url"], title=item.get("title"), date=parse_date(item["date"]) if "date" in item else None)


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
                                  TermRow.pinyin, TermRow.reading, TermRow.as_of, TermRow.sources,
                                  TermRow.history, TermRow.variants).order_by(TermRow.position)
                           .execution_options(yield_per=STREAM_ROWS))
    for term_id, position, term, en, definition, pinyin, read, as_of, sources, history, variants in rows:
        yield term_id, position, (term, en, definition, pinyin, tuple(aliases.get(term_id, ())),
                                  tuple(tags.get(term_id, ())), tuple(see_also.get(term_id, ())), as_of,
                                  decode_sources(sources), decode_history(history), variants), read


def _sync_terms(session: Session, glossary: Glossary, changes: Changes) -> None:
    # Bulk statements, not the ORM's unit of work: syncing 50,000 terms
    # must take seconds, not minutes.
    stored = stored_terms(session)
    added, changed, removed = _diff_terms(stored, glossary)
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
                "as_of": t.as_of, "sources": encode_sources(t.sources), "history": encode_history(t.history),
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
    _note_term_changes(changes, stored, added, changed, removed)
    _log_changes(session, glossary, stored, changes)


def _diff_terms(stored: dict[str, tuple], glossary: Glossary) -> tuple[list[Term], list[Term], list[str]]:
    """Return (added terms, changed terms, removed ids) between the stored terms and `glossary`."""
    removed = [i for i in stored if i not in glossary.by_id]
    added = [t for t in glossary if t.id not in stored]
    changed = [t for t in glossary if t.id in stored and stored[t.id][1] != term_state(t)]
    return added, changed, removed


def _note_term_changes(changes: Changes, stored: dict[str, tuple], added: list[Term], changed: list[Term],
                       removed: list[str]) -> None:
    changes.added["terms"].extend(t.id for t in added)
    changes.changed["terms"].extend(t.id for t in changed)
    # (A term whose see-also named a removed term is among the changed:
    # the glossary it comes from cannot name an unknown id.)
    changes.removed["terms"].extend(removed)
    changes.term_fields.update((t.id, changed_fields(stored[t.id][1], term_state(t))) for t in changed)


def _log_changes(session: Session, glossary: Glossary, stored: dict[str, tuple], changes: Changes) -> None:
    """Record each added, changed and removed term in the change log, with the time and the file's hash."""
    now = datetime.now(UTC)
    rows = []
    for term_id in changes.added["terms"]:
        term = glossary.by_id[term_id]
        rows.append({"term_id": term_id, "term": term.term, "kind": "added", "fields": "",
                     "definition": term.definition, "previous": None})
    for term_id in changes.changed["terms"]:
        term, old = glossary.by_id[term_id], stored[term_id][1]
        fields = changes.term_fields[term_id]
        rows.append({"term_id": term_id, "term": term.term, "kind": "changed", "fields": " ".join(fields),
                     "definition": term.definition,
                     "previous": old[_STATE_INDEX["definition"]] if "definition" in fields else None})
    for term_id in changes.removed["terms"]:
        old = stored[term_id][1]
        rows.append({"term_id": term_id, "term": old[_STATE_INDEX["term"]], "kind": "removed", "fields": "",
                     "definition": old[_STATE_INDEX["definition"]], "previous": None})
    if rows:
        session.execute(insert(TermChangeRow), [{**row, "changed_at": now, "terms_sha256": glossary.version}
                                                for row in rows])


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


def _sync_articles(session: Session, glossary: CompiledGlossary, articles: list[Article], changes: Changes,
                   progress: Callable | None = None) -> None:
    rows = {row.slug: row for row in session.scalars(select(ArticleRow))}
    wanted = {a.slug for a in articles}
    for slug in [s for s in rows if s not in wanted]:
        session.delete(rows.pop(slug))
        changes.removed["articles"].append(slug)
    problems = []
    for article in progress(articles) if progress else articles:
        row = rows.get(article.slug)
        fields = _article_fields(article)
        if row is None:
            row = ArticleRow(slug=article.slug, **fields)
            session.add(row)
            changes.added["articles"].append(article.slug)
        elif _article_differs(row, article):
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


def _article_fields(article: Article) -> dict:
    return {
        "title": article.title, "date": article.date, "summary": article.summary, "lang": article.lang,
        "mode": article.mode, "max_links": article.max_links, "draft": article.draft,
        "source_path": article.source_path, "content_hash": article.content_hash, "body": article.body,
    }


def _article_differs(row: ArticleRow, article: Article) -> bool:
    return (any(getattr(row, k) != v for k, v in _article_fields(article).items())
            or tuple(t.tag for t in row.tags) != article.tags)


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
