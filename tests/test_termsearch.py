"""What a reader's search of the term index matches: folded names and pinyin."""

from __future__ import annotations

import unicodedata

from glossary import Term
from glossary.core.collation import Reading, reading
from glossary.core.termsearch import matches, name_keys, pinyin_keys, query_folds, search_keys

ENTITY_LIST = Term(id="entity-list", term="实体清单", definition="释义。", en="Entity List", aliases=("實體名單",))


def keys_of(term: Term) -> tuple[str, ...]:
    return search_keys(term, reading(term.term, term.pinyin))


def test_name_keys_are_folded_as_the_matcher_folds():
    assert name_keys(ENTITY_LIST) == ("实体清单", "实体名单", "entity list")


def test_pinyin_keys_are_spaced_run_together_and_initials():
    assert pinyin_keys(reading("实体清单")) == ("shi ti qing dan", "shitiqingdan", "stqd")


def test_pinyin_keys_of_one_syllable_have_no_initials():
    assert pinyin_keys(reading("镓")) == ("jia",)


def test_pinyin_keys_take_u_umlaut_typed_as_v_u_umlaut_or_u():
    assert set(pinyin_keys(reading("绿色"))) == {"lv se", "lvse", "ls", "lü se", "lüse", "lu se", "luse"}


def test_pinyin_keys_keep_the_v_of_a_latin_word():
    assert pinyin_keys(Reading(("tv", "ji"), (0, 1), "T")) == ("tv ji", "tvji", "tj")


def test_query_in_traditional_matches_a_simplified_headword():
    assert matches("實體", keys_of(ENTITY_LIST))


def test_query_of_pinyin_initials_matches():
    assert matches("STQD", keys_of(ENTITY_LIST))


def test_query_of_full_pinyin_matches_with_or_without_spaces():
    assert matches("shi ti qing", keys_of(ENTITY_LIST)) and matches("shitiqing", keys_of(ENTITY_LIST))


def test_query_found_in_no_key_does_not_match():
    assert not matches("稀土", keys_of(ENTITY_LIST))


def test_query_folds_hold_the_traditional_forms_of_the_keys_characters():
    folds = query_folds(keys_of(ENTITY_LIST))
    assert folds["實"] == "实" and folds["體"] == "体" and folds["單"] == "单"


def test_query_folds_leave_out_characters_whose_fold_no_key_holds():
    assert "爾" not in query_folds(keys_of(ENTITY_LIST))  # 尔 is in no key


def test_query_folds_leave_out_what_nfkc_and_lower_case_already_fold():
    folds = query_folds(keys_of(ENTITY_LIST))
    assert "Ｅ" not in folds and "E" not in folds
    assert all(unicodedata.normalize("NFKC", c).lower() != f for c, f in folds.items())
