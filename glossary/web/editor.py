"""The editors' page: problems of terms.yaml and the lint report."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, url_for
from werkzeug.routing import BuildError

from ..lint import SHADOW_HELP, lint

blueprint = Blueprint("editor", __name__)


@blueprint.get("/editor")
def editor():
    """Show what is wrong with terms.yaml (with lines) and the lint report over the published articles."""
    state = current_app.extensions["glossary"]
    live = state["live"]
    glossary = live.current()  # checks terms.yaml first, so its problems are current
    store = state["store"]
    store.ensure_schema()
    articles = store.articles(include_drafts=False)
    # Linting annotates every article: cached until the glossary or an article changes.
    key = (glossary.version, tuple((a.slug, a.content_hash) for a in articles))
    cache = state.setdefault("lint_cache", {})
    report = cache.get(key)
    if report is None:
        report = lint(glossary, [(a.slug, a.body) for a in articles])
        cache.clear()
        cache[key] = report
    return render_template(
        "editor.html", problems=live.problems, status=live.status(), report=report, shadow_help=SHADOW_HELP,
        titles={a.slug: a.title for a in articles}, article_url=_article_url,
        term_url=lambda term_id: current_app.config["GLOSSARY_LINK_PREFIX"] + term_id,
    )


def _article_url(slug: str) -> str | None:
    try:
        return url_for("site.article", slug=slug)
    except BuildError:  # the reader pages may name their routes differently
        return None
