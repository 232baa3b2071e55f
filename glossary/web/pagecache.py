"""Rendered pages and API answers kept in a worker's memory, keyed by what they were made from.

A page depends on the store's content (articles, backlinks) and on the
glossary, so it is kept with that pair of versions, which the server polls
cheaply (see web/live.py): a hot page costs no query and no re-annotation, a
sync that changes either makes a new page, and while the database is
unreachable the last page made is still there to serve. The ETag is a hash
of the page's key and that pair. An API answer is kept by its ETag alone,
which names everything it was made from (see AnswerCache).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from flask import Response, current_app, request

# Bytes of API answers a worker keeps (GLOSSARY_ANSWER_CACHE_MB): the
# cache's memory stays bounded, and a long article's answer (a 1.5 MB
# article answers ~4 MB) is kept too, so that its repetition is answered
# at once (issue 17's speed targets).
ANSWER_CACHE_BYTES = 64 * 1024 * 1024


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


class AnswerCache:
    """A bounded, thread-safe LRU of API answers (JSON bodies) by ETag.

    The ETag of an answer names its input, mode, options and glossary
    version: an answer kept under it is the answer to every request that
    carries the same, with nothing else to check.
    """

    def __init__(self, size: int = 512, capacity: int = ANSWER_CACHE_BYTES):
        """Keep at most `size` answers of `capacity` bytes in all; none larger than a quarter of that."""
        self.size = size
        self.capacity = capacity
        self.largest = capacity // 4
        self.held = 0
        self._answers: OrderedDict[str, bytes] = OrderedDict()
        # A request body's hash -> the digest of what it asked
        # (AnnotateRequest.digest): a body sent again finds its answer
        # without being parsed and hashed as JSON (a 1.5 MB article: ~10
        # of ~30 ms, issue 17's repeated request).
        self._asked: OrderedDict[bytes, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def asked(self, body_hash: bytes) -> bytes | None:
        """Return the digest of what the request body hashed as `body_hash` asked, if it came before."""
        with self._lock:
            return self._asked.get(body_hash)

    def remember(self, body_hash: bytes, digest: bytes) -> None:
        """Keep that the request body hashed as `body_hash` asks what `digest` names."""
        with self._lock:
            self._asked[body_hash] = digest
            self._asked.move_to_end(body_hash)
            while len(self._asked) > 4 * self.size:
                self._asked.popitem(last=False)

    def get(self, etag: str) -> bytes | None:
        """Return the answer kept under `etag`, or None."""
        with self._lock:
            body = self._answers.get(etag)
            if body is not None:
                self._answers.move_to_end(etag)
            return body

    def put(self, etag: str, body: bytes) -> None:
        """Keep `body` under `etag`, unless it is larger than the cache takes."""
        if len(body) > self.largest:
            return
        with self._lock:
            old = self._answers.pop(etag, None)
            self.held -= len(old) if old is not None else 0
            self._answers[etag] = body
            self.held += len(body)
            while len(self._answers) > self.size or self.held > self.capacity:
                _, dropped = self._answers.popitem(last=False)
                self.held -= len(dropped)

    def __len__(self) -> int:
        return len(self._answers)


def not_modified(tag: str) -> Response:
    """Answer 304 for the page whose ETag is `tag`, with the caching headers it would carry."""
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
