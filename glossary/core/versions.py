"""Dated definitions: where a definition comes from, what it said before, and which one was in force on a day.

A term's current definition may carry `as_of` (the day it was last checked
true) and `sources`; its `history` holds the earlier definitions, newest
first, each with `until`, the last day it was in force.  The definition in
force on day D is the current one when D is after every `until`, otherwise
the history entry with the earliest `until` on or after D.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

# YYYY-MM-DD and nothing else: 2025-9-1 or 2025/09/01 are refused, not guessed.
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
URL_SCHEMES = ("http", "https")
# Browsers drop tabs and line breaks inside a URL, so "java\tscript:" would run: no whitespace or controls at all.
_UNSAFE_CHARS = re.compile(r"[\s\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Source:
    """Where a definition comes from: an http(s) page, its title and date where known."""

    url: str
    title: str | None = None
    date: date | None = None

    @property
    def label(self) -> str:
        """Return what a link to the source shows: its title, else the host name."""
        return self.title or urllib.parse.urlsplit(self.url).hostname or self.url

    def to_dict(self) -> dict:
        """Return the source as terms.yaml writes it, empty fields left out."""
        data: dict = {"url": self.url}
        if self.title:
            data["title"] = self.title
        if self.date:
            data["date"] = self.date.isoformat()
        return data


@dataclass(frozen=True, slots=True)
class Version:
    """An earlier definition of a term: its text, the last day it was in force, its sources and a note."""

    until: date
    definition: str
    sources: tuple[Source, ...] = ()
    note: str | None = None

    def to_dict(self) -> dict:
        """Return the entry as terms.yaml's `history:` writes it, empty fields left out."""
        data: dict = {"until": self.until.isoformat(), "definition": self.definition}
        if self.sources:
            data["sources"] = [s.to_dict() for s in self.sources]
        if self.note:
            data["note"] = self.note
        return data


@dataclass(frozen=True, slots=True)
class Period:
    """A definition with the days it was in force, as a reader is shown it.

    Attributes:
        definition: The text (inline Markdown, as terms.yaml writes it).
        sources: Where it comes from.
        start: Its first day: the day after the previous version's `until`;
            None for the oldest known version (in force since before any date).
        until: Its last day; None for the current definition.
        note: The history entry's note (None for the current definition).
        as_of: The day the current definition was last checked (None for a past one).
        index: Its place in the term's `history` (0 = newest); None for the current definition.
    """

    definition: str
    sources: tuple[Source, ...] = ()
    start: date | None = None
    until: date | None = None
    note: str | None = None
    as_of: date | None = None
    index: int | None = None

    @property
    def current(self) -> bool:
        """Return whether this is the definition in force today (the term's own)."""
        return self.index is None


def version_index(history: Sequence[Version], on: date) -> int | None:
    """Return which history entry was in force on a day.

    Args:
        history: The term's earlier versions, newest first (as `check` demands).
        on: The day, e.g. an article's date.

    Returns:
        The index in `history` of the entry with the earliest `until` on or
        after `on`; None when `on` is after every `until` (the current
        definition is in force), and for a term without history.
    """
    found = None
    # Newest first: the last entry whose until is still on or after the day is the earliest such.
    for index, version in enumerate(history):
        if version.until >= on:
            found = index
        else:
            break
    return found


def periods(definition: str, as_of: date | None, sources: tuple[Source, ...],
            history: Sequence[Version]) -> list[Period]:
    """Return every version of a definition as a Period, the current one first, then newest to oldest.

    Args:
        definition: The current definition.
        as_of: The day it was last checked true.
        sources: Its sources.
        history: The earlier versions, newest first.

    Returns:
        One Period per version; each past one starts the day after the next older one's `until`.
    """
    found = [Period(definition, sources, _day_after(history[0].until) if history else None, None, None, as_of)]
    for index, version in enumerate(history):
        older = history[index + 1].until if index + 1 < len(history) else None
        found.append(Period(version.definition, version.sources, _day_after(older) if older else None,
                            version.until, version.note, None, index))
    return found


def period_on(definition: str, as_of: date | None, sources: tuple[Source, ...], history: Sequence[Version],
              on: date | None) -> Period:
    """Return the version in force on a day as a Period (the current one when `on` is None).

    Args:
        definition: The current definition.
        as_of: The day it was last checked true.
        sources: Its sources.
        history: The earlier versions, newest first.
        on: The day; None for today.

    Returns:
        The Period of the version in force, with its start and end.
    """
    index = version_index(history, on) if on is not None and history else None
    # Only the one asked for is built: the notes of an article ask for each
    # dated term's (the dense bench's 10% of dated terms, issue 15).
    if index is None:
        return Period(definition, sources, _day_after(history[0].until) if history else None, None, None, as_of)
    version = history[index]
    older = history[index + 1].until if index + 1 < len(history) else None
    return Period(version.definition, version.sources, _day_after(older) if older else None, version.until,
                  version.note, None, index)


def period_label(period: Period) -> str:
    """Return a version's days in words: `2020-05-15 至 2025-09-28`, `至 2020-05-14`, `2025-09-29 起`."""
    if period.until is None:
        return f"{period.start.isoformat()} 起" if period.start else "现行"
    if period.start is None:
        return f"至 {period.until.isoformat()}"
    return f"{period.start.isoformat()} 至 {period.until.isoformat()}"


def article_day(value) -> date | None:
    """Return the day an article's front matter `date` names, or None.

    Args:
        value: A date or datetime (YAML reads `date: 2025-01-01` as one),
            or text starting with YYYY-MM-DD (`2025-01-01T08:00+08:00` too).
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(value[:10]) if isinstance(value, str) else None


def parse_date(value) -> date | None:
    """Return a YYYY-MM-DD value as a date, or None when it is not one.

    Args:
        value: A string (as terms.yaml, JSON or CSV hold dates) or a date.
    """
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value.strip()):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def safe_url(url: str) -> bool:
    """Return whether `url` may be shown as a link: an absolute http(s) URL with a host."""
    if _UNSAFE_CHARS.search(url):
        return False
    try:
        parts = urllib.parse.urlsplit(url)
        return parts.scheme.lower() in URL_SCHEMES and bool(parts.hostname)
    except ValueError:  # e.g. a malformed IPv6 host
        return False


def _day_after(day: date) -> date:
    return day + timedelta(days=1)
