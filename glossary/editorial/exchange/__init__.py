"""Export the glossary to other formats, and import it from JSON or CSV.

| format | module | export | import |
|---|---|---|---|
| json | jsonfmt | `{"terms": [...]}`, the fields of terms.yaml | yes |
| csv | csvfmt | one row per term, list fields `|`-joined | yes |
| tbx | tbx | TBX-Basic (ISO 30042:2019), zh and en language sections | no |
| skos | skos | SKOS concepts as Turtle | no |
| skos-jsonld | skos | the same graph as JSON-LD | no |
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from ...core.model import Glossary
from . import csvfmt, jsonfmt, skos, tbx

EXPORTS = ("json", "csv", "tbx", "skos", "skos-jsonld")
IMPORTS = ("json", "csv")


def export_glossary(glossary: Glossary, fmt: str, base_uri: str = skos.DEFAULT_BASE) -> str:
    """Return `glossary` written in `fmt` (one of EXPORTS).

    Args:
        glossary: The terms.
        fmt: The format's name.
        base_uri: For SKOS: the prefix of each concept's URI (the term id is appended).

    Raises:
        ValueError: Unknown format, or a base URI that cannot prefix URIs.
    """
    if fmt == "json":
        return jsonfmt.dumps(glossary)
    if fmt == "csv":
        return csvfmt.dumps(glossary)
    if fmt == "tbx":
        return tbx.dumps(glossary)
    if fmt == "skos":
        return skos.turtle(glossary, base_uri)
    if fmt == "skos-jsonld":
        return skos.jsonld(glossary, base_uri)
    raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(EXPORTS)}")


def import_format(path: str | Path, fmt: str | None = None) -> str:
    """Return the import format of `path`: `fmt` if given, else from its extension.

    Raises:
        ValueError: The format is neither given nor known from the extension.
    """
    fmt = fmt or Path(path).suffix.lower().lstrip(".")
    if fmt not in IMPORTS:
        raise ValueError(f"{path}: cannot tell the format: use a .json or .csv file, or --format json|csv")
    return fmt


def import_glossary(data: bytes, path: str, fmt: str, known_ids: Collection[str] = ()) -> Glossary:
    """Read and check a glossary in `fmt` (one of IMPORTS).

    Args:
        data: The file's bytes.
        path: The name to use in error messages.
        fmt: The format's name.
        known_ids: Ids of the terms it is merged into: its see_also may name them.

    Raises:
        GlossaryError: Every problem, naming its line.
    """
    return (jsonfmt if fmt == "json" else csvfmt).loads(data, path, known_ids)
