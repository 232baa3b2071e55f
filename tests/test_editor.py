"""The editors' page /editor: terms.yaml's problems with their lines, and the lint report."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from conftest import TERMS_YAML

from glossary.store import read_inputs
from glossary.web.app import create_app

PUBLISHED = "---\ntitle: 公开稿\n---\n\n**实体清单**扩大了，**弹性外交**与**弹性外交**都被提到。二级制裁也来了。\n"
DRAFT = "---\ntitle: 内部稿\ndraft: true\n---\n\n**内部代号**不能出现在任何公开页面。\n"
BROKEN = TERMS_YAML.replace("    term: 实体清单\n", "")


@pytest.fixture
def app(tmp_path, terms_file, database_url):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "public.md").write_text(PUBLISHED, encoding="utf-8")
    (articles / "draft.md").write_text(DRAFT, encoding="utf-8")
    app = create_app({"GLOSSARY_TERMS": str(terms_file), "GLOSSARY_ARTICLES": str(articles),
                      "GLOSSARY_DATABASE_URL": database_url, "GLOSSARY_RELOAD_INTERVAL": 0})
    app.extensions["glossary"]["store"].sync(*read_inputs(terms_file, articles))
    return app


def page(client) -> BeautifulSoup:
    response = client.get("/editor")
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def rows(soup, table: str) -> list[list[str]]:
    return [[td.get_text(strip=True) for td in tr.select("td")] for tr in soup.select(f"{table} tbody tr")]


def test_editor_page_says_terms_yaml_has_no_problems(app):
    soup = page(app.test_client())
    assert soup.select("ul.problems li") == []
    assert "没有问题" in soup.select_one(".problems-summary").get_text()


def test_editor_page_lists_problems_with_their_lines(app, terms_file):
    client = app.test_client()
    page(client)
    terms_file.write_text(BROKEN, encoding="utf-8")
    soup = page(client)
    items = [li.get_text(" ", strip=True) for li in soup.select("ul.problems li")]
    assert items == [f"{terms_file}:2 missing required field 'term'"]
    assert "上一个有效版本" in soup.select_one(".problems-summary").get_text()


def test_editor_page_shows_the_lint_report(app):
    soup = page(app.test_client())
    assert rows(soup, "table.lint-undefined") == [["弹性外交", "2", "公开稿"]]
    assert rows(soup, "table.lint-unbolded") == [["公开稿", "二级制裁", "1"]]
    unused = {a["href"] for a in soup.select("ul.lint-unused a")}
    assert "/terms/swift" in unused and "/terms/entity-list" not in unused


def test_editor_page_links_articles_and_terms(app):
    soup = page(app.test_client())
    row = soup.select_one("table.lint-unbolded tbody tr")
    assert [a["href"] for a in row.select("a")] == ["/articles/public", "/terms/secondary-sanctions"]


def test_editor_page_leaves_drafts_out(app):
    text = page(app.test_client()).get_text()
    assert "内部代号" not in text and "内部稿" not in text


def test_editor_page_defines_a_shadow(app):
    assert "longest match wins by design" in page(app.test_client()).select_one("#shadows + p.help").get_text()
