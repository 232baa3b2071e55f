"""Annotate a whole HTML page: beautifulsoup4 over lxml keeps the page, the body is annotated.

A page from an authoring tool (a CMS export, a static site's output, a saved
web page) is a document, not a fragment: a doctype, a head with scripts,
styles and conditional comments, a declared encoding, and often broken
markup. beautifulsoup4 with the lxml parser decodes it (byte order mark,
`<meta charset>`, `<meta http-equiv>`), parses it as browsers would, and
serialises it back with its head as it was; the content of the body (or of
the element a selector names) goes through `annotate_html`, and the
annotated nodes take its place in bs4's tree.

bs4 is imported when a page is annotated, not with this module: syncing,
serving and linting articles never need it (issue 14).
"""

from __future__ import annotations

import functools
import re
from collections import ChainMap
from dataclasses import dataclass, fields

import lxml.etree
import lxml.html

from ..core.annotation import Annotation, TermCount
from ..core.compiled import CompiledGlossary
from ..core.explanation import Explanation
from ..core.model import Glossary
from ..core.options import Options, check_mode
from .depth import MAX_DEPTH, NestingError
from .htmltree import annotate_html

# WHATWG Encoding labels that Python's codec of the same name decodes less of
# than browsers do: Chinese pages labelled gb2312 are GBK in practice, and
# browsers decode gb2312, gbk and x-gbk with the gb18030 decoder (a
# superset); latin-1 and ascii labels are read as windows-1252.
_READ_AS = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "csgb2312": "gb18030",
    "chinese": "gb18030", "iso-ir-58": "gb18030", "csiso58gb231280": "gb18030",
    "iso-8859-1": "windows-1252", "iso8859-1": "windows-1252", "latin1": "windows-1252",
    "l1": "windows-1252", "us-ascii": "windows-1252", "ascii": "windows-1252",
}
# A page read with the superset is written in the declared family: GBK's
# bytes, and a character reference for a character GBK lacks (a definition's
# ©), not one of gb18030's four-byte sequences, which a strict GBK decoder
# rejects (browsers' encoder for a GBK page does the same).
_WRITE_AS = {"gb18030": "gbk"}

# The doctype, after what may come before it (a byte order mark, an XML
# declaration, comments), and the whitespace written after it. Anchored, so
# that a page of a thousand unclosed "<!doctype"s is read once.
_DOCTYPE_SPACING = re.compile(r"\A\ufeff?\s*(?:<\?[^>]*>\s*)?(?:<!--.*?-->\s*)*<!doctype[^>]*>(\s*)",
                              re.IGNORECASE | re.DOTALL)

# libxml2 reads these attributes written without a value (<script defer>) as
# name="name", and writes them back without one: so are they here.
_LIBXML2_BOOLEAN = frozenset({
    "checked", "compact", "declare", "defer", "disabled", "ismap", "multiple", "nohref", "noresize", "noshade",
    "nowrap", "readonly", "selected",
})


@dataclass
class DocumentAnnotation(Annotation):
    """An annotated page: `html` is the whole page (bytes in, bytes out), `encoding` the codec of those bytes."""

    html: str | bytes
    encoding: str | None = None


def annotate_document(
    page: str | bytes, glossary: Glossary | CompiledGlossary, mode: str = "bold", *, selector: str | None = None,
    **options
) -> DocumentAnnotation:
    """Annotate the glossary terms in the body of a whole HTML page.

    The doctype, the `<html>` element's attributes, the whole `<head>` and
    the declared encoding are kept; only the content of the body, or of the
    elements `selector` names, is annotated, and each gets its definitions
    block at its end. Broken markup is read as browsers read it (content
    outside `<body>` or after `</html>` belongs to the body). When nothing
    is annotated the page is returned as it came, the same object.

    Args:
        page: The page. Bytes are decoded as a browser would (byte order
            mark, then `<meta charset>` or `<meta http-equiv>`, then
            detection) and the result is encoded the same way, byte order
            mark and declaration untouched; str comes back as str.
        glossary: The terms to annotate; a Glossary is compiled once for the
            call (hold a CompiledGlossary to compile it once for many pages).
        mode: "bold", "first" or "all" (see annotate_markdown).
        selector: A CSS selector (e.g. "article", "main", "#content"):
            annotate the content of each element in the body it matches
            (the outermost ones), and nothing else; the page is returned
            unchanged when none matches. None: the whole body.
        **options: link_prefix, id_prefix, notes_title, max_links and the
            other options of `annotate_html`. A second and later selected
            element gets `id_prefix` + "2-", "3-", ..., so that the
            definitions' ids stay unique in the page.

    Returns:
        The DocumentAnnotation: `html` the page (str or bytes, as given),
        `encoding` the codec of those bytes (None for str; "gbk" for a page
        declared gb2312 or gbk, which is read as gb18030, as browsers do, and
        written in GBK with character references for what GBK lacks), the
        term counts summed over the annotated elements, meta empty.

    Raises:
        TypeError: `page` is neither str nor bytes.
        ValueError: Unknown mode or option, or `selector` is not a CSS selector.
        NestingError: (a ValueError) The content to annotate nests more than
            MAX_DEPTH elements deep (libxml2 would drop the deeper part).
    """
    if not isinstance(page, str | bytes):
        raise TypeError(f"a page is str or bytes, not {type(page).__name__}")
    # A bad mode or selector fails before any parsing; options, when there is content.
    check_mode(mode)
    compiled = _compile(selector)
    soup, encoding = _parse(page)
    compiled_glossary = None
    results, changed = [], False
    for number, target in enumerate(_targets(soup, compiled), 1):
        _check_depth(target)
        inner = target.decode_contents(formatter=_formatter())
        own = dict(options)
        if number > 1:
            own["id_prefix"] = f"{options.get('id_prefix', Options.id_prefix)}{number}-"
        compiled_glossary = compiled_glossary or CompiledGlossary.of(glossary)
        result = annotate_html(inner, compiled_glossary, mode, **own)
        results.append(result)
        if result.html != inner:
            _replace_content(soup, target, result.html)
            changed = True
    if not changed:
        # What was found is still reported (bold phrases that are not terms, an explanation).
        return _combined(page, encoding, results) if results else DocumentAnnotation(html=page, encoding=encoding)
    text = soup.decode(formatter=_formatter())
    if isinstance(page, bytes):
        text = _bom(page) + text.encode(encoding, "xmlcharrefreplace")
    return _combined(text, encoding, results)


def _parse(page: str | bytes):
    """Return the page parsed by bs4 over lxml, and the codec to write it back with (None for str)."""
    from bs4 import BeautifulSoup
    from bs4.dammit import EncodingDetector, UnicodeDammit

    encoding = None
    if isinstance(page, bytes):
        # Decoded here, with Python's codecs, rather than by libxml2: a page
        # its declared codec cannot decode then falls back to the next
        # candidate instead of coming out empty.
        rest, bom_encoding = EncodingDetector.strip_byte_order_mark(page)
        declared = None if bom_encoding else EncodingDetector.find_declared_encoding(rest, is_html=True)
        read = _READ_AS.get(declared, declared)
        dammit = UnicodeDammit(page, known_definite_encodings=[read] if read else [], is_html=True)
        text, encoding = dammit.unicode_markup, dammit.original_encoding
        if encoding == read != declared:
            encoding = _WRITE_AS.get(read, read)
    else:
        text = page
    # Attribute values as written: no class lists, which bs4 would join
    # again with single spaces. Whitespace as written: bs4 shortens
    # whitespace-only strings to one character outside the tags that
    # preserve it, and <html> holds the whole page.
    soup = BeautifulSoup(
        text, "lxml", multi_valued_attributes=None, preserve_whitespace_tags={"html", "pre", "textarea"})
    _keep_declarations(soup)
    _keep_doctype_spacing(soup, text)
    return soup, encoding


def _keep_declarations(soup) -> None:
    """Keep the page's encoding declarations and XML declaration as written."""
    from bs4.element import AttributeValueWithCharsetSubstitution, Comment, ProcessingInstruction

    # bs4 rewrites <meta charset> and http-equiv's charset to the codec it
    # serialises to (utf-8 for str): the declaration stays the page's own.
    for meta in soup.find_all("meta"):
        for name, value in meta.attrs.items():
            if isinstance(value, AttributeValueWithCharsetSubstitution):
                meta.attrs[name] = str(value.original_value)
    # An XHTML page's <?xml ...?> reaches the tree as a comment (HTML parsers
    # read it so); it is written back as it was.
    first = soup.contents[0] if soup.contents else None
    if isinstance(first, Comment) and first.startswith("?xml") and first.endswith("?"):
        first.replace_with(ProcessingInstruction(str(first)[1:]))


def _keep_doctype_spacing(soup, text: str) -> None:
    """Write the whitespace after the doctype as the page has it, none for none."""
    from bs4.element import Doctype, NavigableString

    # bs4 writes a doctype with one line break after it, and lxml has
    # dropped the whitespace the page had there.
    doctype = next((node for node in soup.contents if isinstance(node, Doctype)), None)
    written = _DOCTYPE_SPACING.match(text)
    if doctype is None or written is None:
        return
    bare = _bare_doctype()(str(doctype))
    doctype.replace_with(bare)
    if written.group(1):
        bare.insert_after(NavigableString(written.group(1)))


@functools.cache
def _bare_doctype():
    """Return the class of a doctype written with nothing after it."""
    from bs4.element import Doctype

    class BareDoctype(Doctype):
        SUFFIX = ">"

    return BareDoctype


def _body(soup):
    """Return the page's body with whatever the parser left outside it moved in (None without a body)."""
    from bs4.element import NavigableString, Tag

    body = soup.body
    if body is None:
        return None

    def stray(node) -> bool:
        return isinstance(node, Tag) or (type(node) is NavigableString and not node.isspace())

    def up_to_last_stray(nodes: list) -> list:
        # The whitespace and comments between stray nodes go with them;
        # those after the last stay where they are.
        last = max((i for i, node in enumerate(nodes) if stray(node)), default=-1)
        return nodes[: last + 1]

    # Browsers put content after </body> or </html> at the end of the body;
    # libxml2 leaves it after the body, or in a second <html> after the first.
    body.extend([node.extract() for node in up_to_last_stray(list(body.next_siblings))])
    page = body.find_parent("html") or body.parent
    for node in up_to_last_stray(list(page.next_siblings)) if page is not soup else ():
        if isinstance(node, Tag) and node.name == "html":
            for child in list(node.contents):
                if isinstance(child, Tag) and child.name in ("head", "body"):
                    body.extend([grandchild.extract() for grandchild in list(child.contents)])
                else:
                    body.append(child.extract())
            node.decompose()
        else:
            body.append(node.extract())
    return body


def _compile(selector: str | None):
    """Return `selector` compiled by soupsieve (None for None).

    Raises:
        ValueError: It is not a CSS selector.
    """
    if selector is None:
        return None
    import soupsieve

    try:
        return soupsieve.compile(selector)
    except soupsieve.SelectorSyntaxError as exc:
        raise ValueError(f"selector {selector!r} is not a CSS selector: {str(exc).splitlines()[0]}") from None


def _targets(soup, selector) -> list:
    """Return the elements whose content is annotated: the body, or the outermost ones `selector` matches in it."""
    body = _body(soup)
    if body is None or selector is None:
        return [] if body is None else [body]
    from bs4.element import Tag

    # An element inside another selected one is annotated with it, once, so
    # the walk does not enter a match: on a page whose article holds most of
    # its elements, most are never matched (soupsieve's matching is the
    # cost of a selector).
    chosen, stack = [], [body]
    while stack:
        element = stack.pop()
        if selector.match(element):
            chosen.append(element)
        else:
            stack.extend(reversed([child for child in element.contents if isinstance(child, Tag)]))
    return chosen


def _check_depth(target) -> None:
    """Raise NestingError if elements nest more than MAX_DEPTH deep under `target`."""
    from bs4.element import Tag

    # The fragment parser annotate_html uses drops what lies deeper than
    # 255 levels: refused before any of the page could be lost.
    stack = [(target, 0)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise NestingError(f"the page nests more than {MAX_DEPTH} elements deep; at most {MAX_DEPTH} are supported")
        stack.extend((child, depth + 1) for child in element.contents if isinstance(child, Tag))


def _replace_content(soup, target, html: str) -> None:
    """Make the annotated fragment `html` the content of `target`, as bs4 nodes."""
    from bs4.element import NavigableString

    holder = lxml.html.fragment_fromstring(html, create_parent="div")
    first = target.contents[0] if target.contents else None
    target.clear()
    nodes = _nodes(soup, holder)
    # The fragment parser drops the whitespace an element's content opens
    # with (the line break after <body>): it is kept.
    opens_with_space = bool(nodes) and type(nodes[0]) is NavigableString and nodes[0][:1].isspace()
    if type(first) is NavigableString and first.isspace() and not opens_with_space:
        nodes.insert(0, first)
    target.extend(nodes)


def _nodes(soup, element) -> list:
    """Return bs4 nodes for the content of the lxml element `element` (its text, children and their tails)."""
    from bs4.element import Comment, NavigableString, ProcessingInstruction

    nodes = [NavigableString(element.text)] if element.text else []
    for child in element:
        if child.tag is lxml.etree.Comment:
            nodes.append(Comment(child.text or ""))
        elif child.tag is lxml.etree.ProcessingInstruction:
            nodes.append(ProcessingInstruction(f"{child.target} {child.text or ''}".rstrip()))
        elif isinstance(child.tag, str):
            attrs = {k: "" if k == v and k in _LIBXML2_BOOLEAN else v for k, v in child.attrib.items()}
            tag = soup.new_tag(child.tag, attrs=attrs)
            # libxml2 nests no deeper than 256 elements: recursion is bounded.
            tag.extend(_nodes(soup, child))
            nodes.append(tag)
        if child.tail:
            nodes.append(NavigableString(child.tail))
    return nodes


@functools.cache
def _formatter():
    """Return the formatter pages are written with: HTML, attributes in their order, &nbsp; as written."""
    from bs4.dammit import EntitySubstitution
    from bs4.formatter import HTMLFormatter

    def substitute(text: str) -> str:
        # bs4's "minimal" rules; a no-break space stays visible in the source.
        return EntitySubstitution.substitute_xml(text).replace("\xa0", "&nbsp;")

    class PageFormatter(HTMLFormatter):
        def attributes(self, tag):
            # bs4 sorts attributes by default; a page keeps its own order.
            return [(k, None if v == "" else v) for k, v in (tag.attrs or {}).items()]

    return PageFormatter(entity_substitution=substitute, void_element_close_prefix="")


def _bom(page: bytes) -> bytes:
    """Return the byte order mark `page` opens with (b"" without one)."""
    from bs4.dammit import EncodingDetector

    rest, _ = EncodingDetector.strip_byte_order_mark(page)
    return page[: len(page) - len(rest)]


def _explained(results: list[Annotation]) -> Explanation | None:
    """Return the explanations of several elements, one after the other (None when none was asked for)."""
    if results[0].explanation is None:
        return None
    combined = Explanation()
    for result in results:
        combined.extend(result.explanation)
    return combined


def _combined(html: str | bytes, encoding: str | None, results: list[Annotation]) -> DocumentAnnotation:
    """Return one annotation for the page from those of its annotated elements.

    With several elements, the terms' counts are summed and the rest is
    listed element after element; positions count from the start of each
    element's own text.
    """
    found = {f.name: getattr(results[0], f.name) for f in fields(Annotation)}
    if len(results) > 1:
        counts: dict[str, TermCount] = {}
        for result in results:
            for count in result.terms:
                seen = counts.get(count.id)
                counts[count.id] = count if seen is None else count._replace(count=seen.count + count.count)
        found.update(
            terms=list(counts.values()),
            undefined=list(dict.fromkeys(text for result in results for text in result.undefined)),
            glosses=[gloss for result in results for gloss in result.glosses],
            occurrences=[occurrence for result in results for occurrence in result.occurrences],
            bold_phrases=[phrase for result in results for phrase in result.bold_phrases],
            # The first element's sentence for a term found in several.
            snippets=ChainMap(*(result.snippets for result in results)),
            explanation=_explained(results),
        )
    found.update(html=html)
    return DocumentAnnotation(**found, encoding=encoding)
