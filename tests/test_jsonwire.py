"""The API's JSON reader and writer: the standard library's values, orjson's speed where it takes them."""

from __future__ import annotations

import json
import math
import tracemalloc

import pytest
from hypothesis import given
from hypothesis import strategies as st

from glossary.web.jsonwire import json_bytes, parsed_json

# JSON data as the API hands it over: text keys, finite numbers, any text.
JSON_DATA = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


def _no_surrogates(value) -> bool:
    if isinstance(value, str):
        return not any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, list):
        return all(map(_no_surrogates, value))
    if isinstance(value, dict):
        return all(_no_surrogates(k) and _no_surrogates(v) for k, v in value.items())
    return True


@given(JSON_DATA.filter(_no_surrogates))
def test_json_bytes_reads_back_as_the_standard_library_writes(value):
    assert json.loads(json_bytes(value)) == json.loads(json.dumps(value, ensure_ascii=False))


def test_json_bytes_is_compact_utf8():
    assert json_bytes({"词": ["实体清单", 1]}) == '{"词":["实体清单",1]}'.encode()


def test_json_bytes_keeps_integers_past_64_bits():
    assert json.loads(json_bytes({"n": [2**70, -(2**63) - 1]})) == {"n": [2**70, -(2**63) - 1]}


def test_json_bytes_writes_float_subclasses_as_their_value():
    class Ratio(float):
        pass

    assert json_bytes([Ratio(1.5)]) == b"[1.5]"


def test_json_bytes_writes_number_keys_as_text():
    assert json.loads(json_bytes({1: "一", "a": {2: "二"}})) == {"1": "一", "a": {"2": "二"}}


def test_json_bytes_refuses_a_non_finite_number_it_cannot_write():
    # In data orjson refuses for another reason, the standard library's
    # refusal of NaN stands (JSON has no NaN).
    with pytest.raises(ValueError):
        json_bytes({1: math.nan})


def test_json_bytes_refuses_a_lone_surrogate():
    with pytest.raises(UnicodeEncodeError):
        json_bytes({"html": "\ud800"})


def _as_orjson_reads(value):
    # orjson reads an integer outside 64 bits as a float (a number either way to the API).
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and not -(2**63) <= value < 2**64:
        return float(value)
    if isinstance(value, list):
        return [_as_orjson_reads(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_orjson_reads(v) for k, v in value.items()}
    return value


def _outcome(read, raw: bytes):
    try:
        return "value", _as_orjson_reads(read(raw))
    except (ValueError, RecursionError) as exc:
        return "error", str(exc)


@given(JSON_DATA, st.booleans(), st.sampled_from([None, (",", ":"), (" , ", " : ")]), st.sampled_from(["", " ", "\n"]))
def test_parsed_json_reads_what_the_standard_library_reads(value, ascii_only, separators, space):
    raw = (space + json.dumps(value, ensure_ascii=ascii_only, separators=separators) + space).encode("utf-8",
                                                                                                    "surrogatepass")
    assert _outcome(parsed_json, raw) == _outcome(json.loads, raw)


@given(st.lists(st.sampled_from(['{"', '"', "}", "[", "]", ",", ":", "1", "-", "0", ".", "e", "9" * 20, "NaN",
                                 "Infinity", "true", "null", " ", "\\u", "d800", "\\n", "\\", "文", "\x00", "\xff",
                                 "\ufeff", "a"]), max_size=30).map("".join))
def test_parsed_json_refuses_what_the_standard_library_refuses_with_its_message(text):
    raw = text.encode("utf-8", "surrogatepass")
    assert _outcome(parsed_json, raw) == _outcome(json.loads, raw)


@pytest.mark.parametrize("raw", [b"[NaN]", b"\xef\xbb\xbf{}", '{"a": "文"}'.encode("utf-16"), b'["\\ud800"]',
                                 b"[1e400]"])
def test_parsed_json_reads_what_only_the_standard_library_reads(raw):
    assert _outcome(parsed_json, raw) == _outcome(json.loads, raw)
    assert _outcome(parsed_json, raw)[0] == "value"


def test_parsed_json_names_the_place_of_a_fault():
    with pytest.raises(ValueError, match="^Expecting property name enclosed in double quotes: line 1 column 9"):
        parsed_json(b'{"a": 1,}')


def test_json_bytes_holds_no_more_memory_than_its_length():
    # Answers are kept (the answer cache): orjson's own bytes keep the
    # whole buffer it wrote into, several times the answer.
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        answer = {"html": "<p>美国商务部把企业列入实体清单。</p>" * 600, "terms": []}
        kept = json_bytes(answer)
        del answer  # and the UTF-8 copy of its text that orjson leaves with it
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(kept) > 30_000
    assert held < len(kept) + 1024
