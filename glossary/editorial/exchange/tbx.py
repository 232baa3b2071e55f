"""The glossary as TBX (TermBase eXchange, ISO 30042:2019), TBX-Basic dialect, DCA style.

Each term is a `conceptEntry`:

    <conceptEntry id="entity-list">
      <descrip type="subjectField">export-control</descrip>       one per tag
      <ref type="crossReference" target="secondary-sanctions">二级制裁</ref>   one per see_also
      <langSec xml:lang="zh">
        <descrip type="definition">…</descrip>
        <termSec><term>实体清单</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
        <termSec><term>实体名单</term>                                one per alias
          <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termSec>
        <termSec><term>川普</term>                 an alias object: its status (deprecatedTerm-admn-sts
          <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote>   for a deprecated form),
          <termNote type="geographicalUsage">zh-TW</termNote>                       one per region,
          <note>台湾媒体常用</note></termSec>                                          its note
      </langSec>
      <langSec xml:lang="en"><termSec><term>Entity List</term>…</termSec></langSec>
    </conceptEntry>

A dated definition adds, at the concept, a `transacGrp` (transactionType
`modification` and its `date`) for the day each version came into force and
for its `as_of`; the definition becomes a `descripGrp` holding it and an
`<admin type="source">` per source (`title <url>`, or the URL); each earlier
version is a `note` in the zh section: its period, then its text.
"""

from __future__ import annotations

import re
from datetime import date

from lxml import etree

from ...core.model import Glossary, Term
from ...core.versions import Source
from ...render.htmltree import storable

NAMESPACE = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
DEPRECATED = "deprecatedTerm-admn-sts"
_NAME_START = re.compile(r"[A-Za-z_]")


def dumps(glossary: Glossary, source_lang: str = "zh", target_lang: str = "en") -> str:
    """Return the glossary as a TBX-Basic document.

    Args:
        glossary: The terms.
        source_lang: Language of headwords, aliases and definitions.
        target_lang: Language of each term's `en` name.

    Returns:
        The XML text, UTF-8 declared.
    """
    root = etree.Element(_q("tbx"), nsmap={None: NAMESPACE},
                         attrib={"type": "TBX-Basic", "style": "dca", XML_LANG: source_lang})
    header = _sub(root, "tbxHeader")
    description = _sub(_sub(header, "fileDesc"), "sourceDesc")
    _sub(description, "p", "Exported from terms.yaml by glossary")
    body = _sub(_sub(root, "text"), "body")
    for term in glossary:
        body.append(_concept(term, glossary, source_lang, target_lang))
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")


def concept_id(term_id: str) -> str:
    """Return the XML id of a term's concept entry (an id may not start with a digit)."""
    return term_id if _NAME_START.match(term_id) else f"_{term_id}"


def _concept(term: Term, glossary: Glossary, source_lang: str, target_lang: str):
    entry = etree.Element(_q("conceptEntry"), id=concept_id(term.id))
    for tag in term.tags:
        _sub(entry, "descrip", tag, type="subjectField")
    for other in term.see_also:
        target = glossary.get(other)
        _sub(entry, "ref", target.term if target else other, type="crossReference", target=concept_id(other))
    # When each version came into force (the day after the older one's until), then the day the current one was checked.
    for day in sorted({p.start for p in term.periods() if p.start} | ({term.as_of} if term.as_of else set())):
        _transaction(entry, day)
    source = _sub(entry, "langSec", **{XML_LANG: source_lang})
    if term.sources:
        group = _sub(source, "descripGrp")
        _sub(group, "descrip", term.definition, type="definition")
        for cited in term.sources:
            _sub(group, "admin", _source_text(cited), type="source")
    else:
        _sub(source, "descrip", term.definition, type="definition")
    for period in term.periods()[1:]:
        days = f"{period.start.isoformat()} 至 {period.until.isoformat()}" if period.start \
            else f"至 {period.until.isoformat()}"
        note = f"（{period.note}）" if period.note else ""
        cited = "".join(f" 来源：{_source_text(s)}" for s in period.sources)
        _sub(source, "note", f"旧定义，{days}{note}：{period.definition}{cited}")
    _term_section(source, term.term, PREFERRED)
    given = {v.form: v for v in term.variants}
    for alias in term.aliases:
        variant = given.get(alias)
        if variant is None:
            _term_section(source, alias, ADMITTED)
            continue
        section = _term_section(source, alias, DEPRECATED if variant.status == "deprecated" else ADMITTED)
        for region in variant.regions:
            # TBX-Basic's data category for where a term is used.
            _sub(section, "termNote", region, type="geographicalUsage")
        if variant.note:
            _sub(section, "note", variant.note)
    if term.en:
        _term_section(_sub(entry, "langSec", **{XML_LANG: target_lang}), term.en, PREFERRED)
    return entry


def _transaction(entry, day: date) -> None:
    group = _sub(entry, "transacGrp")
    _sub(group, "transac", "modification", type="transactionType")
    _sub(group, "date", day.isoformat())


def _source_text(source: Source) -> str:
    return f"{source.title} <{source.url}>" if source.title else source.url


def _term_section(parent, text: str, status: str):
    section = _sub(parent, "termSec")
    _sub(section, "term", text)
    _sub(section, "termNote", status, type="administrativeStatus")
    return section


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _sub(parent, name: str, text: str | None = None, **attrib):
    element = etree.SubElement(parent, _q(name), attrib)
    if text is not None:
        # Characters XML 1.0 cannot hold at all: the same rule as lxml's (storable).
        element.text = storable(text)
    return element
