"""The store's schema (Alembic migrations), write locking, and several servers on one store."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from conftest import write_site
from sqlalchemy import text
from test_store import LONG_ARM, SANCTIONS, TERMS, dump

from glossary.cli import create_app, main
from glossary.store import SchemaError, Store, read_inputs
from glossary.store import schema as store_schema
from glossary.store.models import Base


@pytest.fixture
def project(tmp_path, database_url):
    terms, articles = write_site(tmp_path, TERMS, {"sanctions.md": SANCTIONS, "long-arm.md": LONG_ARM})
    app = create_app({"GLOSSARY_TERMS": str(terms), "GLOSSARY_ARTICLES": str(articles),
                      "GLOSSARY_DATABASE_URL": database_url})
    return {"terms": terms, "articles": articles, "url": database_url, "app": app}


def cli(project, *args):
    return project["app"].test_cli_runner().invoke(main, list(args))


def make_old_store(url: str, keep_revision: bool) -> None:
    """Make the store glossary 0.1 made: the first schema, with or without Alembic's record of it."""
    with Store(url).engine.begin() as connection:
        store_schema.upgrade(connection, "0001")
        if not keep_revision:
            connection.execute(text("DROP TABLE alembic_version"))


def revision(url: str) -> str | None:
    with Store(url).engine.connect() as connection:
        return store_schema.current(connection)


def test_migrations_create_exactly_the_schema_the_models_describe(database_url):
    store = Store(database_url)
    store.upgrade()
    with store.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_db_upgrade_creates_the_schema_then_reports_it_up_to_date(project):
    first = cli(project, "db", "upgrade")
    assert first.exit_code == 0, first.output
    assert first.output == f"schema at revision {store_schema.head()} (was empty)\n"
    second = cli(project, "db", "upgrade")
    assert second.output == f"schema at revision {store_schema.head()}\n"
    assert cli(project, "db", "status").exit_code == 0


def test_db_status_of_an_empty_store_exits_1_naming_db_upgrade(project):
    result = cli(project, "db", "status")
    assert result.exit_code == 1
    assert "run `glossary db upgrade`" in result.stderr


def test_sync_refuses_an_out_of_date_schema_naming_the_command_and_changes_nothing(project):
    make_old_store(project["url"], keep_revision=True)
    result = cli(project, "sync")
    assert result.exit_code == 1
    assert "schema is at revision 0001" in result.stderr
    assert "run `glossary db upgrade`" in result.stderr
    assert "sync aborted: the store was not changed" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert revision(project["url"]) == "0001"
    with Store(project["url"]).engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM terms")).scalar() == 0


def test_db_upgrade_adopts_a_store_created_before_migrations(project):
    make_old_store(project["url"], keep_revision=False)
    assert cli(project, "db", "upgrade").exit_code == 0
    assert revision(project["url"]) == store_schema.head()
    assert cli(project, "sync").exit_code == 0


def test_upgraded_store_gets_index_readings_on_its_next_sync(project):
    make_old_store(project["url"], keep_revision=True)
    with Store(project["url"]).engine.begin() as connection:
        # Terms synced by glossary 0.1, before readings were kept.
        connection.execute(text("INSERT INTO terms (id, position, term, definition) VALUES "
                                "('long-arm-jurisdiction', 0, '长臂管辖', '一国把本国法律延伸适用于境外主体的做法。')"))
    assert cli(project, "db", "upgrade").exit_code == 0
    assert cli(project, "sync").exit_code == 0
    readings = Store(project["url"]).load_glossary().readings
    # The editor's toneless `pinyin` field, and the automatic reading of another headword.
    assert readings["long-arm-jurisdiction"] == "chang:5 bi:5 guan:5 xia:5"
    assert readings["entity-list"] == "shi:2 ti:3 qing:1 dan:1"
    assert set(readings) == {"entity-list", "long-arm-jurisdiction", "secondary-sanctions", "swift"}


def test_sync_of_an_empty_database_creates_the_schema(project):
    result = cli(project, "sync")
    assert result.exit_code == 0, result.stderr
    assert revision(project["url"]) == store_schema.head()


def test_server_on_an_out_of_date_schema_raises_schema_error_naming_db_upgrade(project):
    make_old_store(project["url"], keep_revision=True)
    with pytest.raises(SchemaError, match="glossary db upgrade"):
        Store(project["url"]).ensure_schema()


def test_sync_started_during_another_waits_for_it_instead_of_interleaving(project):
    store = Store(project["url"])
    glossary, articles = read_inputs(project["terms"], project["articles"])
    store.sync(glossary, articles)
    changed = project["terms"].read_text(encoding="utf-8").replace("一国把本国法律", "把本国法律")
    project["terms"].write_text(changed, encoding="utf-8")
    second_inputs = read_inputs(project["terms"], project["articles"])
    done = threading.Event()
    errors = []

    def second_sync():
        try:
            Store(project["url"]).sync(*second_inputs)
        except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)
        done.set()

    with store.writing() as connection:
        # The first writer holds the lock and has written half its work.
        connection.execute(text("UPDATE terms SET definition = 'half-written' WHERE id = 'swift'"))
        worker = threading.Thread(target=second_sync)
        worker.start()
        assert not done.wait(1.0), "the second sync ran while the first held the write lock"
    worker.join(30)
    assert done.is_set() and errors == []
    terms = {t.id: t for t in Store(project["url"]).load_glossary()}
    # The first writer's transaction committed first, then the second wrote its inputs whole.
    assert terms["long-arm-jurisdiction"].definition.startswith("把本国法律")
    assert terms["swift"].definition != "half-written"


def test_postgresql_sync_failing_midway_leaves_the_store_unchanged(tmp_path, postgresql_url):
    terms = tmp_path / "terms.yaml"
    terms.write_text(TERMS, encoding="utf-8")
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "sanctions.md").write_text(SANCTIONS, encoding="utf-8")
    store = Store(postgresql_url)
    store.sync(*read_inputs(terms, articles))
    before = dump(store)
    # The database itself refuses part of the next sync, after its terms are written.
    with store.engine.begin() as connection:
        connection.execute(text(
            "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql"))
        connection.execute(text(
            "CREATE TRIGGER refuse BEFORE INSERT ON occurrences FOR EACH ROW EXECUTE FUNCTION refuse()"))
    terms.write_text(TERMS.replace("一国把本国法律", "把本国法律"), encoding="utf-8")
    (articles / "long-arm.md").write_text(LONG_ARM, encoding="utf-8")
    with pytest.raises(Exception, match="refused"):
        store.sync(*read_inputs(terms, articles))
    assert dump(store) == before


def test_two_servers_on_one_postgresql_store_both_serve_a_sync_within_two_seconds(tmp_path, postgresql_url):
    terms = tmp_path / "terms.yaml"
    terms.write_text(TERMS, encoding="utf-8")
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "sanctions.md").write_text(SANCTIONS, encoding="utf-8")
    config = {"GLOSSARY_TERMS": str(terms), "GLOSSARY_ARTICLES": str(articles), "GLOSSARY_DATABASE_URL": postgresql_url}
    first, second = create_app(config), create_app(config)
    assert first.test_cli_runner().invoke(main, ["sync"]).exit_code == 0
    readers = [app.test_client() for app in (first, second)]
    for reader in readers:
        assert "一国把本国法律" in reader.get("/terms/long-arm-jurisdiction").get_data(as_text=True)
    terms.write_text(TERMS.replace("一国把本国法律", "新版定义：一国把本国法律"), encoding="utf-8")
    assert first.test_cli_runner().invoke(main, ["sync"]).exit_code == 0
    synced = time.monotonic()
    waiting = set(range(len(readers)))
    while waiting and time.monotonic() - synced < 2.0:
        for index in list(waiting):
            if "新版定义" in readers[index].get("/terms/long-arm-jurisdiction").get_data(as_text=True):
                waiting.discard(index)
        time.sleep(0.05)
    assert not waiting, f"servers {sorted(waiting)} still served the old definition 2 s after the sync"


def test_term_index_served_from_the_store_never_loads_pypinyin(project):
    assert cli(project, "sync").exit_code == 0
    # A fresh interpreter: this test process has loaded pypinyin already.
    script = (
        "import sys\n"
        "from glossary.web.app import create_app\n"
        f"app = create_app({{'GLOSSARY_DATABASE_URL': {project['url']!r}}})\n"
        "page = app.test_client().get('/terms').get_data(as_text=True)\n"
        "assert '长臂管辖' in page and 'id=\"letter-C\"' in page, page\n"
        "print(sorted(m for m in sys.modules if m.startswith('pypinyin')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_head_constant_is_the_newest_migration():
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(store_schema.alembic_config()).get_current_head() == store_schema.HEAD


def test_upgrade_to_article_settings_keeps_each_articles_mode(project):
    with Store(project["url"]).engine.begin() as connection:
        store_schema.upgrade(connection, "0002")
        connection.execute(text("INSERT INTO articles (slug, title, lang, mode, draft, source_path, content_hash, body)"
                                " VALUES ('old', '旧文', 'zh-Hans', 'all', false, 'old.md', 'x', '正文')"))
    assert cli(project, "db", "upgrade").exit_code == 0
    row = Store(project["url"]).article("old")
    assert (row.mode, row.max_links) == ("all", None)
