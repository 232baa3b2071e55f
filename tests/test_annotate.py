"""The annotator's matching rules and markup contract, one test per edge case."""

from __future__ import annotations

from dataclasses import asdict

import lxml.html
import markdown
import pytest
from bs4 import BeautifulSoup
from rendering import render_plain, text_without_definitions

from glossary import (
    FrontMatterError,
    Glossary,
    annotate_html,
    annotate_markdown,
    annotate_untrusted_markdown,
    parse_glossary,
)
from glossary.core.annotation import Annotation, BoldText, Gloss, Occurrence, TermCount
from glossary.render.mdext import GlossaryExtension


def annotated(html: str) -> list[tuple[str, str]]:
    """Return (term id, text) of every annotation in document order."""
    soup = BeautifulSoup(html, "html.parser")
    links = soup.select("[data-term]")
    return [(a["data-term"], a.get_text()) for a in links if not a.find_parent(attrs={"data-glossary": True})]


# -- bold mode ---------------------------------------------------------------


def test_bold_term_is_wrapped_in_a_link_to_its_page(glossary):
    html = annotate_markdown("美国把它列入**实体清单**。", glossary).html
    link = BeautifulSoup(html, "html.parser").select_one("[data-term]")
    assert link.name == "a"
    assert link["data-term"] == "entity-list"
    assert link["href"] == "/terms/entity-list"
    assert str(link.strong) == "<strong>实体清单</strong>"


def test_bold_term_is_described_by_its_definition(glossary):
    html = annotate_markdown("**实体清单**", glossary).html
    soup = BeautifulSoup(html, "html.parser")
    link = soup.select_one("[data-term]")
    description = soup.find(id=link["aria-describedby"])
    assert description is not None
    assert description.has_attr("data-glossary")
    assert "美国商务部公布的一份名单" in description.get_text()


def test_bold_mode_ignores_plain_mentions(glossary):
    result = annotate_markdown("实体清单与**长臂管辖**", glossary)
    assert annotated(result.html) == [("long-arm-jurisdiction", "长臂管辖")]


def test_b_element_counts_as_bold_in_html(glossary):
    result = annotate_html("<p><b>二级制裁</b></p>", glossary)
    assert annotated(result.html) == [("secondary-sanctions", "二级制裁")]


def test_bold_phrase_not_in_glossary_is_reported_undefined(glossary):
    result = annotate_markdown("**弹性外交**与**实体清单**，再次**弹性外交**", glossary)
    assert result.undefined == ["弹性外交"]
    assert annotated(result.html) == [("entity-list", "实体清单")]


def test_bold_phrase_must_be_the_whole_term(glossary):
    result = annotate_markdown("**新的实体清单**", glossary)
    assert annotated(result.html) == []
    assert result.undefined == ["新的实体清单"]


# -- normalisation -------------------------------------------------------------


def test_traditional_variant_matches_and_keeps_original_characters(glossary):
    result = annotate_markdown("**實體清單**", glossary)
    assert annotated(result.html) == [("entity-list", "實體清單")]


def test_full_width_latin_matches(glossary):
    result = annotate_markdown("**ＳＷＩＦＴ**", glossary)
    assert annotated(result.html) == [("swift", "ＳＷＩＦＴ")]


def test_latin_case_is_folded(glossary):
    result = annotate_markdown("**Swift**", glossary)
    assert annotated(result.html) == [("swift", "Swift")]


def test_alias_matches_its_term(glossary):
    result = annotate_markdown("**川普**", glossary)
    assert annotated(result.html) == [("donald-trump", "川普")]
    assert result.terms[0].id == "donald-trump"


def test_whitespace_runs_match_a_single_space():
    glossary = parse_glossary("terms:\n  - id: el\n    term: Entity List\n    definition: d\n")
    result = annotate_markdown("the entity\n  list grew", glossary, mode="all")
    assert annotated(result.html) == [("el", "entity\n  list")]


# -- plain-text matching (first / all) -----------------------------------------


def test_latin_term_does_not_match_inside_a_longer_word(glossary):
    result = annotate_markdown("SWIFTLY and ASWIFT and SWIFT2", glossary, mode="all")
    assert annotated(result.html) == []


def test_latin_term_matches_next_to_han(glossary):
    result = annotate_markdown("中方通报WTO并退出SWIFT体系", glossary, mode="all")
    assert annotated(result.html) == [("wto", "WTO"), ("swift", "SWIFT")]


def test_rejected_latin_match_does_not_hide_a_han_term(glossary):
    result = annotate_markdown("OpenAI芯片", glossary, mode="all")
    assert annotated(result.html) == [("chip", "芯片")]
    result = annotate_markdown("采购人工智能芯片和AI芯片", glossary, mode="all", max_links=0)
    assert annotated(result.html) == [("ai-chip", "人工智能芯片"), ("ai-chip", "AI芯片")]


def test_longest_match_wins(glossary):
    result = annotate_markdown("出口稀土永磁体和稀土", glossary, mode="all")
    assert annotated(result.html) == [("rare-earth-magnet", "稀土永磁体"), ("rare-earth", "稀土")]


def test_cjk_term_matches_inside_cjk_text(glossary):
    result = annotate_markdown("美国实施二级制裁之后", glossary, mode="all")
    assert annotated(result.html) == [("secondary-sanctions", "二级制裁")]


def test_traditional_plain_mention_matches(glossary):
    result = annotate_markdown("被列入實體清單的企業", glossary, mode="all")
    assert annotated(result.html) == [("entity-list", "實體清單")]


def test_all_mode_without_a_limit_annotates_every_mention(glossary):
    result = annotate_markdown("稀土。\n\n更多稀土，**稀土**。", glossary, mode="all", max_links=0)
    assert [t for t, _ in annotated(result.html)] == ["rare-earth"] * 3
    assert [(t.id, t.count) for t in result.terms] == [("rare-earth", 3)]


def test_first_mode_annotates_only_the_first_plain_mention(glossary):
    result = annotate_markdown("稀土和长臂管辖。\n\n稀土再次出现。", glossary, mode="first")
    assert annotated(result.html) == [("rare-earth", "稀土"), ("long-arm-jurisdiction", "长臂管辖")]


def test_first_mode_skips_a_term_bolded_anywhere(glossary):
    result = annotate_markdown("稀土在前。\n\n后来才加粗**稀土**。", glossary, mode="first")
    assert annotated(result.html) == [("rare-earth", "稀土")]
    soup = BeautifulSoup(result.html, "html.parser")
    assert soup.select_one("[data-term]").strong is not None


def test_terms_are_listed_in_order_of_first_appearance(glossary):
    result = annotate_markdown("**二级制裁**、**实体清单**、**二级制裁**", glossary)
    assert [(t.id, t.count) for t in result.terms] == [("secondary-sanctions", 2), ("entity-list", 1)]


# -- places that are never annotated -------------------------------------------


def test_bold_inside_a_link_is_not_annotated_and_counts_for_nothing(glossary):
    result = annotate_markdown("[**实体清单**（Entity List: 名单）](https://example.org)", glossary, mode="all")
    assert annotated(result.html) == []
    assert result.undefined == [] and result.glosses == [] and result.terms == []


def test_bold_containing_a_link_is_not_wrapped_in_another_link(glossary):
    result = annotate_markdown("**[实体清单](https://example.org)**", glossary)
    assert annotated(result.html) == []
    assert BeautifulSoup(result.html, "html.parser").select("a a") == []


def test_term_inside_code_is_not_annotated(glossary):
    result = annotate_markdown("`实体清单` and\n\n    实体清单 in a block\n", glossary, mode="all")
    assert annotated(result.html) == []


def test_bold_inside_code_in_html_is_not_annotated(glossary):
    result = annotate_html("<p><code><strong>实体清单</strong></code></p>", glossary)
    assert annotated(result.html) == [] and result.undefined == []


def test_term_inside_a_heading_is_not_annotated(glossary):
    result = annotate_markdown("## 实体清单与**二级制裁**\n\n正文", glossary, mode="all")
    assert annotated(result.html) == []
    assert result.undefined == []


def test_script_and_style_are_not_annotated(glossary):
    html = "<script>var a = '实体清单';</script><style>/* 实体清单 */</style>"
    assert annotate_html(html, glossary, mode="all").html == html


@pytest.mark.parametrize("mode", ["bold", "first", "all"])
def test_already_annotated_html_is_unchanged(glossary, mode):
    first = annotate_markdown("**实体清单**和稀土，SWIFT与川普。\n\n稀土永磁体", glossary, mode=mode)
    again = annotate_html(first.html, glossary, mode=mode)
    assert again.html == first.html
    assert again.terms == first.terms


def test_annotating_with_a_grown_glossary_adds_to_the_existing_definitions(glossary):
    small = Glossary([glossary.get("rare-earth")])
    first = annotate_markdown("稀土和实体清单", small, mode="all")
    again = annotate_html(first.html, glossary, mode="all")
    soup = BeautifulSoup(again.html, "html.parser")
    assert len(soup.select("[data-glossary=notes]")) == 1
    assert [d["data-for"] for d in soup.select("[data-for]")] == ["rare-earth", "entity-list"]


def test_empty_glossary_changes_nothing():
    empty = Glossary([])
    result = annotate_markdown("**实体清单**和稀土", empty, mode="all")
    assert result.html == render_plain("**实体清单**和稀土")
    assert result.undefined == ["实体清单"]
    assert annotate_html("<p>稀土</p>", empty, mode="all").html == "<p>稀土</p>"


# -- definitions -----------------------------------------------------------------


def test_repeated_term_emits_one_definition(glossary):
    result = annotate_markdown("**稀土**、**稀土**，稀土", glossary, mode="all", max_links=0)
    soup = BeautifulSoup(result.html, "html.parser")
    assert len(soup.select("[data-term=rare-earth]")) == 3
    assert len(soup.select('[data-for="rare-earth"]')) == 1
    assert len({a["aria-describedby"] for a in soup.select("[data-term]")}) == 1


def test_definition_markdown_is_rendered(glossary):
    soup = BeautifulSoup(annotate_markdown("**稀土**、**WTO**", glossary).html, "html.parser")
    assert soup.select_one("#gl-rare-earth em").get_text() == "永磁材料"
    assert soup.select_one("#gl-wto a")["href"] == "https://www.wto.org"


def test_script_in_a_definition_never_becomes_markup(glossary):
    html = annotate_markdown("**测试条目**", glossary).html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None
    assert "<script>alert(1)</script>" in soup.select_one("#gl-xss-probe").get_text()
    assert not any(a.get("href", "").startswith("javascript:") for a in soup.find_all("a"))


def test_fragment_never_contains_a_script_element_from_the_article(glossary):
    result = annotate_html('<p><strong>稀土</strong><img src=x onerror="alert(1)"></p>', glossary)
    assert BeautifulSoup(result.html, "html.parser").find("script") is None


def test_link_and_id_prefixes_are_configurable(glossary):
    html = annotate_markdown("**稀土**", glossary, link_prefix="/glossary/", id_prefix="x-").html
    link = BeautifulSoup(html, "html.parser").select_one("[data-term]")
    assert link["href"] == "/glossary/rare-earth"
    assert link["aria-describedby"] == "x-rare-earth"


def test_removing_definitions_leaves_the_text_of_the_plain_rendering(glossary):
    text = "**实体清单**（Entity List: 名单）和稀土。\n\n- SWIFT\n- 川普"
    for mode in ("bold", "first", "all"):
        annotated_html = annotate_markdown(text, glossary, mode=mode).html
        assert text_without_definitions(annotated_html) == text_without_definitions(render_plain(text))


def test_unknown_mode_is_rejected(glossary):
    with pytest.raises(ValueError, match="unknown mode"):
        annotate_markdown("x", glossary, mode="every")


# -- glosses and front matter -------------------------------------------------


def test_full_width_gloss_is_collected(glossary):
    result = annotate_markdown("**实体清单**（Entity List：美国的出口管制名单）", glossary)
    expected = [("实体清单", "Entity List", "美国的出口管制名单")]
    assert [(g.term, g.name, g.definition) for g in result.glosses] == expected


def test_ascii_bracket_gloss_is_collected(glossary):
    result = annotate_markdown("**SWIFT** (Society: 报文网络 (比利时))", glossary)
    assert [(g.name, g.definition) for g in result.glosses] == [("Society", "报文网络 (比利时)")]


def test_gloss_with_markup_inside_is_collected(glossary):
    result = annotate_markdown("**稀土**（Rare Earths: 17种*金属*元素）", glossary)
    assert result.glosses[0].definition == "17种金属元素"


def test_gloss_of_an_undefined_bold_phrase_is_collected(glossary):
    result = annotate_markdown("**弹性施压**（Calibrated Pressure: 有限度的施压）", glossary)
    assert result.glosses[0].term == "弹性施压"
    assert result.undefined == ["弹性施压"]


def test_brackets_without_a_colon_are_not_a_gloss(glossary):
    assert annotate_markdown("**川普**（特朗普）", glossary).glosses == []


def test_front_matter_becomes_meta_and_is_not_rendered(glossary):
    text = "---\ntitle: 测试\ndate: 2025-10-14\ntags: [trade]\n---\n\n**稀土**"
    result = annotate_markdown(text, glossary)
    assert result.meta == {"title": "测试", "date": "2025-10-14", "tags": ["trade"]}
    assert "2025-10-14" not in result.html and "测试" not in result.html


def test_broken_front_matter_raises_with_its_line(glossary):
    with pytest.raises(FrontMatterError) as caught:
        annotate_markdown("---\ntitle: [测试\n---\n正文", glossary)
    assert caught.value.line is not None


def test_article_without_front_matter_has_empty_meta(glossary):
    assert annotate_markdown("---not front matter", glossary).meta == {}


# -- robustness --------------------------------------------------------------------


def test_lone_surrogate_in_text_does_not_crash(glossary):
    result = annotate_markdown("稀土\ud800实体清单", glossary, mode="all")
    assert [t for t, _ in annotated(result.html)] == ["rare-earth", "entity-list"]


def test_whole_html_document_is_annotated_in_its_body(glossary):
    page = "<!DOCTYPE html><html><head><title>稀土</title></head><body><p>稀土</p></body></html>"
    result = annotate_html(page, glossary, mode="all")
    soup = BeautifulSoup(result.html, "html.parser")
    assert soup.title.get_text() == "稀土"
    assert annotated(result.html) == [("rare-earth", "稀土")]
    assert soup.body.select_one("[data-glossary=notes]") is not None


def test_empty_html_is_returned_as_is(glossary):
    assert annotate_html("", glossary).html == ""
    assert annotate_html("   ", glossary).html == "   "


# -- Python-Markdown extension -------------------------------------------------------


def test_markdown_extension_by_entry_point_name(terms_file):
    md = markdown.Markdown(extensions=["glossary"], extension_configs={"glossary": {"glossary": str(terms_file)}})
    html = md.convert("**实体清单**")
    assert annotated(html) == [("entity-list", "实体清单")]
    [extension] = [e for e in md.registeredExtensions if isinstance(e, GlossaryExtension)]
    assert extension.annotation.terms[0].id == "entity-list"


def test_markdown_extension_records_what_it_found_on_itself(terms_file):
    extension = GlossaryExtension(glossary=str(terms_file), mode="all")
    md = markdown.Markdown(extensions=[extension])
    md.convert("**实体清单**与SWIFT。")
    assert [(o.term_id, o.bold) for o in extension.annotation.occurrences] == [("entity-list", True), ("swift", False)]
    assert not hasattr(md, "glossary_annotation")
    md.reset()
    assert extension.annotation is None


def test_markdown_extension_by_module_path_with_mode(terms_file):
    md = markdown.Markdown(
        extensions=["glossary.render.mdext"],
        extension_configs={"glossary.render.mdext": {"glossary": str(terms_file), "mode": "all"}},
    )
    assert annotated(md.convert("稀土")) == [("rare-earth", "稀土")]


@pytest.mark.parametrize("text", ["**实体清单**", "<b>实体清单</b>"], ids=["tree", "raw-html"])
def test_markdown_extension_without_notes_writes_links_alone(terms_file, text):
    html = markdown.markdown(text, extensions=[GlossaryExtension(glossary=str(terms_file), notes=False)])
    assert annotated(html) == [("entity-list", "实体清单")]
    assert "data-glossary" not in html and "aria-describedby" not in html


@pytest.mark.parametrize("text", ["**实体清单**与**稀土永磁**", "<b>实体清单</b>与<b>稀土永磁</b>"],
                         ids=["tree", "raw-html"])
def test_markdown_extension_explains_what_it_left_out(terms_file, text):
    extension = GlossaryExtension(glossary=str(terms_file), explain=True)
    markdown.markdown(text, extensions=[extension])
    explanation = extension.annotation.explanation
    assert [o.rule for o in explanation.occurrences] == ["bold"]
    assert [(m.text, m.reason) for m in explanation.bold] == [("稀土永磁", "not-a-term")]


def test_markdown_extension_explains_nothing_unless_asked(terms_file):
    extension = GlossaryExtension(glossary=str(terms_file))
    markdown.markdown("**稀土永磁**", extensions=[extension])
    assert extension.annotation.explanation is None


def test_markdown_extension_without_a_glossary_says_what_is_missing():
    md = markdown.Markdown(extensions=["glossary"])
    with pytest.raises(ValueError, match="needs config 'glossary'"):
        md.convert("x")


def test_raw_html_bold_in_markdown_is_annotated(glossary):
    result = annotate_markdown("美国的<b>实体清单</b>", glossary)
    assert annotated(result.html) == [("entity-list", "实体清单")]


def test_raw_html_code_in_markdown_is_not_annotated(glossary):
    result = annotate_markdown("见 <code>稀土</code> 与稀土", glossary, mode="all")
    assert annotated(result.html) == [("rare-earth", "稀土")]
    assert BeautifulSoup(result.html, "html.parser").code.get_text() == "稀土"


@pytest.mark.parametrize(
    "text", ["稀土出口\x0b管制\n\n```\ncode\n```\n", "<b>稀土</b>\x0c", "<p>稀土 前\ud800后 文字</p><p>第二段</p>"]
)
def test_control_characters_and_lone_surrogates_neither_crash_nor_lose_text(glossary, text):
    result = annotate_markdown(text, glossary, mode="all")
    assert annotated(result.html)[0] == ("rare-earth", "稀土")
    assert "第二段" in result.html or "第二段" not in text


def test_entity_encoded_javascript_link_in_a_definition_is_dropped():
    yaml_text = "terms:\n  - id: x\n    term: 测试\n    definition: '[x](&amp;#106;avascript:alert(1))'\n"
    glossary = parse_glossary(yaml_text)
    html = annotate_markdown("**测试**", glossary).html
    link = BeautifulSoup(html, "html.parser").select_one("dd a")
    assert link is not None and not link.has_attr("href")


def test_times_and_urls_in_brackets_are_not_glosses(glossary):
    result = annotate_markdown("**SWIFT**（见 https://www.swift.com）与**稀土**（北京时间10:30公布）", glossary)
    assert result.glosses == []


def test_html_page_without_a_doctype_gets_none(glossary):
    result = annotate_html("<html><body><p><b>稀土</b></p></body></html>", glossary)
    assert result.html.startswith("<html>")


def test_link_notes_links_each_headword_and_changes_nothing_else(glossary):
    text = "把**实体清单**与**SWIFT**并列。"
    plain = annotate_markdown(text, glossary).html
    linked = annotate_markdown(text, glossary, link_notes=True).html
    root = lxml.html.fragment_fromstring(linked, create_parent="div")
    links = root.xpath("//dt/a")
    assert [(a.text, a.get("href")) for a in links] == [("实体清单", "/terms/entity-list"), ("SWIFT", "/terms/swift")]
    for link in links:
        link.drop_tag()
    assert "".join(lxml.html.tostring(child, encoding="unicode") for child in root) == plain


def test_link_notes_follows_the_link_prefix(glossary):
    html = annotate_markdown("**稀土**", glossary, link_notes=True, link_prefix="https://g.example/t/").html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    assert [a.get("href") for a in root.xpath("//dt/a")] == ["https://g.example/t/rare-earth"]


def test_link_notes_in_html_annotated_again_links_once(glossary):
    html = annotate_markdown("**稀土**", glossary, link_notes=True).html
    assert annotate_html(html, glossary, link_notes=True).html == html



def test_annotation_to_dict_is_what_asdict_gives_for_the_api_fields():
    result = Annotation(html="<p>x</p>", terms=[TermCount("a", 2, "甲", "A"), TermCount("b", 1, "乙")],
                        undefined=["丙"], glosses=[Gloss("甲", "A", "释义")], meta={"tags": ["x"], "n": {"k": 1}},
                        occurrences=[Occurrence("a", "甲", True, True, 0)], bold_phrases=[BoldText("丙", 3)])
    assert result.to_dict() == {
        "html": "<p>x</p>", "terms": [t._asdict() for t in result.terms], "undefined": ["丙"],
        "glosses": [asdict(g) for g in result.glosses], "meta": {"tags": ["x"], "n": {"k": 1}},
    }
    assert result.to_dict()["meta"] is not result.meta


# -- how often a term is linked ----------------------------------------------------


def sections(*paragraphs: str) -> str:
    """Return an article with one section (a heading and a paragraph) per paragraph given."""
    return "\n\n".join(f"## 第{i + 1}节\n\n{text}" for i, text in enumerate(paragraphs))


def test_all_mode_links_a_term_mentioned_30_times_at_most_10_times(glossary):
    # 15 sections mentioning 稀土 twice each: the rare-earths article's 30 mentions.
    result = annotate_markdown(sections(*["稀土出口放缓，稀土价格上涨。"] * 15), glossary, mode="all")
    assert [t for t, _ in annotated(result.html)] == ["rare-earth"] * 10
    assert [(t.id, t.count) for t in result.terms] == [("rare-earth", 30)]


def test_all_mode_links_a_term_once_per_section(glossary):
    result = annotate_markdown(sections("稀土与稀土。\n\n还是稀土。", "稀土。") + "\n\n稀土。", glossary, mode="all")
    soup = BeautifulSoup(result.html, "html.parser")
    linked = [p.get_text() for p in soup.find_all("p") if p.select("[data-term]")]
    assert linked == ["稀土与稀土。", "稀土。"]
    assert result.terms[0].count == 5


def test_all_mode_limit_counts_each_term_on_its_own(glossary):
    result = annotate_markdown("稀土、实体清单、稀土、长臂管辖、实体清单", glossary, mode="all")
    assert annotated(result.html) == [("rare-earth", "稀土"), ("entity-list", "实体清单"),
                                      ("long-arm-jurisdiction", "长臂管辖")]


def test_all_mode_links_the_first_mention_of_a_section_bold_or_not(glossary):
    result = annotate_markdown("稀土在前，**稀土**在后。", glossary, mode="all")
    soup = BeautifulSoup(result.html, "html.parser")
    assert [link.get_text() for link in soup.select("[data-term]")] == ["稀土"]
    assert soup.select_one("[data-term]").strong is None
    assert soup.find("strong").find_parent("a") is None  # still bold, no longer a link


def test_bold_mode_links_a_term_bolded_twice_in_a_section_once(glossary):
    result = annotate_markdown("**稀土**与**稀土**。\n\n## 下一节\n\n**稀土**。", glossary)
    assert [t for t, _ in annotated(result.html)] == ["rare-earth"] * 2
    assert result.terms[0].count == 3


def test_first_mode_links_a_term_bolded_in_12_sections_10_times(glossary):
    result = annotate_markdown(sections(*["**实体清单**，以及长臂管辖和长臂管辖。"] * 12), glossary, mode="first")
    assert [t for t, _ in annotated(result.html)].count("entity-list") == 10
    assert [t for t, _ in annotated(result.html)].count("long-arm-jurisdiction") == 1
    assert [(t.id, t.count) for t in result.terms] == [("entity-list", 12), ("long-arm-jurisdiction", 1)]


def test_max_links_option_sets_the_limit_per_term(glossary):
    result = annotate_markdown(sections(*["稀土。"] * 6), glossary, mode="all", max_links=3)
    assert len(annotated(result.html)) == 3


def test_max_links_zero_links_every_mention(glossary):
    result = annotate_markdown(sections(*["稀土，稀土。"] * 15), glossary, mode="all", max_links=0)
    assert len(annotated(result.html)) == 30


def test_max_links_that_is_not_a_whole_number_is_rejected(glossary):
    for bad in (-1, 2.5, "3", True):
        with pytest.raises(ValueError, match="max_links"):
            annotate_markdown("稀土", glossary, mode="all", max_links=bad)


def test_html_heading_nested_in_a_section_element_starts_a_section(glossary):
    html = "<section><h2>一</h2><p>稀土，稀土</p></section><section><h2>二</h2><p>稀土</p></section>"
    assert len(annotated(annotate_html(html, glossary, mode="all").html)) == 2


def test_limited_annotation_annotated_again_is_unchanged(glossary):
    text = sections(*["**稀土**，稀土和实体清单。\n\n实体清单。"] * 12)
    for mode in ("bold", "first", "all"):
        first = annotate_markdown(text, glossary, mode=mode)
        assert [t for t, _ in annotated(first.html)].count("rare-earth") == 10, mode
        again = annotate_html(first.html, glossary, mode=mode)
        assert again.html == first.html, mode
        assert again.terms == first.terms, mode


def test_markdown_extension_takes_max_links(terms_file):
    md = markdown.Markdown(extensions=["glossary"], extension_configs={
        "glossary": {"glossary": str(terms_file), "mode": "all", "max_links": 2}})
    assert len(annotated(md.convert(sections(*["稀土"] * 5)))) == 2


# -- the article's own mode and limit (front matter) --------------------------------


def test_annotate_front_matter_key_sets_the_mode(glossary):
    result = annotate_untrusted_markdown("---\nannotate: all\n---\n提到实体清单。\n", glossary)
    assert annotated(result.html) == [("entity-list", "实体清单")]


def test_annotate_and_glossary_keys_that_disagree_are_an_error_naming_the_later_key(glossary):
    with pytest.raises(FrontMatterError, match="disagree") as caught:
        annotate_untrusted_markdown("---\nannotate: all\nglossary: bold\n---\n提到实体清单。\n", glossary)
    assert caught.value.key == "glossary"


def test_front_matter_max_links_overrides_the_default(glossary):
    text = "---\nannotate: all\nmax_links: 2\n---\n" + sections(*["稀土。"] * 5)
    assert len(annotated(annotate_untrusted_markdown(text, glossary).html)) == 2


def test_front_matter_max_links_that_is_not_a_number_is_a_front_matter_error(glossary):
    with pytest.raises(FrontMatterError, match="max_links") as caught:
        annotate_untrusted_markdown("---\nmax_links: many\n---\n稀土\n", glossary)
    assert caught.value.key == "max_links"


def test_untrusted_markdown_defaults_apply_where_the_front_matter_is_silent(glossary):
    text = sections(*["稀土。"] * 5)
    result = annotate_untrusted_markdown(text, glossary, default_mode="all", default_max_links=2)
    assert len(annotated(result.html)) == 2
    result = annotate_untrusted_markdown("---\nmax_links: 4\n---\n" + text, glossary,
                                         default_mode="all", default_max_links=2)
    assert len(annotated(result.html)) == 4
    result = annotate_untrusted_markdown("---\nannotate: bold\n---\n" + text, glossary, default_mode="all")
    assert annotated(result.html) == []
