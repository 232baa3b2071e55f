"""What annotating an article returns: everything the annotator found, recorded in one walk."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from .explanation import Explanation
from .versions import Period

# Where the sentence around a mention ends (backlink snippets).
SENTENCE_END = "。！？!?；;\n"
SNIPPET_LIMIT = 120


class TermCount(NamedTuple):
    """How often one term is annotated in an article (a named tuple: built at C speed).

    `version` is the earlier definition in force on the article's date, None
    when the current one is.
    """

    id: str
    count: int
    term: str
    en: str | None = None
    version: Period | None = None


@dataclass(frozen=True)
class Gloss:
    """An author's inline gloss: **term**（name: definition）."""

    term: str
    name: str
    definition: str


class Occurrence(NamedTuple):
    """One mention of a term, as the article writes it.

    A named tuple: an article can hold thousands, built at C speed.

    Attributes:
        term_id: The term mentioned.
        text: The spelling the article used, in its own characters.
        bold: Whether the article bolded it.
        linked: Whether it became a link (the mode's limit leaves some as text).
        position: Where it starts in the article's text (the text of the
            rendered article in reading order, end-of-article notes left out).
    """

    term_id: str
    text: str
    bold: bool
    linked: bool
    position: int


class BoldText(NamedTuple):
    """A bold phrase that is not a term, and where it starts in the article's text."""

    text: str
    position: int


class Snippet(NamedTuple):
    """The sentence around a mention; `start` and `end` delimit the mention in `text`."""

    text: str
    start: int
    end: int


def sentence_around(text: str, start: int, end: int, limit: int = SNIPPET_LIMIT) -> Snippet:
    """Return the sentence of `text` that holds `text[start:end]`, cut to about `limit` characters.

    Args:
        text: The text of the block (paragraph, list item, cell) the mention is in.
        start: Where the mention starts in `text`.
        end: Where it ends.
        limit: The most characters kept after the mention; half as many before it.

    Returns:
        The Snippet; an ellipsis marks where it was cut.
    """
    head, word, tail = text[:start], text[start:end], text[end:]
    head = head[max(head.rfind(c) for c in SENTENCE_END) + 1:].lstrip()
    ends = [i for i in (tail.find(c) for c in SENTENCE_END) if i >= 0]
    tail = tail[: min(ends) + 1] if ends else tail
    if len(head) > limit // 2:
        head = "…" + head[-(limit // 2):]
    if len(tail) > limit:
        tail = tail[:limit] + "…"
    return Snippet(head + word + tail.rstrip("\n"), len(head), len(head) + len(word))


class Snippets(Mapping):
    """The sentence around each term's first mention, by term id, cut from the tree when first asked for.

    The annotator records where each first mention is (its block, where the
    block's text starts, where the mention starts and how long it is) while
    it walks; only `glossary sync` reads the sentences, so only it pays for
    them.
    """

    def __init__(self, places: dict[str, tuple] | None = None):
        self._places = places or {}
        self._made: dict[str, Snippet] = {}

    def __getitem__(self, term_id: str) -> Snippet:
        snippet = self._made.get(term_id)
        if snippet is None:
            block, block_start, position, size = self._places[term_id]
            start = position - block_start
            snippet = self._made[term_id] = sentence_around("".join(block.itertext()), start, start + size)
        return snippet

    def __iter__(self) -> Iterator[str]:
        return iter(self._places)

    def __len__(self) -> int:
        return len(self._places)

    def __repr__(self) -> str:
        return f"Snippets({dict(self)!r})"


@dataclass
class Annotation:
    """The annotated fragment and what the annotator found in it.

    Attributes:
        html: The annotated markup.
        terms: Each term found, with how often (every mention the mode finds,
            linked or not), in order of first mention.
        undefined: The bold phrases that are not terms, each once, as first written.
        glosses: The authors' inline glosses.
        meta: The article's front matter.
        occurrences: Every mention the mode finds, in reading order.
        bold_phrases: Every bold phrase that is not a term, in reading order.
        snippets: The sentence around each term's first mention, by term id.
        explanation: Why each mention matched and each bold phrase did not
            (`Options.explain`); None when not asked for.
    """

    html: str
    terms: list[TermCount] = field(default_factory=list)
    undefined: list[str] = field(default_factory=list)
    glosses: list[Gloss] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    occurrences: list[Occurrence] = field(default_factory=list)
    bold_phrases: list[BoldText] = field(default_factory=list)
    snippets: Mapping[str, Snippet] = field(default_factory=Snippets)
    explanation: Explanation | None = None

    def to_dict(self) -> dict:
        """Return what the annotate API answers: html, terms, undefined, glosses, meta (and explain, if asked)."""
        # asdict copies every field through deepcopy: a third of an API
        # answer's cost in "all" mode.
        return {
            "html": self.html,
            "terms": [{"id": t.id, "count": t.count, "term": t.term, "en": t.en, "version": _version(t.version)}
                      for t in self.terms],
            "undefined": list(self.undefined),
            "glosses": [{"term": g.term, "name": g.name, "definition": g.definition} for g in self.glosses],
            "meta": copy.deepcopy(self.meta),
        } | ({"explain": self.explanation.to_dict()} if self.explanation is not None else {})


def _version(period: Period | None) -> dict | None:
    # Which definition an article was annotated with: None for the current one.
    if period is None:
        return None
    return {"from": period.start.isoformat() if period.start else None, "until": period.until.isoformat()}
