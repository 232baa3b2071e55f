"""Properties of the annotator over generated articles (hypothesis)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rendering import render_plain, text_without_definitions

from glossary import annotate_html, annotate_markdown

SPELLINGS = ["实体清单", "實體清單", "SWIFT", "swift", "ＳＷＩＦＴ", "稀土", "稀土永磁体", "川普", "WTO", "AI芯片",
             "人工智能芯片", "二级制裁", "长臂管辖"]
FILLER = ["和", "的", "美国", "x", "A", "1", "Ⅱ", "①", "™", " ", "。", "，", "\n", "&", "<", ">", "'", '"']
MARKUP = ["**", "*", "`", "\n\n", "\n\n# ", "\n\n- ", "\n\n> ", "[", "](https://example.org)", "（", "）", "(", ")",
          ": ", "：", "\n\n    ", "\\*", "&amp;"]
# Raw HTML comes balanced: the text of malformed markup depends on the parser.
RAW_HTML = ["<b>实体清单</b>", "<b>稀土</b>", "\n\n<div>\n稀土与实体清单\n</div>\n\n", "<!-- 稀土 -->",
            "<code>稀土</code>", "<span>SWIFT</span>"]
TOKENS = st.sampled_from(SPELLINGS + FILLER + MARKUP + RAW_HTML)
ARTICLES = st.lists(TOKENS, max_size=40).map("".join)
MODES = ["bold", "first", "all"]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("mode", MODES)
@SETTINGS
@given(text=ARTICLES)
def test_removing_definitions_restores_the_rendered_text(glossary, mode, text):
    result = annotate_markdown(text, glossary, mode=mode)
    assert text_without_definitions(result.html) == text_without_definitions(render_plain(text))


@pytest.mark.parametrize("mode", MODES)
@SETTINGS
@given(text=ARTICLES)
def test_annotating_twice_equals_annotating_once(glossary, mode, text):
    once = annotate_markdown(text, glossary, mode=mode)
    twice = annotate_html(once.html, glossary, mode=mode)
    assert twice.html == once.html
    assert twice.terms == once.terms


@pytest.mark.parametrize("mode", MODES)
@SETTINGS
@given(text=ARTICLES)
def test_html_annotation_keeps_text_and_is_idempotent(glossary, mode, text):
    plain = render_plain(text)
    once = annotate_html(plain, glossary, mode=mode)
    assert text_without_definitions(once.html) == text_without_definitions(plain)
    assert annotate_html(once.html, glossary, mode=mode).html == once.html


@pytest.mark.parametrize("mode", MODES)
@SETTINGS
@given(text=ARTICLES)
def test_every_annotation_links_to_a_known_term_and_its_definition(glossary, mode, text):
    soup = BeautifulSoup(annotate_markdown(text, glossary, mode=mode).html, "html.parser")
    for link in soup.select("[data-term]"):
        assert link["data-term"] in glossary
        assert link["href"] == "/terms/" + link["data-term"]
        assert soup.find(id=link["aria-describedby"]) is not None
        assert link.find_parent(["a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"]) is None
