"""Variants with status and region, not_in, and Traditional display (issue 16)."""

from __future__ import annotations

import pytest

from glossary import parse_glossary
from glossary.core.compiled import CompiledGlossary
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
    compiled = CompiledGlossary(first)
    compiled.matcher  # noqa: B018 (built, to be taken over)
    second = CompiledGlossary(parse_glossary(TERMS), previous=compiled)
    assert second.matcher.longest is compiled.matcher.longest  # the keys' automaton is taken over
    assert mentions(second, "制裁者", "all") == []


# -- Traditional display and the notes' headword ------------------------------------------


def notes_of(html: str) -> list[tuple[str, str]]:
    import lxml.html

    root = lxml.html.fragment_fromstring(html, create_parent="div")
    listing = "//dl[@data-glossary='list']"
    return [(dt.text_content(), dd.text_content())
            for dt, dd in zip(root.xpath(listing + "/dt"), root.xpath(listing + "/dd"), strict=True)]


def test_traditional_article_gets_its_notes_converted_with_the_taiwan_profile(variants):
    from glossary import annotate_markdown

    result = annotate_markdown("---\nlang: zh-TW\n---\n**軟件**很重要。", variants)
    assert notes_of(result.html) == [("軟體 Software", "計算機程式及其文件，如作業系統軟體。")]


def test_hong_kong_article_gets_the_hong_kong_profile(variants):
    from glossary import annotate_markdown

    result = annotate_markdown("**软件**", variants, lang="zh-HK")
    assert notes_of(result.html) == [("軟件 Software", "計算機程序及其文檔，如操作系統軟件。")]


def test_zh_hant_article_gets_plain_traditional_characters(variants):
    from glossary import annotate_markdown

    assert notes_of(annotate_markdown("**软件**", variants, lang="zh-Hant").html)[0][0] == "軟件 Software"


def test_simplified_article_notes_are_as_stored(variants):
    from glossary import annotate_markdown

    assert notes_of(annotate_markdown("**軟件**", variants, lang="zh-Hans").html)[0][0] == "软件 Software"


def test_traditional_article_text_itself_is_left_as_written(variants):
    from glossary import annotate_markdown

    html = annotate_markdown("**软件**与芯片", variants, lang="zh-TW").html
    assert html.startswith('<p><a aria-describedby="gl-software" data-term="software" href="/terms/software">'
                           "<strong>软件</strong></a>与芯片</p>")


def test_traditional_notes_title_is_converted(variants):
    from glossary import annotate_markdown

    assert 'aria-label="本文術語"' in annotate_markdown("**软件**", variants, lang="zh-TW").html


def test_regional_form_heads_the_note_with_the_preferred_headword_after_it(variants):
    from glossary import annotate_markdown

    result = annotate_markdown("---\nlang: zh-TW\n---\n**川普**說", variants)
    assert notes_of(result.html)[0] == ("川普（特朗普） Donald Trump", "美國第45任和第47任總統。")


def test_regional_form_heads_the_note_even_where_the_article_wrote_the_headword(variants):
    from glossary import annotate_markdown

    assert notes_of(annotate_markdown("**特朗普**", variants, lang="zh-Hant-TW").html)[0][0] == (
        "川普（特朗普） Donald Trump")


def test_elsewhere_the_note_names_the_spelling_the_article_matched(variants):
    from glossary import annotate_markdown

    result = annotate_markdown("**川普**与特朗普總統", variants, mode="all")
    assert notes_of(result.html)[0][0] == "特朗普（文中作：川普、特朗普總統） Donald Trump"


def test_linked_headword_of_a_regional_note_keeps_the_preferred_one_outside_the_link(variants):
    from glossary import annotate_markdown

    html = annotate_markdown("**川普**", variants, lang="zh-TW", link_notes=True).html
    assert '<dt><a href="/terms/donald-trump">川普</a>（特朗普） <span lang="en">Donald Trump</span></dt>' in html


def test_html_input_takes_the_lang_option(variants):
    from glossary import annotate_html

    assert notes_of(annotate_html("<p><b>软件</b></p>", variants, lang="zh-TW").html)[0][0] == "軟體 Software"


def test_conversion_cache_keeps_no_glossary_alive(variants):
    import gc
    import weakref

    from glossary import annotate_markdown

    glossary = parse_glossary(TERMS, "cache.yaml")
    annotate_markdown("**川普**与软件", glossary, lang="zh-TW")
    gone = weakref.ref(glossary)
    del glossary
    gc.collect()
    assert gone() is None


# -- the site and the API ----------------------------------------------------------------

TW_ARTICLE = """\
---
title: 台灣讀者的一篇
lang: zh-TW
---

**川普**談到**軟件**出口。
"""


@pytest.fixture
def client(tmp_path, variants):
    from glossary.cli import create_app
    from glossary.sources.articles import read_article

    app = create_app({"GLOSSARY_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}"})
    (tmp_path / "tw.md").write_text(TW_ARTICLE, encoding="utf-8")
    app.extensions["glossary"].store.sync(variants, [read_article(tmp_path / "tw.md")])
    return app.test_client()


def test_article_page_in_zh_tw_shows_traditional_notes_with_the_regional_headword(client):
    page = client.get("/articles/tw").get_data(as_text=True)
    assert '<dt><a href="/terms/donald-trump">川普</a>（特朗普） <span lang="en">Donald Trump</span></dt>' in page
    assert ">美國第45任和第47任總統。</dd>" in page and ">軟體</a> <span" in page


def test_term_page_with_lang_shows_the_term_in_traditional(client):
    page = client.get("/terms/software?lang=zh-TW").get_data(as_text=True)
    assert '<html lang="zh-TW">' in page and "<h1>軟體</h1>" in page and "作業系統軟體" in page


def test_term_page_without_lang_shows_the_term_as_stored(client):
    page = client.get("/terms/software").get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page and "<h1>软件</h1>" in page


def test_api_lang_converts_the_notes(client):
    body = client.post("/api/annotate", json={"markdown": "**软件**", "lang": "zh-TW"}).get_json()
    assert notes_of(body["html"]) == [("軟體 Software", "計算機程式及其文件，如作業系統軟體。")]


def test_api_lang_defaults_to_the_front_matter(client):
    body = client.post("/api/annotate", json={"markdown": "---\nlang: zh-HK\n---\n**软件**"}).get_json()
    assert notes_of(body["html"])[0][0] == "軟件 Software"


def test_api_lang_changes_the_etag(client):
    plain = client.post("/api/annotate", json={"markdown": "**软件**"})
    taiwan = client.post("/api/annotate", json={"markdown": "**软件**", "lang": "zh-TW"})
    assert plain.headers["ETag"] != taiwan.headers["ETag"]


def test_api_lang_that_is_not_a_language_tag_is_a_400(client):
    response = client.post("/api/annotate", json={"markdown": "**软件**", "lang": "Taiwan!"})
    assert response.status_code == 400 and "BCP 47" in response.get_json()["detail"]


def test_api_terms_lists_the_variants_with_status_and_regions(client):
    entry = client.get("/api/terms/donald-trump").get_json()
    assert entry["variants"] == [
        {"form": "川普", "status": "admitted", "regions": ["zh-TW"], "note": "台湾媒体常用"},
        {"form": "特朗普总统", "status": "deprecated", "regions": [], "note": None}]
    assert client.get("/api/terms?q=制裁").get_json()["terms"][0]["not_in"] == ["反制裁", "制裁者"]


def test_term_page_lists_each_variant_with_its_status_and_region(client):
    page = client.get("/terms/donald-trump").get_data(as_text=True)
    assert ('又作：<span>川普</span><small class="regions">（<span lang="en">zh-TW</span>常用）</small>、'
            '<span>特朗普总统</span><small class="status">（不宜使用）</small></p>') in page


# -- lint -----------------------------------------------------------------------------

LINT_ARTICLE = """\
---
title: 一篇
lang: zh-Hans
---

# 特朗普总统的标题

开头一段提到特朗普。

**特朗普总统**宣布了新关税。

- 列表里的特朗普总统
- 还有`特朗普总统`在代码里

川普也来了。
"""


@pytest.fixture
def lint_project(tmp_path):
    from glossary.cli import create_app

    terms = tmp_path / "terms.yaml"
    terms.write_text(TERMS, encoding="utf-8")
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.md").write_text(LINT_ARTICLE, encoding="utf-8")
    (folder / "tw.md").write_text("---\nlang: zh-TW\n---\n\n**川普**說。\n", encoding="utf-8")
    app = create_app({"GLOSSARY_TERMS": str(terms), "GLOSSARY_ARTICLES": str(folder),
                      "GLOSSARY_DATABASE_URL": f"sqlite:///{tmp_path / 'g.db'}"})
    return {"app": app, "articles": folder, "terms": terms}


def lint_run(project, *args):
    from glossary.cli import main

    return project["app"].test_cli_runner().invoke(main, ["lint", *map(str, args)])


def test_lint_reports_each_use_of_a_deprecated_form_with_its_line(lint_project):
    result = lint_run(lint_project)
    article = lint_project["articles"] / "a.md"
    assert result.stdout.splitlines()[:2] == [f"{article}:10: 特朗普总统 is deprecated: use 特朗普",
                                              f"{article}:12: 特朗普总统 is deprecated: use 特朗普"]


def test_lint_deprecated_forms_in_json(lint_project):
    import json

    data = json.loads(lint_run(lint_project, "--format", "json").stdout)
    assert [(v["line"], v["written"], v["id"], v["use"], v["kind"]) for v in data["variants"]] == [
        (10, "特朗普总统", "donald-trump", "特朗普", "deprecated"),
        (12, "特朗普总统", "donald-trump", "特朗普", "deprecated")]


def test_lint_regional_form_is_reported_only_when_strict(lint_project):
    assert " is regional" not in lint_run(lint_project).stdout
    out = lint_run(lint_project, "--strict").stdout
    assert f"{lint_project['articles'] / 'a.md'}:15: 川普 is regional (zh-TW): use 特朗普" in out


def test_lint_regional_form_in_an_article_of_its_region_is_not_reported(lint_project):
    assert "tw.md" not in lint_run(lint_project, "--strict").stdout.split("Bolded")[0]


def test_lint_strict_fails_on_a_deprecated_form(lint_project):
    assert lint_run(lint_project, "--strict").exit_code == 1


def test_lint_strict_passes_with_only_unused_terms_and_unbolded_mentions(tmp_path):
    from glossary.cli import create_app

    terms = tmp_path / "terms.yaml"
    terms.write_text(TERMS, encoding="utf-8")
    article = tmp_path / "a.md"
    article.write_text("提到特朗普，没有加粗。\n", encoding="utf-8")
    app = create_app({"GLOSSARY_TERMS": str(terms), "GLOSSARY_DATABASE_URL": f"sqlite:///{tmp_path / 'g.db'}"})
    result = app.test_cli_runner().invoke(__import__("glossary.cli", fromlist=["main"]).main,
                                          ["lint", "--strict", str(article)])
    assert result.exit_code == 0, result.output
    assert "3 unused term(s), 1 term(s) mentioned but never bolded" in result.stdout


SHADOWED = """\
terms:
  - id: us-china-trade
    term: 中美贸易
    definition: 两国之间的贸易往来。
  - id: trade-war
    term: 贸易战
    definition: 以关税相互报复。
"""


def test_lint_ignore_accepts_a_shadow_pair():
    from glossary.editorial.lint import lint

    glossary = parse_glossary(SHADOWED)
    assert len(lint(glossary, []).shadows) == 1
    report = lint(glossary, [], ignore=[("中美貿易", "贸易战")])
    assert report.shadows == [] and report.ignored == 1


def test_lint_ignore_is_read_from_terms_yaml(tmp_path):
    from glossary.sources.termfile import lint_ignore

    text = "lint:\n  ignore:\n    - [中美贸易, 贸易战]\n" + SHADOWED
    parse_glossary(text)
    assert lint_ignore(text) == [("中美贸易", "贸易战")]


def test_check_lint_ignore_naming_no_term_names_its_line():
    assert problems("lint:\n  ignore:\n    - [中美贸易, 关税战]\n" + SHADOWED) == [
        "t.yaml:3: '关税战' in 'lint.ignore' is not a spelling of any term"]


def test_check_lint_ignore_item_that_is_not_a_pair_names_its_line():
    assert problems("lint:\n  ignore:\n    - 中美贸易\n" + SHADOWED) == [
        "t.yaml:3: each item of 'lint.ignore' is a pair [spelling, hidden spelling], "
        "e.g. lint: {ignore: [[贝森特, 特朗普]]}"]


def test_shipped_glossary_and_articles_pass_lint_strict(tmp_path):
    from pathlib import Path

    from glossary.cli import create_app

    root = Path(__file__).resolve().parent.parent
    project = {"app": create_app({"GLOSSARY_TERMS": str(root / "terms.yaml"),
                                  "GLOSSARY_ARTICLES": str(root / "articles"),
                                  "GLOSSARY_DATABASE_URL": f"sqlite:///{tmp_path / 'g.db'}"})}
    result = lint_run(project, "--strict")
    assert result.exit_code == 0, result.output
    assert "; 0 warning(s);" in result.stdout


# -- harvest: alias-aware, tolerant names ------------------------------------------------


def harvest_findings(tmp_path, text: str, terms: str) -> list[str]:
    from glossary.editorial.harvest import harvest
    from glossary.sources.articles import read_articles

    article = tmp_path / "g.md"
    article.write_text(text, encoding="utf-8")
    articles, _ = read_articles([article])
    return [f.kind for f in harvest(parse_glossary(terms), articles).findings]


ENTITY = ("terms:\n  - id: entity-list\n    term: 实体清单\n    en: Entity List\n    aliases: [EL]\n"
          "    definition: 一份名单。\n")


@pytest.mark.parametrize("name", ["Entity-List", "entity list", "ENTITY  LIST", "Entity‐List"])
def test_harvest_gloss_naming_the_term_with_other_hyphens_case_or_spacing_agrees(tmp_path, name):
    assert harvest_findings(tmp_path, f"**实体清单**（{name}: 一份名单）\n", ENTITY) == []


def test_harvest_gloss_naming_the_term_by_an_alias_agrees(tmp_path):
    assert harvest_findings(tmp_path, "**实体清单**（EL: 一份名单）\n", ENTITY) == []


def test_harvest_gloss_naming_the_term_otherwise_is_still_a_disagreement(tmp_path):
    assert harvest_findings(tmp_path, "**实体清单**（Blacklist: 一份名单）\n", ENTITY) == ["en"]


def test_harvest_new_phrase_glossed_with_an_existing_name_written_with_a_hyphen_suggests_an_alias(tmp_path):
    assert harvest_findings(tmp_path, "**实体名录**（Entity-List: 一份名单）\n", ENTITY) == ["alias"]


def test_harvest_of_the_sample_articles_reports_no_name_disagreement():
    from pathlib import Path

    from glossary import load_glossary
    from glossary.editorial.harvest import harvest
    from glossary.sources.articles import read_articles

    root = Path(__file__).resolve().parent.parent
    articles, problems = read_articles([root / "articles"])
    result = harvest(load_glossary(root / "terms.yaml"), articles)
    assert not problems and result.glosses > 10
    assert [f for f in result.findings if f.kind in ("en", "alias", "variant")] == []


# -- exports -------------------------------------------------------------------------------


def test_tbx_gives_each_variant_its_administrative_status_and_region(variants):
    from lxml import etree

    from glossary.editorial.exchange import export_glossary

    root = etree.fromstring(export_glossary(variants, "tbx").encode())
    ns = {"t": "urn:iso:std:iso:30042:ed-2"}
    sections = root.xpath("//t:conceptEntry[@id='donald-trump']/t:langSec[@xml:lang='zh']/t:termSec", namespaces=ns)
    found = [(s.findtext("t:term", namespaces=ns),
              s.xpath("t:termNote[@type='administrativeStatus']/text()", namespaces=ns),
              s.xpath("t:termNote[@type='geographicalUsage']/text()", namespaces=ns),
              s.findtext("t:note", namespaces=ns)) for s in sections]
    assert found == [("特朗普", ["preferredTerm-admn-sts"], [], None),
                     ("川普", ["admittedTerm-admn-sts"], ["zh-TW"], "台湾媒体常用"),
                     ("特朗普总统", ["deprecatedTerm-admn-sts"], [], None)]


def test_skos_deprecated_form_is_a_hidden_label_and_a_regional_one_carries_its_region(variants):
    import json

    from glossary.editorial.exchange import export_glossary

    graph = json.loads(export_glossary(variants, "skos-jsonld"))["@graph"]
    trump = next(node for node in graph if node["@id"] == "urn:glossary:donald-trump")
    assert trump["skos:altLabel"] == [{"@value": "川普", "@language": "zh-TW"}]
    assert trump["skos:hiddenLabel"] == [{"@value": "特朗普总统", "@language": "zh"}]
    turtle = export_glossary(variants, "skos")
    assert 'skos:altLabel "川普"@zh-TW' in turtle and 'skos:hiddenLabel "特朗普总统"@zh' in turtle


def test_json_export_round_trips_variants_and_not_in(variants):
    from glossary.editorial.exchange import export_glossary, import_glossary

    again = import_glossary(export_glossary(variants, "json").encode(), "t.json", "json")
    assert list(again) == list(variants)


def test_csv_export_round_trips_variants_and_not_in(variants):
    from glossary.editorial.exchange import export_glossary, import_glossary

    again = import_glossary(export_glossary(variants, "csv").encode(), "t.csv", "csv")
    assert list(again) == list(variants)
