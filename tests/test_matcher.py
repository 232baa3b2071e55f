"""The matcher's scan: UTF-16 code units, fallbacks, folding of only what matters."""

from __future__ import annotations

import json

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from glossary import Glossary, Term
from glossary.core import normalize
from glossary.core.compiled import CompiledGlossary
from glossary.core.matcher import UNITS
from glossary.core.normalize import SEPARATOR


def matcher_for(*spellings: str):
    terms = [Term(id=f"t{i}", term=s, definition="d") for i, s in enumerate(spellings)]
    return CompiledGlossary(Glossary(terms)).matcher


def found(matcher, text: str) -> list[tuple[int, int, str]]:
    folded, offsets = matcher.fold(text)
    assert offsets is None
    return [(start, end, term.term) for start, end, term in matcher.find(folded)]


def test_match_straddling_two_characters_is_not_a_match():
    # "a乎" is 00 61 4E 4E in UTF-16-BE (the matcher's UNITS): bytes 1-2 spell "慎" (61 4E).
    assert "a乎".encode(UNITS)[1:3].decode(UNITS) == "慎"
    assert found(matcher_for("慎"), "a乎") == []


def test_straddling_match_does_not_hide_a_real_one():
    assert found(matcher_for("慎", "乎"), "a乎") == [(1, 2, "乎")]


def test_offsets_count_characters_after_astral_ones():
    assert found(matcher_for("稀土"), "𠀀𠀁稀土") == [(2, 4, "稀土")]


def test_key_with_an_astral_character_matches():
    assert found(matcher_for("𠀀字"), "甲𠀀字") == [(1, 3, "𠀀字")]


def test_boundary_fallback_stays_inside_its_slot():
    matcher = matcher_for("ai芯片", "芯片", "稀土")
    text = SEPARATOR.join(["稀土", "openai芯片", "稀土"])
    assert found(matcher, text) == [(0, 2, "稀土"), (9, 11, "芯片"), (12, 14, "稀土")]


def test_separator_bytes_across_two_characters_do_not_end_a_slot():
    # "一x" is 4E 00 00 78: a NUL pair at an odd offset is not a separator
    # (the rejected "ai" re-picks its slot from the start, not from byte 3).
    assert "一x".encode(UNITS)[1:3] == SEPARATOR.encode(UNITS)
    matcher = matcher_for("ai", "稀土")
    assert found(matcher, "一xai稀土") == [(4, 6, "稀土")]


def test_only_characters_that_can_matter_are_folded():
    matcher = matcher_for("实体清单")
    folded, _ = matcher.fold("（實體清單）")
    assert folded == "（实体清单）"


def test_full_width_letters_fold_for_word_boundaries():
    matcher = matcher_for("swift")
    assert found(matcher, "ＳＷＩＦＴＬＹ") == []
    assert found(matcher, "用ＳＷＩＦＴ") == [(1, 6, "swift")]


def test_many_rejected_latin_matches_in_one_slot_find_its_bounds_once(monkeypatch):
    import glossary.core.matcher as module

    calls = []
    for name in ("_slot_start", "_slot_end"):
        original = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, f=original, n=name: calls.append(n) or f(*a))
    matcher = matcher_for("ear", "稀土")
    text = SEPARATOR.join(["稀土", "year early clear " * 200 + "稀土", "稀土"])
    assert found(matcher, text)[-2:] == [(3403, 3405, "稀土"), (3406, 3408, "稀土")]
    # 600 rejected matches, one slot: its bounds are searched for once each.
    assert calls == ["_slot_start", "_slot_end"]


def test_character_folding_to_several_matches_whatever_else_the_glossary_holds():
    for extra in ((), ("Entity List",)):
        matcher = matcher_for("Ⅱ期临床试验", *extra)
        folded, offsets = matcher.fold("该药进入Ⅱ期临床试验。")
        assert [(offsets[s], offsets[e], t.term) for s, e, t in matcher.find(folded)] == [(4, 10, "Ⅱ期临床试验")]


def test_expanded_character_keeps_offsets_of_later_matches():
    matcher = matcher_for("5G", "稀土")
    folded, offsets = matcher.fold("Ⅱ稀土与5G")
    assert [(offsets[s], offsets[e]) for s, e, _ in matcher.find(folded)] == [(1, 3), (4, 6)]


def test_shipped_fold_table_is_what_the_installed_opencc_and_unicode_give():
    shipped = json.loads(normalize.FOLDS_FILE.read_text(encoding="utf-8"))
    if shipped["versions"] != normalize.fold_versions():
        pytest.skip(f"the table is for {shipped['versions']}, not {normalize.fold_versions()}: run `make folds`")
    assert shipped["pairs"] == normalize.compute_folding_pairs()


def test_fold_table_made_for_other_versions_is_not_used(tmp_path, monkeypatch):
    stale = tmp_path / "folds.json"
    stale.write_text(json.dumps({"versions": {"opencc": "0.1", "unicode": "1.0"}, "pairs": {"實": "x"}}))
    monkeypatch.setattr(normalize, "FOLDS_FILE", stale)
    assert normalize.folding_pairs.__wrapped__()["實"] == "实"


def test_missing_or_broken_fold_table_is_computed_instead(tmp_path, monkeypatch):
    broken = tmp_path / "folds.json"
    broken.write_text("{not json")
    monkeypatch.setattr(normalize, "FOLDS_FILE", broken)
    assert normalize.folding_pairs.__wrapped__()["實"] == "实"
    monkeypatch.setattr(normalize, "FOLDS_FILE", tmp_path / "missing.json")
    assert normalize.folding_pairs.__wrapped__()["實"] == "实"


def _straddling(c1: str, c2: str, c3: str) -> str:
    """Return the key whose UTF-16 bytes are c1's second byte, c2's two and c3's first: it matches across them."""
    raw = c1.encode(UNITS)[1:] + c2.encode(UNITS) + c3.encode(UNITS)[:1]
    return raw.decode(UNITS, "replace")


def _random_matcher(rng, count: int):
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 60)]
    keys = {"".join(rng.choices(han, k=rng.randint(2, 4))) for _ in range(count)}
    # Keys that match at odd byte offsets of these characters' text, hiding real ones.
    keys |= {k for k in (_straddling(*rng.choices(han, k=3)) for _ in range(count // 4)) if "\ufffd" not in k}
    keys |= {"ab", "abc", "x1"}  # Latin keys: word boundaries
    # A key ending in a letter whose shorter start is a key too: where a
    # word boundary rejects the longer one, the shorter one is the match.
    keys |= {han[0] + "a", han[0], han[1] + han[2] + "b", han[1] + han[2]}
    # Keys of one character and of an astral one: a straddling match's span
    # may hold several keys, each picked when it is scanned again.
    keys |= set(rng.sample(han, 8)) | {"𠀀" + han[3]}
    terms = [Term(id=f"t{i}", term=k, definition="d") for i, k in enumerate(sorted(keys))]
    return CompiledGlossary(Glossary(terms)).matcher, han


def _overlapping_pick(matcher, data: bytes) -> list[tuple[int, int, int]]:
    """Return the pick from all overlapping matches: the leftmost, longest, whole-character, fitting ones."""
    automaton = matcher._overlapping_automaton()
    candidates = sorted(automaton.find_matches_as_indexes(data, overlapping=True), key=lambda m: (m[1], -m[2]))
    picked, last_end = [], 0
    for index, start, end in candidates:
        if start & 1 or start < last_end or not matcher._fits_units(data, index, start, end):
            continue
        picked.append((index, start, end))
        last_end = end
    return picked


def test_resplice_after_odd_offsets_and_word_boundaries_picks_what_the_overlapping_repick_picks():
    import random

    rng = random.Random(3)
    matcher, han = _random_matcher(rng, 400)
    pieces = [*han, "a", "b", "c", "1", " ", SEPARATOR, han[0] + "ab", han[1] + han[2] + "bc", "𠀀"]
    compared = restarted = rejected = shortened = several = 0
    for _ in range(400):
        text = "".join(rng.choices(pieces, k=rng.randint(5, 400)))
        folded, _ = matcher.fold(text)
        data = folded.encode(UNITS)
        longest = matcher.longest.find_matches_as_indexes(data)
        # A Latin key inside a longer word: the rescan picks without the overlapping automaton too.
        spoilt = [m for m in longest if m[0] in matcher.edged and not matcher._fits_units(data, *m)]
        again = matcher._resplice(data, longest, {m[1] for m in longest if m[1] & 1} | {m[1] for m in spoilt})
        if again is None:
            continue
        assert again == _overlapping_pick(matcher, data), text
        compared += 1
        restarted += any(m[1] & 1 for m in longest)
        rejected += bool(spoilt)
        shortened += any(m[1] == s[1] and m[2] < s[2] for m in again for s in spoilt)
        several += any(sum(b[1] < m[1] < b[2] for m in again) > 1 for b in longest if b[1] & 1)
    assert compared > 300 and restarted > 200 and rejected > 250 and shortened > 250 and several > 10


# Their bytes pair into caseless characters (U+104E, U+194E, ...): keys
# straddling two of them stay as written once folded.
_HAN = [chr(c) for c in range(0x4E10, 0x4E1C)]
_KEY_PIECES = ["𠀀", "a", "b", "u", "s", *_HAN]


@settings(max_examples=300, deadline=None)
@given(keys=st.lists(st.lists(st.sampled_from(_KEY_PIECES), min_size=1, max_size=5).map("".join), min_size=1,
                     max_size=30),
       characters=st.lists(st.sampled_from(_HAN), max_size=6),
       straddling=st.lists(st.tuples(*[st.sampled_from(_HAN)] * 3), max_size=8), data=st.data())
def test_any_text_gets_the_overlapping_repicks_matches(keys, characters, straddling, data):
    # Whatever spoils the longest scan (odd offsets, word boundaries, runs
    # of them past the rescans' budget), the matches are those the
    # overlapping re-pick chooses. The text is made of the keys, the
    # characters a straddling key spans, and more.
    spans = ["".join(chars) for chars in straddling]
    spellings = {*keys, *characters} | {k for k in (_straddling(*chars) for chars in straddling) if "\ufffd" not in k}
    matcher = matcher_for(*sorted(spellings))
    pieces = [*_KEY_PIECES, " ", SEPARATOR, "abab", "usus", *keys, *spans]
    folded, offsets = matcher.fold("".join(data.draw(st.lists(st.sampled_from(pieces), max_size=120))))
    assume(offsets is None)
    data = folded.encode(UNITS)
    longest = matcher.longest.find_matches_as_indexes(data)
    bad = [m for m in longest if m[1] & 1 or (m[0] in matcher.edged and not matcher._fits_units(data, *m))]
    picked = matcher._repick(data, longest, bad) if bad else longest
    assert picked == _overlapping_pick(matcher, data)


def test_pick_after_a_bad_match_that_reaches_into_the_next_match_rescans_that_one_too():
    # "万丧二三四": the key "ݎ❎" is bytes 1-5 (万's second byte to 二's first);
    # the scan goes on from there to 三四. Started again at 丧, the pick is
    # 丧二三, which covers half of 三四: that match's span is picked again too.
    straddling = _straddling("万", "丧", "二")
    assert straddling == "ݎ❎"
    matcher = matcher_for(straddling, "丧二三", "三四")
    data = "万丧二三四".encode(UNITS)
    assert [(s, e) for _, s, e in matcher.longest.find_matches_as_indexes(data)] == [(1, 5), (6, 10)]
    assert found(matcher, "万丧二三四") == [(1, 4, "丧二三")]
    assert found(matcher, "万丧二三四五三四") == [(1, 4, "丧二三"), (6, 8, "三四")]


def test_two_keys_inside_the_span_of_a_straddling_match_are_both_picked():
    # "丙三三": the key "᥎ॎ" is bytes 1-5, from 丙's second byte to the second
    # 三's first; started again at the first 三, the pick is 三 and 三.
    straddling = _straddling("丙", "三", "三")
    matcher = matcher_for(straddling, "三")
    assert [(s, e) for _, s, e in matcher.longest.find_matches_as_indexes("丙三三".encode(UNITS))] == [(1, 5)]
    assert found(matcher, "丙三三") == [(1, 2, "三"), (2, 3, "三")]


def test_rejected_match_rescans_its_span_not_the_rest_of_its_paragraph():
    matcher = matcher_for("ai", "稀土")
    scanned = []

    class Counting:
        def __init__(self, automaton):
            self.automaton = automaton

        def find_matches_as_indexes(self, data, **options):
            scanned.append(len(data))
            return self.automaton.find_matches_as_indexes(data, **options)

    matcher.longest = Counting(matcher.longest)
    text = "email 稀土" + "稀土的供应" * 1000
    assert len(found(matcher, text)) == 1001
    # The whole text once, then from "i" (byte 6) to a key's length past "ai" (bytes 4-8).
    assert scanned == [2 * len(text), 8 + matcher.reach - 6]
