"""Settings: defaults, then GLOSSARY_* environment variables, then an explicit dict."""

from __future__ import annotations

import os
from collections.abc import Mapping

DEFAULTS = {
    "GLOSSARY_TERMS": "terms.yaml",
    "GLOSSARY_ARTICLES": "articles",
    # None: SQLite in the Flask instance folder.
    "GLOSSARY_DATABASE_URL": None,
    "GLOSSARY_LINK_PREFIX": "/terms/",
    # How often (seconds) a server asks the store whether the glossary changed.
    "GLOSSARY_RELOAD_INTERVAL": 1.0,
    # How long (seconds) the request that notices a change waits for the new
    # glossary; it and every other request get the one in hand meanwhile.
    "GLOSSARY_RELOAD_WAIT": 0.5,
    # Whether a server that follows a terms file may write it over a store
    # whose glossary was synced from another file (`serve --replace`).
    "GLOSSARY_REPLACE_STORE": "0",
    # Whether a server follows edits to terms.yaml itself (syncing them into
    # the store). Production servers sharing one store leave that to
    # `glossary sync` and set it to 0.
    "GLOSSARY_WATCH_TERMS": "1",
    # Rendered pages a worker keeps in memory, and how long (seconds) a
    # reverse proxy may reuse one before revalidating it.
    "GLOSSARY_PAGE_CACHE_SIZE": 512,
    # Above this many terms the index shows one letter at a time, in pages.
    "GLOSSARY_INDEX_PAGE_SIZE": 1000,
    "GLOSSARY_PAGE_MAX_AGE": 10,
    # Seconds a client is told to wait (Retry-After) when the store is unreachable.
    "GLOSSARY_RETRY_AFTER": 5,
    # Largest request body the API reads (bytes); larger ones get 413 unread.
    "GLOSSARY_API_MAX_BODY": 2 * 1024 * 1024,
    # Origins allowed to call the API from a browser (CORS), separated by
    # commas or spaces; "*" allows any. Empty: none.
    "GLOSSARY_CORS_ORIGINS": "",
    # The token an editor shows to see /editor (Authorization: Bearer, or the
    # page's sign-in form). Empty: the page is off (404).
    "GLOSSARY_EDITOR_TOKEN": "",
    # The annotation mode of an article whose front matter names none
    # (`annotate:`), and the most links per term in one article, one per
    # section (`max_links:` overrides it; 0: no limit).
    "GLOSSARY_DEFAULT_MODE": "bold",
    "GLOSSARY_MAX_LINKS_PER_TERM": 10,
    # A secret that lets /articles/<slug>?preview=<token> show drafts. Empty: no previews.
    "GLOSSARY_PREVIEW_TOKEN": "",
    # Seconds POST /api/annotate may spend converting one article; past it
    # the conversion stops and the answer is 422. 0: no limit.
    "GLOSSARY_ANNOTATE_TIMEOUT": 5.0,
    # Most characters of Markdown or HTML POST /api/annotate converts (413 above). 0: no limit.
    "GLOSSARY_ANNOTATE_MAX_CHARS": 500_000,
    # 1: article files' raw HTML is served as written (for embeds); else it
    # is sanitised with the API's allow-list.
    "GLOSSARY_TRUST_ARTICLE_HTML": "0",
}


class SettingError(ValueError):
    """A setting whose value cannot be used; the message names the variable."""


def settings(overrides: Mapping | None = None, environ: Mapping | None = None) -> dict:
    """Return the settings, later sources winning: defaults, environment, overrides."""
    environ = os.environ if environ is None else environ
    result = dict(DEFAULTS)
    for key, default in DEFAULTS.items():
        if key in environ:
            try:
                result[key] = type(default)(environ[key]) if isinstance(default, int | float) else environ[key]
            except ValueError:
                kind = "a whole number" if isinstance(default, int) else "a number"
                raise SettingError(f"{key}={environ[key]!r}: must be {kind}, e.g. {default}") from None
    result.update({k: v for k, v in (overrides or {}).items()})
    return result


def flag(value) -> bool:
    """Read a yes/no setting: "0", "false", "no", "off" and "" are no, anything else yes."""
    return str(value).strip().lower() not in ("0", "false", "no", "off", "")
