"""Rendered pages kept in a worker's memory, keyed by what they were made from.

A page depends on the store's content (articles, backlinks) and on the
glossary, so it is kept with that pair of versions, which the server polls
cheaply (see web/live.py): a hot page costs no query and no re-annotation, a
sync that changes either makes a new page, and while the database is
unreachable the last page made is still there to serve. The ETag is a hash
of the page's key and that pair.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from flask import Response, current_app, request
from sqlalchemy.exc import DBAPIError


@dataclass(frozen=True)
class Page:
    """A rendered page and the version it was made from."""

    body: str | bytes
    version: tuple
    etag: str


class PageCache:
    """A bounded, thread-safe LRU of pages by key (e.g. ("article", slug))."""

    def __init__(self, size: int = 512):
        self.size = size
        self._pages: OrderedDict[tuple, Page] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, version: tuple | None = None) -> Page | None:
        """Return the page under `key` made from `version` (None: whatever version it was made from)."""
        with self._lock:
            page = self._pages.get(key)
            if page is None or (version is not None and page.version != version):
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: tuple, version: tuple, body: str | bytes, etag: str | None = None) -> Page:
        """Store and return the page `body` made from `version`."""
        page = Page(body=body, version=version, etag=etag or etag_for(key + version))
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)
        return page

    def __len__(self) -> int:
        return len(self._pages)


def cached(view):
    """Serve a page view from the worker's page cache while the store and glossary are unchanged.

    The page is made again only when the store's content version or the
    glossary's version moves (a sync, an edited terms.yaml). While the
    store is unreachable the last page made is served, marked stale.
    Searches (`?q=`) are not kept: any text could be asked for.
    """

    @functools.wraps(view)
    def wrapper(**kwargs):
        extension = current_app.extensions["glossary"]
        live, pages = extension["live"], extension["pages"]
        if "q" in request.args:
            return view(**kwargs)
        key = (request.endpoint, tuple(sorted(kwargs.items())), tuple(sorted(request.args.items(multi=True))),
               request.host_url)
        try:
            glossary = live.current()
        except DBAPIError:
            page = pages.get(key)
            if page is None:
                raise
            return respond(page, stale=True)
        if live.store_error is not None and (page := pages.get(key)) is not None:
            return respond(page, stale=True)
        version = (live.content_version, glossary.version)
        page = pages.get(key, version)
        if page is None:
            tag = etag_for(key + version)
            if tag in request.if_none_match:
                return _not_modified(tag)  # the client holds it: no need to make it again
            page = pages.put(key, version, view(**kwargs), tag)
        return respond(page)

    return wrapper


def _not_modified(tag: str) -> Response:
    response = Response(status=304)
    response.set_etag(tag)
    response.headers["Cache-Control"] = _cache_control()
    return response


def _cache_control() -> str:
    age = int(current_app.config["GLOSSARY_PAGE_MAX_AGE"])
    # Proxies may keep a page briefly, then revalidate it with If-None-Match
    # (cheap: nothing is rendered); they may serve it stale while the app fails.
    return f"public, max-age={age}, stale-if-error=600"


def etag_for(version: tuple) -> str:
    """Return a strong ETag value for the parts a page was made from."""
    return hashlib.sha256(repr(version).encode()).hexdigest()[:32]


def respond(page: Page, stale: bool = False) -> Response:
    """Answer with `page`, or 304 when the client holds it; with caching headers for a reverse proxy.

    Args:
        page: The page to send.
        stale: True when the page could not be checked against the store
            (the database is unreachable): proxies must not keep it.
    """
    response = Response(page.body, mimetype="text/html")
    response.set_etag(page.etag)
    if stale:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Warning"] = '110 - "Response is Stale"'
    else:
        response.headers["Cache-Control"] = _cache_control()
    return response.make_conditional(request)
