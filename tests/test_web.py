"""The reader's pages through the real app factory and a SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import TERMS_YAML

from glossary.sources.articles import read_article
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

DRAFT = "---\ntitle: 草稿\ndraft: true\ntags: [sanctions]\n---\n\n未发布。\n"

TRADITIONAL = """\
---
title: 支付網路
date: '2025-05-01'
lang: zh-Hant
tags: [payments]
---

銀行之間的報文經由**SWIFT**傳送。
"""


@pytest.fixture
def app(tmp_path, terms_file, database_url):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "toolbox.md").write_text(ARTICLE, encoding="utf-8")
    (articles / "plain.md").write_text(PLAIN, encoding="utf-8")
    (articles / "draft.md").write_text(DRAFT, encoding="utf-8")
    (articles / "payments.md").write_text(TRADITIONAL, encoding="utf-8")
    app = create_app({
        "GLOSSARY_TERMS": str(terms_file),
        "GLOSSARY_ARTICLES": str(articles),
        "GLOSSARY_DATABASE_URL": database_url,
    })
    app.extensions["glossary"].store.sync(*read_inputs(terms_file, articles))
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_index_lists_published_articles_newest_first(client):
    response = client.get("/")
    assert response.status_code == 200
    titles = [a.get_text() for a in page(response).select("ul.articles h2 a")]
    assert titles == ["没有加粗的文章", "制裁工具箱", "支付網路"]


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
    backlinks = {a.get_text() for a in soup.select(".backlinks li > a")}
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
    app.extensions["glossary"].store.sync(*read_inputs(terms_file, tmp_path / "articles"))
    app.extensions["glossary"].live.interval = 0
    assert "新的定义文本" in client.get("/terms/entity-list").get_data(as_text=True)


def test_pages_work_before_any_sync(database_url):
    # No terms file to follow either (one told to follow would be loaded into the empty store).
    app = create_app({"GLOSSARY_DATABASE_URL": database_url})
    client = app.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/terms").status_code == 200
    assert client.get("/terms/entity-list").status_code == 404


def test_draft_articles_are_neither_served_nor_listed_as_backlinks(tmp_path, terms_file, database_url):
    articles = tmp_path / "articles"
    articles.mkdir()
    secret = "---\ntitle: 内部稿\ndraft: true\n---\n\n内部消息提到稀土。\n"
    (articles / "secret.md").write_text(secret, encoding="utf-8")
    app = create_app({"GLOSSARY_TERMS": str(terms_file), "GLOSSARY_DATABASE_URL": database_url})
    app.extensions["glossary"].store.sync(*read_inputs(terms_file, articles))
    client = app.test_client()
    assert client.get("/articles/secret").status_code == 404
    assert "内部" not in client.get("/terms/rare-earth").get_data(as_text=True)


def jsonld(soup: BeautifulSoup) -> dict:
    return json.loads(soup.find("script", type="application/ld+json").string)


def letters(soup: BeautifulSoup) -> dict[str, list[str]]:
    return {
        section.h2.get_text(): [e.get_text() for e in section.select(".headword")]
        for section in soup.select("section.letter")
    }


# -- the article list ------------------------------------------------------

def test_index_shows_date_summary_and_tag_links(client):
    item = page(client.get("/")).select("ul.articles > li")[1]
    assert item.time["datetime"] == "2025-06-01"
    assert item.select_one(".summary").get_text() == "关于二级制裁的短文。"
    assert [a["href"] for a in item.select(".tags a")] == ["/tags/sanctions"]


def test_index_links_to_the_glossary(client):
    soup = page(client.get("/"))
    assert soup.select_one("main a[href='/terms']") is not None


# -- articles --------------------------------------------------------------

def test_article_page_lang_is_the_articles_language(client):
    assert page(client.get("/articles/payments")).html["lang"] == "zh-Hant"


def test_article_page_lang_defaults_to_simplified_chinese(client):
    assert page(client.get("/articles/toolbox")).html["lang"] == "zh-Hans"


def test_article_page_shows_date_and_tag_links(client):
    soup = page(client.get("/articles/toolbox"))
    assert soup.select_one("article .meta time")["datetime"] == "2025-06-01"
    assert [a["href"] for a in soup.select("article .meta .tags a")] == ["/tags/sanctions"]


def test_article_lists_its_terms_at_the_end_linked_to_their_pages(client):
    notes = page(client.get("/articles/plain")).select_one("article aside[data-glossary=notes]")
    assert [(a.get_text(), a["href"]) for a in notes.select("dt > a")] == [
        ("实体清单", "/terms/entity-list"), ("长臂管辖", "/terms/long-arm-jurisdiction")]
    assert "一国把本国法律延伸适用于境外主体的做法" in notes.select_one("#gl-long-arm-jurisdiction").get_text()


def test_article_terms_keep_the_annotator_markup(client):
    soup = page(client.get("/articles/toolbox"))
    link = soup.select_one("a[data-term]")
    assert (link["href"], link["aria-describedby"]) == ("/terms/secondary-sanctions", "gl-secondary-sanctions")
    definition = soup.find(id="gl-secondary-sanctions")
    assert (definition.name, definition["data-glossary"], definition["data-for"]) == (
        "dd", "definition", "secondary-sanctions")


def test_article_page_has_canonical_link_and_title(client):
    soup = page(client.get("/articles/toolbox"))
    assert soup.find("link", rel="canonical")["href"] == "http://localhost/articles/toolbox"
    assert soup.title.get_text().startswith("制裁工具箱")


def test_draft_article_is_not_listed_under_its_tag(client):
    titles = [a.get_text() for a in page(client.get("/tags/sanctions")).select("ul.articles h2 a")]
    assert titles == ["制裁工具箱"]


# -- the term index --------------------------------------------------------

def test_terms_index_files_terms_under_pinyin_initials(client):
    groups = letters(page(client.get("/terms")))
    assert groups["C"] == ["测试条目", "长臂管辖"]
    assert groups["S"] == ["实体清单", "世界贸易组织", "SWIFT"]  # shí before shì
    assert groups["A"] == ["AI芯片"]
    assert groups["X"] == ["稀土", "稀土永磁体", "芯片"]


def test_terms_index_groups_come_in_alphabetical_order(client):
    assert list(letters(page(client.get("/terms")))) == ["A", "C", "E", "S", "T", "X"]


def test_jump_bar_links_exactly_the_letters_in_use(client):
    soup = page(client.get("/terms"))
    jumps = [(a.get_text(), a["href"]) for a in soup.select("nav.jump a")]
    assert jumps == [(letter, f"#letter-{letter}") for letter in "ACESTX"]
    assert all(soup.find(id=href[1:]) for _, href in jumps)


def test_terms_index_entry_shows_en_summary_and_article_count(client):
    soup = page(client.get("/terms"))
    entry = soup.select_one("li:has(a[href='/terms/entity-list'])")
    assert entry.select_one(".en").get_text() == "Entity List"
    assert entry.select_one(".summary").get_text() == "美国商务部公布的一份名单，名单上的企业要取得美国物项须先获许可。"
    assert entry.select_one(".count").get_text() == "2 篇文章"


def test_terms_index_counts_no_articles_for_an_unused_term(client):
    entry = page(client.get("/terms")).select_one("li:has(a[href='/terms/donald-trump'])")
    assert entry.select_one(".count").get_text() == "暂无文章"


def test_terms_index_search_data_holds_headword_en_and_aliases(client):
    entry = page(client.get("/terms")).select_one("li:has(a[href='/terms/entity-list'])")
    fields = entry["data-search"].split("\n")
    assert {"实体清单", "实体名单", "entity list", "shi ti qing dan"} <= set(fields)


def test_terms_index_tag_filter_keeps_only_that_tags_terms(client):
    soup = page(client.get("/terms?tag=law"))
    assert [a["href"] for a in soup.select("section.letter li > a")] == ["/terms/long-arm-jurisdiction"]
    assert soup.find("link", rel="canonical")["href"] == "http://localhost/terms?tag=law"


def test_terms_index_unknown_tag_is_a_404(client):
    assert client.get("/terms?tag=no-such-tag").status_code == 404


def test_terms_index_search_without_javascript_matches_an_alias(client):
    soup = page(client.get("/terms?q=wto"))
    assert [a["href"] for a in soup.select("section.letter li > a")] == ["/terms/wto"]
    assert soup.select_one("#term-search")["value"] == "wto"


def test_terms_index_search_without_javascript_folds_traditional(client):
    soup = page(client.get("/terms?q=實體"))
    assert [a["href"] for a in soup.select("section.letter li > a")] == ["/terms/entity-list"]


def test_terms_index_search_without_javascript_matches_pinyin_initials(client):
    soup = page(client.get("/terms?q=stqd"))
    assert [a["href"] for a in soup.select("section.letter li > a")] == ["/terms/entity-list"]


def test_terms_index_search_data_holds_pinyin_initials(client):
    entry = page(client.get("/terms")).select_one("li:has(a[href='/terms/entity-list'])")
    assert "stqd" in entry["data-search"].split("\n")


def test_terms_index_ships_the_traditional_folds_of_its_keys(client):
    pairs = page(client.get("/terms")).select_one("#term-search")["data-folds"].split(" ")
    assert {"實实", "體体", "單单"} <= set(pairs)


def test_terms_index_search_without_a_match_says_so(client):
    soup = page(client.get("/terms?q=nothing-like-this"))
    assert soup.select("section.letter") == []
    assert not soup.select_one(".empty").has_attr("hidden")


def test_terms_index_is_a_schema_org_defined_term_set(client):
    data = jsonld(page(client.get("/terms")))
    assert (data["@context"], data["@type"], data["url"]) == ("https://schema.org", "DefinedTermSet",
                                                              "http://localhost/terms")
    terms = {t["termCode"]: t for t in data["hasDefinedTerm"]}
    assert len(terms) == 11
    assert terms["wto"] == {
        "@type": "DefinedTerm", "@id": "http://localhost/terms/wto", "url": "http://localhost/terms/wto",
        "name": "世界贸易组织", "termCode": "wto", "alternateName": ["World Trade Organization", "WTO"],
        "description": "负责多边贸易规则的国际组织，见官网。",
    }


def test_jsonld_cannot_close_its_script_element(app, tmp_path):
    hostile = "terms:\n  - id: probe\n    term: 探针\n    definition: '</script><script>alert(1)</script>'\n"
    (tmp_path / "hostile.yaml").write_text(hostile, encoding="utf-8")
    app.extensions["glossary"].store.sync(*read_inputs(tmp_path / "hostile.yaml", tmp_path / "articles"))
    app.extensions["glossary"].live.interval = 0
    html = app.test_client().get("/terms/probe").get_data(as_text=True)
    assert "</script><script>alert(1)" not in html
    assert "alert(1)" in jsonld(BeautifulSoup(html, "html.parser"))["description"]


# -- term pages ------------------------------------------------------------

def test_term_page_shows_en_aliases_tags_and_see_also(client):
    soup = page(client.get("/terms/entity-list"))
    assert soup.h1.get_text() == "实体清单"
    assert soup.select_one("article.term > .en").get_text() == "Entity List"
    assert [s.get_text() for s in soup.select(".aliases span")] == ["实体名单"]
    assert [a["href"] for a in soup.select(".facts .tags a")] == ["/tags/export-control"]
    assert [(a.get_text(), a["href"]) for a in soup.select(".see-also a")] == [
        ("二级制裁", "/terms/secondary-sanctions")]


def test_term_page_renders_inline_markdown_in_the_definition(client):
    soup = page(client.get("/terms/wto"))
    link = soup.select_one(".definition a")
    assert (link.get_text(), link["href"]) == ("官网", "https://www.wto.org")


def test_term_page_definition_is_sanitised(client):
    soup = page(client.get("/terms/xss-probe"))
    assert soup.select(".definition script") == []
    assert all(not a.get("href", "").lower().startswith("javascript") for a in soup.select(".definition a"))
    assert "<script>alert(1)</script>" in soup.select_one(".definition").get_text()


def test_term_page_backlink_shows_the_sentence_of_the_first_mention(client):
    item = page(client.get("/terms/long-arm-jurisdiction")).select_one(".backlinks li")
    assert item.a["href"] == "/articles/plain"
    assert item.select_one(".snippet").get_text() == "这篇文章提到实体清单和长臂管辖，但什么都没有加粗。"
    assert item.mark.get_text() == "长臂管辖"


def test_term_page_without_backlinks_says_so(client):
    soup = page(client.get("/terms/donald-trump"))
    assert soup.select(".backlinks li") == []
    assert "还没有文章提到它" in soup.select_one(".backlinks").get_text()


def test_term_page_is_a_schema_org_defined_term(client):
    soup = page(client.get("/terms/entity-list"))
    data = jsonld(soup)
    assert (data["@type"], data["name"], data["url"]) == ("DefinedTerm", "实体清单", "http://localhost/terms/entity-list")
    assert data["inDefinedTermSet"]["url"] == "http://localhost/terms"
    assert soup.find("link", rel="canonical")["href"] == "http://localhost/terms/entity-list"
    assert soup.title.get_text().startswith("实体清单（Entity List）")


# -- tag pages -------------------------------------------------------------

def test_tag_page_lists_the_tags_terms_and_articles(client):
    soup = page(client.get("/tags/sanctions"))
    assert [a["href"] for a in soup.select("ul.entries > li > a")] == ["/terms/secondary-sanctions"]
    assert [a["href"] for a in soup.select("ul.articles h2 a")] == ["/articles/toolbox"]


def test_tag_page_of_a_tag_only_articles_carry(client):
    soup = page(client.get("/tags/payments"))
    assert soup.select("ul.entries") == []
    assert [a["href"] for a in soup.select("ul.articles h2 a")] == ["/articles/payments"]


def test_tag_page_of_a_tag_only_terms_carry(client):
    soup = page(client.get("/tags/law"))
    assert [a["href"] for a in soup.select("ul.entries > li > a")] == ["/terms/long-arm-jurisdiction"]
    assert soup.select("ul.articles") == []


def test_unknown_tag_is_a_404_page(client):
    assert client.get("/tags/no-such-tag").status_code == 404


def test_tag_carried_only_by_a_draft_is_a_404(tmp_path, terms_file, database_url):
    articles = tmp_path / "only-draft"
    articles.mkdir()
    (articles / "draft.md").write_text("---\ntitle: 草稿\ndraft: true\ntags: [secret-tag]\n---\n\n文字。\n",
                                       encoding="utf-8")
    app = create_app({"GLOSSARY_TERMS": str(terms_file), "GLOSSARY_DATABASE_URL": database_url})
    app.extensions["glossary"].store.sync(*read_inputs(terms_file, articles))
    assert app.test_client().get("/tags/secret-tag").status_code == 404


# -- errors, assets, every page --------------------------------------------

PAGES = ["/", "/articles/toolbox", "/articles/payments", "/terms", "/terms?tag=law", "/terms/entity-list",
         "/tags/sanctions", "/tags"]


def test_unknown_path_is_a_404_page_in_the_sites_style(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    soup = page(response)
    assert soup.find("link", rel="stylesheet") is not None
    assert soup.select_one("header.site a[href='/terms']") is not None
    assert soup.find("link", rel="canonical") is None


def test_server_error_is_the_sites_500_page_without_traceback(app):
    def broken():
        raise RuntimeError("secret internals")

    app.add_url_rule("/broken", "broken", broken)
    response = app.test_client().get("/broken")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "出错了" in body
    assert "secret internals" not in body and "Traceback" not in body


@pytest.mark.parametrize("url", PAGES)
def test_page_has_a_title_a_lang_and_a_canonical_link(client, url):
    response = client.get(url)
    assert response.status_code == 200
    soup = page(response)
    assert soup.title.get_text().strip()
    assert soup.html["lang"] in ("zh-Hans", "zh-Hant")
    assert soup.find("link", rel="canonical")["href"].startswith("http://localhost/")


@pytest.mark.parametrize("url", PAGES)
def test_page_loads_only_assets_the_app_serves(client, url):
    soup = page(client.get(url))
    assets = [t["href"] for t in soup.find_all("link", href=True) if "canonical" not in t["rel"]]
    assets += [t["src"] for t in soup.find_all(["script", "img", "iframe"], src=True)]
    fetched = [a for a in assets if not a.startswith("data:")]  # inline, fetched from nowhere
    assert fetched
    for asset in fetched:
        assert asset.startswith("/") and not asset.startswith("//")
        assert client.get(asset).status_code == 200


def test_site_css_and_js_stay_under_15_kb(client):
    soup = page(client.get("/articles/toolbox"))
    urls = [t["href"] for t in soup.find_all("link", rel="stylesheet")]
    urls += [t["src"] for t in soup.find_all("script", src=True)]
    assert sum(len(client.get(url).data) for url in urls) < 15 * 1024


# -- every sample article shows annotations -------------------------------------

PROJECT = Path(__file__).resolve().parents[1]
SAMPLES = sorted(read_article(path).slug for path in (PROJECT / "articles").glob("*.md"))


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory):
    """The shipped terms.yaml and articles/, synced into a SQLite store, served by the real app."""
    url = f"sqlite:///{tmp_path_factory.mktemp('samples') / 'store.db'}"
    app = create_app({"GLOSSARY_TERMS": str(PROJECT / "terms.yaml"), "GLOSSARY_ARTICLES": str(PROJECT / "articles"),
                      "GLOSSARY_DATABASE_URL": url})
    app.extensions["glossary"].store.sync(*read_inputs(PROJECT / "terms.yaml", PROJECT / "articles"))
    return app.test_client()


def test_every_sample_article_shows_annotations(sample_site):
    links = {slug: len(page(sample_site.get(f"/articles/{slug}")).select("article a[data-term]")) for slug in SAMPLES}
    assert "london-talks" in links
    assert {slug: count for slug, count in links.items() if count < 5} == {}


def test_london_sample_links_plain_mentions_as_its_front_matter_asks(sample_site):
    soup = page(sample_site.get("/articles/london-talks"))
    assert soup.select_one("article a[data-term=geneva-talks]") is not None  # 日内瓦会谈, never bolded


def test_sample_tags_show_their_labels(sample_site):
    soup = page(sample_site.get("/articles/london-talks"))
    assert [a.get_text() for a in soup.select("article .meta .tags a")] == ["贸易", "出口管制", "稀土", "半导体"]


# -- the article's mode and link limit ----------------------------------------------

def site(tmp_path, database_url, articles: dict[str, str], terms: str = TERMS_YAML, **config):
    """Serve `articles` (file name -> text) and `terms` from a fresh store; return the app."""
    folder = tmp_path / "site-articles"
    folder.mkdir()
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    terms_path = tmp_path / "site-terms.yaml"
    terms_path.write_text(terms, encoding="utf-8")
    app = create_app({"GLOSSARY_TERMS": str(terms_path), "GLOSSARY_ARTICLES": str(folder),
                      "GLOSSARY_DATABASE_URL": database_url, **config})
    app.extensions["glossary"].store.sync(*read_inputs(terms_path, folder))
    return app


def linked(client, url: str) -> list[str]:
    return [a["data-term"] for a in page(client.get(url)).select("article a[data-term]")
            if not a.find_parent(attrs={"data-glossary": True})]


SECTIONS = "\n\n".join(f"## 第{i}节\n\n稀土，稀土。" for i in range(15))


def test_article_without_a_mode_follows_glossary_default_mode(tmp_path, database_url):
    app = site(tmp_path, database_url, {"a.md": "---\ntitle: 甲\n---\n\n提到实体清单。\n"},
               GLOSSARY_DEFAULT_MODE="all")
    assert linked(app.test_client(), "/articles/a") == ["entity-list"]


def test_article_mode_wins_over_glossary_default_mode(tmp_path, database_url):
    text = "---\ntitle: 甲\nannotate: first\n---\n\n## 一\n\n提到实体清单。\n\n## 二\n\n又提到实体清单。\n"
    app = site(tmp_path, database_url, {"a.md": text}, GLOSSARY_DEFAULT_MODE="all")
    assert linked(app.test_client(), "/articles/a") == ["entity-list"]


def test_term_mentioned_30_times_is_linked_10_times_on_the_page_and_counted_30_times(tmp_path, database_url):
    client = site(tmp_path, database_url, {"a.md": "---\ntitle: 甲\nannotate: all\n---\n\n" + SECTIONS}).test_client()
    assert linked(client, "/articles/a") == ["rare-earth"] * 10
    assert [a["count"] for a in client.get("/api/terms/rare-earth").get_json()["articles"]] == [30]


def test_glossary_max_links_per_term_sets_the_sites_limit(tmp_path, database_url):
    app = site(tmp_path, database_url, {"a.md": "---\ntitle: 甲\nannotate: all\n---\n\n" + SECTIONS},
               GLOSSARY_MAX_LINKS_PER_TERM=4)
    assert linked(app.test_client(), "/articles/a") == ["rare-earth"] * 4


def test_article_max_links_wins_over_the_sites_limit(tmp_path, database_url):
    app = site(tmp_path, database_url, {"a.md": "---\ntitle: 甲\nannotate: all\nmax_links: 0\n---\n\n" + SECTIONS},
               GLOSSARY_MAX_LINKS_PER_TERM=4)
    assert linked(app.test_client(), "/articles/a") == ["rare-earth"] * 30


# -- the title is shown once ------------------------------------------------------

def headings(client, url: str) -> list[str]:
    return [h.get_text() for h in page(client.get(url)).find("article").find_all(["h1", "h2", "h3", "h4"])]


def test_title_taken_from_the_first_heading_is_not_repeated(tmp_path, database_url):
    app = site(tmp_path, database_url, {"a.md": "## 稀土之争\n\n提到**稀土**。\n\n## 后来\n\n正文。\n"})
    assert headings(app.test_client(), "/articles/a") == ["稀土之争", "后来"]


def test_front_matter_title_repeated_by_the_first_heading_is_shown_once(tmp_path, database_url):
    app = site(tmp_path, database_url, {
        "a.md": "---\ntitle: 稀土之争\n---\n\n# 稀土*之争*\n\n正文。\n",
        "b.md": "---\ntitle: 稀土之争\n---\n\n### 开场\n\n正文。\n\n### 稀土之争\n\n正文。\n",
    })
    assert headings(app.test_client(), "/articles/a") == ["稀土之争"]
    # Only a heading that opens the article and says what the title says goes.
    assert headings(app.test_client(), "/articles/b") == ["稀土之争", "开场", "稀土之争"]


# -- tag labels and the tag index ---------------------------------------------------

LABELLED = "tags:\n  sanctions: {zh: 制裁, en: Sanctions}\n  export-control: {zh: 出口管制, en: Export controls}\n" \
           "  law: {zh: 法律, en: Law}\n" + TERMS_YAML


@pytest.fixture
def labelled(tmp_path, database_url):
    return site(tmp_path, database_url, {"toolbox.md": ARTICLE, "draft.md": DRAFT, "payments.md": TRADITIONAL},
                terms=LABELLED).test_client()


def test_article_list_shows_tag_labels(labelled):
    soup = page(labelled.get("/"))
    assert [(a.get_text(), a["href"]) for a in soup.select("ul.articles .tags a")] == [
        ("制裁", "/tags/sanctions"), ("Payments", "/tags/payments")]


def test_article_page_shows_tag_labels(labelled):
    assert [a.get_text() for a in page(labelled.get("/articles/toolbox")).select("article .meta .tags a")] == ["制裁"]


def test_term_page_shows_tag_labels(labelled):
    soup = page(labelled.get("/terms/entity-list"))
    assert [a.get_text() for a in soup.select(".facts .tags a")] == ["出口管制"]


def test_tag_page_is_titled_with_its_labels(labelled):
    soup = page(labelled.get("/tags/sanctions"))
    assert soup.h1.get_text(" ", strip=True) == "标签： 制裁 Sanctions"
    assert soup.title.get_text().startswith("标签：制裁")


def test_index_filtered_by_a_tag_shows_its_label(labelled):
    soup = page(labelled.get("/terms?tag=law"))
    assert soup.h1.get_text() == "术语表：法律"


def test_tag_without_a_label_shows_its_slug_prettified(labelled):
    assert page(labelled.get("/tags/payments")).h1.get_text(" ", strip=True) == "标签： Payments"


def test_tags_page_lists_each_tag_with_its_label_and_counts(labelled):
    rows = page(labelled.get("/tags")).select(".tag-index li")
    found = {r.a["href"]: (r.select_one(".headword").get_text(), r.select_one(".count").get_text()) for r in rows}
    assert found == {
        "/tags/sanctions": ("制裁", "1 个术语 · 1 篇文章"),  # a term and a published article (not the draft)
        "/tags/export-control": ("出口管制", "1 个术语 · 0 篇文章"),
        "/tags/law": ("法律", "1 个术语 · 0 篇文章"),
        "/tags/finance": ("Finance", "1 个术语 · 0 篇文章"),
        "/tags/payments": ("Payments", "0 个术语 · 1 篇文章"),
    }


def test_site_navigation_links_the_tags_page(client):
    assert page(client.get("/")).select_one("header.site nav a[href='/tags']").get_text() == "标签"


# -- drafts and their preview ----------------------------------------------------

def test_draft_is_shown_only_to_the_configured_preview_token(app, client):
    assert client.get("/articles/draft?preview=").status_code == 404  # previews are off while no token is set
    app.config["GLOSSARY_PREVIEW_TOKEN"] = "s3cret-token"
    for wrong in ("", "s3cret", "s3cret-token2"):
        assert client.get(f"/articles/draft?preview={wrong}").status_code == 404
    assert client.get("/articles/draft").status_code == 404
    assert client.get("/articles/draft?preview=s3cret-token").status_code == 200


@pytest.fixture
def previewing(app):
    app.config["GLOSSARY_PREVIEW_TOKEN"] = "s3cret-token"
    return app


def test_draft_preview_is_noindex_and_never_stored(previewing):
    response = previewing.test_client().get("/articles/draft?preview=s3cret-token")
    assert response.status_code == 200
    soup = page(response)
    assert soup.h1.get_text() == "草稿"
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers
    assert len(previewing.extensions["glossary"].pages) == 0
    published = page(previewing.test_client().get("/articles/toolbox"))
    assert published.find("meta", attrs={"name": "robots"}) is None
