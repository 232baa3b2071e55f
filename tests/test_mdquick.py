"""The fast paths of Python-Markdown's stages (glossary/render/mdquick.py) skip only work that changes nothing."""

import re

import markdown
import pytest

from glossary.render import MARKDOWN_EXTENSIONS
from glossary.render.converter import Converter
from glossary.render.mdquick import QuickUnescape, QuickWhitespace, required_characters


def test_a_link_pattern_behind_a_lookbehind_needs_its_opening_bracket():
    assert required_characters(re.compile(r"(?<!\!)\[")) == {"["}


def test_a_branch_needs_one_of_the_characters_of_each_choice():
    assert required_characters(re.compile(r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)")) == {"\\", "`"}


def test_a_character_class_of_literals_is_its_characters():
    assert required_characters(re.compile(r"\*|_")) == {"*", "_"}
    assert required_characters(re.compile(r"[*_]+x?")) == {"*", "_"}


def test_the_smallest_set_of_a_sequence_is_kept():
    assert required_characters(re.compile(r"[abc]d")) == {"d"}


def test_a_lookahead_is_not_a_required_character():
    assert required_characters(re.compile(r"(?=\[)[a-z]+")) is None


def test_an_optional_part_is_not_required():
    assert required_characters(re.compile(r"(?:\[)?x*")) is None
    assert required_characters(re.compile(r"a|.")) is None


def test_a_pattern_ignoring_case_requires_nothing():
    assert required_characters(re.compile(r"\[a", re.IGNORECASE)) is None
    assert required_characters(re.compile(r"(?i:a)")) is None


def test_a_range_or_a_negated_class_requires_nothing():
    assert required_characters(re.compile(r"[a-z]")) is None
    assert required_characters(re.compile(r"[^a]")) is None


def test_every_match_of_python_markdowns_patterns_holds_a_required_character():
    md = markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS))
    samples = ["`code`", "\\\\`x`", "\\*", "[a](b)", "[a][r]", "![i](s)", "![i][r]", "<https://e.org>",
               "<a@b.org>", "a  \nb", "<b>", "&amp;", "&#65;", "**x**", "_x_", "[^1]"]
    checked = 0
    for pattern in md.inlinePatterns:
        regex = pattern.getCompiledRegExp()
        needs = required_characters(regex)
        for sample in samples:
            for match in regex.finditer(sample):
                if match.end() > match.start():
                    assert needs is None or any(c in match.group(0) for c in needs), (regex.pattern, sample)
                    checked += 1
    assert checked > 15


@pytest.mark.parametrize("text", ["文字 [链接](https://example.org) 与 `代码`", "**粗体**（注：说明）",
                                  "&amp; &#65 <b>x</b>", "行\t制表\r\n  \n   \n下一行", "\x02klzzwxh:1\x03"])
def test_the_converter_renders_what_python_markdown_renders(text):
    ours = Converter(None, MARKDOWN_EXTENSIONS)
    assert ours.convert(text).html == markdown.markdown(text, extensions=list(MARKDOWN_EXTENSIONS))


def test_the_converter_runs_the_quick_stages():
    md = Converter(None, ()).md
    md.convert("文字")
    assert type(md.preprocessors["normalize_whitespace"]) is QuickWhitespace
    assert type(md.treeprocessors["unescape"]) is QuickUnescape
    assert "is_block_level" in vars(md)


def test_a_block_level_element_an_extension_adds_later_is_block_level():
    md = Converter(None, ()).md
    md.convert("文字")
    assert not md.is_block_level("custom-block")
    md.block_level_elements.append("custom-block")
    assert md.is_block_level("custom-block")
    assert md.is_block_level("P/") and not md.is_block_level(None)

