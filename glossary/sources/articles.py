"""Read article files: their front matter and Markdown body."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.yesno import yes
from .frontmatter import FrontMatterError, UnknownModeError, article_max_links, article_mode, split_front_matter

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_SLUG = re.compile(r"[^/?#%\s]+")


class ArticleError(ValueError):
    """An article file that cannot be read; the message names file and line."""


@dataclass(frozen=True)
class Article:
    """One Markdown article with the fields its front matter gives."""

    slug: str
    title: str
    body: str
    source_path: str
    content_hash: str
    date: str | None = None
    summary: str | None = None
    tags: tuple[str, ...] = ()
    lang: str = "zh-Hans"
    # None: the site's default (GLOSSARY_DEFAULT_MODE, GLOSSARY_MAX_LINKS_PER_TERM).
    mode: str | None = None
    max_links: int | None = None
    draft: bool = False
    meta: dict = field(default_factory=dict, compare=False)
    # The line of the article file where the body starts (after front matter).
    body_line: int = field(default=1, compare=False)


def read_article(path: str | Path) -> Article:
    """Read a Markdown article with optional YAML front matter.

    Args:
        path: The .md file; its name (without .md) is the slug unless the
            front matter sets `slug`.

    Returns:
        The article; title falls back to the first heading, then the file name.

    Raises:
        ArticleError: Unreadable file or bad front matter, naming file and line.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read file: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ArticleError(f"{path}:{line}: file is not valid UTF-8") from None
    try:
        meta, body, body_line = split_front_matter(text)
    except FrontMatterError as exc:
        raise ArticleError(f"{path}:{exc.line or 1}: {exc.args[0].split(': ', 1)[-1]}") from None
    slug = str(meta.get("slug") or path.stem)
    if not _SLUG.fullmatch(slug) or slug in (".", ".."):
        raise ArticleError(f"{path}:{_key_line(text, 'slug')}: slug {slug!r} must not be empty or contain "
                           "'/', '?', '#', '%' or spaces (it is the article's URL)")
    for key in ("title", "summary", "date"):
        if isinstance(meta.get(key), (list, dict)):
            raise ArticleError(f"{path}:{_key_line(text, key)}: '{key}' must be text, not a list or mapping")
    tag_values = meta.get("tags") or []
    if any(isinstance(t, (list, dict)) for t in (tag_values if isinstance(tag_values, list) else [tag_values])):
        raise ArticleError(f"{path}:{_key_line(text, 'tags')}: every tag must be text, e.g. tags: [trade, law]")
    heading = _HEADING.search(body)
    try:
        mode, max_links = article_mode(meta), article_max_links(meta)
    except (FrontMatterError, UnknownModeError) as exc:
        raise ArticleError(f"{path}:{_key_line(text, exc.key)}: {exc}") from None
    tags = meta.get("tags") or []
    return Article(
        slug=slug,
        title=str(meta.get("title") or (heading.group(1) if heading else path.stem)),
        body=body,
        source_path=str(path),
        content_hash=hashlib.sha256(raw).hexdigest(),
        date=str(meta["date"]) if meta.get("date") else None,
        summary=str(meta["summary"]) if meta.get("summary") else None,
        tags=tuple(dict.fromkeys(str(t) for t in (tags if isinstance(tags, list) else [tags]))),
        lang=str(meta.get("lang") or "zh-Hans"),
        mode=mode,
        max_links=max_links,
        # YAML 1.2 reads `no` and 'false' as text; an unclear word is no draft.
        draft=yes(meta.get("draft", False), otherwise=False),
        meta=meta,
        body_line=body_line,
    )


def article_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Expand folders to the .md files in them; keep files as given.

    Args:
        paths: Article files and folders of articles.

    Returns:
        (files, problems): the files in the order given, each folder's sorted
        by name, without repeats; a problem for each path that does not exist.
    """
    files: dict[Path, None] = {}
    problems = []
    for path in map(Path, paths):
        if path.is_dir():
            inside, refused = folder_articles(path)
            files.update(dict.fromkeys(inside))
            problems.extend(refused)
        elif path.is_file():
            files[path] = None
        elif path.exists():
            problems.append(f"{path}: cannot read file: not a regular file")
        else:
            problems.append(f"{path}: no such file or folder")
    return list(files), problems


def folder_articles(folder: str | Path) -> tuple[list[Path], list[str]]:
    """Return the .md files of a folder, sorted by name, refusing any that resolve outside it.

    Args:
        folder: The articles folder.

    Returns:
        (files, problems): the files inside the folder, and a `PATH: message`
        for each symbolic link (or other path) that leads out of it.
    """
    folder = Path(folder)
    root = folder.resolve()
    files, problems = [], []
    for path in sorted(folder.glob("*.md")):
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError) as exc:  # a dangling link or a loop
            problems.append(f"{path}: cannot read file: {getattr(exc, 'strerror', None) or exc}")
            continue
        if not target.is_file():  # a FIFO or device would block the read, a folder cannot be one
            problems.append(f"{path}: cannot read file: not a regular file")
            continue
        if target.parent != root and root not in target.parents:
            # An article is published: a link out of the folder would serve
            # whatever it points at (e.g. /etc/passwd) to every reader.
            problems.append(f"{path}: refused: it leads to {target}, outside the articles folder {root}")
            continue
        files.append(path)
    return files, problems


def read_articles(paths: Iterable[str | Path], progress: Callable | None = None) -> tuple[list[Article], list[str]]:
    """Read every article under `paths` (see `article_paths`).

    Args:
        paths: Article files and folders.
        progress: Wraps the list of files while they are read (a progress bar).

    Returns:
        (articles, problems): the articles that could be read, and a
        `PATH:LINE: message` for each that could not.
    """
    files, problems = article_paths(paths)
    articles = []
    for path in progress(files) if progress else files:
        try:
            articles.append(read_article(path))
        except ArticleError as exc:
            problems.append(str(exc))
    return articles, problems


def _key_line(text: str, key: str) -> int:
    """Return the line of `key:` in the front matter, or 1."""
    match = re.search(rf"^{key}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1
