"""Traditional characters for readers of Traditional-script articles: which OpenCC profile, and the conversion.

An article whose language (front matter `lang`, the API's `lang`, a term
page's `?lang=`) is a Traditional-script locale shows headwords,
definitions and notes in Traditional characters, converted when they are
written out; nothing converted is stored. OpenCC's profiles convert words,
not only characters, the way each place writes them: s2twp for Taiwan
(软件 -> 軟體), s2hk for Hong Kong and Macau, s2t for any other Traditional
locale (zh-Hant).
"""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

import opencc

if TYPE_CHECKING:
    from .model import Term

TAIWAN, HONG_KONG, TRADITIONAL = "s2twp", "s2hk", "s2t"
PROFILES = (TAIWAN, HONG_KONG, TRADITIONAL)
_TAG = re.compile(r"([A-Za-z]{2,3})(?:-([A-Za-z]{4}))?(?:-([A-Za-z]{2}|[0-9]{3}))?(?:-.*)?")
_converters: dict[str, opencc.OpenCC] = {}
_lock = threading.Lock()


@lru_cache(maxsize=256)
def profile_for(lang: str | None) -> str | None:
    """Return the OpenCC profile for an article in `lang`, or None when it is not a Traditional-script locale.

    Args:
        lang: A BCP 47 tag such as zh-TW, zh-Hant-HK, zh-Hant or zh-Hans.

    Returns:
        "s2twp" (zh-TW), "s2hk" (zh-HK, zh-MO), "s2t" (zh-Hant elsewhere), or None.
    """
    match = _TAG.fullmatch(lang.strip()) if lang else None
    if match is None or match.group(1).lower() != "zh":
        return None
    script = (match.group(2) or "").lower()
    region = (match.group(3) or "").upper()
    if script == "hans":
        return None
    if region == "TW":
        return TAIWAN
    if region in ("HK", "MO"):
        return HONG_KONG
    return TRADITIONAL if script == "hant" else None


def _converter(profile: str) -> opencc.OpenCC:
    converter = _converters.get(profile)
    if converter is None:
        with _lock:
            converter = _converters.get(profile)
            if converter is None:
                converter = _converters[profile] = opencc.OpenCC(profile)
    return converter


@lru_cache(maxsize=16384)
def to_traditional(text: str, profile: str) -> str:
    """Return `text` converted with the OpenCC `profile` (one of PROFILES); remembered by text, never stored.

    Raises:
        ValueError: An unknown profile.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown OpenCC profile {profile!r}: use one of {', '.join(PROFILES)}")
    return _converter(profile).convert(text) if text else text


@lru_cache(maxsize=len(PROFILES))
def _convert_with(profile: str):
    # One function per profile, kept: callers may key caches by it.
    return lambda text: to_traditional(text, profile) if text else text


def converter_for(lang: str | None):
    """Return a function that converts text for readers of `lang`, or None when they read it as stored."""
    profile = profile_for(lang)
    return None if profile is None else _convert_with(profile)


def in_script(term: Term, lang: str | None) -> Term:
    """Return `term` with its headword, aliases and variant forms as readers of `lang` read them (itself if as stored).

    The definition is left as it is: it is Markdown, converted once rendered
    (definitions.definition_html_converted, or the notes' own conversion).
    """
    convert = converter_for(lang)
    if convert is None:
        return term
    variants = tuple(replace(v, form=convert(v.form)) for v in term.variants)
    return replace(term, term=convert(term.term), aliases=tuple(map(convert, term.aliases)), variants=variants)
