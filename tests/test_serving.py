"""Serving at scale: the page cache, ETags and 304s, and a database that goes away and comes back."""

from __future__ import annotations

import time

import pytest
import sqlalchemy
from tcpproxy import TcpProxy
from test_web import ARTICLE, PLAIN

from glossary.store import read_inputs
from glossary.web import views
from glossary.web.app import create_app


def make_app(tmp_path, terms_file, url, **config):
    articles = tmp_path / "articles"
    articles.mkdir(exist_ok=True)
    (articles / "toolbox.md").write_text(ARTICLE, encoding="utf-8")
    (articles / "plain.md").write_text(PLAIN, encoding="utf-8")
    app = create_app({"GLOSSARY_TERMS": str(terms_file), "GLOSSARY_ARTICLES": str(articles),
                      "GLOSSARY_DATABASE_URL": url, **config})
    return app


def sync(app, terms_file, tmp_path):
    app.extensions["glossary"].store.sync(*read_inputs(terms_file, tmp_path / "articles"))
    app.extensions["glossary"].live.interval = 0  # notice it on the next request


@pytest.fixture
def app(tmp_path, terms_file, database_url):
    app = make_app(tmp_path, terms_file, database_url)
    sync(app, terms_file, tmp_path)
    return app


@pytest.fixture
def annotations(monkeypatch):
    """Count the articles annotated (the real function still runs)."""
    calls = []
    real = views.annotate_article

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(views, "annotate_article", counting)
    return calls


def test_article_page_carries_etag_and_cache_control_for_a_proxy(app):
    response = app.test_client().get("/articles/toolbox")
    assert response.status_code == 200
    assert response.headers["ETag"].startswith('"') and len(response.headers["ETag"]) > 10
    assert "public" in response.headers["Cache-Control"]
    assert "max-age=10" in response.headers["Cache-Control"]


def test_article_page_answers_304_to_its_etag(app):
    client = app.test_client()
    etag = client.get("/articles/toolbox").headers["ETag"]
    again = client.get("/articles/toolbox", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag


def test_term_page_answers_304_to_its_etag(app):
    client = app.test_client()
    etag = client.get("/terms/secondary-sanctions").headers["ETag"]
    assert client.get("/terms/secondary-sanctions", headers={"If-None-Match": etag}).status_code == 304


def test_hot_article_page_is_not_annotated_again(app, annotations):
    client = app.test_client()
    first = client.get("/articles/toolbox").get_data()
    assert client.get("/articles/toolbox").get_data() == first
    assert client.get("/articles/toolbox").status_code == 200
    assert len(annotations) == 1


def test_sync_of_a_changed_definition_changes_the_etag_and_the_page(app, terms_file, tmp_path, annotations):
    client = app.test_client()
    before = client.get("/articles/toolbox")
    terms_file.write_text(terms_file.read_text(encoding="utf-8").replace(
        "针对与受制裁方往来的第三方所施加的制裁", "新的二级制裁定义"), encoding="utf-8")
    sync(app, terms_file, tmp_path)
    after = client.get("/articles/toolbox", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert "新的二级制裁定义" in after.get_data(as_text=True)
    assert len(annotations) == 2


def test_search_results_are_not_kept_in_the_page_cache(app):
    client = app.test_client()
    client.get("/terms?q=%E5%88%B6%E8%A3%81")
    client.get("/terms?q=swift")
    pages = app.extensions["glossary"].pages
    assert not any(("q", "swift") in key[2] for key in pages._pages)


def test_page_cache_keeps_at_most_its_configured_number_of_pages(tmp_path, terms_file, database_url):
    app = make_app(tmp_path, terms_file, database_url, GLOSSARY_PAGE_CACHE_SIZE=2)
    sync(app, terms_file, tmp_path)
    client = app.test_client()
    for path in ("/", "/articles/toolbox", "/articles/plain", "/terms"):
        assert client.get(path).status_code == 200
    assert len(app.extensions["glossary"].pages) == 2


# -- the database goes away ----------------------------------------------------------------


@pytest.fixture
def proxied(tmp_path, terms_file, postgresql_url):
    """An app whose PostgreSQL store is reached through a TCP proxy the test can cut."""
    url = sqlalchemy.engine.make_url(postgresql_url)
    proxy = TcpProxy(url.host, url.port)
    app = make_app(tmp_path, terms_file, url.set(port=proxy.port).render_as_string(hide_password=False),
                   GLOSSARY_RETRY_AFTER=7)
    sync(app, terms_file, tmp_path)
    app.extensions["glossary"].live.interval = 0.1
    yield app, proxy
    proxy.restore() if proxy._listener is None else None
    app.extensions["glossary"].store.engine.dispose()


def test_database_down_serves_cached_pages_and_503_with_retry_after_for_the_rest(proxied):
    app, proxy = proxied
    client = app.test_client()
    cached = client.get("/articles/toolbox")
    assert cached.status_code == 200
    proxy.cut()
    time.sleep(0.2)
    stale = client.get("/articles/toolbox")
    assert stale.status_code == 200
    assert stale.get_data() == cached.get_data()
    assert stale.headers["Cache-Control"] == "no-store"
    missing = client.get("/terms/secondary-sanctions")
    assert missing.status_code == 503
    assert missing.headers["Retry-After"] == "7"
    assert "Traceback" not in missing.get_data(as_text=True)
    assert "暂时无法访问" in missing.get_data(as_text=True)


def test_database_down_api_and_healthz_answer_503_problem_json_with_retry_after(proxied):
    app, proxy = proxied
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    proxy.cut()
    time.sleep(0.2)
    for response in (client.get("/api/terms/secondary-sanctions"), client.get("/healthz")):
        assert response.status_code == 503
        assert response.headers["Content-Type"] == "application/problem+json"
        assert response.headers["Retry-After"] == "7"
        assert response.get_json()["status"] == 503


def test_database_down_reports_store_error_until_it_returns(proxied):
    app, proxy = proxied
    client = app.test_client()
    assert client.get("/articles/toolbox").status_code == 200
    live = app.extensions["glossary"].live
    proxy.cut()
    time.sleep(0.2)
    client.get("/articles/toolbox")
    assert live.status()["store_error"]
    proxy.restore()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (client.get("/terms/secondary-sanctions").status_code != 200
                                           or live.status()["store_error"] is not None):
        time.sleep(0.2)
    assert client.get("/terms/secondary-sanctions").status_code == 200
    assert live.status()["store_error"] is None


# -- a large glossary's index ----------------------------------------------------------------


@pytest.fixture
def paged(tmp_path, terms_file, database_url):
    app = make_app(tmp_path, terms_file, database_url, GLOSSARY_INDEX_PAGE_SIZE=2)
    sync(app, terms_file, tmp_path)
    return app.test_client()


def index_terms(response) -> list[str]:
    from bs4 import BeautifulSoup

    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return [a["href"].rsplit("/", 1)[1] for a in page.select("ul.entries a[href^='/terms/']")]


def test_index_larger_than_its_page_size_shows_the_first_letter_only(paged):
    response = paged.get("/terms")
    assert response.status_code == 200
    # A: ai-chip (AI芯片); the next letters are on their own pages.
    assert index_terms(response) == ["ai-chip"]
    assert 'href="/terms?letter=C"' in response.get_data(as_text=True)


def test_index_letter_page_lists_that_letter_in_pages_of_the_page_size(paged):
    first = paged.get("/terms?letter=S")
    second = paged.get("/terms?letter=S&page=2")
    assert len(index_terms(first)) == 2
    assert index_terms(second) and not set(index_terms(first)) & set(index_terms(second))
    assert 'rel="next"' in first.get_data(as_text=True)
    assert 'rel="prev"' in second.get_data(as_text=True)


def test_index_letter_not_in_use_or_page_out_of_range_is_404(paged):
    assert paged.get("/terms?letter=Q").status_code == 404
    assert paged.get("/terms?letter=S&page=9").status_code == 404
    assert paged.get("/terms?letter=S&page=zero").status_code == 404


def test_index_within_its_page_size_lists_every_term_on_one_page(app):
    response = app.test_client().get("/terms")
    assert len(index_terms(response)) == 11
    assert "?letter=" not in response.get_data(as_text=True)
