"""Annotate glossary terms in an element tree (ElementTree or lxml).

The same engine serves Python-Markdown's tree and a parsed HTML fragment:
it only uses the ElementTree API (text, tail, attrib, makeelement).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .annotation import Gloss, TermCount
from .definitions import definition_elements
from .model import Glossary, Term
from .normalize import SEPARATOR, normalize_key

MODES = ("bold", "first", "all")
BOLD = frozenset({"strong", "b"})
# Links, code, headings and non-text containers are never annotated.
SKIP = frozenset(
    {"a", "code", "pre", "kbd", "samp", "script", "style", "textarea", "button", "select",
     "option", "svg", "math", "template", "noscript", "title",
     "h1", "h2", "h3", "h4", "h5", "h6"}
)
OPENERS = "（("
CLOSERS = "）)"
_GLOSS_COLON = re.compile(r"：|:\s")
GLOSS_SCAN_LIMIT = 1000


@dataclass(frozen=True)
class Options:
    """How annotations are written.

    Attributes:
        mode: "bold", "first" or "all" (see README).
        link_prefix: URL prefix of term pages; the term id is appended.
        id_prefix: Prefix of the definition elements' ids, so that several
            annotated fragments can share a page.
        notes_title: Heading of the definitions block.
    """

    mode: str = "bold"
    link_prefix: str = "/terms/"
    id_prefix: str = "gl-"
    notes_title: str = "本文术语"

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}: use one of {', '.join(MODES)}")


class Annotator:
    """Annotate one tree; create one per article."""

    def __init__(self, glossary: Glossary, options: Options):
        self.glossary = glossary
        self.options = options
        self.plain = options.mode != "bold"
        self.changed = False
        self.undefined: dict[str, str] = {}
        self.glosses: list[Gloss] = []
        self.bolded: set[str] = set()
        self.slots: list[tuple] = []
        # Annotations in text order as the walk meets them: a term id, or
        # the index of a text slot whose plain matches go there.
        self.events: list[str | int] = []
        self.plain_terms: dict[int, list[str]] = {}
        self.notes = None
        self.defined: set[str] = set()
        self.link_attributes: dict[str, dict] = {}

    def run(self, root) -> list[TermCount]:
        """Annotate `root` in place and return the term counts in text order."""
        self._walk(root)
        if self.plain and self.slots:
            self._annotate_plain()
        counts = self._count()
        self._add_definitions(root, counts)
        return counts

    # -- the walk: bold phrases, and text slots for plain matching ---------

    def _slot(self, parent, index: int) -> None:
        # index: the child whose tail the slot is, -1 for the parent's text.
        self.events.append(len(self.slots))
        self.slots.append((parent, index))

    def _walk(self, parent) -> None:
        if self.plain and parent.text:
            self._slot(parent, -1)
        # Bold phrases are replaced in place, so the children can be walked
        # without copying the list.
        for index, child in enumerate(parent):
            tag = child.tag
            if isinstance(tag, str):
                if child.get("data-glossary") is not None:
                    if child.get("data-glossary") == "notes":
                        self.notes = child
                    self.defined.update(
                        el.get("data-for") for el in child.iter() if el.get("data-for")
                    )
                elif child.get("data-term") is not None:
                    self.bolded.add(child.get("data-term"))
                    self.events.append(child.get("data-term"))
                elif tag in BOLD:
                    child = self._bold(parent, index, child)
                elif tag not in SKIP:
                    self._walk(child)
            # Whitespace-only tails (the newlines between blocks) hold no term.
            if self.plain and child.tail and not child.tail.isspace():
                self._slot(parent, index)

    def _bold(self, parent, index: int, strong):
        """Annotate a bold phrase that is a term; return what now stands in its place."""
        inside = [el for el in strong.iter() if el is not strong and isinstance(el.tag, str)]
        if any(el.tag in SKIP and el.get("data-term") is None for el in inside):
            # A link or code inside: the phrase cannot become a link itself.
            self._walk(strong)
            return strong
        text = "".join(strong.itertext()).strip()
        if not text:
            return strong
        gloss = _gloss_after(parent, index, strong)
        if gloss:
            self.glosses.append(Gloss(text, *gloss))
        key = normalize_key(text)
        term = self.glossary.by_key.get(key)
        if term is None or any(el.get("data-term") is not None for el in inside):
            if term is None:
                self.undefined.setdefault(key, text)
            self._walk(strong)
            return strong
        link = self._link(parent, term)
        link.tail, strong.tail = strong.tail, None
        parent[index] = link
        link.append(strong)
        self.bolded.add(term.id)
        self.events.append(term.id)
        return link

    def _link(self, parent, term: Term):
        self.changed = True
        # makeelement copies the dict.
        return parent.makeelement("a", self.link_attributes.get(term.id) or self._link_attributes(term))

    def _link_attributes(self, term: Term) -> dict:
        attrib = {
            "href": self.options.link_prefix + term.id,
            "data-term": term.id,
            "aria-describedby": self._def_id(term),
        }
        self.link_attributes[term.id] = attrib
        return attrib

    def _def_id(self, term: Term) -> str:
        return f"{self.options.id_prefix}{term.id}"

    # -- plain-text mentions ---------------------------------------------

    def _annotate_plain(self) -> None:
        texts = [(p.text if i < 0 else p[i].tail) for p, i in self.slots]
        matcher = self.glossary.matcher
        folded, offsets = matcher.fold(SEPARATOR.join(texts))
        first_only = self.options.mode == "first"
        bolded = self.bolded
        # Matches and slots are both in text order: one merge assigns each
        # match to its slot.
        groups: list[tuple[int, list]] = []
        slot, base, size = 0, 0, len(texts[0])
        for start, end, term in matcher.find(folded):
            if offsets is not None:
                start, end = offsets[start], offsets[end]
            if first_only:
                if term.id in bolded:
                    continue
                bolded.add(term.id)
            while start > base + size:
                base += size + 1
                slot += 1
                size = len(texts[slot])
            if end - base > size:
                continue
            if not groups or groups[-1][0] != slot:
                groups.append((slot, []))
            groups[-1][1].append((start - base, end - base, term))
        # Last slot first: inserting after a child then leaves the indices
        # of every slot still to come unchanged.
        for slot, matches in reversed(groups):
            self._split(self.slots[slot], texts[slot], matches)
            self.plain_terms[slot] = [term.id for _, _, term in matches]

    def _split(self, slot, text: str, matches) -> None:
        parent, index = slot
        make, attributes = parent.makeelement, self.link_attributes
        position = index + 1
        for i, (start, end, term) in enumerate(matches):
            attrib = attributes.get(term.id) or self._link_attributes(term)
            link = make("a", attrib)
            link.text = text[start:end]
            link.tail = text[end:matches[i + 1][0] if i + 1 < len(matches) else None] or None
            parent.insert(position + i, link)
        head = text[: matches[0][0]] or None
        if index < 0:
            parent.text = head
        else:
            parent[index].tail = head
        self.changed = True

    # -- results -----------------------------------------------------------

    def _count(self) -> list[TermCount]:
        counts: dict[str, int] = {}
        for event in self.events:
            for term_id in self.plain_terms.get(event, ()) if isinstance(event, int) else (event,):
                counts[term_id] = counts.get(term_id, 0) + 1
        by_id = self.glossary.by_id
        return [TermCount(i, n, by_id[i].term, by_id[i].en) for i, n in counts.items() if i in by_id]

    def _add_definitions(self, root, counts: list[TermCount]) -> None:
        missing = [self.glossary.by_id[c.id] for c in counts if c.id not in self.defined]
        if not missing:
            return
        self.changed = True
        if self.notes is None:
            _append_before_trailing_space(root, self._notes(root.makeelement, missing))
            return
        listing = self.notes.find("dl")
        if listing is None:
            listing = self.notes.makeelement("dl", {"data-glossary": "list"})
            self.notes.append(listing)
        for term in missing:
            listing.extend(self._definition(listing.makeelement, term))

    def _notes(self, make, terms: list[Term]):
        """Build the definitions block with the element factory `make`."""
        notes = make("aside", {"data-glossary": "notes", "aria-label": self.options.notes_title})
        title = make("p", {"data-glossary": "title"})
        title.text = self.options.notes_title
        listing = make("dl", {"data-glossary": "list"})
        for term in terms:
            listing.extend(self._definition(make, term))
        notes.append(title)
        notes.append(listing)
        return notes

    def _definition(self, make, term: Term):
        # Lean markup: an article may carry hundreds of these, and each
        # element costs serialisation time.
        head = make("dt", {})
        head.text = term.term
        if term.en:
            head.text += " "
            english = make("span", {"lang": "en"})
            english.text = term.en
            head.append(english)
        body = make("dd", {"id": self._def_id(term), "data-glossary": "definition", "data-for": term.id})
        body.text, elements = definition_elements(term.definition, make)
        for element in elements:
            body.append(element)
        return head, body


def _append_before_trailing_space(root, element) -> None:
    """Append `element` to `root`, keeping whitespace that ends `root` at the very end."""
    # So the text outside our elements stays exactly what it was.
    last = root[-1] if len(root) else None
    if last is not None and last.tail and not last.tail.strip():
        element.tail, last.tail = last.tail, None
    root.append(element)


def _gloss_after(parent, index: int, strong) -> tuple[str, str] | None:
    """Return (name, definition) of a （name: definition） right after `strong`, the parent's child `index`."""
    pieces = [strong.tail or ""]
    siblings = iter(parent[index + 1:]) if not _closes(pieces[0]) else iter(())
    size = len(pieces[0])
    for sibling in siblings:
        if size > GLOSS_SCAN_LIMIT:
            break
        inner = "".join(sibling.itertext()) if isinstance(sibling.tag, str) else ""
        text = inner + (sibling.tail or "")
        pieces.append(text)
        size += len(text)
        if _closes(text):
            break
    return parse_gloss("".join(pieces))


def _closes(text: str) -> bool:
    return any(c in text for c in CLOSERS)


def parse_gloss(text: str) -> tuple[str, str] | None:
    """Parse a gloss at the start of `text`: （name: definition） or (name：definition).

    Args:
        text: The text that follows a bold phrase.

    Returns:
        (name, definition), both stripped and non-empty, or None.
    """
    text = text.lstrip()
    if not text or text[0] not in OPENERS:
        return None
    depth = 0
    for index, char in enumerate(text):
        if char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            depth -= 1
            if depth == 0:
                inner = text[1:index]
                break
    else:
        return None
    # A full-width colon, or an ASCII one followed by a space: "10:30" and
    # "https://" are not the break between name and definition.
    match = _GLOSS_COLON.search(inner)
    if not match:
        return None
    cut = match.start()
    name, definition = inner[:cut].strip(), inner[cut + 1:].strip()
    return (name, definition) if name and definition else None
