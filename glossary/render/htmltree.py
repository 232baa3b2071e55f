"""Annotate glossary terms in HTML: parse with lxml, annotate the tree, serialize."""

from __future__ import annotations

import datetime
import html as htmlmod
import re

import lxml.etree
import lxml.html

from ..core.annotation import Annotation
from ..core.annotator import Annotator
from ..core.compiled import CompiledGlossary
from ..core.model import Glossary
from ..core.options import Options
from .depth import MAX_DEPTH, check_depth
from .title import drop_title_heading

# Characters an XML tree (lxml) cannot hold; HTML treats them as parse errors.
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DOCTYPE = re.compile(r"<!doctype", re.IGNORECASE)
_DOCUMENT = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype|html)[\s>]", re.IGNORECASE | re.DOTALL)


def annotate_html(html: str, glossary: Glossary | CompiledGlossary, mode: str = "bold", *, title: str | None = None,
                  date: datetime.date | None = None, **options) -> Annotation:
    """Annotate the glossary terms of an HTML fragment or document.

    Args:
        html: The markup; returned byte for byte when nothing is annotated.
        glossary: The terms to annotate; a Glossary is compiled for this call
            (hold a CompiledGlossary to compile it once).
        mode: "bold", "first" or "all" (see annotate_markdown).
        title: The page's title: an opening heading that says the same is left out.
        date: The page's date: the notes give each definition as it was then
            (None: the current one).
        **options: link_prefix, id_prefix, notes_title, max_links, link_notes, lang, notes, explain (see `Options`).

    Returns:
        The Annotation (meta is empty).

    Raises:
        ValueError: Unknown mode or option.
        NestingError: (a ValueError) The markup nests more than MAX_DEPTH
            elements deep (libxml2 drops what lies deeper than 255 levels:
            the annotated markup would have lost it).
    """
    settings = Options(mode=mode, **options)
    if not html.strip():
        return Annotation(html=html)
    source = html
    # lxml rejects or truncates at unstorable characters; only an annotated
    # result shows the replacement character, unchanged input is returned as it came.
    root, tree = parse_html(storable(html))
    document = tree is not None
    if root is None:
        return Annotation(html=html)
    if html.count("<") > MAX_DEPTH:  # fewer tags cannot nest that deep
        check_depth(root)
    dropped = drop_title_heading(root, title) if title else False
    annotator = Annotator(CompiledGlossary.of(glossary), settings, date)
    result = annotator.run(root)
    if annotator.plan.changed or dropped:
        annotator.plan.apply(root)
        html = _serialize_document(tree, _DOCTYPE.search(source)) if document else serialize_fragment(root)
    result.html = html
    return result


def storable(html: str) -> str:
    """Return `html` with the characters lxml cannot hold replaced by U+FFFD."""
    return UNSTORABLE.sub("\ufffd", html) if UNSTORABLE.search(html) else html


def parse_html(html: str):
    """Parse a fragment or a whole document with lxml.

    Args:
        html: Storable markup (see `storable`).

    Returns:
        (root, tree): the element whose content is the article (a wrapper
        `div` for a fragment, `body` for a document, None for a document
        without one) and the document tree (None for a fragment).
    """
    if _DOCUMENT.match(html):
        try:
            tree = lxml.html.document_fromstring(html)
        except lxml.etree.ParserError:
            return None, None  # a doctype and nothing else
        return tree.find("body"), tree
    return lxml.html.fragment_fromstring(html, create_parent="div"), None


def serialize_fragment(root) -> str:
    """Serialise the content of `root` (not `root` itself) as HTML."""
    parts = [htmlmod.escape(root.text, quote=False)] if root.text else []
    parts.extend(lxml.html.tostring(child, encoding="unicode") for child in root)
    return "".join(parts)


def _serialize_document(tree, had_doctype) -> str:
    # lxml reports an HTML 4 doctype for a page that had none; adding it
    # would switch browsers to quirks mode.
    doctype = tree.getroottree().docinfo.doctype if had_doctype else None
    return lxml.html.tostring(tree, encoding="unicode", doctype=doctype or None)
