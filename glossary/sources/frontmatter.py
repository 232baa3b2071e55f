"""Split YAML front matter from a Markdown article."""

from __future__ import annotations

import re
from collections.abc import Mapping

import yaml_rs

from ..core.options import MODES, check_max_links, check_mode
from . import yamldata

_FENCE = re.compile(r"\A\ufeff?---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


# The keys that set an article's annotation mode: `glossary:` is the older
# spelling of `annotate:`, kept as its synonym.
MODE_KEYS = ("annotate", "glossary")


class FrontMatterError(ValueError):
    """Front matter that cannot be read; `line` is 1-based in the article, `key` the field at fault."""

    def __init__(self, message: str, line: int | None = None, key: str | None = None):
        self.line = line
        self.key = key
        super().__init__(message if line is None else f"line {line}: {message}")


class UnknownModeError(ValueError):
    """A front matter mode that is not one of MODES; `key` is the field that gives it."""

    def __init__(self, message: str, key: str):
        self.key = key
        super().__init__(message)


def split_front_matter(text: str) -> tuple[dict, str, int]:
    """Split an article into its front matter and its Markdown body.

    Args:
        text: The whole article.

    Returns:
        (meta, body, body_line): meta is {} when the article has no front
        matter; body_line is the 1-based line where the body starts.

    Raises:
        FrontMatterError: The front matter is not valid YAML or not a mapping.
    """
    opening = _FENCE.match(text)
    if not opening:
        return {}, text.lstrip("\ufeff"), 1
    closing = _CLOSE.search(text, opening.end())
    if not closing:
        raise FrontMatterError("front matter opened with '---' is never closed", 1)
    source = text[opening.end(): closing.start()]
    try:
        meta = yamldata.loads(source) if source.strip() else {}
    except yamldata.YAMLDataError as exc:
        raise FrontMatterError(f"front matter: {exc}", exc.line + 1 if exc.line else None) from None
    except yaml_rs.YAMLDecodeError as exc:
        first = str(exc).splitlines()[0]
        match = re.search(r"line (\d+)", first)
        line = int(match.group(1)) + 1 if match else None
        raise FrontMatterError(f"front matter is not valid YAML: {str(exc).splitlines()[-1].strip()}", line) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FrontMatterError("front matter must be a mapping of fields (title: ..., date: ...)", 2)
    end = closing.end()
    if text.startswith("\n", end):
        end += 1
    elif text.startswith("\r\n", end):
        end += 2
    return meta, text[end:], text.count("\n", 0, end) + 1


def article_mode(meta: dict) -> str | None:
    """Return the annotation mode an article's front matter asks for, or None when it names none.

    This is the one place the mode keys are read: `annotate:`, or its
    synonym `glossary:`; both may be given if they agree.

    Args:
        meta: The front matter (see `split_front_matter`).

    Returns:
        "bold", "first" or "all"; None when neither key is set.

    Raises:
        FrontMatterError: Both keys given with different modes (`key` is the later one).
        UnknownModeError: A mode that is not one of MODES.
    """
    given = [(key, meta[key]) for key in meta if key in MODE_KEYS and meta[key] not in (None, "")]
    if not given:
        return None
    (key, value), *others = given
    for other, other_value in others:
        if str(other_value) != str(value):
            raise FrontMatterError(f"'{key}: {value}' and '{other}: {other_value}' disagree: "
                                   "give one of them (they are the same setting)", key=other)
    try:
        return check_mode(str(value))
    except ValueError:
        raise UnknownModeError(f"front matter '{key}: {value}' must be one of {', '.join(MODES)}", key) from None


def article_max_links(meta: dict) -> int | None:
    """Return the article's own limit on links per term (`max_links:`), or None when it sets none.

    Raises:
        FrontMatterError: Not a whole number 0 or more (`key` is "max_links").
    """
    value = meta.get("max_links")
    if value is None:
        return None
    try:
        return check_max_links(value)
    except ValueError as exc:
        raise FrontMatterError(f"front matter {exc}", key="max_links") from None


def annotation_settings(mode: str | None, max_links: int | None, config: Mapping) -> dict:
    """Return the mode and link limit to annotate an article with: its own, else the site's.

    Args:
        mode: The article's mode (`article_mode`), None for the site's.
        max_links: The article's limit (`article_max_links`), None for the site's.
        config: Settings holding GLOSSARY_DEFAULT_MODE and GLOSSARY_MAX_LINKS_PER_TERM.

    Returns:
        {"mode": ..., "max_links": ...}, keyword arguments of `annotate_markdown`.

    Raises:
        ValueError: A site setting that is not a mode or a limit, named.
    """
    if mode is None:
        try:
            mode = check_mode(config["GLOSSARY_DEFAULT_MODE"])
        except ValueError as exc:
            raise ValueError(f"GLOSSARY_DEFAULT_MODE: {exc}") from None
    if max_links is None:
        try:
            max_links = check_max_links(int(config["GLOSSARY_MAX_LINKS_PER_TERM"]))
        except ValueError as exc:
            raise ValueError(f"GLOSSARY_MAX_LINKS_PER_TERM: {exc}") from None
    return {"mode": mode, "max_links": max_links}
