"""A glossary compiled for annotating and serving: its matcher, its index order, its search keys.

The model (`model.Glossary`) is plain data. Everything derived from it for
speed lives here, in one object per glossary: the annotator, lint's shadow
finder, the web and the API hold a CompiledGlossary, and a server's reload
replaces the object whole, so nothing derived from a retired glossary
outlives it.
"""

from __future__ import annotations

import threading

from .collation import Reading, group_terms, term_reading
from .explanation import NEAREST, Near
from .matcher import Matcher
from .model import Glossary, Term
from .termsearch import name_keys, pinyin_keys, search_keys


class CompiledGlossary:
    """A Glossary with what annotating and serving it need, each part computed once, on first use.

    Attributes:
        glossary: The Glossary compiled (plain data: terms, lookups, version).
        by_key: The glossary's terms by match key (shared with it, not copied).
        by_id: The glossary's terms by id (shared with it).
        version: The glossary's version.
    """

    def __init__(self, glossary: Glossary, previous: CompiledGlossary | None = None):
        """Compile `glossary`, taking over from `previous` what its changes leave valid.

        Args:
            glossary: The glossary to compile.
            previous: The compiled glossary this one replaces (a server's
                reload). Where the match keys are the same, in the same order,
                the automaton is shared (a reload that changed definitions
                builds none); where ids, headwords, pinyin and readings are the
                same, the index order is. Nothing of `previous` is kept: no
                reference to it, its glossary or its terms.
        """
        self.glossary = glossary
        self.by_key = glossary.by_key
        self.by_id = glossary.by_id
        self.version = glossary.version
        self._matcher: Matcher | None = None
        self._index: list[tuple[str, list[Term]]] | None = None
        self._name_keys: list[tuple[Term, frozenset[str]]] | None = None
        # For explain's nearest terms only: built on first use, dies with this object.
        self._choices: tuple[list[str], list[Term]] | None = None
        self._lock = threading.Lock()
        if previous is not None:
            self._take_over(previous)

    @classmethod
    def of(cls, glossary: Glossary | CompiledGlossary) -> CompiledGlossary:
        """Return `glossary` compiled: a CompiledGlossary as it is, a Glossary compiled now (its parts on first use)."""
        return glossary if isinstance(glossary, CompiledGlossary) else cls(glossary)

    @property
    def matcher(self) -> Matcher:
        """Return the plain-text matcher, compiling it on first use."""
        if self._matcher is None:
            with self._lock:
                if self._matcher is None:
                    self._matcher = Matcher(self.by_key)
        return self._matcher

    def index(self) -> list[tuple[str, list[Term]]]:
        """Return every term grouped under its index letter, in index order (sorted once; see collation)."""
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._index = group_terms(self.glossary.terms, self.glossary.readings)
        return self._index

    def name_keys(self) -> list[tuple[Term, frozenset[str]]]:
        """Return each term, in glossary order, with the folded keys of its names (termsearch.name_keys)."""
        if self._name_keys is None:
            with self._lock:
                if self._name_keys is None:
                    self._name_keys = [(term, frozenset(name_keys(term))) for term in self.glossary]
        return self._name_keys

    def search_keys(self, term: Term) -> tuple[str, ...]:
        """Return what the index search matches `term` on (termsearch.search_keys, with the stored reading)."""
        # Computed per call, not kept: a search over every term would
        # otherwise hold ~6 strings per term for the glossary's lifetime.
        return search_keys(term, term_reading(term, self.glossary.readings))

    def reading(self, term: Term) -> Reading:
        """Return the index reading of `term`'s headword: the stored one, else computed (collation.term_reading)."""
        return term_reading(term, self.glossary.readings)

    def pinyin_keys(self, term: Term) -> tuple[str, ...]:
        """Return the pinyin keys the index search matches `term` on (termsearch.pinyin_keys)."""
        return pinyin_keys(self.reading(term))

    def nearest(self, key: str, limit: int = NEAREST) -> tuple[Near, ...]:
        """Return the terms with a spelling or English name nearest to `key` by edit distance, nearest first.

        Args:
            key: A folded phrase (normalize.normalize_key).
            limit: The most terms returned.

        Returns:
            Up to `limit` terms, each once (by its nearest spelling), at most
            half the phrase's length (at least 1) edits away (Levenshtein,
            rapidfuzz), nearer first, then in glossary order.
        """
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        if not key:
            return ()
        keys, owners = self._choice_list()
        found: dict[str, Near] = {}
        # Extra candidates: a term's several spellings may come first.
        for spelling, distance, index in process.extract(key, keys, scorer=Levenshtein.distance, limit=limit * 4,
                                                         score_cutoff=max(1, (len(key) + 1) // 2)):
            term = owners[index]
            if term.id not in found:
                found[term.id] = Near(term.id, term.term, spelling, int(distance))
        return tuple(sorted(found.values(), key=lambda near: near.distance)[:limit])

    def _choice_list(self) -> tuple[list[str], list[Term]]:
        if self._choices is None:
            with self._lock:
                if self._choices is None:
                    pairs = [(key, term) for term, keys in _ordered_keys(self.glossary) for key in keys]
                    self._choices = ([key for key, _ in pairs], [term for _, term in pairs])
        return self._choices

    def warm(self) -> CompiledGlossary:
        """Compile the matcher and the index order now, before any request needs them; return self."""
        # The fallback automaton for rare word-boundary re-picks stays lazy:
        # ~20 MB at 50,000 terms.
        self.matcher  # noqa: B018
        self.index()
        return self

    def _take_over(self, previous: CompiledGlossary) -> None:
        matcher = previous._matcher
        if matcher is not None and len(matcher.keys) == len(self.by_key) and all(
            a == b for a, b in zip(matcher.keys, self.by_key, strict=True)
        ):
            self._matcher = matcher.rebind(self.by_key)
        if previous._index is not None and _files_alike(self.glossary, previous.glossary):
            by_id = self.by_id
            self._index = [(letter, [by_id[t.id] for t in group]) for letter, group in previous._index]


def _ordered_keys(glossary: Glossary):
    """Yield each term with its folded names (headword, aliases, English name) in glossary order."""
    for term in glossary:
        yield term, name_keys(term)


def _files_alike(new: Glossary, old: Glossary) -> bool:
    """Tell whether two glossaries file every term under the same letter, in the same order."""
    # The index order depends on ids, headwords, editors' pinyin and readings alone.
    return len(new.terms) == len(old.terms) and all(
        a.id == b.id and a.term == b.term and a.pinyin == b.pinyin
        and new.readings.get(a.id) == old.readings.get(b.id)
        for a, b in zip(new.terms, old.terms, strict=True)
    )
