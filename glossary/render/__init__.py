"""Annotate a Markdown article or an HTML fragment: the core's entry points."""

from __future__ import annotations

import datetime

from ..core.annotation import Annotation
from ..core.compiled import CompiledGlossary
from ..core.model import Glossary
from ..core.options import DEFAULT_MAX_LINKS, Options
from ..core.versions import article_day
from ..sources.frontmatter import article_max_links, article_mode, split_front_matter
from .converter import MARKDOWN_EXTENSIONS, converter
from .depth import NestingError
from .document import annotate_document
from .htmltree import annotate_html, storable
from .sanitize import sanitize_html

__all__ = [
    "MARKDOWN_EXTENSIONS", "annotate_article", "annotate_html", "annotate_markdown", "annotate_untrusted_html",
    "annotate_untrusted_markdown",
    "annotate_document",
]


def annotate_markdown(
    text: str, glossary: Glossary | CompiledGlossary, mode: str = "bold", *, extensions=MARKDOWN_EXTENSIONS,
    title: str | None = None, date: datetime.date | None = None, **options
) -> Annotation:
    """Render a Markdown article and annotate its glossary terms.

    Args:
        text: The article; it may begin with YAML front matter.
        glossary: The terms to annotate. A Glossary is compiled for this
            call; a caller that annotates many articles holds a
            CompiledGlossary, compiled once (its matcher and index).
        mode: "bold" (bold phrases that are terms), "first" (also the first
            plain mention of each term not bolded) or "all" (every mention).
        extensions: Python-Markdown extensions to render with (names), besides
            the glossary's own.
        title: The page's title: an opening heading that says the same is left out.
        date: The article's date, for the definitions in force then; None
            takes the front matter's `date`, else the current definitions.
        **options: link_prefix, id_prefix, notes_title, max_links, link_notes, lang, notes, explain (see `Options`).

    Returns:
        The Annotation, with the front matter as `.meta`.

    Raises:
        ValueError: Unknown mode or option.
        FrontMatterError: The front matter is not a YAML mapping.
    """
    Options(mode=mode, **options)  # a bad mode or option fails before any work
    meta, body, _ = split_front_matter(text)
    settings = Options(mode=mode, **_with_lang(options, meta))
    on = date or article_day(meta.get("date"))
    result = converter(settings, tuple(extensions)).convert(body, glossary, title=title, on=on)
    result.meta = meta
    return result


def annotate_untrusted_html(html: str, glossary: Glossary | CompiledGlossary, mode: str = "bold", *,
                            title: str | None = None, date: datetime.date | None = None, **options) -> Annotation:
    """Sanitise HTML from outside, then annotate it.

    The annotated result is sanitised once more with the same allow-list,
    which keeps the annotator's markup: whatever the annotator or a
    definition writes, nothing unsafe comes out, and annotating the result
    again changes nothing.

    Args:
        html: Untrusted markup, a fragment or a document (only its body is kept).
        glossary: The terms to annotate.
        mode: "bold", "first" or "all".
        title: The page's title: an opening heading that says the same is left out.
        date: The page's date, for the definitions in force then (None: the current ones).
        **options: link_prefix, id_prefix, notes_title, max_links, link_notes, lang, notes, explain (see `Options`).

    Returns:
        The Annotation; its html is a sanitised fragment.

    Raises:
        ValueError: Unknown mode or option.
        NestingError: The markup nests too deeply to annotate.
    """
    Options(mode=mode, **options)  # a bad mode fails before any work
    clean = sanitize_html(html)
    result = annotate_html(clean, glossary, mode, title=title, date=date, **options)
    if result.html != clean:
        result.html = sanitize_html(result.html)
    return result


def annotate_untrusted_markdown(
    text: str, glossary: Glossary | CompiledGlossary, mode: str | None = None, *, extensions=MARKDOWN_EXTENSIONS,
    default_mode: str = "bold", default_max_links: int = DEFAULT_MAX_LINKS, front_matter: bool = True,
    title: str | None = None, date: datetime.date | None = None, **options
) -> Annotation:
    """Render Markdown from outside, sanitise the HTML (raw HTML and links included), then annotate it.

    Args:
        text: The untrusted article; it may begin with YAML front matter.
        glossary: The terms to annotate.
        mode: "bold", "first" or "all"; None takes the front matter's
            `annotate:` (or `glossary:`) field, else `default_mode`.
        extensions: Python-Markdown extensions to render with (names).
        default_mode: The mode when neither `mode` nor the front matter gives one.
        default_max_links: The limit of links per term when neither
            `max_links` nor the front matter's `max_links:` gives one.
        front_matter: False when `text` is an article's body, its front
            matter already read (a leading `---` is then a rule).
        title: The page's title: an opening heading that says the same is left out.
        date: The article's date, for the definitions in force then; None
            takes the front matter's `date`, else the current definitions.
        **options: link_prefix, id_prefix, notes_title, max_links, link_notes, lang, notes, explain (see `Options`).

    Returns:
        The Annotation, with the front matter as `.meta`.

    Raises:
        ValueError: Unknown mode or option, in the call or the front matter.
        FrontMatterError: The front matter is not a YAML mapping, gives two
            different modes or a bad `max_links:`.
        NestingError: The article nests too deeply to render or annotate.
        DeadlineError: A `mdlimits.deadline` around the call passed.
    """
    meta, body = ({}, storable(text)) if not front_matter else split_front_matter(storable(text))[:2]
    if mode is None:
        mode = article_mode(meta) or default_mode
    if "max_links" not in options:
        limit = article_max_links(meta)
        options["max_links"] = default_max_links if limit is None else limit
    extensions = tuple(extensions)
    options = _with_lang(options, meta)
    settings = Options(mode=mode, **options)
    on = date or article_day(meta.get("date"))
    try:
        if "<" not in body:
            # No raw HTML can come out of Markdown without a '<': the tree
            # holds only Python-Markdown's own elements, so it is annotated
            # in that tree, as the site does (no re-parse), its depth is
            # checked there, and the allow-list (nh3) checks the result
            # once, removing javascript: and other URLs (skipped where
            # the tree shows nothing it would change: render/settled.py).
            result = converter(settings, extensions, bounded=True).convert(body, glossary, title=title, on=on)
        else:
            html = converter(None, extensions).convert(body).html
            result = annotate_untrusted_html(html, glossary, mode, title=title, date=on, **options)
    except RecursionError:
        raise NestingError("the article nests too deeply to render") from None
    result.meta = meta
    return result


def _with_lang(options: dict, meta: dict) -> dict:
    """Return `options` with the front matter's `lang` when the caller gives none."""
    lang = meta.get("lang") if isinstance(meta, dict) else None
    if options.get("lang") is None and isinstance(lang, str) and lang.strip():
        return {**options, "lang": lang.strip()}
    return options


def annotate_article(body: str, glossary: Glossary | CompiledGlossary, mode: str, *, trust_html: bool = False,
                     title: str | None = None, date: datetime.date | None = None, **options) -> Annotation:
    """Render and annotate an article's body for the site, its raw HTML sanitised unless trusted.

    Article files are written by people and read by browsers: by default
    the API's allow-list keeps scripts, event handlers and javascript: or
    data: URLs out of the page, and keeps tables, figures, http(s) images,
    footnotes and the annotator's markup.

    Args:
        body: The article without its front matter.
        glossary: The terms to annotate.
        mode: "bold", "first" or "all".
        trust_html: Render the body as written (raw HTML included), for
            sites whose articles embed players or widgets.
        title: The page's title: an opening heading that says the same is left out.
        date: The article's date, for the definitions in force then (None: the current ones).
        **options: link_prefix, id_prefix, notes_title, max_links, link_notes, lang, notes, explain (see `Options`).

    Returns:
        The Annotation (meta is empty).

    Raises:
        ValueError: Unknown mode or option.
        NestingError: The article nests too deeply to render or annotate.
    """
    if trust_html:
        return converter(Options(mode=mode, **options)).convert(body, glossary, title=title, on=date)
    return annotate_untrusted_markdown(body, glossary, mode, front_matter=False, title=title, date=date, **options)
