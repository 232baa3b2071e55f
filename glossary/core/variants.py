"""Variants of a term: each alias's status and regions, and the headword a reader is shown.

terms.yaml may give an alias as an object instead of a string:

    aliases:
      - form: 川普
        status: admitted        # admitted (default) | deprecated
        regions: [zh-TW]        # the usual form in articles of these languages
        note: 台湾媒体常用

A deprecated form still matches and is annotated; `glossary lint` asks for
the preferred form. A form listed for a region is, in an article of that
region, the headword its readers know: the popover shows it first, the
preferred headword after it (川普（特朗普）).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from .model import ADMITTED, DEPRECATED, Term, Variant
from .normalize import fold, normalize_key

__all__ = ["ADMITTED", "DEPRECATED", "Variant"]  # where terms.yaml's readers and writers found them


STATUSES = (ADMITTED, DEPRECATED)
# The keys an alias object may hold.
VARIANT_KEYS = ("form", "status", "regions", "note")

# BCP 47 (RFC 5646) language tags without extlang, extensions or private use,
# which no article language needs: language, script, region, variants.
_LANGUAGE_TAG = re.compile(
    r"(?P<language>[A-Za-z]{2,3}|[A-Za-z]{5,8})"
    r"(?:-(?P<script>[A-Za-z]{4}))?"
    r"(?:-(?P<region>[A-Za-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
)
# The same, as a JSON Schema pattern (the API's `lang`).
LANGUAGE_TAG_PATTERN = "^" + re.sub(r"\?P<\w+>", "", _LANGUAGE_TAG.pattern) + "$"


class Heading(NamedTuple):
    """How the notes (and the popover) head one term's definition in one article.

    Attributes:
        lead: The word shown first: the headword, or the form of the article's region.
        preferred: The preferred headword shown after `lead` in brackets (None: `lead` is it).
        written: The other spellings the article used (as it wrote them), named after the headword.
    """

    lead: str
    preferred: str | None = None
    written: tuple[str, ...] = ()


def is_language_tag(text: str) -> bool:
    """Tell whether `text` is a BCP 47 language tag such as zh, zh-TW or zh-Hant-HK."""
    return bool(_LANGUAGE_TAG.fullmatch(text))


def _parts(tag: str) -> tuple[str, str | None, str | None] | None:
    match = _LANGUAGE_TAG.fullmatch(tag.strip()) if tag else None
    if match is None:
        return None
    script, region = match.group("script"), match.group("region")
    return match.group("language").lower(), script.lower() if script else None, region.upper() if region else None


def region_matches(region: str, lang: str | None) -> bool:
    """Tell whether a variant listed for `region` is the usual form in an article whose language is `lang`.

    Args:
        region: A variant's tag, e.g. zh-TW.
        lang: The article's language tag, e.g. zh-Hant-TW; None for none.

    Returns:
        True when the languages are the same and each script or region the
        variant's tag names is the article's too (zh-TW matches zh-Hant-TW,
        zh-Hant matches zh-Hant-HK, zh-TW does not match zh-HK).
    """
    wanted, given = _parts(region), _parts(lang or "")
    if wanted is None or given is None or wanted[0] != given[0]:
        return False
    return all(w is None or w == g for w, g in zip(wanted[1:], given[1:], strict=True))


def variant_of(term: Term, spelling: str) -> Variant | None:
    """Return the Variant of the alias of `term` that `spelling` folds to, or None (the headword, a plain alias)."""
    if not term.variants:
        return None
    key = normalize_key(spelling)
    return next((v for v in term.variants if normalize_key(v.form) == key), None)


def regional_form(term: Term, lang: str | None) -> Variant | None:
    """Return the first variant of `term` listed for the region of `lang`, or None."""
    if not lang:
        return None
    return next((v for v in term.variants if any(region_matches(r, lang) for r in v.regions)), None)


def heading(term: Term, lang: str | None, written: Iterable[str] = ()) -> Heading | None:
    """Return how an article's notes head `term`, or None for its plain headword.

    Args:
        term: The term.
        lang: The article's language tag.
        written: The spellings the article used for it, as written, in order of first use.

    Returns:
        Heading(form, headword) when a variant is listed for the article's
        region (川普（特朗普）); else Heading(headword, None, spellings) when
        the article used aliases (not folded variants of the headword);
        else None.
    """
    local = regional_form(term, lang) if term.variants else None
    if local is not None:
        return Heading(local.form, term.term)
    if not term.aliases:
        return None
    own = normalize_key(term.term)
    others = tuple(dict.fromkeys(w for w in written if normalize_key(w) != own))
    return Heading(term.term, None, others) if others else None


def inside_not_in(term: Term, before: str, written: str, after: str) -> bool:
    """Tell whether `written`, a spelling of `term` between `before` and `after`, lies inside one of its not_in strings.

    For a bold phrase: its text and its neighbours are in separate parts of
    the tree, which the plain-text matcher never sees together.

    Args:
        term: The term the phrase spells (with `not_in`).
        before: The text right before the phrase.
        written: The phrase as written.
        after: The text right after it.
    """
    return not_in_around(term, before, written, after) is not None


def not_in_around(term: Term, before: str, written: str, after: str) -> str | None:
    """Return the not_in string of `term` that `written`, between `before` and `after`, lies inside, or None.

    Args:
        term: The term the phrase spells (with `not_in`).
        before: The text right before the phrase.
        written: The phrase as written.
        after: The text right after it.
    """
    reach = max(map(len, term.not_in))
    head, middle, tail = fold(before[-reach:]), fold(written), fold(after[:reach])
    window, start, end = head + middle + tail, len(head), len(head) + len(middle)
    for text in term.not_in:
        key = normalize_key(text)
        at = window.find(key, max(0, end - len(key)))
        while 0 <= at <= start:
            if at + len(key) >= end:
                return text
            at = window.find(key, at + 1)
    return None


def variant_list(term: Term) -> list[dict]:
    """Return every alias of `term` with its status, regions and note (defaults for a plain alias), in order."""
    given = {v.form: v for v in term.variants}
    return [{"form": v.form, "status": v.status, "regions": list(v.regions), "note": v.note}
            for v in (given.get(a) or Variant(a) for a in term.aliases)]
