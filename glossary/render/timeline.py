"""A term's timeline as inline SVG: the period of each version of its definition, and the articles placed by date.

Drawn on the server as an element tree, so the page needs no chart library
and no script: the SVG is an image with a name (`role="img"`,
`aria-labelledby`), each band and dot has a `<title>` for pointers, and a
list under it says the same in words for screen readers and text browsers.
Colours are `currentColor` at several opacities, so the drawing follows the
page's light or dark scheme without a stylesheet of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from lxml import etree

from ..core.versions import Period

WIDTH = 640
BAND_Y, BAND_HEIGHT = 8, 28
DOT_Y = 52
AXIS_Y = 68
HEIGHT = 86
MARGIN = 12


@dataclass(frozen=True)
class Mark:
    """An article placed on the timeline: its date, title and page, and the version in force on that date."""

    day: date
    title: str
    url: str
    # The Period's index in the term's history; None: the current definition.
    version: int | None = None


def period_label(period: Period) -> str:
    """Return a version's days in words: `2020-05-15 至 2025-09-28`, `至 2020-05-14`, `2025-09-29 起`."""
    if period.until is None:
        return f"{period.start.isoformat()} 起" if period.start else "现行"
    if period.start is None:
        return f"至 {period.until.isoformat()}"
    return f"{period.start.isoformat()} 至 {period.until.isoformat()}"


def timeline(periods: Sequence[Period], marks: Sequence[Mark], element_id: str = "timeline") -> etree._Element:
    """Draw the versions of a definition and the articles that mention the term, oldest on the left.

    Args:
        periods: Every version, as `Term.periods()` gives them (current first, then newest to oldest).
        marks: The articles to place, with their dates.
        element_id: The id of the figure; its parts' ids derive from it.

    Returns:
        A `<figure>` holding the `<svg>` and, as its caption, the same facts as a list.
    """
    first, last = _span(periods, marks)
    days = max((last - first).days, 1)

    def x(day: date) -> float:
        return round(MARGIN + (WIDTH - 2 * MARGIN) * (day - first).days / days, 1)

    figure = etree.Element("figure", {"class": "timeline", "id": element_id})
    title_id, desc_id = f"{element_id}-title", f"{element_id}-text"
    svg = etree.SubElement(figure, "svg", {
        "viewBox": f"0 0 {WIDTH} {HEIGHT}", "width": "100%", "role": "img",
        "aria-labelledby": title_id, "aria-describedby": desc_id, "focusable": "false",
    })
    _text(etree.SubElement(svg, "title", id=title_id), "定义的各个版本与提到它的文章（按日期）")
    oldest_first = list(reversed(periods))
    for number, period in enumerate(oldest_first):
        left = x(period.start) if period.start else x(first)
        right = x(period.until + timedelta(days=1)) if period.until else x(last)
        band = etree.SubElement(svg, "rect", {
            "x": str(left), "y": str(BAND_Y), "width": str(max(round(right - left, 1), 1.0)),
            "height": str(BAND_HEIGHT), "fill": "currentColor",
            # The current version strongest; past ones alternate so that neighbours stay apart.
            "fill-opacity": "0.45" if period.current else ("0.12" if number % 2 == 0 else "0.24"),
            "data-version": "current" if period.current else str(period.index),
        })
        _text(etree.SubElement(band, "title"), ("现行定义，" if period.current else "旧定义，") + period_label(period))
    for mark in sorted(marks, key=lambda m: (m.day, m.title)):
        link = etree.SubElement(svg, "a", {"href": mark.url})
        dot = etree.SubElement(link, "circle", {
            "cx": str(x(mark.day)), "cy": str(DOT_Y), "r": "5", "fill": "currentColor",
            "fill-opacity": "1" if mark.version is None else "0.55",
        })
        _text(etree.SubElement(dot, "title"), f"{mark.title}（{mark.day.isoformat()}）")
    etree.SubElement(svg, "line", {"x1": str(MARGIN), "x2": str(WIDTH - MARGIN), "y1": str(AXIS_Y),
                                   "y2": str(AXIS_Y), "stroke": "currentColor", "stroke-opacity": "0.5"})
    for year in range(first.year + 1, last.year + 1):
        tick = x(date(year, 1, 1))
        etree.SubElement(svg, "line", {"x1": str(tick), "x2": str(tick), "y1": str(AXIS_Y), "y2": str(AXIS_Y + 4),
                                       "stroke": "currentColor", "stroke-opacity": "0.5"})
        label = etree.SubElement(svg, "text", {"x": str(tick), "y": str(HEIGHT - 2), "font-size": "11",
                                               "text-anchor": "middle", "fill": "currentColor"})
        _text(label, str(year))
    caption = etree.SubElement(figure, "figcaption", id=desc_id)
    items = etree.SubElement(caption, "ul", {"class": "timeline-text"})
    for period in oldest_first:
        _text(etree.SubElement(items, "li"), ("现行定义：" if period.current else "旧定义：") + period_label(period))
    for mark in sorted(marks, key=lambda m: (m.day, m.title)):
        item = etree.SubElement(items, "li")
        item.text = f"{mark.day.isoformat()} 的文章"
        link = etree.SubElement(item, "a", href=mark.url)
        _text(link, mark.title)
        link.tail = "：写作时为现行定义" if mark.version is None else "：写作时为旧定义"
    return figure


def timeline_html(periods: Sequence[Period], marks: Sequence[Mark], element_id: str = "timeline") -> str:
    """Return `timeline(...)` serialised for an HTML page."""
    return etree.tostring(timeline(periods, marks, element_id), method="html", encoding="unicode")


def _span(periods: Sequence[Period], marks: Sequence[Mark]) -> tuple[date, date]:
    """Return the first and last day drawn: every until and start, as_of and article, with a margin."""
    days = [m.day for m in marks]
    for period in periods:
        days.extend(d for d in (period.start, period.until, period.as_of) if d is not None)
    if not days:
        return date(2000, 1, 1), date(2000, 12, 31)
    first, last = min(days), max(days)
    # A margin on each side: the oldest version began before its until, the current one goes on.
    pad = max((last - first) // 8, timedelta(days=30))
    return first - pad, last + pad


def _text(element, text: str) -> None:
    element.text = text
