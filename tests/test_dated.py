"""Dated definitions where readers meet them: notes, popovers, the API and the CLI (issue 15)."""

from __future__ import annotations

import json
from datetime import date

import lxml.html
import pytest

from glossary import annotate_html, annotate_markdown, parse_glossary
from glossary.cli import create_app, main
from glossary.core.annotator import Annotator
from glossary.core.compiled import CompiledGlossary
from glossary.core.options import Options
from glossary.render.converter import Converter
from glossary.render.serialize import to_html

DATED = """\
terms:
  - id: entity-list
    term: 实体清单
    en: Entity List
    definition: 现行定义，含关联方规则。
    as_of: 2025-09-29
    sources:
      - url: https://www.ecfr.gov/current/title-15/part-744
        title: 15 CFR Part 744
      - https://www.federalregister.gov/
    history:
      - until: 2025-09-28
        definition: 关联方规则之前的定义。
        sources:
          - url: https://www.bis.gov/
      - until: 2020-05-14
        definition: 最早的定义。
  - id: swift
    term: SWIFT
    definition: 跨境支付报文网络。
"""


@pytest.fixture(scope="module")
def dated():
    return parse_glossary(DATED, "terms.yaml")


def definition(html: str, term_id: str):
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return root.xpath(f"//dd[@data-for='{term_id}']")[0]


@pytest.mark.parametrize(("day", "expected"), [
    (date(2020, 5, 14), "最早的定义。"),
    (date(2020, 5, 15), "关联方规则之前的定义。"),
    (date(2025, 9, 28), "关联方规则之前的定义。"),
    (date(2025, 9, 29), "现行定义，含关联方规则。"),
    (None, "现行定义，含关联方规则。"),
])
def test_notes_give_the_definition_in_force_on_the_articles_date(dated, day, expected):
    dd = definition(annotate_markdown("**实体清单**", dated, date=day).html, "entity-list")
    assert dd.text_content().startswith(expected)


def test_an_earlier_definition_says_its_period_and_links_to_the_history(dated):
    dd = definition(annotate_markdown("**实体清单**", dated, date=date(2024, 1, 1)).html, "entity-list")
    assert "2020-05-15 至 2025-09-28 的定义" in dd.xpath(".//*[@data-glossary='dated']")[0].text_content()
    changed = dd.xpath(".//a[@data-glossary='changed']")[0]
    assert changed.get("href") == "/terms/entity-list#history"
    assert changed.text == "此后定义已有变化"
    assert [a.get("href") for a in dd.xpath(".//*[@data-glossary='dated']//a")] == ["https://www.bis.gov/"]


def test_the_current_definition_gives_its_as_of_and_sources_as_links(dated):
    dd = definition(annotate_markdown("**实体清单**", dated).html, "entity-list")
    dated_part = dd.xpath(".//*[@data-glossary='dated']")[0]
    assert dated_part.text_content() == "（核实于 2025-09-29；来源：15 CFR Part 744、www.federalregister.gov）"
    assert [(a.get("href"), a.get("rel")) for a in dated_part.xpath(".//a")] == [
        ("https://www.ecfr.gov/current/title-15/part-744", "noopener noreferrer"),
        ("https://www.federalregister.gov/", "noopener noreferrer")]
    assert not dd.xpath(".//a[@data-glossary='changed']")


def test_a_term_without_dates_or_sources_shows_its_definition_alone(dated):
    html = annotate_markdown("**SWIFT**", dated, date=date(2020, 1, 1)).html
    assert '<dd data-for="swift" data-glossary="definition" id="gl-swift">跨境支付报文网络。</dd>' in html


def test_the_front_matter_date_is_the_articles_date(dated):
    text = "---\ndate: 2024-03-01\n---\n**实体清单**"
    assert definition(annotate_markdown(text, dated).html, "entity-list").text_content().startswith("关联方规则之前")


def test_a_date_given_to_the_call_wins_over_the_front_matter(dated):
    text = "---\ndate: 2024-03-01\n---\n**实体清单**"
    dd = definition(annotate_markdown(text, dated, date=date(2026, 1, 1)).html, "entity-list")
    assert dd.text_content().startswith("现行定义")


def test_each_term_reports_the_earlier_version_it_was_annotated_with(dated):
    result = annotate_markdown("**实体清单**与SWIFT", dated, "all", date=date(2024, 1, 1))
    versions = {t.id: t.version for t in result.terms}
    assert versions["swift"] is None
    assert (versions["entity-list"].start, versions["entity-list"].until) == (date(2020, 5, 15), date(2025, 9, 28))
    assert result.to_dict()["terms"][0]["version"] == {"from": "2020-05-15", "until": "2025-09-28"}


def test_html_input_is_annotated_for_its_date_too(dated):
    html = annotate_html("<p><b>实体清单</b></p>", dated, date=date(2019, 1, 1)).html
    assert definition(html, "entity-list").text_content().startswith("最早的定义。")


@pytest.mark.parametrize("link_notes", [False, True])
def test_dated_notes_written_while_serialising_equal_the_applied_plan(dated, link_notes):
    conv = Converter(None, ())
    for day in (None, date(2019, 1, 1), date(2024, 1, 1)):
        roots = [conv.tree("**实体清单**与SWIFT。"), conv.tree("**实体清单**与SWIFT。")]
        conv.md.reset()
        plans = []
        for root in roots:
            annotator = Annotator(CompiledGlossary(dated), Options(mode="all", link_notes=link_notes), day)
            annotator.run(root)
            plans.append(annotator.plan)
        written = to_html(roots[0], plans[0])
        plans[1].apply(roots[1])
        from markdown.serializers import to_html_string

        assert written == to_html_string(roots[1])


# -- the API and the CLI ---------------------------------------------------------


@pytest.fixture
def client(tmp_path):
    terms = tmp_path / "terms.yaml"
    terms.write_text(DATED, encoding="utf-8")
    app = create_app({"GLOSSARY_TERMS": str(terms), "GLOSSARY_DATABASE_URL": f"sqlite:///{tmp_path / 'g.db'}",
                      "GLOSSARY_ARTICLES": str(tmp_path)})
    runner = app.test_cli_runner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(main, ["sync"]).exit_code == 0
    app.terms_path = terms
    return app


def test_api_date_field_gives_the_definitions_of_that_day(client):
    response = client.test_client().post("/api/annotate", json={"markdown": "**实体清单**", "date": "2024-01-01"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["terms"][0]["version"] == {"from": "2020-05-15", "until": "2025-09-28"}
    assert definition(body["html"], "entity-list").text_content().startswith("关联方规则之前的定义。")


def test_api_answers_for_two_dates_are_not_one_cached_answer(client):
    web = client.test_client()
    old = web.post("/api/annotate", json={"markdown": "**实体清单**", "date": "2024-01-01"})
    new = web.post("/api/annotate", json={"markdown": "**实体清单**", "date": "2026-01-01"})
    assert old.headers["ETag"] != new.headers["ETag"]
    assert new.get_json()["terms"][0]["version"] is None


@pytest.mark.parametrize("bad", ["2024/01/01", "yesterday", "2024-02-30"])
def test_api_date_that_is_not_a_day_is_a_problem(client, bad):
    response = client.test_client().post("/api/annotate", json={"markdown": "**实体清单**", "date": bad})
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert "YYYY-MM-DD" in response.get_json()["detail"]


def test_cli_annotate_date_option_gives_the_definitions_of_that_day(client, tmp_path):
    article = tmp_path / "old.md"
    article.write_text("---\ntitle: 旧文\ndate: 2026-01-01\n---\n**实体清单**\n", encoding="utf-8")
    result = client.test_cli_runner().invoke(main, ["annotate", str(article), "--date", "2019-06-01", "--format",
                                                   "json", "--terms", str(client.terms_path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["terms"][0]["version"] == {"from": None, "until": "2020-05-14"}


def test_cli_annotate_takes_the_front_matter_date_without_the_option(client, tmp_path):
    article = tmp_path / "old.md"
    article.write_text("---\ntitle: 旧文\ndate: 2024-01-01\n---\n**实体清单**\n", encoding="utf-8")
    result = client.test_cli_runner().invoke(main, ["annotate", str(article), "--terms", str(client.terms_path)])
    assert result.exit_code == 0, result.output
    assert "关联方规则之前的定义。" in result.stdout


# -- what a reader sees, in Chromium ------------------------------------------------


@pytest.fixture(scope="module")
def dated_site(tmp_path_factory, dated):
    from test_browser import serving

    from glossary.sources.articles import read_article

    root = tmp_path_factory.mktemp("dated")
    (root / "old.md").write_text("---\ntitle: 旧文\ndate: 2024-01-01\n---\n美国把企业列入**实体清单**。\n",
                                 encoding="utf-8")
    (root / "new.md").write_text("---\ntitle: 新文\ndate: 2025-10-01\n---\n美国把企业列入**实体清单**。\n",
                                 encoding="utf-8")
    with serving(root, dated, [read_article(root / "old.md"), read_article(root / "new.md")]) as base:
        yield base


def test_reader_of_an_old_article_sees_the_old_definition_and_that_it_changed(browser, dated_site):
    from test_browser import expect

    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(dated_site + "/articles/old")
        page.hover("a[data-term=entity-list]")
        popover = page.locator("#glossary-popover")
        expect(popover).to_be_visible()
        expect(popover).to_contain_text("关联方规则之前的定义。")
        expect(popover).to_contain_text("2020-05-15 至 2025-09-28 的定义")
        expect(popover.locator("a[data-glossary=changed]")).to_have_attribute("href", "/terms/entity-list#history")
        notes = page.locator("[data-glossary=notes] dd[data-for=entity-list]")
        expect(notes).to_contain_text("关联方规则之前的定义。")
        page.goto(dated_site + "/articles/new")
        page.hover("a[data-term=entity-list]")
        expect(page.locator("#glossary-popover")).to_contain_text("现行定义，含关联方规则。")
        expect(page.locator("#glossary-popover")).to_contain_text("核实于 2025-09-29")
        expect(page.locator("#glossary-popover a[data-glossary=changed]")).to_have_count(0)
    finally:
        context.close()
