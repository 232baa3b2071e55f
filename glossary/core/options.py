"""How annotations are written: the modes, the link limit and the other options of one annotation."""

from __future__ import annotations

from dataclasses import dataclass

MODES = ("bold", "first", "all")
# Links per term and article (at most one per section); 0 lifts the limit.
# Read from the sample articles and the seeds: a term rarely opens more than
# ten sections, and a reader entering at any heading finds it linked once.
DEFAULT_MAX_LINKS = 10


@dataclass(frozen=True)
class Options:
    """How annotations are written.

    Attributes:
        mode: "bold", "first" or "all" (see README).
        link_prefix: URL prefix of term pages; the term id is appended.
        id_prefix: Prefix of the definition elements' ids, so that several
            annotated fragments can share a page.
        notes_title: Heading of the definitions block.
        max_links: Most links a term gets in one fragment, at most one per
            section (the text from one heading to the next); 0 links every
            mention the mode finds. Mentions past the limit stay text.
        link_notes: Link each headword of the definitions block to its
            term page (a site's own pages; the popover shows it as text).
        lang: The article's language (BCP 47): a Traditional-script locale
            has its notes converted (core/script.py), and a variant listed
            for its region heads the notes (core/variants.py).
        notes: Write the definitions block at the end. Without it the links
            carry no `aria-describedby` (there is nothing to point at).
        explain: Record why each mention matched and why each bold phrase
            that is not annotated was not (`Annotation.explanation`); off,
            the walk does nothing more.
    """

    mode: str = "bold"
    link_prefix: str = "/terms/"
    id_prefix: str = "gl-"
    notes_title: str = "本文术语"
    max_links: int = DEFAULT_MAX_LINKS
    link_notes: bool = False
    lang: str | None = None
    notes: bool = True
    explain: bool = False

    def __post_init__(self):
        check_mode(self.mode)
        check_max_links(self.max_links)


def check_mode(mode) -> str:
    """Return `mode` if it is one of MODES.

    Raises:
        ValueError: Naming the modes there are.
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
    return mode


def check_max_links(value) -> int:
    """Return `value` if it is a whole number of links, 0 or more.

    Raises:
        ValueError: Saying what a limit looks like.
    """
    if type(value) is not int or value < 0:
        raise ValueError(f"max_links must be a whole number, 0 or more (0: no limit), not {value!r}")
    return value
