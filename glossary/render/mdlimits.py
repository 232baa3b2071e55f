"""Bounds on a Markdown conversion: linear time on any input, and a deadline.

Python-Markdown does work that grows with the square of the input on some
inputs (upstream issues 798, 1617, 1619):

- Inline patterns: every match rebuilds the paragraph's whole text around a
  placeholder (`*_*_…`, runs of code spans), so n matches cost n times the
  paragraph.
- Links and images: each `[` scans forward to its closing `]`, and each
  `](` to its closing `)`; when there is none (`[[[…`, `[a]([a](…`) each of
  n openers scans to the end of the paragraph.
- Raw HTML: an unfinished start tag (`<a <a <a …`) is read, by the
  standard library's HTML parser, to the end of the document, once per `<`.
- Nested lists (`- - - … x` on one line) go one level deeper per marker and
  search the rest of the line again at each level.

`Bounds`, a Python-Markdown extension, removes each cause, leaving the
output of ordinary text as it was:

- The inline processor works as Python-Markdown's does until one pattern
  has matched `SWEEP_AFTER` times in one piece of text; the rest of that
  piece is then done in one pass that joins the pieces once. Ordinary
  paragraphs never reach the switch, and the pass renders what
  Python-Markdown renders (tests compare the two on generated text with
  the switch at 0): the emphasis processor, which keeps places in the
  changing text, is shown them as they would be. Its work list is a deque
  and it knows each child's position, where Python-Markdown's searches.
- Link and image text and link targets are found from a table of matching
  brackets built once per piece of text, so a failed opener costs nothing.
- After `UNFINISHED_TAGS` start tags that run unfinished to the end of the
  document, a later `<` with no `>` after it is taken as text at once.
  (Python-Markdown ends a start tag at a backtick: such a tag's text is
  then text too, but a reference in it, `&#65`, reads as the character
  where Python-Markdown keeps it as written. The one difference; knowing
  where the tag would end is the reading this cut leaves out.)
- Nesting deeper than `depth.MAX_DEPTH` blocks is refused
  (`NestingError`) before the next level is parsed.

Any other input the fixes above do not cover is stopped by a `deadline`:
every block, inline pattern and match checks it, and raises
`DeadlineError` once it has passed (or the client has gone).
"""

from __future__ import annotations

import bisect
import math
import re
import threading
import time
import xml.etree.ElementTree as etree  # noqa: N813 (Python-Markdown's name)
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from markdown import Extension, inlinepatterns, util
from markdown.htmlparser import HTMLExtractor, htmlparser
from markdown.inlinepatterns import LinkInlineProcessor
from markdown.preprocessors import HtmlBlockPreprocessor, NormalizeWhitespace, Preprocessor
from markdown.treeprocessors import InlineProcessor, UnescapeTreeprocessor, isString

from .depth import MAX_DEPTH, NestingError
from .mdquick import (
    QuickUnescape,
    QuickWhitespace,
    lone_pair,
    no_raw_html,
    quick_block_level,
    quick_blocks,
    quick_emphasis,
    quick_postprocessors,
    required_characters,
    shortcuts_apply,
    takes_lone_pairs,
)

__all__ = ["Bounds", "DeadlineError", "check_deadline", "deadline"]

# Matches of one inline pattern in one piece of text after which the rest is
# done in a single pass. Real paragraphs have a few links or bold phrases;
# 32 keeps the stock code path for them, and 32 rebuilds of a piece of text
# is still linear in its size.
SWEEP_AFTER = 32
# Unfinished start tags that may each be read to the end of the document.
UNFINISHED_TAGS = 8
# How often (seconds) the deadline asks whether the client is still there.
POLL_INTERVAL = 0.05


class DeadlineError(RuntimeError):
    """A conversion stopped because its deadline passed or its client went away."""

    def __init__(self, seconds: float, abandoned: bool = False):
        self.seconds = seconds
        self.abandoned = abandoned
        reason = "the client went away" if abandoned else f"it took longer than {seconds:g} s"
        super().__init__(f"the conversion was stopped: {reason}")


class _Deadline:
    __slots__ = ("abandoned", "at", "next_poll", "seconds")

    def __init__(self, seconds: float, abandoned: Callable[[], bool] | None):
        now = time.monotonic()
        self.seconds = seconds
        self.at = now + seconds
        self.abandoned = abandoned
        self.next_poll = now + POLL_INTERVAL


_current: ContextVar[_Deadline | None] = ContextVar("glossary_deadline", default=None)


@contextmanager
def deadline(seconds: float | None, abandoned: Callable[[], bool] | None = None) -> Iterator[None]:
    """Stop conversions in this context after `seconds`, or as soon as `abandoned()` is true.

    Args:
        seconds: The time allowed; None or 0 sets no time limit.
        abandoned: Asked every POLL_INTERVAL seconds: true when nobody
            waits for the result any more (the client closed its socket).

    Raises:
        DeadlineError: From a conversion inside the context, once the
            deadline has passed or `abandoned()` said true.
    """
    if (not seconds or seconds <= 0) and abandoned is None:
        yield
        return
    token = _current.set(_Deadline(float(seconds) if seconds and seconds > 0 else math.inf, abandoned))
    try:
        yield
    finally:
        _current.reset(token)


def check_deadline() -> None:
    """Raise DeadlineError if the current deadline has passed or its client went away."""
    current = _current.get()
    if current is None:
        return
    now = time.monotonic()
    if now > current.at:
        raise DeadlineError(current.seconds)
    if current.abandoned is not None and now > current.next_poll:
        current.next_poll = now + POLL_INTERVAL
        if current.abandoned():
            raise DeadlineError(current.seconds, abandoned=True)


# -- inline patterns ------------------------------------------------------


class BoundedInlineProcessor(InlineProcessor):
    """Python-Markdown's inline processor, with a deadline and a single pass for long runs of matches."""

    def _InlineProcessor__handleInline(self, data: str, pattern_index: int = 0) -> str:  # noqa: N802
        # Python-Markdown's loop (name-mangled, so its own calls come here),
        # plus the switch to `_sweep`.
        if isinstance(data, util.AtomicString):
            return data
        # The patterns, their expressions and required characters, taken
        # once per tree (`run`): indexing Python-Markdown's registry checks
        # its order at every step, ~15 times per paragraph (issue 17).
        patterns = self._patterns if self._patterns is not None else self._pattern_table()
        start, count, run = 0, len(patterns), 0
        apply = self._InlineProcessor__applyPattern
        while pattern_index < count:
            pattern, regex, needs, lone_pairs = patterns[pattern_index]
            new_style = regex is not None
            if needs is not None:
                for char in needs:
                    if data.find(char, start) >= 0:
                        break
                else:
                    # Without one of these characters the expression cannot match (mdquick).
                    pattern_index, start, run = pattern_index + 1, 0, 0
                    continue
            if new_style and (found := regex.search(data, start)) is None:
                # What __applyPattern would conclude after its bookkeeping
                # (no match: the next pattern, from the start), in one C
                # call: most of the 14 patterns find nothing in a paragraph,
                # and this made Python-Markdown's inline stage ~7% faster
                # on the dense bench articles (bench/README.md, issue 14).
                pattern_index, start, run = pattern_index + 1, 0, 0
                continue
            check_deadline()
            if run >= SWEEP_AFTER and new_style:
                data = self._sweep(pattern, data, pattern_index, start)
                pattern_index, start, run = pattern_index + 1, 0, 0
                continue
            if lone_pairs and (pair := lone_pair(pattern, found.start(0), data)) is not None:
                # What __applyPattern makes of this match (its handleMatch
                # would answer `pair` too), without its second search and
                # calls: a dense article's bold phrases, ~4 us each (issue 17).
                data, start = self._stash_pair(pair, data, pattern, pattern_index)
                run += 1
                continue
            data, matched, start = apply(pattern, data, pattern_index, start)
            if matched:
                run += 1
            else:
                pattern_index, run = pattern_index + 1, 0
        return data

    def __init__(self, md):
        super().__init__(md)
        self._patterns: list | None = None

    def _pattern_table(self) -> list[tuple]:
        """Return (pattern, its expression, the characters it requires, lone pairs) for each inline pattern, in order.

        Old-style patterns (no expression to search) have neither; an
        expression that requires no one character (mdquick) has None. Lone
        pairs: the pattern takes mdquick's shortcut for a lone `**phrase**`
        and excludes no ancestors.
        """
        table = []
        for pattern in self.inlinePatterns:
            if isinstance(pattern, inlinepatterns.InlineProcessor):
                regex = pattern.getCompiledRegExp()
                table.append((pattern, regex, required_characters(regex),
                              takes_lone_pairs(pattern) and not pattern.ANCESTOR_EXCLUDES))
            else:
                table.append((pattern, None, None, False))
        return table

    def _stash_pair(self, pair: tuple, data: str, pattern, index: int) -> tuple[str, int]:
        """Return `data` with the lone pair's element stashed in its place, and where to read on; as __applyPattern."""
        element, begin, end = pair
        if element.text:
            # The text inside, with the patterns after this one (as __applyPattern; the element is new: no tail).
            self.ancestors.append(element.tag.lower())
            element.text = self._InlineProcessor__handleInline(element.text, index + 1)
            self.ancestors.pop()
        placeholder = self._InlineProcessor__stashNode(element, pattern.type())
        return f"{data[:begin]}{placeholder}{data[end:]}", begin + len(placeholder)

    def run(self, tree, ancestors: list[str] | None = None):
        """Apply the inline patterns to `tree`, as Python-Markdown does, in time linear in its children.

        Python-Markdown's loop takes its work list from the front of a list
        and finds each child's position by searching its parent's children:
        both cost the number of elements for each element. Here the work is
        a deque and the position is the loop's index; the order of work,
        and so the result, is the same.
        """
        self.stashed_nodes = {}
        self._patterns = self._pattern_table()
        tree_parents = [] if ancestors is None else ancestors[:]
        self.parent_map = {c: p for p in tree.iter() for c in p}
        stack = deque([(tree, tree_parents)])
        self._InlineProcessor__build_ancestors(tree, tree_parents)
        handle, place = self._InlineProcessor__handleInline, self._InlineProcessor__processPlaceholders
        while stack:
            check_deadline()
            element, parents = stack.popleft()
            self.ancestors = parents
            if element is not tree:
                self.ancestors.append(element.tag.lower())
            queue = []
            # By index, as iterating an Element does: children inserted
            # after the current one are visited too.
            position = 0
            while position < len(element):
                child = element[position]
                if child.text and not isinstance(child.text, util.AtomicString):
                    self.ancestors.append(child.tag.lower())
                    text, child.text = child.text, None
                    found = place(handle(text), child)
                    for item in found:
                        self.parent_map[item[0]] = child
                    stack.extend(found)
                    queue.append((child, found))
                    self.ancestors.pop()
                if child.tail:
                    tail = handle(child.tail)
                    holder = etree.Element("d")
                    child.tail = None
                    found = place(tail, holder, False)
                    if holder.tail:
                        child.tail = holder.tail
                    for new in reversed(found):
                        self.parent_map[new[0]] = element
                        element.insert(position + 1, new[0])
                if len(child):
                    self.parent_map[child] = element
                    stack.append((child, self.ancestors[:]))
                position += 1
            for child, found in queue:
                for i, item in enumerate(found):
                    child.insert(i, item[0])
        self._patterns = None
        return tree

    def _sweep(self, pattern, data: str, index: int, position: int) -> str:
        """Apply `pattern` from `position` to the end of `data` in one pass, as `__applyPattern` does repeatedly."""
        if any(exclude.lower() in self.ancestors for exclude in pattern.ANCESTOR_EXCLUDES):
            return data
        regex = pattern.getCompiledRegExp()
        pieces, done = [], 0
        handle = pattern.handleMatch
        if _DelimiterProcessor is not None and isinstance(pattern, _DelimiterProcessor):
            emulation = _DelimiterEmulation(pattern)
            handle = emulation.handle
        else:
            emulation = None
        replaced_until = -1
        while True:
            found = None
            if position == replaced_until and data[position - 1] in _LOOKED_BEHIND:
                found = self._after_placeholder(regex, handle, data, position)
            if found is None:
                for match in regex.finditer(data, position):
                    check_deadline()
                    node, begin, end = handle(match, data)
                    if begin is not None and end is not None:
                        found = node, begin, end
                        break
            if found is None:
                break
            node, begin, end = found
            if end < 0:
                # Python-Markdown slices the text at `end` (a link's getLink
                # can answer -1 for an unclosed title): the same place, counted
                # from the start.
                end += len(data)
            # Onwards from the match's end (as Python-Markdown resumes after
            # the placeholder), and never on the spot.
            position = end if end > position else position + 1
            if node is None:
                continue
            if not isinstance(node, str) and not isinstance(node.text, util.AtomicString):
                for child in [node, *node]:
                    if not isString(node):
                        if child.text:
                            self.ancestors.append(child.tag.lower())
                            child.text = self._InlineProcessor__handleInline(child.text, index + 1)
                            self.ancestors.pop()
                        if child.tail:
                            child.tail = self._InlineProcessor__handleInline(child.tail, index)
            pieces.append(data[done:begin])
            pieces.append(self._InlineProcessor__stashNode(node, pattern.type()))
            replaced_until = end
            if emulation is not None:
                emulation.replaced(end, len(pieces[-1]) - (end - begin))
            done = end
        if not pieces:
            return data
        pieces.append(data[done:])
        return "".join(pieces)


    @staticmethod
    def _after_placeholder(regex, handle, data: str, position: int):
        """Return the match right after a replaced match as Python-Markdown finds it, or None.

        Python-Markdown looks for the next match in the changed text, where
        the character before `position` is a placeholder's last; here it is
        still the matched text's last, which a pattern's lookbehind may
        refuse (an escaped backslash before a code span: `\\\\`code``).
        """
        window = data[position:position + _PROBE]
        probe = regex.match(_PLACEHOLDER_END + window, 1)
        if probe is not None and probe.end() > len(window) and position + _PROBE < len(data):
            probe = regex.match(_PLACEHOLDER_END + data[position:], 1)  # the window cut it: read on (rare)
        if probe is None:
            return None
        node, begin, end = handle(_Shifted(probe, position - 1), data)
        return (node, begin, end) if begin is not None and end is not None else None


_DelimiterProcessor = getattr(inlinepatterns, "DelimiterProcessor", None)
# Characters that Python-Markdown's patterns look behind for (an escape's
# backslash, an image's '!'): right after a replaced match they decide
# differently than the placeholder Python-Markdown sees there.
_LOOKED_BEHIND = "\\!"
# Characters read ahead of a match right after a replaced one (most
# patterns are short; a longer match reads the rest of the text).
_PROBE = 256
# The last character of an inline placeholder (Python-Markdown's ETX).
_PLACEHOLDER_END = util.ETX


class _Shifted:
    """A match found in a window of the text, with positions in the whole text."""

    def __init__(self, match: re.Match, shift: int):
        self.match, self.shift, self.lastgroup = match, shift, match.lastgroup

    def start(self, group=0) -> int:
        return self.match.start(group) + self.shift

    def end(self, group=0) -> int:
        return self.match.end(group) + self.shift

    def group(self, group=0) -> str:
        return self.match.group(group)


class _DelimiterEmulation:
    """Drive Python-Markdown's emphasis processor over unchanged text as if each match had been replaced.

    Python-Markdown replaces each match by a placeholder before looking for
    the next, and the emphasis processor (3.11's DelimiterProcessor) keeps
    the places of the pairs it found in that changing text. In a single
    pass the text stays as it was: the places are translated by the length
    the placeholders would have added, and a delimiter right after a
    replaced match is judged as following a placeholder's last character.
    """

    def __init__(self, pattern):
        self.pattern = pattern
        # Length the placeholders would have added so far, and when the
        # processor last worked out its pairs.
        self.shift = self.computed_at = 0
        self.done = 0

    def replaced(self, end: int, added: int) -> None:
        """Note a match replaced up to `end` by a placeholder `added` characters longer."""
        self.done, self.shift = end, self.shift + added

    def handle(self, match, data: str):
        """Return what the processor's handleMatch returns on the text with placeholders, in this text's places."""
        pattern = self.pattern
        if pattern.regions:
            return self._cached(match.start(0), data)
        if self.done and match.start(0) == self.done:
            pattern.get_match = self._get_match_after_placeholder
            try:
                result = pattern.handleMatch(match, data)
            finally:
                del pattern.get_match
        else:
            result = pattern.handleMatch(match, data)
        self.computed_at = self.shift
        return result

    def _cached(self, position: int, data: str):
        # DelimiterProcessor.get_cached_result, with its places moved by
        # `delta` between the text it sees here and the one it would see.
        pattern = self.pattern
        delta = self.shift - self.computed_at
        regions, index = pattern.regions, pattern.cache_index
        moved = position + delta
        offset = moved - pattern.cache_pos if moved != pattern.cache_pos else moved - regions[index][0]
        offset -= delta
        start, end = regions[index][0], regions[index][3]
        element, count = pattern._build_element(data, index, offset)
        pattern.increment_next_position(start, count)
        return element, start + offset, end + offset

    def _get_match_after_placeholder(self, data: str, start: int):
        # The boundary patterns look one character back and a run of
        # delimiters plus two characters ahead (`(?!$)`): a window with the
        # placeholder's last character in front answers as the whole would.
        for delimiter in self.pattern.delimiters.values():
            token, end = delimiter.token, start
            while data.startswith(token, end):
                end += len(token)
            window = _PLACEHOLDER_END + data[start:end + 3]
            found = delimiter.boundary.match(window, 1)
            if found is not None:
                return _Shifted(found, start - 1)
        return None


_BRACKETS = re.compile(r"[\[\]]")
_PARENS = re.compile(r"[()]")
_QUOTES = re.compile(r"['\"]")
# A rule's line: the block's first, or one after a line end (an expression
# opening with a literal, which `re` finds by jumping from line end to line
# end; "^" in MULTILINE mode is tried at every character: 9.5 -> 2.4 us on
# a dense 5 KB article).
_RULE_FIRST_LINE = re.compile(r" {0,3}[-*_][-*_ ]*+$", re.MULTILINE)
_RULE_LATER_LINE = re.compile(r"\n {0,3}[-*_][-*_ ]*+$", re.MULTILINE)


def _matching(data: str, pairs: re.Pattern, opener: str) -> dict[int, int]:
    """Map the position of each opener in `data` to that of its closer (balanced, left to right)."""
    closes, stack = {}, []
    for found in pairs.finditer(data):
        at = found.start()
        if data[at] == opener:
            stack.append(at)
        elif stack:
            closes[stack.pop()] = at
    return closes


class _Tables(threading.local):
    """Bracket tables of the last piece of text a link pattern looked at (one per thread)."""

    data: str | None = None
    brackets: dict[int, int] | None = None
    parens: dict[int, int] | None = None
    quotes: list[int] | None = None

    def of(self, data: str) -> _Tables:
        if data is not self.data:
            self.data, self.brackets, self.parens, self.quotes = data, None, None, None
        return self


_tables = _Tables()


def _get_text(self, data: str, index: int) -> tuple[str, int, bool]:
    """Return what `LinkInlineProcessor.getText` returns, from the table of matching brackets."""
    if index == 0 or data[index - 1] != "[":
        return LinkInlineProcessor.getText(self, data, index)
    tables = _tables.of(data)
    if tables.brackets is None:
        tables.brackets = _matching(data, _BRACKETS, "[")
    close = tables.brackets.get(index - 1)
    if close is None:
        # Python-Markdown returns the rest of the text here, and every caller
        # drops it: copying it for each unclosed '[' would cost the square
        # of the text again.
        return "", len(data), False
    return data[index:close], close + 1, True


def _get_link(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
    """Return what `LinkInlineProcessor.getLink` returns; without quotes, from the table of matching parentheses."""
    found = self.RE_LINK.match(data, pos=index)
    if found is None or found.group(1) or not data.startswith("(", found.start()):
        return LinkInlineProcessor.getLink(self, data, index)
    tables = _tables.of(data)
    if tables.parens is None:
        tables.parens = _matching(data, _PARENS, "(")
        tables.quotes = [m.start() for m in _QUOTES.finditer(data)]
    start = found.end()
    close = tables.parens.get(found.start())
    following = bisect.bisect_left(tables.quotes, start)
    quote = tables.quotes[following] if following < len(tables.quotes) else None
    if quote is not None and (close is None or quote < close):
        # A title in quotes: Python-Markdown's own scan decides.
        return LinkInlineProcessor.getLink(self, data, index)
    if close is None:
        return "", None, index, False
    return self.unescape(data[start:close]).strip(), None, close + 1, True


class _FrontQueue(list):
    """A list whose pop(0) takes constant time: the stack Python-Markdown's emphasis processor reads from the front."""

    def __init__(self, items=()):
        super().__init__(items)
        self._head = 0

    def _settle(self) -> None:
        if self._head:
            super().__delitem__(slice(0, self._head))
            self._head = 0

    def pop(self, index=-1):
        """Remove and return the item at `index`; the first in constant time."""
        if index == 0 and self._head < super().__len__():
            item = super().__getitem__(self._head)
            self._head += 1
            if self._head * 2 > super().__len__():
                self._settle()
            return item
        self._settle()
        return super().pop(index)

    def __len__(self):
        return super().__len__() - self._head

    def __bool__(self):
        return len(self) > 0

    def __getitem__(self, index):
        self._settle()
        return super().__getitem__(index)

    def __iter__(self):
        self._settle()
        return super().__iter__()

    def clear(self):
        """Remove every item."""
        self._head = 0
        super().clear()

    def append(self, item):
        """Add `item` at the end."""
        self._settle()
        super().append(item)

    def extend(self, items):
        """Add `items` at the end."""
        self._settle()
        super().extend(items)

    def sort(self, **options):
        """Sort in place (see list.sort)."""
        self._settle()
        super().sort(**options)


# -- raw HTML ---------------------------------------------------------------


class _BoundedExtractor(HTMLExtractor):
    """Python-Markdown's raw HTML extractor, reading unfinished start tags to the end only a few times."""

    def reset(self):
        """Reset this instance (and the count of unfinished tags)."""
        self._unfinished = 0
        self._last_close = (None, -1)
        super().reset()

    def check_for_whole_start_tag(self, i: int) -> int:
        """Return where the start tag at `i` ends, or -1 if it is unfinished (see html.parser)."""
        check_deadline()
        rawdata = self.rawdata
        if self._unfinished >= UNFINISHED_TAGS:
            if self._last_close[0] is not rawdata:
                self._last_close = (rawdata, rawdata.rfind(">"))
            if self._last_close[1] < i:
                return -1
        end = super().check_for_whole_start_tag(i)
        if end < 0 and htmlparser.locatestarttagend_tolerant.match(rawdata, i).end() >= len(rawdata) - 1:
            self._unfinished += 1
        return end


class _BoundedHtmlBlocks(HtmlBlockPreprocessor):
    def run(self, lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        if no_raw_html(source):
            return source.split("\n")
        parser = _BoundedExtractor(self.md)
        parser.feed(source)
        parser.close()
        return "".join(parser.cleandoc).split("\n")


# -- blocks ----------------------------------------------------------------


class _Install(Preprocessor):
    """Put the bounded parts in place before each conversion (whatever extensions were added after Bounds)."""

    installed: tuple = ()

    def run(self, lines: list[str]) -> list[str]:
        check_deadline()
        # Installing again only when a registry changed: a converter kept
        # for many articles spent ~8% of a 5 KB article's conversion here.
        state = _registry_state(self.md)
        if state != self.installed:
            _install(self.md)
            self.installed = _registry_state(self.md)
        return lines


def _registry_state(md) -> tuple:
    # What an extension registered after Bounds changes: a registry's size
    # (Python-Markdown's registries keep one entry per name) or the block
    # parser's method. Cheap enough for every conversion.
    parser = md.parser
    return (len(md.preprocessors), len(md.treeprocessors), len(md.inlinePatterns), len(parser.blockprocessors),
            len(md.postprocessors),
            id(md.treeprocessors["inline"]) if "inline" in md.treeprocessors else None, id(parser.parseBlocks))


def _install(md) -> None:
    if "inline" in md.treeprocessors and type(md.treeprocessors["inline"]) is InlineProcessor:
        md.treeprocessors.register(BoundedInlineProcessor(md), "inline", 20)
    if "html_block" in md.preprocessors and type(md.preprocessors["html_block"]) is HtmlBlockPreprocessor:
        md.preprocessors.register(_BoundedHtmlBlocks(md), "html_block", 20)
    for pattern in md.inlinePatterns:
        if isinstance(getattr(pattern, "stack", None), list) and not isinstance(pattern.stack, _FrontQueue):
            pattern.stack = _FrontQueue(pattern.stack)
        if isinstance(pattern, LinkInlineProcessor) and "getText" not in vars(pattern):
            pattern.getText = _get_text.__get__(pattern)
            if type(pattern).getLink is LinkInlineProcessor.getLink:
                pattern.getLink = _get_link.__get__(pattern)
    if shortcuts_apply():
        _install_shortcuts(md)
    parser = md.parser
    if "parseBlocks" not in vars(parser):
        blocks = parser.parseBlocks
        depth = threading.local()

        def parse_blocks(parent, pieces):
            # Each nested block (a list item, a quote) parses its content
            # through here: the depth is that of the nesting.
            check_deadline()
            level = getattr(depth, "level", 0)
            if level > MAX_DEPTH:
                raise NestingError(f"the article nests more than {MAX_DEPTH} blocks deep; at most {MAX_DEPTH} "
                                   "are supported")
            depth.level = level + 1
            try:
                blocks(parent, pieces)
            finally:
                depth.level = level

        parser.parseBlocks = parse_blocks
    rule = parser.blockprocessors["hr"] if "hr" in parser.blockprocessors else None  # noqa: SIM401 (no .get)
    if rule is not None and "test" not in vars(rule):
        stock_test = rule.test

        def test(parent, block):
            # A rule is a line of only '-', '*' or '_' and spaces: this
            # simple search settles most blocks at once, where the rule's
            # own pattern reads a long line many times slower (once per
            # level of a deeply nested list).
            return bool(_RULE_FIRST_LINE.match(block) or _RULE_LATER_LINE.search(block)) \
                and stock_test(parent, block)

        rule.test = test


def _install_shortcuts(md) -> None:
    # Not bounds but speed: the same stages without the work plain text does not need (mdquick).
    if "normalize_whitespace" in md.preprocessors and type(md.preprocessors["normalize_whitespace"]) is \
            NormalizeWhitespace:
        md.preprocessors.register(QuickWhitespace(md), "normalize_whitespace", 30)
    if "unescape" in md.treeprocessors and type(md.treeprocessors["unescape"]) is UnescapeTreeprocessor:
        md.treeprocessors.register(QuickUnescape(md), "unescape", 0)
    if "is_block_level" not in vars(md):
        quick_block_level(md)
    for pattern in md.inlinePatterns:
        quick_emphasis(pattern)
    quick_blocks(md)
    quick_postprocessors(md)


class Bounds(Extension):
    """Keep Python-Markdown linear on any input and make it obey `deadline` (see the module's docstring)."""

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        # First of the preprocessors: the replacements are in place before any
        # stage runs, also for extensions registered after this one.
        md.preprocessors.register(_Install(md), "bounds", 1000)
        _install(md)
