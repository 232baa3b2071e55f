"""`glossary lint`: how the articles and terms.yaml fit together."""

from __future__ import annotations

import json

import pytest
from conftest import write_site

from glossary import parse_glossary
from glossary.cli import create_app, main
from glossary.editorial.lint import find_shadows, lint

TERMS = """\
terms:
  - id: entity-list
    term: 实体清单
    aliases: [实体名单]
    definition: 一份名单。
  - id: rare-earth
    term: 稀土
    definition: 十七种金属元素。
  - id: rare-earth-magnet
    term: 稀土磁体
    aliases: [稀土永磁体]
    definition: 用稀土制成的磁体。
  - id: us-china-trade
    term: 中美经贸
    aliases: [中美贸易]
    definition: 两国之间的贸易往来。
  - id: trade-war
    term: 贸易战
    definition: 以关税相互报复。
  - id: swift
    term: SWIFT
    definition: 报文网络。
  - id: swiftly
    term: LYNX
    aliases: [TLY]
    definition: 一个只为测试词边界而设的条目。
  - id: gallium
    term: 镓
    definition: 一种金属。
"""

ARTICLES = {
    "a.md": "**实体清单**扩大了。**弹性外交**和**弹性外交**都是新说法，稀土也被提到两次：稀土。\n",
    "b.md": "# 标题里的**弹性外交**不算\n\n"
            "**弹性外交**又来了，还有**新概念**。实体名单与**稀土永磁体**。中美贸易战升级。\n",
    "c.md": "**新概念**。`**弹性外交**`在代码里不算。[**弹性外交**](https://example.com)在链接里也不算。\n",
}


@pytest.fixture
def glossary():
    return parse_glossary(TERMS)


@pytest.fixture
def report(glossary):
    return lint(glossary, ARTICLES.items())


@pytest.fixture
def project(tmp_path):
    terms, folder = write_site(tmp_path, TERMS, ARTICLES)
    app = create_app({"GLOSSARY_TERMS": str(terms), "GLOSSARY_ARTICLES": str(folder),
                      "GLOSSARY_DATABASE_URL": f"sqlite:///{tmp_path / 'g.db'}"})
    return {"app": app, "articles": folder, "terms": terms}


def run(project, *args):
    return project["app"].test_cli_runner().invoke(main, [str(a) for a in args])


def test_bolded_phrases_not_in_the_glossary_are_counted_most_used_first(report):
    assert [(p.phrase, p.count, p.articles) for p in report.undefined] == [
        ("弹性外交", 3, ("a.md", "b.md")),
        ("新概念", 2, ("b.md", "c.md")),
    ]


def test_bold_phrase_in_a_heading_code_or_link_is_not_counted(report):
    assert report.undefined[0].count == 3  # two in a.md, one in b.md's body


def test_terms_no_article_uses_are_listed_in_glossary_order(report):
    # 贸易战 is written once, inside 中美贸易战, where 中美贸易 shadows it.
    assert [t.id for t in report.unused] == ["trade-war", "swift", "swiftly", "gallium"]


def test_term_mentioned_but_never_bolded_in_an_article_is_listed(report):
    assert [(u.article, u.id, u.count) for u in report.unbolded] == [
        ("a.md", "rare-earth", 2), ("b.md", "entity-list", 1), ("b.md", "us-china-trade", 1),
    ]


def test_unbolded_mention_names_the_spelling_the_article_writes(report):
    # b.md writes the alias 实体名单, not the headword 实体清单.
    found = {(u.article, u.id): (u.term, u.written) for u in report.unbolded}
    assert found[("b.md", "entity-list")] == ("实体清单", ("实体名单",))
    assert found[("a.md", "rare-earth")] == ("稀土", ("稀土",))


def test_unbolded_traditional_spelling_is_reported_as_written_most_used_first(glossary):
    result = lint(glossary, [("t.md", "實體清單、實體名單與實體清單。")])
    assert [(u.id, u.count, u.written) for u in result.unbolded] == [("entity-list", 3, ("實體清單", "實體名單"))]


def test_shadow_names_the_spelling_the_article_writes(glossary):
    result = lint(glossary, [("t.md", "中美貿易戰升級。")])
    shadow = next(s for s in result.shadows if s.spelling == "中美贸易")
    assert (shadow.example, shadow.articles, shadow.written) == ("中美贸易战", ("t.md",), ("中美貿易戰",))


def test_shadow_written_as_its_example_adds_no_spelling(report):
    assert next(s for s in report.shadows if s.spelling == "中美贸易").written == ()


def test_term_bolded_once_is_not_listed_for_its_plain_mentions(glossary):
    result = lint(glossary, [("x.md", "**稀土**很重要。稀土、稀土。")])
    assert result.unbolded == []


def test_alias_that_runs_into_another_term_shadows_it(report):
    shadows = [(s.spelling, s.kind, s.hides, s.example, s.reads_as) for s in report.shadows]
    assert ("中美贸易", "alias", "贸易战", "中美贸易战", ("中美贸易", "战")) in shadows


def test_shadow_names_the_articles_that_write_its_example(report):
    shadow = next(s for s in report.shadows if s.spelling == "中美贸易")
    assert shadow.articles == ("b.md",)


def test_spelling_inside_a_longer_one_is_not_a_shadow(report):
    # 稀土永磁体 contains 稀土: the longest match wins by design.
    assert not any(s.hidden_id == "rare-earth" or s.id == "rare-earth" for s in report.shadows)


def test_latin_overlap_at_a_word_boundary_is_not_a_shadow(glossary):
    # SWIFT + TLY overlap in "SWIFTLY", but a Latin key never matches inside a longer word.
    assert not any({s.id, s.hidden_id} == {"swift", "swiftly"} for s in find_shadows(glossary))


def test_headword_shadows_are_reported_as_terms():
    glossary = parse_glossary(TERMS.replace("aliases: [中美贸易]", "aliases: []").replace("中美经贸", "中美贸易"))
    shadows = [(s.spelling, s.kind) for s in find_shadows(glossary)]
    assert shadows == [("中美贸易", "term")]


def test_clean_articles_make_an_empty_report(glossary):
    small = parse_glossary("terms:\n  - id: chip\n    term: 芯片\n    definition: 集成电路。\n")
    result = lint(small, [("x.md", "**芯片**很重要。")])
    assert not result
    assert result.lines()[-1].startswith("1 article(s)")


def test_cli_text_report_has_a_section_per_finding(project):
    result = run(project, "lint")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for heading in ("Bolded phrases that are not terms (2)", "Terms no article uses (4)",
                    "Terms an article mentions but never bolds (3)", "Spellings that shadow another term"):
        assert heading in out
    assert f"  弹性外交  ×3  in {project['articles'] / 'a.md'}, {project['articles'] / 'b.md'}" in out


def test_cli_text_report_shows_the_article_spelling_and_the_headword(project):
    out = run(project, "lint").stdout
    assert f"  {project['articles'] / 'b.md'}: 实体名单 (entity-list: 实体清单) ×1" in out
    assert f"  {project['articles'] / 'a.md'}: 稀土 (rare-earth) ×2" in out


def test_cli_json_report_is_data_for_tools(project):
    result = run(project, "lint", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {"undefined", "unused", "unbolded", "shadows", "variants", "articles", "ignored"}
    assert data["undefined"][0] == {"phrase": "弹性外交", "count": 3,
                                    "articles": [str(project["articles"] / n) for n in ("a.md", "b.md")]}
    assert data["articles"] == 3


def test_cli_strict_exits_1_when_anything_is_found(project):
    assert run(project, "lint", "--strict").exit_code == 1


def test_cli_strict_exits_0_on_a_clean_article(project, tmp_path):
    terms = tmp_path / "small.yaml"
    terms.write_text("terms:\n  - id: chip\n    term: 芯片\n    definition: 集成电路。\n", encoding="utf-8")
    article = tmp_path / "clean.md"
    article.write_text("**芯片**很重要。\n", encoding="utf-8")
    result = run(project, "lint", "--strict", "--terms", terms, article)
    assert result.exit_code == 0, result.output


def test_cli_help_defines_a_shadow(project):
    out = run(project, "lint", "--help").stdout
    assert "shadows term B" in out and "longest match wins by design" in out


def test_cli_broken_terms_file_is_reported_with_its_line(project):
    project["terms"].write_text(TERMS.replace("    definition: 报文网络。\n", ""), encoding="utf-8")
    result = run(project, "lint")
    assert result.exit_code == 1
    assert f"{project['terms']}:20: missing required field 'definition'" in result.stderr
