"""Read the API's requests and write its answers as JSON: orjson, with the standard library for what it refuses.

An annotation's answer in "all" mode (13 KB of HTML and a list of ~50
terms, on a dense 5 KB article) took the standard library ~85 µs to write
and encode, orjson ~50; its request (11 KB of JSON) ~16 µs to read, orjson
~8 (issue 17). Both write the same JSON values; orjson writes them without
spaces.
"""

from __future__ import annotations

import json

import orjson


def json_bytes(data) -> bytes:
    """Return `data` as compact UTF-8 JSON.

    Args:
        data: JSON data: text keys, and no non-finite numbers (orjson would
            write them as null; `api._jsonable` makes them text first).

    Returns:
        The JSON text, encoded.

    Raises:
        ValueError: A non-finite float, in data orjson refused for another reason.
        UnicodeEncodeError: Text holding a lone surrogate, which UTF-8 cannot encode.
    """
    try:
        written = orjson.dumps(data)
    except TypeError:
        # Integers past 64 bits, subclasses of float, keys that are not
        # text (orjson refuses them; the standard library writes them, keys
        # as text) and lone surrogates (refused by both, as bytes).
        return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
    # orjson's bytes keep the whole buffer it wrote into: ~140 KB behind an
    # answer of 17 (13 KB of Chinese HTML), and the answer cache's 512 such
    # answers held ~70 MB of a worker. A copy is its own size (~2 us).
    # (orjson also leaves a UTF-8 copy with each non-ASCII text it writes,
    # as CPython's own encoder may: for the glossary's names in the terms
    # list, a few bytes per term ever answered, gone with the glossary.)
    return bytes(memoryview(written))


def parsed_json(raw: bytes):
    """Return the JSON value of a request body.

    Args:
        raw: The body as sent.

    Returns:
        The value, as the standard library's json.loads returns it, except
        that an integer past 64 bits may come back as a float: no field of
        the API takes a number (annotaterequest: each is text or true/false),
        so either is refused as "a number".

    Raises:
        ValueError: Not JSON (the standard library's message, which names
            the place), or not UTF-8, UTF-16 or UTF-32.
        RecursionError: Nested deeper than the standard library reads.
    """
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        # What the standard library reads and orjson does not (NaN, a byte
        # order mark, UTF-16, escaped lone surrogates), and its message for
        # what neither reads.
        return json.loads(raw)
