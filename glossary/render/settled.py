"""Tell when the allow-list would give rendered markup back as it is, so that it need not run.

Markdown from outside is rendered, annotated, then passed through the
allow-list (nh3, see sanitize.py). When the Markdown holds no raw HTML, the
tree Python-Markdown built shows everything the allow-list could act on:
tags and attributes it keeps or drops, link and image addresses it keeps or
removes. For a tree with nothing to drop, nh3 parses the markup and writes
it back unchanged; on a short article that round trip was ~15% of an API
request's time (issue 17). The checks below say "settled" only where nh3
would change nothing, byte for byte; anything they do not know sends the
markup through nh3 as before. tests/test_settled.py holds them to that
against nh3 itself, on generated articles and on each case they refuse.
"""

from __future__ import annotations

import re
from itertools import islice

from markdown.serializers import BOOLEAN_ATTRIBUTES

from .sanitize import ATTRIBUTES, TAGS

# What an element may carry and still be written back as it is: the
# allow-list's attributes, less those nh3 filters by value (class, style).
_KEPT = {tag: (frozenset(ATTRIBUTES.get(tag, ())) | ATTRIBUTES["*"]) - {"class", "style"} for tag in TAGS}
# Written as a bare name by the serialiser, as name="" by nh3.
_BOOLEAN = frozenset(BOOLEAN_ATTRIBUTES["html"])
# In the markup, characters html5ever writes otherwise (U+00A0 as &nbsp;)
# or that its parser drops or replaces: control characters, surrogates,
# non-characters.
_UNSETTLED_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\xa0\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
# And references: one the serialiser leaves as written (nh3 writes the
# character), an escaped < or > inside a tag (nh3 writes them bare in
# attribute values), &quot; outside one (nh3 writes ").
_UNSETTLED_REFERENCES = re.compile("&(?!(?:amp|lt|gt|quot);)|<[^>]*&[lg]t;|>[^<]*&quot;")
# A URL the allow-list reads as absolute: a scheme, then ':'.
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
# A relative prefix all of whose characters a scheme may hold: a term id
# with a ':' after it would make it absolute.
_SCHEME_CHARACTERS = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*")
# An absolute prefix whose host ends before the term id begins.
_HOST_ENDED = re.compile(r"[a-z]+://[^/?#]*[/?#]")
# What a URL parser reads differently from how it is written: spaces and
# control characters (dropped or trimmed), backslashes (read as '/').
_UNSETTLED_URL = re.compile(r"[\x00-\x20\x7f\\]")
# An http(s) URL whose host any URL parser accepts: letters, digits and
# hyphens, the last label beginning with a letter (a number there is read
# as an IPv4 address, which may be out of range), an optional short port.
_WEB = re.compile(r"https?://(?:[A-Za-z0-9-]{1,63}\.)*[A-Za-z][A-Za-z0-9-]{0,62}(?::[0-9]{1,4})?(?:[/?#]|\Z)")


def settled_url(url: str) -> bool:
    """Tell whether the allow-list keeps `url` in an href or src: relative, or http(s) or mailto that parses.

    Args:
        url: The attribute's value.

    Returns:
        True only where nh3 certainly keeps it; False also for URLs it may
        keep but that are not plainly safe to judge here.
    """
    if _UNSETTLED_URL.search(url):
        return False
    if _SCHEME.match(url) is None:
        return True  # relative: kept
    if url.startswith("mailto:"):
        return True
    # Punycode labels ("xn--") are decoded by the parser, and may fail.
    return _WEB.match(url) is not None and "xn--" not in url.split("/", 3)[2].lower()


def settled_link_prefix(prefix: str) -> bool:
    """Tell whether every link made as `prefix` + a term id is an address the allow-list keeps."""
    if _UNSETTLED_URL.search(prefix):
        return False
    scheme = _SCHEME.match(prefix)
    if scheme is None:
        # Relative, and a term id added cannot make it absolute: a
        # character that no scheme holds comes first (as "/" in "/terms/").
        return bool(prefix) and _SCHEME_CHARACTERS.fullmatch(prefix) is None
    # Absolute: the host must end before the id begins.
    return settled_url(prefix) and _HOST_ENDED.match(prefix) is not None


def settled_tree(root) -> bool:
    """Tell whether the allow-list keeps every element and attribute under `root` (ElementTree), as written.

    `root` itself is not judged: it is the wrapper Python-Markdown's output
    is taken out of. Characters are judged in the markup (`settled_markup`).
    """
    for element in root.iter():
        if element is root:
            continue
        tag = element.tag
        kept = _KEPT.get(tag) if tag.__class__ is str else None
        if kept is None:
            return False  # dropped, or a comment or processing instruction
        if element.attrib:
            for name, value in element.attrib.items():
                if value is None or name not in kept or name in _BOOLEAN:
                    return False
                if (name == "href" or name == "src") and not settled_url(value):
                    return False
        if tag == "a" and next(islice(element.iter("a"), 1, None), None) is not None:
            return False  # a link in a link: an HTML parser closes the first
        if tag == "pre" and element.text and element.text[0] == "\n":
            return False  # an HTML parser drops the newline that opens a <pre>
    return True


def settled_markup(html: str, judged: str = "") -> bool:
    """Tell whether `html`, written by the serialiser from a settled tree, holds no character nh3 writes otherwise.

    Args:
        html: The markup.
        judged: A piece of `html` whose characters are settled
            (`settled_characters`), not read again where `html` holds it:
            the notes, made of entries judged once per term (a dense
            article's notes are half its markup).
    """
    at = html.rfind(judged) if judged else -1
    if at < 0:
        if _UNSETTLED_CHARACTERS.search(html):
            return False
    elif _UNSETTLED_CHARACTERS.search(html, 0, at) or _UNSETTLED_CHARACTERS.search(html, at + len(judged)):
        return False
    # References can reach across the piece's edges: read everywhere.
    return "&" not in html or _UNSETTLED_REFERENCES.search(html) is None


def settled_characters(markup: str) -> bool:
    """Tell whether `markup` holds no character nh3 writes otherwise (references aside: see `settled_markup`)."""
    return _UNSETTLED_CHARACTERS.search(markup) is None
