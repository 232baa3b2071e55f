"""Fold text so that spelling variants of a term compare equal.

A term matches whatever an article writes that folds to the same key:
NFKC (full-width ＳＷＩＦＴ is SWIFT), case-folding, Traditional to
Simplified Chinese, and any run of whitespace as one space.  Folding works
character by character so that a match in folded text maps straight back to
the article's own characters.
"""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from pathlib import Path

import opencc

_T2S = opencc.OpenCC("t2s")

# Joins text slots for one scan; it folds to itself and is not a word char.
SEPARATOR = "\x00"


def _fold_char(char: str, to_simplified=None, normalized: str | None = None) -> str:
    """Fold one character.

    `to_simplified` maps an NFKC-folded string to Simplified (OpenCC by
    default); `normalized` is the char's NFKC case fold, if already known.
    """
    if char.isspace():
        return " "
    if "\ud800" <= char <= "\udfff":
        # A lone surrogate (possible in JSON input) cannot be encoded for
        # the automaton; it matches nothing, like the replacement character.
        return "\ufffd"
    folded = normalized if normalized is not None else unicodedata.normalize("NFKC", char).casefold()
    if len(folded) == 1 and folded.isspace():
        return " "
    if not _needs_t2s(folded):
        return folded
    # OpenCC's character table; a single character has no phrase context,
    # so this is a plain variant fold.
    return to_simplified(folded) if to_simplified else _T2S.convert(folded)


def _needs_t2s(text: str) -> bool:
    return bool(text) and max(text) >= "\u2e80"


class _FoldTable(dict):
    """A str.translate table that computes and remembers each char's fold."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Fold every character of `text` (length may change; see fold_mapped)."""
    return text.translate(_TABLE)


def normalize_key(text: str) -> str:
    """Return the match key of a term, alias or bolded phrase.

    Args:
        text: The spelling as an editor or article writes it.

    Returns:
        The folded text with whitespace runs collapsed and the ends stripped.
    """
    return " ".join(fold(text).split())


def fold_mapped(text: str) -> tuple[str, list[int] | None]:
    """Fold `text` for scanning and map folded offsets back to the original.

    Args:
        text: Article text (may contain SEPARATOR between slots).

    Returns:
        (folded, offsets): `offsets` is None when folded[i] stands for
        text[i] throughout (the usual case); otherwise offsets[i] is the
        index in `text` of the character that produced folded[i], with one
        extra entry equal to len(text).
    """
    folded = text.translate(_TABLE)
    if len(folded) == len(text) and "  " not in folded:
        return folded, None
    out: list[str] = []
    offsets: list[int] = []
    previous_space = False
    for index, char in enumerate(text):
        piece = _TABLE[ord(char)]
        if piece == " ":
            if previous_space:
                continue
            previous_space = True
        else:
            previous_space = False
        out.append(piece)
        offsets.extend([index] * len(piece))
    offsets.append(len(text))
    return "".join(out), offsets


# The table folding_pairs computes, as shipped for the versions it names
# (`make folds` writes it again after an upgrade of either).
FOLDS_FILE = Path(__file__).parent / "data" / "folds.json"


@lru_cache(maxsize=1)
def folding_pairs() -> dict[str, str]:
    """Return {char: fold} for every character that folds to something else (one or more characters).

    Read from the shipped table when it was made with this OpenCC and
    Unicode version (a quarter of a second saved in every process that
    compiles a matcher), else computed; matchers use it to fold only the
    characters that can matter to them.
    """
    try:
        shipped = json.loads(FOLDS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        shipped = None
    if isinstance(shipped, dict) and shipped.get("versions") == fold_versions():
        return shipped["pairs"]
    return compute_folding_pairs()


def fold_versions() -> dict[str, str]:
    """Return the versions of the data that folding depends on."""
    return {"opencc": getattr(opencc, "__version__", "?"), "unicode": unicodedata.unidata_version}


def compute_folding_pairs() -> dict[str, str]:
    """Compute what `folding_pairs` returns (OpenCC converts all candidates in one call)."""
    candidates = [chr(c) for c in (*range(0x80, 0xD800), *range(0xE000, 0x10000), *range(0x20000, 0x2FA20))]
    # The same fold as _fold_char, with OpenCC run once over every candidate
    # instead of once per character (0.3 s instead of several).
    normalized = [unicodedata.normalize("NFKC", c).casefold() for c in candidates]
    needed = [n for n in normalized if _needs_t2s(n)]
    converted = _T2S.convert("\n".join(needed)).split("\n")
    simplified = dict(zip(needed, converted, strict=True)) if len(converted) == len(needed) else {}
    pairs = {}
    for char, fold_case in zip(candidates, normalized, strict=True):
        folded = _fold_char(char, lambda text: simplified.get(text) or _T2S.convert(text), fold_case)
        if folded != char and folded:
            pairs[char] = folded
    # Copied into fresh strings: kept among a quarter of a million temporary
    # ones, these would pin ~15 MB of the interpreter's memory for good.
    return {_fresh(k): _fresh(v) for k, v in pairs.items()}


def _fresh(text: str) -> str:
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")


@lru_cache(maxsize=4096)
def is_word_char(char: str) -> bool:
    """Tell whether `char` is part of a space-delimited (e.g. Latin) word."""
    # Han, kana and other CJK scripts write words without spaces, so a
    # Latin term may touch them (通报WTO) but not another Latin letter.
    return char.isalnum() and ord(char) < 0x2E80


def write_folds_file(path: Path = FOLDS_FILE) -> Path:
    """Write the fold table for the installed OpenCC and Unicode versions (`make folds`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"versions": fold_versions(), "pairs": compute_folding_pairs()}
    path.write_text(json.dumps(data, sort_keys=True, indent=0) + "\n", encoding="utf-8")
    return path
