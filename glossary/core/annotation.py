"""What annotating an article returns."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TermCount:
    """How often one term is annotated in an article."""

    id: str
    count: int
    term: str
    en: str | None = None


@dataclass(frozen=True)
class Gloss:
    """An author's inline gloss: **term**（name: definition）."""

    term: str
    name: str
    definition: str


@dataclass
class Annotation:
    """The annotated fragment and what the annotator found in it."""

    html: str
    terms: list[TermCount] = field(default_factory=list)
    undefined: list[str] = field(default_factory=list)
    glosses: list[Gloss] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Return the annotation as JSON-ready data (what `dataclasses.asdict` gives, built directly)."""
        # asdict copies every field through deepcopy: a third of an API
        # answer's cost in "all" mode.
        return {
            "html": self.html,
            "terms": [{"id": t.id, "count": t.count, "term": t.term, "en": t.en} for t in self.terms],
            "undefined": list(self.undefined),
            "glosses": [{"term": g.term, "name": g.name, "definition": g.definition} for g in self.glosses],
            "meta": copy.deepcopy(self.meta),
        }
