"""Rendered pages kept in a worker's memory, keyed by what they were made from.

An annotated article depends on its text and on the glossary, so a page is
stored with that pair (its version): a hot page costs no re-annotation, a
sync that changes either makes a new page, and while the database is
unreachable the last page made is still there to serve.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from flask import Response, current_app, request


@dataclass(frozen=True)
class Page:
    """A rendered page and the version it was made from."""

    body: str
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

    def put(self, key: tuple, version: tuple, body: str) -> Page:
        """Store and return the page `body` made from `version`."""
        page = Page(body=body, version=version, etag=etag_for(version))
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)
        return page

    def __len__(self) -> int:
        return len(self._pages)


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
        age = int(current_app.config["GLOSSARY_PAGE_MAX_AGE"])
        # Proxies may keep a page briefly and then revalidate it with
        # If-None-Match (cheap: no rendering); a page may be served stale
        # while the app is failing.
        response.headers["Cache-Control"] = f"public, max-age={age}, stale-if-error=600"
    return response.make_conditional(request)
