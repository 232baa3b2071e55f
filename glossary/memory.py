"""Process-wide memory tuning, and the helpers a large glossary load uses.

`tune_process` sets the process-wide knobs; a worker calls it when its app
is created (`create_app`), and so does every CLI command, which runs inside
that app. The other two functions are for the places that load a glossary.
Measurements are in bench/README.md ("Memory").
"""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Iterator
from contextlib import contextmanager

# glibc's mallopt parameters.
_M_MMAP_THRESHOLD = -3

try:
    _libc = ctypes.CDLL("libc.so.6")
    _libc.malloc_trim  # noqa: B018 (glibc only)
except (OSError, AttributeError):
    _libc = None

_tuned = False


def tune_process() -> None:
    """Set the allocator's process-wide knobs, once per process (later calls do nothing)."""
    global _tuned
    if _tuned:
        return
    _tuned = True
    # Blocks of 128 KiB and more get their own mappings, returned to the
    # system when freed. glibc raises the threshold each time such a block
    # is freed, after which a reload's large dicts and automaton tables land
    # in the heap among small long-lived blocks, and their pages stay in the
    # worker. A fixed threshold keeps them out (measured in one process:
    # four reloads under load left 186 MB instead of 190-199 MB).
    mallopt = getattr(_libc, "mallopt", None)
    if mallopt is not None:
        mallopt(_M_MMAP_THRESHOLD, 128 * 1024)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a glossary's entries are built."""
    # 50,000 entries are hundreds of thousands of new dicts, lists and
    # objects, none in a cycle: the collections they set off find nothing
    # and cost ~15% of the load (0.12-0.2 s; bench/README.md, "Loading
    # terms.yaml").
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def release_memory() -> None:
    """Hand the memory a glossary load used in passing back, and keep the glossary in use out of the collector's way."""
    # Loading 50,000 terms passes through ~100 MB of rows and temporary
    # objects; without a trim, glibc keeps what of it lies in its heap. With
    # tune_process's threshold most of it is mapped apart and goes back on
    # its own: measured after each of four reloads of 50,000 terms from a
    # SQLite store (issue 14), the trim returned 1-2 MB (146-147 -> 145 MB).
    # Unfrozen first: what the last freeze kept is collected now if it has
    # gone out of use (the glossary just replaced).
    gc.unfreeze()
    gc.collect()
    if _libc is not None:
        _libc.malloc_trim(0)
    # The glossary in use is about a million objects that live until the
    # next reload; every full collection an article's conversion sets off
    # walked all of them. Frozen, the collector skips them (measured on the
    # dense bench articles with 50,000 terms: bench/README.md, issue 14).
    gc.freeze()
