"""Merge an imported glossary into the terms already kept: only new terms are added."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.model import Glossary, Term
from ..core.normalize import normalize_key


@dataclass
class Merge:
    """What merging found: terms to add, terms already there, and conflicts left for an editor."""

    added: list[Term] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """Return one line counting the outcome."""
        return f"{len(self.added)} added, {len(self.unchanged)} already there, {len(self.conflicts)} conflict(s)"


def merge(existing: Glossary, incoming: Glossary) -> Merge:
    """Decide which incoming terms can be added to `existing` as they are.

    Args:
        existing: The terms kept in terms.yaml.
        incoming: The imported terms.

    Returns:
        A term whose id is new and whose spellings no kept term uses is
        added; one equal to the kept term of its id is already there; every
        other is a conflict, described, and left out (as is a new term whose
        see_also names an id that is neither kept nor added).  Kept terms are
        never changed.
    """
    result = Merge()
    candidates = []
    for term in incoming:
        kept = existing.get(term.id)
        if kept is not None:
            if kept == term:
                result.unchanged.append(term.id)
            else:
                fields = [name for name in ("term", "en", "aliases", "variants", "definition", "tags", "see_also",
                                              "pinyin", "not_in")
                          if getattr(kept, name) != getattr(term, name)]
                result.conflicts.append(f"'{term.id}' is already in terms.yaml with a different {', '.join(fields)}: "
                                        "kept as it is")
            continue
        owner = next((existing.by_key[k] for k in map(normalize_key, term.spellings) if k in existing.by_key), None)
        if owner is not None:
            result.conflicts.append(f"'{term.id}' ({term.term}) matches the same text as '{owner.id}' ({owner.term}) "
                                    "in terms.yaml: not added")
            continue
        candidates.append(term)
    # Leaving out a term can strand another's see_also: repeat until none is.
    while True:
        known = set(existing.by_id) | {t.id for t in candidates}
        stranded = [t for t in candidates if any(other not in known for other in t.see_also)]
        if not stranded:
            break
        for term in stranded:
            missing = ", ".join(o for o in term.see_also if o not in known)
            result.conflicts.append(f"'{term.id}' has see_also {missing}, which is not in terms.yaml: not added")
        candidates = [t for t in candidates if t not in stranded]
    result.added = candidates
    return result
