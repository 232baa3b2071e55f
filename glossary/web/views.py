"""Reader pages: the article list, annotated articles and term pages."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from ..definitions import definition_html
from ..render import annotate_markdown

blueprint = Blueprint("site", __name__)


def _store():
    store = current_app.extensions["glossary"]["store"]
    store.ensure_schema()
    return store


def _glossary():
    return current_app.extensions["glossary"]["live"].current()


@blueprint.get("/")
def index():
    """List the articles, newest first."""
    return render_template("index.html", articles=_store().articles(include_drafts=False))


@blueprint.get("/articles/<slug>")
def article(slug: str):
    """Show one article with its terms annotated."""
    row = _store().article(slug)
    if row is None or row.draft:
        abort(404)
    result = annotate_markdown(row.body, _glossary(), mode=row.mode,
                               link_prefix=current_app.config["GLOSSARY_LINK_PREFIX"])
    return render_template("article.html", article=row, annotation=result)


@blueprint.get("/terms/<term_id>")
def term(term_id: str):
    """Show one term with its definition and the articles that mention it."""
    glossary = _glossary()
    entry = glossary.get(term_id)
    if entry is None:
        abort(404)
    return render_template(
        "term.html", term=entry, glossary=glossary, definition=definition_html(entry.definition),
        backlinks=_store().backlinks(term_id),
    )


@blueprint.app_errorhandler(404)
def not_found(_error):
    """Answer an unknown page with the site's 404 page."""
    return render_template("404.html"), 404


@blueprint.app_errorhandler(500)
def server_error(_error):
    """Answer a failure with the site's error page; the traceback goes to the log only."""
    return render_template("500.html"), 500
