"""Render a term's definition (inline Markdown) to safe HTML and elements."""

from __future__ import annotations

import threading
from functools import lru_cache

import lxml.html
import markdown
import nh3

ALLOWED_TAGS = {"p", "a", "em", "strong", "code", "i", "b", "sub", "sup"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

_local = threading.local()


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


@lru_cache(maxsize=65536)
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
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def definition_text(text: str) -> str:
    """Return a definition as plain text (for summaries and search)."""
    html = definition_html(text)
    if not html:
        return ""
    return lxml.html.fromstring(f"<div>{html}</div>").text_content().strip()


def definition_elements(text: str, factory) -> tuple[str | None, list]:
    """Return the rendered definition as (leading text, elements) built by `factory`.

    Args:
        text: The definition as terms.yaml writes it.
        factory: Called as factory(tag, attrib) to make each element, so the
            result fits the tree it goes into (ElementTree or lxml).
    """
    fragments = lxml.html.fragments_fromstring(definition_html(text)) if text.strip() else []
    lead = None
    elements = []
    for fragment in fragments:
        if isinstance(fragment, str):
            lead = (lead or "") + fragment
        else:
            elements.append(_copy(fragment, factory))
    return lead, elements


def _copy(source, factory):
    element = factory(source.tag, dict(source.attrib))
    element.text = source.text
    element.tail = source.tail
    for child in source:
        if isinstance(child.tag, str):
            element.append(_copy(child, factory))
    return element
