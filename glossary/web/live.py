"""Keep a server's compiled glossary in step with the store."""

from __future__ import annotations

import threading
import time

from ..model import Glossary
from ..store import Store


class LiveGlossary:
    """The glossary a server annotates with, rebuilt when the store's version changes.

    Requests take `current()` once and use that object throughout, so each
    sees one whole glossary, old or new, never a mix.
    """

    def __init__(self, store: Store, interval: float = 1.0):
        self.store = store
        self.interval = interval
        self._glossary: Glossary | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def current(self) -> Glossary:
        """Return the glossary, checking the store's version at most once per interval."""
        now = time.monotonic()
        glossary = self._glossary
        if glossary is not None and now - self._checked < self.interval:
            return glossary
        with self._lock:
            if self._glossary is None or now - self._checked >= self.interval:
                self.store.ensure_schema()
                version = self.store.glossary_version()
                if self._glossary is None or version != self._glossary.version:
                    fresh = self.store.load_glossary()
                    fresh.matcher.warm()  # compile before any request sees it
                    self._glossary = fresh
                self._checked = time.monotonic()
            return self._glossary
