"""Notice, cheaply, when a file's content changes."""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

# A file modified this recently may be written again within the same
# timestamp tick without its size changing: it is read again until older.
RACY_SECONDS = 2.0


@dataclass(frozen=True)
class Reading:
    """The content of a watched file when it was found changed.

    Attributes:
        data: The bytes, or None when the file cannot be read.
        error: Why it cannot be read (None when it can).
        digest: A hash of the content (or of the error).
        initial: True when this is the content the file had when watching
            began (the first poll, with the file untouched since).
    """

    data: bytes | None
    error: str | None
    digest: str
    initial: bool


class WatchedFile:
    """A file polled for changes: a stat() per poll, a read only when it may have changed."""

    def __init__(self, path: str | Path):
        self.path = Path(path).absolute()
        self._start = self._stat()
        self._signature = self._start
        self._digest: str | None = None
        self._read_at = 0.0
        self._polled = False

    def poll(self) -> Reading | None:
        """Return the file's content if it differs from what the last poll returned (the first poll always does)."""
        signature = self._stat()
        if self._polled and signature == self._signature and not self._racy(signature):
            return None
        initial = not self._polled and signature == self._start
        self._polled = True
        self._signature = signature
        self._read_at = time.time()
        try:
            if self.path.exists() and not self.path.is_file():  # a FIFO would block the read for good
                raise OSError(0, "not a regular file")
            data, error = self.path.read_bytes(), None
        except OSError as exc:
            data, error = None, exc.strerror or str(exc)
        digest = hashlib.sha256(data).hexdigest() if data is not None else f"unreadable: {error}"
        if digest == self._digest:
            return None
        self._digest = digest
        return Reading(data, error, digest, initial)

    def _stat(self) -> tuple | None:
        try:
            result = os.stat(self.path)
        except OSError:
            return None
        return (result.st_mtime_ns, result.st_size, result.st_ino, result.st_dev)

    def _racy(self, signature: tuple | None) -> bool:
        return signature is not None and self._read_at - signature[0] / 1e9 < RACY_SECONDS
