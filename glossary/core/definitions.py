"""Render a term's definition (inline Markdown) to safe HTML and elements."""

from __future__ import annotations

import html
import re
import threading
import urllib.parse
from functools import lru_cache

import lxml.html
import markdown
import nh3

ALLOWED_TAGS = {"p", "a", "em", "strong", "code", "i", "b", "sub", "sup"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
SUMMARY_LIMIT = 60
# The end of a sentence: Chinese stops, or Latin ones followed by a space.
_SENTENCE = re.compile(r"[。！？]|[.!?](?=\s)")

_local = threading.local()
# Built once: nh3.clean(html, tags=...) builds its cleaner at every call
# (~7 of a definition's ~10 us in the allow-list).
_CLEANER = nh3.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                       link_rel="noopener noreferrer")


def _markdown() -> markdown.Markdown:
    md = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown()
        # Definitions are text with Markdown emphasis and links; raw HTML
        # in terms.yaml is shown as text, never parsed as markup.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        _local.md = md
    return md


@lru_cache(maxsize=8192)
def definition_html(text: str) -> str:
    """Render a definition to sanitised HTML.

    Args:
        text: The definition as terms.yaml writes it (inline Markdown).

    Returns:
        HTML with only emphasis, code and http(s)/mailto links left.
    """
    md = _markdown()
    try:
        html = md.convert(text)
    finally:
        md.reset()
    return _CLEANER.clean(html)


def prepare_definitions(texts) -> None:
    """Render the definitions among `texts` not yet rendered, one stage at a time: all to HTML, then all to elements.

    The notes of a long article may hold hundreds of definitions this
    process has not rendered yet. Taken one by one through Python-Markdown,
    the allow-list and lxml in turn, they took ~1.3x as long as stage by
    stage (759 definitions: 0.106 against 0.080 s), and the first long
    article a worker annotated paid for it (issue 17).

    Args:
        texts: Definitions as terms.yaml writes them (a list: it is read twice).
    """
    for text in texts:
        definition_html(text)
    for text in texts:
        _template(text)


@lru_cache(maxsize=1024)
def definition_html_converted(text: str, convert) -> str:
    """Return `definition_html(text)` with its text (not its attributes) passed through `convert`.

    Args:
        text: The definition as terms.yaml writes it.
        convert: A function of text, e.g. script.to_traditional with a
            profile bound (hashable and long-lived: it keys the cache).
    """
    rendered = definition_html(text)
    if not rendered.strip():
        return rendered
    root = lxml.html.fragment_fromstring(rendered, create_parent="div")
    for element in root.iter():
        if element is not root and element.text:
            element.text = convert(element.text)
        if element.tail:
            element.tail = convert(element.tail)
    if root.text:
        root.text = convert(root.text)
    return (html.escape(root.text, quote=False) if root.text else "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in root)


@lru_cache(maxsize=8192)
def definition_text(text: str) -> str:
    """Return a definition as plain text (for summaries and machine-readable data).

    Args:
        text: The definition as terms.yaml writes it.

    Returns:
        The rendered definition's text, whitespace runs collapsed.
    """
    html = definition_html(text)
    if not html.strip():
        return ""
    return " ".join(lxml.html.fragment_fromstring(html, create_parent="div").text_content().split())


def definition_summary(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """Return the first sentence of a definition, cut to `limit` characters.

    Args:
        text: The definition as terms.yaml writes it.
        limit: The longest summary, counting the ellipsis added to a cut one.

    Returns:
        Plain text for a one-line listing.
    """
    plain = definition_text(text)
    match = _SENTENCE.search(plain)
    first = plain[: match.end()] if match else plain
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def definition_elements(text: str, factory, convert=None) -> tuple[str | None, list]:
    """Return the rendered definition as (leading text, elements) built by `factory`.

    A single paragraph is unwrapped to its inline content.

    Args:
        text: The definition as terms.yaml writes it.
        factory: Called as factory(tag, attrib) to make each element, so the
            result fits the tree it goes into (ElementTree or lxml).
        convert: Applied to every piece of text (not to attributes: a
            link's address stays), e.g. to Traditional characters.
    """
    lead, templates = _template(text)
    if convert is not None:
        return (convert(lead) if lead else lead), [_build(t, factory, convert) for t in templates]
    return lead, [_build(t, factory) for t in templates]


@lru_cache(maxsize=8192)
def _template(text: str) -> tuple[str | None, tuple]:
    # Parsed once per definition; building elements from these tuples is
    # far cheaper than parsing HTML for every article.
    fragments = lxml.html.fragments_fromstring(definition_html(text)) if text.strip() else []
    if len(fragments) == 1 and not isinstance(fragments[0], str) and fragments[0].tag == "p":
        paragraph = fragments[0]
        return paragraph.text, tuple(_freeze(child) for child in paragraph if isinstance(child.tag, str))
    lead = "".join(f for f in fragments if isinstance(f, str)) or None
    return lead, tuple(_freeze(f) for f in fragments if not isinstance(f, str))


def _freeze(element) -> tuple:
    children = tuple(_freeze(c) for c in element if isinstance(c.tag, str))
    attrib = tuple((k, v) for k, v in element.attrib.items() if k != "href" or _safe_url(v))
    return element.tag, attrib, element.text, element.tail, children


def _safe_url(value: str) -> bool:
    # Python-Markdown's serialiser leaves entity-like text unescaped, so a
    # value like "&#106;avascript:" reaches the browser as "javascript:":
    # judge the URL as the browser will decode it.
    decoded = html.unescape(html.unescape(value)).strip()
    scheme = urllib.parse.urlsplit(decoded).scheme.lower()
    return (not scheme or scheme in URL_SCHEMES) and "&" not in decoded.split(":", 1)[0]


def _build(template: tuple, factory, convert=None):
    tag, attrib, text, tail, children = template
    element = factory(tag, dict(attrib))
    if convert is not None:
        text, tail = (convert(text) if text else text), (convert(tail) if tail else tail)
    element.text = text
    element.tail = tail
    for child in children:
        element.append(_build(child, factory, convert))
    return element
