"""A large terms.yaml is read a slice of entries at a time, with the same result and the same lines."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import TERMS_YAML

from glossary.sources import termstream
from glossary.sources.termfile import GlossaryError, parse_glossary

SHIPPED = (Path(__file__).resolve().parents[1] / "terms.yaml").read_text(encoding="utf-8")


@pytest.fixture
def streaming(monkeypatch):
    """Stream every file, three entries to a slice, so the small files here take the large files' path."""
    monkeypatch.setattr(termstream, "STREAM_FROM", 0)
    monkeypatch.setattr(termstream, "SLICE", 3)


def problems(text: str) -> list[str]:
    with pytest.raises(GlossaryError) as caught:
        parse_glossary(text, "terms.yaml")
    return [str(p) for p in caught.value.problems]


def whole_then_streamed(monkeypatch, text: str):
    """Return (problems read whole, problems streamed)."""
    whole = problems(text)
    monkeypatch.setattr(termstream, "STREAM_FROM", 0)
    monkeypatch.setattr(termstream, "SLICE", 3)
    return whole, problems(text)


def test_the_shipped_glossary_streamed_is_the_glossary_read_whole(monkeypatch):
    whole = parse_glossary(SHIPPED, "terms.yaml")
    monkeypatch.setattr(termstream, "STREAM_FROM", 0)
    monkeypatch.setattr(termstream, "SLICE", 3)
    assert termstream.terms_layout(SHIPPED) is not None
    streamed = parse_glossary(SHIPPED, "terms.yaml")
    assert streamed.terms == whole.terms and streamed.version == whole.version


def test_a_missing_field_is_located_on_the_same_line_streamed(monkeypatch):
    text = TERMS_YAML.replace("    definition: 针对与受制裁方往来的第三方所施加的制裁。\n", "")
    whole, streamed = whole_then_streamed(monkeypatch, text)
    assert streamed == whole and whole[0].startswith("terms.yaml:15:")


def test_an_unknown_key_is_located_on_its_line_streamed(monkeypatch):
    text = TERMS_YAML.replace("    pinyin: chang bi guan xia\n", "    pinyinn: chang bi guan xia\n")
    whole, streamed = whole_then_streamed(monkeypatch, text)
    assert streamed == whole and whole[0].startswith("terms.yaml:14:")


def test_a_duplicate_id_is_reported_the_same_streamed(monkeypatch):
    text = TERMS_YAML.replace("  - id: swift\n", "  - id: wto\n")
    whole, streamed = whole_then_streamed(monkeypatch, text)
    assert streamed == whole


def test_a_syntax_error_in_a_slice_names_the_line_the_whole_file_would(monkeypatch):
    text = TERMS_YAML.replace("    en: Rare-earth Magnet\n", "    en: [Rare-earth Magnet\n")
    whole, streamed = whole_then_streamed(monkeypatch, text)
    assert streamed == whole


def test_an_alias_in_a_slice_is_refused_naming_its_line(monkeypatch):
    text = TERMS_YAML.replace("    tags: [law]\n", "    tags: &t [law]\n").replace("    tags: [finance]\n",
                                                                                "    tags: *t\n")
    whole, streamed = whole_then_streamed(monkeypatch, text)
    assert streamed == whole and "aliases" in whole[0]


def test_another_top_level_key_is_still_checked_streamed(monkeypatch):
    text = TERMS_YAML + "extra: 1\n"
    whole, streamed = whole_then_streamed(monkeypatch, text)
    assert streamed == whole and "unknown top-level key 'extra'" in whole[0]


def test_a_list_at_the_left_margin_is_streamed(streaming):
    text = TERMS_YAML.replace("\n  ", "\n")
    assert termstream.terms_layout(text) is not None
    assert len(parse_glossary(text, "terms.yaml")) == len(parse_glossary(TERMS_YAML, "t.yaml"))


def test_a_file_with_document_markers_is_read_whole(streaming):
    text = "---\n" + TERMS_YAML
    assert termstream.terms_layout(text) is None
    assert len(parse_glossary(text, "terms.yaml")) == len(parse_glossary(TERMS_YAML, "t.yaml"))


def test_a_flow_list_of_terms_is_read_whole(streaming):
    text = 'terms: [{id: a, term: 甲, definition: 一}]\n'
    assert termstream.terms_layout(text) is None
    assert [t.id for t in parse_glossary(text, "terms.yaml")] == ["a"]


def test_a_line_less_indented_than_the_entries_is_read_whole(streaming):
    text = TERMS_YAML.replace("    definition: 一国把", " definition: 一国把")
    assert termstream.terms_layout(text) is None


def test_a_syntax_error_after_the_terms_list_names_its_line_streamed(monkeypatch):
    whole, streamed = whole_then_streamed(monkeypatch, TERMS_YAML + "other: [unclosed\n")
    assert streamed == whole and whole[0].startswith("terms.yaml:56:")


def test_an_alias_after_the_terms_list_names_its_line_streamed(monkeypatch):
    whole, streamed = whole_then_streamed(monkeypatch, TERMS_YAML + "other: &a 1\nmore: *a\n")
    assert streamed == whole and whole[0].startswith("terms.yaml:56:")


def test_an_escaped_line_break_before_a_dash_line_at_a_slice_boundary_reads_as_whole(monkeypatch):
    # The third entry's definition goes on in a line that looks like an entry, where a slice of three ends.
    text = TERMS_YAML.replace("    definition: 针对与受制裁方往来的第三方所施加的制裁。\n",
                              '    definition: "针对与受制裁方往来的\\\n  - 第三方所施加的制裁。"\n')
    whole = parse_glossary(text, "terms.yaml")
    assert whole.get("secondary-sanctions").definition == "针对与受制裁方往来的- 第三方所施加的制裁。"
    monkeypatch.setattr(termstream, "STREAM_FROM", 0)
    monkeypatch.setattr(termstream, "SLICE", 3)
    assert parse_glossary(text, "terms.yaml").terms == whole.terms


def test_an_escaped_line_break_continued_at_the_left_margin_reads_as_whole(monkeypatch):
    # The line at the margin looks like the next top-level key: the list must not end there.
    text = TERMS_YAML.replace("    definition: 针对与受制裁方往来的第三方所施加的制裁。\n",
                              '    definition: "针对与受制裁方往来的\\\n第三方所施加的制裁。"\n')
    whole = parse_glossary(text, "terms.yaml")
    assert whole.get("secondary-sanctions").definition == "针对与受制裁方往来的第三方所施加的制裁。"
    monkeypatch.setattr(termstream, "STREAM_FROM", 0)
    monkeypatch.setattr(termstream, "SLICE", 3)
    assert parse_glossary(text, "terms.yaml").terms == whole.terms


def broken_entries(count: int) -> str:
    """Return a terms file whose every entry misspells 'definition'."""
    entry = "  - id: t{0}\n    term: 词{0}\n    definitio: 第{0}个词的定义。\n"
    return "terms:\n" + "".join(entry.format(i) for i in range(count))


def seconds_to_report(text: str) -> float:
    best = float("inf")
    for _ in range(2):
        began = time.perf_counter()
        with pytest.raises(GlossaryError):
            parse_glossary(text, "terms.yaml")
        best = min(best, time.perf_counter() - began)
    return best


def test_reporting_a_problem_in_every_entry_grows_linearly_streamed(monkeypatch):
    # A field renamed in every entry (a careless search and replace) gives a problem per entry.
    monkeypatch.setattr(termstream, "STREAM_FROM", 0)
    small, large = seconds_to_report(broken_entries(4000)), seconds_to_report(broken_entries(16000))
    assert large < 6 * small


def test_a_file_with_windows_line_ends_is_streamed_the_same(streaming):
    text = TERMS_YAML.replace("\n", "\r\n")
    assert termstream.terms_layout(text) is not None  # a large file saved on Windows keeps its memory bound
    assert parse_glossary(text, "terms.yaml").terms == parse_glossary(TERMS_YAML, "t.yaml").terms


def test_a_file_with_windows_line_ends_and_document_markers_is_read_whole(streaming):
    text = ("---\n" + TERMS_YAML + "...\n").replace("\n", "\r\n")
    assert termstream.terms_layout(text) is None


def test_an_unknown_top_level_key_is_located_without_composing_the_whole_file(monkeypatch):
    # Composing a large file for its node marks takes ~40x its size: only the document around the list is.
    from glossary.sources import termfile

    composed = []
    real = termfile.line_finder

    def recording(text):
        composed.append(len(text))
        return real(text)

    monkeypatch.setattr(termfile, "line_finder", recording)
    text = TERMS_YAML + "extra: 1\n"
    whole, streamed = whole_then_streamed(monkeypatch, text)
    assert streamed == whole and whole[0].startswith("terms.yaml:55:")
    assert composed[0] == len(text) and all(size < len(text) // 10 for size in composed[1:])
