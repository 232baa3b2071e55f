"""What a worker serves from: the compiled glossary in use, the store, and what it keeps of pages, answers and reports.

One Service per app, in `app.extensions["glossary"]`; views reach it
through `service()`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from flask import current_app, request
from sqlalchemy.exc import DBAPIError

from ..core.compiled import CompiledGlossary
from ..store import Store
from .live import LiveGlossary
from .pagecache import AnswerCache, PageCache, etag_for, not_modified, respond

# The key of the Service in `app.extensions`.
EXTENSION = "glossary"


class ReportCache:
    """The last report made (the editor's lint report), kept with the key it was made for."""

    def __init__(self):
        # Replaced whole (one assignment): a request reads a key and its report together.
        self._kept: tuple[Hashable, object] | None = None

    def get(self, key: Hashable, make: Callable[[], object]) -> object:
        """Return the report made for `key`, making it with `make` when the one kept is for another key."""
        kept = self._kept
        if kept is not None and kept[0] == key:
            return kept[1]
        report = make()
        self._kept = (key, report)
        return report


@dataclass(frozen=True)
class Service:
    """A worker's state; a reload swaps the compiled glossary inside `live`, never this object's parts.

    Attributes:
        store: The term store pages and the API read.
        live: The compiled glossary in use, following the store and terms.yaml.
        pages: Rendered reader pages, by request and versions.
        answers: /api/annotate answers, by ETag.
        reports: The editor's lint report.
    """

    store: Store
    live: LiveGlossary
    pages: PageCache
    answers: AnswerCache
    reports: ReportCache = field(default_factory=ReportCache)

    def glossary(self) -> CompiledGlossary:
        """Return the compiled glossary to serve this request with (see LiveGlossary.current)."""
        return self.live.current()

    def ready_store(self) -> Store:
        """Return the store, its schema checked (once per process)."""
        self.store.ensure_schema()
        return self.store


def service() -> Service:
    """Return the Service of the app handling this request."""
    return current_app.extensions[EXTENSION]


def cached(view):
    """Serve a page view from the worker's page cache while the store and glossary are unchanged.

    The page is made again only when the store's content version or the
    glossary's version moves (a sync, an edited terms.yaml). While the
    store is unreachable the last page made is served, marked stale.
    Searches (`?q=`) are not kept: any text could be asked for.
    """

    @functools.wraps(view)
    def wrapper(**kwargs):
        live, pages = service().live, service().pages
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
                return not_modified(tag)  # the client holds it: no need to make it again
            page = pages.put(key, version, view(**kwargs), tag)
        return respond(page)

    return wrapper
