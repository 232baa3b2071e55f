"""What changed in the glossary: `/changes` and its Atom feed, and a term page's dates, sources and history."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, render_template, url_for
from lxml import etree
from markupsafe import Markup

from ..core.definitions import definition_html
from ..core.model import Term
from ..core.versions import Source, parse_date, period_label, safe_url
from ..render.timeline import Mark, timeline_html
from .service import cached, service

blueprint = Blueprint("changes", __name__)

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Changes listed on the page and in the feed: the newest ones.
LIMIT = 100
FEED_LIMIT = 50
KINDS = {"added": "新增", "changed": "修改", "removed": "删除"}
FIELD_NAMES = {"definition": "定义", "as_of": "核实日期", "sources": "来源", "history": "历史版本",
               "variants": "异形与排除", "term": "词头",
               "aliases": "别名", "en": "英文名", "tags": "标签", "see_also": "参见", "pinyin": "拼音"}
TITLE = "术语表的变化"


def _store():
    return service().ready_store()


def _live_ids() -> set[str]:
    return set(service().live.current().by_id)


def _entries(limit: int) -> list[dict]:
    """Return the newest changes as the page and the feed show them."""
    live = _live_ids()
    entries = []
    for row in _store().changes(limit=limit):
        fields = [FIELD_NAMES.get(f, f) for f in row.fields.split()]
        changed_at = row.changed_at if row.changed_at.tzinfo else row.changed_at.replace(tzinfo=UTC)
        entries.append({
            "row": row, "kind": KINDS.get(row.kind, row.kind), "fields": fields, "at": changed_at,
            # A removed term has no page to link to (unless an id came back later).
            "url": url_for("site.term", term_id=row.term_id) if row.term_id in live else None,
        })
    return entries


@blueprint.get("/changes")
@cached
def changes_page():
    """List the recent changes to the glossary, newest first, each linking to its term."""
    return render_template("changes.html", entries=_entries(LIMIT), canonical=url_for("changes.changes_page",
                                                                                      _external=True))


@blueprint.get("/changes.atom")
def changes_feed():
    """Serve the recent changes to the glossary as an Atom feed."""
    response = _feed()
    response.mimetype = "application/atom+xml"
    return response


@cached
def _feed() -> bytes:
    page = url_for("changes.changes_page", _external=True)
    self_url = url_for("changes.changes_feed", _external=True)
    entries = _entries(FEED_LIMIT)
    feed = etree.Element(_q("feed"), nsmap={None: ATOM}, attrib={XML_LANG: "zh-Hans"})
    _sub(feed, "id", self_url)
    _sub(feed, "title", TITLE)
    # With no change yet the feed still needs an updated time: the start of the epoch says "never".
    newest = entries[0]["at"] if entries else datetime(1970, 1, 1, tzinfo=UTC)
    _sub(feed, "updated", _timestamp(newest))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _sub(feed, "link", rel="alternate", type="text/html", href=page)
    _sub(_sub(feed, "author"), "name", "术语表")
    for entry in entries:
        row = entry["row"]
        node = _sub(feed, "entry")
        _sub(node, "id", f"{page}#change-{row.id}")
        _sub(node, "title", _headline(entry))
        _sub(node, "updated", _timestamp(entry["at"]))
        term_url = url_for("site.term", term_id=row.term_id, _external=True)
        _sub(node, "link", rel="alternate", type="text/html", href=term_url if entry["url"] else page)
        if row.definition:
            summary = row.definition if row.previous is None else f"{row.definition}\n\n此前：{row.previous}"
            _sub(node, "summary", summary, type="text")
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _headline(entry: dict) -> str:
    row = entry["row"]
    fields = f"（{'、'.join(entry['fields'])}）" if entry["fields"] else ""
    return f"{entry['kind']}：{row.term}{fields}"


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _q(name: str) -> str:
    return f"{{{ATOM}}}{name}"


def _sub(parent, name: str, text: str | None = None, **attrib):
    element = etree.SubElement(parent, _q(name), attrib)
    if text is not None:
        element.text = text
    return element


def dated_term(term: Term, backlinks: list) -> dict:
    """Return what a term page shows of the definition's dates: its sources, history, timeline and backlinks' versions.

    Args:
        term: The term shown.
        backlinks: The (article row, occurrence row) pairs that mention it.

    Returns:
        Template values: `sources` (links), `history` (earlier versions,
        newest first, each with its period, note, rendered definition and
        sources), `timeline` (inline SVG, only with a history) and
        `article_versions` (article slug -> the past version in force on its date).
    """
    values = {"sources": _links(term.sources), "history": [], "timeline": None, "article_versions": {}}
    if not term.history:
        return values
    periods = term.periods()
    for period in periods[1:]:
        values["history"].append({
            "period": period, "label": period_label(period), "anchor": f"history-{period.index + 1}",
            "definition": Markup(definition_html(period.definition)), "sources": _links(period.sources),
        })
    marks = []
    for article, _ in backlinks:
        day = parse_date(article.date or "")
        if day is None:
            continue
        period = term.in_force(day)
        marks.append(Mark(day, article.title, url_for("site.article", slug=article.slug), period.index))
        if not period.current:
            values["article_versions"][article.slug] = {"label": period_label(period),
                                                        "anchor": f"history-{period.index + 1}"}
    values["timeline"] = Markup(timeline_html(periods, marks, element_id=f"timeline-{term.id}"))
    return values


def dated_fields(term: Term) -> dict:
    """Return a term's as_of, sources and history as the API gives them (every key present, empty or null)."""
    return {"as_of": term.as_of.isoformat() if term.as_of else None,
            "sources": [_source_data(s) for s in term.sources],
            "history": [{"until": v.until.isoformat(), "definition": v.definition, "note": v.note,
                         "sources": [_source_data(s) for s in v.sources]} for v in term.history]}


def _source_data(source: Source) -> dict:
    return {"url": source.url, "title": source.title, "date": source.date.isoformat() if source.date else None}


def _links(sources: tuple[Source, ...]) -> list[dict]:
    # Checked when terms.yaml was read; checked again here so that no stored
    # value can ever become a javascript: link.
    return [{"url": s.url, "label": s.label, "date": s.date} for s in sources if safe_url(s.url)]
