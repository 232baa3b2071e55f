"""The annotator as a Python-Markdown extension (MkDocs, Pelican, ...).

    markdown.Markdown(extensions=["glossary"],
                      extension_configs={"glossary": {"glossary": "terms.yaml"}})

After `convert`, the extension's `annotation` holds the Annotation (html
empty: the caller has the converted text):

    extension = GlossaryExtension(glossary="terms.yaml")
    html = markdown.markdown(text, extensions=[extension])
    extension.annotation.terms

The site itself renders with render.converter, whose Converter annotates
the same way without an extension.
"""

from __future__ import annotations

import os
import threading
from dataclasses import asdict

from markdown import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from ..core.annotation import Annotation
from ..core.annotator import Annotator
from ..core.compiled import CompiledGlossary
from ..core.model import Glossary
from ..core.options import Options
from ..sources.termfile import load_glossary
from .htmltree import annotate_html
from .mdlimits import Bounds

# After 'prettify' (10), so no whitespace lands outside our elements, and
# after 'unescape' (0), so text is final and our elements need no unescaping.
PRIORITY = -10

# Compiled: a site's build converts every page with the same terms.yaml.
_cache: dict[str, tuple[float, CompiledGlossary]] = {}
_cache_lock = threading.Lock()


def _glossary_from(value) -> CompiledGlossary:
    if isinstance(value, (Glossary, CompiledGlossary)):
        # A Glossary is compiled for each document: give a CompiledGlossary
        # (or a path) to compile it once.
        return CompiledGlossary.of(value)
    if not value:
        raise ValueError("the glossary extension needs config 'glossary': a Glossary or a terms.yaml path")
    path = os.fspath(value)
    mtime = os.stat(path).st_mtime
    with _cache_lock:
        cached = _cache.get(path)
        if cached is None or cached[0] != mtime:
            cached = (mtime, CompiledGlossary(load_glossary(path)))
            _cache[path] = cached
    return cached[1]


class GlossaryTreeprocessor(Treeprocessor):
    """Annotate terms in the document tree once inline markup is parsed."""

    def __init__(self, md, extension: GlossaryExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, root):
        if self.md.htmlStash.html_counter:
            # Raw HTML (a <b>, a <code>, a <div> of text) is opaque to this
            # tree: the postprocessor annotates the parsed output instead.
            self.extension.raw_html = True
            return
        annotator = Annotator(self.extension.glossary(), self.extension.options())
        self.extension.annotation = annotator.run(root)
        annotator.plan.apply(root)


class GlossaryPostprocessor(Postprocessor):
    """Annotate the finished HTML of a document that contains raw HTML."""

    def __init__(self, md, extension: GlossaryExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, text):
        if not self.extension.raw_html:
            return text
        options = self.extension.options()
        result = annotate_html(text, self.extension.glossary(), **asdict(options))
        html, result.html = result.html, ""
        self.extension.annotation = result
        return html


class GlossaryExtension(Extension):
    """Annotate glossary terms: bold phrases, and plain mentions in 'first'/'all' mode."""

    def __init__(self, **kwargs):
        defaults = Options()
        self.config = {
            "glossary": ["", "A CompiledGlossary, a Glossary (compiled for each document) or a terms.yaml path"],
            "mode": [defaults.mode, "bold | first | all"],
            "link_prefix": [defaults.link_prefix, "URL prefix of term pages"],
            "id_prefix": [defaults.id_prefix, "Prefix of definition element ids"],
            "notes_title": [defaults.notes_title, "Heading of the definitions block"],
            "max_links": [defaults.max_links, "Most links per term (one per section); 0: no limit"],
            "link_notes": [defaults.link_notes, "Link the definitions block's headwords to the term pages"],
            "lang": ["", "The documents' language (BCP 47): Traditional-script locales get Traditional notes"],
            "notes": [defaults.notes, "Write the definitions block at the end of each document"],
            "explain": [defaults.explain, "Record why each mention matched, and why each unannotated bold phrase "
                                          "was not (annotation.explanation)"],
        }
        super().__init__(**kwargs)
        # What the last document's annotation found (html empty).
        self.annotation: Annotation | None = None
        self.raw_html = False

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        self.md = md
        md.registerExtension(self)
        # Linear time on any input, and obedience to a caller's deadline.
        Bounds().extendMarkdown(md)
        md.treeprocessors.register(GlossaryTreeprocessor(md, self), "glossary", PRIORITY)
        # After raw HTML is put back (30) and '&' substitution (20).
        md.postprocessors.register(GlossaryPostprocessor(md, self), "glossary", 1)

    def glossary(self) -> CompiledGlossary:
        """Return the configured glossary compiled, loading a path on first use."""
        return _glossary_from(self.getConfig("glossary"))

    def options(self) -> Options:
        """Return the configured annotation options."""
        return Options(
            mode=self.getConfig("mode"),
            link_prefix=self.getConfig("link_prefix"),
            id_prefix=self.getConfig("id_prefix"),
            notes_title=self.getConfig("notes_title"),
            max_links=self.getConfig("max_links"),
            link_notes=self.getConfig("link_notes"),
            lang=self.getConfig("lang") or None,
            notes=self.getConfig("notes"),
            explain=self.getConfig("explain"),
        )

    def reset(self):
        """Forget the last document's annotation."""
        self.annotation = None
        self.raw_html = False


def makeExtension(**kwargs):  # noqa: N802 (Python-Markdown's name)
    """Return the extension (for `extensions=["glossary.mdext"]`)."""
    return GlossaryExtension(**kwargs)
