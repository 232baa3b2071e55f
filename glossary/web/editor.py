"""The editors' page: problems of terms.yaml and the lint report, for holders of the editor token.

The page is off (404) until GLOSSARY_EDITOR_TOKEN is set. A client shows the
token as `Authorization: Bearer <token>`, or signs in through the page's
form, which sets a cookie holding a digest of the token (never the token).
Every answer is kept out of caches and search engines.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
from dataclasses import dataclass
from operator import attrgetter

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from werkzeug.routing import BuildError

from ..editorial.lint import lint
from .live import display_path
from .service import service

blueprint = Blueprint("editor", __name__)

COOKIE = "glossary_editor"
# Seconds a sign-in through the form lasts.
COOKIE_AGE = 12 * 3600
# Rows of a report table shown at a time.
PAGE_SIZE = 25
SECTIONS = ("undefined", "unused", "unbolded", "shadows")
PRIVATE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}


@dataclass(frozen=True)
class Page:
    """One page of a report table: its rows, its number and how to reach the others."""

    section: str
    rows: list
    number: int
    pages: int
    total: int

    def runs(self, field: str) -> list[tuple[object, list]]:
        """Return this page's rows in runs of one value of `field` (an article's rows share its cell)."""
        return [(value, list(rows)) for value, rows in itertools.groupby(self.rows, key=attrgetter(field))]

    def url(self, number: int) -> str:
        """Return the address of page `number` of this table, keeping the other tables' pages."""
        args = {k: v for k, v in request.args.items() if k in SECTIONS}
        args[self.section] = str(number)
        return url_for("editor.editor", **args, _anchor=self.section)


@blueprint.before_request
def require_token():
    """Answer 404 while no token is configured; ask for it (401) or refuse a wrong one (403)."""
    token = _token()
    if not token:
        abort(404)
    if request.endpoint in ("editor.login", "editor.logout"):
        return None
    granted = _granted(token)
    if granted:
        return None
    status = 401 if granted is None else 403
    headers = {"WWW-Authenticate": 'Bearer realm="glossary editor"'} if status == 401 else {}
    return render_template("editor_login.html", wrong=status == 403), status, headers


@blueprint.after_request
def keep_private(response):
    """Keep every answer of the editor's pages out of caches and search engines."""
    response.headers.update(PRIVATE)
    return response


@blueprint.get("/editor")
def editor():
    """Show what is wrong with terms.yaml (with lines) and the lint report over the published articles."""
    live = service().live
    glossary = live.current()  # checks terms.yaml first, so its problems are current
    articles = service().ready_store().articles(include_drafts=False)
    # Linting annotates every article: kept until the glossary or an article changes.
    key = (glossary.version, tuple((a.slug, a.content_hash) for a in articles))
    report = service().reports.get(key, lambda: lint(glossary, [(a.slug, a.body) for a in articles]))
    return render_template(
        "editor.html", problems=live.problems, status=live.status(), report=report,
        terms_name=display_path(current_app.config["GLOSSARY_TERMS"]),
        display_path=display_path, pages={name: _page(name, getattr(report, name)) for name in SECTIONS},
        titles={a.slug: a.title for a in articles}, article_url=_article_url,
        term_url=lambda term_id: current_app.config["GLOSSARY_LINK_PREFIX"] + term_id,
    )


@blueprint.post("/editor/login")
def login():
    """Check the token sent by the sign-in form; if right, set the cookie and go to the page."""
    token = _token()
    if not _same(request.form.get("token", ""), token):
        return render_template("editor_login.html", wrong=True), 403
    response = redirect(url_for("editor.editor"), 303)
    response.set_cookie(COOKIE, _cookie_value(token), max_age=COOKIE_AGE, path="/editor", httponly=True,
                        secure=request.is_secure, samesite="Strict")
    return response


@blueprint.post("/editor/logout")
def logout():
    """Forget the sign-in cookie."""
    response = redirect(url_for("editor.editor"), 303)
    response.delete_cookie(COOKIE, path="/editor", httponly=True, secure=request.is_secure, samesite="Strict")
    return response


def _token() -> str:
    return str(current_app.config.get("GLOSSARY_EDITOR_TOKEN") or "").strip()


def _granted(token: str) -> bool | None:
    """Return whether the request shows the token (header or cookie); None when it shows nothing."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return _same(value.strip(), token)
    cookie = request.cookies.get(COOKIE)
    if cookie is not None:
        return _same(cookie, _cookie_value(token))
    return None


def _same(given: str, expected: str) -> bool:
    # Constant time: how long the comparison takes tells nothing of the token.
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _cookie_value(token: str) -> str:
    # A digest: the cookie a browser keeps is worthless as a Bearer token,
    # and changing the token signs every browser out.
    return hmac.new(token.encode("utf-8"), b"glossary editor sign-in", hashlib.sha256).hexdigest()


def _page(section: str, rows: list) -> Page:
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    asked = request.args.get(section, "1")
    # A page past the end (the report shrank since the link was made) shows the last.
    number = min(int(asked), pages) if asked.isascii() and asked.isdigit() and 1 <= len(asked) < 10 else 1
    number = max(number, 1)
    return Page(section, rows[(number - 1) * PAGE_SIZE: number * PAGE_SIZE], number, pages, len(rows))


def _article_url(slug: str) -> str | None:
    try:
        return url_for("site.article", slug=slug)
    except BuildError:  # the reader pages may name their routes differently
        return None
