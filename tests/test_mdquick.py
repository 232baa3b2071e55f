"""The fast paths of Python-Markdown's stages (glossary/render/mdquick.py) skip only work that changes nothing."""

import re

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.render import MARKDOWN_EXTENSIONS
from glossary.render.converter import Converter
from glossary.render.mdquick import (
    COMPARED_WITH,
    QuickUnescape,
    QuickWhitespace,
    quick_blocks,
    quick_emphasis,
    quick_postprocessors,
    required_characters,
    shortcuts_apply,
)

# What decides how Python-Markdown pairs emphasis: runs of both delimiters,
# their neighbours (letters, CJK, punctuation of both widths, spaces, line
# ends), escapes, code spans and links (replaced by placeholders before the
# emphasis is read), and the places where a pair is found again from a cache.
EMPHASIS_TOKENS = ["*", "**", "***", "****", "_", "__", "___", "a", "文字", "实体清单", " ", "\n", "\n\n", "，",
                   "（", "）", "(", ")", ".", '"', "\\", "\\*", "`", "`x`", "[a](b)", "<b>", "&amp;", "x_y", "\t",
                   "- ", "> ", "1. ", "  \n", "\u3000", "·"]


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


def _stock():
    return markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS), output_format="html")


@settings(max_examples=1500, deadline=None)
@given(text=st.lists(st.sampled_from(EMPHASIS_TOKENS), max_size=40).map("".join))
def test_the_emphasis_shortcut_renders_what_python_markdown_renders(text):
    assert Converter(None, MARKDOWN_EXTENSIONS).convert(text).html == _stock().convert(text)


@pytest.mark.parametrize("text", ["**实体清单**（Entity List）", "*斜体*与**粗体**", "a**b**c", "**a**b**c**",
                                  "**a*", "*a**", "**a** **", "__下划线__", "_a_b_", "**a_b**", "***a***",
                                  "**a\n\nb**", "**`x`**", "\\**a**", "**a**\\*", "** a**", "**a **"])
def test_the_emphasis_shortcut_renders_each_edge_as_python_markdown_does(text):
    assert Converter(None, MARKDOWN_EXTENSIONS).convert(text).html == _stock().convert(text)


def _counted_general_pairing(monkeypatch) -> tuple[markdown.Markdown, list]:
    from markdown import inlinepatterns

    processor = getattr(inlinepatterns, "DelimiterProcessor", None)
    if processor is None:
        pytest.skip("Python-Markdown before 3.11 matches emphasis with expressions: nothing to shortcut")
    calls, general = [], processor.handleMatch

    def counted(self, match, data):
        calls.append(match.start(0))
        return general(self, match, data)

    monkeypatch.setattr(processor, "handleMatch", counted)
    md = _stock()
    quick_emphasis(md.inlinePatterns["em_strong"])
    return md, calls


def test_the_emphasis_shortcut_makes_lone_phrases_without_the_general_pairing(monkeypatch):
    md, calls = _counted_general_pairing(monkeypatch)
    assert md.convert("**实体清单**与*斜体*，**二级制裁**") == \
        "<p><strong>实体清单</strong>与<em>斜体</em>，<strong>二级制裁</strong></p>"
    assert calls == []


def test_the_emphasis_shortcut_leaves_nested_emphasis_to_the_general_pairing(monkeypatch):
    md, calls = _counted_general_pairing(monkeypatch)
    assert md.convert("***实体清单***") == "<p><strong><em>实体清单</em></strong></p>"
    assert md.convert("**实体*清单***") == "<p><strong>实体<em>清单</em></strong></p>"
    assert len(calls) >= 2


def test_the_emphasis_shortcut_is_installed_once_and_only_on_python_markdowns_own_processor():
    md = _stock()
    pattern = md.inlinePatterns["em_strong"]
    quick_emphasis(pattern)
    installed = vars(pattern).get("handleMatch")
    quick_emphasis(pattern)
    assert vars(pattern).get("handleMatch") is installed
    link = md.inlinePatterns["link"]
    quick_emphasis(link)
    assert "handleMatch" not in vars(link)


# What decides which block stage takes a block: the characters their
# expressions look for, at a line's start and within it, and line ends.
BLOCK_TOKENS = [">", "> ", "#", "# ", "######", "=", "===", "-", "---", "- ", "*", "* * *", "_", "___", "[a]: http://e.org",
                "[^1]: ", "[^1]", "[a]", "]:", "```", "~~~", "``", "`", "1. ", "    ", "  ", " ", "\n", "\n\n",
                "文字", "实体清单", "a", "\\", "|", "| a |", "<b>"]


@settings(max_examples=1500, deadline=None)
@given(text=st.lists(st.sampled_from(BLOCK_TOKENS), max_size=30).map("".join))
def test_the_block_shortcuts_render_what_python_markdown_renders(text):
    assert Converter(None, MARKDOWN_EXTENSIONS).convert(text).html == _stock().convert(text)


@pytest.mark.parametrize("text", ["> 引用", "文字\n> 引用", "# 标题", "文字\n## 标题 ##", "标题\n===", "标题\n---",
                                  "标题\n-", "标题\n= 文字", "文字\n\n***\n\n文字", "文字\n- - -", "[a]: http://e.org\n\n[a]",
                                  "文字[^1]\n\n[^1]: 注释", "```\n代码\n```", "~~~\n代码\n~~~", "``\n代码\n``"])
def test_the_block_shortcuts_render_each_block_as_python_markdown_does(text):
    assert Converter(None, MARKDOWN_EXTENSIONS).convert(text).html == _stock().convert(text)


class _CountedSearch:
    """An expression that counts its searches and matches."""

    def __init__(self, regex):
        self.regex, self.calls = regex, 0

    def search(self, *args):
        self.calls += 1
        return self.regex.search(*args)

    def match(self, *args):
        self.calls += 1
        return self.regex.match(*args)

    def finditer(self, *args):
        return self.regex.finditer(*args)


@pytest.mark.parametrize(("name", "without", "with_it"), [
    ("quote", "文字 a # b", "> 引用"), ("hashheader", "文字 > a", "# 标题"),
    ("setextheader", "文字\n文字", "标题\n==="),
    ("reference", "文字 ]: a", "[a]: http://e.org"), ("footnote", "文字 ^ a", "[^1]: 注释")])
def test_a_block_without_the_characters_its_search_needs_is_not_searched(name, without, with_it):
    md = _stock()
    quick_blocks(md)
    processor = md.parser.blockprocessors[name]
    counted = processor.RE = _CountedSearch(processor.RE)
    md.convert(without)
    assert counted.calls == 0
    md.convert(with_it)
    assert counted.calls > 0


def test_a_text_without_a_fence_is_not_searched_for_fenced_code():
    md = _stock()
    quick_blocks(md)
    fences = md.preprocessors["fenced_code_block"]
    counted = fences.FENCED_BLOCK_RE = _CountedSearch(fences.FENCED_BLOCK_RE)
    assert md.convert("文字 `` ~~ a") == "<p>文字 `` ~~ a</p>"
    assert counted.calls == 0
    md.convert("```\n代码\n```")
    assert counted.calls > 0


def test_the_block_shortcuts_are_installed_once_and_only_on_python_markdowns_own_processors():
    from markdown.blockprocessors import BlockQuoteProcessor

    class OwnQuotes(BlockQuoteProcessor):
        def test(self, parent, block):
            return block.startswith("》")

    md = _stock()
    md.parser.blockprocessors.register(OwnQuotes(md.parser), "quote", 20)
    quick_blocks(md)
    assert "test" not in vars(md.parser.blockprocessors["quote"])
    installed = vars(md.parser.blockprocessors["hashheader"])["test"]
    quick_blocks(md)
    assert vars(md.parser.blockprocessors["hashheader"])["test"] is installed


class _Strike(markdown.Extension):
    """A pattern of a third party's, after the emphasis in Python-Markdown's order: ~~text~~ as <del>."""

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        from markdown.inlinepatterns import SimpleTagInlineProcessor

        md.inlinePatterns.register(SimpleTagInlineProcessor(r"()~~(.+?)~~", "del"), "strike", 40)


@pytest.mark.parametrize("text", ["**~~删除~~**", "**实体~~清单~~**与*~~a~~*", "~~**实体清单**~~"])
def test_a_lone_pair_s_text_goes_through_the_patterns_after_the_emphasis(text):
    stock = markdown.Markdown(extensions=[_Strike()], output_format="html").convert(text)
    assert "<del>" in stock
    assert Converter(None, (_Strike(),)).convert(text).html == stock


def test_the_converter_stashes_lone_pairs_without_python_markdowns_apply_step(monkeypatch):
    from markdown.treeprocessors import InlineProcessor

    calls, stock = [], InlineProcessor._InlineProcessor__applyPattern

    def counted(self, pattern, *args):
        calls.append(type(pattern).__name__)
        return stock(self, pattern, *args)

    monkeypatch.setattr(InlineProcessor, "_InlineProcessor__applyPattern", counted)
    converter = Converter(None, MARKDOWN_EXTENSIONS)
    assert converter.convert("**实体清单**与*斜体*，**二级制裁**").html == \
        "<p><strong>实体清单</strong>与<em>斜体</em>，<strong>二级制裁</strong></p>"
    assert calls == []
    assert converter.convert("***实体清单***").html == "<p><strong><em>实体清单</em></strong></p>"
    assert calls


@pytest.mark.parametrize("text", ["文字[^1]\n\n[^1]: 注释", "&copy; &amp; &#65; a & b", "`&amp;` \\&", "文字"])
def test_the_marker_shortcut_renders_what_python_markdown_renders(text):
    assert Converter(None, MARKDOWN_EXTENSIONS).convert(text).html == _stock().convert(text)


def test_output_without_a_marker_is_not_read_for_markers(monkeypatch):
    from markdown.extensions.footnotes import FootnotePostprocessor

    calls, stock = [], FootnotePostprocessor.run
    md = _stock()
    quick_postprocessors(md)

    def counted(self, text):
        calls.append(text)
        return stock(self, text)

    monkeypatch.setattr(FootnotePostprocessor, "run", counted)
    assert md.convert("文字") == "<p>文字</p>"
    assert calls == []
    assert "&#160;" in md.convert("文字[^1]\n\n[^1]: 注释")
    assert len(calls) == 1


def test_the_shortcuts_were_compared_with_the_installed_python_markdown():
    # With another version they are left out (below), and these tests would compare stock with stock.
    assert shortcuts_apply(), (
        f"Python-Markdown {markdown.__version__} is installed; mdquick's stages were compared with "
        f"{'.'.join(map(str, COMPARED_WITH))}: compare them with this one (switch COMPARED_WITH and run these tests)")


def test_another_python_markdown_runs_its_own_stages_within_the_bounds(monkeypatch):
    from markdown.blockprocessors import BlockQuoteProcessor
    from markdown.preprocessors import NormalizeWhitespace
    from markdown.treeprocessors import UnescapeTreeprocessor

    from glossary.render.mdlimits import BoundedInlineProcessor

    monkeypatch.setattr(markdown, "__version_info__", (COMPARED_WITH[0], COMPARED_WITH[1] + 1, 0, "final", 0))
    converter = Converter(None, MARKDOWN_EXTENSIONS)
    text = "> 引用\n\n**实体清单**与*斜体*[^1]\n\n[^1]: 注释"
    assert converter.convert(text).html == _stock().convert(text)
    md = converter.md
    assert type(md.preprocessors["normalize_whitespace"]) is NormalizeWhitespace
    assert type(md.treeprocessors["unescape"]) is UnescapeTreeprocessor
    assert "is_block_level" not in vars(md)
    assert "handleMatch" not in vars(md.inlinePatterns["em_strong"])
    assert type(md.parser.blockprocessors["quote"]).test is BlockQuoteProcessor.test
    assert "test" not in vars(md.parser.blockprocessors["quote"])
    assert "run" not in vars(md.postprocessors["amp_substitute"])
    # The bounds stay: linear time and the deadline do not depend on the version.
    assert type(md.treeprocessors["inline"]) is BoundedInlineProcessor
