"""When the allow-list is left out: only where nh3 would give the markup back byte for byte (render/settled.py).

The oracle is nh3 itself: whatever the checks let through must be a fixed
point of the allow-list (cleaning it again changes nothing), which is
exactly "leaving nh3 out changed nothing".
"""

from __future__ import annotations

import html as htmlmod

import pytest
from conftest import TERMS_YAML
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary import annotate_untrusted_markdown, parse_glossary
from glossary.core.annotator import Annotator
from glossary.core.compiled import CompiledGlossary
from glossary.core.options import Options
from glossary.render.converter import MARKDOWN_EXTENSIONS, Converter
from glossary.render.sanitize import _clean
from glossary.render.serialize import write_html
from glossary.render.settled import settled_link_prefix, settled_markup, settled_tree, settled_url

GLOSSARY = CompiledGlossary(parse_glossary(TERMS_YAML, "test-terms.yaml"))

SETTLED_URLS = [
    "/terms/entity-list", "#fn:1", "?page=2", "", "terms/a:b", "../a", "//cdn.example.org/x", "1a:b",
    "http://example.org", "https://example.org/a?b=1&c=2#d", "https://a-b.example.com:8080/p", "http://localhost/",
    "mailto:desk@example.org",
]
UNSETTLED_URLS = [
    "javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "vbscript:msgbox(1)", "ftp://example.org/",
    "java\tscript:alert(1)", " http://example.org/", "http://example.org/a b", "http:\\\\example.org",
    "http://1.2.3.999/", "http://[::1]/", "http://user@example.org/", "HTTP://example.org/", "Mailto:a@b.org",
    "http://xn--zz.example/", "http://example.org./", "http:///x", "https://", "http://example.org:99999/",
]


def kept_by_nh3(url: str) -> bool:
    link = f'<a href="{htmlmod.escape(url)}">x</a>'
    return _clean(link) == link


@pytest.mark.parametrize("url", SETTLED_URLS)
def test_a_url_judged_settled_is_kept_by_the_allow_list(url):
    assert settled_url(url)
    assert kept_by_nh3(url)


@pytest.mark.parametrize("url", UNSETTLED_URLS)
def test_a_url_the_allow_list_may_drop_is_left_to_it(url):
    assert not settled_url(url)


@given(url=st.one_of(
    st.text(alphabet="abcxyz019:/?#.-+@%[]_~ \t\\", max_size=30),
    st.builds("".join, st.lists(st.sampled_from(
        ["http://", "https://", "mailto:", "javascript:", "data:", "xn--", "a", "1", ".", ":", "/", "-", "@",
         "[", "]", ":80", ":123456", "?", "#", "%20", " ", "HTTP://", "example", "org"]), max_size=10))))
@settings(max_examples=600, deadline=None)
def test_every_url_judged_settled_is_kept_by_the_allow_list(url):
    if settled_url(url):
        assert kept_by_nh3(url)


@pytest.mark.parametrize("prefix", ["/terms/", "https://glossary.example/terms/", "../terms/", "#"])
def test_a_link_prefix_judged_settled_keeps_any_term_id_a_relative_or_web_link(prefix):
    assert settled_link_prefix(prefix)
    for term_id in ("entity-list", "javascript:alert(1)", "a:b", "data:x", "%", "x#y"):
        assert kept_by_nh3(prefix + term_id)


@pytest.mark.parametrize("prefix", ["", "terms", "https://glossary.example", "javascript:", "data:x/",
                                    "/terms /", "HTTPS://glossary.example/"])
def test_a_link_prefix_a_term_id_could_turn_into_another_address_is_left_to_the_allow_list(prefix):
    assert not settled_link_prefix(prefix)


def tree_and_html(text: str, mode: str = "all", **options):
    converter = Converter(Options(mode=mode, **options), MARKDOWN_EXTENSIONS)
    root = converter.tree(text)
    converter.md.reset()
    return root, converter.convert(text, GLOSSARY).html


def test_a_plain_annotated_article_is_settled():
    # The fast path is taken at all: a typical article with links and notes.
    text = "美国把企业列入**实体清单**，又以长臂管辖施压，见[官网](https://www.wto.org)。\n\n- 二级制裁\n- SWIFT\n"
    root, html = tree_and_html(text)
    assert settled_tree(root)
    assert settled_markup(html)
    assert _clean(html) == html


@pytest.mark.parametrize("text", [
    "见[名单](javascript:alert(1))。",
    "![图](data:image/png;base64,AAAA)",
    "表格：\n\n| 甲 | 乙 |\n|:--|--:|\n| 1 | 2 |\n",
    "脚注[^1]。\n\n[^1]: 注释。\n",
])
def test_a_tree_with_what_the_allow_list_drops_or_rewrites_is_not_settled(text):
    root, _ = tree_and_html(text)
    assert not settled_tree(root)


@pytest.mark.parametrize("text", ["不间断\u00a0空格", "控制\x0c字符", "删除\x7f字符"])
def test_markup_with_characters_nh3_writes_otherwise_is_not_settled(text):
    _, html = tree_and_html(text)
    assert not settled_markup(html)


def test_a_no_break_space_comes_back_as_nh3_writes_it():
    html = annotate_untrusted_markdown("实体清单\u00a0与二级制裁", GLOSSARY, "all").html
    assert "&nbsp;" in html
    assert _clean(html) == html


def test_a_link_title_with_an_escaped_bracket_inside_its_tag_is_not_settled():
    _, html = tree_and_html('见[官网](https://www.wto.org "a>b")。')
    assert 'title="a&gt;b"' in html
    assert not settled_markup(html)


def written_with_notes(text: str, glossary=GLOSSARY):
    """Return write_html's (html, notes_settled, notes) for `text` annotated in all mode, and the plan's notes."""
    converter = Converter(Options(mode="all"), MARKDOWN_EXTENSIONS)
    root = converter.tree(text)
    converter.md.reset()
    annotator = Annotator(glossary, Options(mode="all"))
    annotator.run(root)
    return write_html(root, annotator.plan), annotator.plan.notes


def test_a_definition_whose_link_the_allow_list_dropped_leaves_its_notes_settled():
    # The xss-probe term's definition held a javascript: link: its own
    # allow-list took the address, so what the notes write is kept.
    (_, notes_settled, _), notes = written_with_notes("测试条目与实体清单。")
    assert {t.id for t in notes} == {"xss-probe", "entity-list"}
    assert notes_settled


def test_a_definition_with_an_address_not_judged_here_leaves_the_notes_unsettled():
    glossary = CompiledGlossary(parse_glossary(TERMS_YAML.replace(
        "见[官网](https://www.wto.org)", "见[官网](HTTP://WWW.WTO.ORG/)"), "test-terms.yaml"))
    (html, notes_settled, notes), _ = written_with_notes("世界贸易组织。", glossary)
    assert 'href="HTTP://WWW.WTO.ORG/"' in html
    assert not notes_settled
    assert notes == ""


@pytest.mark.parametrize("character", ["\u00a0", "\ufdd0", "\x85"])
def test_a_definition_with_a_character_the_allow_list_writes_otherwise_leaves_the_notes_unsettled(character):
    glossary = CompiledGlossary(parse_glossary(TERMS_YAML.replace(
        "负责多边贸易规则的国际组织", f"负责多边贸易规则的{character}国际组织"), "test-terms.yaml"))
    (html, notes_settled, notes), _ = written_with_notes("世界贸易组织。", glossary)
    assert character in html
    assert not notes_settled
    assert notes == ""
    annotated = annotate_untrusted_markdown("世界贸易组织。", glossary, "all", front_matter=False).html
    assert _clean(annotated) == annotated


def test_settled_notes_are_handed_on_as_written_into_the_markup():
    (html, notes_settled, notes), _ = written_with_notes("世界贸易组织与实体清单。")
    assert notes_settled
    assert notes.startswith("<aside") and notes.endswith("</aside>")
    assert notes in html


def test_the_markup_around_a_judged_piece_is_read():
    assert not settled_markup("<p>甲\x7f</p><aside>乙</aside>", "<aside>乙</aside>")
    assert not settled_markup("<aside>乙</aside><p>甲\u00a0</p>", "<aside>乙</aside>")
    assert settled_markup("<p>甲</p><aside>乙</aside>", "<aside>乙</aside>")


def test_a_judged_piece_is_not_read_again_but_references_are():
    assert settled_markup("<p>甲</p><aside>\x7f</aside>", "<aside>\x7f</aside>")
    assert not settled_markup("<p>甲</p><aside>&copy;</aside>", "<aside>&copy;</aside>")


def test_a_judged_piece_the_markup_does_not_hold_leaves_all_of_it_read():
    assert not settled_markup("<p>甲\x7f</p><aside>乙</aside>", "<aside>丙</aside>")


# Markdown that reaches the tree path (no '<') and what the checks judge: addresses of every kind, characters nh3
# writes otherwise, the extensions' markup, terms of the test glossary bold and plain.
TOKENS = ["文字", "a", " ", "\n", "\n\n", "*", "**", "_", "`", "[", "]", "(", ")", "![", ">", "\\", "&", '"', "'",
          "  \n", "- ", "1. ", "> ", "[^1]", "[^1]: 注\n", "[r]: https://example.org\n", "[r]", "|", "---",
          "[l](javascript:alert(1))", "[l](http://1.2.3.999/)", "[l](HTTP://example.org)", "[l](mailto:a@b.org)",
          "![i](data:image/png;base64,AA)", "[l](/terms/x)", "[l](https://example.org/a?b&c \"t\")",
          "[l](https://example.org \"a>b\")", "\u00a0", "\x0c", "\x7f", "\u3000", "&copy;", "&#65;", "&amp;",
          "| a | b |\n|:--|--:|\n| 1 | 2 |\n", "```py\ncode\n```\n", "    缩进\n", "实体清单", "**实体清单**",
          "SWIFT", "**长臂管辖**（Long-arm: 说明）", "测试条目", "WTO", "# 标题\n"]


@settings(max_examples=500, deadline=None)
@given(text=st.lists(st.sampled_from(TOKENS), max_size=40).map("".join),
       mode=st.sampled_from(["bold", "all"]), link_base=st.sampled_from(["", "https://glossary.example"]))
def test_what_the_checks_let_through_is_what_the_allow_list_gives(text, mode, link_base):
    prefix = "https://glossary.example/terms/" if link_base else "/terms/"
    html = annotate_untrusted_markdown(text, GLOSSARY, mode, link_prefix=prefix, front_matter=False).html
    assert _clean(html) == html
