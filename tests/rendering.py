"""Helpers the annotator tests share: the reference rendering and its text."""

from __future__ import annotations

import lxml.html
import markdown

from glossary.render import MARKDOWN_EXTENSIONS


def text_without_definitions(html: str) -> str:
    """Return the text left once every [data-glossary] element is removed."""
    # lxml, not BeautifulSoup: bs4 collapses whitespace-only strings.
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in root.xpath("//*[@data-glossary]"):
        element.drop_tree()
    return root.text_content()


def render_plain(text: str) -> str:
    """Render Markdown as annotate_markdown does, without the glossary."""
    return markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS)).convert(text)
