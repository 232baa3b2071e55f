"""Dated definitions: the version in force on a day, and what terms.yaml may say about dates and sources."""

from __future__ import annotations

import json
from datetime import date

import pytest

from glossary import GlossaryError, load_glossary, parse_glossary
from glossary.core.model import Term
from glossary.core.versions import Source, Version, parse_date, safe_url, version_index

DATED = """\
terms:
  - id: entity-list
    term: 实体清单
    definition: 现行定义。
    as_of: 2025-09-29
    sources:
      - url: https://www.ecfr.gov/current/title-15/part-744
        title: 15 CFR Part 744
        date: 2025-09-29
      - https://www.federalregister.gov/
    history:
      - until: 2025-09-28
        definition: 关联方规则之前的定义。
        note: 关联方规则生效前
        sources:
          - url: https://www.bis.gov/
      - until: 2020-05-14
        definition: 最早的定义。
"""


def term_with_history() -> Term:
    return Term(id="t", term="甲", definition="now", as_of=date(2025, 9, 29), history=(
        Version(until=date(2025, 9, 28), definition="middle"),
        Version(until=date(2020, 5, 14), definition="first"),
    ))


# -- the version in force -------------------------------------------------------------------


@pytest.mark.parametrize(("day", "expected"), [
    (date(2019, 1, 1), "first"),          # before the oldest until
    (date(2020, 5, 14), "first"),         # on it
    (date(2020, 5, 15), "middle"),        # the day after it
    (date(2025, 9, 28), "middle"),        # on the newest until
    (date(2025, 9, 29), "now"),           # after every until
    (date(2030, 1, 1), "now"),
])
def test_definition_in_force_before_on_and_after_each_until(day, expected):
    assert term_with_history().in_force(day).definition == expected


def test_term_without_history_is_always_in_its_current_definition():
    term = Term(id="t", term="甲", definition="now", as_of=date(2025, 1, 1))
    assert term.in_force(date(1990, 1, 1)).current
    assert term.in_force(date(1990, 1, 1)).as_of == date(2025, 1, 1)


def test_no_date_means_the_current_definition():
    assert term_with_history().in_force(None).definition == "now"


def test_version_index_names_the_history_entry():
    history = term_with_history().history
    assert version_index(history, date(2020, 1, 1)) == 1
    assert version_index(history, date(2024, 1, 1)) == 0
    assert version_index(history, date(2025, 9, 29)) is None
    assert version_index((), date(2000, 1, 1)) is None


def test_periods_run_from_the_day_after_the_older_until():
    current, middle, first = term_with_history().periods()
    assert (current.start, current.until, current.as_of, current.index) == (date(2025, 9, 29), None,
                                                                             date(2025, 9, 29), None)
    assert (middle.start, middle.until, middle.index) == (date(2020, 5, 15), date(2025, 9, 28), 0)
    assert (first.start, first.until, first.index) == (None, date(2020, 5, 14), 1)


def test_source_label_is_its_title_else_its_host():
    assert Source("https://www.ecfr.gov/x", "15 CFR 744").label == "15 CFR 744"
    assert Source("https://www.ecfr.gov/x").label == "www.ecfr.gov"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x",
                                 "//example.com/x", "https:///x", "java\tscript:alert(1)", "ftp://example.com/",
                                 "https://example.com/a b", "mailto:a@example.com"])
def test_only_http_urls_with_a_host_are_safe(url):
    assert not safe_url(url)


def test_parse_date_takes_iso_days_only():
    assert parse_date("2025-09-29") == date(2025, 9, 29)
    assert parse_date("2025-9-29") is None
    assert parse_date("2025-02-30") is None
    assert parse_date(20250929) is None


# -- reading terms.yaml -------------------------------------------------------------------


def test_dated_entry_loads_as_of_sources_and_history(tmp_path):
    path = tmp_path / "terms.yaml"
    path.write_text(DATED, encoding="utf-8")
    term = load_glossary(path).get("entity-list")
    assert term.as_of == date(2025, 9, 29)
    assert term.sources == (Source("https://www.ecfr.gov/current/title-15/part-744", "15 CFR Part 744",
                                   date(2025, 9, 29)), Source("https://www.federalregister.gov/"))
    assert term.history == (
        Version(date(2025, 9, 28), "关联方规则之前的定义。", (Source("https://www.bis.gov/"),), "关联方规则生效前"),
        Version(date(2020, 5, 14), "最早的定义。"),
    )


def test_to_dict_keeps_the_new_keys_and_reads_back():
    term = parse_glossary(DATED).get("entity-list")
    data = term.to_dict()
    assert data["as_of"] == "2025-09-29"
    assert data["sources"][0] == {"url": "https://www.ecfr.gov/current/title-15/part-744",
                                  "title": "15 CFR Part 744", "date": "2025-09-29"}
    assert data["history"][0]["note"] == "关联方规则生效前"
    assert parse_glossary(json.dumps({"terms": [data]})).get(term.id) == term


def test_a_file_without_the_new_keys_gives_empty_ones():
    term = parse_glossary("terms:\n  - id: a\n    term: 甲\n    definition: d\n").get("a")
    assert (term.as_of, term.sources, term.history) == (None, (), ())
    assert set(term.to_dict()) == {"id", "term", "definition"}


def only_problem(text: str) -> str:
    with pytest.raises(GlossaryError) as info:
        parse_glossary(text, "terms.yaml")
    problems = [str(p) for p in info.value.problems]
    assert len(problems) == 1, problems
    return problems[0]


ENTRY = "terms:\n  - id: a\n    term: 甲\n    definition: d\n"


def test_as_of_that_is_not_yyyy_mm_dd_is_reported_on_its_line():
    assert only_problem(ENTRY + "    as_of: 2025/09/29\n") == (
        "terms.yaml:5: 'as_of' must be a date: write it YYYY-MM-DD, e.g. 2025-09-29, not '2025/09/29'")


def test_impossible_day_is_not_a_date():
    assert only_problem(ENTRY + "    as_of: 2025-02-30\n").startswith("terms.yaml:5: 'as_of' must be a date")


def test_source_date_that_is_not_yyyy_mm_dd_is_reported_on_its_line():
    assert only_problem(ENTRY + "    sources:\n      - url: https://example.gov/\n        date: 29.9.2025\n") == (
        "terms.yaml:7: a source's 'date' must be a date: write it YYYY-MM-DD, e.g. 2025-09-29, not '29.9.2025'")


def test_until_that_is_not_yyyy_mm_dd_is_reported_on_its_line():
    assert only_problem(ENTRY + "    history:\n      - until: 2025-9-28\n        definition: old\n") == (
        "terms.yaml:6: 'until' must be a date: write it YYYY-MM-DD, e.g. 2025-09-29, not '2025-9-28'")


def test_javascript_source_url_is_an_error_on_its_line():
    assert only_problem(ENTRY + "    sources:\n      - url: javascript:alert(1)\n") == (
        "terms.yaml:6: source url 'javascript:alert(1)' is not an http(s) URL: "
        "only http:// and https:// pages can be linked")


def test_relative_source_url_is_an_error_on_its_line():
    assert only_problem(ENTRY + "    sources:\n      - /terms/a\n").startswith(
        "terms.yaml:6: source url '/terms/a' is not an http(s) URL")


def test_source_without_url_is_reported_on_its_line():
    assert only_problem(ENTRY + "    sources:\n      - title: 联邦公报\n") == (
        "terms.yaml:6: a source needs a 'url' (http or https)")


def test_history_not_newest_first_is_reported_on_the_later_until():
    text = ENTRY + ("    history:\n      - until: 2020-01-01\n        definition: older\n"
                    "      - until: 2024-01-01\n        definition: newer\n")
    assert only_problem(text) == (
        "terms.yaml:8: 'history' must be newest first: 'until' 2024-01-01 comes after 2020-01-01 above it")


def test_repeated_until_is_reported_on_the_second_one():
    text = ENTRY + ("    history:\n      - until: 2024-01-01\n        definition: one\n"
                    "      - until: 2024-01-01\n        definition: two\n")
    assert only_problem(text) == "terms.yaml:8: 'until' 2024-01-01 is repeated: each version ends on its own day"


def test_until_on_as_of_is_reported_on_its_line():
    text = ENTRY + "    as_of: 2025-09-29\n    history:\n      - until: 2025-09-29\n        definition: old\n"
    assert only_problem(text) == ("terms.yaml:7: 'until' 2025-09-29 is on or after 'as_of' 2025-09-29: "
                                  "a past definition ends before the current one was checked")


def test_until_after_as_of_is_reported_on_its_line():
    text = ENTRY + "    as_of: 2025-09-29\n    history:\n      - until: 2026-01-01\n        definition: old\n"
    assert only_problem(text).startswith("terms.yaml:7: 'until' 2026-01-01 is on or after 'as_of' 2025-09-29")


def test_history_entry_without_definition_is_reported_on_its_line():
    assert only_problem(ENTRY + "    history:\n      - until: 2024-01-01\n        note: 旧\n") == (
        "terms.yaml:6: a history entry needs 'definition', the text in force until then")


def test_history_entry_without_until_is_reported_on_its_line():
    assert only_problem(ENTRY + "    history:\n      - definition: old\n") == (
        "terms.yaml:6: a history entry needs 'until', the last day its definition was in force")


def test_unknown_key_in_a_history_entry_suggests_the_nearest():
    assert only_problem(ENTRY + "    history:\n      - until: 2024-01-01\n        definition: old\n"
                                "        notes: x\n") == (
        "terms.yaml:8: unknown key in 'history' 'notes': did you mean 'note'?")


def test_note_on_two_lines_is_reported():
    assert only_problem(ENTRY + '    history:\n      - until: 2024-01-01\n        definition: old\n'
                                '        note: "a\\nb"\n') == "terms.yaml:8: a history 'note' must be one line"


def test_history_that_is_not_a_list_is_reported():
    assert only_problem(ENTRY + "    history: old\n").startswith("terms.yaml:5: 'history' must be a list")


def test_a_history_problem_is_located_on_the_same_line_when_streamed(monkeypatch):
    from glossary.sources import termstream

    text = ENTRY + "".join(f"  - id: t{i}\n    term: 词{i}\n    definition: d\n" for i in range(7)) + (
        "  - id: late\n    term: 晚\n    definition: d\n    as_of: 2025-01-01\n"
        "    history:\n      - until: 2024-01-01\n        definition: one\n"
        "      - until: 2024-06-01\n        definition: two\n")
    whole = only_problem(text)
    monkeypatch.setattr(termstream, "STREAM_FROM", 0)
    monkeypatch.setattr(termstream, "SLICE", 3)
    assert termstream.terms_layout(text) is not None
    assert only_problem(text) == whole
    assert whole.startswith("terms.yaml:33: 'history' must be newest first")


def test_check_command_names_file_and_line_of_a_javascript_source(tmp_path):
    from glossary.cli import create_app, main

    path = tmp_path / "terms.yaml"
    path.write_text(ENTRY + "    sources:\n      - url: javascript:alert(1)\n", encoding="utf-8")
    app = create_app({"GLOSSARY_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}"})
    result = app.test_cli_runner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (f"{path}:6: source url 'javascript:alert(1)' is not an http(s) URL: "
                                             "only http:// and https:// pages can be linked")


def test_an_entry_with_history_appended_to_terms_yaml_reads_back():
    from glossary.editorial.yamledit import NewEntry, append_terms

    term = parse_glossary(DATED).get("entity-list")
    text = append_terms(ENTRY, [NewEntry(term)])
    assert text.startswith(ENTRY)
    assert parse_glossary(text).get("entity-list") == term


def test_the_period_in_force_is_the_one_periods_lists_for_every_day():
    from datetime import timedelta

    from glossary.core.versions import periods, version_index

    term = term_with_history()
    listed = periods(term.definition, term.as_of, term.sources, term.history)
    day = date(2020, 1, 1)
    while day < date(2026, 1, 1):
        index = version_index(term.history, day)
        assert term.in_force(day) == listed[0 if index is None else index + 1]
        day += timedelta(days=17)
    assert term.in_force(None) == listed[0]
