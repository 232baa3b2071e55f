"""Reader pages: the article list, annotated articles, the term index, term and tag pages."""

from __future__ import annotations

import hmac
from collections.abc import Callable

from flask import Blueprint, abort, current_app, g, make_response, render_template, request, url_for
from sqlalchemy.exc import DBAPIError

from ..core.compiled import CompiledGlossary
from ..core.definitions import definition_html, definition_html_converted, definition_summary
from ..core.model import Term
from ..core.script import converter_for, in_script
from ..core.termsearch import matches, query_folds
from ..core.variants import variant_list
from ..core.versions import article_day
from ..render import annotate_article
from ..render.jsonld import defined_term, defined_term_set
from ..sources.frontmatter import annotation_settings
from ..store import SchemaError, Store
from .changes import dated_term
from .problems import is_api_path, retry_after, unavailable
from .service import cached, service

blueprint = Blueprint("site", __name__)

GLOSSARY_NAME = "术语表"


def _store() -> Store:
    return service().ready_store()


def _glossary() -> CompiledGlossary:
    # One glossary for the whole request, however often a page asks.
    if "glossary" not in g:
        g.glossary = service().glossary()
    return g.glossary


@blueprint.app_template_global("tag_of")
def tag_of(slug: str):
    """Return the tag `slug` with its labels (terms.yaml's, else derived from the slug), for templates."""
    return _glossary().glossary.tag(slug)


def _canonical(endpoint: str, **values) -> str:
    return url_for(endpoint, _external=True, **{k: v for k, v in values.items() if v is not None})


def _entries(terms: list[Term]) -> list[dict]:
    counts = _store().usage_counts()
    return [{"term": t, "summary": definition_summary(t.definition), "count": counts.get(t.id, 0)} for t in terms]


@blueprint.get("/")
@cached
def index():
    """List the articles, newest first."""
    return render_template("index.html", articles=_store().articles(include_drafts=False),
                           canonical=_canonical("site.index"))


@blueprint.get("/articles/<slug>")
def article(slug: str):
    """Show one article with its terms annotated; ?preview=GLOSSARY_PREVIEW_TOKEN shows a draft too."""
    if "preview" in request.args:
        return _preview(slug, request.args["preview"])
    return _published_article(slug=slug)


@cached
def _published_article(slug: str):
    row = _store().article(slug)
    if row is None or row.draft:
        abort(404)
    return _article_page(row)


def _preview(slug: str, token: str):
    """Show an article, a draft too, to whoever holds the preview token; never kept by a cache or indexed."""
    expected = str(current_app.config["GLOSSARY_PREVIEW_TOKEN"] or "")
    # A wrong token reads as a missing page: it tells nothing about the drafts there are.
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        abort(404)
    row = _store().article(slug)
    if row is None:
        abort(404)
    response = make_response(_article_page(row, preview=True))
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    # The token is in the address: links out of the page must not carry it along.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _article_page(row, preview: bool = False) -> str:
    prefix = current_app.config["GLOSSARY_LINK_PREFIX"]
    settings = annotation_settings(row.mode, row.max_links, current_app.config)
    result = annotate_article(row.body, _glossary(), **settings, link_prefix=prefix, link_notes=True, title=row.title,
                              date=article_day(row.date), lang=row.lang,
                              trust_html=bool(current_app.config["GLOSSARY_TRUST_ARTICLE_HTML"]))
    return render_template("article.html", article=row, html=result.html, preview=preview, noindex=preview,
                           canonical=_canonical("site.article", slug=row.slug))


@blueprint.get("/terms")
@cached
def terms():
    """List the terms under the pinyin initials of their headwords; ?tag= keeps one tag's, ?q= searches.

    A glossary larger than GLOSSARY_INDEX_PAGE_SIZE is shown a letter at a
    time (?letter=C), in pages of that size (?page=2).
    """
    glossary = _glossary()
    tag = request.args.get("tag") or None
    query = request.args.get("q", "")
    groups = _kept(glossary.index(), lambda t: tag is None or tag in t.tags)
    total = sum(len(group) for _, group in groups)
    if tag is not None and not total:
        abort(404)
    canonical = _canonical("site.terms", tag=tag)
    if query:
        # Readers without JavaScript submit the search form; the script
        # filters the same entries as they type.
        groups = _kept(groups, lambda t: matches(query, glossary.search_keys(t)))
    letters = [letter for letter, _ in groups]
    groups, paging = _paged(groups, int(current_app.config["GLOSSARY_INDEX_PAGE_SIZE"]))
    shown = [t for _, group in groups for t in group]
    jsonld = defined_term_set(shown, lambda term_id: _canonical("site.term", term_id=term_id), canonical,
                              GLOSSARY_NAME)
    entries = {e["term"].id: e for e in _entries(shown)}
    search = {t.id: glossary.search_keys(t) for t in shown}
    # The script folds what the reader types with these, as the server folds ?q=.
    folds = query_folds(key for keys in search.values() for key in keys)
    return render_template(
        "terms.html", groups=[(letter, [entries[t.id] for t in group]) for letter, group in groups],
        search={i: "\n".join(keys) for i, keys in search.items()}, folds=folds, tag=tag, query=query,
        total=total, shown=len(entries), letters=letters, paging=paging, canonical=canonical, jsonld=jsonld,
    )


def _kept(groups: list[tuple[str, list[Term]]], keep: Callable[[Term], bool]) -> list[tuple[str, list[Term]]]:
    """Return the index groups with only the terms `keep` accepts, empty groups left out."""
    kept = [(letter, [t for t in group if keep(t)]) for letter, group in groups]
    return [(letter, group) for letter, group in kept if group]


def _paged(groups: list[tuple[str, list[Term]]], size: int) -> tuple[list[tuple[str, list[Term]]], dict | None]:
    """Return the groups of the page ?letter= and ?page= ask for, and where it is, when they hold more than `size`.

    Returns all the groups and None when they fit on one page; aborts with 404 for a letter or page not there.
    """
    if sum(len(group) for _, group in groups) <= size:
        return groups, None
    letter = request.args.get("letter") or groups[0][0]
    number = request.args.get("page", "1")
    group = dict(groups).get(letter)
    if group is None or not number.isdigit() or not 1 <= int(number) <= -(-len(group) // size):
        abort(404)
    number = int(number)
    paging = {"letter": letter, "page": number, "pages": -(-len(group) // size), "count": len(group)}
    return [(letter, group[(number - 1) * size: number * size])], paging


@blueprint.get("/terms/<term_id>")
@cached
def term(term_id: str):
    """Show one term: names, definition, tags, related terms and the articles that mention it."""
    glossary = _glossary().glossary
    entry = glossary.get(term_id)
    if entry is None:
        abort(404)
    canonical = _canonical("site.term", term_id=term_id)
    backlinks = _store().backlinks(term_id)
    # ?lang=zh-TW: the names and the definition in Traditional characters (converted, not stored).
    lang = request.args.get("lang") or None
    shown = in_script(entry, lang)
    converted = shown is not entry
    definition = definition_html_converted(entry.definition, converter_for(lang)) if converted else \
        definition_html(entry.definition)
    return render_template(
        "term.html", term=shown, definition=definition, lang=lang if converted else None,
        variants=variant_list(shown),
        see_also=[in_script(glossary.get(i), lang) for i in entry.see_also if i in glossary],
        backlinks=backlinks, canonical=canonical, **dated_term(entry, backlinks),
        jsonld=defined_term(entry, canonical, set_url=_canonical("site.terms"), set_name=GLOSSARY_NAME),
    )


@blueprint.get("/tags", endpoint="tags")
@cached
def tags_page():
    """List every tag a term or a published article carries, with its labels and how many of each it has."""
    glossary = _glossary().glossary
    terms: dict[str, int] = {}
    for entry in glossary:
        for slug in entry.tags:
            terms[slug] = terms.get(slug, 0) + 1
    articles = _store().tag_counts()
    slugs = terms.keys() | articles.keys()
    # Most used first: the tags a reader is likeliest to want lead.
    rows = sorted(({"tag": glossary.tag(s), "terms": terms.get(s, 0), "articles": articles.get(s, 0)} for s in slugs),
                  key=lambda r: (-(r["terms"] + r["articles"]), r["tag"].slug))
    return render_template("tags.html", rows=rows, canonical=_canonical("site.tags"))


@blueprint.get("/tags/<tag>", endpoint="tag")
@cached
def tag_page(tag: str):
    """List the terms and the articles under one tag."""
    chosen = [t for _, group in _glossary().index() for t in group if tag in t.tags]
    articles = _store().articles(include_drafts=False, tag=tag)
    if not chosen and not articles:
        abort(404)
    return render_template("tag.html", tag=_glossary().glossary.tag(tag), entries=_entries(chosen), articles=articles,
                           canonical=_canonical("site.tag", tag=tag))


@blueprint.app_errorhandler(404)
def not_found(_error):
    """Answer an unknown page with the site's 404 page."""
    return render_template("404.html"), 404


@blueprint.app_errorhandler(DBAPIError)
@blueprint.app_errorhandler(SchemaError)
def store_unavailable(error):
    """Answer 503 while the store is unreachable (or its schema out of date); the service recovers by itself."""
    if isinstance(error, SchemaError):
        current_app.logger.error("%s", error)
    else:
        current_app.logger.error("the store is unreachable: %s", getattr(error, "orig", None) or error)
    if is_api_path(request.path):  # e.g. a failure before the API's own handlers are reached
        return unavailable("the term store did not answer; try again later")
    return render_template("503.html"), 503, {**retry_after(), "Cache-Control": "no-store"}


@blueprint.app_errorhandler(500)
def server_error(_error):
    """Answer a failure with the site's error page; the traceback goes to the log only."""
    return render_template("500.html"), 500
