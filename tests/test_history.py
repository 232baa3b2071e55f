"""The store's history: dated definitions round-trip, each sync's changes are logged, a dry run writes nothing."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from conftest import write_site

from glossary.cli import create_app, main
from glossary.store import Store, read_inputs

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
    terms, articles = write_site(tmp_path, TERMS, {"old.md": OLD_ARTICLE, "new.md": NEW_ARTICLE})
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


def settled_bytes(database) -> bytes:
    """Return the SQLite file's bytes once everything written is in it (the WAL checkpointed into the file)."""
    import gc
    import sqlite3

    gc.collect()  # closes the connections of apps gone out of use
    connection = sqlite3.connect(database)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    return database.read_bytes()


def test_dry_run_changes_no_byte_of_the_sqlite_store_and_names_the_articles(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    project = {"terms": tmp_path / "terms.yaml", "articles": tmp_path / "articles", "url": url}
    project["terms"].write_text(TERMS, encoding="utf-8")
    project["articles"].mkdir()
    (project["articles"] / "old.md").write_text(OLD_ARTICLE, encoding="utf-8")
    (project["articles"] / "new.md").write_text(NEW_ARTICLE, encoding="utf-8")
    assert run(project, "sync").exit_code == 0
    edit(project, "列入者的关联方也受限。", "列入者及其持股过半的关联方都受限。")
    database = tmp_path / "store.db"
    before = settled_bytes(database)
    result = run(project, "sync", "--dry-run")
    assert result.exit_code == 0, result.output
    assert settled_bytes(database) == before
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


# -- the reader's pages ---------------------------------------------------------------------


@pytest.fixture
def client(project):
    app = create_app({"GLOSSARY_TERMS": str(project["terms"]), "GLOSSARY_ARTICLES": str(project["articles"]),
                      "GLOSSARY_DATABASE_URL": project["url"]})
    sync(project)
    return app.test_client()


def page(client, path: str):
    from bs4 import BeautifulSoup

    response = client.get(path)
    assert response.status_code == 200, path
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_term_page_shows_as_of_and_sources_as_links(client):
    soup = page(client, "/terms/entity-list")
    provenance = soup.select_one("article.term > p.provenance")
    assert provenance.get_text(" ", strip=True).startswith("核实于 2025-09-29")
    link = provenance.find("a")
    assert (link["href"], link.get_text()) == ("https://www.ecfr.gov/current/title-15/part-744", "15 CFR Part 744")


def test_a_source_without_title_is_shown_by_its_host_name(project, client):
    edit(project, "        title: 15 CFR Part 744\n", "")
    sync(project)
    link = page(client, "/terms/entity-list").select_one("p.provenance a")
    assert link.get_text() == "www.ecfr.gov"


def test_term_page_lists_earlier_versions_in_a_history_section(client):
    history = page(client, "/terms/entity-list").find(id="history")
    versions = history.select("ol.versions > li")
    assert len(versions) == 1
    assert versions[0].select_one(".period").get_text(" ", strip=True) == "至 2025-09-28 · 关联方规则之前"
    assert "只约束列入的实体本身" in versions[0].select_one(".definition").get_text()


def test_history_is_listed_newest_first(project, client):
    edit(project, "        note: 关联方规则之前\n", "        note: 关联方规则之前\n"
                  "      - until: 2018-08-12\n        definition: 更早的定义。\n")
    sync(project)
    labels = [p.get_text(" ", strip=True) for p in page(client, "/terms/entity-list").select("#history .period")]
    assert labels == ["2018-08-13 至 2025-09-28 · 关联方规则之前", "至 2018-08-12"]


def test_timeline_is_inline_svg_with_a_text_equivalent_and_the_articles_by_date(client):
    history = page(client, "/terms/entity-list").find(id="history")
    figure = history.find("figure", class_="timeline")
    svg = figure.find("svg")
    assert svg["role"] == "img" and figure.find(id=svg["aria-labelledby"]).name == "title"
    assert [a["href"] for a in svg.find_all("a")] == ["/articles/old", "/articles/new"]
    text = [li.get_text(" ", strip=True) for li in figure.find(id=svg["aria-describedby"]).find_all("li")]
    assert text == ["旧定义：至 2025-09-28", "现行定义：2025-09-29 起",
                    "2024-03-01 的文章 名单的旧日 ：写作时为旧定义",
                    "2025-10-10 的文章 关联方规则之后 ：写作时为现行定义"]
    assert not history.find("script")


def test_timeline_places_older_articles_to_the_left(client):
    svg = page(client, "/terms/entity-list").select_one("#history svg")
    old, new = (float(a.find("circle")["cx"]) for a in svg.find_all("a"))
    band = svg.find("rect", attrs={"data-version": "current"})
    assert old < float(band["x"]) <= new


def test_backlink_of_an_article_written_under_an_earlier_version_says_so(client):
    items = page(client, "/terms/entity-list").select(".backlinks li")
    marks = {li.find("a").get_text(): li.select_one(".version") for li in items}
    assert marks["关联方规则之后"] is None
    assert marks["名单的旧日"].get_text(" ", strip=True) == "写作时的定义： 至 2025-09-28"
    assert marks["名单的旧日"].find("a")["href"] == "#history-1"


def test_term_without_dates_shows_no_provenance_history_or_timeline(client):
    soup = page(client, "/terms/swift")
    assert soup.select_one("p.provenance") is None
    assert soup.find(id="history") is None and soup.find("svg") is None
    assert soup.select(".backlinks .version") == []


def test_jsonld_carries_date_modified_and_citation(client):
    soup = page(client, "/terms/entity-list")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["dateModified"] == "2025-09-29"
    assert data["citation"] == [{"@type": "CreativeWork", "url": "https://www.ecfr.gov/current/title-15/part-744",
                                 "name": "15 CFR Part 744", "datePublished": "2025-09-29"}]


def test_changes_page_lists_changes_newest_first_each_linking_to_its_term(project, client):
    edit(project, "的合作组织。", "的合作组织，总部在比利时。")
    sync(project)
    items = page(client, "/changes").select("ol.changes > li")
    assert items[0].get_text(" ", strip=True).endswith("修改： SWIFT （定义）")
    assert items[0].find("a")["href"] == "/terms/swift"
    assert len(items) == 4


def test_a_removed_term_is_listed_without_a_link(project, client):
    edit(project, "  - id: swift\n    term: SWIFT\n    definition: 为各国银行传递跨境支付报文的合作组织。\n", "")
    sync(project)
    first = page(client, "/changes").select_one("ol.changes > li")
    assert "删除" in first.get_text() and first.find("a") is None


def test_term_index_links_to_the_changes_and_the_feed(client):
    hrefs = [a["href"] for a in page(client, "/terms").select("p.lead a")]
    assert "/changes" in hrefs and "/changes.atom" in hrefs


def test_atom_feed_parses_with_an_entry_per_change_linking_to_the_term(project, client):
    import feedparser

    edit(project, "的合作组织。", "的合作组织，总部在比利时。")
    sync(project)
    response = client.get("/changes.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.get_data())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title == "术语表的变化"
    first = feed.entries[0]
    assert first.title == "修改：SWIFT（定义）"
    assert first.link == "http://localhost/terms/swift"
    assert "总部在比利时" in first.summary
    assert len(feed.entries) == 4 and len({e.id for e in feed.entries}) == 4
    assert feed.entries[0].updated_parsed >= feed.entries[-1].updated_parsed


def test_empty_atom_feed_is_still_valid(tmp_path):
    import feedparser

    app = create_app({"GLOSSARY_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}"})
    feed = feedparser.parse(app.test_client().get("/changes.atom").get_data())
    assert not feed.bozo and feed.version == "atom10" and feed.entries == []


# -- the API ------------------------------------------------------------------------------


def test_api_term_gives_as_of_sources_and_history_as_its_openapi_schema_says(client):
    import jsonschema_rs

    body = client.get("/api/terms/entity-list").get_json()
    assert body["as_of"] == "2025-09-29"
    assert body["sources"] == [{"url": "https://www.ecfr.gov/current/title-15/part-744", "title": "15 CFR Part 744",
                                "date": "2025-09-29"}]
    assert body["history"] == [{"until": "2025-09-28", "definition": "美国商务部公布的一份名单，只约束列入的实体本身。",
                                "note": "关联方规则之前", "sources": []}]
    document = client.get("/api/openapi.json").get_json()
    for schema, answer in (("TermDetail", body), ("TermList", client.get("/api/terms").get_json())):
        jsonschema_rs.Draft202012Validator({"$ref": f"#/components/schemas/{schema}",
                                            "components": document["components"]}).validate(answer)


def test_api_term_list_gives_undated_terms_null_and_empty_lists(client):
    swift = next(t for t in client.get("/api/terms").get_json()["terms"] if t["id"] == "swift")
    assert (swift["as_of"], swift["sources"], swift["history"]) == (None, [], [])


# -- glossary review ------------------------------------------------------------------------


def review_terms(project, today: date) -> None:
    recent, old = (today - timedelta(days=10)).isoformat(), (today - timedelta(days=400)).isoformat()
    older = (today - timedelta(days=900)).isoformat()
    text = TERMS.replace("as_of: 2025-09-29", f"as_of: {recent}").replace(
        "until: 2025-09-28", f"until: {(today - timedelta(days=20)).isoformat()}")
    text = text.replace("    term: 二级制裁\n", f"    term: 二级制裁\n    as_of: {old}\n")
    text = text.replace("    term: SWIFT\n", f"    term: SWIFT\n    as_of: {older}\n")
    text += "  - id: tariff\n    term: 关税\n    definition: 对进口货物征收的税。\n"
    project["terms"].write_text(text, encoding="utf-8")
    (project["articles"] / "swift.md").write_text("---\ndraft: true\n---\n\n**SWIFT**\n", encoding="utf-8")


def test_review_lists_undated_then_oldest_first_with_article_counts_and_exits_0(project):
    today = date.today()
    review_terms(project, today)
    result = run(project, "review")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "never dated  tariff (关税)  0 articles",
        f"{(today - timedelta(days=900)).isoformat()} (900 days ago)  swift (SWIFT)  0 articles",
        f"{(today - timedelta(days=400)).isoformat()} (400 days ago)  secondary-sanctions (二级制裁)  1 article",
        "3 of 4 terms to check again (no as_of, or as_of more than 180 days ago)",
    ]


def test_review_older_than_sets_the_age(project):
    review_terms(project, date.today())
    result = run(project, "review", "--older-than", "5", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["older_than"] == 5
    assert [(t["id"], t["age_days"], t["articles"]) for t in data["terms"]] == [
        ("tariff", None, 0), ("swift", 900, 0), ("secondary-sanctions", 400, 1), ("entity-list", 10, 2)]


def test_review_with_nothing_due_exits_0(project):
    today = date.today()
    review_terms(project, today)
    result = run(project, "review", "--older-than", "1000")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "1 of 4 terms to check again (no as_of, or as_of more than 1000 days ago)"


# -- exports --------------------------------------------------------------------------------


def dated_glossary():
    from glossary import parse_glossary

    return parse_glossary(TERMS.replace("        note: 关联方规则之前\n", "        note: 关联方规则之前\n"
                                        "        sources:\n          - https://www.federalregister.gov/\n"
                                        "      - until: 2018-08-12\n        definition: 最早的定义。\n"), "t.yaml")


def test_json_export_and_import_round_trip_dates_sources_and_history():
    from glossary.editorial.exchange import export_glossary, import_glossary

    glossary = dated_glossary()
    assert import_glossary(export_glossary(glossary, "json").encode(), "t.json", "json").terms == glossary.terms


def test_csv_export_has_as_of_and_sources_columns_and_no_history():
    import csv
    import io

    from glossary.editorial.exchange import export_glossary, import_glossary

    glossary = dated_glossary()
    text = export_glossary(glossary, "csv")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert "history" not in rows[0]
    assert rows[0]["as_of"] == "2025-09-29"
    assert rows[0]["sources"] == "https://www.ecfr.gov/current/title-15/part-744 [2025-09-29] 15 CFR Part 744"
    back = import_glossary(text.encode(), "t.csv", "csv")
    assert [(t.as_of, t.sources, t.history) for t in back] == [(t.as_of, t.sources, ()) for t in glossary]


def test_csv_source_title_that_begins_with_a_bracket_round_trips():
    from glossary.core.model import Glossary, Term
    from glossary.core.versions import Source
    from glossary.editorial.exchange import csvfmt

    glossary = Glossary([Term(id="a", term="甲", definition="d", sources=(
        Source("https://a.example/", "[草案] 规则"), Source("https://b.example/", "b|c", date(2025, 1, 2))))])
    assert csvfmt.loads(csvfmt.dumps(glossary)).terms == glossary.terms


def test_csv_history_column_is_refused_naming_where_history_goes():
    from glossary import GlossaryError
    from glossary.editorial.exchange import csvfmt

    with pytest.raises(GlossaryError) as caught:
        csvfmt.loads("id,term,definition,history\na,甲,d,x\n", "t.csv")
    assert str(caught.value) == ("t.csv:1: column 'history' is not read from CSV: a row holds one definition, so "
                                 "import history from JSON or write it in terms.yaml")


TBX_NS = {"t": "urn:iso:std:iso:30042:ed-2"}


def test_tbx_gives_sources_as_admin_and_dated_transactions_in_tbx_basic_order():
    from lxml import etree

    from glossary.editorial.exchange import tbx

    root = etree.fromstring(tbx.dumps(dated_glossary()).encode())
    entry = root.xpath("//t:conceptEntry[@id='entity-list']", namespaces=TBX_NS)[0]
    assert entry.xpath("t:transacGrp/t:date/text()", namespaces=TBX_NS) == ["2018-08-13", "2025-09-29"]
    assert set(entry.xpath("t:transacGrp/t:transac/@type", namespaces=TBX_NS)) == {"transactionType"}
    assert set(entry.xpath("t:transacGrp/t:transac/text()", namespaces=TBX_NS)) == {"modification"}
    zh = entry.xpath("t:langSec[@xml:lang='zh']", namespaces=TBX_NS)[0]
    group = zh.xpath("t:descripGrp", namespaces=TBX_NS)[0]
    assert group.xpath("t:descrip[@type='definition']/text()", namespaces=TBX_NS) == [
        "美国商务部公布的一份名单，列入者的关联方也受限。"]
    assert group.xpath("t:admin[@type='source']/text()", namespaces=TBX_NS) == [
        "15 CFR Part 744 <https://www.ecfr.gov/current/title-15/part-744>"]
    assert zh.xpath("t:note/text()", namespaces=TBX_NS) == [
        "旧定义，2018-08-13 至 2025-09-28（关联方规则之前）：美国商务部公布的一份名单，只约束列入的实体本身。"
        " 来源：https://www.federalregister.gov/",
        "旧定义，至 2018-08-12：最早的定义。"]
    # Information elements before the language sections and term sections, as TBX's core structure has them.
    names = [etree.QName(child).localname for child in entry]
    assert names == sorted(names, key=lambda n: n == "langSec")
    names = [etree.QName(child).localname for child in zh]
    assert names == sorted(names, key=lambda n: n == "termSec")


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # inside rdflib's parser
def test_skos_gives_modified_sources_and_history_notes_that_rdflib_reads():
    import rdflib
    from rdflib.namespace import DCTERMS, SKOS, XSD

    from glossary.editorial.exchange import skos

    for text, fmt in ((skos.turtle(dated_glossary()), "turtle"), (skos.jsonld(dated_glossary()), "json-ld")):
        graph = rdflib.Graph().parse(data=text, format=fmt)
        entity = rdflib.URIRef("urn:glossary:entity-list")
        assert set(graph.objects(entity, DCTERMS.modified)) == {rdflib.Literal("2025-09-29", datatype=XSD.date)}
        assert set(graph.objects(entity, DCTERMS.source)) == {
            rdflib.URIRef("https://www.ecfr.gov/current/title-15/part-744")}
        assert set(graph.objects(entity, SKOS.historyNote)) == {
            rdflib.Literal("2018-08-13 至 2025-09-28（关联方规则之前）：美国商务部公布的一份名单，"
                           "只约束列入的实体本身。 来源：https://www.federalregister.gov/", lang="zh"),
            rdflib.Literal("至 2018-08-12：最早的定义。", lang="zh")}
        assert not set(graph.objects(rdflib.URIRef("urn:glossary:swift"), SKOS.historyNote))
