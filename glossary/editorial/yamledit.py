"""Add entries to terms.yaml, leaving every byte an editor wrote as it was.

New entries are rendered by ruamel.yaml (round-trip mode) in the file's own
layout: the column of its dashes, the indentation of keys, blank lines
between entries, its line endings.  They are then appended after the last
line, so comments, key order, quoting and spacing of the existing text are
untouched by construction.  Only where appending cannot work (an empty or
flow-style `terms:` list) does ruamel round-trip the whole document.  Either
way the result is checked: it must parse to the old terms followed by the
new ones, or nothing is returned.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from ..core.model import Term
from ..sources.termfile import GlossaryError, parse_glossary
from ..sources.yamldata import loads

# Line breaks YAML knows besides \n: only a double-quoted scalar escapes them.
_ODD_BREAKS = re.compile("[\x85\u2028\u2029]")
# Plain words that YAML 1.1 tools read as booleans; quoted for their sake.
_YAML11_BOOLEANS = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false"])
_COMMENT_UNSAFE = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


class EditError(ValueError):
    """An edit of terms.yaml that cannot be made safely; nothing was written."""


@dataclass(frozen=True)
class NewEntry:
    """A term to add, with the comment written on the line above it."""

    term: Term
    comment: str | None = None


@dataclass(frozen=True)
class Layout:
    """How a terms file lays out its list.

    Attributes:
        dash: Column of each entry's '-'.
        inner: Columns from the '-' to the entry's keys.
        blank: Whether a blank line separates entries.
        newline: The file's line ending.
    """

    dash: int = 2
    inner: int = 2
    blank: bool = True
    newline: str = "\n"


def new_file(entries: Sequence[NewEntry]) -> str:
    """Return the text of a new terms.yaml holding `entries`.

    Raises:
        EditError: The rendered text would not read back as these terms.
    """
    text = "terms:\n" + render_entries(entries, Layout())
    _verify(text, [], [e.term for e in entries])
    return text


def render_entries(entries: Sequence[NewEntry], layout: Layout) -> str:
    """Render `entries` as lines to go under `terms:`, each with its comment above it.

    Args:
        entries: The terms to render, in order.
        layout: The layout to follow (see `layout_of`).

    Returns:
        The text, ending with a newline (empty when there are no entries).
    """
    yaml = _yaml(layout)
    blocks = []
    for entry in entries:
        out = io.StringIO()
        yaml.dump(CommentedMap([("terms", CommentedSeq([_mapping(entry.term)]))]), out)
        body = out.getvalue().split("\n", 1)[1]  # drop "terms:"
        if entry.comment:
            body = " " * layout.dash + "# " + _COMMENT_UNSAFE.sub(" ", entry.comment).strip() + "\n" + body
        blocks.append(body)
    text = ("\n" if layout.blank else "").join(blocks)
    return text.replace("\n", layout.newline) if layout.newline != "\n" else text


def layout_of(text: str) -> Layout:
    """Return the layout of a terms file's `terms:` list (the default when it has no entries)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    seq = _terms_list(_load(text))
    if not isinstance(seq, CommentedSeq) or not seq or seq.fa.flow_style():
        return Layout(newline=newline)
    lines = text.removeprefix("\ufeff").splitlines()
    dash = seq.lc.col
    line, column = seq.lc.item(len(seq) - 1)
    inner = column - dash if line < len(lines) and lines[line][dash:column].lstrip(" ").startswith("-") else 2
    return Layout(dash=dash, inner=max(inner, 2), blank=_blank_before(lines, line), newline=newline)


def append_terms(text: str, entries: Sequence[NewEntry], path: str = "terms.yaml") -> str:
    """Return `text` with `entries` added at the end of its `terms:` list.

    Args:
        text: A terms file that passes `check`.
        entries: The terms to add; their ids and spellings must be new.
        path: The file's name for messages.

    Returns:
        The new text.  When the list is in block style (as terms.yaml is
        written) the old text is its unchanged beginning.

    Raises:
        EditError: The file cannot be read as YAML, or the edit would not
            read back as the old terms followed by the new ones.
    """
    if not entries:
        return text
    try:
        old = list(parse_glossary(text, path))
    except GlossaryError as exc:
        raise EditError(f"{path} has problems; fix them first:\n{exc}") from None
    new = [e.term for e in entries]
    layout = layout_of(text)
    seq = _terms_list(_load(text))
    if isinstance(seq, CommentedSeq) and seq and not seq.fa.flow_style():
        head = text if text.endswith("\n") or not text else text + layout.newline
        spliced = head + (layout.newline if layout.blank else "") + render_entries(entries, layout)
        if _reads_as(spliced, old + new, path):
            return spliced
    rewritten = _round_trip(text, entries, layout)
    _verify(rewritten, old, new, path)
    return rewritten


def save(path: str | Path, text: str, original: bytes | None) -> None:
    """Write `text` to `path` atomically, if the file still holds `original`.

    Args:
        path: The terms file (a symbolic link is followed).
        text: The new content.
        original: The bytes the edit was made from; None when the file must
            not exist yet.

    Raises:
        EditError: The file changed (or appeared) since it was read.
        OSError: The file cannot be written.
    """
    target = Path(path).resolve()
    try:
        current = target.read_bytes()
    except FileNotFoundError:
        current = None
    if current != original:
        what = "was created" if original is None else "changed"
        raise EditError(f"{path} {what} while it was being edited: nothing written, run the command again")
    mode = (target.stat().st_mode & 0o7777) if current is not None else 0o666 & ~_umask()
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        if original is None:
            # A link fails if the name exists: a new file never replaces one.
            try:
                os.link(temp, target)
            except FileExistsError:
                raise EditError(f"{path} was created while it was being edited: nothing written") from None
        else:
            # A reader (the server) sees the old file or the new one, never half of one.
            os.replace(temp, target)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


# -- helpers ---------------------------------------------------------------------------


def _yaml(layout: Layout) -> YAML:
    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.width = 1 << 30  # never fold a long definition
    yaml.indent(mapping=max(layout.inner, 2), sequence=layout.dash + layout.inner, offset=layout.dash)
    return yaml


def _load(text: str):
    try:
        return _yaml(Layout()).load(text.removeprefix("\ufeff"))
    except YAMLError as exc:
        raise EditError(f"cannot read the file as YAML: {exc}") from None


def _terms_list(document):
    return document.get("terms") if isinstance(document, dict) else None


def _scalar(value: str):
    if _ODD_BREAKS.search(value):
        return DoubleQuotedScalarString(value)
    if value.lower() in _YAML11_BOOLEANS or not _reads_back_plain(value):
        return SingleQuotedScalarString(value)
    return value


def _reads_back_plain(value: str) -> bool:
    """Tell whether terms.yaml's reader takes `value`, written without quotes, as this text."""
    # ruamel quotes what YAML 1.2 reads otherwise; the reader (yaml-rs)
    # also takes 0Xb, 1_0 and _0 for numbers, which ruamel writes plain.
    try:
        return loads("v: " + value) == {"v": value}
    except ValueError:
        return True  # not a plain scalar at all: ruamel quotes it


def _item(value: str):
    scalar = _scalar(value)
    # ruamel writes a leading ': ' or '? ' plain inside [...], where it reads
    # as a mapping; quoted singly unless it needs double quotes already.
    if value[:1] in ":?" and not isinstance(scalar, DoubleQuotedScalarString):
        return SingleQuotedScalarString(value)
    return scalar


def _flow(value: dict) -> CommentedMap:
    # An alias object, {form: 川普, regions: [zh-TW]}, written inline.
    mapping = CommentedMap()
    for key, item in value.items():
        if isinstance(item, list):
            item = CommentedSeq(_item(v) for v in item)
            item.fa.set_flow_style()
        else:
            item = _scalar(item)
        mapping[key] = item
    mapping.fa.set_flow_style()
    return mapping


def _mapping(term: Term) -> CommentedMap:
    return _node(term.to_dict())


def _node(data: dict) -> CommentedMap:
    entry = CommentedMap()
    for key, value in data.items():
        if key in ("sources", "history") and isinstance(value, list):
            # One mapping per item, in block style as editors write them.
            entry[key] = CommentedSeq(_node(item) if isinstance(item, dict) else _item(item) for item in value)
        elif isinstance(value, list):
            # An alias object ({form: 川普, regions: [zh-TW]}) inline, as the rest of the list.
            items = CommentedSeq(_item(v) if isinstance(v, str) else _flow(v) for v in value)
            items.fa.set_flow_style()
            entry[key] = items
        else:
            entry[key] = _scalar(value)
    return entry


def _blank_before(lines: list[str], line: int) -> bool:
    # The run of blank and comment lines above the entry: does it hold a blank one?
    for above in reversed(lines[:line]):
        stripped = above.strip()
        if not stripped:
            return True
        if not stripped.startswith("#"):
            return False
    return False


def _round_trip(text: str, entries: Sequence[NewEntry], layout: Layout) -> str:
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    yaml = _yaml(layout)
    document = _load(text)
    seq = _terms_list(document)
    if not isinstance(seq, CommentedSeq):
        seq = CommentedSeq()
        document["terms"] = seq
    for entry in entries:
        seq.append(_mapping(entry.term))
        if entry.comment and not seq.fa.flow_style():
            seq.yaml_set_comment_before_after_key(
                len(seq) - 1, before=_COMMENT_UNSAFE.sub(" ", entry.comment).strip(), indent=layout.dash
            )
    out = io.StringIO()
    yaml.dump(document, out)
    result = out.getvalue()
    return bom + (result.replace("\n", layout.newline) if layout.newline != "\n" else result)


def _reads_as(text: str, terms: list[Term], path: str) -> bool:
    try:
        return list(parse_glossary(text, path)) == terms
    except GlossaryError:
        return False


def _verify(text: str, old: list[Term], new: list[Term], path: str = "terms.yaml") -> None:
    try:
        result = list(parse_glossary(text, path))
    except GlossaryError as exc:
        raise EditError(f"the edited {path} would not pass check, so nothing was written:\n{exc}") from None
    if result != old + new:
        raise EditError(f"the edited {path} would not read back as the old terms plus the new ones: nothing written")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
