"""The glossary as SKOS concepts, in Turtle or JSON-LD.

Each term is a `skos:Concept` at `<BASE><id>` in the scheme `<BASE>` (without
its final `/`, `#` or `:`):

| terms.yaml | SKOS |
|---|---|
| id | the URI, and `skos:notation` |
| term | `skos:prefLabel` @zh |
| en | `skos:prefLabel` @en |
| aliases | `skos:altLabel` @zh (articles write them in Chinese text); @ its regions (zh-TW) if regional |
| deprecated aliases | `skos:hiddenLabel` @zh |
| definition | `skos:definition` @zh |
| see_also | `skos:related` |
| tags | `dcterms:subject` (plain literals) |
| pinyin | `skos:hiddenLabel` @zh-Latn-pinyin (found by search, never shown) |
| as_of | `dcterms:modified`, an `xsd:date`: when the definition was last checked |
| sources | `dcterms:source`, each URL an IRI |
| history | `skos:historyNote` @zh, one per earlier version: its period, then its definition |
"""

from __future__ import annotations

import json
import re

from ...core.model import Glossary, Term
from ...core.versions import Period

SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
DEFAULT_BASE = "urn:glossary:"
PINYIN_LANG = "zh-Latn-pinyin"
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def check_base(base: str) -> str:
    """Return `base` if concept URIs can be made by appending an id to it.

    Raises:
        ValueError: It is not an absolute IRI, or holds characters an IRI cannot.
    """
    if not _SCHEME.match(base) or _IRI_FORBIDDEN.search(base):
        raise ValueError(f"base URI {base!r} must be an absolute IRI without spaces or <>\"{{}}|^`\\, "
                         "e.g. https://example.com/terms/")
    return base


def scheme_uri(base: str) -> str:
    """Return the concept scheme's URI for a base URI."""
    return base.rstrip("/#:") or base


def turtle(glossary: Glossary, base: str = DEFAULT_BASE, lang: str = "zh", en_lang: str = "en") -> str:
    """Return the glossary as SKOS in Turtle.

    Args:
        glossary: The terms.
        base: Prefix of each concept's URI; the term id is appended.
        lang: Language tag of headwords, aliases and definitions.
        en_lang: Language tag of each term's `en` name.

    Raises:
        ValueError: A base URI that cannot prefix URIs.
    """
    check_base(base)
    scheme = scheme_uri(base)
    lines = [
        f"@prefix skos: <{SKOS}> .",
        f"@prefix dcterms: <{DCTERMS}> .",
        "",
        f"<{scheme}> a skos:ConceptScheme .",
    ]
    for term in glossary:
        statements = [("a", ["skos:Concept"]), ("skos:inScheme", [f"<{scheme}>"])]
        for predicate, objects in _properties(term, base, lang, en_lang):
            statements.append((predicate, [_turtle_object(o) for o in objects]))
        lines.append("")
        lines.append(f"<{base}{term.id}>")
        for i, (predicate, objects) in enumerate(statements):
            end = " ." if i == len(statements) - 1 else " ;"
            lines.append(f"    {predicate} {', '.join(objects)}{end}")
    return "\n".join(lines) + "\n"


def jsonld(glossary: Glossary, base: str = DEFAULT_BASE, lang: str = "zh", en_lang: str = "en") -> str:
    """Return the glossary as SKOS in JSON-LD (the same graph as `turtle`).

    Raises:
        ValueError: A base URI that cannot prefix URIs.
    """
    check_base(base)
    scheme = scheme_uri(base)
    graph: list[dict] = [{"@id": scheme, "@type": "skos:ConceptScheme"}]
    for term in glossary:
        node: dict = {"@id": f"{base}{term.id}", "@type": "skos:Concept", "skos:inScheme": {"@id": scheme}}
        for predicate, objects in _properties(term, base, lang, en_lang):
            node[predicate] = [_jsonld_object(o) for o in objects]
        graph.append(node)
    document = {"@context": {"skos": SKOS, "dcterms": DCTERMS}, "@graph": graph}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _properties(term: Term, base: str, lang: str, en_lang: str) -> list[tuple[str, list]]:
    """Return (predicate, objects) pairs; an object is ("iri", uri), ("text", value, lang) or ("plain", value)."""
    labels = [("text", term.term, lang)] + ([("text", term.en, en_lang)] if term.en else [])
    found = [("skos:notation", [("plain", term.id)]), ("skos:prefLabel", labels)]
    given = {v.form: v for v in term.variants}
    alternative, hidden = [], []
    for alias in term.aliases:
        variant = given.get(alias)
        if variant is not None and variant.status == "deprecated":
            hidden.append(("text", alias, lang))  # found by search, never shown
        elif variant is not None and variant.regions:
            # A regional form carries its region's language tag.
            alternative.extend(("text", alias, region) for region in variant.regions)
        else:
            alternative.append(("text", alias, lang))
    if alternative:
        found.append(("skos:altLabel", alternative))
    if term.pinyin:
        hidden.append(("text", term.pinyin, PINYIN_LANG))
    if hidden:
        found.append(("skos:hiddenLabel", hidden))
    found.append(("skos:definition", [("text", term.definition, lang)]))
    if term.see_also:
        found.append(("skos:related", [("iri", f"{base}{other}") for other in term.see_also]))
    if term.tags:
        found.append(("dcterms:subject", [("plain", tag) for tag in term.tags]))
    if term.as_of:
        found.append(("dcterms:modified", [("typed", term.as_of.isoformat(), XSD_DATE)]))
    if term.sources:
        found.append(("dcterms:source", [("iri", source.url) for source in term.sources]))
    if term.history:
        found.append(("skos:historyNote", [("text", _history_note(p), lang) for p in term.periods()[1:]]))
    return found


def _history_note(period: Period) -> str:
    days = f"{period.start.isoformat()} 至 {period.until.isoformat()}" if period.start \
        else f"至 {period.until.isoformat()}"
    note = f"（{period.note}）" if period.note else ""
    sources = "".join(f" 来源：{s.url}" for s in period.sources)
    return f"{days}{note}：{period.definition}{sources}"


def _turtle_object(value: tuple) -> str:
    if value[0] == "iri":
        return f"<{value[1]}>"
    if value[0] == "typed":
        return f"{_turtle_string(value[1])}^^<{value[2]}>"
    literal = _turtle_string(value[1])
    return f"{literal}@{value[2]}" if value[0] == "text" else literal


def _jsonld_object(value: tuple) -> dict | str:
    if value[0] == "iri":
        return {"@id": value[1]}
    if value[0] == "text":
        return {"@value": value[1], "@language": value[2]}
    if value[0] == "typed":
        return {"@value": value[1], "@type": value[2]}
    return value[1]


_TURTLE_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _turtle_string(text: str) -> str:
    out = []
    for char in text:
        if char in _TURTLE_ESCAPES:
            out.append(_TURTLE_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F or 0xD800 <= ord(char) <= 0xDFFF:
            # Controls as escapes; a lone surrogate cannot be encoded at all.
            out.append("\\uFFFD" if ord(char) >= 0xD800 else f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
