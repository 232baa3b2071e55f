"""Find glossary terms in an element tree (ElementTree or lxml) and decide their links.

The same engine serves Python-Markdown's tree and a parsed HTML fragment:
it only uses the ElementTree API (text, tail, attrib, makeelement).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import date
from itertools import accumulate, islice
from operator import itemgetter
from xml.etree import ElementTree

from .annotation import Annotation, BoldText, Gloss, Occurrence, Snippets, TermCount
from .compiled import CompiledGlossary
from .explanation import Explanation, Match, Miss, reason_inside
from .model import Term
from .normalize import SEPARATOR, normalize_key
from .options import Options
from .plan import Plan
from .variants import Heading, heading, not_in_around

BOLD = frozenset({"strong", "b"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# A mention's snippet is the sentence around it in the nearest of these.
BLOCKS = frozenset({"p", "li", "blockquote", "td", "th", "dd", "dt"})
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


class Annotator:
    """Find the terms of one tree and decide their links; create one per article.

    `run` walks the tree once and records everything it finds (the
    Annotation); the links and notes it decides on are its `plan`.
    """

    def __init__(self, glossary: CompiledGlossary, options: Options, on: date | None = None):
        self.glossary = glossary
        self.options = options
        # The article's date: which version of each definition is in force.
        self.on = on
        self.plan = Plan(options, on)
        self.plain_mode = options.mode != "bold"
        self.undefined: dict[str, str] = {}
        self.glosses: list[Gloss] = []
        self.bold_phrases: list[BoldText] = []
        self.bolded: set[str] = set()
        self.bold_keys: dict[str, tuple] = {}
        # Text slots for plain matching: (parent, index, offset, context),
        # index -1 for the parent's text, else the child whose tail it is;
        # offset: where the text starts in the article's text; context:
        # (block, where the block's text starts) for snippets.
        self.slots: list[tuple] = []
        self.texts: list[str] = []
        # Mentions in reading order as the walk meets them: the index of a
        # text slot (its plain matches), a link already in the input
        # (term id, section, position, text, bold, context), or a bold
        # phrase that is a term (term, parent, index, strong, section,
        # position, text, context).
        self.events: list[int | tuple] = []
        # The plain matches (start, end, term) in the slots' texts joined
        # by SEPARATOR, in text order, and where each slot starts there.
        self.found: list[tuple] = []
        self.offsets: list[int] | None = None
        self.bases: list[int] = []
        # Headings met so far: the section each slot and bold phrase is in.
        self.section = 0
        self.sections: list[int] = []
        # Characters of article text before the walk's position.
        self.offset = 0
        self.defined: set[str] = set()
        # explain mode: bold phrases not linked, and which occurrences were
        # links in the input (their rule is "linked").
        self.explain = options.explain
        self.misses: list[Miss] = []
        self.prelinked: set[int] = set()
        self.escaped_code = False

    def run(self, root) -> Annotation:
        """Walk `root` and decide its links (see `plan`); return what was found (html left empty).

        Args:
            root: The element whose content is the article; it is not changed.

        Returns:
            The Annotation: term counts, occurrences, bold phrases, glosses, snippets.
        """
        # Python-Markdown keeps code's text escaped in its tree (&gt;), and
        # its serialiser writes it as it is: a reader sees one character.
        self.escaped_code = isinstance(root, ElementTree.Element)
        self._walk(root, None, 0)
        if self.plain_mode and self.slots:
            self._find_plain()
        occurrences, snippets = self._link_mentions()
        counts = self._count(occurrences)
        missing = [self.glossary.by_id[c.id] for c in counts if c.id not in self.defined] if self.options.notes else []
        self.plan.notes = missing
        if missing:
            self.plan.headings = self._headings(missing, occurrences)
        return Annotation(html="", terms=counts, undefined=list(self.undefined.values()), glosses=self.glosses,
                          occurrences=occurrences, bold_phrases=self.bold_phrases, snippets=snippets,
                          explanation=self._explanation(occurrences) if self.explain else None)

    def _explanation(self, occurrences: list[Occurrence]) -> Explanation:
        """Return why each occurrence matched and why each bold phrase not linked was not."""
        plain = self.options.mode
        matches = [Match(o.text, normalize_key(o.text), o.term_id,
                         "linked" if index in self.prelinked else "bold" if o.bold else plain, o.linked, o.position)
                   for index, o in enumerate(occurrences)]
        nearest = self.glossary.nearest
        misses = [m._replace(nearest=nearest(m.key)) if m.reason == "not-a-term" else m for m in self.misses]
        # The walk met them in reading order, the link limit's later: sorted (stably) by position.
        misses.sort(key=lambda m: m.position)
        return Explanation(matches, misses)

    # -- the walk: bold phrases, and text slots for plain matching ---------

    def _walk(self, parent, block, block_start: int) -> None:
        start = self.offset
        if parent.tag in BLOCKS:
            block, block_start = parent, start
        # A mention outside any block takes its sentence from its parent.
        context = (block, block_start) if block is not None else (parent, start)
        text = parent.text
        if text:
            if self.plain_mode:
                self._slot(parent, -1, text, context)
            self.offset += len(text)
        for index, child in enumerate(parent):
            tag = child.tag
            if isinstance(tag, str):
                if child.get("data-glossary") is not None:
                    if child.get("data-glossary") == "notes":
                        self.plan.notes_into = child
                    self.defined.update(
                        el.get("data-for") for el in child.iter() if el.get("data-for")
                    )
                elif child.get("data-term") is not None:
                    self._linked(child, context)
                elif tag in BOLD:
                    self._bold(parent, index, child, block, block_start, context)
                elif tag in SKIP:
                    if tag in HEADINGS:
                        self.section += 1
                    if self.explain:
                        self._explain_inside(child)
                    self.offset += _rendered_length(child) if self.escaped_code else _text_length(child)
                else:
                    self._walk(child, block, block_start)
            tail = child.tail
            if tail:
                # Whitespace-only tails (the newlines between blocks) hold no term.
                if self.plain_mode and not tail.isspace():
                    self._slot(parent, index, tail, context)
                self.offset += len(tail)

    def _slot(self, parent, index: int, text: str, context) -> None:
        self.events.append(len(self.slots))
        self.slots.append((parent, index, self.offset, context))
        self.texts.append(text)
        self.sections.append(self.section)

    def _linked(self, link, context) -> None:
        """Note a link to a term already in the input (annotated markup): it stays, and counts."""
        term_id = link.get("data-term")
        text = "".join(link.itertext())
        bold = len(link) == 1 and link[0].tag in BOLD and not (link.text or "").strip()
        self.bolded.add(term_id)
        self.events.append((term_id, self.section, self.offset, text, bold, context))
        self.offset += len(text)

    def _bold(self, parent, index: int, strong, block, block_start: int, context) -> None:
        """Note a bold phrase that is a term (linked once the limit is known); walk into any other."""
        if len(strong):
            inside = [el for el in strong.iter() if el is not strong and isinstance(el.tag, str)]
            blocking = [el for el in inside if el.tag in SKIP and el.get("data-term") is None]
            if blocking:
                # A link or code inside: the phrase cannot become a link itself.
                if self.explain:
                    self._miss("".join(strong.itertext()), self.offset, reason_inside(blocking[0].tag),
                               element=blocking[0].tag)
                self._walk(strong, block, block_start)
                return
            written = "".join(strong.itertext())
        else:
            # Most bold phrases are bare text: no iterators to build (bold
            # walk on the dense bench articles, bench/README.md, issue 14).
            inside = ()
            written = strong.text or ""
        text = written.strip()
        if not text:
            self.offset += len(written)
            return
        tail = strong.tail
        # Most bold phrases have no gloss: the tail's first character says
        # so without a call (a third of this method's time, issue 14).
        gloss = None if tail and tail[0] not in OPENERS and not tail[0].isspace() else _gloss_after(
            parent, index, strong)
        if gloss:
            self.glosses.append(Gloss(text, *gloss))
        # An article bolds the same few phrases again and again: each is
        # folded once (bold mode on the dense bench articles, issue 14).
        known = self.bold_keys.get(text)
        if known is None:
            key = normalize_key(text)
            known = self.bold_keys[text] = (key, self.glossary.by_key.get(key))
        key, term = known
        if term is None or any(el.get("data-term") is not None for el in inside):
            if term is None:
                self.undefined.setdefault(key, text)
                self.bold_phrases.append(BoldText(text, self.offset + written.find(text)))
                if self.explain:
                    self.misses.append(Miss(text, key, self.offset + written.find(text), "not-a-term"))
            self._walk(strong, block, block_start)
            return
        if term.not_in:
            # 反**制裁**: inside a string the editors ruled out, not a mention.
            ruled_out = not_in_around(term, (parent.text if index == 0 else parent[index - 1].tail) or "",
                                      written, strong.tail or "")
            if ruled_out is not None:
                if self.explain:
                    self.misses.append(Miss(text, key, self.offset + written.find(text), "not-in", term.id,
                                            not_in=ruled_out))
                self.offset += len(written)
                return
        self.bolded.add(term.id)
        self.events.append((term, parent, index, strong, self.section, self.offset, written, context))
        self.offset += len(written)

    # -- explain mode: bold phrases the walk does not annotate -------------

    def _explain_inside(self, element) -> None:
        """Record each bold phrase inside `element`, an element the annotator never enters (explain mode)."""
        reason, tag = reason_inside(element.tag), element.tag
        at = self.offset

        escaped = self.escaped_code

        def visit(parent) -> None:
            nonlocal at
            at += _length_of_text(parent, escaped)
            for child in parent:
                if isinstance(child.tag, str):
                    if child.tag in BOLD:
                        written = "".join(child.itertext())
                        self._miss(written, at, reason, element=tag)
                        at += len(written)
                    else:
                        visit(child)
                at += len(child.tail or "")

        visit(element)

    def _miss(self, written: str, at: int, reason: str, element: str | None = None) -> None:
        """Record a bold phrase, written at `at`, that is not annotated for `reason` (explain mode)."""
        text = written.strip()
        if not text:
            return
        key = normalize_key(text)
        term = self.glossary.by_key.get(key)
        self.misses.append(Miss(text, key, at + written.find(text), reason, term.id if term else None, element))

    # -- plain-text mentions ---------------------------------------------

    def _find_plain(self) -> None:
        texts = self.texts
        matcher = self.glossary.matcher
        folded, self.offsets = matcher.fold(SEPARATOR.join(texts))
        self.found = matcher.find(folded)
        # Each slot's start in the joined text: its predecessors and their separators.
        self.bases = [0, *accumulate(len(text) + 1 for text in texts[:-1])]

    def _link_mentions(self) -> tuple[list[Occurrence], Snippets]:
        """Decide which mentions the limit lets link, in reading order; record every mention."""
        limit = self.options.max_links
        linked: dict[str, int] = {}
        # The section each term was last linked in: sections only grow in
        # reading order, so "linked in this section" is one lookup.
        linked_in: dict[str, int] = {}
        occurrences: list[Occurrence] = []
        record = occurrences.append
        # Where each term is first mentioned: (block, block start, position, length).
        first: dict[str, tuple] = {}
        plan = self.plan
        found, offsets, bases = self.found, self.offsets, self.bases
        new = tuple.__new__
        first_only = self.options.mode == "first"
        bolded = self.bolded
        # Matches and slots are both in text order: one merge assigns each
        # match to its slot while the limit is applied (one Python step per
        # match: 3,900 on the dense 300 KB bench article, bench/README.md).
        at, count = 0, len(found)
        for event in self.events:
            if type(event) is int:
                text = self.texts[event]
                base = bases[event]
                end_of_slot = base + len(text)
                kept = []
                _, _, offset, (block, block_start) = slot = self.slots[event]
                section = self.sections[event]
                while at < count:
                    start, end, term = found[at]
                    if offsets is not None:
                        start, end = offsets[start], offsets[end]
                    if start > end_of_slot:
                        break
                    at += 1
                    term_id = term.id
                    if first_only:
                        if term_id in bolded:
                            continue
                        bolded.add(term_id)
                    if end > end_of_slot:
                        continue  # across two texts: not a mention
                    start, end = start - base, end - base
                    if not limit:
                        ok = True
                    else:
                        times = linked.get(term_id, 0)
                        ok = times < limit and linked_in.get(term_id) != section
                        if ok:
                            linked[term_id] = times + 1
                            linked_in[term_id] = section
                    if ok:
                        kept.append((start, end, term))
                    # tuple.__new__: half the cost of the named tuple's own constructor.
                    record(new(Occurrence, (term_id, text[start:end], False, ok, offset + start)))
                    if term_id not in first:
                        first[term_id] = (block, block_start, offset + start, end - start)
                if kept:
                    plan.texts.append((slot[0], slot[1], text, kept))
            elif len(event) == 6:
                # Linked already (annotated input): it stays, and counts.
                term_id, section, position, text, bold, (block, block_start) = event
                linked[term_id] = linked.get(term_id, 0) + 1
                linked_in[term_id] = section
                if self.explain:
                    self.prelinked.add(len(occurrences))
                record(Occurrence(term_id, text, bold, True, position))
                first.setdefault(term_id, (block, block_start, position, len(text)))
            else:
                term, parent, index, strong, section, position, text, (block, block_start) = event
                term_id = term.id
                ok = not limit or (linked.get(term_id, 0) < limit and linked_in.get(term_id) != section)
                if ok:
                    linked[term_id] = linked.get(term_id, 0) + 1
                    linked_in[term_id] = section
                    plan.bold.append((parent, index, strong, term))
                stripped = text.strip()
                record(new(Occurrence, (term_id, stripped, True, ok, position + text.find(stripped))))
                if not ok and self.explain:
                    self.misses.append(Miss(stripped, normalize_key(stripped), position + text.find(stripped),
                                            "link-limit", term_id))
                if term_id not in first:
                    first[term_id] = (block, block_start, position, len(text))
        return occurrences, Snippets(first)

    def _headings(self, terms: list[Term], occurrences: list[Occurrence]) -> dict[str, Heading]:
        """Return how the notes head each of `terms` that has aliases (core/variants.heading), by term id."""
        with_aliases = {t.id: t for t in terms if t.aliases}
        if not with_aliases:
            return {}
        written: dict[str, list[str]] = {}
        # Each (term, spelling) once, in reading order, at C speed: the
        # dense bench article has thousands of occurrences and few spellings.
        for term_id, text in dict.fromkeys(map(itemgetter(0, 1), occurrences)):
            if term_id in with_aliases:
                written.setdefault(term_id, []).append(text)
        lang = self.options.lang
        found = {}
        for term_id, term in with_aliases.items():
            heading_of = heading(term, lang, written.get(term_id, ()))
            if heading_of is not None:
                found[term_id] = heading_of
        return found

    def _count(self, occurrences: list[Occurrence]) -> list[TermCount]:
        # Every mention the mode finds, linked or left as text by the limit.
        counts = Counter(map(itemgetter(0), occurrences))
        by_id = self.glossary.by_id
        found = []
        new = tuple.__new__
        for term_id, count in counts.items():
            term = by_id.get(term_id)
            if term is not None:
                version = term.in_force(self.on) if term.history and self.on is not None else None
                found.append(new(TermCount, (term_id, count, term.term, term.en,
                                             None if version is None or version.current else version)))
        return found


def _text_length(element) -> int:
    """Return the length of the text inside `element` (its tail left out)."""
    return sum(map(len, element.itertext()))


def _rendered_length(element) -> int:
    """Return the length of the text inside `element` (tail left out) as Python-Markdown's serialiser renders it."""
    # As ElementTree's itertext: a comment's text is not text, its tail is.
    if not isinstance(element.tag, str):
        return 0
    total = _length_of_text(element, True)
    for child in element:
        total += _rendered_length(child) + len(child.tail or "")
    return total


def _length_of_text(element, escaped: bool) -> int:
    """Return the length of `element.text` as readers see it; `escaped`: code's text holds entities (&gt;)."""
    text = element.text
    if not text:
        return 0
    return len(html.unescape(text)) if escaped and element.tag == "code" and "&" in text else len(text)


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
    siblings = _siblings_after(parent, index, strong) if not _closes(pieces[0]) else iter(())
    size = len(pieces[0])
    for sibling in siblings:
        if size > GLOSS_SCAN_LIMIT:
            break
        inner = "".join(sibling.itertext()) if isinstance(sibling.tag, str) else ""
        text = inner + (sibling.tail or "")
        pieces.append(text)
        size += len(text)
        if not lead:
            # The first text after the phrase decides, as above: a page of
            # bare bold terms (no text between) scanned ~500 siblings each.
            lead = text.lstrip()
            if lead and lead[0] not in OPENERS:
                return None
        if _closes(text):
            break
    return parse_gloss("".join(pieces))


def _siblings_after(parent, index: int, element):
    """Iterate over the siblings after `element`, the parent's child `index`, lazily."""
    # Slicing an lxml parent makes a proxy for every later sibling: for an
    # HTML page of 27,000 bold terms without tails (each scanned for a
    # gloss in the next siblings) that was quadratic, 400 s for 250 KB.
    later = getattr(element, "itersiblings", None)
    return later() if later is not None else islice(parent, index + 1, None)


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
