"""The editors' page /editor: terms.yaml's problems with their lines, and the lint report, behind a token."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from conftest import TERMS_YAML

from glossary.config import DEFAULTS
from glossary.store import read_inputs
from glossary.web import editor
from glossary.web.app import create_app

TOKEN = "s3cret-editor-token"
BEARER = {"Authorization": f"Bearer {TOKEN}"}

PUBLISHED = "---\ntitle: 公开稿\n---\n\n**实体清单**扩大了，**弹性外交**与**弹性外交**都被提到。二级制裁也来了。\n"
DRAFT = "---\ntitle: 内部稿\ndraft: true\n---\n\n**内部代号**不能出现在任何公开页面。\n"
BROKEN = TERMS_YAML.replace("    term: 实体清单\n", "")


def make_app(tmp_path, terms_file, database_url, token=TOKEN):
    articles = tmp_path / "articles"
    articles.mkdir(exist_ok=True)
    (articles / "public.md").write_text(PUBLISHED, encoding="utf-8")
    (articles / "draft.md").write_text(DRAFT, encoding="utf-8")
    app = create_app({"GLOSSARY_TERMS": str(terms_file), "GLOSSARY_ARTICLES": str(articles),
                      "GLOSSARY_DATABASE_URL": database_url, "GLOSSARY_RELOAD_INTERVAL": 0,
                      "GLOSSARY_EDITOR_TOKEN": token})
    app.extensions["glossary"].store.sync(*read_inputs(terms_file, articles))
    return app


@pytest.fixture
def app(tmp_path, terms_file, database_url):
    return make_app(tmp_path, terms_file, database_url)


def page(client, path="/editor") -> BeautifulSoup:
    response = client.get(path, headers=BEARER)
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def soup_of(response) -> BeautifulSoup:
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
    assert items == ["terms.yaml:2 missing required field 'term'"]
    assert "上一个有效版本" in soup.select_one(".problems-summary").get_text()


def test_editor_page_shows_the_lint_report(app):
    soup = page(app.test_client())
    assert rows(soup, "table.lint-undefined") == [["弹性外交", "2", "公开稿"]]
    assert rows(soup, "table.lint-unbolded") == [["公开稿", "二级制裁", "二级制裁", "1"]]
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
    assert "按设计取最长的匹配" in page(app.test_client()).select_one("#shadows + p.help").get_text()


# -- who may see it -------------------------------------------------------------------


def test_editor_token_is_a_setting_empty_by_default():
    assert DEFAULTS["GLOSSARY_EDITOR_TOKEN"] == ""


def test_editor_page_is_off_without_a_token(tmp_path, terms_file, database_url):
    client = make_app(tmp_path, terms_file, database_url, token="").test_client()
    assert client.get("/editor").status_code == 404
    assert client.get("/editor", headers={"Authorization": "Bearer "}).status_code == 404
    assert client.post("/editor/login", data={"token": ""}).status_code == 404


def test_editor_token_from_the_environment_turns_the_page_on(tmp_path, terms_file, database_url, monkeypatch):
    monkeypatch.setenv("GLOSSARY_EDITOR_TOKEN", "from-env")
    client = create_app({"GLOSSARY_TERMS": str(terms_file), "GLOSSARY_DATABASE_URL": database_url}).test_client()
    assert client.get("/editor").status_code == 401
    assert client.get("/editor", headers={"Authorization": "Bearer from-env"}).status_code == 200


def test_editor_page_without_credentials_asks_for_the_token(app):
    response = app.test_client().get("/editor")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer ")
    form = soup_of(response).select_one("form[method=post]")
    assert form["action"] == "/editor/login"
    assert form.select_one("input[name=token][type=password]") is not None
    assert "lint-undefined" not in response.get_data(as_text=True)


def test_editor_page_refuses_a_wrong_bearer_token(app):
    response = app.test_client().get("/editor", headers={"Authorization": f"Bearer {TOKEN}x"})
    assert response.status_code == 403
    assert soup_of(response).select_one("[role=alert]").get_text() == "令牌不对，请重新输入。"


def test_editor_page_opens_with_the_bearer_token(app):
    assert page(app.test_client()).h1.get_text() == "编辑工作台"


def test_sign_in_form_sets_a_cookie_that_opens_the_page(app):
    client = app.test_client()
    response = client.post("/editor/login", data={"token": TOKEN})
    assert (response.status_code, response.headers["Location"]) == (303, "/editor")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/editor" in cookie
    assert TOKEN not in cookie  # the browser keeps a digest, not the token
    assert client.get("/editor").status_code == 200


def test_sign_in_with_a_wrong_token_is_refused_without_a_cookie(app):
    client = app.test_client()
    response = client.post("/editor/login", data={"token": "guess"})
    assert response.status_code == 403
    assert "Set-Cookie" not in response.headers
    assert client.get("/editor").status_code == 401


def test_sign_out_forgets_the_cookie(app):
    client = app.test_client()
    client.post("/editor/login", data={"token": TOKEN})
    assert client.post("/editor/logout").status_code == 303
    assert client.get("/editor").status_code == 401


def test_cookie_of_a_replaced_token_is_refused(app):
    client = app.test_client()
    client.post("/editor/login", data={"token": TOKEN})
    app.config["GLOSSARY_EDITOR_TOKEN"] = "a-new-token"
    assert client.get("/editor").status_code == 403


def test_token_is_compared_in_constant_time(app, monkeypatch):
    compared = []
    real = editor.hmac.compare_digest
    monkeypatch.setattr(editor.hmac, "compare_digest", lambda a, b: compared.append((a, b)) or real(a, b))
    app.test_client().get("/editor", headers={"Authorization": "Bearer guess"})
    assert compared == [(b"guess", TOKEN.encode())]


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer guess"}, BEARER], ids=["asked", "refused", "shown"])
def test_editor_answers_are_kept_out_of_caches_and_search_engines(app, headers):
    response = app.test_client().get("/editor", headers=headers)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert soup_of(response).select_one("meta[name=robots]")["content"] == "noindex, nofollow"


# -- what it shows --------------------------------------------------------------------


def test_editor_page_never_shows_an_absolute_path(app, terms_file, tmp_path):
    client = app.test_client()
    terms_file.write_text(BROKEN, encoding="utf-8")
    text = client.get("/editor", headers=BEARER).get_data(as_text=True)
    assert str(tmp_path) not in text
    assert page(client).select_one("#terms-file code").get_text() == "terms.yaml"


def test_editor_page_names_a_terms_file_in_the_project_relative_to_it(tmp_path, database_url,
                                                                       monkeypatch):
    monkeypatch.chdir(tmp_path)
    nested = tmp_path / "glossary" / "terms.yaml"
    nested.parent.mkdir()
    nested.write_text(TERMS_YAML, encoding="utf-8")
    client = make_app(tmp_path, nested, database_url).test_client()
    page(client)
    nested.write_text(BROKEN, encoding="utf-8")
    soup = page(client)
    assert soup.select_one("#terms-file code").get_text() == "glossary/terms.yaml"
    assert [li.code.get_text() for li in soup.select("ul.problems li")] == ["glossary/terms.yaml:2"]


def test_editor_page_labels_are_chinese(app):
    soup = page(app.test_client())
    for code in soup.select("code"):
        code.decompose()  # file names and term ids
    labels = soup.select("h1, h2, h3, th, p.help, p.summary-line, .pager span, button, title")
    assert labels
    english = [el.get_text(" ", strip=True) for el in labels if re.search("[A-Za-z]{2,}", el.get_text())]
    assert english == []


def test_editor_page_shows_how_the_article_writes_a_term(app, tmp_path):
    (tmp_path / "articles" / "public.md").write_text("---\ntitle: 公开稿\n---\n\n二級制裁也来了。\n", encoding="utf-8")
    app.extensions["glossary"].store.sync(*read_inputs(tmp_path / "terms.yaml", tmp_path / "articles"))
    assert rows(page(app.test_client()), "table.lint-unbolded") == [["公开稿", "二級制裁", "二级制裁", "1"]]


# -- paging ---------------------------------------------------------------------------

EXTRA_TERMS = "".join(f"  - id: extra-{n:02d}\n    term: 测试词{n:02d}\n    definition: 只为分页而设。\n"
                      for n in range(30))


@pytest.fixture
def long_report_app(tmp_path, terms_file, database_url):
    terms_file.write_text(TERMS_YAML + EXTRA_TERMS, encoding="utf-8")
    return make_app(tmp_path, terms_file, database_url)


def test_long_table_is_shown_a_page_at_a_time(long_report_app):
    client = long_report_app.test_client()
    first = page(client)
    unused = len(long_report_app.extensions["glossary"].live.current().glossary) - 2  # 实体清单 and 二级制裁 are used
    assert len(first.select("ul.lint-unused li")) == editor.PAGE_SIZE
    pager = first.select_one("#unused ~ nav.pager")
    assert pager.select_one("span").get_text() == f"第 1 / 2 页（共 {unused} 项）"
    following = pager.select_one("a[rel=next]")["href"]
    assert following == "/editor?unused=2#unused"
    second = page(client, following.split("#")[0])
    assert len(second.select("ul.lint-unused li")) == unused - editor.PAGE_SIZE
    assert second.select_one("#unused ~ nav.pager a[rel=prev]")["href"] == "/editor?unused=1#unused"


def test_paging_one_table_keeps_the_others_page(long_report_app):
    soup = page(long_report_app.test_client(), "/editor?undefined=1&unused=2")
    assert soup.select_one("#unused ~ nav.pager a[rel=prev]")["href"] == "/editor?undefined=1&unused=1#unused"


@pytest.mark.parametrize("asked", ["9", "0", "x", "²", "9" * 5000])
def test_page_number_out_of_range_shows_the_nearest_page(long_report_app, asked):
    soup = page(long_report_app.test_client(), f"/editor?unused={asked}")
    shown = soup.select_one("#unused ~ nav.pager span").get_text()
    assert shown.startswith("第 2 / 2 页" if asked == "9" else "第 1 / 2 页")


def test_short_table_has_no_pager(app):
    assert page(app.test_client()).select("nav.pager") == []


def test_unbolded_rows_of_one_article_share_its_cell(app, tmp_path):
    article = "---\ntitle: 公开稿\n---\n\n二级制裁与长臂管辖。\n"
    (tmp_path / "articles" / "public.md").write_text(article, encoding="utf-8")
    app.extensions["glossary"].store.sync(*read_inputs(tmp_path / "terms.yaml", tmp_path / "articles"))
    first, second = page(app.test_client()).select("table.lint-unbolded tbody tr")
    assert first.td["rowspan"] == "2" and first.td.get_text(strip=True) == "公开稿"
    assert [td.get_text(strip=True) for td in second.select("td")] == ["长臂管辖", "长臂管辖", "1"]


def test_editor_says_when_the_server_follows_no_terms_file(tmp_path, terms_file, database_url):
    app = create_app({"GLOSSARY_DATABASE_URL": database_url, "GLOSSARY_EDITOR_TOKEN": TOKEN})
    text = page(app.test_client()).get_text()
    assert "没有跟随任何术语表文件" in text and "没有问题" not in text


def test_editor_says_when_the_followed_file_is_refused(tmp_path, terms_file, database_url):
    from glossary.store import Sources

    app = make_app(tmp_path, terms_file, database_url)
    other = tmp_path / "other.yaml"
    other.write_text("terms:\n  - id: a\n    term: 甲方\n    definition: 合同的一方。\n", encoding="utf-8")
    app.extensions["glossary"].store.sync(*read_inputs(other, tmp_path / "articles"),
                                             sources=Sources(terms=str(other.resolve())))
    app.extensions["glossary"].live.wait = 30
    terms_file.write_text(terms_file.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    client = app.test_client()
    client.get("/")
    assert "没有写入术语库" in page(client).get_text()
