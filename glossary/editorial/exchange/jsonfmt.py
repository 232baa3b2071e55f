"""The glossary as JSON: {"terms": [...]} with exactly the fields of terms.yaml."""

from __future__ import annotations

import json
from collections.abc import Collection

from ...core.model import Glossary
from ...sources.termfile import GlossaryError, Problem, build_glossary, decode_text, line_finder


def dumps(glossary: Glossary) -> str:
    """Return the glossary as JSON text, one term per object in file order."""
    return json.dumps({"terms": [t.to_dict() for t in glossary]}, ensure_ascii=False, indent=2) + "\n"


def loads(data: bytes | str, path: str = "terms.json", known_ids: Collection[str] = ()) -> Glossary:
    """Read and check a glossary written by `dumps` (or by hand in the same shape).

    Args:
        data: The JSON text.
        path: The name to use in error messages.
        known_ids: Ids defined elsewhere that see_also may name too.

    Returns:
        The validated glossary.

    Raises:
        GlossaryError: Invalid JSON or invalid terms, each problem naming its line.
    """
    text = decode_text(data, path)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GlossaryError([Problem(path, exc.lineno, f"JSON syntax error: {exc.msg}")]) from None
    except RecursionError:
        raise GlossaryError([Problem(path, None, "JSON syntax error: nested too deeply")]) from None
    # JSON is YAML, so the terms.yaml line finder locates problems here too.
    return build_glossary(document, path, locate=lambda: line_finder(text), known_ids=known_ids)

