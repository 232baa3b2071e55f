"""Sanitise untrusted article HTML against an allow-list (nh3).

Authoring tools send markup the project did not write. What comes back
keeps the article's text and structure, the annotator's own markup
(`data-term`, `data-glossary`, `aria-describedby`, ids) and nothing that
runs: no script or style, no event-handler attribute, no URL but http(s),
mailto and relative ones.

Two parsers do the work. lxml (libxml2) reads the input first: it is linear
on any input, so it turns misnested markup that would make an HTML5 parser
rebuild open formatting elements over and over (output growing with the
square of the input) into plain nested elements, and it shows how deep the
document nests. nh3 (html5ever, the HTML5 algorithm browsers use) then
parses that and keeps only the allow-list, so the output is judged the way
a browser will read it.
"""

from __future__ import annotations

import re

import nh3

from ..core.definitions import URL_SCHEMES
from .depth import elements_within_depth
from .htmltree import parse_html, serialize_fragment, storable

# Passes until the output is its own sanitised form (two for almost any input).
MAX_PASSES = 4
_DROPS_FIRST_NEWLINE = frozenset({"pre", "textarea", "listing"})

TAGS = frozenset({
    "a", "abbr", "article", "aside", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})
# Removed with everything inside: their content is code, styling or not prose.
CONTENT_TAGS = frozenset({
    "script", "style", "template", "title", "svg", "math", "iframe", "object", "embed", "noembed", "noframes",
})
ATTRIBUTES = {
    # `id` keeps the annotator's definition ids and footnote anchors.
    "*": {"id", "lang", "dir", "title"},
    # rel: definitions' links carry rel="noopener noreferrer".
    "a": {"href", "rel", "data-term", "data-glossary", "aria-describedby", "class"},
    "aside": {"data-glossary", "aria-label"},
    "p": {"data-glossary"},
    "dl": {"data-glossary"},
    "dd": {"data-glossary", "data-for"},
    "span": {"data-glossary"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "time": {"datetime"},
    "code": {"class"},
    "div": {"class"},
}
# Python-Markdown writes these: table alignment, footnotes, fenced code languages.
STYLE_PROPERTIES = frozenset({"text-align"})
_CLASSES = {
    "a": re.compile(r"footnote-(?:ref|backref)"),
    "div": re.compile(r"footnote"),
    "code": re.compile(r"language-[\w+#.-]+"),
}


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    if name != "class":
        return value
    pattern = _CLASSES.get(tag)
    kept = [c for c in value.split() if pattern and pattern.fullmatch(c)]
    return " ".join(kept) or None


_RULES = {
    "tags": set(TAGS),
    "clean_content_tags": set(CONTENT_TAGS),
    "attributes": {tag: set(names) for tag, names in ATTRIBUTES.items()},
    "url_schemes": set(URL_SCHEMES),
    "link_rel": None,
    "filter_style_properties": set(STYLE_PROPERTIES),
}
_CLEANER = nh3.Cleaner(**_RULES, attribute_filter=_keep_attribute)
# The filter only judges class attributes, and nh3 calls back into Python
# for every attribute it keeps: markup without the word "class" (in any
# case: attribute names are) is cleaned without it, ~15% of nh3's time on
# an annotated 5 KB article (issue 17).
_CLEANER_WITHOUT_CLASSES = nh3.Cleaner(**_RULES)
_CLASS = re.compile("class", re.IGNORECASE)


def _clean(html: str) -> str:
    return (_CLEANER if _CLASS.search(html) else _CLEANER_WITHOUT_CLASSES).clean(html)


def sanitize_html(html: str) -> str:
    """Keep only the allow-listed tags, attributes and URLs of untrusted HTML.

    Args:
        html: A fragment or a whole document (only its body is kept).

    Returns:
        An HTML fragment with the same text, minus the content of script,
        style, svg, math and embedded frames.

    Raises:
        NestingError: The markup nests more than depth.MAX_DEPTH elements deep.
    """
    # The two parsers disagree on some markup (a list item inside a link,
    # say), so one pass can leave markup that the next pass moves again:
    # repeating until nothing changes makes sanitising a sanitised fragment
    # (e.g. an annotated answer sent back) change nothing.
    for _ in range(MAX_PASSES):
        clean = _pass(html)
        if clean == html:
            break
        html = clean
    return html


def clean_rendered(html: str) -> str:
    """Apply the allow-list once to HTML that Python-Markdown rendered from Markdown without raw HTML.

    Such HTML is well-formed, so one nh3 pass settles it (see
    `sanitize_html` for markup from outside). Render it with a bounded `render.converter.Converter`:
    its depth is checked in Python-Markdown's tree, not parsed again here.
    """
    if not html.strip():
        return html
    return _clean(html)


def _pass(html: str) -> str:
    if not html.strip():
        return html
    root, _ = parse_html(storable(html))
    if root is None:
        return ""
    for element in elements_within_depth(root):
        if element.tag in _DROPS_FIRST_NEWLINE and element.text and element.text.startswith("\n"):
            # An HTML5 parser drops the newline that opens a <pre>, and
            # html5ever does not write it back: double it so it survives.
            element.text = "\n" + element.text
    return _clean(serialize_fragment(root))
