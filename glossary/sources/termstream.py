"""Read a large terms.yaml a slice of entries at a time, so its memory stays near the file's size."""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from . import yamldata

# Below this size the whole document is parsed at once: streaming buys nothing.
STREAM_FROM = 4 * 1024 * 1024
# Entries parsed together: big enough that the parser's per-call cost vanishes.
SLICE = 2000

# Lines may end in \r\n: a file saved on Windows.
_TERMS_KEY = re.compile(r"^terms:[ \t]*(?:#[^\r\n]*)?\r?$", re.MULTILINE)
_MARKER = re.compile(r"^(?:---|\.\.\.)(?:[ \t]|\r?$)", re.MULTILINE)


class LayoutError(ValueError):
    """A slice did not parse on its own: the document must be read whole."""


class SliceError(ValueError):
    """A slice of entries that is not valid YAML: `text`, the lines before it, and the parser's error."""

    def __init__(self, text: str, lines_before: int, error: Exception):
        self.text, self.lines_before, self.error = text, lines_before, error
        super().__init__(str(error))


@dataclass(frozen=True)
class TermsLayout:
    """Where the entries of a terms.yaml lie: the `terms:` list as offsets of its items.

    Attributes:
        text: The whole document.
        rest: The document with the list left empty (`terms:` and the other top-level keys).
        starts: The offset where each entry begins, then the offset where the list ends.
        first_line: The 1-based line of the first entry.
    """

    text: str
    rest: str
    starts: tuple[int, ...]
    first_line: int

    def __len__(self) -> int:
        return len(self.starts) - 1

    def entries(self) -> Iterator:
        """Yield each entry's data, parsing SLICE entries at a time.

        Raises:
            LayoutError: A slice did not parse as a list of that many entries.
            yamldata.YAMLDataError: A slice uses an alias.
        """
        before, counted = 0, 0  # lines before the slice, counted up to that offset (each line once)
        for first in range(0, len(self), SLICE):
            last = min(first + SLICE, len(self))
            piece = self.text[self.starts[first]:self.starts[last]]
            before += self.text.count("\n", counted, self.starts[first])
            counted = self.starts[first]
            try:
                items = yamldata.loads(piece)
            except yamldata.YAMLDataError as exc:
                raise yamldata.YAMLDataError(str(exc), exc.line and exc.line + before) from None
            except ValueError as exc:  # yaml_rs.YAMLDecodeError
                alias = yamldata.first_alias_line(piece)
                if alias is not None:  # one whose anchor lies in another slice
                    raise yamldata.YAMLDataError(yamldata.ALIAS_MESSAGE, alias + before) from None
                if not self.entry_parses(last - 1):
                    raise LayoutError("the slice may end inside its last entry") from None
                raise SliceError(piece, before, exc) from None
            if not isinstance(items, list) or len(items) != last - first:
                raise LayoutError("a slice is not a list of its entries")
            yield from items

    def entry_parses(self, index: int) -> bool:
        """Return whether entry `index` parses alone.

        A quoted value may go on after an escaped line break in a line that
        looks like the next entry or top-level key: the entry cut there does
        not parse, and the document must be read whole.
        """
        try:
            yamldata.loads(self.text[self.starts[index]:self.starts[index + 1]])
        except ValueError:
            return False
        return True

    def rest_line(self, line: int | None) -> int | None:
        """Return the file's line for a 1-based line of `rest` (None stays None)."""
        before = self.text.count("\n", 0, self.starts[0])
        if line is None or line <= before:
            return line
        return line + self.text.count("\n", self.starts[0], self.starts[-1])

    def _lines_before(self) -> array:
        """Return the number of lines before each entry, counted once (a file may have a problem per entry)."""
        lines = self.__dict__.get("_lines")
        if lines is None:
            lines, counted, total = array("q"), 0, 0
            for start in self.starts:
                total += self.text.count("\n", counted, start)
                counted = start
                lines.append(total)
            object.__setattr__(self, "_lines", lines)  # a cache on a frozen dataclass
        return lines

    def line_of(self, where: tuple) -> int | None:
        """Return the line of a place ('terms', index, ...) by reading that entry alone, else None."""
        if len(where) < 2 or where[0] != "terms" or not isinstance(where[1], int) or not 0 <= where[1] < len(self):
            return None
        start, end = self.starts[where[1]], self.starts[where[1] + 1]
        offset = self._lines_before()[where[1]]
        try:
            node = yaml.compose(self.text[start:end], Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            return offset + 1
        node = node.value[0] if isinstance(node, yaml.SequenceNode) and node.value else node
        line = node.start_mark.line + 1
        for step in where[2:]:
            if isinstance(node, yaml.MappingNode):
                pair = next(((k, v) for k, v in node.value if k.value == step), None)
                if pair is None:
                    break
                line, node = pair[0].start_mark.line + 1, pair[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                node = node.value[step]
                line = node.start_mark.line + 1
            else:
                break
        return offset + line


def terms_layout(text: str) -> TermsLayout | None:
    """Find the items of the top-level `terms:` block list, or None when the document is laid out otherwise.

    Only the plain layout editors write is streamed (one `terms:` key at the
    left margin, a block list under it, no document markers); anything else
    is read whole.
    """
    if len(text) < STREAM_FROM or _MARKER.search(text):
        return None
    keys = _TERMS_KEY.findall(text)
    if len(keys) != 1:
        return None
    key = _TERMS_KEY.search(text)
    body = key.end() + 1
    first = re.compile(r"^( *)(?:-(?: |\r?$)|[^ \r\n#])", re.MULTILINE).search(text, body)
    if first is None or not text.startswith("-", first.end(1)):
        return None
    indent = len(first.group(1))
    # The list ends at the next top-level key (or the end of the file).
    after = re.compile(r"^[^\s#-]" if indent == 0 else r"^[^\s#]", re.MULTILINE).search(text, body)
    end = after.start() if after else len(text)
    # Any line less indented than the items, or at their indent but not an item, is not this layout.
    if indent and re.compile(rf"^ {{1,{indent - 1}}}[^\s#]" if indent > 1 else r"(?!)", re.MULTILINE).search(
            text, body, end):
        return None
    if re.compile(rf"^ {{{indent}}}(?!-(?: |\r?$))[^\s#]", re.MULTILINE).search(text, body, end):
        return None
    starts = [m.start() for m in re.compile(rf"^ {{{indent}}}-(?: |\r?$)", re.MULTILINE).finditer(text, body, end)]
    if not starts:
        return None
    rest = text[:starts[0]] + text[end:]
    first_line = text.count("\n", 0, starts[0]) + 1
    return TermsLayout(text=text, rest=rest, starts=(*starts, end), first_line=first_line)
