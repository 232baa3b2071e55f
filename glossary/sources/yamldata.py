"""Parse the YAML that editors and authors write: plain data, never alias expansion."""

from __future__ import annotations

import yaml
import yaml_rs

# terms.yaml and front matter are written by hand and never need anchors or
# aliases, while nine nested aliases expand a few hundred bytes into
# billions of values (a "billion laughs"): no alias is replayed at all.
_NO_ALIASES = yaml_rs.AliasLimits(max_total_replayed_events=0)

ALIAS_MESSAGE = "YAML aliases (*name) are not allowed here: write the value out in full"


class YAMLDataError(ValueError):
    """Text that is not plain YAML data; `line` is 1-based, None when unknown."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        super().__init__(message)


def loads(text: str):
    """Parse YAML into Python data, refusing aliases.

    Args:
        text: The YAML document.

    Returns:
        The data (None for an empty document).

    Raises:
        YAMLDataError: The document uses an alias; `line` names the first one.
        yaml_rs.YAMLDecodeError: Any other syntax error.
    """
    try:
        return yaml_rs.loads(text, parse_datetime=False, alias_limits=_NO_ALIASES)
    except yaml_rs.YAMLDecodeError as exc:
        if "alias replay limit" not in str(exc):
            raise
        raise YAMLDataError(ALIAS_MESSAGE, first_alias_line(text)) from None


def first_alias_line(text: str) -> int | None:
    """Return the 1-based line of the first alias in `text`, or None."""
    # The scanner only tokenises: its cost is linear whatever the aliases would expand to.
    try:
        for token in yaml.scan(text, Loader=yaml.CSafeLoader):
            if isinstance(token, yaml.AliasToken):
                return token.start_mark.line + 1
    except yaml.YAMLError:
        return None
    return None
