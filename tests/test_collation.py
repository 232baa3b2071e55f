"""Filing and ordering headwords for the term index by pinyin."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from glossary import Term
from glossary.core.collation import LETTERS, Reading, group_terms, index_key, reading, sort_key


def term(term_id: str, headword: str, pinyin: str | None = None) -> Term:
    return Term(id=term_id, term=headword, definition="释义。", pinyin=pinyin)


def test_heteronym_reads_as_the_word_it_begins_not_as_the_character_alone():
    # 长臂管辖 is no listed word and 长 alone reads zhǎng; 长臂猿 is listed.
    read = reading("长臂管辖")
    assert (read.syllables, read.tones, read.letter) == (("chang", "bi", "guan", "xia"), (2, 4, 3, 2), "C")


def test_heteronym_inside_a_listed_word_takes_the_words_reading():
    assert reading("重庆").syllables == ("chong", "qing")
    assert reading("银行").syllables == ("yin", "hang")
    assert reading("行长").syllables == ("hang", "zhang")


def test_heteronym_reading_follows_the_phrase_data_for_a_longer_word():
    # 中重 (zhōng zhòng, medium-heavy) not zhōng chóng.
    assert reading("中重稀土").syllables == ("zhong", "zhong", "xi", "tu")


def test_traditional_headword_reads_as_its_simplified_word():
    assert reading("銀行").syllables == ("yin", "hang")


def test_editor_pinyin_overrides_the_automatic_reading():
    read = reading("重庆", pinyin="zhong qing")
    assert (read.syllables, read.letter) == (("zhong", "qing"), "Z")


def test_editor_pinyin_with_tone_marks_digits_or_neither_reads_alike():
    marks, digits, bare = reading("长臂", "cháng bì"), reading("长臂", "chang2 bi4"), reading("长臂", "Chang Bi")
    assert marks.syllables == digits.syllables == bare.syllables == ("chang", "bi")
    assert marks.tones == digits.tones == (2, 4)


def test_editor_pinyin_apostrophe_separates_syllables():
    assert reading("西安", "xi'an").syllables == ("xi", "an")


def test_editor_pinyin_u_umlaut_and_v_read_alike():
    assert reading("女", "nü3").syllables == reading("女", "nv3").syllables


def test_latin_headword_is_filed_by_its_first_letter():
    assert reading("SWIFT").letter == "S"
    assert reading("swift").letter == "S"


def test_full_width_latin_headword_is_filed_as_ascii():
    assert reading("ＳＷＩＦＴ").letter == "S"


def test_accented_latin_headword_is_filed_by_its_base_letter():
    assert reading("Élysée").letter == "E"


def test_latin_then_chinese_headword_is_filed_by_the_latin_letter():
    read = reading("AI芯片")
    assert (read.syllables, read.letter) == (("ai", "xin", "pian"), "A")


def test_headword_starting_with_a_digit_is_filed_under_hash():
    assert reading("5G网络").letter == "#"


def test_headword_in_another_script_is_filed_under_hash():
    assert reading("カメラ").letter == "#"
    assert reading("Россия").letter == "#"


def test_syllables_compare_one_by_one_not_as_joined_letters():
    # xī tǔ before xīn piàn, although "xint" < "xitu" as strings.
    assert sort_key("稀土") < sort_key("芯片")


def test_same_syllable_orders_by_tone():
    assert sort_key("买方") < sort_key("卖出")


def test_shorter_reading_comes_before_a_longer_one_it_begins():
    assert sort_key("稀土") < sort_key("稀土永磁体")


_syllables = st.lists(st.tuples(st.text("abnxz019", min_size=1, max_size=4), st.integers(0, 5)), max_size=4)
_readings = st.builds(lambda pairs, letter: Reading(tuple(s for s, _ in pairs), tuple(t for _, t in pairs), letter),
                      _syllables, st.sampled_from(LETTERS))


@given(st.tuples(_readings, st.text("稀土ab1 ", max_size=3)), st.tuples(_readings, st.text("稀土ab1 ", max_size=3)))
def test_index_key_orders_as_sort_key(first, second):
    # The sort's one-string key must order any two headwords as the tuple does.
    (read_a, head_a), (read_b, head_b) = first, second
    by_tuple = sort_key(head_a, read=read_a) < sort_key(head_b, read=read_b)
    assert (index_key(read_a, head_a) < index_key(read_b, head_b)) == by_tuple


def test_index_key_puts_a_number_before_a_longer_one_it_begins():
    # "1" < "12" as syllables, although ':' or ' ' separators would sort "12" first.
    assert index_key(reading("1"), "1") < index_key(reading("12"), "12")
    assert index_key(reading("1 x"), "1 x") < index_key(reading("12"), "12")


def test_group_terms_orders_headwords_holding_nul_as_sort_key_does():
    # NUL separates index_key's parts; a headword holding one must still sort as the tuple does.
    terms = [term("c", "ab\0c"), term("b", "ab\0"), term("a", "ab")]
    expected = [t.id for t in sorted(terms, key=lambda t: (sort_key(t.term), t.id))]
    assert [t.id for _, group in group_terms(terms) for t in group] == expected == ["a", "b", "c"]


def test_group_terms_files_under_letters_a_to_z_then_hash():
    terms = [term("a", "5G网络"), term("b", "实体清单"), term("c", "长臂管辖"), term("d", "SWIFT"),
             term("e", "重庆"), term("f", "二级制裁"), term("g", "AI芯片")]
    groups = [(letter, [t.term for t in group]) for letter, group in group_terms(terms)]
    assert groups == [("A", ["AI芯片"]), ("C", ["长臂管辖", "重庆"]), ("E", ["二级制裁"]),
                      ("S", ["实体清单", "SWIFT"]), ("#", ["5G网络"])]


def test_group_terms_uses_the_editors_pinyin_for_the_letter():
    groups = group_terms([term("a", "长臂管辖", pinyin="zhang bi guan xia")])
    assert [letter for letter, _ in groups] == ["Z"]


def test_group_terms_orders_identical_headwords_by_id():
    groups = group_terms([term("b", "稀土"), term("a", "稀土")])
    assert [t.id for t in groups[0][1]] == ["a", "b"]


def test_group_terms_of_nothing_is_empty():
    assert group_terms([]) == []
