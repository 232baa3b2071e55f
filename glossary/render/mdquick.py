"""Python-Markdown's stages, skipping the work that text without their characters does not need.

Each stage below gives exactly what Python-Markdown's own gives (tests
compare them on generated text); it only leaves out scans and copies that
cannot change the text: expanding tabs in text without a tab, looking for
blank lines of spaces where no line starts with a space, parsing raw HTML
in text without `<` or `&`, unescaping text without an escape, searching a
block for a quote, a heading, a reference or a footnote, or the text for a
fence, when it lacks the characters every match needs, replacing markers
in output without one. On the dense
bench articles these took ~2.5 ms of Python-Markdown's 37 ms (bench/README.md,
issue 14), which the annotation's own time is measured against. The
emphasis processor's general pairing is left out where a bold or italic
phrase stands alone (`quick_emphasis`). mdlimits installs these only on the
Python-Markdown minor version they were compared with (`COMPARED_WITH`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree  # noqa: N813 (Python-Markdown's name)
from functools import lru_cache
from types import MethodType

import markdown
from markdown import inlinepatterns, util
from markdown.blockprocessors import (
    BlockQuoteProcessor,
    HashHeaderProcessor,
    ReferenceProcessor,
    SetextHeaderProcessor,
)
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.extensions.footnotes import FootnoteBlockProcessor, FootnotePostprocessor
from markdown.postprocessors import AndSubstitutePostprocessor
from markdown.preprocessors import NormalizeWhitespace
from markdown.treeprocessors import UnescapeTreeprocessor

__all__ = ["COMPARED_WITH", "QuickUnescape", "QuickWhitespace", "lone_pair", "no_raw_html", "quick_block_level",
           "quick_blocks", "quick_emphasis", "quick_postprocessors", "required_characters", "shortcuts_apply",
           "takes_lone_pairs"]

# The Python-Markdown minor version the stages below were compared with
# (tests/test_mdquick.py, tests/test_bounds.py). Each reads or replaces its
# internals, which a minor version may change: with any other version the
# stages run as Python-Markdown wrote them (mdlimits' bounds still apply).
COMPARED_WITH = (3, 11)


def shortcuts_apply() -> bool:
    """Tell whether the installed Python-Markdown is the minor version this module's stages were compared with."""
    return tuple(markdown.__version_info__[:2]) == COMPARED_WITH

# Python-Markdown's own expression: a line of spaces only becomes empty.
_SPACES_LINE = re.compile(r"(?<=\n) +\n")


class QuickWhitespace(NormalizeWhitespace):
    """NormalizeWhitespace, doing each step only on text that has what the step changes."""

    def run(self, lines: list[str]) -> list[str]:
        """Return `lines` with markers removed, line ends and tabs normalised, and lines of spaces emptied."""
        source = "\n".join(lines)
        if util.STX in source or util.ETX in source:
            source = source.replace(util.STX, "").replace(util.ETX, "")
        if "\r" in source:
            source = source.replace("\r\n", "\n").replace("\r", "\n")
        source += "\n\n"
        if "\t" in source:
            source = source.expandtabs(self.md.tab_length)
        if "\n " in source:
            source = _SPACES_LINE.sub("\n", source)
        return source.split("\n")


def no_raw_html(source: str) -> bool:
    """Tell whether Python-Markdown's raw HTML extractor would give `source` back as it is."""
    # Its parser acts only at '<' (tags, comments) and '&' (references it
    # writes back, not always as they were: "&#65" gains a ';').
    return "<" not in source and "&" not in source


class QuickUnescape(UnescapeTreeprocessor):
    """UnescapeTreeprocessor, reading each text for Python-Markdown's escape marker before replacing."""

    def run(self, root) -> None:
        """Put back the characters Python-Markdown escaped, in every text, tail and attribute."""
        marker = util.STX
        unescape = self.unescape
        for element in root.iter():
            text = element.text
            if text and marker in text and element.tag != "code":
                element.text = unescape(text)
            tail = element.tail
            if tail and marker in tail:
                element.tail = unescape(tail)
            if element.attrib:
                for key, value in element.items():
                    if value is not None and marker in value:
                        element.set(key, unescape(value))


def quick_block_level(md) -> None:
    """Make `md.is_block_level` look tags up in a set made from `md.block_level_elements`, not in the list itself."""
    # Python-Markdown searches its list of 59 tags for every element it
    # prettifies or parses (each bold phrase: ~1 us, 1.2 ms of a dense
    # 300 KB article). The set is made again whenever the list is replaced
    # or changes length, as extensions change it by appending.
    seen: list = [None, -1, frozenset()]

    def is_block_level(self, tag) -> bool:
        if not isinstance(tag, str):
            return False
        elements = self.block_level_elements
        if elements is not seen[0] or len(elements) != seen[1]:
            seen[:] = [elements, len(elements), frozenset(elements)]
        return tag.lower().rstrip("/") in seen[2]

    md.is_block_level = MethodType(is_block_level, md)


# Block stages whose test (or run, for those whose test is always true)
# opens with `self.RE.search(block)` and, finding nothing, changes nothing.
_SEARCHING_TESTS = (BlockQuoteProcessor.test, HashHeaderProcessor.test)
_SEARCHING_RUNS = (ReferenceProcessor.run, FootnoteBlockProcessor.run)


def quick_blocks(md) -> None:
    """Give Python-Markdown's block stages a quick "no" where a block lacks the characters their search needs.

    Args:
        md: A `markdown.Markdown`; only its processors that are Python-Markdown's
            own classes with their own methods change (each once).
    """
    # Their expressions open with an alternative or an anchor ("(^|\n)>",
    # "^[ ]{0,3}\[") that `re` tries at every character of every block:
    # ~110 us of a dense 5 KB article's 500 us tree (issue 17), on prose
    # where none of them matches. A block without '>' holds no quote; one
    # `in` says so.
    for processor in md.parser.blockprocessors:
        kind = type(processor)
        if "test" not in vars(processor):
            if kind.test in _SEARCHING_TESTS:
                _skip_without(processor, "test", required_characters(processor.RE))
            elif kind.test is SetextHeaderProcessor.test and processor.RE is SetextHeaderProcessor.RE:
                processor.test = MethodType(_setext_test, processor)
        if "run" not in vars(processor) and kind.run in _SEARCHING_RUNS:
            # On no match these put the block back where it was: not taking it is the same.
            _skip_without(processor, "run", required_characters(processor.RE))
    if "fenced_code_block" in md.preprocessors:
        fences = md.preprocessors["fenced_code_block"]
        if type(fences).run is FencedBlockPreprocessor.run and "run" not in vars(fences) \
                and fences.FENCED_BLOCK_RE is FencedBlockPreprocessor.FENCED_BLOCK_RE:
            fences.run = MethodType(_fences_run, fences)


def _skip_without(processor, name: str, needs: frozenset[str] | None) -> None:
    # `name` answers False, as its search would, for a block without any of `needs`.
    if not needs:
        return
    stock = getattr(processor, name)
    needed = tuple(needs)

    def method(parent, block):
        # The block is the last argument of a test, the first of a run's list.
        text = block if isinstance(block, str) else block[0]
        for character in needed:
            if character in text:
                return stock(parent, block)
        return False

    setattr(processor, name, method)


def _setext_test(self, parent, block: str) -> bool:
    # The expression's lazy ".*?" cannot pass a line end: the second line must open with '=' or '-'.
    end = block.find("\n")
    return end >= 0 and block.startswith(("=", "-"), end + 1) and SetextHeaderProcessor.test(self, parent, block)


def _fences_run(self, lines: list[str]) -> list[str]:
    # A fence opens with three '~' or three '`'; the stock run joins and splits the lines as here.
    text = "\n".join(lines)
    if "~~~" in text or "```" in text:
        return FencedBlockPreprocessor.run(self, lines)
    return text.split("\n")


# Postprocessors whose run only replaces Python-Markdown's markers, each
# of which opens with STX: '&' kept from escaping, a footnote's back link
# and its no-break space.
_MARKERS_ONLY = (AndSubstitutePostprocessor.run, FootnotePostprocessor.run)


def quick_postprocessors(md) -> None:
    """Let Python-Markdown's postprocessors that only replace its markers give back output without any as it is.

    Args:
        md: A `markdown.Markdown`; only postprocessors of its own classes
            with their own run change (each once).
    """
    # Each replace reads the whole output (~7 us for a dense 5 KB
    # article's 13 KB); one search for the marker's first character
    # (~0.2 us) says there is nothing to replace.
    for postprocessor in md.postprocessors:
        if "run" not in vars(postprocessor) and type(postprocessor).run in _MARKERS_ONLY:
            postprocessor.run = MethodType(_markers_run, postprocessor)


def _markers_run(self, text: str) -> str:
    return type(self).run(self, text) if util.STX in text else text


# Python-Markdown 3.11's emphasis processor (earlier versions match emphasis with expressions).
_DELIMITERS = getattr(inlinepatterns, "DelimiterProcessor", None)


def quick_emphasis(pattern) -> None:
    """Give Python-Markdown's emphasis processor a shortcut for a lone `**phrase**` or `*phrase*`.

    Args:
        pattern: An inline pattern; only a DelimiterProcessor whose
            handleMatch is Python-Markdown's own is changed (once).
    """
    # Its handleMatch runs the general pairing (stacks, the rule of three,
    # regions, a cache of elements) for every phrase: ~11 us for each bold
    # term, 156 us of a dense 5 KB article's 600 us tree (issue 17). For an
    # opener of one or two delimiters whose next delimiter character closes
    # it with a run as long, that pairing makes one <strong> (<em>) holding
    # the text between, and leaves its state empty: that is made here
    # directly. Anything else goes to the general pairing.
    if _DELIMITERS is None or not isinstance(pattern, _DELIMITERS) or "handleMatch" in vars(pattern) \
            or type(pattern).handleMatch is not _DELIMITERS.handleMatch:
        return
    general = pattern.handleMatch

    def handle_match(match, data: str):
        found = lone_pair(pattern, match.start(0), data)
        return found if found is not None else general(match, data)

    handle_match.lone_pairs = True
    pattern.handleMatch = handle_match


def takes_lone_pairs(pattern) -> bool:
    """Tell whether `pattern` has the shortcut of `quick_emphasis`: its handleMatch tries `lone_pair` first."""
    return getattr(vars(pattern).get("handleMatch"), "lone_pairs", False)


def lone_pair(pattern, start: int, data: str):
    """Return (element, start, end) for a lone pair opening at `start`, as the general pairing would; else None."""
    # Only from an empty state: no cached pairs, no unpaired delimiters.
    delimiters = pattern.delimiters
    if pattern.regions or pattern.stack or any(delimiter.stack for delimiter in delimiters.values()):
        return None
    # As handleMatch reads the opener: through get_match (which mdlimits'
    # single pass may replace for a delimiter right after a placeholder).
    opener = pattern.get_match(data, start)
    if opener is None or opener.lastgroup[0] == "e":
        return None
    delimiter = delimiters.get(data[start])
    begin, end = opener.start(0), opener.end(0)
    length = end - begin
    if delimiter is None or delimiter.tag_count != 2 or not 0 < length <= 2:
        return None
    # handleMatch's search: the first delimiter character after the opener
    # whose run the boundary pattern accepts.
    following = pattern.compiled_re.search(data, end)
    if following is None:
        return None
    at = following.start(0)
    # (A run of the other delimiter there: no match, as its boundary pattern needs this one's.)
    closer = delimiter.boundary.match(data, at)
    if closer is None or closer.lastgroup[0] == "s" or closer.end(0) - at != length:
        return None
    element = etree.Element(delimiter.tags[0] if length == 2 else delimiter.tags[1])
    element.text = data[end:at]
    return element, begin, at + length


try:  # The standard library's parser of expressions (private: without it, nothing is skipped).
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover (Python < 3.11)
    _sre = _sre_parse = None


@lru_cache(maxsize=512)
def required_characters(regex: re.Pattern) -> frozenset[str] | None:
    """Return characters one of which every match of `regex` consumes, or None when no small set is sure.

    An inline pattern's expression that begins with a lookbehind (links:
    `(?<!\\!)\\[`) is tried at every position of the text: four of
    Python-Markdown's fourteen patterns cost ~2 us per paragraph each, the
    largest part of its inline stage on Chinese prose, where they never
    match. A paragraph without `[` cannot hold a link: one `str.find` says so.
    """
    if _sre_parse is None or regex.flags & re.IGNORECASE or not isinstance(regex.pattern, str):
        return None
    try:
        parsed = _sre_parse.parse(regex.pattern, regex.flags)
    except Exception:  # noqa: BLE001 (any failure: nothing is skipped)
        return None
    return _required_in_sequence(parsed)


def _required_in_sequence(items) -> frozenset[str] | None:
    # Every item of a sequence is matched: the smallest set of any one will do.
    best = None
    for op, value in items:
        found = _required_in_item(op, value)
        if found is not None and (best is None or len(found) < len(best)):
            best = found
    return best


def _required_in_item(op, value) -> frozenset[str] | None:
    if op is _sre.LITERAL:
        return frozenset(chr(value))
    if op is _sre.IN:
        if all(kind is _sre.LITERAL for kind, _ in value):
            return frozenset(chr(code) for _, code in value)
        return None
    if op is _sre.SUBPATTERN:
        _, added, _, items = value
        return None if added & re.IGNORECASE else _required_in_sequence(items)
    if op is _sre.ATOMIC_GROUP:
        return _required_in_sequence(value)
    if op is _sre.BRANCH:
        choices = [_required_in_sequence(items) for items in value[1]]
        return None if any(found is None for found in choices) else frozenset().union(*choices)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
        low, _, items = value
        return _required_in_sequence(items) if low >= 1 else None
    # Lookarounds consume nothing (a lookbehind reads before the search's
    # start); anchors, any character, group references: no set.
    return None
