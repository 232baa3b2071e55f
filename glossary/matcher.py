"""Find glossary keys in folded text: one Aho-Corasick scan, longest match wins."""

from __future__ import annotations

import ahocorasick_rs

from .model import Term
from .normalize import is_word_char


class Matcher:
    """A compiled automaton over every match key of a glossary.

    ahocorasick-rs (Rust) was chosen over pyahocorasick: on a 50,000-term
    Chinese glossary its scan stays flat where pyahocorasick's slows with
    thousands of distinct first characters (see bench/README.md).
    """

    def __init__(self, by_key: dict[str, Term]):
        self.keys = list(by_key)
        self.terms = list(by_key.values())
        # Only keys that begin or end with a word character need the
        # boundary test (SWIFT must not match inside SWIFTLY).
        self.open_start = [is_word_char(k[0]) for k in self.keys]
        self.open_end = [is_word_char(k[-1]) for k in self.keys]
        self.automaton = ahocorasick_rs.AhoCorasick(self.keys) if self.keys else None

    def find(self, folded: str) -> list[tuple[int, int, Term]]:
        """Return the non-overlapping matches in `folded`, leftmost-longest.

        Args:
            folded: Text already folded by `normalize.fold_mapped`.

        Returns:
            (start, end, term) triples in text order.  A key that starts or
            ends with a letter or digit only matches where the neighbouring
            character is not one too.
        """
        if self.automaton is None:
            return []
        # Overlapping matches, then a greedy pick: a key rejected at a word
        # boundary must not hide a shorter or later key that fits.
        found = self.automaton.find_matches_as_indexes(folded, overlapping=True)
        if not found:
            return []
        found.sort(key=lambda m: (m[1], -m[2]))
        size = len(folded)
        open_start, open_end, terms = self.open_start, self.open_end, self.terms
        picked = []
        last_end = 0
        for index, start, end in found:
            if start < last_end:
                continue
            if open_start[index] and start > 0 and is_word_char(folded[start - 1]):
                continue
            if open_end[index] and end < size and is_word_char(folded[end]):
                continue
            picked.append((start, end, terms[index]))
            last_end = end
        return picked
