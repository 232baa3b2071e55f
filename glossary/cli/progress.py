"""Progress bars for long runs: drawn on a terminal, silent otherwise."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable


def progress(description: str, unit: str = "article", stream=None) -> Callable[[Iterable], Iterable]:
    """Return a wrapper that shows a bar over an iterable on a terminal, and passes it through otherwise.

    Args:
        description: The label before the bar, e.g. "reading articles".
        unit: What is counted, e.g. "article".
        stream: Where to draw (default: stderr, so stdout stays clean for
            output that is piped or pasted).

    Returns:
        A function taking an iterable (and optionally its `total`) and
        returning an iterable over the same items.
    """
    from tqdm import tqdm

    def wrap(items: Iterable, total: int | None = None) -> Iterable:
        # disable=None: tqdm draws only when the stream is a TTY, so logs,
        # pipes and CI output get no carriage-return noise.
        return tqdm(items, desc=description, total=total, file=stream or sys.stderr, disable=None, leave=False,
                    unit=f" {unit}s")

    return wrap
