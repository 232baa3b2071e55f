"""glossary: annotate glossary terms in Markdown and HTML articles.

The core (this namespace) imports neither Flask nor SQLAlchemy; the web
service is reached through `create_app`, imported on first use.
"""

from .core.annotation import Annotation, Gloss, TermCount
from .core.compiled import CompiledGlossary
from .core.model import Glossary, Term
from .core.options import MODES, Options
from .render import annotate_html, annotate_markdown, annotate_untrusted_html, annotate_untrusted_markdown
from .render.depth import NestingError
from .render.sanitize import sanitize_html
from .sources.frontmatter import FrontMatterError
from .sources.termfile import GlossaryError, Problem, load_glossary, parse_glossary

__all__ = [
    "MODES",
    "Annotation",
    "CompiledGlossary",
    "FrontMatterError",
    "Gloss",
    "Glossary",
    "GlossaryError",
    "NestingError",
    "Options",
    "Problem",
    "Term",
    "TermCount",
    "annotate_html",
    "annotate_markdown",
    "annotate_untrusted_html",
    "annotate_untrusted_markdown",
    "create_app",
    "load_glossary",
    "parse_glossary",
    "sanitize_html",
]


def __getattr__(name):
    # `flask --app glossary` looks up create_app here (the app with the
    # `glossary` command's subcommands); importing Flask only then keeps the
    # core free of it.
    if name == "create_app":
        from .cli import create_app

        return create_app
    raise AttributeError(f"module 'glossary' has no attribute {name!r}")
