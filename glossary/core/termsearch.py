"""What a reader's search for a term matches: its folded names and its pinyin.

The term index's search box (in the browser, as the reader types) and
`/terms?q=` (on the server, for readers without JavaScript) match a query
the same way: the query is folded as the matcher folds an article
(normalize_key: NFKC, case, Traditional to Simplified, whitespace), and it
matches a term when it occurs in one of the term's search keys: the folded
headword, aliases and English name, and the headword's pinyin spaced
(shi ti qing dan), run together (shitiqingdan) and as initials (stqd).
The browser folds a query with the part of the fold table that the page's
keys can need (query_folds), shipped with the page.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from .collation import Reading
from .model import Term
from .normalize import folding_pairs, normalize_key


def name_keys(term: Term) -> tuple[str, ...]:
    """Return the folded keys of a term's headword, aliases and English name, without repeats.

    Args:
        term: The term.

    Returns:
        normalize_key of each spelling and of the English name, empty ones left out.
    """
    return tuple(dict.fromkeys(k for k in map(normalize_key, (*term.spellings, term.en or "")) if k))


def pinyin_keys(read: Reading) -> tuple[str, ...]:
    """Return the keys a pinyin query matches a headword's reading on.

    Args:
        read: The headword's index reading.

    Returns:
        The toneless syllables spaced and run together, their initials when
        there are two or more, and the first two again with ü (which a
        reading writes v, as pinyin keyboards type it) written ü or u.
    """
    pieces = [(s, t) for s, t in zip(read.syllables, read.tones, strict=True) if s]
    if not pieces:
        return ()
    keys = []
    for typed in ("v", "ü", "u"):
        # Only pinyin syllables (a tone) spell ü as v; a Latin word (tone 0) keeps its v.
        syllables = [s.replace("v", typed) if t else s for s, t in pieces]
        keys += [" ".join(syllables), "".join(syllables)]
    if len(pieces) > 1:
        keys.insert(2, "".join(s[0] for s, _ in pieces))
    return tuple(dict.fromkeys(keys))


def search_keys(term: Term, read: Reading) -> tuple[str, ...]:
    """Return every key a search matches a term on: name_keys, then pinyin_keys.

    Args:
        term: The term.
        read: Its headword's index reading (collation.term_reading).

    Returns:
        The keys, folded, without repeats; none holds a line break.
    """
    return tuple(dict.fromkeys((*name_keys(term), *pinyin_keys(read))))


def matches(query: str, keys: Iterable[str]) -> bool:
    """Tell whether a reader's query finds a term with these search keys.

    Args:
        query: What the reader typed, unfolded.
        keys: The term's search_keys.

    Returns:
        True when the folded query occurs in a key (an empty query finds every term).
    """
    folded = _folded_query(query)
    return any(folded in key for key in keys)


# A search tests one query against every term: fold it once.
_folded_query = lru_cache(maxsize=64)(normalize_key)


def query_folds(keys: Iterable[str]) -> dict[str, str]:
    """Return the folds a browser needs to fold a query for these keys as normalize_key does.

    A browser folds a query character by character with NFKC and lower
    case; this adds every fold that those two do not give (Traditional to
    Simplified, case folds such as ß to ss) whose result is made only of
    characters that occur in `keys`. A character whose fold is not there
    could not match a key however it were folded, so it needs no entry.

    Args:
        keys: The search keys of the terms on the page.

    Returns:
        {character: its fold}; no fold holds whitespace (a browser folds that itself).
    """
    present = set("".join(keys))
    return {char: fold for char, fold, needs in _browser_folds() if needs <= present}


@lru_cache(maxsize=1)
def _browser_folds() -> tuple[tuple[str, str, frozenset[str]], ...]:
    return tuple(
        (char, fold, frozenset(fold)) for char, fold in folding_pairs().items()
        if not any(c.isspace() for c in fold) and unicodedata.normalize("NFKC", char).lower() != fold
    )
