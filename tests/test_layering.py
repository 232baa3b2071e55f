"""The core stays free of the web framework and the database layer."""

from __future__ import annotations

import subprocess
import sys

CORE = ["glossary", "glossary.annotator", "glossary.termfile", "glossary.render", "glossary.mdext",
        "glossary.articles", "glossary.htmltree", "glossary.matcher", "glossary.sanitize", "glossary.collation",
        "glossary.jsonld", "glossary.harvest", "glossary.lint",
        "glossary.yamledit", "glossary.merge", "glossary.filewatch", "glossary.progress", "glossary.exchange",
        "glossary.config", "glossary.memory", "glossary.yesno",
        "glossary.exchange.jsonfmt", "glossary.exchange.csvfmt", "glossary.exchange.tbx", "glossary.exchange.skos"]


def test_core_imports_neither_flask_nor_sqlalchemy():
    code = (
        "import sys\n"
        f"for name in {CORE!r}: __import__(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
