"""Variants with status and region, not_in, and Traditional display (issue 16)."""

from __future__ import annotations

import pytest

from glossary import parse_glossary
from glossary.core.variants import Variant, heading, region_matches
from glossary.sources.termfile import GlossaryError

TERMS = """\
terms:
  - id: donald-trump
    term: 特朗普
    en: Donald Trump
    aliases:
      - form: 川普
        regions: [zh-TW]
        note: 台湾媒体常用
      - form: 特朗普总统
        status: deprecated
    definition: 美国第45任和第47任总统。
  - id: sanctions
    term: 制裁
    en: Sanctions
    not_in: [反制裁, 制裁者]
    definition: 一国为施压而限制与另一方往来的措施。
  - id: tariff
    term: 关税
    en: Tariff
    not_in: [关税同盟]
    definition: 进口货物入境时征收的税。
  - id: software
    term: 软件
    en: Software
    definition: 计算机程序及其文档，如操作系统软件。
"""


@pytest.fixture(scope="module")
def variants():
    return parse_glossary(TERMS, "variants.yaml")


def problems(text: str) -> list[str]:
    with pytest.raises(GlossaryError) as caught:
        parse_glossary(text, "t.yaml")
    return [str(p) for p in caught.value.problems]


def entry(aliases: str = "", not_in: str = "") -> str:
    return ("terms:\n  - id: donald-trump\n    term: 特朗普\n" + aliases + not_in
            + "    definition: 美国总统。\n")


# -- terms.yaml ----------------------------------------------------------------


def test_plain_string_alias_is_admitted_everywhere(glossary):
    term = glossary.by_id["donald-trump"]
    assert term.aliases == ("川普",) and term.variants == ()


def test_alias_object_keeps_status_regions_and_note(variants):
    term = variants.by_id["donald-trump"]
    assert term.aliases == ("川普", "特朗普总统")
    assert term.variants == (Variant("川普", "admitted", ("zh-TW",), "台湾媒体常用"),
                             Variant("特朗普总统", "deprecated"))


def test_alias_object_form_matches_like_a_plain_alias(variants):
    assert variants.lookup("特朗普總統").id == "donald-trump"


def test_check_unknown_status_names_its_line():
    text = entry("    aliases:\n      - form: 川普\n        status: forbidden\n")
    assert problems(text) == ["t.yaml:6: unknown status 'forbidden': use admitted or deprecated"]


def test_check_region_that_is_not_a_language_tag_names_its_line():
    text = entry("    aliases:\n      - form: 川普\n        regions: [zh-TW, zh_TW]\n")
    assert problems(text) == ["t.yaml:6: region 'zh_TW' is not a BCP 47 language tag (e.g. zh-TW, zh-HK, zh-Hant)"]


def test_check_alias_object_without_form_names_its_line():
    text = entry("    aliases:\n      - 川普\n      - status: deprecated\n")
    assert problems(text) == ["t.yaml:6: an alias object needs 'form', the spelling "
                              "(e.g. {form: 川普, regions: [zh-TW]})"]


def test_check_not_in_without_a_key_of_the_term_names_its_line():
    text = entry("    aliases: [川普]\n", "    not_in:\n      - 川普政府\n      - 拜登政府\n")
    assert problems(text) == ["t.yaml:7: not_in '拜登政府' does not contain '特朗普' or an alias: "
                              "it can rule nothing out"]


def test_check_not_in_holding_a_traditional_spelling_of_the_key_is_accepted():
    glossary = parse_glossary(entry("", "    not_in: [特朗普主義]\n"))
    assert glossary.by_id["donald-trump"].not_in == ("特朗普主義",)


def test_check_unknown_key_in_an_alias_object_is_named():
    text = entry("    aliases:\n      - {form: 川普, region: zh-TW}\n")
    assert problems(text) == ["t.yaml:5: unknown key 'region': did you mean 'regions'? in an alias object"]


def test_to_dict_writes_alias_objects_and_not_in_as_terms_yaml_does(variants):
    data = variants.by_id["donald-trump"].to_dict()
    assert data["aliases"] == [{"form": "川普", "regions": ["zh-TW"], "note": "台湾媒体常用"},
                               {"form": "特朗普总统", "status": "deprecated"}]
    assert variants.by_id["sanctions"].to_dict()["not_in"] == ["反制裁", "制裁者"]


# -- regions and the popover's headword -------------------------------------------


@pytest.mark.parametrize(("region", "lang", "expected"), [
    ("zh-TW", "zh-TW", True), ("zh-TW", "zh-Hant-TW", True), ("zh-TW", "zh-tw", True),
    ("zh-Hant", "zh-Hant-HK", True), ("zh", "zh-Hans", True),
    ("zh-TW", "zh-HK", False), ("zh-TW", "zh-Hans", False), ("zh-TW", "zh", False), ("zh-TW", None, False),
])
def test_region_matches_an_article_language(region, lang, expected):
    assert region_matches(region, lang) is expected


def test_heading_in_an_article_of_the_variants_region_leads_with_the_variant(variants):
    assert heading(variants.by_id["donald-trump"], "zh-TW", ["特朗普"]) == ("川普", "特朗普", ())


def test_heading_elsewhere_names_the_spellings_the_article_used(variants):
    assert heading(variants.by_id["donald-trump"], "zh-Hans", ["特朗普", "川普", "特朗普總統"]) == (
        "特朗普", None, ("川普", "特朗普總統"))


def test_heading_of_a_headword_written_in_traditional_is_plain(variants):
    assert heading(variants.by_id["donald-trump"], "zh-Hans", ["特朗普"]) is None


# -- the store keeps them -----------------------------------------------------------


def test_store_gives_back_variants_and_not_in(tmp_path, database_url):
    from glossary.store import Store

    store = Store(database_url)
    glossary = parse_glossary(TERMS, "variants.yaml")
    store.sync(glossary, [])
    loaded = store.load_glossary()
    assert list(loaded) == list(glossary)


def test_store_reports_a_changed_status_as_a_changed_term(tmp_path, database_url):
    from glossary.store import Store

    store = Store(database_url)
    store.sync(parse_glossary(TERMS, "variants.yaml"), [])
    changes = store.sync(parse_glossary(TERMS.replace("status: deprecated", "status: admitted"), "v.yaml"), [])
    assert changes.changed["terms"] == ["donald-trump"]
    assert store.load_glossary().by_id["donald-trump"].variants[1].status == "admitted"


# -- not_in: no mention inside a string the editors ruled out ---------------------------

MODES = ["bold", "first", "all"]


def mentions(glossary, text: str, mode: str) -> list[tuple[str, str, int]]:
    from glossary import annotate_markdown

    result = annotate_markdown(text, glossary, mode, max_links=0)
    return [(o.term_id, o.text, o.position) for o in result.occurrences]


@pytest.mark.parametrize("mode", ["first", "all"])
def test_not_in_rules_out_a_plain_match_at_the_start_of_a_paragraph(variants, mode):
    assert mentions(variants, "反制裁措施出台。", mode) == []


@pytest.mark.parametrize("mode", ["first", "all"])
def test_not_in_rules_out_a_plain_match_at_the_end_of_a_paragraph(variants, mode):
    assert mentions(variants, "他们宣布了反制裁\n\n最后是制裁者", mode) == []


@pytest.mark.parametrize("mode", ["first", "all"])
def test_not_in_leaves_the_same_key_elsewhere_a_mention(variants, mode):
    assert mentions(variants, "反制裁之后，制裁升级。", mode) == [("sanctions", "制裁", 6)]


@pytest.mark.parametrize("mode", ["first", "all"])
def test_not_in_rules_out_a_match_in_traditional_text(variants, mode):
    assert mentions(variants, "關稅同盟之外，另有關稅。", mode) == [("tariff", "關稅", 9)]


@pytest.mark.parametrize("mode", MODES)
def test_not_in_rules_out_a_bold_phrase_inside_the_string(variants, mode):
    assert mentions(variants, "反**制裁**与**制裁**者，再说**制裁**。", mode) == [("sanctions", "制裁", 10)]


@pytest.mark.parametrize("mode", MODES)
def test_not_in_rules_out_a_bold_phrase_at_the_start_of_a_paragraph(variants, mode):
    assert mentions(variants, "**制裁**者来了。", mode) == []


@pytest.mark.parametrize("mode", MODES)
def test_not_in_rules_out_a_bold_traditional_phrase(variants, mode):
    assert mentions(variants, "宣布反**製裁**", mode) == []


def test_not_in_string_that_is_its_own_term_is_still_found():
    glossary = parse_glossary(TERMS + "  - id: customs-union\n    term: 关税同盟\n    definition: 成员间免除关税。\n")
    assert mentions(glossary, "关税同盟内部", "all") == [("customs-union", "关税同盟", 0)]


def test_not_in_lets_a_match_it_hid_be_found():
    text = ("terms:\n  - id: mhre\n    term: 中重稀土\n    not_in: [中重稀土磁体]\n    definition: 一类稀土。\n"
            "  - id: magnet\n    term: 稀土磁体\n    definition: 用稀土制成的磁体。\n")
    assert mentions(parse_glossary(text), "中重稀土磁体与中重稀土", "all") == [
        ("magnet", "稀土磁体", 2), ("mhre", "中重稀土", 7)]


def test_not_in_changed_alone_takes_effect_on_a_reload(variants):
    first = parse_glossary(TERMS.replace("not_in: [反制裁, 制裁者]", "not_in: [反制裁]"))
    assert mentions(first, "制裁者", "all") == [("sanctions", "制裁", 0)]
    second = parse_glossary(TERMS)
    second.reuse_compiled(first)
    assert mentions(second, "制裁者", "all") == []
