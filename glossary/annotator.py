"""Annotate glossary terms in an element tree (ElementTree or lxml).

The same engine serves Python-Markdown's tree and a parsed HTML fragment:
it only uses the ElementTree API (text, tail, attrib, makeelement).
"""

from __future__ import annotations

import bisect
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
COLONS = ":："
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
        self.notes = None
        self.defined: set[str] = set()
        # Annotations on elements other than <a> (written by another tool).
        self.foreign = False
        self.link_attributes: dict[str, dict] = {}

    def run(self, root) -> list[TermCount]:
        """Annotate `root` in place and return the term counts in text order."""
        self._walk(root)
        if self.plain and self.slots:
            self._annotate_plain()
        counts = self._count(root)
        self._add_definitions(root, counts)
        return counts

    # -- the walk: bold phrases, and text slots for plain matching ---------

    def _walk(self, parent) -> None:
        if self.plain and parent.text:
            self.slots.append((parent, None))
        for child in list(parent):
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
                    self.foreign = self.foreign or tag != "a"
                elif tag in BOLD:
                    child = self._bold(parent, child)
                elif tag not in SKIP:
                    self._walk(child)
            if self.plain and child.tail:
                self.slots.append((parent, child))

    def _bold(self, parent, strong):
        """Annotate a bold phrase that is a term; return what now stands in its place."""
        inside = [el for el in strong.iter() if el is not strong and isinstance(el.tag, str)]
        if any(el.tag in SKIP and el.get("data-term") is None for el in inside):
            # A link or code inside: the phrase cannot become a link itself.
            self._walk(strong)
            return strong
        text = "".join(strong.itertext()).strip()
        if not text:
            return strong
        gloss = _gloss_after(parent, strong)
        if gloss:
            self.glosses.append(Gloss(text, *gloss))
        term = self.glossary.by_key.get(normalize_key(text))
        if term is None or any(el.get("data-term") is not None for el in inside):
            if term is None:
                self.undefined.setdefault(normalize_key(text), text)
            self._walk(strong)
            return strong
        link = self._link(parent, term)
        index = _index(parent, strong)
        link.tail, strong.tail = strong.tail, None
        parent[index] = link
        link.append(strong)
        self.bolded.add(term.id)
        return link

    def _link(self, parent, term: Term):
        self.changed = True
        attrib = self.link_attributes.get(term.id)
        if attrib is None:
            attrib = {
                "href": self.options.link_prefix + term.id,
                "data-term": term.id,
                "aria-describedby": self._def_id(term),
            }
            self.link_attributes[term.id] = attrib
        # makeelement copies the dict.
        return parent.makeelement("a", attrib)

    def _def_id(self, term: Term) -> str:
        return f"{self.options.id_prefix}{term.id}"

    # -- plain-text mentions ---------------------------------------------

    def _annotate_plain(self) -> None:
        texts = [(p.text if c is None else c.tail) for p, c in self.slots]
        joined = SEPARATOR.join(texts)
        matcher = self.glossary.matcher
        folded, offsets = matcher.fold(joined)
        starts = []
        position = 0
        for text in texts:
            starts.append(position)
            position += len(text) + 1
        first_only = self.options.mode == "first"
        by_slot: dict[int, list[tuple[int, int, Term]]] = {}
        for start, end, term in matcher.find(folded):
            if offsets is not None:
                start, end = offsets[start], offsets[end]
            if first_only:
                if term.id in self.bolded:
                    continue
                self.bolded.add(term.id)
            slot = bisect.bisect_right(starts, start) - 1
            base = starts[slot]
            if end - base > len(texts[slot]):
                continue
            by_slot.setdefault(slot, []).append((start - base, end - base, term))
        for slot, matches in by_slot.items():
            self._split(self.slots[slot], texts[slot], matches)

    def _split(self, slot, text: str, matches) -> None:
        parent, child = slot
        links = []
        for i, (start, end, term) in enumerate(matches):
            link = self._link(parent, term)
            link.text = text[start:end]
            following = matches[i + 1][0] if i + 1 < len(matches) else len(text)
            link.tail = text[end:following] or None
            links.append(link)
        head = text[: matches[0][0]] or None
        if child is None:
            parent.text = head
            index = 0
        else:
            child.tail = head
            index = _index(parent, child) + 1
        for offset, link in enumerate(links):
            parent.insert(index + offset, link)

    # -- results -----------------------------------------------------------

    def _count(self, root) -> list[TermCount]:
        counts: dict[str, int] = {}
        for element in root.iter() if self.foreign else root.iter("a"):
            term_id = element.get("data-term") if isinstance(element.tag, str) else None
            if term_id is not None and term_id in self.glossary.by_id:
                counts[term_id] = counts.get(term_id, 0) + 1
        by_id = self.glossary.by_id
        return [TermCount(i, n, by_id[i].term, by_id[i].en) for i, n in counts.items()]

    def _add_definitions(self, root, counts: list[TermCount]) -> None:
        missing = [c for c in counts if c.id not in self.defined]
        if not missing:
            return
        self.changed = True
        make = root.makeelement
        notes = self.notes
        if notes is None:
            notes = make("aside", {"data-glossary": "notes", "aria-label": self.options.notes_title})
            title = make("p", {"data-glossary": "title"})
            title.text = self.options.notes_title
            notes.append(title)
            notes.append(make("dl", {"data-glossary": "list"}))
            # Trailing whitespace stays last, so the text outside our
            # elements is exactly what it was.
            last = root[-1] if len(root) else None
            if last is not None and last.tail and not last.tail.strip():
                notes.tail, last.tail = last.tail, None
            root.append(notes)
        listing = notes.find("dl")
        if listing is None:
            listing = make("dl", {"data-glossary": "list"})
            notes.append(listing)
        for count in missing:
            listing.extend(self._definition(make, self.glossary.by_id[count.id]))

    def _definition(self, make, term: Term):
        # Lean markup: an article may carry hundreds of these, and each
        # element costs serialisation time.
        head = make("dt", {"data-glossary": "term", "data-for": term.id})
        head.text = term.term
        if term.en:
            head.text += " "
            english = make("span", {"lang": "en"})
            english.text = term.en
            head.append(english)
        body = make("dd", {"id": self._def_id(term), "data-glossary": "definition"})
        body.text, elements = definition_elements(term.definition, make)
        for element in elements:
            body.append(element)
        return head, body


def _index(parent, child) -> int:
    for index, element in enumerate(parent):
        if element is child:
            return index
    raise ValueError("child not in parent")


def _gloss_after(parent, strong) -> tuple[str, str] | None:
    """Return (name, definition) of a （name: definition） right after `strong`."""
    pieces = [strong.tail or ""]
    siblings = iter(parent[_index(parent, strong) + 1:]) if not _closes(pieces[0]) else iter(())
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
    cut = min((inner.find(c) for c in COLONS if c in inner), default=-1)
    if cut < 0:
        return None
    name, definition = inner[:cut].strip(), inner[cut + 1:].strip()
    return (name, definition) if name and definition else None
