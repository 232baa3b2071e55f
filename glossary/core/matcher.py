"""Find glossary keys in text: one Aho-Corasick scan, longest match wins."""

from __future__ import annotations

import bisect
import copy
import re
from functools import lru_cache
from operator import itemgetter

import ahocorasick_rs

from .model import Term
from .normalize import SEPARATOR, fold_mapped, folding_pairs, is_word_char, normalize_key

# Text and keys are scanned as UTF-16 code units, high byte first: for Han
# text the automaton's first step then has ~80 ways to go (the high bytes
# of CJK) instead of 256, and a short article's scan with cold caches took
# 150 instead of 205 us (5 KB; 300 KB: the same), issue 17.
UNITS = "utf-16-be"
# Characters outside the BMP take two UTF-16 code units.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_LONGEST = ahocorasick_rs.MatchKind.LeftmostLongest
_DFA = ahocorasick_rs.Implementation.DFA
# Rescans of bad matches' spans before the overlapping re-pick takes over:
# a few, and one more per so many bytes of text.
_RESCANS = 8
_BYTES_PER_RESCAN = 16


class Matcher:
    """A compiled automaton over every match key of a glossary.

    ahocorasick-rs (Rust) was chosen over pyahocorasick: on a 50,000-term
    Chinese glossary it scans ~6x faster, and pyahocorasick's longest-match
    iterator drops matches at the end of a text (see bench/README.md).
    Keys and text are scanned as UTF-16 code units (UNITS): two bytes per Han
    character instead of UTF-8's three make the scan ~1.7x faster.
    """

    def __init__(self, by_key: dict[str, Term]):
        self.keys = list(by_key)
        self.terms = list(by_key.values())
        # Only keys that begin or end with a word character need the
        # boundary test (SWIFT must not match inside SWIFTLY).
        self.open_start = [is_word_char(k[0]) for k in self.keys]
        self.open_end = [is_word_char(k[-1]) for k in self.keys]
        self.edged = {i for i, k in enumerate(self.keys) if self.open_start[i] or self.open_end[i]}
        # The longest key's length in bytes: how far past a span a rescan reads.
        self.reach = 2 * max(map(len, self.keys), default=0)
        if _ASTRAL.search("".join(self.keys)):
            self.reach = max(len(k.encode(UNITS)) for k in self.keys)
        # A generator: each key's bytes are copied into the automaton and
        # freed at once, so a server's reload leaves no 50,000 short-lived
        # objects scattered among the long-lived ones.
        encoded = (k.encode(UNITS) for k in self.keys)
        self.longest = ahocorasick_rs.BytesAhoCorasick(encoded, matchkind=_LONGEST) if self.keys else None
        self._overlapping = None
        # Key -> its index, made when a word boundary first rejects a match.
        self._key_index: dict[str, int] | None = None
        self._not_in_setup()
        self._fold_setup()

    def rebind(self, by_key: dict[str, Term]) -> Matcher:
        """Return a matcher for `by_key`, which has this matcher's keys in its order, sharing the automata.

        A reload that changed definitions but no spellings then builds no
        automaton: it is the costly part, in time and in memory. (The
        not_in automaton, small, is built again: not_in may have changed.)
        """
        clone = copy.copy(self)
        clone.terms = list(by_key.values())
        clone._not_in_setup()
        clone._fold_setup()
        return clone

    def _not_in_setup(self) -> None:
        # The terms' not_in strings, folded as keys are, in one automaton
        # found in the same folded text; None when no term has any (then
        # `find` does no more than before).
        self.not_in_keys: list[str] = []
        self.not_in_owner: list[str] = []
        seen = set()
        for term in self.terms:
            if term.not_in and term.id not in seen:
                seen.add(term.id)
                for text in term.not_in:
                    key = normalize_key(text)
                    if key:
                        self.not_in_keys.append(key)
                        self.not_in_owner.append(term.id)
        encoded = [k.encode(UNITS) for k in self.not_in_keys]
        self.not_in = ahocorasick_rs.BytesAhoCorasick(encoded) if encoded else None

    def _fold_setup(self) -> None:
        # A not_in string's characters fold too: 反製裁 must be found as 反制裁.
        chars = frozenset("".join(self.keys) + "".join(self.not_in_keys))
        self.spaced = " " in chars
        # Shared by matchers of glossaries that use the same characters (a
        # server's reloads): built once, not again for every new glossary.
        self.table, self.expanding, self.variants = _fold_tables(chars)

    def fold(self, text: str) -> tuple[str, list[int] | None]:
        """Fold `text` as far as matching needs; see `normalize.fold_mapped` for the result."""
        folded = text.casefold()
        if len(folded) != len(text):
            return fold_mapped(text)
        try:
            found = self.variants.find_matches_as_indexes(folded) if self.variants else ()
        except UnicodeEncodeError:
            return fold_mapped(text)  # lone surrogates: rare, take the general path
        expanding = [start for _, start, _ in found if folded[start] in self.expanding] if self.expanding else ()
        if expanding:
            if self.spaced:
                return fold_mapped(text)
            # Offsets from ranges (C speed), not a loop over every character.
            offsets: list[int] = []
            last = 0
            for position in expanding:
                offsets.extend(range(last, position))
                offsets.extend([position] * len(self.table[ord(folded[position])]))
                last = position + 1
            offsets.extend(range(last, len(text) + 1))
            return folded.translate(self.table), offsets
        if len(found) > len(folded) // 64:
            folded = folded.translate(self.table)
        elif found:
            pieces, last = [], 0
            for _, start, end in found:
                pieces += (folded[last:start], self.table[ord(folded[start])])
                last = end
            pieces.append(folded[last:])
            folded = "".join(pieces)
        if self.spaced and ("  " in folded or "\n" in folded or "\t" in folded):
            return fold_mapped(text)
        return folded, None

    def find(self, folded: str) -> list[tuple[int, int, Term]]:
        """Return the non-overlapping matches in `folded`, leftmost-longest.

        Args:
            folded: Text folded by `fold`.

        Returns:
            (start, end, term) triples in text order.  A key that starts or
            ends with a letter or digit only matches where the neighbouring
            character is not one too.
        """
        if self.longest is None:
            return []
        data = folded.encode(UNITS)
        found = self.longest.find_matches_as_indexes(data)
        edged = self.edged
        # A match at an odd byte offset straddles two characters: not a real
        # match, but it may hide one; so may a key rejected at a word boundary.
        bad = [m for m in found if m[1] & 1 or (m[0] in edged and not self._fits_units(data, *m))]
        ruled_out = self._ruled_out_spans(data) if self.not_in is not None else None
        if ruled_out:
            # So may a match inside one of its term's not_in strings.
            terms = self.terms
            bad.extend(m for m in found if terms[m[0]].id in ruled_out and _inside(ruled_out[terms[m[0]].id], m))
            bad.sort(key=itemgetter(1))
        if bad:
            found = self._repick(data, found, bad, ruled_out)
        if len(data) == 2 * len(folded):
            return [(start >> 1, end >> 1, self.terms[index]) for index, start, end in found]
        astral = [position + k for k, position in enumerate(m.start() for m in _ASTRAL.finditer(folded))]

        def char(unit: int) -> int:
            return unit - bisect.bisect_left(astral, unit)

        return [(char(start >> 1), char(end >> 1), self.terms[index]) for index, start, end in found]

    def _ruled_out_spans(self, data: bytes) -> dict[str, list[tuple[int, int]]]:
        """Return, by term id, the byte spans of `data` where one of the term's not_in strings is written."""
        spans: dict[str, list[tuple[int, int]]] = {}
        owner = self.not_in_owner
        for index, start, end in self.not_in.find_matches_as_indexes(data, overlapping=True):
            if not start & 1:
                spans.setdefault(owner[index], []).append((start, end))
        return spans

    def _repick(self, data: bytes, found, bad, ruled_out=None):
        if not ruled_out:
            again = self._resplice(data, found, {start for _, start, _ in bad})
            if again is not None:
                return again
        # Re-pick from all overlapping matches within each text slot
        # (between SEPARATORs) that had a bad match.
        separator = SEPARATOR.encode(UNITS)
        regions: list[tuple[int, int]] = []
        for _, start, end in bad:  # in text order
            if regions and start < regions[-1][1]:
                # Same slot as the last: finding its bounds again would make
                # a long paragraph of rejections quadratic. (Only a match
                # straddling a separator can reach past them.)
                if end > regions[-1][1]:
                    regions[-1] = (regions[-1][0], _slot_end(data, end, separator))
                continue
            regions.append((_slot_start(data, start, separator), _slot_end(data, end, separator)))
        starts = [lo for lo, _ in regions]
        kept = []
        for match in found:
            slot = bisect.bisect_right(starts, match[1]) - 1
            if slot < 0 or match[1] >= regions[slot][1]:
                kept.append(match)
        automaton = self._overlapping_automaton()
        for lo, hi in regions:
            candidates = automaton.find_matches_as_indexes(data[lo:hi], overlapping=True)
            candidates.sort(key=lambda m: (m[1], -m[2]))
            last_end = 0
            for index, start, end in candidates:
                start, end = start + lo, end + lo
                if start & 1 or start < last_end or not self._fits_units(data, index, start, end):
                    continue
                if ruled_out and _inside(ruled_out.get(self.terms[index].id, ()), (index, start, end)):
                    continue
                kept.append((index, start, end))
                last_end = end
        kept.sort(key=lambda m: m[1])
        return kept

    def _resplice(self, data: bytes, found: list, bad: set[int]) -> list | None:
        """Return the matches the overlapping re-pick would choose, rescanning only the spans of bad ones.

        The longest automaton's scan is the greedy leftmost-longest pick from
        the text's start: its matches stand up to the first bad one, and
        between two of its matches no key starts at all (else the scan would
        have found it first). So after a bad match only the text its span
        covers can hold a different choice: that span (and a key's length
        beyond) is scanned again, and once the pick leaves it for a gap, the
        original matches stand again. A rejection costs a scan of a few
        characters, not of the rest of its paragraph (issue 17: a 5 KB
        article's find with one, 91 -> 43 us warm).

        A match at an odd byte offset (two characters' halves) spoils every
        candidate at that offset alike: the pick starts again at the next
        even offset. A match a word boundary rejects gives way to the longest
        shorter key at its start that fits (a dict lookup per shorter
        length), else the pick starts again at the next character: what the
        re-pick would choose, without building the overlapping automaton
        (~0.15 s, and 20 MB, the first time a worker needs it). Returns None,
        to re-pick with all overlapping matches, past a budget of scans that
        grows with the text (a word of a thousand rejected `ai`s).

        `bad` holds the start of each of `found`'s bad matches.
        """
        reach = self.reach
        size = len(data)
        budget = _RESCANS + size // _BYTES_PER_RESCAN
        picked: list[tuple[int, int, int]] = []
        count = len(found)
        k = 0  # the next original match
        while k < count:
            match = found[k]
            if match[1] not in bad:
                picked.append(match)
                k += 1
                continue
            position = self._restart(data, match, picked)
            # Out of step with the original pick until `position` reaches a
            # gap between original matches: then the next original is the pick.
            while True:
                while k < count and found[k][2] <= position:
                    k += 1
                if k == count or found[k][1] >= position:
                    break
                budget -= 1
                if budget < 0:
                    return None
                span_end = found[k][2]
                position = self._pick_within(data, position, span_end, min(size, span_end + reach), picked)
        return picked

    def _pick_within(self, data: bytes, position: int, span_end: int, stop: int, picked: list) -> int:
        """Pick from `position` the matches that start before `span_end`, appending them; return where the pick is then.

        `stop` is at least the longest key's length past `span_end` (or the
        text's end), so every match starting before `span_end` is whole in
        the scanned piece.
        """
        edged = self.edged
        base = position
        for index, start, end in self.longest.find_matches_as_indexes(data[base:stop]):
            start, end = start + base, end + base
            if start >= span_end:
                break
            if start & 1 or (index in edged and not self._fits_units(data, index, start, end)):
                return self._restart(data, (index, start, end), picked)
            picked.append((index, start, end))
            position = end
        return max(position, span_end)

    def _restart(self, data: bytes, bad: tuple[int, int, int], picked: list) -> int:
        """Return where the pick goes on after the bad match `bad`, appending the shorter key replacing it, if any."""
        _, start, end = bad
        if start & 1:
            return start + 1
        shorter = self._fitting_prefix(data, start, end)
        if shorter is None:
            return start + 2
        picked.append(shorter)
        return shorter[2]

    def _fitting_prefix(self, data: bytes, start: int, end: int) -> tuple[int, int, int] | None:
        """Return the longest key that is a proper prefix of data[start:end] and fits its word boundaries, or None."""
        if self._key_index is None:
            self._key_index = {key: index for index, key in enumerate(self.keys)}
        for stop in range(end - 2, start, -2):
            try:
                index = self._key_index.get(data[start:stop].decode(UNITS))
            except UnicodeDecodeError:
                continue  # half a surrogate pair: no key ends there
            if index is not None and self._fits_units(data, index, start, stop):
                return index, start, stop
        return None

    def _overlapping_automaton(self):
        if self._overlapping is None and self.keys:
            self._overlapping = ahocorasick_rs.BytesAhoCorasick([k.encode(UNITS) for k in self.keys])
        return self._overlapping

    def _fits_units(self, data: bytes, index: int, start: int, end: int) -> bool:
        if self.open_start[index] and start >= 2 and _word_unit(data, start - 2):
            return False
        return not (self.open_end[index] and end + 2 <= len(data) and _word_unit(data, end))


@lru_cache(maxsize=2)
def _fold_tables(chars: frozenset) -> tuple[dict, set, object]:
    """Return (translation table, expanding characters, automaton finding them) for keys made of `chars`."""
    # Folding every character costs more than the scan itself, and
    # Chinese text is full of characters that fold (full-width
    # punctuation). Only those whose fold can occur in a key, or that
    # fold to a letter or digit (word boundaries), need folding here,
    # and text is case-folded first, so upper case never needs it.
    spaced = " " in chars
    relevant = {
        c: f for c, f in folding_pairs().items()
        if c.casefold() == c and any(x in chars or is_word_char(x) or (x == " " and spaced) for x in f)
    }
    table = str.maketrans(relevant)
    # Characters that fold to several (Ⅱ to "ii", ① to "1"): they shift offsets.
    expanding = {c for c, f in relevant.items() if len(f) > 1}
    # Lone surrogates cannot be encoded for the automaton.
    table.update({code: "\ufffd" for code in range(0xD800, 0xE000)})
    # Finding the few such characters with a tiny automaton is ~5x
    # cheaper than translating the whole text (and ~15x a regex class).
    # A DFA: +2-5 MB, and a 300 KB article's check 1.2 -> 0.9 ms (issue 14).
    variants = ahocorasick_rs.AhoCorasick(list(relevant), implementation=_DFA) if relevant else None
    return table, expanding, variants


def _inside(spans, match) -> bool:
    """Tell whether `match` (index, start, end) lies within one of `spans`."""
    _, start, end = match
    return any(low <= start and end <= high for low, high in spans)


def _word_unit(data: bytes, at: int) -> bool:
    # The code unit as a character, not decoded (4x faster: a paragraph of
    # English words that Latin keys hide in tests thousands). A surrogate
    # half is never a word character (astral letters are rare enough to
    # treat as non-words).
    return is_word_char(chr(data[at] << 8 | data[at + 1]))


def _slot_start(data: bytes, start: int, separator: bytes) -> int:
    at = data.rfind(separator, 0, start)
    while at >= 0 and at & 1:  # a NUL byte pair across two characters
        at = data.rfind(separator, 0, at + 1)
    return at + 2 if at >= 0 else 0


def _slot_end(data: bytes, end: int, separator: bytes) -> int:
    at = data.find(separator, end)
    while at >= 0 and at & 1:
        at = data.find(separator, at + 1)
    return len(data) if at < 0 else at
