"""Read and validate terms.yaml, the editors' source of truth.

Parsing uses yaml-rs (a Rust YAML 1.2 parser, ~15x faster than PyYAML's C
loader on a 50,000-term file).  Line numbers are only needed when something
is wrong, so PyYAML composes the file for its node marks on that path alone.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
import yaml_rs

from ..core.model import Glossary, TagLabel, Term
from ..core.normalize import normalize_key
from ..core.variants import STATUSES, VARIANT_KEYS, Variant, is_language_tag
from ..core.versions import Source, Version, parse_date, safe_url
from ..memory import collector_paused
from . import yamldata
from .termstream import LayoutError, SliceError, TermsLayout, terms_layout

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_HINT = "use lowercase ASCII letters, digits and single hyphens"
PINYIN = re.compile(r"[A-Za-zÀ-ɏü' 1-5-]+")
FIELDS = ("id", "term", "en", "aliases", "definition", "tags", "see_also", "pinyin", "as_of", "sources", "history",
          "not_in")
REQUIRED = ("id", "term", "definition")
LISTS = ("aliases", "tags", "see_also", "not_in")
# Dated definitions (core/versions): read by _Checker._dated, not as text or lists of text.
DATED = frozenset(("as_of", "sources", "history"))
TEXT_FIELDS = frozenset(FIELDS) - frozenset(LISTS) - DATED
SOURCE_KEYS = ("url", "title", "date")
HISTORY_KEYS = ("until", "definition", "sources", "note")
DATE_HINT = "write it YYYY-MM-DD, e.g. 2025-09-29"
# Top-level keys: the entries, the labels of their tags, and lint's settings.
TOP_LEVEL = ("terms", "tags", "lint")
LINT_KEYS = ("ignore",)
TAG_LABELS = ("zh", "en")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a terms file, with the line it is on."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line or 1}: {self.message}"


class GlossaryError(ValueError):
    """A terms file that cannot be loaded; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def load_glossary(path: str | Path) -> Glossary:
    """Load and validate a terms.yaml file.

    Args:
        path: The file to read.

    Returns:
        The validated glossary; its `version` is a hash of the file's bytes.

    Raises:
        GlossaryError: The file is unreadable or invalid; every problem is
            listed as `PATH:LINE: message`.
    """
    path = Path(path)
    if path.exists() and not path.is_file():  # a FIFO would block the read for good
        raise GlossaryError([Problem(str(path), None, "cannot read file: not a regular file")])
    try:
        # Passed on, not kept: the bytes are freed once decoded.
        return parse_glossary(path.read_bytes(), str(path))
    except OSError as exc:
        raise GlossaryError([Problem(str(path), None, f"cannot read file: {exc.strerror}")]) from None


def parse_glossary(data: bytes | str, path: str = "terms.yaml") -> Glossary:
    """Validate the text of a terms file and build its glossary.

    Args:
        data: The file's content.
        path: The name to use in error messages.

    Returns:
        The validated glossary.

    Raises:
        GlossaryError: With every problem found, each naming its line.
    """
    raw = data.encode() if isinstance(data, str) else data
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise GlossaryError([Problem(path, line, "file is not valid UTF-8")]) from None
    version = hashlib.sha256(raw).hexdigest()[:16]
    del raw, data  # the caller may still hold the bytes; this function no longer needs them
    text = text.removeprefix("\ufeff")
    with collector_paused():
        layout = terms_layout(text)
        if layout is not None:
            try:
                return _build_streamed(layout, path, version)
            except LayoutError:
                pass  # a slice that does not parse alone: the whole document says why
        document = _parse_yaml(text, path)
        return build_glossary(document, path, version=version, locate=lambda: line_finder(text))


def _build_streamed(layout: TermsLayout, path: str, version: str) -> Glossary:
    """Build the glossary of a large file from its entries, a slice at a time."""
    # The parsed entries of 500,000 terms take ~12x the file in Python
    # objects; a slice at a time, only the terms built from them stay.
    try:
        document = _parse_yaml(layout.rest, path)
    except GlossaryError as exc:
        if not layout.entry_parses(len(layout) - 1):
            raise LayoutError("the list may not end where it seems to") from None
        # Located in the document without its list: named at the file's line.
        raise GlossaryError([Problem(p.path, layout.rest_line(p.line), p.message) for p in exc.problems]) from None
    if not isinstance(document, dict) or document.get("terms") is not None:
        raise LayoutError("not the plain layout")
    try:
        document["terms"] = layout.entries()
        return build_glossary(document, path, version=version, locate=lambda: _slice_locator(layout))
    except yamldata.YAMLDataError as exc:
        raise GlossaryError([Problem(path, exc.line, str(exc))]) from None
    except SliceError as exc:
        # Located within the slice: composing the whole file to find the line would take gigabytes.
        problem = _syntax_problem(exc.text, path, exc.error)
        raise GlossaryError([Problem(path, (problem.line or 1) + exc.lines_before, problem.message)]) from None


def _slice_locator(layout: TermsLayout) -> Callable[[tuple], int | None]:
    outside = None

    def find(where: tuple) -> int | None:
        nonlocal outside
        line = layout.line_of(where)
        if line is None:
            # Outside the entries: found in the document without them, as
            # composing the whole of a large file would take ~40x its size.
            outside = outside or line_finder(layout.rest)
            line = layout.rest_line(outside(where))
        return line

    return find


def decode_text(data: bytes | str, path: str) -> str:
    """Return a file's content as text, without a byte order mark.

    Raises:
        GlossaryError: The bytes are not UTF-8; the problem names the line.
    """
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GlossaryError([Problem(path, data[: exc.start].count(b"\n") + 1, "file is not valid UTF-8")]) from None


def build_glossary(document, path: str, version: str | None = None,
                   locate: Callable[[], Callable[[tuple], int | None]] | None = None,
                   known_ids: Collection[str] = ()) -> Glossary:
    """Validate a parsed terms document (from YAML, JSON or CSV) and build its glossary.

    Args:
        document: The data as terms.yaml holds it: {"terms": [{"id": ..., ...}, ...]}.
        path: The name to use in error messages.
        version: The glossary's version (default: a digest of its terms).
        locate: Called only when something is wrong; returns a function from a
            place in the document, e.g. ("terms", 3, "aliases", 1), to its line.
        known_ids: Ids defined elsewhere that see_also may name too (the
            terms an import is merged into).

    Returns:
        The validated glossary.

    Raises:
        GlossaryError: With every problem found.
    """
    checker = _Checker(path, known_ids)
    terms = checker.check(document)
    tag_labels = checker.check_tag_labels(document)
    # Built from the entries that are valid on their own, so key conflicts
    # are reported in the same run as every other problem.
    glossary = Glossary(terms, version=version, source=path, tag_labels=tag_labels)
    checker.check_keys(glossary)
    checker.check_lint(document, glossary)
    if checker.problems:
        find = locate() if locate else (lambda _where: None)
        problems = [Problem(path, find(where), message if isinstance(message, str) else message(find))
                    for where, message in checker.problems]
        # In file order, as an editor fixes them; problems of the whole file first.
        raise GlossaryError(sorted(problems, key=lambda p: p.line or 0))
    return glossary


def lint_ignore(text: str) -> list[tuple[str, str]]:
    """Return the shadow pairs a checked terms file's `lint: {ignore: [...]}` accepts.

    Each pair is [spelling, hidden spelling]: lint does not report that the
    first shadows the second (see editorial/lint.py).
    """
    try:
        document = yamldata.loads(text.removeprefix("\ufeff"))
    except (yamldata.YAMLDataError, yaml_rs.YAMLDecodeError):
        return []
    settings = document.get("lint") if isinstance(document, dict) else None
    pairs = settings.get("ignore") if isinstance(settings, dict) else None
    return [(a, b) for a, b in pairs or () if isinstance(a, str) and isinstance(b, str)]


def unknown_name(kind: str, name: str, allowed: tuple[str, ...]) -> str:
    """Return the problem of an unknown key or column, suggesting the nearest allowed name.

    Args:
        kind: What the name is, e.g. "key" or "column".
        name: The name as written.
        allowed: The names that are allowed.

    Returns:
        "unknown key 'defintion': did you mean 'definition'?", or the list of
        allowed names when none is close.
    """
    near = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.7)
    if near:
        return f"unknown {kind} '{name}': did you mean '{near[0]}'?"
    return f"unknown {kind} '{name}' (allowed: {', '.join(allowed)})"


def _parse_yaml(text: str, path: str):
    if not text.strip():
        return None
    try:
        return yamldata.loads(text)
    except yamldata.YAMLDataError as exc:
        raise GlossaryError([Problem(path, exc.line, str(exc))]) from None
    except yaml_rs.YAMLDecodeError as exc:
        raise GlossaryError([_syntax_problem(text, path, exc)]) from None


def _syntax_problem(text: str, path: str, exc: Exception) -> Problem:
    # PyYAML's messages name the line and the construct; yaml-rs is the
    # fallback for what PyYAML accepts (duplicate keys, YAML 1.2 details).
    message = str(exc).splitlines()
    if message and message[-1].strip() == "recursion limit exceeded":
        # Nesting that deep overflows PyYAML's composer (natively: a crash, not an error).
        match = re.search(r"line (\d+)", message[0])
        return Problem(path, int(match.group(1)) if match else None, "YAML syntax error: nested too deeply")
    try:
        node = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        what = " ".join(p for p in (err.context, err.problem) if p)
        return Problem(path, mark.line + 1 if mark else None, f"YAML syntax error: {what}")
    duplicate = _find_duplicate_key(node)
    if duplicate:
        key, line = duplicate
        return Problem(path, line, f"duplicate key '{key}' in the same mapping")
    match = re.search(r"line (\d+)", message[0]) if message else None
    return Problem(path, int(match.group(1)) if match else None, f"YAML syntax error: {message[-1].strip()}")


def _find_duplicate_key(node, seen_nodes: set[int] | None = None) -> tuple[str, int] | None:
    # An alias shares its anchor's node: each node is visited once, or nested
    # aliases would make this walk exponential.
    seen_nodes = set() if seen_nodes is None else seen_nodes
    if id(node) in seen_nodes:
        return None
    seen_nodes.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key, value in node.value:
            if key.value in seen:
                return key.value, key.start_mark.line + 1
            seen.add(key.value)
            found = _find_duplicate_key(value, seen_nodes)
            if found:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found = _find_duplicate_key(item, seen_nodes)
            if found:
                return found
    return None


class _Checker:
    """Collect every problem of a parsed document, located by YAML path."""

    def __init__(self, path: str, known_ids: Collection[str] = ()):
        self.path = path
        self.known_ids = known_ids
        # A message is text, or a function of the line finder for one that
        # names another line (found only once something is wrong).
        self.problems: list[tuple[tuple, str | Callable]] = []
        self.entry_ids: list[str | None] = []

    def add(self, where: tuple, message: str | Callable[[Callable[[tuple], int | None]], str]) -> None:
        self.problems.append((where, message))

    def check(self, document) -> list[Term]:
        if document is None:
            self.add((), "the file is empty: expected a top-level 'terms:' list")
            return []
        if not isinstance(document, dict):
            self.add((), "expected a mapping with a top-level 'terms:' list")
            return []
        for key in document:
            if key not in TOP_LEVEL:
                self.add((key,), unknown_name("top-level key", key, TOP_LEVEL))
        entries = document.get("terms")
        if entries is None:
            if "terms" not in document:
                self.add((), "missing top-level 'terms:' list")
            return []
        if not isinstance(entries, list | Iterator):
            self.add(("terms",), "'terms' must be a list of entries")
            return []
        terms = [self._entry(i, entry) for i, entry in enumerate(entries)]
        self._check_ids(terms)
        return [t for t in terms if t is not None]

    def check_tag_labels(self, document) -> dict[str, TagLabel]:
        """Return the labels of the top-level `tags:` map, reporting what is wrong with it."""
        labels = document.get("tags") if isinstance(document, dict) else None
        if labels is None:
            return {}
        example = "e.g. tags: {export-control: {zh: 出口管制, en: Export controls}}"
        if not isinstance(labels, dict):
            self.add(("tags",), f"'tags' must be a mapping from each tag to its labels, {example}")
            return {}
        found = {}
        for slug, given in labels.items():
            where = ("tags", str(slug))
            if not isinstance(slug, str) or not SLUG.fullmatch(slug):
                self.add(where, f"bad tag '{slug}' in 'tags': {SLUG_HINT}")
                continue
            if not isinstance(given, dict):
                self.add(where, f"the labels of tag '{slug}' must be a mapping, e.g. {slug}: {{zh: ..., en: ...}}")
                continue
            values = {}
            for key, value in given.items():
                if key not in TAG_LABELS:
                    self.add((*where, str(key)), f"unknown key '{key}' in the labels of tag '{slug}' "
                                                 f"(allowed: {', '.join(TAG_LABELS)})")
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    self.add((*where, key), f"label '{key}' of tag '{slug}' is read as the number {value!r}: "
                                            f"put the text in quotes, e.g. {key}: \"{value}\"")
                elif not isinstance(value, str) or not value.strip():
                    what = "empty" if isinstance(value, str) or value is None else repr(value)
                    self.add((*where, key), f"label '{key}' of tag '{slug}' must be text, not {what}")
                else:
                    values[key] = value.strip()
            found[slug] = TagLabel(**values)
        return found

    def _entry(self, index: int, entry) -> Term | None:
        where = ("terms", index)
        if not isinstance(entry, dict):
            self.add(where, "each entry must be a mapping of fields (id, term, definition, ...)")
            self.entry_ids.append(None)
            return None
        ok = True
        values = {}
        for key, value in entry.items():
            if type(value) is str and key in TEXT_FIELDS:
                # The common case, kept cheap: 50,000 entries load in well under a second.
                value = value.strip()
                if value:
                    values[key] = value
                    continue
                if key in REQUIRED:
                    self.add((*where, key), f"'{key}' must not be empty")
                    ok = False
                continue
            if type(value) is list and key in LISTS and all(type(item) is str for item in value):
                # The common case for lists, as cheap: _coerce words any problem.
                items = tuple(item.strip() for item in value)
                if all(items):
                    values[key] = items
                    continue
            if key not in FIELDS:
                self.add((*where, key), unknown_name("key", key, FIELDS))
                ok = False
                continue
            if key in DATED:
                values[key] = value  # checked with the others below, once the whole entry is read
                continue
            if key == "aliases" and type(value) is list and any(type(item) is dict for item in value):
                forms, variants = self._variants((*where, key), value)
                if forms is None:
                    ok = False
                else:
                    values[key], values["variants"] = forms, variants
                continue
            value, message = _coerce(key, value)
            if message:
                self.add((*where, key), message)
                ok = False
            values[key] = value
        for key in REQUIRED:
            if key not in entry:
                self.add(where, f"missing required field '{key}'")
                ok = False
        term_id = values.get("id")
        self.entry_ids.append(term_id)
        if term_id is not None and not SLUG.fullmatch(term_id):
            self.add((*where, "id"), f"bad id '{term_id}': {SLUG_HINT}")
            ok = False
        for i, tag in enumerate(values.get("tags") or ()):
            if not SLUG.fullmatch(tag):
                self.add((*where, "tags", i), f"bad tag '{tag}': {SLUG_HINT}")
                ok = False
        pinyin = values.get("pinyin")
        if pinyin and not PINYIN.fullmatch(pinyin):
            self.add((*where, "pinyin"), f"bad pinyin '{pinyin}': use Latin letters, tone digits and spaces")
            ok = False
        dated = self._dated(where, values)
        not_in = values.get("not_in") or ()
        if not_in and not self._not_in_fits(where, values, not_in):
            ok = False
        if not ok or dated is None:
            return None
        return Term(
            id=term_id,
            term=values["term"],
            definition=values["definition"],
            en=values.get("en"),
            aliases=tuple(values.get("aliases") or ()),
            tags=tuple(dict.fromkeys(values.get("tags") or ())),
            see_also=tuple(dict.fromkeys(values.get("see_also") or ())),
            pinyin=pinyin,
            **dated,
            variants=values.get("variants", ()),
            not_in=tuple(dict.fromkeys(not_in)),
        )

    def _dated(self, where: tuple, values: dict) -> dict | None:
        """Return an entry's as_of, sources and history as Term fields, or None after reporting a problem."""
        found: dict = {}
        ok = True
        if values.get("as_of") is not None:
            found["as_of"] = self._date(values["as_of"], (*where, "as_of"), "'as_of'")
            ok = found["as_of"] is not None
        if values.get("sources") is not None:
            found["sources"] = self._sources(values["sources"], (*where, "sources"))
            ok = found["sources"] is not None and ok
        if values.get("history") is not None:
            history = self._history(values["history"], (*where, "history"), found.get("as_of"))
            ok = history is not None and ok
            found["history"] = history
        return found if ok else None

    def _date(self, value, where: tuple, what: str):
        day = parse_date(value)
        if day is None:
            shown = f"'{value}'" if isinstance(value, str) else repr(value)
            self.add(where, f"{what} must be a date: {DATE_HINT}, not {shown}")
        return day

    def _text_value(self, value, where: tuple, what: str, one_line: bool = False) -> str | None:
        text = _text(value)
        if not text:
            self.add(where, f"{what} must be non-empty text" + (
                " in quotes if it looks like a number" if isinstance(value, (int, float)) else ""))
            return None
        if one_line and "\n" in text:
            self.add(where, f"{what} must be one line")
            return None
        return text

    def _mapping(self, item, where: tuple, allowed: tuple[str, ...], what: str, example: str) -> bool:
        if not isinstance(item, dict):
            self.add(where, f"each item of {what} must be a mapping, e.g. {example}")
            return False
        ok = True
        for key in item:
            if key not in allowed:
                self.add((*where, str(key)), unknown_name(f"key in {what}", key, allowed))
                ok = False
        return ok

    def _sources(self, value, where: tuple) -> tuple[Source, ...] | None:
        example = "- url: https://www.federalregister.gov/... (title and date optional)"
        if not isinstance(value, list):
            self.add(where, f"'sources' must be a list of sources, each {example}")
            return None
        found, ok = [], True
        for i, item in enumerate(value):
            place = (*where, i)
            if isinstance(item, str):  # a bare URL: the short way to cite a page
                item = {"url": item}
            if not self._mapping(item, place, SOURCE_KEYS, "'sources'", "url: https://..."):
                ok = False
                continue
            url = item.get("url")
            if url is None:
                self.add(place, "a source needs a 'url' (http or https)")
                ok = False
                continue
            if not isinstance(url, str) or not safe_url(url):
                self.add((*place, "url"), f"source url {url!r} is not an http(s) URL: "
                                          "only http:// and https:// pages can be linked")
                ok = False
                continue
            title = None
            if item.get("title") is not None:
                title = self._text_value(item["title"], (*place, "title"), "a source's 'title'", one_line=True)
                ok = title is not None and ok
            day = None
            if item.get("date") is not None:
                day = self._date(item["date"], (*place, "date"), "a source's 'date'")
                ok = day is not None and ok
            found.append(Source(url=url, title=title, date=day))
        return tuple(found) if ok else None

    def _history(self, value, where: tuple, as_of) -> tuple[Version, ...] | None:
        example = "- until: 2025-09-28 (the last day it was in force), definition: ..."
        if not isinstance(value, list):
            self.add(where, f"'history' must be a list of earlier definitions, newest first, each {example}")
            return None
        found, ok = [], True
        previous = None  # the until of the entry above, with its index
        for i, item in enumerate(value):
            place = (*where, i)
            if not self._mapping(item, place, HISTORY_KEYS, "'history'", "until: 2025-09-28"):
                ok = False
                continue
            until = None
            if item.get("until") is None:
                self.add(place, "a history entry needs 'until', the last day its definition was in force")
            else:
                until = self._date(item["until"], (*place, "until"), "'until'")
            definition = None
            if item.get("definition") is None:
                self.add(place, "a history entry needs 'definition', the text in force until then")
            else:
                definition = self._text_value(item["definition"], (*place, "definition"), "a history 'definition'")
            note = None
            if item.get("note") is not None:
                note = self._text_value(item["note"], (*place, "note"), "a history 'note'", one_line=True)
                ok = note is not None and ok
            sources = ()
            if item.get("sources") is not None:
                sources = self._sources(item["sources"], (*place, "sources"))
                ok = sources is not None and ok
            if until is not None:
                if as_of is not None and until >= as_of:
                    self.add((*place, "until"), f"'until' {until} is on or after 'as_of' {as_of}: a past "
                                                "definition ends before the current one was checked")
                    ok = False
                if previous is not None:
                    if until == previous:
                        self.add((*place, "until"), f"'until' {until} is repeated: each version ends on its own day")
                        ok = False
                    elif until > previous:
                        self.add((*place, "until"), f"'history' must be newest first: 'until' {until} comes "
                                                    f"after {previous} above it")
                        ok = False
                previous = until
            if until is None or definition is None:
                ok = False
                continue
            found.append(Version(until=until, definition=definition, sources=sources or (), note=note))
        return tuple(found) if ok else None


    def _variants(self, where: tuple, items: list) -> tuple[tuple[str, ...] | None, tuple[Variant, ...]]:
        """Return (forms, variants) of an aliases list holding objects, or (None, ()) after adding its problems."""
        forms, variants, ok = [], [], True
        for index, item in enumerate(items):
            at = (*where, index)
            if type(item) is str and item.strip():
                forms.append(item.strip())
                continue
            if type(item) is not dict:
                self.add(at, "every item of 'aliases' must be text, or an object with 'form' "
                             "(e.g. {form: 川普, status: admitted, regions: [zh-TW]})")
                ok = False
                continue
            variant = self._variant(at, item)
            if variant is None:
                ok = False
            else:
                forms.append(variant.form)
                variants.append(variant)
        return (tuple(forms), tuple(variants)) if ok else (None, ())

    def _variant(self, where: tuple, item: dict) -> Variant | None:
        ok = True
        for key in item:
            if key not in VARIANT_KEYS:
                self.add((*where, key), unknown_name("key", key, VARIANT_KEYS) + " in an alias object")
                ok = False
        form = item.get("form")
        if "form" not in item:
            self.add(where, "an alias object needs 'form', the spelling (e.g. {form: 川普, regions: [zh-TW]})")
            return None
        if type(form) is not str or not form.strip():
            self.add((*where, "form"), "'form' of an alias must be non-empty text")
            ok = False
        status = item.get("status", STATUSES[0])
        if status not in STATUSES:
            self.add((*where, "status"), f"unknown status {status!r}: use {' or '.join(STATUSES)}")
            ok = False
        regions = item.get("regions") or []
        if type(regions) is str:
            regions = [regions]
        if type(regions) is not list:
            self.add((*where, "regions"), "'regions' must be a list of language tags, e.g. regions: [zh-TW]")
            regions, ok = [], False
        for index, region in enumerate(regions):
            if type(region) is not str or not is_language_tag(region.strip()):
                self.add((*where, "regions", index), f"region {region!r} is not a BCP 47 language tag "
                                                     "(e.g. zh-TW, zh-HK, zh-Hant)")
                ok = False
        note = item.get("note")
        if note is not None and (type(note) is not str or "\n" in note.strip()):
            self.add((*where, "note"), "'note' of an alias must be one line of text")
            ok = False
        if not ok:
            return None
        return Variant(form.strip(), status, tuple(dict.fromkeys(r.strip() for r in regions)),
                       note.strip() or None if note else None)

    def _not_in_fits(self, where: tuple, values: dict, not_in: tuple[str, ...]) -> bool:
        """Report each not_in string that holds none of the term's keys; return whether all hold one."""
        keys = [k for k in (normalize_key(s) for s in (values.get("term") or "", *(values.get("aliases") or ())))
                if k]
        ok = True
        for index, text in enumerate(not_in):
            if keys and not any(k in normalize_key(text) for k in keys):
                self.add((*where, "not_in", index), f"not_in '{text}' does not contain '{values.get('term')}' "
                                                    "or an alias: it can rule nothing out")
                ok = False
        return ok

    def _check_ids(self, terms: list[Term | None]) -> None:
        first: dict[str, int] = {}
        for index, term_id in enumerate(self.entry_ids):
            if term_id is None:
                continue
            if term_id in first:
                self.add(("terms", index, "id"), _first_defined(term_id, first[term_id]))
            else:
                first[term_id] = index
        for index, term in enumerate(terms):
            if term is None:
                continue
            for i, other in enumerate(term.see_also):
                where = ("terms", index, "see_also", i)
                if other == term.id:
                    self.add(where, f"see_also of '{term.id}' names the term itself")
                elif other not in first and other not in self.known_ids:
                    self.add(where, f"see_also names unknown id '{other}'")

    def check_lint(self, document, glossary: Glossary) -> None:
        """Report what is wrong with the top-level `lint:` map (see `lint_ignore`)."""
        settings = document.get("lint") if isinstance(document, dict) else None
        if settings is None:
            return
        example = "e.g. lint: {ignore: [[贝森特, 特朗普]]}"
        if not isinstance(settings, dict):
            self.add(("lint",), f"'lint' must be a mapping, {example}")
            return
        for key in settings:
            if key not in LINT_KEYS:
                self.add(("lint", key), unknown_name("key", key, LINT_KEYS) + " in 'lint'")
        pairs = settings.get("ignore") or []
        if not isinstance(pairs, list):
            self.add(("lint", "ignore"), f"'lint.ignore' must be a list of [spelling, hidden spelling] pairs, "
                                         f"{example}")
            return
        for index, pair in enumerate(pairs):
            where = ("lint", "ignore", index)
            if (not isinstance(pair, list) or len(pair) != 2
                    or not all(isinstance(p, str) and p.strip() for p in pair)):
                self.add(where, f"each item of 'lint.ignore' is a pair [spelling, hidden spelling], {example}")
                continue
            for spelling in pair:
                if glossary.lookup(spelling) is None:
                    self.add(where, f"'{spelling}' in 'lint.ignore' is not a spelling of any term")

    def check_keys(self, glossary: Glossary) -> None:
        """Report spellings that fold to a key another term already claims."""
        index_of = {term_id: i for i, term_id in enumerate(self.entry_ids) if term_id}
        for key, owner, term, spelling in glossary.conflicts:
            index = index_of[term.id]
            if owner is term:
                self.add(
                    ("terms", index, "aliases", term.aliases.index(spelling)),
                    f"alias '{spelling}' of '{term.id}' repeats '{_spelling_for(term, key)}' (both fold to '{key}'): "
                    "remove it, variants match automatically",
                )
                continue
            if spelling == term.term:
                where = ("terms", index, "term")
            else:
                where = ("terms", index, "aliases", term.aliases.index(spelling))
            self.add(
                where,
                f"'{spelling}' of '{term.id}' matches the same text as '{_spelling_for(owner, key)}' "
                f"of '{owner.id}' (both fold to '{key}')",
            )


def _first_defined(term_id: str, index: int) -> Callable[[Callable[[tuple], int | None]], str]:
    def message(find: Callable[[tuple], int | None]) -> str:
        line = find(("terms", index, "id"))
        return f"duplicate id '{term_id}': first defined " + (f"at line {line}" if line else f"by entry {index + 1}")

    return message


def _spelling_for(term: Term, key: str) -> str:
    return next((s for s in term.spellings if normalize_key(s) == key), term.term)


def _coerce(key: str, value):
    """Return (value, problem) for one field, turning numbers into text."""
    if key in LISTS:
        if value is None:
            return (), None
        if not isinstance(value, list):
            return None, f"'{key}' must be a list, e.g. {key}: [a, b]"
        items = [_text(item) for item in value]
        if not all(items):
            return None, f"every item of '{key}' must be non-empty text in quotes if it looks like a number"
        return tuple(items), None
    if isinstance(value, (dict, list)):
        return None, f"'{key}' must be text, not a {'list' if isinstance(value, list) else 'mapping'}"
    text = _text(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None, f"'{key}' is read as the number {value!r}: put the text in quotes, e.g. {key}: \"...\""
    if text is None and value is not None:
        return None, f"'{key}' must be text, not {value!r}"
    if not text and key in REQUIRED:
        return None, f"'{key}' must not be empty"
    return text or None, None


def _text(value) -> str | None:
    # Numbers are refused, not converted: YAML has already turned 007 into
    # 7 and 1.10 into 1.1, so the editor's text is lost.
    return value.strip() if isinstance(value, str) else None


def line_finder(text: str) -> Callable[[tuple], int | None]:
    """Return a function from a place in a YAML or JSON document, e.g. ("terms", 3, "id"), to its line."""
    return _LineFinder(text).find


class _LineFinder:
    """Map a YAML path like ('terms', 3, 'aliases', 1) to its 1-based line."""

    def __init__(self, text: str):
        try:
            self.root = yaml.compose(text, Loader=yaml.CSafeLoader)
        except (yaml.YAMLError, RecursionError):
            self.root = None

    def find(self, where: tuple) -> int | None:
        node, line = self.root, 1
        if node is None:
            return None
        line = node.start_mark.line + 1
        for step in where:
            if isinstance(node, yaml.MappingNode):
                pair = next(((k, v) for k, v in node.value if k.value == step), None)
                if pair is None:
                    break
                line = pair[0].start_mark.line + 1
                node = pair[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                node = node.value[step]
                line = node.start_mark.line + 1
            else:
                break
        return line
