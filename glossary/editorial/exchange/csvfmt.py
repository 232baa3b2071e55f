"""The glossary as CSV: a header row, then one row per term.

Columns are the fields of terms.yaml.  A list field (aliases, tags,
see_also, not_in) holds its items joined by `|`; an item's own `|` or `\\`
is written `\\|` or `\\\\`.  An alias with a status, regions or a note
is its object as JSON, {"form": "川普", "regions": ["zh-TW"]}.  An empty
cell is an absent field.

`as_of` is a YYYY-MM-DD cell.  `sources` is a list field whose items are
`URL`, then optionally `[YYYY-MM-DD]` (the source's date), then optionally
its title, separated by spaces: `https://www.ecfr.gov/... [2025-09-29] 15 CFR
Part 744` (a title that itself begins with `[` follows an empty `[]`).  A
term's `history` has no column: a spreadsheet row holds one definition, so
history travels in JSON or terms.yaml only.

The text starts with a UTF-8 byte order mark: without it Excel reads a
CSV file in the machine's legacy code page and shows Chinese as mojibake.
Reading accepts a file with or without one.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Collection

from ...core.model import Glossary
from ...sources.termfile import (
    FIELDS,
    LISTS,
    REQUIRED,
    GlossaryError,
    Problem,
    build_glossary,
    decode_text,
    unknown_name,
)

SEPARATOR = "|"
BOM = "\ufeff"
# Every field of terms.yaml but `history`.
COLUMNS = tuple(name for name in FIELDS if name != "history")
_SOURCE_DATE = re.compile(r"\[(\d{4}-\d{2}-\d{2})?\]")


def dumps(glossary: Glossary) -> str:
    """Return the glossary as CSV text (RFC 4180: CRLF rows, quoted where needed) after a byte order mark."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for term in glossary:
        data = term.to_dict()
        if "sources" in data:
            data["sources"] = [_source_item(source) for source in data["sources"]]
        writer.writerow([_cell(data.get(name)) for name in COLUMNS])
    return out.getvalue()


def loads(data: bytes | str, path: str = "terms.csv", known_ids: Collection[str] = ()) -> Glossary:
    """Read and check a glossary written by `dumps` (or a spreadsheet with the same columns).

    Args:
        data: The CSV text; a UTF-8 byte order mark (as spreadsheets write) is allowed.
        path: The name to use in error messages.
        known_ids: Ids defined elsewhere that see_also may name too.

    Returns:
        The validated glossary.

    Raises:
        GlossaryError: Unknown or missing columns, or invalid terms; each
            problem names the line its row starts on.
    """
    text = decode_text(data, path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise GlossaryError([Problem(path, 1, "the file is empty: expected a header row naming the columns")])
        columns = [name.strip() for name in header]
        _check_header(columns, path)
        entries, lines = [], []
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                if len(row) > len(columns):
                    raise GlossaryError([Problem(path, start, f"{len(row)} cells but only {len(columns)} columns")])
                entries.append(_entry(dict(zip(columns, row, strict=False))))
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise GlossaryError([Problem(path, reader.line_num or 1, f"CSV syntax error: {exc}")]) from None

    def locate():
        return lambda where: lines[where[1]] if len(where) > 1 and isinstance(where[1], int) else 1

    return build_glossary({"terms": entries}, path, locate=locate, known_ids=known_ids)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        # An alias object (status, regions, note) is written as a JSON object.
        items = (json.dumps(item, ensure_ascii=False) if isinstance(item, dict) else item for item in value)
        return SEPARATOR.join(item.replace("\\", "\\\\").replace("|", "\\|") for item in items)
    return value


def _split(cell: str) -> list[str]:
    items, current = [], []
    chars = iter(cell)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            # Only \| and \\ are escapes; any other backslash is kept as written.
            current.append(following if following in ("|", "\\") else char + following)
        elif char == SEPARATOR:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return [item.strip() for item in items]


def _source_item(source: dict) -> str:
    parts = [source["url"]]
    if "date" in source:
        parts.append(f"[{source['date']}]")
    if "title" in source:
        if "date" not in source and source["title"].startswith("["):
            parts.append("[]")
        parts.append(source["title"])
    return " ".join(parts)


def _source(item: str) -> dict | str:
    url, _, rest = item.partition(" ")
    if not rest.strip():
        return url  # a bare URL, as terms.yaml may write it
    source: dict = {"url": url}
    rest = rest.strip()
    date = _SOURCE_DATE.match(rest)
    if date:
        if date.group(1):
            source["date"] = date.group(1)
        rest = rest[date.end():].strip()
    if rest:
        source["title"] = rest
    return source


def _entry(row: dict[str, str]) -> dict:
    entry = {}
    for name, cell in row.items():
        if name == "sources":
            if cell.strip():
                entry[name] = [_source(item) for item in _split(cell)]
        elif name in LISTS:
            if cell.strip():
                entry[name] = [_alias_object(item) for item in _split(cell)] if name == "aliases" else _split(cell)
        elif cell.strip() or name in REQUIRED:
            # A required field left empty stays, so check names it.
            entry[name] = cell
    return entry


def _alias_object(item: str):
    """Return an aliases item: a JSON object as written by `dumps` (an alias with status or regions), else the text."""
    if item.startswith("{") and item.endswith("}"):
        try:
            value = json.loads(item)
        except ValueError:
            return item
        return value if isinstance(value, dict) else item
    return item


def _check_header(columns: list[str], path: str) -> None:
    problems = [Problem(path, 1, "column 'history' is not read from CSV: a row holds one definition, so import "
                                 "history from JSON or write it in terms.yaml" if c == "history"
                        else unknown_name("column", c, COLUMNS)) for c in columns if c not in COLUMNS]
    problems += [Problem(path, 1, f"column '{c}' appears twice") for c in sorted(set(columns))
                 if columns.count(c) > 1 and c in COLUMNS]
    problems += [Problem(path, 1, f"missing required column '{c}'") for c in REQUIRED if c not in columns]
    if problems:
        raise GlossaryError(problems)
