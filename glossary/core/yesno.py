"""Yes/no values, as settings and front matter write them."""

from __future__ import annotations

YES = frozenset({"1", "true", "yes", "on"})
NO = frozenset({"0", "false", "no", "off", ""})


def yes(value, otherwise: bool) -> bool:
    """Read a yes/no value: text in YES or NO (any case, spaces around), else `bool(value)` for non-text.

    Args:
        value: Text, a bool, a number or None.
        otherwise: What text that is neither yes nor no means (settings: yes,
            so that any value turns a flag on; front matter: no).

    Returns:
        Whether `value` says yes.
    """
    if not isinstance(value, str):
        return bool(value)
    word = value.strip().lower()
    return True if word in YES else False if word in NO else otherwise
