"""Serialise Python-Markdown's tree as its own serialiser does, writing an annotator's plan on the way.

`to_html(root, plan)` gives what `markdown.serializers.to_html_string`
gives for `root` after `plan.apply(root)`, without building the plan's
elements: a link costs a few string appends instead of an element to make,
insert and serialise, and each definition in the notes is rendered once
per term and options, then reused (the time per annotation on dense
articles, bench/README.md, issue 14).
"""

from __future__ import annotations

from functools import lru_cache
from xml.etree.ElementTree import HTML_EMPTY, Element

from markdown.serializers import BOOLEAN_ATTRIBUTES, RE_AMP, to_html_string

from ..core.definitions import prepare_definitions
from ..core.model import Term
from ..core.options import Options
from ..core.plan import Plan, definition_entry, described_by, link_attributes, notes_title
from ..core.variants import Heading
from ..core.versions import Period
from .settled import settled_characters, settled_tree

_BOOLEAN = BOOLEAN_ATTRIBUTES["html"]
_RAW_TEXT = frozenset({"script", "style"})


class _UnusualTreeError(Exception):
    """A tree this serialiser leaves to Python-Markdown's: comments, namespaces, very deep nesting."""


def escape_text(text: str) -> str:
    """Escape text as Python-Markdown does: `&` only where it does not start an entity."""
    if "&" in text:
        text = RE_AMP.sub("&amp;", text)
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _escape_attribute(value: str) -> str:
    value = escape_text(value)
    return value.replace('"', "&quot;") if '"' in value else value


def start_tag(tag: str, attrib: dict) -> str:
    """Return the start tag Python-Markdown writes for `tag` with `attrib` (attributes in lexical order)."""
    if not attrib:
        return f"<{tag}>"
    parts = [f"<{tag}"]
    for name, value in sorted(attrib.items()):
        if value is None:
            parts.append(f" {name}")
            continue
        value = _escape_attribute(value)
        parts.append(f" {value}" if name == value and name in _BOOLEAN else f' {name}="{value}"')
    parts.append(">")
    return "".join(parts)


def to_html(root, plan: Plan | None = None) -> str:
    """Serialise `root` and its content as `to_html_string` would once `plan` is applied.

    Args:
        root: A Python-Markdown (ElementTree) tree, not changed unless the
            plan adds to a definitions block the tree already holds.
        plan: What an Annotator decided for this tree, or None.

    Returns:
        The HTML, `root`'s own tags included.
    """
    return write_html(root, plan)[0]


def write_html(root, plan: Plan | None = None) -> tuple[str, bool, str]:
    """Serialise as `to_html` does; also tell whether the allow-list keeps the notes written, as written.

    Returns:
        (html, notes_settled, notes): notes_settled is False when a
        definition in the notes holds what the allow-list would change (see
        settled.py), True when all are settled or there are none; notes is
        their markup as written into html when it is settled, characters
        included (settled_markup need not read it again), else "".
    """
    if plan is not None and plan.applied:
        plan = None
    settled = True
    if plan is not None and plan.notes and plan.notes_into is not None:
        plan.add_notes(root)  # rare (a block written by hand): in the tree
        notes = None
    elif plan is not None and plan.notes:
        notes, settled = _notes_markup(plan)
    else:
        notes = None
    try:
        html = _Writer(plan).document(root, notes)
    except (_UnusualTreeError, RecursionError):
        if plan is not None:
            plan.apply(root, notes=notes is not None)
        return to_html_string(root), settled, ""
    return html, settled, notes if notes is not None and settled else ""


class _Writer:
    def __init__(self, plan: Plan | None):
        self.out: list[str] = []
        self.bold: dict[int, str] = {}
        self.texts: dict[int, tuple] = {}
        self.tails: dict[int, tuple] = {}
        self.link_tags: dict[str, str] = {}
        if plan is None:
            return
        self.link_prefix, self.id_prefix = plan.options.link_prefix, described_by(plan.options)
        for _, _, strong, term in plan.bold:
            self.bold[id(strong)] = self._link_tag(term)
        for parent, index, text, matches in plan.texts:
            if index < 0:
                self.texts[id(parent)] = (text, matches)
            else:
                self.tails[id(parent[index])] = (text, matches)

    def _link_tag(self, term: Term) -> str:
        tag = self.link_tags.get(term.id)
        if tag is None:
            tag = self.link_tags[term.id] = _link_tag(term.id, self.link_prefix, self.id_prefix)
        return tag

    def document(self, root, notes: str | None) -> str:
        write = self.out.append
        tag = root.tag
        if not isinstance(tag, str):
            raise _UnusualTreeError
        write(start_tag(tag, root.attrib))
        if root.text:
            self._text(root, root.text, self.texts)
        last = len(root) - 1
        for index, child in enumerate(root):
            if index == last and notes is not None and child.tail and not child.tail.strip():
                # As Plan.apply: the notes go before the whitespace that ends the article.
                self.element(child, tail=False)
                write(notes)
                write(escape_text(child.tail))
                notes = None
            else:
                self.element(child)
        if notes is not None:
            write(notes)
        if tag.lower() not in HTML_EMPTY:
            write(f"</{tag}>")
        if root.tail:
            write(escape_text(root.tail))
        return "".join(self.out)

    def element(self, element, tail: bool = True) -> None:
        write = self.out.append
        tag = element.tag
        if tag.__class__ is not str:
            raise _UnusualTreeError  # comments, processing instructions, QNames
        link = self.bold.get(id(element)) if self.bold else None
        if link is not None:
            write(link)
        write(start_tag(tag, element.attrib) if element.attrib else f"<{tag}>")
        text = element.text
        if text:
            if tag in _RAW_TEXT or tag.lower() in _RAW_TEXT:
                write(text)
            elif self.texts and id(element) in self.texts:
                self._text(element, text, self.texts)
            else:
                write(escape_text(text))
        for child in element:
            self.element(child)
        if tag.lower() not in HTML_EMPTY:
            write(f"</{tag}>")
        if link is not None:
            write("</a>")
        if tail and element.tail:
            if self.tails and id(element) in self.tails:
                self._text(element, element.tail, self.tails)
            else:
                write(escape_text(element.tail))

    def _text(self, element, text: str, table: dict) -> None:
        write = self.out.append
        entry = table.get(id(element))
        if entry is None:
            write(escape_text(text))
            return
        text, matches = entry
        tags = self.link_tags
        # Most text (Chinese prose) has nothing to escape: checked once for
        # the whole text, not for each piece around each link.
        escape = escape_text if ("&" in text or "<" in text or ">" in text) else str
        last = 0
        for start, end, term in matches:
            if start > last:
                write(escape(text[last:start]))
            tag = tags.get(term.id)
            write(tag if tag is not None else self._link_tag(term))
            write(escape(text[start:end]))
            write("</a>")
            last = end
        if last < len(text):
            write(escape(text[last:]))


@lru_cache(maxsize=8192)
def _link_tag(term_id: str, link_prefix: str, id_prefix: str | None) -> str:
    # Kept across articles (text only: no glossary kept alive).
    return start_tag("a", link_attributes(term_id, link_prefix, id_prefix))


def _notes_markup(plan: Plan) -> tuple[str, bool]:
    # The notes' markup, and whether every entry is settled (settled.py).
    options = plan.options
    title = notes_title(options)
    notes = [(term, plan.version(term)) for term in plan.notes]
    prepare_definitions([term.definition if version is None else version.definition for term, version in notes])
    # Keyed by strings, whose hashes Python keeps (a frozen dataclass
    # hashes and compares all its fields at each lookup); a dated term adds
    # the version it shows.
    prefix, links, linked = options.id_prefix, options.link_prefix, options.link_notes
    lang = options.lang
    headings = plan.headings
    entries = [_definition_markup_of(t.id, t.term, t.en, t.definition, prefix, links, linked, lang,
                                     headings.get(t.id) if headings else None, version)
               for t, version in notes]
    head = (start_tag("aside", {"data-glossary": "notes", "aria-label": title})
            + start_tag("p", {"data-glossary": "title"}) + escape_text(title) + "</p>"
            + start_tag("dl", {"data-glossary": "list"}))
    markup = head + "".join(entry for entry, _ in entries) + "</dl></aside>"
    return markup, settled_characters(head) and all(settled for _, settled in entries)


@lru_cache(maxsize=8192)
def _definition_markup_of(term_id: str, word: str, en: str | None, definition: str, id_prefix: str,
                          link_prefix: str, link_notes: bool, lang: str | None, heading: Heading | None,
                          version: Period | None) -> tuple[str, bool]:
    # Keyed by text and dates only (a Heading is a tuple of strings, a
    # Period of text and dates): the cache keeps no glossary alive. Returns
    # the markup, and whether the allow-list keeps it as written: its
    # elements and its characters (settled.py).
    term = Term(id=term_id, term=word, definition=definition, en=en)
    options = Options(id_prefix=id_prefix, link_prefix=link_prefix, link_notes=link_notes, lang=lang)
    writer = _Writer(None)
    entry = Element("dl")
    entry.extend(definition_entry(term, options, Element, heading, version))
    for element in entry:
        writer.element(element)
    markup = "".join(writer.out)
    return markup, settled_tree(entry) and settled_characters(markup)
