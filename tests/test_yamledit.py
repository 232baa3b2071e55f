"""Adding entries to terms.yaml keeps every byte an editor wrote."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary import Term, parse_glossary
from glossary.editorial.yamledit import (
    EditError,
    Layout,
    NewEntry,
    append_terms,
    layout_of,
    new_file,
    render_entries,
    save,
)

# Comments everywhere, odd spacing, quoting styles and a block scalar: what
# a full YAML re-dump would be tempted to normalise.
COMMENTED = """\
# 术语表 — kept by hand
#   (every comment here must survive)

terms:   # the list
  # --- 制裁 ---
  - id: secondary-sanctions     # aligned comment
    term:   二级制裁
    en: "Secondary Sanctions"
    definition: '针对第三方的制裁。'
    tags: [ sanctions ]

  - id: swift
    term: SWIFT
    aliases: ['环球银行金融电信协会']
    definition: >-
      为各国银行传递
      支付报文的组织。
# trailing comment, no final newline"""

NEW = [
    NewEntry(Term(id="de-minimis-rule", term="最低含量规则", en="De Minimis Rule",
                  definition="受控成分超过一定比例即须管制的计算方法。"), "from articles/a.md:3"),
    NewEntry(Term(id="yes-term", term="是", definition="yes", aliases=("no", "on: off")), "from articles/b.md:9"),
]


def test_append_keeps_the_commented_file_as_its_exact_beginning():
    result = append_terms(COMMENTED, NEW)
    assert result.startswith(COMMENTED)
    assert [t.id for t in parse_glossary(result)] == ["secondary-sanctions", "swift", "de-minimis-rule", "yes-term"]


def test_appended_entries_carry_their_comment_and_follow_the_file_layout():
    result = append_terms(COMMENTED, NEW)
    added = result[len(COMMENTED):]
    assert "\n\n  # from articles/a.md:3\n  - id: de-minimis-rule\n    term: 最低含量规则\n" in added


def test_appended_terms_read_back_exactly():
    terms = list(parse_glossary(append_terms(COMMENTED, NEW)))
    assert terms[2:] == [e.term for e in NEW]


def test_words_yaml_1_1_reads_as_booleans_are_quoted():
    added = append_terms(COMMENTED, NEW)[len(COMMENTED):]
    assert "definition: 'yes'" in added
    assert "'no'" in added


def test_layout_follows_dashes_at_column_zero_without_blank_lines():
    text = "terms:\n- id: a\n  term: 甲\n  definition: 一。\n- id: b\n  term: 乙\n  definition: 二。\n"
    assert layout_of(text) == Layout(dash=0, inner=2, blank=False)
    result = append_terms(text, NEW[:1])
    assert result == text + "# from articles/a.md:3\n- id: de-minimis-rule\n  term: 最低含量规则\n" \
        "  en: De Minimis Rule\n  definition: 受控成分超过一定比例即须管制的计算方法。\n"


def test_crlf_file_gets_crlf_lines():
    text = "terms:\r\n  - id: a\r\n    term: 甲\r\n    definition: 一。\r\n"
    result = append_terms(text, NEW[:1])
    assert result.startswith(text)
    assert "\n" not in result[len(text):].replace("\r\n", "")


def test_byte_order_mark_stays_first():
    text = "\ufeffterms:\n  - id: a\n    term: 甲\n    definition: 一。\n"
    result = append_terms(text, NEW[:1])
    assert result.startswith(text)
    assert [t.id for t in parse_glossary(result)] == ["a", "de-minimis-rule"]


@pytest.mark.parametrize("text", ["terms: []\n", "terms:\n", "# 空\nterms: []  # nothing yet\n"])
def test_empty_terms_list_gets_block_entries(text):
    result = append_terms(text, NEW)
    assert [t.id for t in parse_glossary(result)] == ["de-minimis-rule", "yes-term"]
    assert "  - id: de-minimis-rule" in result


def test_flow_style_list_stays_flow_style():
    text = "terms: [{id: a, term: 甲, definition: 一。}]\n"
    result = append_terms(text, NEW[:1])
    assert [t.id for t in parse_glossary(result)] == ["a", "de-minimis-rule"]


def test_entry_whose_spelling_is_taken_is_refused():
    clash = NewEntry(Term(id="other", term="二级制裁", definition="重复。"))
    with pytest.raises(EditError, match="would not pass check"):
        append_terms(COMMENTED, [clash])


def test_file_with_problems_is_not_edited():
    with pytest.raises(EditError, match="fix them first"):
        append_terms("terms:\n  - id: a\n    term: 甲\n", NEW)


def test_comment_cannot_break_out_of_its_line():
    entry = NewEntry(NEW[0].term, "from a.md\n- id: injected")
    result = append_terms(COMMENTED, [entry])
    assert [t.id for t in parse_glossary(result)][-1] == "de-minimis-rule"
    assert "# from a.md - id: injected\n" in result


def test_new_file_reads_back_as_its_terms():
    text = new_file(NEW)
    assert text.startswith("terms:\n")
    assert list(parse_glossary(text)) == [e.term for e in NEW]


def test_save_replaces_the_file_when_it_still_holds_what_was_read(tmp_path):
    path = tmp_path / "terms.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    os.chmod(path, 0o640)
    save(path, COMMENTED + "\n", COMMENTED.encode())
    assert path.read_text(encoding="utf-8") == COMMENTED + "\n"
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["terms.yaml"]


def test_save_refuses_a_file_changed_since_it_was_read(tmp_path):
    path = tmp_path / "terms.yaml"
    path.write_text(COMMENTED + "\n# an editor's later save\n", encoding="utf-8")
    with pytest.raises(EditError, match="changed while"):
        save(path, "terms: []\n", COMMENTED.encode())
    assert path.read_text(encoding="utf-8").endswith("# an editor's later save\n")


def test_save_of_a_new_file_never_replaces_one(tmp_path):
    path = tmp_path / "terms.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    with pytest.raises(EditError, match="was created"):
        save(path, "terms: []\n", None)
    assert path.read_text(encoding="utf-8") == COMMENTED


def test_save_follows_a_symbolic_link(tmp_path):
    real = tmp_path / "real.yaml"
    real.write_text(COMMENTED, encoding="utf-8")
    link = tmp_path / "terms.yaml"
    link.symlink_to(real)
    save(link, COMMENTED + "\n", COMMENTED.encode())
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == COMMENTED + "\n"


text_values = st.text(
    alphabet=st.sampled_from(list("甲乙丙丁稀土芯片abcXYZ019 :#-*&!|>'\"\\\n\t[]{},%@`~é\u2028\u0085")),
    min_size=1, max_size=12,
).map(str.strip).filter(bool)


@settings(max_examples=150, deadline=None)
@given(term=text_values, definition=text_values, en=st.none() | text_values,
       aliases=st.lists(text_values, max_size=3))
def test_rendered_entry_reads_back_as_the_same_term(term, definition, en, aliases):
    entry = Term(id="x", term=term, definition=definition, en=en, aliases=tuple(aliases))
    text = "terms:\n" + render_entries([NewEntry(entry)], Layout())
    try:
        parsed = list(parse_glossary(text))
    except ValueError as exc:
        # Only a glossary rule (a repeated spelling) may refuse it, never YAML.
        assert "fold to" in str(exc)
        return
    assert parsed == [entry]


@pytest.mark.parametrize("value", ["0Xb", "1_0", "_0", "0o7", ".NaN", "-.inf", "~"])
def test_a_value_the_reader_takes_for_a_number_or_null_is_quoted(value):
    # YAML 1.2 (ruamel, the writer) reads 0Xb, 1_0 and _0 as text; yaml-rs (the reader) as numbers.
    entry = Term(id="x", term=f"甲{value}", definition=value, en=value, aliases=(value,))
    text = "terms:\n" + render_entries([NewEntry(entry)], Layout())
    assert list(parse_glossary(text)) == [entry]


def test_an_alias_that_begins_with_a_colon_is_quoted_in_its_list():
    entry = Term(id="x", term="甲", definition="一", aliases=(": 0", "? 1"))
    text = "terms:\n" + render_entries([NewEntry(entry)], Layout())
    assert list(parse_glossary(text))[0].aliases == (": 0", "? 1")


def test_an_alias_that_begins_with_a_colon_and_holds_a_next_line_character_reads_back():
    # Single quotes cannot keep U+0085 (NEL): written as a line break, it reads back as spaces.
    entry = Term(id="x", term="0", definition="0", aliases=(":\x850", "?\u20281"))
    text = "terms:\n" + render_entries([NewEntry(entry)], Layout())
    assert list(parse_glossary(text))[0].aliases == (":\x850", "?\u20281")
