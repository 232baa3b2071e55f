"""`glossary harvest`: inline glosses become terms.yaml entries."""

from __future__ import annotations

import pytest
from conftest import write_site

from glossary import parse_glossary
from glossary.cli import create_app, main
from glossary.editorial.harvest import harvest, propose_id
from glossary.sources.articles import read_articles

TERMS = """\
# 编辑维护的术语表：注释必须保留。
terms:
  # --- 出口管制 ---
  - id: entity-list            # 商务部名单
    term: 实体清单
    en: Entity List
    definition: 美国商务部公布的一份名单，名单上的企业要取得美国物项须先获许可。

  - id: secondary-sanctions
    term: 二级制裁
    definition: 针对与受制裁方往来的第三方所施加的制裁。
# 文件结尾的注释
"""

# Glosses in every accepted shape: full-width and ASCII brackets, both colons.
ARTICLE_A = """\
---
title: 管制工具
---

美国扩大了**外国直接产品规则**（Foreign Direct Product Rule：把美国管辖延伸到境外产品的规则），
又把企业列入**实体清单**（Entity List: 受许可要求约束的名单）。

**弹性施压**(Flexible Pressure: 时紧时松的施压方式)也常被提起。
"""

ARTICLE_B = """\
# 二稿

**外国直接产品规则**（Foreign Direct Product Rule：把美国管辖延伸到境外产品的规则）再次出现，
**二级制裁**（Secondary Sanctions：针对第三方的制裁）也一样。
**弹性施压**（Elastic Pressure: 一种完全不同的说法）。
**实体名单**（Entity List: 另一种叫法）。
"""


@pytest.fixture
def project(tmp_path):
    terms, articles = write_site(tmp_path, TERMS, {"a.md": ARTICLE_A, "b.md": ARTICLE_B})
    app = create_app({"GLOSSARY_TERMS": str(terms), "GLOSSARY_ARTICLES": str(articles),
                      "GLOSSARY_DATABASE_URL": f"sqlite:///{tmp_path / 'g.db'}"})
    return {"terms": terms, "articles": articles, "app": app, "tmp": tmp_path}


def run(project, *args):
    return project["app"].test_cli_runner().invoke(main, [str(a) for a in args])


def harvested(project):
    articles, problems = read_articles([project["articles"]])
    assert problems == []
    return harvest(parse_glossary(TERMS), articles)


def test_new_glosses_become_proposals_in_order_of_first_appearance(project):
    proposals = harvested(project).proposals
    assert [(p.term.id, p.term.term, p.term.en, p.term.definition) for p in proposals] == [
        ("foreign-direct-product-rule", "外国直接产品规则", "Foreign Direct Product Rule",
         "把美国管辖延伸到境外产品的规则"),
        ("flexible-pressure", "弹性施压", "Flexible Pressure", "时紧时松的施压方式"),
    ]


def test_proposal_lists_every_article_and_line_that_glosses_it(project):
    first = harvested(project).proposals[0]
    assert [str(s) for s in first.sources] == [f"{project['articles'] / 'a.md'}:5", f"{project['articles'] / 'b.md'}:3"]
    assert first.entry().comment == "from " + ", ".join(str(s) for s in first.sources)


def test_gloss_that_disagrees_with_the_stored_definition_is_reported(project):
    findings = [f for f in harvested(project).findings if f.kind == "definition"]
    assert [(f.term_id, f.source.line) for f in findings] == [("entity-list", 6), ("secondary-sanctions", 4)]


def test_gloss_of_a_term_without_en_is_reported(project):
    findings = [f for f in harvested(project).findings if f.kind == "en"]
    assert [(f.term_id, f.source.line) for f in findings] == [("secondary-sanctions", 4)]
    assert "Secondary Sanctions" in findings[0].message


def test_gloss_naming_the_stored_en_agrees(project):
    findings = harvested(project).findings
    assert not any(f.kind == "en" and f.term_id == "entity-list" for f in findings)


def test_gloss_that_names_an_existing_term_suggests_an_alias(project):
    findings = [f for f in harvested(project).findings if f.kind == "alias"]
    assert [(f.term_id, f.source.line) for f in findings] == [("entity-list", 6)]
    assert "实体名单" in findings[0].message


def test_phrase_glossed_differently_in_two_articles_is_reported_and_first_proposed(project):
    result = harvested(project)
    variants = [f for f in result.findings if f.kind == "variant"]
    assert len(variants) == 1 and "Elastic Pressure" in variants[0].message
    assert result.proposals[1].term.en == "Flexible Pressure"


def test_shortened_gloss_of_the_stored_definition_agrees(tmp_path):
    article = tmp_path / "c.md"
    article.write_text("**实体清单**（Entity List: 美国商务部公布的一份*名单*）\n", encoding="utf-8")
    articles, _ = read_articles([article])
    assert harvest(parse_glossary(TERMS), articles).findings == []


def test_proposed_id_is_unique_against_existing_ids():
    assert propose_id("Entity-List", "实体清单甲", {"entity-list"}) == "entity-list-2"
    assert propose_id("Entity List", "x", {"entity-list", "entity-list-2"}) == "entity-list-3"


def test_proposed_id_falls_back_to_the_phrase_then_to_term():
    assert propose_id("环球银行金融电信协会", "SWIFT", set()) == "swift"
    assert propose_id("环球银行", "环球", {"term"}) == "term-2"
    assert propose_id("Zölle & Tarife", "x", set()) == "zolle-tarife"


def test_proposed_id_is_a_valid_slug_of_bounded_length():
    slug = propose_id("A " * 100 + "very long name", "x", set())
    assert len(slug) <= 60 and slug.startswith("a-a-")


def test_cli_prints_entries_that_paste_under_terms(project):
    result = run(project, "harvest")
    assert result.exit_code == 0, result.output
    pasted = TERMS + result.stdout
    assert [t.id for t in parse_glossary(pasted)][-2:] == ["foreign-direct-product-rule", "flexible-pressure"]
    assert f"  # from {project['articles'] / 'a.md'}:5, {project['articles'] / 'b.md'}:3\n" in result.stdout


def test_cli_reports_disagreements_and_a_summary_on_stderr(project):
    result = run(project, "harvest")
    assert f"{project['articles'] / 'b.md'}:4: **二级制裁** is glossed as 'Secondary Sanctions'" in result.stderr
    assert "2 new term(s) from 7 gloss(es) in 2 article(s)" in result.stderr.splitlines()[-1]


def test_cli_write_keeps_the_commented_file_byte_for_byte_and_passes_check(project):
    before = project["terms"].read_bytes()
    result = run(project, "harvest", "--write")
    assert result.exit_code == 0, result.output
    after = project["terms"].read_bytes()
    assert after.startswith(before)
    assert b"# from " in after[len(before):]
    check = run(project, "check")
    assert check.exit_code == 0, check.output
    assert "4 terms" in check.stdout


def test_cli_write_twice_adds_nothing_the_second_time(project):
    assert run(project, "harvest", "--write").exit_code == 0
    once = project["terms"].read_bytes()
    second = run(project, "harvest", "--write")
    assert second.exit_code == 0
    assert "added 0 term(s)" in second.stdout
    assert project["terms"].read_bytes() == once


def test_cli_write_creates_terms_yaml_when_there_is_none(project):
    project["terms"].unlink()
    result = run(project, "harvest", "--write")
    assert result.exit_code == 0, result.output
    written = parse_glossary(project["terms"].read_bytes())
    # 实体名单 names Entity List, like 实体清单: suggested as its alias, not a second term.
    assert [t.id for t in written] == ["foreign-direct-product-rule", "entity-list", "flexible-pressure",
                                       "secondary-sanctions"]
    assert "'entity-list' (实体清单): add '实体名单' to its aliases?" in result.stderr


def test_cli_harvests_only_the_articles_named(project):
    result = run(project, "harvest", project["articles"] / "a.md")
    assert "in 1 article(s)" in result.stderr


def test_cli_with_a_broken_article_names_it_and_writes_nothing(project):
    (project["articles"] / "broken.md").write_text("---\ntitle: [unclosed\n---\n正文\n", encoding="utf-8")
    before = project["terms"].read_bytes()
    result = run(project, "harvest", "--write")
    assert result.exit_code == 1
    assert f"{project['articles'] / 'broken.md'}:" in result.stderr
    assert project["terms"].read_bytes() == before


def test_cli_with_a_broken_terms_file_names_its_line_and_writes_nothing(project):
    broken = TERMS.replace("    term: 二级制裁\n", "")
    project["terms"].write_text(broken, encoding="utf-8")
    result = run(project, "harvest", "--write")
    assert result.exit_code == 1
    assert f"{project['terms']}:9: missing required field 'term'" in result.stderr
    assert project["terms"].read_text(encoding="utf-8") == broken


def test_cli_missing_article_path_is_an_error(project):
    result = run(project, "harvest", project["tmp"] / "nowhere.md")
    assert result.exit_code == 1
    assert "nowhere.md: no such file or folder" in result.stderr
