"""A running server follows terms.yaml: good edits are served, broken ones are not loaded."""

from __future__ import annotations

import logging
import os
import threading
import time
import urllib.request

import pytest
from conftest import TERMS_YAML
from werkzeug.serving import make_server

from glossary.filewatch import WatchedFile
from glossary.store import read_inputs
from glossary.web.app import create_app

OLD = "美国商务部公布的一份名单"
NEW = "新写的定义文本"
ARTICLE = "---\ntitle: 管制\n---\n\n企业被列入**实体清单**，也受到**二级制裁**。\n"
# The entity-list entry loses its required 'term' (line 3 of the file is its id).
BROKEN = TERMS_YAML.replace("    term: 实体清单\n", "")


def edited(text: str = TERMS_YAML) -> str:
    return text.replace(OLD, NEW)


@pytest.fixture
def app(tmp_path, terms_file, database_url):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.md").write_text(ARTICLE, encoding="utf-8")
    app = create_app({
        "GLOSSARY_TERMS": str(terms_file),
        "GLOSSARY_ARTICLES": str(articles),
        "GLOSSARY_DATABASE_URL": database_url,
        "GLOSSARY_RELOAD_INTERVAL": 0,  # check on every request: the tests need no waiting
    })
    app.extensions["glossary"]["store"].sync(*read_inputs(terms_file, articles))
    return app


@pytest.fixture
def client(app):
    client = app.test_client()
    assert OLD in definition(client)  # the server has started, and seen the file
    return client


def definition(client) -> str:
    response = client.get("/terms/entity-list")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def live(app):
    return app.extensions["glossary"]["live"]


def test_edited_definition_is_served_without_a_restart(client, terms_file):
    terms_file.write_text(edited(), encoding="utf-8")
    assert NEW in definition(client)


def test_broken_file_is_not_loaded_and_the_last_good_glossary_is_served(app, client, terms_file):
    terms_file.write_text(edited(), encoding="utf-8")
    assert NEW in definition(client)
    terms_file.write_text(BROKEN, encoding="utf-8")
    assert NEW in definition(client)
    assert [str(p) for p in live(app).problems] == [f"{terms_file}:2: missing required field 'term'"]


def test_problems_are_logged_with_their_lines(client, terms_file, caplog):
    terms_file.write_text(BROKEN, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="glossary.web.live"):
        definition(client)
    assert f"{terms_file}:2: missing required field 'term'" in caplog.messages
    assert any("not loaded" in m for m in caplog.messages)


def test_status_reports_the_problems_and_the_version_served(app, client, terms_file):
    version = live(app).status()["version"]
    terms_file.write_text(BROKEN, encoding="utf-8")
    definition(client)
    status = live(app).status()
    assert status["version"] == version
    assert status["problems"] == [f"{terms_file}:2: missing required field 'term'"]
    assert status["terms"] == str(terms_file)


def test_fixing_the_file_clears_the_problems_and_serves_it(app, client, terms_file):
    terms_file.write_text(BROKEN, encoding="utf-8")
    definition(client)
    terms_file.write_text(edited(), encoding="utf-8")
    assert NEW in definition(client)
    assert live(app).problems == ()


def test_deleted_file_is_a_problem_and_the_glossary_stays(app, client, terms_file):
    terms_file.unlink()
    assert OLD in definition(client)
    assert [p.message for p in live(app).problems] == ["cannot read file: No such file or directory"]


def test_the_store_follows_the_file_in_one_sync(app, client, terms_file):
    store = app.extensions["glossary"]["store"]
    added = edited() + "  - id: new-thing\n    term: 受到\n    definition: 为测试反向链接而加的词。\n"
    terms_file.write_text(added, encoding="utf-8")
    definition(client)
    assert store.load_glossary().get("entity-list").definition.startswith(NEW)
    assert [a.slug for a, _ in store.backlinks("new-thing")] == ["a"]
    assert store.glossary_version() == live(app).current().version


def test_a_broken_file_never_reaches_the_store(app, client, terms_file):
    store = app.extensions["glossary"]["store"]
    before = (store.glossary_version(), store.load_glossary().terms)
    terms_file.write_text(BROKEN, encoding="utf-8")
    definition(client)
    assert (store.glossary_version(), store.load_glossary().terms) == before


def test_the_server_never_writes_terms_yaml(client, terms_file):
    for content in (edited(), BROKEN):
        terms_file.write_text(content, encoding="utf-8")
        stamp = terms_file.stat().st_mtime_ns
        definition(client)
        definition(client)
        assert terms_file.read_text(encoding="utf-8") == content
        assert terms_file.stat().st_mtime_ns == stamp


def test_the_file_the_server_started_with_is_not_loaded_over_the_store(tmp_path, terms_file, database_url):
    # The store holds what `glossary sync` wrote; terms.yaml is followed from the start on.
    other = tmp_path / "other.yaml"
    other.write_text(edited(), encoding="utf-8")
    app = create_app({"GLOSSARY_TERMS": str(other), "GLOSSARY_DATABASE_URL": database_url,
                      "GLOSSARY_RELOAD_INTERVAL": 0})
    articles = tmp_path / "articles"
    articles.mkdir()
    app.extensions["glossary"]["store"].sync(*read_inputs(terms_file, articles))
    client = app.test_client()
    assert OLD in definition(client)
    other.write_text(edited() + "\n# a later save\n", encoding="utf-8")
    assert NEW in definition(client)


def test_a_change_within_the_same_timestamp_and_size_is_noticed(client, terms_file):
    # Same size, same mtime, same inode: only reading again tells the files apart.
    future = time.time_ns() + 3600 * 10**9
    os.utime(terms_file, ns=(future, future))
    definition(client)
    same_size = TERMS_YAML.replace("美国商务部", "美國商務部")
    assert len(same_size.encode()) == len(TERMS_YAML.encode())
    with open(terms_file, "r+b") as handle:  # in place: the inode stays
        handle.write(same_size.encode())
    os.utime(terms_file, ns=(future, future))
    assert "美國商務部公布的一份名单" in definition(client)


def test_requests_during_a_reload_get_the_old_glossary_without_waiting(app, client, terms_file, monkeypatch):
    store = app.extensions["glossary"]["store"]
    started, release = threading.Event(), threading.Event()
    real = store.sync_glossary

    def slow_sync(glossary):
        started.set()
        release.wait(30)
        return real(glossary)

    monkeypatch.setattr(store, "sync_glossary", slow_sync)
    terms_file.write_text(edited(), encoding="utf-8")
    reloading = []
    thread = threading.Thread(target=lambda: reloading.append(definition(app.test_client())))
    thread.start()
    try:
        assert started.wait(30)
        # One request is reloading: another is answered at once, wholly from the old glossary.
        meanwhile = definition(app.test_client())
        assert OLD in meanwhile and NEW not in meanwhile
    finally:
        release.set()
        thread.join(30)
    assert NEW in reloading[0]
    assert NEW in definition(client)


def test_a_running_server_thread_follows_the_file_within_its_interval(tmp_path, terms_file, database_url):
    articles = tmp_path / "articles"
    articles.mkdir()
    app = create_app({"GLOSSARY_TERMS": str(terms_file), "GLOSSARY_DATABASE_URL": database_url})
    app.extensions["glossary"]["store"].sync(*read_inputs(terms_file, articles))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/terms/entity-list"

    def served_until(text: str) -> bool:
        # The default interval is 1 s; allow a loaded machine far longer.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with urllib.request.urlopen(url) as response:
                if text in response.read().decode():
                    return True
            time.sleep(0.1)
        return False

    try:
        assert served_until(OLD)
        tmp = terms_file.with_suffix(".tmp")
        tmp.write_text(edited(), encoding="utf-8")
        os.replace(tmp, terms_file)  # as editors' tools save
        assert served_until(NEW)
        terms_file.write_text(BROKEN, encoding="utf-8")
        deadline = time.monotonic() + 20
        while not app.extensions["glossary"]["live"].problems and time.monotonic() < deadline:
            urllib.request.urlopen(url).close()
            time.sleep(0.1)
        assert [p.line for p in app.extensions["glossary"]["live"].problems] == [2]
        with urllib.request.urlopen(url) as response:
            assert NEW in response.read().decode()
    finally:
        server.shutdown()
        thread.join(10)


# -- the watcher on its own -----------------------------------------------------------


def test_watcher_reports_the_starting_content_once_as_initial(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text("a", encoding="utf-8")
    watch = WatchedFile(path)
    first = watch.poll()
    assert first.data == b"a" and first.initial
    assert watch.poll() is None


def test_watcher_reports_a_change_made_after_it_started_as_not_initial(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text("a", encoding="utf-8")
    watch = WatchedFile(path)
    path.write_text("bb", encoding="utf-8")
    reading = watch.poll()
    assert reading.data == b"bb" and not reading.initial


def test_watcher_ignores_a_rewrite_with_the_same_content(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text("a", encoding="utf-8")
    watch = WatchedFile(path)
    watch.poll()
    path.write_text("a", encoding="utf-8")
    assert watch.poll() is None


def test_watcher_reports_a_missing_file_once(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text("a", encoding="utf-8")
    watch = WatchedFile(path)
    watch.poll()
    path.unlink()
    reading = watch.poll()
    assert reading.data is None and "No such file" in reading.error
    assert watch.poll() is None


def test_a_file_nested_too_deeply_is_a_problem_not_a_crash(app, client, terms_file):
    terms_file.write_text("terms:\n  - " + "[" * 100000 + "]" * 100000 + "\n", encoding="utf-8")
    assert OLD in definition(client)
    assert [str(p) for p in live(app).problems] == [f"{terms_file}:2: YAML syntax error: nested too deeply"]
