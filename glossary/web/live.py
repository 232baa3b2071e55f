"""Keep a server's compiled glossary in step with terms.yaml and the store."""

from __future__ import annotations

import ctypes
import gc
import logging
import threading
import time
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from ..filewatch import WatchedFile
from ..model import Glossary
from ..store import Store
from ..termfile import GlossaryError, Problem, parse_glossary

log = logging.getLogger(__name__)

# Seconds the request that notices a new glossary waits for it to be built.
RELOAD_WAIT = 0.5


class LiveGlossary:
    """The glossary a server annotates with, following terms.yaml and the store.

    At most once per `interval` seconds, the first request to come along
    checks:

    - terms.yaml (a stat, and a read only if it may have changed): a changed
      file that passes check is synced into the store (terms and backlinks,
      one transaction) and served; one that fails is not loaded, its
      problems are logged and kept in `problems`, and the last good glossary
      is still served.  The file the server started with is not loaded: it
      serves what `glossary sync` stored, and follows terms.yaml from then on.
      The server only reads terms.yaml, never writes it.
    - the store's glossary version, for a `glossary sync` run by another
      process.

    Requests take `current()` once and use that object throughout, so each
    sees one whole glossary, old or new, never a mix; while one request
    reloads, others go on with the old glossary instead of waiting.
    """

    def __init__(self, store: Store, interval: float = 1.0, terms_path: str | Path | None = None):
        self.store = store
        self.interval = interval
        self.terms = WatchedFile(terms_path) if terms_path else None
        self.problems: tuple[Problem, ...] = ()
        self._glossary: Glossary | None = None
        self._store_version: str | None = None
        # Changes whenever anything a page shows may change (see store.versions).
        self.content_version: str | None = None
        # The last failure to reach the store, None while it answers.
        self.store_error: str | None = None
        self._checked = 0.0
        self._lock = threading.Lock()
        self._loading: threading.Thread | None = None
        _tune_allocator()

    def current(self) -> Glossary:
        """Return the glossary, checking terms.yaml and the store at most once per interval."""
        glossary = self._glossary
        if glossary is not None and time.monotonic() - self._checked < self.interval:
            return glossary
        if glossary is None:
            with self._lock:
                if self._glossary is None:
                    self._refresh()
            return self._glossary
        if self._lock.acquire(blocking=False):
            try:
                if time.monotonic() - self._checked >= self.interval:
                    self._refresh()
            finally:
                self._lock.release()
        return self._glossary

    def status(self) -> dict:
        """Return what a health check reports: the file followed, the version served, the file's problems."""
        glossary = self._glossary
        return {
            "terms": str(self.terms.path) if self.terms else None,
            "version": glossary.version if glossary is not None else None,
            "problems": [str(p) for p in self.problems],
            "store_error": self.store_error,
        }

    def _refresh(self) -> None:
        before = self._glossary
        try:
            self.store.ensure_schema()
            if self._glossary is None:
                self._store_version, self.content_version = self.store.versions()
                self._glossary = self._warm(self.store.load_glossary())
            self._follow_file()
            self._follow_store()
        except SQLAlchemyError as exc:
            if self._glossary is None:
                raise
            # Keep serving the glossary in hand; pages that need the store
            # answer 503 until it is back, checked again next interval.
            if self.store_error is None:
                log.error("the store is unreachable, serving glossary %s from memory: %s",
                          self._glossary.version, exc)
            self.store_error = f"{type(exc).__name__}: {getattr(exc, 'orig', None) or exc}"
        else:
            if self.store_error is not None:
                log.warning("the store answers again")
            self.store_error = None
        self._checked = time.monotonic()
        if self._glossary is not before:
            before = None
            _release_memory()

    def _follow_store(self) -> None:
        version, self.content_version = self.store.versions()
        if version == self._store_version:
            return
        if version == self._glossary.version:
            self._store_version = version
            return
        # Built beside the glossary in use, which serves until the new one
        # is whole (50,000 terms take seconds). The request that noticed
        # waits a moment: a small glossary is ready by then.
        if self._loading is None or not self._loading.is_alive():
            self._loading = threading.Thread(target=self._load_from_store, name="glossary-reload", daemon=True)
            self._loading.start()
        self._loading.join(RELOAD_WAIT)

    def _load_from_store(self) -> None:
        try:
            glossary = self._warm(self.store.load_glossary(previous=self._glossary))
        except Exception:  # logged; the next check tries again
            log.exception("reloading the glossary from the store failed; still serving %s", self._glossary.version)
            return
        self._glossary = glossary
        self._store_version = glossary.version
        log.info("serving glossary %s from the store (%d terms)", glossary.version, len(glossary))
        _release_memory()

    def _follow_file(self) -> None:
        reading = self.terms.poll() if self.terms else None
        if reading is None:
            return
        path = str(self.terms.path)
        if reading.data is None:
            if not reading.initial:  # a server started without the file has nothing to follow
                self._reject([Problem(path, None, f"cannot read file: {reading.error}")])
            return
        try:
            glossary = parse_glossary(reading.data, path)
        except GlossaryError as exc:
            self._reject(exc.problems)
            return
        except Exception as exc:  # a parser bug must not turn every request into a 500
            log.exception("%s: reading it failed", path)
            self._reject([Problem(path, None, f"cannot be loaded: {type(exc).__name__}: {exc}")])
            return
        if self.problems:
            log.warning("%s: problems fixed", path)
        self.problems = ()
        if reading.initial or glossary.version == self._glossary.version:
            return
        try:
            self.store.sync_glossary(glossary)
            self._store_version, self.content_version = self.store.versions()
            # As stored: with the index readings the sync computed.
            glossary = self.store.load_glossary(previous=self._glossary)
        except SQLAlchemyError as exc:
            # Served all the same: the file is good; term pages' backlinks lag until a sync succeeds.
            log.error("%s: loaded, but the store could not be updated: %s", path, exc)
        self._glossary = self._warm(glossary)
        log.info("%s: serving glossary %s (%d terms)", path, glossary.version, len(glossary))

    def _reject(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        version = self._glossary.version if self._glossary else None
        log.warning("%s: not loaded, %d problem(s); still serving glossary %s",
                    self.terms.path, len(problems), version)
        for problem in problems:
            log.warning("%s", problem)

    @staticmethod
    def _warm(glossary: Glossary) -> Glossary:
        # Compiled before any request sees it. (The fallback automaton for
        # rare word-boundary re-picks stays lazy: ~20 MB at 50,000 terms.)
        glossary.matcher  # noqa: B018
        glossary.index()  # the term index's order: a sort of every term, done once
        return glossary


def _release_memory() -> None:
    """Hand the memory a glossary load used in passing back to the system."""
    # Loading 50,000 terms passes through ~100 MB of rows and temporary
    # objects; without a trim, glibc keeps that in the worker for good.
    gc.collect()
    if _libc is not None:
        _libc.malloc_trim(0)


# glibc's mallopt parameters.
_M_MMAP_THRESHOLD = -3


def _tune_allocator() -> None:
    """Give blocks of 128 KiB and more their own mappings, returned to the system when freed."""
    # glibc raises the threshold each time such a block is freed, after
    # which a reload's large dicts and automaton tables land in the heap
    # among small long-lived blocks, and their pages stay in the worker.
    # A fixed threshold keeps them out (measured in one process: four
    # reloads under load left 186 MB instead of 190-199 MB).
    mallopt = getattr(_libc, "mallopt", None)
    if mallopt is not None:
        mallopt(_M_MMAP_THRESHOLD, 128 * 1024)


try:
    _libc = ctypes.CDLL("libc.so.6")
    _libc.malloc_trim  # noqa: B018 (glibc only)
except (OSError, AttributeError):
    _libc = None
