"""schema.org data for the glossary: DefinedTermSet and DefinedTerm, as JSON-LD."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..core.definitions import definition_text
from ..core.model import Term
from ..core.versions import Source, safe_url

CONTEXT = "https://schema.org"


def defined_term(term: Term, url: str, set_url: str | None = None, set_name: str | None = None) -> dict:
    """Describe one term as a schema.org DefinedTerm.

    Args:
        term: The term.
        url: The term page's absolute URL (also its @id).
        set_url: The glossary's URL, given when the term stands alone.
        set_name: The glossary's name, with `set_url`.

    Returns:
        JSON-ready data; with `set_url` it carries @context and inDefinedTermSet.
    """
    data = {"@type": "DefinedTerm", "@id": url, "url": url, "name": term.term, "termCode": term.id}
    other_names = list(dict.fromkeys(name for name in (term.en, *term.aliases) if name))
    if other_names:
        data["alternateName"] = other_names
    description = definition_text(term.definition)
    if description:
        data["description"] = description
    if term.as_of:
        data["dateModified"] = term.as_of.isoformat()
    if term.sources:
        data["citation"] = [_creative_work(source) for source in term.sources if safe_url(source.url)]
    if set_url:
        data = {"@context": CONTEXT, **data}
        data["inDefinedTermSet"] = {"@type": "DefinedTermSet", "@id": set_url, "url": set_url,
                                    **({"name": set_name} if set_name else {})}
    return data


def defined_term_set(terms: Iterable[Term], term_url: Callable[[str], str], url: str, name: str,
                     language: str = "zh-Hans") -> dict:
    """Describe a glossary as a schema.org DefinedTermSet holding its terms.

    Args:
        terms: The terms listed.
        term_url: Maps a term id to its page's absolute URL.
        url: The glossary page's absolute URL (also its @id).
        name: The glossary's name.
        language: The language of the headwords (BCP 47).

    Returns:
        JSON-ready data.
    """
    return {
        "@context": CONTEXT,
        "@type": "DefinedTermSet",
        "@id": url,
        "url": url,
        "name": name,
        "inLanguage": language,
        "hasDefinedTerm": [defined_term(term, term_url(term.id)) for term in terms],
    }


def _creative_work(source: Source) -> dict:
    """Describe a definition's source as a schema.org CreativeWork."""
    work = {"@type": "CreativeWork", "url": source.url, "name": source.label}
    if source.date:
        work["datePublished"] = source.date.isoformat()
    return work
