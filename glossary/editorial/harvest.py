"""Turn the glosses authors write inline, **X**（Y: Z）, into terms.yaml entries."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..core.annotation import Gloss
from ..core.model import Glossary, Term
from ..core.normalize import normalize_key
from ..render import annotate_markdown
from ..sources.articles import Article
from ..sources.termfile import SLUG
from .yamledit import NewEntry

ID_LIMIT = 60
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"[*_`~]+")
_END_PUNCTUATION = "。.；;！!？?，,、 "
# Written differently in names that are the same: spaces, hyphens and dashes, dots, underscores, middle dots.
_NAME_NOISE = re.compile(r"[\s\-‐‑‒–—_.·・]+")


@dataclass(frozen=True)
class Source:
    """Where a gloss is written: an article file and a line in it."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Proposal:
    """A new term made from a gloss, with every place it is glossed."""

    term: Term
    sources: tuple[Source, ...]

    def entry(self) -> NewEntry:
        """Return the entry to write, commented with where it comes from."""
        return NewEntry(self.term, "from " + ", ".join(map(str, self.sources)))


@dataclass(frozen=True)
class Finding:
    """A gloss that disagrees with terms.yaml or with another gloss.

    `kind` is "en" (the gloss names the term differently), "definition",
    "alias" (the gloss names an existing term: the phrase may be an alias of
    it) or "variant" (two articles gloss a new phrase differently).
    """

    source: Source
    kind: str
    term_id: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass
class Harvest:
    """What harvesting found: new terms to propose, and disagreements to report."""

    proposals: list[Proposal] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    glosses: int = 0
    articles: int = 0

    def summary(self) -> str:
        """Return one line counting what was found."""
        return (f"{len(self.proposals)} new term(s) from {self.glosses} gloss(es) in {self.articles} article(s); "
                f"{len(self.findings)} disagreement(s)")


def harvest(glossary: Glossary, articles: Iterable[Article], progress: Callable | None = None) -> Harvest:
    """Collect the inline glosses of `articles` that are not yet terms.

    Args:
        glossary: The current terms.
        articles: The articles to read.
        progress: Wraps the articles while they are read (a progress bar).

    Returns:
        A proposal per new glossed phrase (in order of first appearance, its
        id a slug of the gloss's name, unique against `glossary`), and a
        finding per gloss that disagrees with a stored term's `en` or
        definition.  A gloss's definition agrees when, once Markdown marks,
        case, width and final punctuation are set aside, it equals the stored
        definition or is part of it (authors often shorten).
    """
    result = Harvest()
    taken = set(glossary.by_id)
    by_en = {name_key(t.en): t for t in glossary if t.en}
    proposed: dict[str, int] = {}
    articles = list(articles)
    result.articles = len(articles)
    for article in progress(articles) if progress else articles:
        for gloss in annotate_markdown(article.body, glossary, mode="bold").glosses:
            result.glosses += 1
            source = Source(article.source_path, _line_of(article, gloss))
            term = glossary.lookup(gloss.term)
            if term is not None:
                result.findings.extend(_compare(source, gloss, term))
                continue
            key = normalize_key(gloss.term)
            if key in proposed:
                index = proposed[key]
                first = result.proposals[index]
                if not (_same(gloss.name, first.term.en) and _same(gloss.definition, first.term.definition)):
                    result.findings.append(Finding(
                        source, "variant", None,
                        f"**{gloss.term}** is glossed as '{gloss.name}: {gloss.definition}', unlike at "
                        f"{first.sources[0]} ('{first.term.en}: {first.term.definition}'); the first is proposed",
                    ))
                result.proposals[index] = Proposal(first.term, (*first.sources, source))
                continue
            # The same name as a kept or proposed term: likely another spelling of it.
            named = by_en.get(name_key(gloss.name)) or glossary.lookup(gloss.name)
            if named is not None:
                result.findings.append(Finding(
                    source, "alias", named.id,
                    f"**{gloss.term}** is glossed as '{gloss.name}', which names '{named.id}' ({named.term}): "
                    f"add '{gloss.term}' to its aliases?",
                ))
                continue
            term_id = propose_id(gloss.name, gloss.term, taken)
            taken.add(term_id)
            proposed[key] = len(result.proposals)
            new = Term(id=term_id, term=gloss.term, en=gloss.name, definition=gloss.definition)
            result.proposals.append(Proposal(new, (source,)))
            by_en.setdefault(name_key(gloss.name), new)
    return result


def propose_id(name: str, phrase: str, taken: set[str]) -> str:
    """Return a slug for a new term, from its gloss name (else the phrase), unused in `taken`.

    Args:
        name: The gloss's name, e.g. "Entity List".
        phrase: The bolded phrase, used when the name has no Latin letters.
        taken: Ids already in use.

    Returns:
        A lowercase ASCII slug such as "entity-list" ("entity-list-2" when
        that is taken; "term" when neither text has Latin letters or digits).
    """
    base = _slug(name) or _slug(phrase) or "term"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > ID_LIMIT:
            break
        slug = f"{slug}-{word}" if slug else word
    slug = slug or (words[0][:ID_LIMIT] if words else "")
    return slug if SLUG.fullmatch(slug) else ""


def _compare(source: Source, gloss: Gloss, term: Term) -> list[Finding]:
    found = []
    if not term.en:
        found.append(Finding(source, "en", term.id,
                             f"**{gloss.term}** is glossed as '{gloss.name}'; '{term.id}' has no en in terms.yaml"))
    elif not _same(gloss.name, term.en) and not any(_same(gloss.name, s) for s in term.spellings):
        # A gloss may name the term by one of its spellings (WTO for 世界贸易组织).
        found.append(Finding(source, "en", term.id,
                             f"**{gloss.term}** is glossed as '{gloss.name}', but '{term.id}' has en '{term.en}'"))
    if not _agrees(gloss.definition, term.definition):
        found.append(Finding(source, "definition", term.id,
                             f"**{gloss.term}** is glossed as '{gloss.definition}', which is not the definition "
                             f"of '{term.id}': '{_short(term.definition)}'"))
    return found


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def name_key(text: str | None) -> str:
    """Return what two names are compared by: folded, without spaces, hyphens, dots or underscores.

    Entity-List, entity list and ENTITY LIST name the same thing; an author's
    gloss that writes a name so agrees with the glossary.
    """
    return _NAME_NOISE.sub("", normalize_key(text or ""))


def _same(a: str | None, b: str | None) -> bool:
    return name_key(a) == name_key(b)


def _plain(text: str) -> str:
    text = _EMPHASIS.sub("", _MARKDOWN_LINK.sub(r"\1", text))
    return normalize_key(text).strip(_END_PUNCTUATION)


def _agrees(gloss_definition: str, definition: str) -> bool:
    said, stored = _plain(gloss_definition), _plain(definition)
    return said == stored or (bool(said) and said in stored)


def _line_of(article: Article, gloss: Gloss) -> int:
    """Return the line of the article file where `gloss` is written (best effort: the first likely place)."""
    body = article.body
    at = -1
    for match in re.finditer(re.escape(gloss.term), body):
        at = body.find(gloss.name, match.end(), match.end() + 80)
        if at >= 0:
            break
    if at < 0:
        at = body.find(gloss.name)
    if at < 0:
        at = max(body.find(gloss.term), 0)
    return article.body_line + body.count("\n", 0, at)
