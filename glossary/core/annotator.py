"""Annotate glossary terms in an element tree (ElementTree or lxml).

The same engine serves Python-Markdown's tree and a parsed HTML fragment:
it only uses the ElementTree API (text, tail, attrib, makeelement).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .annotation import Gloss, TermCount
from .compiled import CompiledGlossary
from .definitions import definition_elements
from .model import Term
from .normalize import SEPARATOR, normalize_key

MODES = ("bold", "first", "all")
# Links per term and article (at most one per section); 0 lifts the limit.
# Read from the sample articles and the seeds: a term rarely opens more than
# ten sections, and a reader entering at any heading finds it linked once.
DEFAULT_MAX_LINKS = 10
BOLD = frozenset({"strong", "b"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
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
        max_links: Most links a term gets in one fragment, at most one per
            section (the text from one heading to the next); 0 links every
            mention the mode finds. Mentions past the limit stay text.
    """

    mode: str = "bold"
    link_prefix: str = "/terms/"
    id_prefix: str = "gl-"
    notes_title: str = "本文术语"
    max_links: int = DEFAULT_MAX_LINKS

    def __post_init__(self):
        check_mode(self.mode)
        check_max_links(self.max_links)


def check_mode(mode) -> str:
    """Return `mode` if it is one of MODES.

    Raises:
        ValueError: Naming the modes there are.
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
    return mode


def check_max_links(value) -> int:
    """Return `value` if it is a whole number of links, 0 or more.

    Raises:
        ValueError: Saying what a limit looks like.
    """
    if type(value) is not int or value < 0:
        raise ValueError(f"max_links must be a whole number, 0 or more (0: no limit), not {value!r}")
    return value


class Annotator:
    """Annotate one tree; create one per article."""

    def __init__(self, glossary: CompiledGlossary, options: Options):
        self.glossary = glossary
        self.options = options
        self.plain_mode = options.mode != "bold"
        self.changed = False
        self.undefined: dict[str, str] = {}
        self.glosses: list[Gloss] = []
        self.bolded: set[str] = set()
        self.slots: list[tuple] = []
        # Mentions in text order as the walk meets them: the index of a text
        # slot (its plain matches), a link already in the input (term id,
        # section), or a bold phrase that is a term (term, parent, index,
        # element, section).
        self.events: list[int | tuple] = []
        # Each slot's plain matches (start, end, term), in text order.
        self.matches: dict[int, list] = {}
        # Headings met so far: the section each slot and bold phrase is in.
        self.section = 0
        self.sections: list[int] = []
        self.notes = None
        self.defined: set[str] = set()
        self.link_attributes: dict[str, dict] = {}

    def run(self, root) -> list[TermCount]:
        """Annotate `root` in place and return the term counts in text order."""
        self._walk(root)
        if self.plain_mode and self.slots:
            self._find_plain()
        counts = self._count()
        self._link_mentions()
        self._add_definitions(root, counts)
        return counts

    # -- the walk: bold phrases, and text slots for plain matching ---------

    def _slot(self, parent, index: int) -> None:
        # index: the child whose tail the slot is, -1 for the parent's text.
        self.events.append(len(self.slots))
        self.slots.append((parent, index))
        self.sections.append(self.section)

    def _walk(self, parent) -> None:
        if self.plain_mode and parent.text:
            self._slot(parent, -1)
        # Bold phrases are wrapped only after the walk (see _link_mentions),
        # so the children can be walked without copying the list.
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
                    self.events.append((child.get("data-term"), self.section))
                elif tag in BOLD:
                    self._bold(parent, index, child)
                elif tag in HEADINGS:
                    self.section += 1
                elif tag not in SKIP:
                    self._walk(child)
            # Whitespace-only tails (the newlines between blocks) hold no term.
            if self.plain_mode and child.tail and not child.tail.isspace():
                self._slot(parent, index)

    def _bold(self, parent, index: int, strong) -> None:
        """Note a bold phrase that is a term (linked once the limit is known); walk into any other."""
        if len(strong):
            inside = [el for el in strong.iter() if el is not strong and isinstance(el.tag, str)]
            if any(el.tag in SKIP and el.get("data-term") is None for el in inside):
                # A link or code inside: the phrase cannot become a link itself.
                self._walk(strong)
                return
            text = "".join(strong.itertext()).strip()
        else:
            # Most bold phrases are bare text: no iterators to build (bold
            # walk on the dense bench articles, bench/README.md, issue 14).
            inside = ()
            text = (strong.text or "").strip()
        if not text:
            return
        gloss = _gloss_after(parent, index, strong)
        if gloss:
            self.glosses.append(Gloss(text, *gloss))
        key = normalize_key(text)
        term = self.glossary.by_key.get(key)
        if term is None or any(el.get("data-term") is not None for el in inside):
            if term is None:
                self.undefined.setdefault(key, text)
            self._walk(strong)
            return
        self.bolded.add(term.id)
        self.events.append((term, parent, index, strong, self.section))

    def _wrap_bold(self, term: Term, parent, index: int, strong) -> None:
        # makeelement copies the dict.
        link = parent.makeelement("a", self.link_attributes.get(term.id) or self._link_attributes(term))
        link.tail, strong.tail = strong.tail, None
        parent[index] = link
        link.append(strong)
        self.changed = True

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

    def _find_plain(self) -> None:
        self.texts = texts = [(p.text if i < 0 else p[i].tail) for p, i in self.slots]
        matcher = self.glossary.matcher
        folded, offsets = matcher.fold(SEPARATOR.join(texts))
        first_only = self.options.mode == "first"
        bolded = self.bolded
        # Matches and slots are both in text order: one merge assigns each
        # match to its slot.
        groups = self.matches
        slot, base, size = 0, 0, len(texts[0])
        # Slots only move forward, so the current slot's list is kept at
        # hand rather than looked up per match (Python work per match: 3,900
        # matches on the dense 300 KB bench article, bench/README.md).
        grouped, matches = -1, None
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
            if grouped != slot:
                grouped, matches = slot, []
                groups[slot] = matches
            matches.append((start - base, end - base, term))

    def _link_mentions(self) -> None:
        """Link the mentions the limit allows, in text order; the rest stay text."""
        limit = self.options.max_links
        linked: dict[str, int] = {}
        sections: set[tuple[str, int]] = set()

        def allowed(term_id: str, section: int) -> bool:
            if limit and (linked.get(term_id, 0) >= limit or (term_id, section) in sections):
                return False
            linked[term_id] = linked.get(term_id, 0) + 1
            sections.add((term_id, section))
            return True

        chosen: dict[int, list] = {}
        for event in self.events:
            if type(event) is int:
                matches = self.matches.get(event)
                if matches:
                    section = self.sections[event]
                    kept = [m for m in matches if allowed(m[2].id, section)] if limit else matches
                    if kept:
                        chosen[event] = kept
            elif len(event) == 2:
                # Linked already (annotated input): it stays, and counts.
                term_id, section = event
                linked[term_id] = linked.get(term_id, 0) + 1
                sections.add(event)
            else:
                term, parent, index, strong, section = event
                if allowed(term.id, section):
                    self._wrap_bold(term, parent, index, strong)
        # Bold phrases are wrapped first, in place: no index moves. Then the
        # last slot first: inserting after a child leaves the indices of
        # every slot still to come unchanged.
        for slot in sorted(chosen, reverse=True):
            self._split(self.slots[slot], self.texts[slot], chosen[slot])

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
        # Every mention the mode finds, linked or left as text by the limit.
        counts: dict[str, int] = {}
        for event in self.events:
            if type(event) is int:
                for _, _, term in self.matches.get(event, ()):
                    counts[term.id] = counts.get(term.id, 0) + 1
            else:
                term_id = event[0] if len(event) == 2 else event[0].id
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
    lead = pieces[0].lstrip()
    if lead and lead[0] not in OPENERS:
        # parse_gloss would refuse it: no opener first. Without this, every
        # bold phrase not followed by a gloss joined the text of the
        # siblings after it (up to GLOSS_SCAN_LIMIT). On the dense 300 KB
        # bench article (8 bold terms per 1,000 characters) this and the
        # bare-phrase path in _bold took 24% off the annotator in bold
        # mode (bench/README.md, issue 14).
        return None
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
