"""A running server follows terms.yaml: good edits are served, broken ones are not loaded."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import urllib.request

import pytest
from conftest import TERMS_YAML
from werkzeug.serving import make_server

from glossary.sources.filewatch import WatchedFile
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
        # The request that notices an edit waits for it to be loaded: a loaded machine takes its time.
        "GLOSSARY_RELOAD_WAIT": 30,
    })
    app.extensions["glossary"].store.sync(*read_inputs(terms_file, articles))
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
    return app.extensions["glossary"].live


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
    # An outsider reads the status (/healthz): no absolute path of the server's.
    assert status["problems"] == ["terms.yaml:2: missing required field 'term'"]
    assert status["terms"] == "terms.yaml"


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
    store = app.extensions["glossary"].store
    added = edited() + "  - id: new-thing\n    term: 受到\n    definition: 为测试反向链接而加的词。\n"
    terms_file.write_text(added, encoding="utf-8")
    definition(client)
    assert store.load_glossary().get("entity-list").definition.startswith(NEW)
    assert [a.slug for a, _ in store.backlinks("new-thing")] == ["a"]
    assert store.glossary_version() == live(app).current().version


def test_a_broken_file_never_reaches_the_store(app, client, terms_file):
    store = app.extensions["glossary"].store
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
    store = app.extensions["glossary"].store
    live(app).wait = 0.2
    started, release = threading.Event(), threading.Event()
    real = store.sync_glossary

    def slow_sync(glossary, **kwargs):
        started.set()
        release.wait(30)
        return real(glossary, **kwargs)

    monkeypatch.setattr(store, "sync_glossary", slow_sync)
    terms_file.write_text(edited(), encoding="utf-8")
    try:
        # Neither the request that noticed the edit nor any other waits for the slow write.
        began = time.monotonic()
        noticed = definition(app.test_client())
        assert started.wait(30)
        meanwhile = definition(app.test_client())
        assert time.monotonic() - began < 10
        for page in (noticed, meanwhile):
            assert (OLD in page and NEW not in page) or (NEW in page and OLD not in page)
    finally:
        release.set()
    deadline = time.monotonic() + 30
    while NEW not in definition(client) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert NEW in definition(client)


def test_a_running_server_thread_follows_the_file_within_its_interval(tmp_path, terms_file, database_url):
    articles = tmp_path / "articles"
    articles.mkdir()
    app = create_app({"GLOSSARY_TERMS": str(terms_file), "GLOSSARY_DATABASE_URL": database_url})
    app.extensions["glossary"].store.sync(*read_inputs(terms_file, articles))
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
        while not app.extensions["glossary"].live.problems and time.monotonic() < deadline:
            urllib.request.urlopen(url).close()
            time.sleep(0.1)
        assert [p.line for p in app.extensions["glossary"].live.problems] == [2]
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


# -- which terms file a server may write into the store ------------------------------------

THREE_TERMS = """\
terms:
  - id: a
    term: 甲方
    definition: 合同的一方。
  - id: b
    term: 乙方
    definition: 合同的另一方。
  - id: c
    term: 丙方
    definition: 第三方。
"""


def synced_store(tmp_path, terms_file, database_url):
    """Return a store synced from `terms_file` by `glossary sync`, which records the file."""
    from glossary.store import Sources, Store

    articles = tmp_path / "articles"
    articles.mkdir(exist_ok=True)
    (articles / "a.md").write_text(ARTICLE, encoding="utf-8")
    store = Store(database_url)
    store.sync(*read_inputs(terms_file, articles),
               sources=Sources(terms=str(terms_file.resolve()), articles=str(articles.resolve())))
    return store


def serving(database_url, **config):
    return create_app({"GLOSSARY_DATABASE_URL": database_url, "GLOSSARY_RELOAD_INTERVAL": 0,
                       "GLOSSARY_RELOAD_WAIT": 30, **config})


def term_ids(app) -> list[str]:
    return [t.id for t in app.extensions["glossary"].store.load_glossary()]


def test_a_server_not_told_which_terms_file_follows_none(tmp_path, terms_file, database_url, monkeypatch):
    synced_store(tmp_path, terms_file, database_url)
    stray = tmp_path / "elsewhere"
    stray.mkdir()
    (stray / "terms.yaml").write_text(THREE_TERMS, encoding="utf-8")
    monkeypatch.chdir(stray)
    monkeypatch.delenv("GLOSSARY_TERMS", raising=False)
    app = serving(database_url)
    client = app.test_client()
    assert OLD in definition(client)
    (stray / "terms.yaml").write_text(THREE_TERMS + "# saved again\n", encoding="utf-8")
    assert OLD in definition(client)
    assert "entity-list" in term_ids(app) and "a" not in term_ids(app)
    status = client.get("/healthz").get_json()
    assert status["terms_file"] == {"path": None, "following": False, "problems": [], "refused": None}
    assert status["status"] == "ok"


def test_a_file_the_store_was_not_synced_from_is_never_written_over_it(tmp_path, terms_file, database_url):
    store = synced_store(tmp_path, terms_file, database_url)
    before = (store.glossary_version(), term_ids_of(store))
    other = tmp_path / "other" / "terms.yaml"
    other.parent.mkdir()
    other.write_text(THREE_TERMS, encoding="utf-8")
    app = serving(database_url, GLOSSARY_TERMS=str(other))
    client = app.test_client()
    assert OLD in definition(client)
    other.write_text(THREE_TERMS + "# an edit\n", encoding="utf-8")
    assert OLD in definition(client)
    assert (store.glossary_version(), term_ids_of(store)) == before
    health = client.get("/healthz").get_json()
    assert health["status"] == "degraded"
    assert "another file named terms.yaml" in health["terms_file"]["refused"]
    assert "--replace" in health["terms_file"]["refused"]
    assert str(tmp_path) not in json.dumps(health)


def test_the_refusal_is_logged_naming_both_files(tmp_path, terms_file, database_url, caplog):
    synced_store(tmp_path, terms_file, database_url)
    other = tmp_path / "other.yaml"
    other.write_text(THREE_TERMS, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="glossary.web.live"):
        definition(serving(database_url, GLOSSARY_TERMS=str(other)).test_client())
    assert any(str(other) in m and "not written to the store" in m for m in caplog.messages)
    assert any(str(terms_file.resolve()) in m for m in caplog.messages)


def test_replace_lets_the_followed_file_replace_the_store(tmp_path, terms_file, database_url):
    store = synced_store(tmp_path, terms_file, database_url)
    other = tmp_path / "other.yaml"
    other.write_text(THREE_TERMS, encoding="utf-8")
    app = serving(database_url, GLOSSARY_TERMS=str(other), GLOSSARY_REPLACE_STORE="1")
    client = app.test_client()
    client.get("/")
    assert client.get("/terms/a").status_code == 200
    assert term_ids_of(store) == ["a", "b", "c"]
    assert store.sources().terms == str(other.resolve())


def test_the_store_s_own_file_edited_while_no_server_ran_is_served_at_start(tmp_path, terms_file, database_url):
    store = synced_store(tmp_path, terms_file, database_url)
    terms_file.write_text(edited(), encoding="utf-8")
    app = serving(database_url, GLOSSARY_TERMS=str(terms_file))
    assert NEW in definition(app.test_client())
    assert store.load_glossary().get("entity-list").definition.startswith(NEW)


def test_an_empty_store_takes_the_followed_file(tmp_path, terms_file, database_url):
    app = serving(database_url, GLOSSARY_TERMS=str(terms_file))
    assert OLD in definition(app.test_client())
    assert app.extensions["glossary"].store.sources().terms == str(terms_file.resolve())


def test_a_store_synced_without_a_recorded_file_adopts_the_file_holding_its_glossary(app, client, terms_file):
    # The `app` fixture syncs without recording the file, as versions before the record did.
    store = app.extensions["glossary"].store
    assert store.sources().terms == str(terms_file.resolve())
    terms_file.write_text(edited(), encoding="utf-8")
    assert NEW in definition(client)


def test_a_store_synced_without_a_recorded_file_is_not_replaced_by_another_glossary(tmp_path, terms_file,
                                                                                 database_url):
    from glossary.store import Store

    articles = tmp_path / "articles"
    articles.mkdir()
    store = Store(database_url)
    store.sync(*read_inputs(terms_file, articles))
    other = tmp_path / "other.yaml"
    other.write_text(THREE_TERMS, encoding="utf-8")
    client = serving(database_url, GLOSSARY_TERMS=str(other)).test_client()
    assert OLD in definition(client)
    assert "older version" in client.get("/healthz").get_json()["terms_file"]["refused"]
    assert "a" not in term_ids_of(store)


def test_glossary_sync_by_hand_makes_a_refused_file_the_store_s(tmp_path, terms_file, database_url):
    from glossary.store import Sources

    store = synced_store(tmp_path, terms_file, database_url)
    other = tmp_path / "other.yaml"
    other.write_text(THREE_TERMS, encoding="utf-8")
    app = serving(database_url, GLOSSARY_TERMS=str(other))
    client = app.test_client()
    assert client.get("/healthz").get_json()["terms_file"]["refused"]
    store.sync(*read_inputs(other, tmp_path / "articles"), sources=Sources(terms=str(other.resolve())))
    assert client.get("/terms/a").status_code == 200
    assert client.get("/healthz").get_json()["terms_file"]["refused"] is None
    other.write_text(THREE_TERMS.replace("合同的一方", "改过的定义"), encoding="utf-8")
    assert "改过的定义" in client.get("/terms/a").get_data(as_text=True)


def term_ids_of(store) -> list[str]:
    return [t.id for t in store.load_glossary()]


# -- a store that does not take a write ------------------------------------------------------

# The test runs as root, for whom file permissions do not make SQLite read-only;
# a trigger makes the real database refuse the write instead, on either engine.
REFUSE = {
    "sqlite": ["CREATE TRIGGER refuse_update BEFORE UPDATE ON meta BEGIN SELECT RAISE(ABORT, 'read-only store'); END",
               "CREATE TRIGGER refuse_insert BEFORE INSERT ON terms BEGIN SELECT RAISE(ABORT, 'read-only store'); END"],
    "postgresql": ["CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'read-only store'; END $$ "
                   "LANGUAGE plpgsql",
                   "CREATE TRIGGER refuse_update BEFORE UPDATE OR INSERT ON meta FOR EACH ROW "
                   "EXECUTE FUNCTION refuse()",
                   "CREATE TRIGGER refuse_insert BEFORE INSERT ON terms FOR EACH ROW EXECUTE FUNCTION refuse()"],
}
ALLOW = {
    "sqlite": ["DROP TRIGGER refuse_update", "DROP TRIGGER refuse_insert"],
    "postgresql": ["DROP TRIGGER refuse_update ON meta", "DROP TRIGGER refuse_insert ON terms"],
}


def run_sql(store, statements):
    from sqlalchemy import text

    with store.engine.begin() as connection:
        for statement in statements[connection.dialect.name]:
            connection.execute(text(statement))


def test_a_failed_store_write_is_reported_and_retried_until_the_store_takes_it(app, client, terms_file):
    store = app.extensions["glossary"].store
    before = store.glossary_version()
    run_sql(store, REFUSE)
    terms_file.write_text(edited(), encoding="utf-8")
    assert NEW in definition(client)  # the good edit is served from memory
    assert store.glossary_version() == before
    health = client.get("/healthz").get_json()
    assert health["status"] == "degraded"
    assert "read-only store" in health["store_write_error"]
    assert health["serving_version"] != health["glossary_version"]
    run_sql(store, ALLOW)
    # No new edit: the next check writes it.
    assert NEW in definition(client)
    assert store.glossary_version() == live(app).current().version
    assert store.load_glossary().get("entity-list").definition.startswith(NEW)
    health = client.get("/healthz").get_json()
    assert health["status"] == "ok" and health["store_write_error"] is None


# -- hostile terms files ----------------------------------------------------------------------


def alias_bomb(levels: int) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines) + f"\nterms:\n  - id: x\n    term: 甲\n    definition: *a{levels - 1}\n"


def test_a_nine_level_alias_bomb_is_refused_within_a_second_and_the_glossary_stays(app, client, terms_file):
    terms_file.write_text(alias_bomb(9), encoding="utf-8")
    began = time.monotonic()
    assert OLD in definition(client)
    assert time.monotonic() - began < 1
    assert [str(p) for p in live(app).problems] == [
        f"{terms_file}:2: YAML aliases (*name) are not allowed here: write the value out in full"]
    assert client.get("/healthz").get_json()["status"] == "degraded"


def test_a_valid_edit_after_an_alias_bomb_is_served(app, client, terms_file):
    terms_file.write_text(alias_bomb(9), encoding="utf-8")
    definition(client)
    terms_file.write_text(edited(), encoding="utf-8")
    assert NEW in definition(client)
    assert live(app).problems == ()


def test_a_slow_reload_is_reported_as_reloading_and_blocks_no_request(app, client, terms_file, monkeypatch):
    store = app.extensions["glossary"].store
    live(app).wait = 0
    started, release = threading.Event(), threading.Event()
    real = store.sync_glossary

    def slow_sync(glossary, **kwargs):
        started.set()
        release.wait(30)
        return real(glossary, **kwargs)

    monkeypatch.setattr(store, "sync_glossary", slow_sync)
    monkeypatch.setattr("glossary.web.api.RELOADING_AFTER", 0)
    terms_file.write_text(edited(), encoding="utf-8")
    try:
        client.get("/")
        assert started.wait(30)
        health = client.get("/healthz").get_json()
        assert health["status"] == "reloading" and health["reloading"] >= 0
    finally:
        release.set()


MOVE_META = dict.fromkeys(("sqlite", "postgresql"), ["ALTER TABLE meta RENAME TO meta_away"])
RESTORE_META = dict.fromkeys(("sqlite", "postgresql"), ["ALTER TABLE meta_away RENAME TO meta"])


def test_an_edit_noticed_while_the_store_fails_is_served_once_it_answers(app, client, terms_file):
    store = app.extensions["glossary"].store
    run_sql(store, MOVE_META)  # the store fails every read of its records meanwhile
    try:
        terms_file.write_text(edited(), encoding="utf-8")
        definition(client)
        assert live(app).status()["store_error"]
    finally:
        run_sql(store, RESTORE_META)
    # No new edit: the one noticed during the failure is not forgotten.
    assert NEW in definition(client)
    assert store.load_glossary().get("entity-list").definition.startswith(NEW)


def test_a_retried_store_write_never_replaces_a_glossary_synced_by_hand_from_another_file(app, client, terms_file,
                                                                                        tmp_path):
    from glossary.store import Sources

    store = app.extensions["glossary"].store
    run_sql(store, REFUSE)
    terms_file.write_text(edited(), encoding="utf-8")
    assert NEW in definition(client)  # served from memory, the write to be retried
    run_sql(store, ALLOW)
    other = tmp_path / "other.yaml"
    other.write_text(THREE_TERMS, encoding="utf-8")
    store.sync(*read_inputs(other, tmp_path / "articles"), sources=Sources(terms=str(other.resolve())))
    assert app.test_client().get("/terms/a").status_code == 200  # the store's glossary is served
    assert term_ids_of(store) == ["a", "b", "c"]
    assert store.sources().terms == str(other.resolve())
    health = client.get("/healthz").get_json()
    assert health["status"] == "degraded" and health["terms_file"]["refused"]
    assert health["store_write_error"] is None


def test_a_glossary_synced_by_hand_while_an_edit_is_compiled_is_not_replaced(app, client, terms_file, tmp_path,
                                                                            monkeypatch):
    from glossary.store import Sources

    store = app.extensions["glossary"].store
    other = tmp_path / "other.yaml"
    other.write_text(THREE_TERMS, encoding="utf-8")
    compiled = []
    compile_glossary = live(app)._compile

    def compile_while_synced(glossary):
        # `glossary sync` of another file commits while the server compiles the edit it has just checked.
        if not compiled:
            store.sync(*read_inputs(other, tmp_path / "articles"), sources=Sources(terms=str(other.resolve())))
        compiled.append(glossary)
        return compile_glossary(glossary)

    monkeypatch.setattr(live(app), "_compile", compile_while_synced)
    terms_file.write_text(edited(), encoding="utf-8")
    app.test_client().get("/")
    assert compiled and term_ids_of(store) == ["a", "b", "c"]
    assert store.sources().terms == str(other.resolve())
    assert app.test_client().get("/terms/a").status_code == 200


def test_a_terms_link_pointed_at_another_file_is_not_written_over_the_store(tmp_path, terms_file, database_url):
    other = tmp_path / "other" / "terms.yaml"
    other.parent.mkdir()
    other.write_text(THREE_TERMS, encoding="utf-8")
    link = tmp_path / "current.yaml"
    link.symlink_to(terms_file)
    store = synced_store(tmp_path, link, database_url)  # recorded as the file the link leads to
    client = serving(database_url, GLOSSARY_TERMS=str(link)).test_client()
    assert OLD in definition(client)
    repointed = tmp_path / "current.tmp"
    repointed.symlink_to(other)
    os.replace(repointed, link)  # as a deploy switches releases
    client.get("/")
    assert "entity-list" in term_ids_of(store) and "a" not in term_ids_of(store)
    assert store.sources().terms == str(terms_file.resolve())
    assert client.get("/healthz").get_json()["terms_file"]["refused"]


def test_healthz_names_a_sqlite_uri_store_without_its_absolute_path(tmp_path):
    # SQLite's URI form opens a store read-only: ?mode=ro&uri=true.
    app = create_app({"GLOSSARY_DATABASE_URL": f"sqlite:///file:{tmp_path}/store.db?uri=true"})
    health = app.test_client().get("/healthz").get_json()
    assert health["store"] == "sqlite: store.db"
    assert str(tmp_path) not in json.dumps(health)


def test_a_stored_article_that_no_longer_renders_makes_the_write_fail_reported_not_crash(app, client, terms_file):
    # A store synced before nesting was bounded may hold such an article; sync now refuses it.
    from sqlalchemy import update

    from glossary.store.models import ArticleRow

    store = app.extensions["glossary"].store
    with store.session() as session:
        session.execute(update(ArticleRow).where(ArticleRow.slug == "a").values(body=">" * 300 + " 实体清单\n"))
        session.commit()
    terms_file.write_text(edited(), encoding="utf-8")
    assert NEW in definition(client)
    health = client.get("/healthz").get_json()
    assert health["status"] == "degraded"
    assert health["store_write_error"].startswith("NestingError")


def test_a_retired_glossary_is_collected_once_the_server_swapped_it(app, client, terms_file):
    import gc
    import weakref

    app.config["GLOSSARY_EDITOR_TOKEN"] = "secret"
    # Every cache a request can fill: pages, the index, tags, term search, an API answer, the editor's report.
    for path in ("/", "/articles/a", "/terms", "/tags", "/terms/entity-list", "/api/terms", "/api/terms?q=shi",
                 "/api/terms/entity-list"):
        assert client.get(path).status_code == 200, path
    assert client.post("/api/annotate", json={"markdown": "**实体清单**", "mode": "all"}).status_code == 200
    assert client.get("/editor", headers={"Authorization": "Bearer secret"}).status_code == 200
    # The compiled glossary the server held, and the plain one it compiled.
    old = [weakref.ref(live(app).current()), weakref.ref(live(app).current().glossary)]
    terms_file.write_text(edited(), encoding="utf-8")
    assert NEW in definition(client)
    gc.collect()
    assert [ref() for ref in old] == [None, None]


def test_health_messages_show_no_absolute_path_of_the_server():
    from glossary.web.live import without_paths

    message = 'OperationalError: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed'
    assert without_paths(message) == 'OperationalError: connection to server on socket ".s.PGSQL.5432" failed'
    assert without_paths("unable to open /srv/site/instance/glossary.db") == "unable to open glossary.db"
    assert without_paths("see https://example.org/a/b") == "see https://example.org/a/b"
