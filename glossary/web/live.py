"""Keep a server's compiled glossary in step with terms.yaml and the store."""

from __future__ import annotations

import logging
import re
import threading
import time
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from ..config import DEFAULTS
from ..core.compiled import CompiledGlossary
from ..core.model import Glossary
from ..memory import release_memory
from ..sources.filewatch import Reading, WatchedFile
from ..sources.termfile import GlossaryError, Problem, parse_glossary
from ..store import Store, foreign_source

log = logging.getLogger(__name__)

def display_path(path: str | Path) -> str:
    """Return `path` as an outsider may see it: relative to the working folder, else its name alone.

    Pages and /healthz never show where the server keeps its files.
    """
    path = Path(path)
    if not path.is_absolute():
        return path.name if ".." in path.parts else path.as_posix()
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.name


# An absolute path inside a message (a database driver names its socket or file).
_ABSOLUTE_PATH = re.compile(r"(?<![\w.:/])/(?:[^\s\"'/]+/)+(?=[^\s\"'/]*)")


def without_paths(message: str | None) -> str | None:
    """Return a message for outsiders: each absolute path in it shortened to its last part."""
    return _ABSOLUTE_PATH.sub("", message) if message else message


def display_store(url: str) -> str:
    """Return which store a URL names, without its password or any absolute path."""
    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() == "sqlite" and database not in ("", ":memory:"):
        database = display_path(database.removeprefix("file:"))  # SQLite's URI form names a path too
    return f"{parsed.get_backend_name()}: {database or 'in memory'}"


class LiveGlossary:
    """The compiled glossary a server annotates with, following the store and, when told to, one terms file.

    A reload compiles the new glossary (sharing with the one in use what
    its changes leave valid, see CompiledGlossary) and swaps it in whole.

    At most once per `interval` seconds, the first request to come along
    starts a check in a background thread and waits for it at most
    `wait` seconds; it and every other request are answered with the
    glossary in hand meanwhile, so no request waits for a reload.

    The check looks at:

    - the terms file the server was told to follow, if any (a stat, and a
      read only if it may have changed).  A changed file that passes check
      is synced into the store (terms and backlinks, one transaction) and
      served; one that fails is not loaded, its problems are kept in
      `problems`, and the last good glossary is still served.  The file is
      written into the store only when the store's glossary came from that
      same file (or the store is empty, or holds the file's very glossary):
      a server never replaces a glossary synced from another file unless
      it was started with `replace`.  It never writes the file.
    - the store's glossary version, for a `glossary sync` by another process.

    A file that was loaded but could not be written to the store is served
    from memory, reported in `status()`, and written again at each check
    until the store takes it.
    """

    def __init__(self, store: Store, interval: float = DEFAULTS["GLOSSARY_RELOAD_INTERVAL"],
                 terms_path: str | Path | None = None, replace: bool = False,
                 wait: float = DEFAULTS["GLOSSARY_RELOAD_WAIT"]):
        self.store = store
        self.interval = interval
        self.wait = wait
        self.terms = WatchedFile(terms_path) if terms_path else None
        self.replace = replace
        self.problems: tuple[Problem, ...] = ()
        # Why the followed file is not being written to the store, or None.
        self.refused: str | None = None
        # A loaded glossary the store has not taken yet, and why.
        self._unsaved: Glossary | None = None
        # A valid edit of the file not yet acted on (the store failed meanwhile).
        self._pending: Glossary | None = None
        self.store_write_error: str | None = None
        self._compiled: CompiledGlossary | None = None
        self._store_version: str | None = None
        # Changes whenever anything a page shows may change (see store.versions).
        self.content_version: str | None = None
        # The last failure to reach the store, None while it answers.
        self.store_error: str | None = None
        self._checked = 0.0
        self._lock = threading.Lock()
        self._check_thread: threading.Thread | None = None
        self._check_started = 0.0

    @property
    def terms_source(self) -> str | None:
        """Return the followed file as the store records its source: absolute, links resolved now."""
        # Resolved at each use: a link pointed at another file since start-up
        # leads to that file, which the store's glossary did not come from.
        return str(self.terms.path.resolve()) if self.terms else None

    def current(self) -> CompiledGlossary:
        """Return the compiled glossary, checking terms.yaml and the store at most once per interval."""
        compiled = self._compiled
        if compiled is not None and time.monotonic() - self._checked < self.interval:
            return compiled
        if compiled is None:
            # Nothing to serve yet: the first request loads the glossary itself.
            with self._lock:
                if self._compiled is None:
                    self._first_load()
        with self._lock:
            running = self._check_thread is not None and self._check_thread.is_alive()
            if not running and time.monotonic() - self._checked >= self.interval:
                self._check_thread = threading.Thread(target=self._check, name="glossary-reload", daemon=True)
                self._check_started = time.monotonic()
                self._check_thread.start()
            thread = self._check_thread
        if thread is not None and self.wait > 0:
            thread.join(self.wait)
        return self._compiled

    def status(self) -> dict:
        """Return what a health check reports: the file followed, the version served, and every reason to worry."""
        compiled = self._compiled
        thread = self._check_thread
        reloading = thread is not None and thread.is_alive()
        return {
            "terms": display_path(self.terms.path) if self.terms else None,
            "following": self.terms is not None and self.refused is None,
            "version": compiled.version if compiled is not None else None,
            "problems": [str(Problem(display_path(p.path), p.line, p.message)) for p in self.problems],
            "refused": self.refused,
            "store_write_error": without_paths(self.store_write_error),
            "store_error": without_paths(self.store_error),
            # Seconds the reload in progress has taken, None when none runs.
            "reloading": round(time.monotonic() - self._check_started, 1) if reloading else None,
        }

    def _first_load(self) -> None:
        self.store.ensure_schema()
        self._store_version, self.content_version = self.store.versions()
        self._compiled = self._compile(self.store.load_glossary())
        release_memory()
        # With a file to follow, checked at once: one edited while the server
        # was down is caught up by the same rules as any later edit. Without
        # one, the store's versions were just read.
        self._checked = 0.0 if self.terms is not None else time.monotonic()

    def _check(self) -> None:
        before = self._compiled
        try:
            self._save_unsaved()
            self._follow_file()
            self._follow_store()
        except SQLAlchemyError as exc:
            # Keep serving the glossary in hand; pages that need the store
            # answer 503 until it is back, checked again next interval.
            if self.store_error is None:
                log.error("the store is unreachable, serving glossary %s from memory: %s",
                          self._compiled.version, exc)
            self.store_error = f"{type(exc).__name__}: {getattr(exc, 'orig', None) or exc}"
        except Exception:  # logged; the next check tries again
            log.exception("checking for a new glossary failed; still serving %s", self._compiled.version)
        else:
            if self.store_error is not None:
                log.warning("the store answers again")
            self.store_error = None
        finally:
            self._checked = time.monotonic()
        if self._compiled is not before:
            before = None
            release_memory()

    def _follow_store(self) -> None:
        version, self.content_version = self.store.versions()
        if version == self._store_version or self._unsaved is not None:
            return
        if self.refused is not None and self.store.sources().terms == self.terms_source:
            self.refused = None  # `glossary sync` made the followed file the store's
        if version == self._compiled.version:
            self._store_version = version
            return
        glossary = self.store.load_glossary(previous=self._compiled.glossary)
        self._compiled = self._compile(glossary)
        self._store_version = glossary.version
        log.info("serving glossary %s from the store (%d terms)", glossary.version, len(glossary))

    def _follow_file(self) -> None:
        reading = self.terms.poll() if self.terms else None
        if reading is not None:
            # Kept until acted on: the file is read once per change, so an
            # edit noticed while the store fails would otherwise be lost.
            self._pending = self._parse(reading)
        if self._pending is None:
            return
        try:
            self._take(self._pending)
        except SQLAlchemyError:
            raise  # still pending: taken at the first check the store answers
        except BaseException:
            self._pending = None
            raise
        self._pending = None

    def _take(self, glossary: Glossary) -> None:
        if glossary.version == self._compiled.version and self._unsaved is None:
            self._adopt_if_same(glossary)
            return
        self.refused = self._refusal(glossary)
        if self.refused is not None:
            log.warning("%s: %s", self.terms.path, self.refused)
            return
        self._unsaved = glossary
        self._compiled = self._compile(glossary)
        log.info("%s: serving glossary %s (%d terms)", self.terms.path, glossary.version, len(glossary))
        self._save_unsaved()

    def _parse(self, reading: Reading) -> Glossary | None:
        name = str(self.terms.path)
        if reading.data is None:
            self._reject([Problem(name, None, f"cannot read file: {reading.error}")])
            return None
        try:
            glossary = parse_glossary(reading.data, name)
        except GlossaryError as exc:
            self._reject(exc.problems)
            return None
        except Exception as exc:  # a parser bug must not stop the server following the file
            log.exception("%s: reading it failed", self.terms.path)
            self._reject([Problem(name, None, f"cannot be loaded: {type(exc).__name__}: {exc}")])
            return None
        if self.problems:
            log.warning("%s: problems fixed", self.terms.path)
        self.problems = ()
        return glossary

    def _refusal(self, glossary: Glossary) -> str | None:
        """Return why `glossary` must not be written to the store, or None when it may."""
        if self.replace:
            return None
        owner = self.store.sources().terms
        served = self._compiled.glossary
        if not foreign_source(owner, self.terms_source, served.version is None or not len(served)):
            return None
        if owner is None:
            where = "by an older version that did not record its file"
        elif display_path(owner) == display_path(self.terms_source):
            where = f"from another file named {display_path(owner)}"
        else:
            where = f"from {display_path(owner)}"
        log.warning("%s: the store's glossary was synced from %s", self.terms.path, owner or "an unrecorded file")
        return (f"not written to the store: its glossary ({len(served)} terms) was synced {where}; "
                "still serving the store's glossary. Run `glossary sync --terms FILE` to make this file the "
                "store's, or start the server with --replace")

    def _adopt_if_same(self, glossary: Glossary) -> None:
        # The file holds exactly the store's glossary: it is the store's file
        # from now on, so later edits to it are followed.
        self.refused = None
        try:
            if self.store.sources().terms is None:
                self.store.sync_glossary(glossary, terms_source=self.terms_source)
        except SQLAlchemyError as exc:  # only a record: the next sync writes it
            log.warning("%s: could not record it as the store's terms file: %s", self.terms.path, exc)

    def _save_unsaved(self) -> None:
        glossary = self._unsaved
        if glossary is None:
            return
        owner = self.store.sources().terms
        if not self.replace and owner is not None and owner != self.terms_source:
            # `glossary sync` made another file the store's since this edit was
            # checked (while it compiled, or waited for the store): that
            # explicit act wins, and the store's glossary is served.
            self.refused = (f"not written to the store: its glossary was synced from {display_path(owner)} while "
                            "this file's edit was being loaded; still serving the store's glossary. Run "
                            "`glossary sync --terms FILE` to make this file the store's, or start the server "
                            "with --replace")
            log.warning("%s: %s", self.terms.path, self.refused)
            self._unsaved = None
            self.store_write_error = None
            self._store_version = None  # load the store's glossary at once
            return
        try:
            self.store.sync_glossary(glossary, terms_source=self.terms_source)
            self._store_version, self.content_version = self.store.versions()
            # As stored: with the index readings the sync computed.
            stored = self.store.load_glossary(previous=glossary)
        except Exception as exc:  # noqa: BLE001 (a database error, or a stored article that no longer renders)
            error = f"{type(exc).__name__}: {getattr(exc, 'orig', None) or exc}"
            if error != self.store_write_error:
                log.error("%s: serving glossary %s from memory; the store could not be updated "
                          "(tried again every %s s): %s", self.terms.path, glossary.version, self.interval, exc)
            self.store_write_error = error
            return
        if self.store_write_error is not None:
            log.warning("%s: the store took glossary %s", self.terms.path, glossary.version)
        self.store_write_error = None
        self._unsaved = None
        if self._compiled.glossary is glossary:
            self._compiled = self._compile(stored)

    def _reject(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        version = self._compiled.version if self._compiled else None
        log.warning("%s: not loaded, %d problem(s); still serving glossary %s",
                    self.terms.path, len(problems), version)
        for problem in problems:
            log.warning("%s", problem)

    def _compile(self, glossary: Glossary) -> CompiledGlossary:
        # Compiled before any request sees it, taking over from the glossary
        # in use what the changes leave valid (a reload that changed only
        # definitions builds no automaton and sorts no index).
        return CompiledGlossary(glossary, previous=self._compiled).warm()
