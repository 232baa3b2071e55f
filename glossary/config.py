"""Settings: defaults, then GLOSSARY_* environment variables, then an explicit dict.

Every setting is declared once, in SETTINGS: its variable, default, type and
help. `settings()` and DEFAULTS read it, the README's configuration table is
written from it (`make settings-table`), and the CLI flags that set one take
their default's description from it (`default_text`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .core.yesno import yes


@dataclass(frozen=True)
class Setting:
    """One setting: a GLOSSARY_* variable, its default, its type and one line of help (Markdown)."""

    name: str
    default: object
    # str, int, float or bool (a yes/no setting: see `yesno.yes`).
    type: type
    help: str
    # How the README and the CLI show the default, when not the value itself.
    shown: str | None = None
    # The CLI flags that set it too ("COMMAND --flag"); their help names the variable.
    flags: tuple[str, ...] = ()


SETTINGS: tuple[Setting, ...] = (
    Setting("GLOSSARY_TERMS", "terms.yaml", str,
            "the editors' glossary file; a server follows it only when this is set (or `serve --terms`)",
            flags=("check PATH", "sync --terms", "annotate --terms", "serve --terms", "harvest --terms",
                   "lint --terms", "export --terms", "import --terms")),
    Setting("GLOSSARY_ARTICLES", "articles", str, "folder of `*.md` articles",
            flags=("sync --articles", "harvest ARTICLES", "lint ARTICLES")),
    Setting("GLOSSARY_DATABASE_URL", None, str, "SQLAlchemy URL of the term store",
            shown="SQLite in the instance folder",
            flags=("sync --database-url", "serve --database-url", "db upgrade --database-url",
                   "db status --database-url")),
    Setting("GLOSSARY_INSTANCE_PATH", None, str, "where the default SQLite file lives",
            shown="`instance/` in the project folder"),
    Setting("GLOSSARY_LINK_PREFIX", "/terms/", str, "prefix of the term links the annotator writes"),
    Setting("GLOSSARY_LINK_BASE", "", str,
            "the glossary's public address (an absolute http(s) URL, e.g. `https://glossary.example`): "
            "`POST /api/annotate` then writes absolute term links, `https://glossary.example/terms/<id>`, "
            "unless a request's `link_base` says otherwise; empty: relative links (`/terms/<id>`)",
            shown="empty (relative links)"),
    Setting("GLOSSARY_RELOAD_INTERVAL", 1.0, float,
            "seconds between a server's checks of terms.yaml and of the store's glossary version"),
    Setting("GLOSSARY_RELOAD_WAIT", 0.5, float,
            "seconds the request that notices a change waits for the new glossary "
            "(it and every other request get the one in hand meanwhile)"),
    Setting("GLOSSARY_REPLACE_STORE", False, bool,
            "`1`: the followed terms file may replace a store whose glossary was synced from another file "
            "(`serve --replace`)",
            flags=("serve --replace",)),
    Setting("GLOSSARY_WATCH_TERMS", True, bool,
            "whether a server follows edits to terms.yaml itself (`0` in production: `glossary sync` instead)"),
    Setting("GLOSSARY_PAGE_CACHE_SIZE", 512, int, "rendered pages each worker keeps"),
    Setting("GLOSSARY_ANSWER_CACHE_MB", 64, int,
            "megabytes of `POST /api/annotate` answers each worker keeps, to answer a repeated request at once "
            "(none larger than a quarter of it)"),
    Setting("GLOSSARY_INDEX_PAGE_SIZE", 1000, int,
            "above this many terms `/terms` shows one letter at a time (`?letter=C`), "
            "in pages of this size (`?page=2`)"),
    Setting("GLOSSARY_PAGE_MAX_AGE", 10, int, "seconds a reverse proxy may reuse a page before revalidating it"),
    Setting("GLOSSARY_RETRY_AFTER", 5, int, "`Retry-After` seconds on a 503 while the store is unreachable"),
    Setting("GLOSSARY_API_MAX_BODY", 2 * 1024 * 1024, int,
            "largest API request body in bytes; larger ones get 413 unread", shown="`2097152` (2 MB)"),
    Setting("GLOSSARY_CORS_ORIGINS", "", str,
            "origins that may call the API from a browser (the pages that include `/embed.js` among them), "
            "separated by commas or spaces; `*` for any",
            shown="empty (none)"),
    Setting("GLOSSARY_EDITOR_TOKEN", "", str,
            "the token an editor shows to open `/editor` (see [The editors' page](#the-editors-page-editor))",
            shown="empty (`/editor` off)"),
    Setting("GLOSSARY_DEFAULT_MODE", "bold", str,
            "annotation mode of an article whose front matter names none (`annotate:`)",
            flags=("annotate --mode",)),
    Setting("GLOSSARY_MAX_LINKS_PER_TERM", 10, int,
            "the most links one term gets in one article, at most one per section "
            "(an article's `max_links:` wins); `0`: no limit",
            flags=("annotate --max-links",)),
    Setting("GLOSSARY_PREVIEW_TOKEN", "", str,
            "secret that shows drafts at `/articles/<slug>?preview=<token>`", shown="empty (no previews)"),
    Setting("GLOSSARY_ANNOTATE_TIMEOUT", 5.0, float,
            "seconds `POST /api/annotate` may spend converting one article, and `POST /api/annotate/batch` "
            "all of its items; past it the conversion stops and the answer (the item's, in a batch) is 422 "
            "`too-slow`; `0`: no limit"),
    Setting("GLOSSARY_ANNOTATE_MAX_CHARS", 500_000, int,
            "most characters of Markdown or HTML `POST /api/annotate` converts; longer ones get 413 `too-long`; "
            "`0`: no limit"),
    Setting("GLOSSARY_DOCUMENT_MAX_CHARS", 500_000, int,
            "most characters of a whole page (`document`) `POST /api/annotate` takes; longer ones get 413 "
            "`too-long`. The deadline does not stop the page's parse and write-back (beautifulsoup4), so this "
            "bounds their time (see [API](#api)); `0`: no limit"),
    Setting("GLOSSARY_BATCH_MAX_ITEMS", 50, int,
            "most items one `POST /api/annotate/batch` takes; more get 400 `too-many-items` (the body stays "
            "within `GLOSSARY_API_MAX_BODY`)"),
    Setting("GLOSSARY_TRUST_ARTICLE_HTML", False, bool,
            "`1`: serve the raw HTML of article files as written (embeds, widgets); "
            "otherwise it goes through the API's allow-list"),
)

DEFAULTS = {s.name: s.default for s in SETTINGS}

# Keys the app keeps in its config beside the settings, set by code, never
# read from the environment and not documented as settings.
INTERNAL = {
    # Whether this server follows its terms file: create_app decides it from
    # GLOSSARY_TERMS and GLOSSARY_WATCH_TERMS, `serve --terms` sets it.
    "GLOSSARY_FOLLOW_TERMS",
}

_BY_NAME = {s.name: s for s in SETTINGS}


class SettingError(ValueError):
    """A setting whose value cannot be used; the message names the variable."""


def settings(overrides: Mapping | None = None, environ: Mapping | None = None) -> dict:
    """Return the settings, later sources winning: defaults, environment, overrides.

    Text (every environment value, and text in `overrides`) is read as the
    setting's type; other values in `overrides` are taken as given.

    Raises:
        SettingError: A value that is not of its setting's type, naming the variable.
    """
    environ = os.environ if environ is None else environ
    result = dict(DEFAULTS)
    result.update({s.name: environ[s.name] for s in SETTINGS if s.name in environ})
    result.update(overrides or {})
    for name, value in result.items():
        if name in _BY_NAME and isinstance(value, str):
            result[name] = _read(_BY_NAME[name], value)
    return result


def _read(setting: Setting, text: str):
    if setting.type is bool:
        return yes(text, otherwise=True)
    if setting.type in (int, float):
        try:
            return setting.type(text)
        except ValueError:
            kind = "a whole number" if setting.type is int else "a number"
            raise SettingError(f"{setting.name}={text!r}: must be {kind}, e.g. {setting.default}") from None
    return text


def shown_default(name: str) -> str:
    """Return how the README shows the default of setting `name` (Markdown)."""
    setting = _BY_NAME[name]
    if setting.shown is not None:
        return setting.shown
    value = setting.default
    if isinstance(value, bool):
        value = int(value)
    return f"`{value:g}`" if isinstance(value, float) else f"`{value}`"


def default_text(name: str) -> str:
    """Return the default a CLI flag that sets `name` falls back to, as its help says it."""
    return f"${name}, else {shown_default(name).replace('`', '')}"


def markdown_table() -> str:
    """Return the README's configuration table, one row per setting."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    rows += [f"| `{s.name}` | {shown_default(s.name)} | {s.help} |" for s in SETTINGS]
    return "\n".join(rows) + "\n"


# Where the README's table starts and ends.
TABLE_START = "<!-- settings table: written by `make settings-table` from glossary/config.py -->\n"
TABLE_END = "<!-- end of settings table -->\n"


def write_readme_table(readme: str | Path) -> bool:
    """Write the configuration table into `readme` between its markers; return whether it changed.

    Raises:
        ValueError: The README lacks the markers.
    """
    path = Path(readme)
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(TABLE_START) + ".*?" + re.escape(TABLE_END), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"{path}: no settings table markers ({TABLE_START.strip()})")
    new = pattern.sub(lambda _: TABLE_START + markdown_table() + TABLE_END, text)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text
