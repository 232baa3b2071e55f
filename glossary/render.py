"""Annotate a Markdown article or an HTML fragment: the core's entry points."""

from __future__ import annotations

import threading

import markdown

from .annotation import Annotation
from .annotator import Options
from .frontmatter import split_front_matter
from .htmltree import annotate_html
from .mdext import GlossaryExtension
from .model import Glossary

__all__ = ["MARKDOWN_EXTENSIONS", "annotate_html", "annotate_markdown"]

# Extensions an article is rendered with (besides the glossary itself).
MARKDOWN_EXTENSIONS = ("tables", "footnotes", "fenced_code", "sane_lists")

_local = threading.local()


def _converter(options: Options, glossary: Glossary, extensions: tuple) -> markdown.Markdown:
    # Building a Markdown instance costs more than converting a short
    # article, so each thread keeps one per set of options.
    cache = getattr(_local, "converters", None)
    if cache is None:
        cache = _local.converters = {}
    md = cache.get((options, extensions))
    if md is None:
        extension = GlossaryExtension(**{
            "mode": options.mode,
            "link_prefix": options.link_prefix,
            "id_prefix": options.id_prefix,
            "notes_title": options.notes_title,
        })
        md = markdown.Markdown(extensions=[*extensions, extension])
        md.glossary_extension = extension
        cache[(options, extensions)] = md
    md.glossary_extension.setConfig("glossary", glossary)
    return md


def annotate_markdown(
    text: str, glossary: Glossary, mode: str = "bold", *, extensions=MARKDOWN_EXTENSIONS, **options
) -> Annotation:
    """Render a Markdown article and annotate its glossary terms.

    Args:
        text: The article; it may begin with YAML front matter.
        glossary: The terms to annotate.
        mode: "bold" (bold phrases that are terms), "first" (also the first
            plain mention of each term not bolded) or "all" (every mention).
        extensions: Python-Markdown extensions to render with (names), besides
            the glossary's own.
        **options: link_prefix, id_prefix, notes_title (see `Options`).

    Returns:
        The Annotation, with the front matter as `.meta`.

    Raises:
        ValueError: Unknown mode or option.
        FrontMatterError: The front matter is not a YAML mapping.
    """
    settings = Options(mode=mode, **options)
    meta, body, _ = split_front_matter(text)
    md = _converter(settings, glossary, tuple(extensions))
    try:
        html = md.convert(body)
        # Python-Markdown skips tree processing for blank input.
        result = md.glossary_annotation or Annotation(html="")
    finally:
        md.reset()
    result.html = html
    result.meta = meta
    return result
