"""Leave out an article's opening heading when the page shows the same words as its title."""

from __future__ import annotations

import re

from ..core.annotator import HEADINGS
from ..core.normalize import normalize_key

# Markdown's emphasis and code marks, which a title read from a heading's source keeps.
_EMPHASIS = re.compile(r"[*_`]")


def drop_title_heading(root, title: str) -> bool:
    """Remove the heading that opens `root` when it says what the page's title says.

    An article whose title is its first heading (taken from it, or repeated
    in the front matter) would otherwise show it twice, as the page's <h1>
    and again right below it.

    Args:
        root: The element whose content is the article (ElementTree or lxml).
        title: The page's title (plain text; Markdown emphasis marks in it are ignored).

    Returns:
        Whether a heading was removed.
    """
    first = root[0] if len(root) else None
    if (root.text or "").strip() or first is None or first.tag not in HEADINGS:
        return False
    if normalize_key("".join(first.itertext())) != normalize_key(_EMPHASIS.sub("", title)):
        return False
    root.text = (root.text or "") + (first.tail or "").lstrip("\n") or None
    root.remove(first)
    return True
