"""How deep markup may nest: libxml2 silently drops what lies deeper than 255 levels, so deeper is refused."""

from __future__ import annotations

# Refusing well before libxml2's limit keeps every word of an article or says why not.
MAX_DEPTH = 200


class NestingError(ValueError):
    """Markup that nests deeper than the sanitiser and annotator handle."""


def check_depth(root, plan=None) -> None:
    """Raise NestingError when `root` (ElementTree or lxml), with `plan` applied, nests past MAX_DEPTH levels.

    Args:
        root: The tree.
        plan: An annotator's plan for the tree, not yet applied (see
            core.plan.Plan); its links nest one level deeper than
            the text they hold. Applied to the tree when that decides.
    """
    deepest = len(_levels(root)) - 1
    if plan is not None and plan.changed and deepest == MAX_DEPTH:
        plan.apply(root)
        deepest = len(_levels(root)) - 1
    _refuse_deeper_than_allowed(deepest)


def elements_within_depth(root) -> list:
    """Return every element under `root` (lxml or ElementTree); raise NestingError past MAX_DEPTH levels."""
    levels = _levels(root)
    _refuse_deeper_than_allowed(len(levels) - 1)
    return [element for level in levels for element in level]


def _levels(root) -> list[list]:
    """Return the elements of `root` (lxml or ElementTree) level by level, `root` alone first; comments left out."""
    # Iterative (a recursive walk would fail on the inputs this guards
    # against), one comprehension per level rather than Python steps per
    # element (a dense 5 KB article's check: 19 -> 9 us).
    levels = [[root]]
    while True:
        level = [child for element in levels[-1] for child in element if isinstance(child.tag, str)]
        if not level:
            return levels
        levels.append(level)


def _refuse_deeper_than_allowed(deepest: int) -> None:
    if deepest > MAX_DEPTH:
        raise NestingError(f"the markup nests {deepest} elements deep; at most {MAX_DEPTH} are supported")
