"""One Markdown converter: render an article with Python-Markdown and annotate its tree in the same pass."""

from __future__ import annotations

import threading
from dataclasses import asdict
from datetime import date

import markdown

from ..core.annotation import Annotation
from ..core.annotator import Annotator
from ..core.compiled import CompiledGlossary
from ..core.model import Glossary
from ..core.options import Options
from ..core.plan import Plan
from .depth import check_depth
from .htmltree import annotate_html
from .mdlimits import Bounds
from .sanitize import clean_rendered
from .serialize import to_html, write_html
from .settled import settled_link_prefix, settled_markup, settled_tree
from .title import drop_title_heading

# Extensions an article is rendered with (besides the glossary itself).
MARKDOWN_EXTENSIONS = ("tables", "footnotes", "fenced_code", "sane_lists")


class Converter:
    """Render Markdown and annotate it, with one set of options and extensions.

    It owns its `markdown.Markdown`, which is not safe to share between
    threads: hold one per thread (`converter`). After a conversion that
    failed midway the instance is spent (`broken`).
    """

    def __init__(self, options: Options | None, extensions: tuple = MARKDOWN_EXTENSIONS, *, bounded: bool = False):
        """Build the converter.

        Args:
            options: How terms are annotated; None renders without annotating.
            extensions: Python-Markdown extensions (names or instances).
            bounded: For markup from outside: refuse trees that nest past
                depth.MAX_DEPTH, and pass the output through the allow-list
                (sanitize.clean_rendered) unless its tree shows nothing it would change.
        """
        self.options = options
        self.bounded = bounded
        # Bounds: linear time on any input, and obedience to a caller's deadline.
        self.md = markdown.Markdown(extensions=[*extensions, Bounds()])
        self.broken = False

    def convert(self, text: str, glossary: Glossary | CompiledGlossary | None = None, *,
                title: str | None = None, on: date | None = None) -> Annotation:
        """Render `text` and annotate it with `glossary` (when the converter has options).

        Args:
            text: Markdown without front matter.
            glossary: The terms; None renders only. A Glossary is compiled for
                the call: hold a CompiledGlossary to compile it once.
            title: The page's title: an opening heading that says the same is left out.
            on: The article's date: the notes give each definition as it was
                then (None: the current one).

        Returns:
            The Annotation (meta empty).

        Raises:
            NestingError: A bounded converter met a tree nesting too deep.
            RecursionError: Python-Markdown could not parse the nesting.
        """
        md = self.md
        if not text.strip():
            return Annotation(html="")
        try:
            # Markdown.convert's stages, with the annotation between the
            # tree processors and the serialiser.
            root = self.tree(text)
            if title:
                drop_title_heading(root, title)
            if root.text and root.text.isspace():
                # The output is stripped: positions count from its first character.
                root.text = None
            if glossary is None or self.options is None:
                if self.bounded:
                    check_depth(root)
                return Annotation(html=self._allowed(self._finish(to_html(root)), root))
            if md.htmlStash.html_counter:
                # Raw HTML (a <b>, a <code>, a <div> of text) is opaque to
                # this tree: the finished HTML is parsed and annotated instead.
                if self.bounded:
                    check_depth(root)
                result = annotate_html(self._finish(to_html(root)), glossary, date=on, **asdict(self.options))
                result.html = self._allowed(result.html)
                return result
            annotator = Annotator(CompiledGlossary.of(glossary), self.options, on)
            result = annotator.run(root)
            if self.bounded:
                check_depth(root, annotator.plan)
            plan = annotator.plan
            html, notes_settled, notes = write_html(root, plan)
            result.html = self._allowed(self._finish(html), root, plan, notes_settled, notes)
            return result
        except BaseException:
            # Python-Markdown's state is left half-changed (deep nesting, a
            # deadline): later articles would come out wrong.
            self.broken = True
            raise
        finally:
            md.reset()

    def tree(self, text: str):
        """Return Python-Markdown's tree of `text` once every tree processor has run (call `md.reset()` after)."""
        md = self.md
        lines = text.split("\n")
        for preprocessor in md.preprocessors:
            lines = preprocessor.run(lines)
        root = md.parser.parseDocument(lines).getroot()
        for treeprocessor in md.treeprocessors:
            root = treeprocessor.run(root) or root
        return root

    def _allowed(self, html: str, root=None, plan: Plan | None = None, notes_settled: bool = True,
                 notes: str = "") -> str:
        """Return `html` as the allow-list leaves it (if bounded), judged from `root` and `plan` where they show it."""
        if not self.bounded:
            return html
        if root is not None and notes_settled and self._settled(html, root, plan, notes):
            return html
        return clean_rendered(html)

    def _settled(self, html: str, root, plan: Plan | None, notes: str) -> bool:
        # The tree as written: Python-Markdown's elements, the plan's links
        # (at the link prefix), and the characters of the markup (the
        # notes' entries are judged as they are written: write_html).
        if plan is not None and plan.applied:
            return False
        return (settled_tree(root)
                and (plan is None or settled_link_prefix(plan.options.link_prefix))
                and settled_markup(html, notes))

    def _finish(self, output: str) -> str:
        # As Markdown.convert: strip the document's wrapper, run the text
        # postprocessors (raw HTML back in, '&' substitutes), strip.
        md = self.md
        if md.stripTopLevelTags:
            opening = f"<{md.doc_tag}>"
            start = output.find(opening)
            end = output.rfind(f"</{md.doc_tag}>")
            output = output[start + len(opening):end].strip() if start >= 0 and end >= 0 else ""
        for postprocessor in md.postprocessors:
            output = postprocessor.run(output)
        return output.strip()


_local = threading.local()


def converter(options: Options | None, extensions: tuple = MARKDOWN_EXTENSIONS, *, bounded: bool = False) -> Converter:
    """Return this thread's converter for these options and extensions, building it on first use."""
    # Building a Markdown instance costs more than converting a short
    # article, so each thread keeps one per set of options.
    cache = getattr(_local, "converters", None)
    if cache is None:
        cache = _local.converters = {}
    key = (options, extensions, bounded)
    found = cache.get(key)
    if found is None or found.broken:
        found = cache[key] = Converter(options, extensions, bounded=bounded)
    return found
