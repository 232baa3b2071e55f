"""Annotate a Markdown article or an HTML fragment: the core's entry points."""

from __future__ import annotations

import html as htmlmod
import re
import threading

import lxml.html
import markdown

from .annotation import Annotation
from .annotator import Annotator, Options
from .frontmatter import split_front_matter
from .mdext import GlossaryExtension
from .model import Glossary

# Extensions an article is rendered with (besides the glossary itself).
MARKDOWN_EXTENSIONS = ("extra", "sane_lists")
_DOCUMENT = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype|html)[\s>]", re.IGNORECASE | re.DOTALL)

_local = threading.local()


def _converter(options: Options, glossary: Glossary) -> markdown.Markdown:
    # Building a Markdown instance costs more than converting a short
    # article, so each thread keeps one per set of options.
    cache = getattr(_local, "converters", None)
    if cache is None:
        cache = _local.converters = {}
    md = cache.get(options)
    if md is None:
        extension = GlossaryExtension(**{
            "mode": options.mode,
            "link_prefix": options.link_prefix,
            "id_prefix": options.id_prefix,
            "notes_title": options.notes_title,
        })
        md = markdown.Markdown(extensions=[*MARKDOWN_EXTENSIONS, extension])
        md.glossary_extension = extension
        cache[options] = md
    md.glossary_extension.setConfig("glossary", glossary)
    return md


def annotate_markdown(text: str, glossary: Glossary, mode: str = "bold", **options) -> Annotation:
    """Render a Markdown article and annotate its glossary terms.

    Args:
        text: The article; it may begin with YAML front matter.
        glossary: The terms to annotate.
        mode: "bold" (bold phrases that are terms), "first" (also the first
            plain mention of each term not bolded) or "all" (every mention).
        **options: link_prefix, id_prefix, notes_title (see `Options`).

    Returns:
        The Annotation, with the front matter as `.meta`.

    Raises:
        ValueError: Unknown mode or option.
        FrontMatterError: The front matter is not a YAML mapping.
    """
    settings = Options(mode=mode, **options)
    meta, body, _ = split_front_matter(text)
    md = _converter(settings, glossary)
    try:
        html = md.convert(body)
        result = md.glossary_annotation
    finally:
        md.reset()
    result.html = html
    result.meta = meta
    return result


def annotate_html(html: str, glossary: Glossary, mode: str = "bold", **options) -> Annotation:
    """Annotate the glossary terms of an HTML fragment or document.

    Args:
        html: The markup; returned byte for byte when nothing is annotated.
        glossary: The terms to annotate.
        mode: "bold", "first" or "all" (see annotate_markdown).
        **options: link_prefix, id_prefix, notes_title (see `Options`).

    Returns:
        The Annotation (meta is empty).

    Raises:
        ValueError: Unknown mode or option.
    """
    settings = Options(mode=mode, **options)
    if not html.strip():
        return Annotation(html=html)
    document = bool(_DOCUMENT.match(html))
    if document:
        tree = lxml.html.document_fromstring(html)
        root = tree.find("body")
        if root is None:
            return Annotation(html=html)
    else:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    annotator = Annotator(glossary, settings)
    terms = annotator.run(root)
    if annotator.changed:
        html = _serialize_document(tree) if document else _serialize_fragment(root)
    return Annotation(html=html, terms=terms, undefined=list(annotator.undefined.values()), glosses=annotator.glosses)


def _serialize_fragment(root) -> str:
    parts = [htmlmod.escape(root.text, quote=False)] if root.text else []
    parts.extend(lxml.html.tostring(child, encoding="unicode") for child in root)
    return "".join(parts)


def _serialize_document(tree) -> str:
    return lxml.html.tostring(tree, encoding="unicode", doctype=tree.getroottree().docinfo.doctype or None)
