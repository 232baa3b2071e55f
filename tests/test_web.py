"""The reader's pages through the real app factory and a SQLite file."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from glossary.store import read_inputs
from glossary.web.app import create_app

ARTICLE = """\
---
title: 制裁工具箱
date: '2025-06-01'
summary: 关于二级制裁的短文。
tags: [sanctions]
---

美国可以动用**二级制裁**（Secondary Sanctions: 针对第三方的制裁），也可以把企业列入实体清单。
"""

PLAIN = """\
---
title: 没有加粗的文章
date: '2025-07-01'
glossary: all
---

这篇文章提到实体清单和长臂管辖，但什么都没有加粗。
"""

DRAFT = "---\ntitle: 草稿\ndraft: true\n---\n\n未发布。\n"


@pytest.fixture
def app(tmp_path, terms_file, database_url):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "toolbox.md").write_text(ARTICLE, encoding="utf-8")
    (articles / "plain.md").write_text(PLAIN, encoding="utf-8")
    (articles / "draft.md").write_text(DRAFT, encoding="utf-8")
    app = create_app({
        "GLOSSARY_TERMS": str(terms_file),
        "GLOSSARY_ARTICLES": str(articles),
        "GLOSSARY_DATABASE_URL": database_url,
    })
    app.extensions["glossary"]["store"].sync(*read_inputs(terms_file, articles))
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_index_lists_published_articles_newest_first(client):
    response = client.get("/")
    assert response.status_code == 200
    titles = [a.get_text() for a in page(response).select("ul.articles a")]
    assert titles == ["没有加粗的文章", "制裁工具箱"]


def test_article_page_annotates_bold_terms(client):
    response = client.get("/articles/toolbox")
    assert response.status_code == 200
    soup = page(response)
    assert soup.h1.get_text() == "制裁工具箱"
    assert [a["data-term"] for a in soup.select("article [data-term]")] == ["secondary-sanctions"]


def test_article_front_matter_mode_all_annotates_plain_mentions(client):
    soup = page(client.get("/articles/plain"))
    assert [a["data-term"] for a in soup.select("article [data-term]")] == ["entity-list", "long-arm-jurisdiction"]


def test_article_page_loads_the_popover_assets(client):
    soup = page(client.get("/articles/toolbox"))
    script = soup.find("script", src=True)["src"]
    stylesheet = soup.find("link", rel="stylesheet")["href"]
    assert client.get(script).status_code == 200
    assert client.get(stylesheet).status_code == 200


def test_term_page_shows_definition_and_backlinks(client):
    response = client.get("/terms/entity-list")
    assert response.status_code == 200
    soup = page(response)
    assert "美国商务部公布的一份名单" in soup.select_one(".definition").get_text()
    backlinks = {a.get_text() for a in soup.select("article.term li > a")}
    assert backlinks == {"制裁工具箱", "没有加粗的文章"}
    assert {m.get_text() for m in soup.select("mark")} == {"实体清单"}


def test_unknown_article_is_a_404_page(client):
    response = client.get("/articles/missing")
    assert response.status_code == 404
    assert "找不到页面" in response.get_data(as_text=True)


def test_unknown_term_is_a_404_page(client):
    response = client.get("/terms/missing")
    assert response.status_code == 404
    assert "Traceback" not in response.get_data(as_text=True)


def test_server_follows_a_sync_of_a_changed_definition(app, client, terms_file, tmp_path):
    assert "美国商务部公布的一份名单" in client.get("/terms/entity-list").get_data(as_text=True)
    terms_file.write_text(terms_file.read_text(encoding="utf-8").replace("美国商务部公布的一份名单", "新的定义文本"),
                          encoding="utf-8")
    app.extensions["glossary"]["store"].sync(*read_inputs(terms_file, tmp_path / "articles"))
    app.extensions["glossary"]["live"].interval = 0
    assert "新的定义文本" in client.get("/terms/entity-list").get_data(as_text=True)


def test_pages_work_before_any_sync(terms_file, database_url):
    app = create_app({"GLOSSARY_TERMS": str(terms_file), "GLOSSARY_DATABASE_URL": database_url})
    client = app.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/terms/entity-list").status_code == 404


def test_draft_articles_are_neither_served_nor_listed_as_backlinks(tmp_path, terms_file, database_url):
    articles = tmp_path / "articles"
    articles.mkdir()
    secret = "---\ntitle: 内部稿\ndraft: true\n---\n\n内部消息提到稀土。\n"
    (articles / "secret.md").write_text(secret, encoding="utf-8")
    app = create_app({"GLOSSARY_TERMS": str(terms_file), "GLOSSARY_DATABASE_URL": database_url})
    app.extensions["glossary"]["store"].sync(*read_inputs(terms_file, articles))
    client = app.test_client()
    assert client.get("/articles/secret").status_code == 404
    assert "内部" not in client.get("/terms/rare-earth").get_data(as_text=True)
