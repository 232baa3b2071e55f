"""A MkDocs hook: add the glossary package's popover stylesheet and script to the site as glossary/*."""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import File, Files

import glossary

STATIC = Path(glossary.__file__).resolve().parent / "static"
ASSETS = ("glossary.css", "glossary.js")


def on_files(files: Files, config) -> Files:
    """Add glossary/glossary.css and glossary/glossary.js, read from the installed package, to the site's files."""
    for name in ASSETS:
        files.append(File.generated(config, f"glossary/{name}", abs_src_path=str(STATIC / name)))
    return files
