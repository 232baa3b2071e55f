"""File terms under A–Z by their pinyin and order them as a Chinese glossary does.

A Chinese headword is read word by word with pypinyin's phrase data and
CC-CEDICT's (pypinyin-dict), so a heteronym takes the word's reading
(银行 is yín háng, 重庆 chóng qìng). Characters that form no known word but
begin one take that word's reading of them (长臂管辖 is not listed, 长臂猿 is,
so 长 reads cháng); only a character that begins no known word gets its most
common reading alone. An editor's `pinyin` field overrides all of this.
Latin headwords are filed by their first letter; digits and other scripts
under '#'.
"""

from __future__ import annotations

import bisect
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from .model import Term
from .normalize import normalize_key

OTHER = "#"
LETTERS = (*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", OTHER)
# How many listed words sharing a prefix are consulted for its reading.
PREFIX_SAMPLE = 50
_TOKEN = re.compile(r"\d+|[^\W\d_]+")
_SYLLABLE = re.compile(r"([a-zü]+)([0-5]?)")
_PINYIN_SEPARATORS = re.compile(r"[\s'’-]+")
NEUTRAL = 5

_lock = threading.Lock()
_data: _PinyinData | None = None


@dataclass(frozen=True)
class Reading:
    """How a headword reads for the index.

    Attributes:
        syllables: Toneless pinyin syllables (Latin words and numbers as
            written, lowercased), in order.
        tones: The tone of each syllable, 1–4, 5 for the neutral tone, 0
            for a Latin word or number.
        letter: The index group: "A" to "Z", or "#".
    """

    syllables: tuple[str, ...]
    tones: tuple[int, ...]
    letter: str

    @property
    def text(self) -> str:
        """Return the toneless reading, syllables separated by spaces."""
        return " ".join(self.syllables)

    @property
    def marked(self) -> str:
        """Return the reading with tone marks, syllables separated by spaces (cháng bì guǎn xiá)."""
        return " ".join(_tone_marked(s, t) for s, t in zip(self.syllables, self.tones, strict=True))

    def encode(self) -> str:
        """Return the reading as one string ("chang:2 bi:4 ..."), for a store to keep."""
        return " ".join(f"{s}:{t}" for s, t in zip(self.syllables, self.tones, strict=True))


_MARKS = {"a": "āáǎà", "e": "ēéěè", "i": "īíǐì", "o": "ōóǒò", "u": "ūúǔù", "ü": "ǖǘǚǜ"}


def _tone_marked(syllable: str, tone: int) -> str:
    """Return a toneless syllable with its tone marked as pinyin writes it (a Latin word, tone 0, as it is)."""
    if not tone:
        return syllable
    syllable = syllable.replace("v", "ü")
    if not 1 <= tone <= 4:
        return syllable
    # The mark goes on a or e; on the o of ou; else on the last vowel (liù, guī).
    for vowel in ("a", "e", "ou"):
        at = syllable.find(vowel)
        if at >= 0:
            break
    else:
        at = max(syllable.rfind(v) for v in "iouü")
    if at < 0:
        return syllable
    return syllable[:at] + _MARKS[syllable[at]][tone - 1] + syllable[at + 1:]


@lru_cache(maxsize=8192)
def _decode(encoded: str) -> Reading:
    pieces = [piece.rpartition(":") for piece in encoded.split(" ") if piece]
    syllables = tuple(s for s, _, _ in pieces)
    first = syllables[0][:1] if syllables else ""
    return Reading(syllables, tuple(int(t) for _, _, t in pieces), first.upper() if "a" <= first <= "z" else OTHER)


def reading(headword: str, pinyin: str | None = None) -> Reading:
    """Read a headword for the index (loads pypinyin's data, ~120 MB, on first use).

    Args:
        headword: The term as terms.yaml writes it (Simplified, Traditional or Latin).
        pinyin: The editor's reading (`pinyin` field), with tone marks, tone
            digits or neither; it wins over the automatic reading.

    Returns:
        The Reading: syllables, tones and the letter it is filed under.
    """
    return _reading(headword, pinyin or None)


@lru_cache(maxsize=65536)
def _reading(headword: str, pinyin: str | None) -> Reading:
    pieces = _editor_syllables(pinyin) if pinyin else _headword_syllables(headword)
    syllables = tuple(s for s, _ in pieces)
    tones = tuple(t for _, t in pieces)
    first = syllables[0][:1] if syllables else ""
    letter = first.upper() if "a" <= first <= "z" else OTHER
    return Reading(syllables, tones, letter)


def term_reading(term: Term, readings: Mapping[str, str] | None = None) -> Reading:
    """Return a term's Reading: the encoded one in `readings` (by id) if there, else computed."""
    encoded = readings.get(term.id) if readings else None
    return _decode(encoded) if encoded is not None else reading(term.term, term.pinyin)


def sort_key(headword: str, pinyin: str | None = None, read: Reading | None = None) -> tuple:
    """Return the key that orders headwords in the index.

    Groups come in A–Z order, then '#'. Within a group, headwords compare
    syllable by syllable as a Chinese dictionary orders them: the first
    syllable's letters, then its tone, then the next syllable (稀土 xī tǔ
    before 芯片 xīn piàn, 买方 mǎi fāng before 卖出 mài chū); then the
    headword itself.

    Args:
        headword: The term's headword.
        pinyin: The editor's reading, if any.
        read: The headword's Reading, if already known.
    """
    read = read or reading(headword, pinyin)
    pairs = tuple(zip(read.syllables, read.tones, strict=True))
    return LETTERS.index(read.letter), pairs, normalize_key(headword), headword


def index_key(read: Reading, headword: str) -> str:
    """Return `sort_key` as one string that orders the same way (for a headword without NUL).

    A sort of 50,000 terms then holds one small string per term instead of
    a dozen objects: a server computes the index as it reloads, among
    requests, and what a reload leaves scattered stays in its memory.
    """
    # Each syllable ends with NUL, which is below any letter or digit, so a
    # syllable or reading that is a prefix of another sorts first, as in
    # tuple comparison; the tone follows as one character.
    parts = [chr(LETTERS.index(read.letter) + 1)]
    for syllable, tone in zip(read.syllables, read.tones, strict=True):
        parts += (syllable, "\0", chr(tone + 1))
    parts += ("\0\0", normalize_key(headword), "\0", headword)
    return "".join(parts)


def group_terms(terms: Iterable[Term], readings: Mapping[str, str] | None = None) -> list[tuple[str, list[Term]]]:
    """Group terms under their index letters, in index order.

    Args:
        terms: The terms to file.
        readings: Encoded readings by term id (a store keeps them, so a web
            server never loads pypinyin); missing ones are computed.

    Returns:
        (letter, terms) pairs for the letters in use, A–Z then '#', each
        group sorted by `sort_key` (then id).
    """
    # Not through the lru caches: kept among this sort's many temporary
    # objects, a few thousand cached ones would pin tens of MB of memory.
    decode, compute = _decode.__wrapped__, _reading.__wrapped__

    def read(term: Term) -> Reading:
        encoded = readings.get(term.id) if readings else None
        return decode(encoded) if encoded is not None else compute(term.term, term.pinyin or None)

    terms = list(terms)
    if any("\0" in t.term for t in terms):
        # NUL is index_key's separator: such headwords (a control character
        # in terms.yaml) take the tuple key, which orders them exactly.
        keyed = sorted((sort_key(t.term, t.pinyin, read(t)), t.id, t) for t in terms)
        ordered = ((LETTERS[key[0]], term) for key, _, term in keyed)
    else:
        keyed = sorted((index_key(read(t), t.term) + "\0" + t.id, t) for t in terms)
        ordered = ((LETTERS[ord(key[0]) - 1], term) for key, term in keyed)
    groups: list[tuple[str, list[Term]]] = []
    for letter, term in ordered:
        if not groups or groups[-1][0] != letter:
            groups.append((letter, []))
        groups[-1][1].append(term)
    return groups


def _editor_syllables(pinyin: str) -> list[tuple[str, int]]:
    tone3 = _pinyin_data().tone3
    return [_split_tone(tone3(piece)) for piece in _PINYIN_SEPARATORS.split(pinyin.strip().lower()) if piece]


def _split_tone(tone3: str) -> tuple[str, int]:
    match = _SYLLABLE.fullmatch(tone3.replace("ü", "v"))
    if not match:
        return _plain(tone3), 0
    return match.group(1), int(match.group(2) or NEUTRAL)


def _plain(text: str) -> str:
    """Strip accents from Latin text (é is e)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _headword_syllables(headword: str) -> list[tuple[str, int]]:
    # Folded: full-width Latin to ASCII, case, Traditional to Simplified
    # (pypinyin reads 銀行 as yín xíng, the phrase data lists only 银行).
    data = _pinyin_data()
    text = normalize_key(headword)
    out: list[tuple[str, int]] = []
    start = 0
    while start < len(text):
        end = start
        while end < len(text) and ord(text[end]) in data.characters:
            end += 1
        if end > start:
            out.extend(_split_tone(data.tone3(s)) for s in _read_han(text[start:end], data))
            start = end
            continue
        while end < len(text) and ord(text[end]) not in data.characters:
            end += 1
        out.extend((_plain(token), 0) for token in _TOKEN.findall(text[start:end]))
        start = end
    return out


def _read_han(run: str, data: _PinyinData) -> list[str]:
    """Read a run of Han characters; return one tone-marked syllable per character."""
    out: list[str] = []
    i = 0
    while i < len(run):
        word = _longest_word(run, i, data.phrases, data.longest)
        prefix = _longest_prefix(run, i, data.phrases, data.words, min_length=len(word) + 1 if word else 2)
        sounds = prefix or word or [data.characters[ord(run[i])].split(",")[0]]
        out.extend(sounds)
        i += len(sounds)
    return out


def _longest_word(run: str, i: int, phrases: dict, longest: int) -> list[str] | None:
    for j in range(min(len(run), i + longest), i + 1, -1):
        sounds = _sounds(phrases.get(run[i:j]), j - i)
        if sounds:
            return sounds
    return None


def _longest_prefix(run: str, i: int, phrases: dict, keys: list[str], min_length: int) -> list[str] | None:
    """Read the longest stretch from `i` that begins a listed word, as those words read it."""
    for length in range(len(run) - i, min_length - 1, -1):
        prefix = run[i:i + length]
        votes: Counter = Counter()
        at = bisect.bisect_right(keys, prefix)  # the prefix itself is not a word here
        for key in keys[at:at + PREFIX_SAMPLE]:
            if not key.startswith(prefix):
                break
            sounds = _sounds(phrases[key], len(key))
            if sounds:
                votes[tuple(sounds[:length])] += 1
        if votes:
            return list(votes.most_common(1)[0][0])
    return None


def _sounds(value, length: int) -> list[str] | None:
    # Phrase data holds one list of readings per character; an entry whose
    # length differs from its word's (rare, erhua) cannot be aligned.
    if not value or len(value) != length:
        return None
    return [readings[0] for readings in value]


@dataclass(frozen=True)
class _PinyinData:
    characters: dict  # code point -> "zhǎng,cháng" (most common reading first)
    phrases: dict  # word -> [[reading], ...] per character
    words: list  # the phrase words, sorted (for prefix search)
    longest: int
    tone3: Callable[[str], str]  # "cháng" -> "chang2"


def _pinyin_data() -> _PinyinData:
    """Return pypinyin's data with CC-CEDICT's phrases loaded, on first use."""
    global _data
    if _data is None:
        with _lock:
            if _data is None:
                # Imported here: loading takes a moment and some memory that
                # only the index needs, not every CLI command. load() adds
                # CC-CEDICT's words to pypinyin's dictionary, process-wide.
                from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
                from pypinyin.contrib.tone_convert import to_tone3
                from pypinyin_dict.phrase_pinyin_data import cc_cedict

                cc_cedict.load()
                words = sorted(PHRASES_DICT)
                _data = _PinyinData(PINYIN_DICT, PHRASES_DICT, words, max(map(len, words)),
                                    lambda syllable: to_tone3(syllable, neutral_tone_with_five=True))
    return _data
