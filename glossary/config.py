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
    # Largest request body the API reads (bytes); larger ones get 413 unread.
    "GLOSSARY_API_MAX_BODY": 2 * 1024 * 1024,
    # Origins allowed to call the API from a browser (CORS), separated by
    # commas or spaces; "*" allows any. Empty: none.
    "GLOSSARY_CORS_ORIGINS": "",
}


def settings(overrides: Mapping | None = None, environ: Mapping | None = None) -> dict:
    """Return the settings, later sources winning: defaults, environment, overrides."""
    environ = os.environ if environ is None else environ
    result = dict(DEFAULTS)
    for key, default in DEFAULTS.items():
        if key in environ:
            result[key] = type(default)(environ[key]) if isinstance(default, (int, float)) else environ[key]
    result.update({k: v for k, v in (overrides or {}).items()})
    return result
