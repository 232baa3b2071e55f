"""The glossary as the annotator sees it: terms and their match keys."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .normalize import normalize_key
from .versions import Period, Source, Version, period_on, periods

# An alias's status (terms.yaml's `status:`; core/variants has the rules).
ADMITTED = "admitted"
DEPRECATED = "deprecated"


@dataclass(frozen=True, slots=True)
class Variant:
    """What terms.yaml says about one alias given as an object.

    Attributes:
        form: The alias as written (also among the term's `aliases`).
        status: "admitted" or "deprecated".
        regions: BCP 47 tags of the languages whose articles usually write this form.
        note: One line for editors and readers.
    """

    form: str
    status: str = ADMITTED
    regions: tuple[str, ...] = ()
    note: str | None = None

    def to_dict(self) -> dict:
        """Return the alias object as terms.yaml writes it, defaults left out."""
        data: dict = {"form": self.form}
        if self.status != ADMITTED:
            data["status"] = self.status
        if self.regions:
            data["regions"] = list(self.regions)
        if self.note:
            data["note"] = self.note
        return data



@dataclass(frozen=True, slots=True)
class Term:
    """One entry of terms.yaml."""

    # Slots: a server holds 50,000 of these (measured: 3 MB less than with a __dict__ each).

    id: str
    term: str
    definition: str
    en: str | None = None
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    see_also: tuple[str, ...] = ()
    pinyin: str | None = None
    # The day the definition was last checked true, where it comes from, and
    # what it said before (newest first); see core/versions.
    as_of: date | None = None
    sources: tuple[Source, ...] = ()
    history: tuple[Version, ...] = ()
    # The aliases given as objects (status, regions, note); each form is
    # also in `aliases`. See core/variants.py.
    variants: tuple[Variant, ...] = ()
    # Longer strings inside which this term's keys are never a mention.
    not_in: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        """Return the headword followed by the aliases."""
        return (self.term, *self.aliases)

    def to_dict(self) -> dict:
        """Return the entry as terms.yaml writes it, empty fields left out."""
        data = {"id": self.id, "term": self.term}
        if self.en:
            data["en"] = self.en
        if self.aliases:
            objects = {v.form: v.to_dict() for v in self.variants}
            data["aliases"] = [objects.get(a, a) for a in self.aliases]
        if self.not_in:
            data["not_in"] = list(self.not_in)
        data["definition"] = self.definition
        if self.tags:
            data["tags"] = list(self.tags)
        if self.see_also:
            data["see_also"] = list(self.see_also)
        if self.pinyin:
            data["pinyin"] = self.pinyin
        if self.as_of:
            data["as_of"] = self.as_of.isoformat()
        if self.sources:
            data["sources"] = [s.to_dict() for s in self.sources]
        if self.history:
            data["history"] = [v.to_dict() for v in self.history]
        return data

    def in_force(self, on: date | None = None) -> Period:
        """Return the definition in force on day `on` (None: today's, the current one), with its period."""
        if not self.history:  # most terms: no other version to look for
            return Period(self.definition, self.sources, as_of=self.as_of)
        return period_on(self.definition, self.as_of, self.sources, self.history, on)

    def periods(self) -> list[Period]:
        """Return every version of the definition, the current one first, then newest to oldest."""
        return periods(self.definition, self.as_of, self.sources, self.history)


@dataclass(frozen=True, slots=True)
class TagLabel:
    """The labels terms.yaml's `tags:` map gives a tag; either may be missing."""

    zh: str | None = None
    en: str | None = None


@dataclass(frozen=True, slots=True)
class Tag:
    """A tag as readers see it: its slug and its labels, derived from the slug where terms.yaml gives none."""

    slug: str
    label: str
    en: str

    @property
    def labelled(self) -> bool:
        """Return whether the Chinese label says more than the slug does."""
        return self.label != self.en


def prettify_slug(slug: str) -> str:
    """Return a tag's slug as a label: `export-control` -> `Export control`."""
    words = slug.replace("-", " ").strip()
    return words[:1].upper() + words[1:]


class Glossary:
    """An immutable set of terms with a lookup from match key to term: plain data.

    Build it with `load_glossary` (validated) or directly from terms that
    are known to be valid. What annotating and serving derive from it (the
    matcher, the index order, the search keys) is compiled by
    `compiled.CompiledGlossary`.
    """

    def __init__(self, terms: Iterable[Term], version: str | None = None, source: str | None = None,
                 readings: dict[str, str] | None = None, tag_labels: dict[str, TagLabel] | None = None):
        self.terms: tuple[Term, ...] = tuple(terms)
        # The labels of terms.yaml's `tags:` map, by slug.
        self.tag_labels: dict[str, TagLabel] = tag_labels or {}
        # Index readings by term id, as a store computed them at sync time
        # (see collation.Reading.encode); empty when read from a file.
        self.readings: dict[str, str] = readings or {}
        self.by_id: dict[str, Term] = {t.id: t for t in self.terms}
        self.by_key: dict[str, Term] = {}
        # (key, owner, term, spelling): a key claimed twice, by two terms
        # or by two spellings of one term (owner is term).
        self.conflicts: list[tuple[str, Term, Term, str]] = []
        for term in self.terms:
            own: set[str] = set()
            for spelling in term.spellings:
                # Interned: a server's reload then keeps the key objects of
                # the glossary it replaces instead of leaving 50,000 new
                # ones scattered through memory the old ones held.
                key = sys.intern(normalize_key(spelling))
                if not key:
                    continue
                owner = self.by_key.setdefault(key, term)
                if owner is not term or key in own:
                    self.conflicts.append((key, owner, term, spelling))
                own.add(key)
        self.version = version or _digest(self.terms, self.tag_labels)
        self.source = source

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self):
        return iter(self.terms)

    def __contains__(self, term_id: object) -> bool:
        return term_id in self.by_id

    def get(self, term_id: str) -> Term | None:
        """Return the term with this id, or None."""
        return self.by_id.get(term_id)

    def tag(self, slug: str) -> Tag:
        """Return the tag `slug` with its labels: terms.yaml's, else derived from the slug."""
        given = self.tag_labels.get(slug) or TagLabel()
        en = given.en or prettify_slug(slug)
        return Tag(slug, given.zh or en, en)

    def lookup(self, phrase: str) -> Term | None:
        """Return the term whose term or alias folds to the same key as `phrase`."""
        return self.by_key.get(normalize_key(phrase))


def _digest(terms: Iterable[Term], tag_labels: dict[str, TagLabel]) -> str:
    h = hashlib.sha256()
    for term in terms:
        h.update(repr(term.to_dict()).encode())
    if tag_labels:
        h.update(repr(sorted(tag_labels.items())).encode())
    return h.hexdigest()[:16]
