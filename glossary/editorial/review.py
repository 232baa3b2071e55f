"""Which definitions to check again: those never dated, or last checked long ago, with how many articles use each."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from ..core.model import Glossary
from ..render import annotate_markdown

# Days after which a definition's as_of is old enough to check again.
DEFAULT_OLDER_THAN = 180


@dataclass(frozen=True)
class Due:
    """A term whose definition is due for checking: its as_of (None: never dated) and the articles using it."""

    id: str
    term: str
    as_of: date | None
    age: int | None
    articles: int

    def to_dict(self) -> dict:
        """Return the entry as `review --format json` writes it."""
        return {"id": self.id, "term": self.term, "as_of": self.as_of.isoformat() if self.as_of else None,
                "age_days": self.age, "articles": self.articles}

    def line(self) -> str:
        """Return the entry as `review` prints it."""
        checked = f"{self.as_of.isoformat()} ({self.age} days ago)" if self.as_of else "never dated"
        used = f"{self.articles} article" + ("" if self.articles == 1 else "s")
        return f"{checked}  {self.id} ({self.term})  {used}"


def review(glossary: Glossary, articles: Iterable[str], today: date, older_than: int = DEFAULT_OLDER_THAN,
           progress: Callable | None = None) -> list[Due]:
    """List the terms to check again, oldest first.

    Args:
        glossary: The terms.
        articles: The Markdown bodies of the articles, to count which terms each uses.
        today: The day to count ages from.
        older_than: A term is due when its as_of is more than this many days before `today`.
        progress: Wraps the articles while they are read (a progress bar).

    Returns:
        The terms without as_of first (in glossary order), then those with
        the oldest as_of; each with the number of articles that mention it.
    """
    due = [t for t in glossary if t.as_of is None or (today - t.as_of).days > older_than]
    if not due:
        return []
    wanted = {t.id for t in due}
    used: Counter = Counter()
    for body in progress(articles) if progress else articles:
        used.update({c.id for c in annotate_markdown(body, glossary, mode="all", max_links=0).terms} & wanted)
    found = [Due(t.id, t.term, t.as_of, (today - t.as_of).days if t.as_of else None, used[t.id]) for t in due]
    # sorted() is stable: undated terms keep their glossary order.
    return sorted(found, key=lambda d: (d.as_of is not None, d.as_of or today))
