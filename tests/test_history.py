"""The store's history: dated definitions round-trip, each sync's changes are logged, a dry run writes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from glossary.cli import main
from glossary.store import Store, read_inputs
from glossary.web.app import create_app

TERMS = """\
terms:
  - id: entity-list
    term: 实体清单
    en: Entity List
    definition: 美国商务部公布的一份名单，列入者的关联方也受限。
    as_of: 2025-09-29
    sources:
      - url: https://www.ecfr.gov/current/title-15/part-744
        title: 15 CFR Part 744
        date: 2025-09-29
    history:
      - until: 2025-09-28
        definition: 美国商务部公布的一份名单，只约束列入的实体本身。
        note: 关联方规则之前
  - id: secondary-sanctions
    term: 二级制裁
    definition: 针对与受制裁方往来的第三方所施加的制裁。
  - id: swift
    term: SWIFT
    definition: 为各国银行传递跨境支付报文的合作组织。
"""

OLD_ARTICLE = """\
---
title: 名单的旧日
date: '2024-03-01'
---

美国把多家企业列入**实体清单**。
"""

NEW_ARTICLE = """\
---
title: 关联方规则之后
date: '2025-10-10'
---

**实体清单**扩大了，**二级制裁**也随之而来。
"""


@pytest.fixture
def project(tmp_path, database_url):
    terms = tmp_path / "terms.yaml"
    terms.write_text(TERMS, encoding="utf-8")
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "old.md").write_text(OLD_ARTICLE, encoding="utf-8")
    (articles / "new.md").write_text(NEW_ARTICLE, encoding="utf-8")
    return {"terms": terms, "articles": articles, "url": database_url, "tmp": tmp_path, "store": Store(database_url)}


def sync(project):
    return project["store"].sync(*read_inputs(project["terms"], project["articles"]))


def edit(project, old: str, new: str) -> None:
    text = project["terms"].read_text(encoding="utf-8")
    assert old in text
    project["terms"].write_text(text.replace(old, new), encoding="utf-8")


def log(store) -> list[tuple]:
    """The change log, oldest first, as (term id, kind, fields, definition, previous)."""
    return [(c.term_id, c.kind, c.fields, c.definition, c.previous) for c in reversed(store.changes(limit=1000))]


# -- the stored glossary ------------------------------------------------------------------


def test_stored_glossary_round_trips_as_of_sources_and_history(project):
    sync(project)
    glossary, _ = read_inputs(project["terms"], project["articles"])
    stored = project["store"].load_glossary()
    assert stored.terms == glossary.terms
    entity = stored.get("entity-list")
    assert entity.as_of == date(2025, 9, 29)
    assert entity.sources[0].title == "15 CFR Part 744"
    assert entity.history[0].until == date(2025, 9, 28)


def test_a_reload_reuses_no_stale_term_when_only_history_changed(project):
    sync(project)
    before = project["store"].load_glossary()
    edit(project, "note: 关联方规则之前", "note: 2025 年 9 月 29 日前")
    sync(project)
    after = project["store"].load_glossary(previous=before)
    assert after.get("entity-list").history[0].note == "2025 年 9 月 29 日前"


# -- the change log ------------------------------------------------------------------------


def test_first_sync_logs_every_term_added_with_the_files_hash_and_time(project):
    start = datetime.now(UTC)
    sync(project)
    changes = project["store"].changes()
    assert sorted((c.term_id, c.kind) for c in changes) == [
        ("entity-list", "added"), ("secondary-sanctions", "added"), ("swift", "added")]
    version = project["store"].glossary_version()
    assert {c.terms_sha256 for c in changes} == {version}
    stamp = changes[0].changed_at
    stamp = stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    assert start - timedelta(seconds=1) <= stamp <= datetime.now(UTC) + timedelta(seconds=1)


def test_re_syncing_the_same_file_logs_nothing(project):
    sync(project)
    before = log(project["store"])
    sync(project)
    assert log(project["store"]) == before


def test_edit_then_revert_logs_both_with_what_changed(project):
    sync(project)
    edit(project, "as_of: 2025-09-29", "as_of: 2025-10-01")
    edit(project, "的合作组织。", "的合作组织，总部在比利时。")
    sync(project)
    edit(project, "as_of: 2025-10-01", "as_of: 2025-09-29")
    edit(project, "的合作组织，总部在比利时。", "的合作组织。")
    sync(project)
    entries = log(project["store"])[3:]
    assert entries == [
        ("entity-list", "changed", "as_of", "美国商务部公布的一份名单，列入者的关联方也受限。", None),
        ("swift", "changed", "definition", "为各国银行传递跨境支付报文的合作组织，总部在比利时。",
         "为各国银行传递跨境支付报文的合作组织。"),
        ("entity-list", "changed", "as_of", "美国商务部公布的一份名单，列入者的关联方也受限。", None),
        ("swift", "changed", "definition", "为各国银行传递跨境支付报文的合作组织。",
         "为各国银行传递跨境支付报文的合作组织，总部在比利时。"),
    ]


def test_sources_and_aliases_changes_are_named(project):
    sync(project)
    edit(project, "        title: 15 CFR Part 744\n", "")
    edit(project, "    term: 二级制裁\n", "    term: 二级制裁\n    aliases: [次级制裁]\n")
    sync(project)
    assert [(e[0], e[2]) for e in log(project["store"])[3:]] == [("entity-list", "sources"),
                                                                 ("secondary-sanctions", "aliases")]


def test_a_removed_term_is_logged_with_its_headword_and_last_definition(project):
    sync(project)
    edit(project, "  - id: swift\n    term: SWIFT\n    definition: 为各国银行传递跨境支付报文的合作组织。\n", "")
    sync(project)
    last = project["store"].changes(limit=1)[0]
    assert (last.term_id, last.term, last.kind, last.definition) == (
        "swift", "SWIFT", "removed", "为各国银行传递跨境支付报文的合作组织。")


def test_a_server_following_the_file_logs_its_changes_too(project):
    from glossary.sources.termfile import load_glossary

    sync(project)
    edit(project, "只约束列入的实体本身。", "只约束列入的实体。")
    project["store"].sync_glossary(load_glossary(project["terms"]))
    assert log(project["store"])[-1][:3] == ("entity-list", "changed", "history")


# -- sync --dry-run ------------------------------------------------------------------------


def run(project, *args):
    app = create_app({"GLOSSARY_TERMS": str(project["terms"]), "GLOSSARY_ARTICLES": str(project["articles"]),
                      "GLOSSARY_DATABASE_URL": project["url"]})
    return app.test_cli_runner().invoke(main, [str(a) for a in args])


def test_dry_run_changes_no_byte_of_the_sqlite_store_and_names_the_articles(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    project = {"terms": tmp_path / "terms.yaml", "articles": tmp_path / "articles", "url": url}
    project["terms"].write_text(TERMS, encoding="utf-8")
    project["articles"].mkdir()
    (project["articles"] / "old.md").write_text(OLD_ARTICLE, encoding="utf-8")
    (project["articles"] / "new.md").write_text(NEW_ARTICLE, encoding="utf-8")
    assert run(project, "sync").exit_code == 0
    Store(url).engine.dispose()
    edit(project, "列入者的关联方也受限。", "列入者及其持股过半的关联方都受限。")
    database = tmp_path / "store.db"
    before = database.read_bytes()
    result = run(project, "sync", "--dry-run")
    assert result.exit_code == 0, result.output
    assert database.read_bytes() == before
    assert result.stdout.splitlines() == [
        "~ term entity-list (definition)",
        "    mentioned in: new, old",
        "dry run, nothing written: 3 terms and 2 articles read; a sync would make terms: 1 changed",
    ]


def test_dry_run_writes_nothing_to_the_store(project):
    sync(project)
    store = project["store"]
    versions, entries = store.versions(), log(store)
    edit(project, "    definition: 针对与受制裁方往来的第三方所施加的制裁。\n",
         "    definition: 针对与受制裁方往来的第三方施加的制裁。\n    as_of: 2025-01-01\n")
    (project["articles"] / "old.md").unlink()
    result = run(project, "sync", "--dry-run")
    assert result.exit_code == 0, result.output
    assert store.versions() == versions and log(store) == entries
    assert result.stdout.splitlines()[:3] == [
        "~ term secondary-sanctions (definition, as_of)",
        "    mentioned in: new",
        "- article old",
    ]


def test_dry_run_of_a_new_term_names_the_articles_that_would_mention_it(project):
    sync(project)
    edit(project, "  - id: swift\n", "  - id: related-party\n    term: 关联方\n    definition: 持股过半的关联企业。\n"
                                     "  - id: swift\n")
    (project["articles"] / "new.md").write_text(NEW_ARTICLE + "\n**关联方**规则。\n", encoding="utf-8")
    result = run(project, "sync", "--dry-run")
    assert result.stdout.splitlines()[:2] == ["+ term related-party", "    mentioned in: new"]


def test_dry_run_of_an_empty_sqlite_store_creates_no_file(tmp_path):
    project = {"terms": tmp_path / "terms.yaml", "articles": tmp_path / "articles",
               "url": f"sqlite:///{tmp_path / 'none' / 'store.db'}"}
    project["terms"].write_text(TERMS, encoding="utf-8")
    project["articles"].mkdir()
    result = run(project, "sync", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "+ term entity-list" in result.stdout.splitlines()
    assert not (tmp_path / "none" / "store.db").exists()
