"""Annotate glossary terms in HTML: parse with lxml, annotate the tree, serialize."""

from __future__ import annotations

import html as htmlmod
import re

import lxml.etree
import lxml.html

from ..core.annotation import Annotation
from ..core.annotator import HEADINGS, Annotator, Options
from ..core.compiled import CompiledGlossary
from ..core.model import Glossary
from ..core.normalize import normalize_key

# Characters an XML tree (lxml) cannot hold; HTML treats them as parse errors.
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DOCTYPE = re.compile(r"<!doctype", re.IGNORECASE)
# Markdown's emphasis and code marks, which a title read from a heading's source keeps.
_EMPHASIS = re.compile(r"[*_`]")
_DOCUMENT = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype|html)[\s>]", re.IGNORECASE | re.DOTALL)


def annotate_html(html: str, glossary: Glossary | CompiledGlossary, mode: str = "bold", **options) -> Annotation:
    """Annotate the glossary terms of an HTML fragment or document.

    Args:
        html: The markup; returned byte for byte when nothing is annotated.
        glossary: The terms to annotate; a Glossary is compiled for this call
            (hold a CompiledGlossary to compile it once).
        mode: "bold", "first" or "all" (see annotate_markdown).
        **options: link_prefix, id_prefix, notes_title, max_links (see `Options`).

    Returns:
        The Annotation (meta is empty).

    Raises:
        ValueError: Unknown mode or option.
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
    annotator = Annotator(CompiledGlossary.of(glossary), settings)
    terms = annotator.run(root)
    html = source
    if annotator.changed:
        html = _serialize_document(tree, _DOCTYPE.search(source)) if document else serialize_fragment(root)
    return Annotation(html=html, terms=terms, undefined=list(annotator.undefined.values()), glosses=annotator.glosses)


def link_note_headwords(html: str, link_prefix: str = "/terms/") -> str:
    """Link each headword of an annotated fragment's definitions block to its term page.

    The annotator's markup is left as it is; each <dt> headword's text is
    wrapped in a link, so the list at the end leads to the term pages.

    Args:
        html: An annotated fragment (from annotate_markdown or annotate_html).
        link_prefix: URL prefix of term pages; the term id is appended.

    Returns:
        The fragment; unchanged when it has no definitions to link.
    """
    if not html.strip() or UNSTORABLE.search(html):
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    changed = False
    for definition in root.xpath("//*[@data-glossary='definition'][@data-for]"):
        head = definition.getprevious()
        if head is None or head.tag != "dt" or not (head.text or "").strip() or head.find("a") is not None:
            continue
        word = head.text.rstrip()
        link = head.makeelement("a", {"href": link_prefix + definition.get("data-for")})
        link.text, link.tail = word, head.text[len(word):] or None
        head.text = None
        head.insert(0, link)
        changed = True
    return serialize_fragment(root) if changed else html


def drop_title_heading(html: str, title: str) -> str:
    """Remove the heading that opens a fragment when it says what the page's title says.

    An article whose title is its first heading (taken from it, or repeated
    in the front matter) would otherwise show it twice, as the page's <h1>
    and again right below it.

    Args:
        html: A rendered article fragment.
        title: The page's title (plain text; Markdown emphasis marks in it are ignored).

    Returns:
        The fragment without that heading; unchanged when it opens otherwise.
    """
    if not html.lstrip().startswith("<h") or UNSTORABLE.search(html):
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    first = root[0] if len(root) else None
    if (root.text or "").strip() or first is None or first.tag not in HEADINGS:
        return html
    if normalize_key(first.text_content()) != normalize_key(_EMPHASIS.sub("", title)):
        return html
    root.text = (root.text or "") + (first.tail or "").lstrip("\n") or None
    root.remove(first)
    return serialize_fragment(root)


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
