"""The term store: syncing terms.yaml and articles into a real SQLite database."""

from __future__ import annotations

import pytest
from conftest import write_site
from sqlalchemy import select

from glossary import annotate_markdown, load_glossary, parse_glossary
from glossary.cli import create_app, main
from glossary.core.compiled import CompiledGlossary
from glossary.store import Store, SyncError, read_inputs
from glossary.store.models import Base

TERMS = """\
terms:
  - id: entity-list
    term: 实体清单
    en: Entity List
    aliases: [实体名单]
    definition: 美国商务部公布的一份名单，名单上的企业要取得美国物项须先获许可。
    tags: [export-control]
    see_also: [secondary-sanctions]
  - id: long-arm-jurisdiction
    term: 长臂管辖
    en: Long-arm Jurisdiction
    aliases: [域外管辖]
    definition: 一国把本国法律延伸适用于境外主体的做法。
    tags: [law]
    pinyin: chang bi guan xia
  - id: secondary-sanctions
    term: 二级制裁
    en: Secondary Sanctions
    definition: 针对与受制裁方往来的第三方所施加的制裁。
    tags: [sanctions, finance]
    see_also: [entity-list, swift]
  - id: swift
    term: SWIFT
    definition: 为各国银行传递跨境支付报文的合作组织。
"""

SANCTIONS = """\
---
title: 金融制裁如何越过国境
slug: finance-sanctions
date: '2025-09-05'
summary: 说明二级制裁与实体清单。
tags: [sanctions, finance]
---

# 不是标题的标题

美国把多家企业列入**实体清单**。实体清单之外，还有二级制裁。

SWIFT切断了部分银行的连接，实体名单也常被提到。
"""

LONG_ARM = """\
## 长臂管辖的由来

所谓长臂管辖，是把本国法律延伸到境外。
"""


@pytest.fixture
def inputs(tmp_path, database_url):
    """terms.yaml, an articles folder with two articles, and an empty store, all under tmp_path."""
    terms, articles = write_site(tmp_path, TERMS, {"sanctions.md": SANCTIONS, "long-arm.md": LONG_ARM})
    return terms, articles, Store(database_url)


def sync(store, terms, articles):
    glossary, items = read_inputs(terms, articles)
    return store.sync(glossary, items)


def dump(store) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    with store.engine.connect() as conn:
        return {
            table.name: [tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key.columns))]
            for table in Base.metadata.sorted_tables
        }


def rows(store, table: str) -> list[tuple]:
    return dump(store)[table]


def occurrences(store) -> dict[tuple[str, str], tuple]:
    """(article slug, term id) -> (count, snippet, start, end)."""
    return {(r[0], r[1]): r[2:] for r in rows(store, "occurrences")}


# -- idempotence and change reports ---------------------------------------------------


def test_first_sync_reports_every_term_and_article_added(inputs):
    terms, articles, store = inputs
    changes = sync(store, terms, articles)
    assert changes.added == {
        "terms": ["entity-list", "long-arm-jurisdiction", "secondary-sanctions", "swift"],
        "articles": ["long-arm", "finance-sanctions"],
    }
    assert changes.summary() == "terms: 4 added; articles: 2 added"


def test_second_sync_of_same_inputs_reports_no_changes_and_writes_nothing(inputs):
    terms, articles, store = inputs
    assert sync(store, terms, articles)
    before = dump(store)
    changes = sync(store, terms, articles)
    assert not changes
    assert changes.summary() == "no changes"
    assert changes.lines() == []
    assert dump(store) == before


def test_changed_definition_reports_the_term_changed(inputs):
    terms, articles, store = inputs
    sync(store, terms, articles)
    terms.write_text(TERMS.replace("为各国银行传递跨境支付报文的合作组织。", "总部在比利时的银行间合作组织。"),
                     encoding="utf-8")
    changes = sync(store, terms, articles)
    assert changes.changed["terms"] == ["swift"]
    assert changes.added == {"terms": [], "articles": []}
    assert changes.removed == {"terms": [], "articles": []}
    assert store.load_glossary().get("swift").definition == "总部在比利时的银行间合作组织。"


def test_removed_term_is_reported_and_its_rows_deleted(inputs):
    terms, articles, store = inputs
    sync(store, terms, articles)
    assert ("finance-sanctions", "entity-list") in occurrences(store)
    without = TERMS.replace("""\
  - id: entity-list
    term: 实体清单
    en: Entity List
    aliases: [实体名单]
    definition: 美国商务部公布的一份名单，名单上的企业要取得美国物项须先获许可。
    tags: [export-control]
    see_also: [secondary-sanctions]
""", "").replace("see_also: [entity-list, swift]", "see_also: [swift]")
    terms.write_text(without, encoding="utf-8")
    changes = sync(store, terms, articles)
    assert changes.removed["terms"] == ["entity-list"]
    assert "entity-list" not in [r[0] for r in rows(store, "terms")]
    assert [r[3] for r in rows(store, "aliases")] == ["域外管辖"]
    assert all(r[0] != "entity-list" for r in rows(store, "term_tags"))
    assert all("entity-list" not in r[:2] for r in rows(store, "see_also"))
    assert all(term_id != "entity-list" for _, term_id in occurrences(store))
    assert ("finance-sanctions", "secondary-sanctions") in occurrences(store)


def test_term_whose_see_also_target_is_removed_is_reported_changed(inputs):
    terms, articles, store = inputs
    sync(store, terms, articles)
    edited = TERMS.replace("    see_also: [secondary-sanctions]\n", "").replace(
        "see_also: [entity-list, swift]", "see_also: [swift]")
    edited = edited[: edited.index("  - id: entity-list")] + edited[edited.index("  - id: long-arm-jurisdiction"):]
    terms.write_text(edited, encoding="utf-8")
    changes = sync(store, terms, articles)
    assert changes.removed["terms"] == ["entity-list"]
    assert store.load_glossary().get("secondary-sanctions").see_also == ("swift",)
    assert changes.changed["terms"] == ["secondary-sanctions"]


def test_alias_moves_from_one_term_to_another_in_one_sync(inputs):
    terms, articles, store = inputs
    sync(store, terms, articles)
    moved = TERMS.replace("aliases: [实体名单]", "aliases: []").replace(
        "aliases: [域外管辖]", "aliases: [域外管辖, 实体名单]")
    terms.write_text(moved, encoding="utf-8")
    changes = sync(store, terms, articles)
    assert sorted(changes.changed["terms"]) == ["entity-list", "long-arm-jurisdiction"]
    stored = store.load_glossary()
    assert stored.get("entity-list").aliases == ()
    assert stored.get("long-arm-jurisdiction").aliases == ("域外管辖", "实体名单")
    assert stored.lookup("实体名单").id == "long-arm-jurisdiction"
    # The article's 实体名单 now counts for the other term.
    assert occurrences(store)[("finance-sanctions", "entity-list")][0] == 2


def test_alias_swapped_between_two_terms_in_one_sync(inputs):
    terms, articles, store = inputs
    sync(store, terms, articles)
    swapped = TERMS.replace("aliases: [实体名单]", "aliases: [@@]").replace(
        "aliases: [域外管辖]", "aliases: [实体名单]").replace("aliases: [@@]", "aliases: [域外管辖]")
    terms.write_text(swapped, encoding="utf-8")
    sync(store, terms, articles)
    stored = store.load_glossary()
    assert stored.get("entity-list").aliases == ("域外管辖",)
    assert stored.get("long-arm-jurisdiction").aliases == ("实体名单",)


def test_reordered_terms_keep_file_order_without_reporting_changes(inputs):
    terms, articles, store = inputs
    sync(store, terms, articles)
    head, swift = TERMS.split("  - id: swift\n")
    terms.write_text("terms:\n  - id: swift\n" + swift + head.removeprefix("terms:\n"), encoding="utf-8")
    changes = sync(store, terms, articles)
    assert not changes
    assert [t.id for t in store.load_glossary()] == [t.id for t in load_glossary(terms)]
    assert store.load_glossary().terms[0].id == "swift"
    assert store.glossary_version() == load_glossary(terms).version


def test_removed_article_is_reported_and_its_occurrences_deleted(inputs):
    terms, articles, store = inputs
    sync(store, terms, articles)
    assert ("long-arm", "long-arm-jurisdiction") in occurrences(store)
    (articles / "long-arm.md").unlink()
    changes = sync(store, terms, articles)
    assert changes.removed["articles"] == ["long-arm"]
    assert [r[0] for r in rows(store, "articles")] == ["finance-sanctions"]
    assert {slug for slug, _ in occurrences(store)} == {"finance-sanctions"}
    assert store.article("long-arm") is None


def test_edited_article_is_reported_changed(inputs):
    terms, articles, store = inputs
    sync(store, terms, articles)
    (articles / "long-arm.md").write_text(LONG_ARM + "\n二级制裁也常被提起。\n", encoding="utf-8")
    changes = sync(store, terms, articles)
    assert changes.changed["articles"] == ["long-arm"]
    assert changes.changed["terms"] == []
    assert ("long-arm", "secondary-sanctions") in occurrences(store)


# -- failed syncs ---------------------------------------------------------------------------


def test_failed_sync_leaves_every_table_unchanged(inputs, tmp_path):
    terms, articles, store = inputs
    app = create_app({"GLOSSARY_TERMS": str(terms), "GLOSSARY_ARTICLES": str(articles),
                      "GLOSSARY_DATABASE_URL": store.url})
    runner = app.test_cli_runner()
    assert runner.invoke(main, ["sync"]).exit_code == 0
    before = dump(store)
    assert before["terms"] and before["occurrences"]
    terms.write_text(TERMS.replace("see_also: [entity-list, swift]", "see_also: [entity-list, swift-code]")
                     .replace("实体清单\n", "实体清单\n    colour: red\n", 1), encoding="utf-8")
    (articles / "new.md").write_text("长臂管辖与SWIFT。\n", encoding="utf-8")
    result = runner.invoke(main, ["sync"])
    assert result.exit_code == 1
    assert "swift-code" in result.stderr
    assert "colour" in result.stderr
    assert dump(store) == before


def test_read_inputs_lists_terms_problems_as_path_line_message(inputs):
    terms, articles, _ = inputs
    terms.write_text(TERMS.replace("pinyin: chang bi guan xia", "pinyin: 长臂管辖"), encoding="utf-8")
    with pytest.raises(SyncError) as info:
        read_inputs(terms, articles)
    assert info.value.problems == [
        f"{terms}:15: bad pinyin '长臂管辖': use Latin letters, tone digits and spaces"
    ]


def test_read_inputs_reports_every_broken_article(inputs):
    terms, articles, _ = inputs
    (articles / "a.md").write_text("---\ntitle: x\n  bad: : y\n---\n正文\n", encoding="utf-8")
    (articles / "b.md").write_text("---\ntitle: 没有结尾\n\n正文\n", encoding="utf-8")
    with pytest.raises(SyncError) as info:
        read_inputs(terms, articles)
    assert [p.split(": ", 1)[0] for p in info.value.problems] == [f"{articles / 'a.md'}:3", f"{articles / 'b.md'}:1"]


def test_two_articles_with_the_same_slug_are_a_sync_error(inputs):
    terms, articles, _ = inputs
    (articles / "copy.md").write_text("---\nslug: finance-sanctions\n---\n副本。\n", encoding="utf-8")
    with pytest.raises(SyncError) as info:
        read_inputs(terms, articles)
    assert len(info.value.problems) == 1
    assert "slug 'finance-sanctions'" in info.value.problems[0]


# -- article fields --------------------------------------------------------------------------


def test_article_slug_comes_from_front_matter(inputs):
    terms, articles, store = inputs
    sync(store, terms, articles)
    assert store.article("finance-sanctions") is not None
    assert store.article("sanctions") is None


def test_article_slug_defaults_to_file_name(inputs):
    terms, articles, store = inputs
    sync(store, terms, articles)
    assert store.article("long-arm").source_path == str(articles / "long-arm.md")


def test_article_title_comes_from_front_matter(inputs):
    terms, articles, store = inputs
    sync(store, terms, articles)
    assert store.article("finance-sanctions").title == "金融制裁如何越过国境"


def test_article_title_falls_back_to_first_heading(inputs):
    terms, articles, store = inputs
    sync(store, terms, articles)
    assert store.article("long-arm").title == "长臂管辖的由来"


def test_article_title_falls_back_to_file_name(inputs):
    terms, articles, store = inputs
    (articles / "untitled-note.md").write_text("没有标题的短文，提到SWIFT。\n", encoding="utf-8")
    sync(store, terms, articles)
    assert store.article("untitled-note").title == "untitled-note"


def test_article_date_summary_and_tags_are_stored(inputs):
    terms, articles, store = inputs
    sync(store, terms, articles)
    article = store.article("finance-sanctions")
    assert article.date == "2025-09-05"
    assert article.summary == "说明二级制裁与实体清单。"
    assert [t.tag for t in article.tags] == ["sanctions", "finance"]
    assert "title:" not in article.body
    assert article.body.lstrip().startswith("# 不是标题的标题")


def test_article_without_front_matter_has_no_date_summary_or_tags(inputs):
    terms, articles, store = inputs
    sync(store, terms, articles)
    article = store.article("long-arm")
    assert article.date is None
    assert article.summary is None
    assert [t.tag for t in article.tags] == []


def test_repeated_front_matter_tag_does_not_make_every_sync_a_change(inputs):
    terms, articles, store = inputs
    (articles / "tagged.md").write_text("---\ntags: [law, sanctions, law]\n---\n长臂管辖。\n", encoding="utf-8")
    sync(store, terms, articles)
    before = dump(store)
    changes = sync(store, terms, articles)
    assert changes.lines() == []
    assert dump(store) == before


# -- occurrences ---------------------------------------------------------------------------------


def test_occurrence_counts_plain_mentions_of_a_bold_mode_article(inputs):
    terms, articles, store = inputs
    sync(store, terms, articles)
    found = occurrences(store)
    # No mode in its front matter: shown in the site's default, bold.
    assert store.article("finance-sanctions").mode is None
    # **实体清单**, 实体清单 and the alias 实体名单.
    assert found[("finance-sanctions", "entity-list")][0] == 3
    assert found[("finance-sanctions", "secondary-sanctions")][0] == 1
    assert found[("finance-sanctions", "swift")][0] == 1
    assert ("finance-sanctions", "long-arm-jurisdiction") not in found


def test_occurrence_in_heading_is_not_counted(inputs):
    terms, articles, store = inputs
    sync(store, terms, articles)
    # 长臂管辖 is in the heading and once in the paragraph.
    assert occurrences(store)[("long-arm", "long-arm-jurisdiction")][0] == 1


def test_occurrence_snippet_is_the_sentence_of_the_first_mention(inputs):
    terms, articles, store = inputs
    sync(store, terms, articles)
    count, snippet, start, end = occurrences(store)[("finance-sanctions", "secondary-sanctions")]
    assert snippet == "实体清单之外，还有二级制裁。"
    assert snippet[start:end] == "二级制裁"


def test_occurrence_snippet_of_a_later_sentence_marks_the_term(inputs):
    terms, articles, store = inputs
    sync(store, terms, articles)
    _, snippet, start, end = occurrences(store)[("finance-sanctions", "swift")]
    assert snippet.startswith("SWIFT切断了部分银行的连接")
    assert snippet[start:end] == "SWIFT"


def test_traditional_article_produces_occurrence_for_simplified_term(inputs):
    terms, articles, store = inputs
    (articles / "tw.md").write_text("---\nlang: zh-Hant\n---\n美國把多家企業列入實體清單。\n", encoding="utf-8")
    sync(store, terms, articles)
    count, snippet, start, end = occurrences(store)[("tw", "entity-list")]
    assert count == 1
    assert snippet[start:end] == "實體清單"
    assert store.article("tw").lang == "zh-Hant"


# -- the stored glossary ---------------------------------------------------------------------------


def test_store_glossary_version_matches_file_version(inputs):
    terms, articles, store = inputs
    sync(store, terms, articles)
    assert store.glossary_version() == load_glossary(terms).version
    terms.write_text(TERMS + "# 注释\n", encoding="utf-8")
    sync(store, terms, articles)
    assert store.glossary_version() == load_glossary(terms).version


def test_store_load_glossary_returns_the_file_terms(inputs):
    terms, articles, store = inputs
    sync(store, terms, articles)
    stored, loaded = store.load_glossary(), load_glossary(terms)
    assert stored.terms == loaded.terms
    assert stored.get("secondary-sanctions").see_also == ("entity-list", "swift")
    assert stored.get("long-arm-jurisdiction").aliases == ("域外管辖",)
    assert stored.version == loaded.version


def test_alias_repeating_its_own_term_spelling_aborts_the_sync_with_its_line(inputs):
    terms, articles, store = inputs
    store.sync(*read_inputs(terms, articles))
    before = store.load_glossary().version
    terms.write_text(TERMS.replace("aliases: [实体名单]", "aliases: [实体名单, 實體名單]"), encoding="utf-8")
    with pytest.raises(SyncError) as caught:
        read_inputs(terms, articles)
    line = TERMS.splitlines().index("    aliases: [实体名单]") + 1
    assert caught.value.problems == [
        f"{terms}:{line}: alias '實體名單' of 'entity-list' repeats '实体名单' (both fold to '实体名单'): "
        "remove it, variants match automatically"
    ]
    assert store.load_glossary().version == before


def test_slug_that_cannot_be_a_url_is_a_sync_error_with_its_line(tmp_path):
    from glossary.sources.articles import ArticleError, read_article

    path = tmp_path / "bad.md"
    path.write_text("---\ntitle: x\nslug: a/b c\n---\n\n正文\n", encoding="utf-8")
    with pytest.raises(ArticleError, match=rf"^{path}:3: slug 'a/b c' must not"):
        read_article(path)


def test_missing_articles_folder_is_an_error_not_an_empty_site(tmp_path, inputs):
    terms, _, _ = inputs
    with pytest.raises(SyncError) as caught:
        read_inputs(terms, tmp_path / "articels")
    assert caught.value.problems == [f"{tmp_path / 'articels'}: articles folder does not exist"]


@pytest.mark.parametrize(("value", "draft"), [("'no'", False), ("'false'", False), ("yes", True), ("true", True),
                                            ("maybe", False), ("' On '", True), ("0", False)])
def test_draft_flag_written_as_text_is_read_as_meant(tmp_path, value, draft):
    from glossary.sources.articles import read_article

    path = tmp_path / "a.md"
    path.write_text(f"---\ntitle: x\ndraft: {value}\n---\n\n正文\n", encoding="utf-8")
    assert read_article(path).draft is draft


@pytest.mark.parametrize(("front", "line", "key"), [("title: [a, b]", 2, "title"), ("tags:\n  - [a, b]", 2, "tags")])
def test_front_matter_field_that_is_not_text_names_its_line(tmp_path, front, line, key):
    from glossary.sources.articles import ArticleError, read_article

    path = tmp_path / "a.md"
    path.write_text(f"---\n{front}\n---\n\n正文\n", encoding="utf-8")
    with pytest.raises(ArticleError, match=rf"^{path}:{line}: ('{key}'|every tag)"):
        read_article(path)


def reloaded(inputs, old: str, new: str):
    """Sync terms.yaml, load and compile it as a server does, change `old` to `new` in the file, sync, reload.

    Returns (before, after), each compiled; after compiled with before as its previous.
    """
    terms, articles, store = inputs
    sync(store, terms, articles)
    before = CompiledGlossary(store.load_glossary()).warm()
    assert old in TERMS
    terms.write_text(TERMS.replace(old, new), encoding="utf-8")
    sync(store, terms, articles)
    return before, CompiledGlossary(store.load_glossary(previous=before.glossary), previous=before)


def test_reload_reuses_the_terms_that_did_not_change(inputs):
    before, after = reloaded(inputs, "为各国银行传递跨境支付报文的合作组织。", "总部在比利时的银行报文组织。")
    assert after.by_id["entity-list"] is before.by_id["entity-list"]
    assert after.by_id["swift"] is not before.by_id["swift"]
    assert after.by_id["swift"].definition == "总部在比利时的银行报文组织。"


def test_reload_of_a_changed_definition_shares_the_automaton_and_shows_the_new_text(inputs):
    before, after = reloaded(inputs, "为各国银行传递跨境支付报文的合作组织。", "总部在比利时的银行报文组织。")
    assert after.matcher.longest is before.matcher.longest
    assert "总部在比利时" in annotate_markdown("提到SWIFT。", after, "all").html
    assert "总部在比利时" not in annotate_markdown("提到SWIFT。", before, "all").html


def test_reload_of_a_changed_definition_keeps_the_index_order_with_the_new_terms(inputs, monkeypatch):
    before, after = reloaded(inputs, "为各国银行传递跨境支付报文的合作组织。", "总部在比利时的银行报文组织。")
    # Taken over from the glossary replaced, not sorted again.
    monkeypatch.setattr("glossary.core.compiled.group_terms", lambda *_: pytest.fail("the index was sorted again"))
    assert [(letter, [t.id for t in group]) for letter, group in after.index()] == [
        (letter, [t.id for t in group]) for letter, group in before.index()]
    assert all(t is after.by_id[t.id] for _, group in after.index() for t in group)


def test_reload_of_a_new_alias_builds_a_new_automaton_that_matches_it(inputs):
    before, after = reloaded(inputs, "aliases: [域外管辖]", "aliases: [域外管辖, 长臂原则]")
    assert after.matcher.longest is not before.matcher.longest
    assert [t.id for t in annotate_markdown("所谓长臂原则。", after, "all").terms] == ["long-arm-jurisdiction"]


def test_reload_of_a_renamed_headword_files_it_again(inputs):
    before, after = reloaded(inputs, "term: 二级制裁", "term: 次级制裁")
    letters = {t.id: letter for glossary in (before, after) for letter, group in glossary.index() for t in group}
    assert {letter for letter, group in before.index() for t in group if t.id == "secondary-sanctions"} == {"E"}
    assert letters["secondary-sanctions"] == "C"


# -- tag labels and the articles' own annotation settings --------------------------------------------

LABELS = "tags:\n  sanctions: {zh: 制裁, en: Sanctions}\n  law: {zh: 法律}\n"


def test_tag_labels_round_trip_through_the_store(inputs):
    terms, articles, store = inputs
    terms.write_text(LABELS + TERMS, encoding="utf-8")
    sync(store, terms, articles)
    stored = store.load_glossary()
    assert stored.tag_labels == load_glossary(terms).tag_labels
    assert (stored.tag("sanctions").label, stored.tag("sanctions").en) == ("制裁", "Sanctions")
    assert (stored.tag("law").label, stored.tag("law").en) == ("法律", "Law")


def test_changed_tag_label_is_synced_and_reported(inputs):
    terms, articles, store = inputs
    terms.write_text(LABELS + TERMS, encoding="utf-8")
    sync(store, terms, articles)
    terms.write_text(LABELS.replace("法律", "法规") + TERMS, encoding="utf-8")
    changes = sync(store, terms, articles)
    assert changes.lines() == ["~ tag label law"]
    assert changes.summary() == "tag labels: 1 changed"
    assert store.load_glossary().tag("law").label == "法规"


def test_tag_labels_reach_a_server_syncing_the_glossary_alone(inputs):
    terms, articles, store = inputs
    sync(store, terms, articles)
    store.sync_glossary(parse_glossary(LABELS + TERMS, str(terms)))
    assert store.load_glossary().tag("sanctions").label == "制裁"


def test_article_mode_and_max_links_are_stored_and_empty_when_not_given(inputs):
    terms, articles, store = inputs
    (articles / "limited.md").write_text("---\nannotate: all\nmax_links: 3\n---\n\n正文\n", encoding="utf-8")
    sync(store, terms, articles)
    assert (store.article("limited").mode, store.article("limited").max_links) == ("all", 3)
    assert (store.article("long-arm").mode, store.article("long-arm").max_links) == (None, None)


@pytest.mark.parametrize(("front", "line", "message"), [
    ("title: x\nannotate: all\nglossary: bold", 4, "'annotate: all' and 'glossary: bold' disagree"),
    ("title: x\nannotate: every", 3, "front matter 'annotate: every' must be one of bold, first, all"),
    ("title: x\nmax_links: -2", 3, "front matter max_links must be a whole number"),
    ("title: x\nmax_links: lots", 3, "front matter max_links must be a whole number"),
])
def test_bad_annotation_settings_in_front_matter_name_file_and_line(tmp_path, front, line, message):
    from glossary.sources.articles import ArticleError, read_article

    path = tmp_path / "a.md"
    path.write_text(f"---\n{front}\n---\n\n正文\n", encoding="utf-8")
    with pytest.raises(ArticleError) as caught:
        read_article(path)
    assert str(caught.value).startswith(f"{path}:{line}: {message}")


def test_store_counts_published_articles_per_tag(inputs):
    terms, articles, store = inputs
    (articles / "draft.md").write_text("---\ndraft: true\ntags: [sanctions, secret]\n---\n\n正文\n", encoding="utf-8")
    sync(store, terms, articles)
    assert store.tag_counts() == {"sanctions": 1, "finance": 1}


def test_tag_labels_added_and_removed_are_reported_as_such(inputs):
    terms, articles, store = inputs
    terms.write_text(LABELS + TERMS, encoding="utf-8")
    assert [line for line in sync(store, terms, articles).lines() if "tag" in line] == [
        "+ tag label law", "+ tag label sanctions"]
    terms.write_text("tags:\n  law: {zh: 法律}\n" + TERMS, encoding="utf-8")
    changes = sync(store, terms, articles)
    assert (changes.lines(), changes.summary()) == (["- tag label sanctions"], "tag labels: 1 removed")


def test_a_sqlite_uri_store_is_made_at_the_uri_s_path_not_in_a_folder_named_file(tmp_path, monkeypatch):
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    store = Store(f"sqlite:///file:{tmp_path}/new/store.db?uri=true")
    with store.engine.connect() as connection:
        connection.exec_driver_sql("create table t (x integer)")
    assert (tmp_path / "new" / "store.db").is_file()
    assert list(elsewhere.iterdir()) == []


def test_a_read_only_sqlite_uri_store_makes_no_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store = Store(f"sqlite:///file:{tmp_path}/missing/store.db?mode=ro&uri=true")
    with pytest.raises(Exception, match="unable to open"):
        store.engine.connect()
    assert not (tmp_path / "missing").exists()
    assert list(tmp_path.iterdir()) == []
