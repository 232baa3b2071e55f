"""Split YAML front matter from a Markdown article."""

from __future__ import annotations

import re

import yaml_rs

from . import yamldata

_FENCE = re.compile(r"\A\ufeff?---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


class FrontMatterError(ValueError):
    """Front matter that is not a YAML mapping; `line` is 1-based in the article."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        super().__init__(message if line is None else f"line {line}: {message}")


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
