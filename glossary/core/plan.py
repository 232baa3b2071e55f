"""What an annotator decided to write, and the markup it writes: links, and the definitions block."""

from __future__ import annotations

from datetime import date

from .definitions import definition_elements
from .model import Term
from .options import Options
from .script import converter_for
from .variants import Heading
from .versions import Period, period_label


class Plan:
    """What an annotator decided to write into the tree it walked.

    `apply` writes it into that tree (ElementTree or lxml); a serialiser may
    instead write it while it serialises the unchanged tree
    (render.serialize), which spares building an element per link.

    Attributes:
        options: The options the links and notes are written with.
        bold: (parent, index, strong, term): a bold phrase to wrap in a link.
        texts: (parent, index, text, matches): a text to split into plain
            text and links, `index` -1 for the parent's text, else the
            child whose tail it is; matches are (start, end, term).
        notes: The terms whose definitions the article still needs.
        headings: How the notes head a term other than by its headword
            (core/variants.Heading), by term id.
        notes_into: The article's own definitions block, when it has one.
    """

    def __init__(self, options: Options, on: date | None = None):
        self.options = options
        # The article's date: the notes give the definitions in force then.
        self.on = on
        self.bold: list[tuple] = []
        self.texts: list[tuple] = []
        self.notes: list[Term] = []
        self.headings: dict[str, Heading] = {}
        self.notes_into = None
        # Once applied, the tree holds it: nothing is left to write.
        self.applied = False
        self._attributes: dict[str, dict] = {}

    @property
    def changed(self) -> bool:
        """Tell whether applying the plan would change the tree."""
        return not self.applied and bool(self.bold or self.texts or self.notes)

    def link_attributes(self, term: Term) -> dict:
        """Return the attributes of a link to `term` (shared: copy before changing)."""
        attrib = self._attributes.get(term.id)
        if attrib is None:
            attrib = self._attributes[term.id] = link_attributes(term.id, self.options.link_prefix,
                                                                 described_by(self.options))
        return attrib

    def apply(self, root, notes: bool = True) -> None:
        """Write the links (and, unless told not to, the notes) into `root`, the tree the annotator walked."""
        if self.applied:
            return
        self.applied = True
        for parent, index, strong, term in self.bold:
            # In place: no index moves. makeelement copies the dict.
            link = parent.makeelement("a", self.link_attributes(term))
            link.tail, strong.tail = strong.tail, None
            parent[index] = link
            link.append(strong)
        # Last first: inserting after a child leaves the indices of every
        # text still to come unchanged.
        for parent, index, text, matches in reversed(self.texts):
            self._split(parent, index, text, matches)
        if notes and self.notes:
            self.add_notes(root)

    def _split(self, parent, index: int, text: str, matches) -> None:
        make = parent.makeelement
        position = index + 1
        for i, (start, end, term) in enumerate(matches):
            link = make("a", self.link_attributes(term))
            link.text = text[start:end]
            link.tail = text[end:matches[i + 1][0] if i + 1 < len(matches) else None] or None
            parent.insert(position + i, link)
        head = text[: matches[0][0]] or None
        if index < 0:
            parent.text = head
        else:
            parent[index].tail = head

    def add_notes(self, root) -> None:
        """Add the definitions the article needs: to its own definitions block, else in a new one at its end."""
        if self.notes_into is None:
            _append_before_trailing_space(root, self.notes_block(root.makeelement))
            return
        listing = self.notes_into.find("dl")
        if listing is None:
            listing = self.notes_into.makeelement("dl", {"data-glossary": "list"})
            self.notes_into.append(listing)
        for term in self.notes:
            listing.extend(definition_entry(term, self.options, listing.makeelement, self.headings.get(term.id),
                                            self.version(term)))

    def version(self, term: Term) -> Period | None:
        """Return the version of `term`'s definition the notes give, None for an undated term's only one."""
        if not (term.history or term.as_of or term.sources):
            return None
        return term.in_force(self.on)

    def notes_block(self, make):
        """Return the definitions block for the plan's notes, built with the element factory `make`."""
        title = notes_title(self.options)
        notes = make("aside", {"data-glossary": "notes", "aria-label": title})
        heading = make("p", {"data-glossary": "title"})
        heading.text = title
        listing = make("dl", {"data-glossary": "list"})
        for term in self.notes:
            listing.extend(definition_entry(term, self.options, make, self.headings.get(term.id), self.version(term)))
        notes.append(heading)
        notes.append(listing)
        return notes


def notes_title(options: Options) -> str:
    """Return the heading of the definitions block, in Traditional characters for a Traditional-script `lang`."""
    convert = converter_for(options.lang)
    return convert(options.notes_title) if convert else options.notes_title


def link_attributes(term_id: str, link_prefix: str, id_prefix: str | None) -> dict:
    """Return the attributes of a link to a term: its page, its id, and the definition that describes it.

    Args:
        term_id: The term's id.
        link_prefix: The prefix of term pages.
        id_prefix: The prefix of the definitions' ids; None when the
            article has no definitions block (no `aria-describedby`).
    """
    if id_prefix is None:
        return {"href": link_prefix + term_id, "data-term": term_id}
    return {"href": link_prefix + term_id, "data-term": term_id, "aria-describedby": id_prefix + term_id}


def described_by(options: Options) -> str | None:
    """Return the id prefix links point `aria-describedby` at, None when the notes are left out."""
    return options.id_prefix if options.notes else None


def definition_entry(term: Term, options: Options, make, heading: Heading | None = None,
                     version: Period | None = None) -> tuple:
    """Return the <dt> and <dd> that define `term` in the notes, built with the element factory `make`.

    Args:
        term: The term.
        options: The notes' options; a Traditional-script `lang` converts
            headwords and definition (core/script.py).
        make: The element factory (ElementTree or lxml).
        heading: How this article heads the term (core/variants.heading):
            a regional form before the headword, 川普（特朗普）, or the
            spellings the article used after it, 特朗普（文中作：川普）.
        version: The version of the definition to give, with its dates and
            sources (`Term.in_force`); None gives the definition alone, as
            for a term without dates or sources.
    """
    # Lean markup: an article may carry hundreds of these, and each
    # element costs serialisation time.
    convert = converter_for(options.lang)
    word = heading.lead if heading else term.term
    after = ""
    if heading is not None:
        if heading.preferred:
            after = "（" + (convert(heading.preferred) if convert else heading.preferred) + "）"
        if heading.written:
            # As the article wrote them: not converted.
            after += "（文中作：" + "、".join(heading.written) + "）"
    if convert is not None:
        word = convert(word)
        if heading is not None and heading.preferred and after == f"（{word}）":
            after = ""  # the profile itself writes the headword so (特朗普 -> 川普 in s2twp)
    head = make("dt", {})
    if options.link_notes:
        # The list at the end leads to the term pages.
        link = make("a", {"href": options.link_prefix + term.id})
        link.text = word
        head.append(link)
        link.tail = (after + " " if term.en else after) or None
    else:
        head.text = word + after + " " if term.en else word + after
    if term.en:
        english = make("span", {"lang": "en"})
        english.text = term.en
        head.append(english)
    body = make("dd", {"id": options.id_prefix + term.id, "data-glossary": "definition", "data-for": term.id})
    definition = term.definition if version is None else version.definition
    body.text, elements = definition_elements(definition, make, convert)
    for element in elements:
        body.append(element)
    if version is not None:
        _date_definition(body, term, version, options, make, convert)
    return head, body


def _date_definition(body, term: Term, version: Period, options: Options, make, convert=None) -> None:
    """Add to a definition when it was true and where it comes from; for an earlier one, that it has changed."""
    convert = convert or str
    said = []
    if not version.current:
        said.append(convert(f"{period_label(version)} 的定义"))
    elif version.as_of:
        said.append(convert(f"核实于 {version.as_of.isoformat()}"))
    if not said and not version.sources:
        return
    dated = make("span", {"data-glossary": "dated"})
    dated.text = "（" + "；".join(said) + ("；" if said and version.sources else "")
    sources_said = convert("来源：")
    last = None
    for index, source in enumerate(version.sources):
        link = make("a", {"href": source.url, "rel": "noopener noreferrer"})
        link.text = source.label
        if index == 0:
            dated.text += sources_said
        else:
            last.tail = "、"
        dated.append(link)
        last = link
    if last is None:
        dated.text += "）"
    else:
        last.tail = "）"
    if body.text is None and not len(body):
        body.text = ""
    body.append(dated)
    if not version.current:
        changed = make("a", {"href": f"{options.link_prefix}{term.id}#history", "data-glossary": "changed"})
        changed.text = convert("此后定义已有变化")
        dated.tail = " "
        body.append(changed)


def _append_before_trailing_space(root, element) -> None:
    """Append `element` to `root`, keeping whitespace that ends `root` at the very end."""
    # So the text outside our elements stays exactly what it was.
    last = root[-1] if len(root) else None
    if last is not None and last.tail and not last.tail.strip():
        element.tail, last.tail = last.tail, None
    root.append(element)
