"""Why the annotator did what it did, when asked (`Options.explain`): each mention's match, each bold phrase's miss.

The annotator records these in its one walk; nothing is parsed again. With
`explain` off it records nothing and its walk does no more than before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

# How a mention was found: a bold phrase, the first plain mention (mode
# first), any plain mention (mode all), or a link to the term in the input.
RULES = ("bold", "first", "all", "linked")
# Why a bold phrase did not become a link.
REASONS = ("not-a-term", "inside-link", "inside-code", "inside-heading", "inside-element", "not-in", "link-limit")
# The most nearest terms given for a phrase that is not a term.
NEAREST = 3
_CODE = frozenset({"code", "pre", "kbd", "samp"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


class Match(NamedTuple):
    """One mention and why it matched.

    Attributes:
        text: The key that matched: the spelling the article used.
        key: That spelling folded (normalize.normalize_key): the glossary's key.
        term_id: The term it names.
        rule: One of RULES.
        linked: Whether it became a link (the limit leaves some as text).
        position: Where it starts in the article's text.
    """

    text: str
    key: str
    term_id: str
    rule: str
    linked: bool
    position: int


class Near(NamedTuple):
    """A term near a phrase: its id and headword, the spelling that is near, and how many edits away."""

    id: str
    term: str
    spelling: str
    distance: int


class Miss(NamedTuple):
    """A bold phrase that did not become a link, and why.

    Attributes:
        text: The phrase as written.
        key: The phrase folded.
        position: Where it starts in the article's text.
        reason: One of REASONS.
        term_id: The term the phrase spells, None for not-a-term.
        element: For inside-*: the tag of the (outermost) element it is inside.
        not_in: For not-in: the term's not_in string it lies inside.
        nearest: For not-a-term: the nearest terms by edit distance, nearest first.
    """

    text: str
    key: str
    position: int
    reason: str
    term_id: str | None = None
    element: str | None = None
    not_in: str | None = None
    nearest: tuple[Near, ...] = ()


@dataclass
class Explanation:
    """Every mention the mode found, and every bold phrase not linked, each in reading order."""

    occurrences: list[Match] = field(default_factory=list)
    bold: list[Miss] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Return the explanation as the API answers it (`explain`)."""
        return {
            "occurrences": [{"text": m.text, "key": m.key, "term": m.term_id, "rule": m.rule, "linked": m.linked,
                             "position": m.position} for m in self.occurrences],
            "bold": [{"text": m.text, "key": m.key, "position": m.position, "reason": m.reason, "term": m.term_id,
                      "element": m.element, "not_in": m.not_in,
                      "nearest": [n._asdict() for n in m.nearest]} for m in self.bold],
        }

    def extend(self, other: Explanation) -> None:
        """Add another element's explanation after this one's (a page with several annotated elements)."""
        self.occurrences.extend(other.occurrences)
        self.bold.extend(other.bold)


def reason_inside(tag: str) -> str:
    """Return the reason for a bold phrase inside an element of `tag`, one the annotator never enters."""
    if tag == "a":
        return "inside-link"
    if tag in _CODE:
        return "inside-code"
    if tag in _HEADINGS:
        return "inside-heading"
    return "inside-element"
