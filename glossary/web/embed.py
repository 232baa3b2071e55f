"""The embeddable script, /embed.js: the glossary's term popovers on pages of other sites."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Blueprint, current_app, request

blueprint = Blueprint("embed", __name__)

SCRIPT = Path(__file__).resolve().parents[1] / "static" / "embed.js"
# Other sites link the script by one unchanging URL: readers' browsers reuse
# it for an hour, then ask again with its ETag (a 304 while it is the same).
MAX_AGE = 3600

_loaded: dict[tuple[int, int], tuple[bytes, str]] = {}


def script() -> tuple[bytes, str]:
    """Return the script's bytes and ETag (its digest), read again only when the file changes."""
    stat = SCRIPT.stat()
    key = (stat.st_mtime_ns, stat.st_size)
    if key not in _loaded:
        data = SCRIPT.read_bytes()
        _loaded.clear()
        _loaded[key] = (data, hashlib.sha256(data).hexdigest()[:32])
    return _loaded[key]


@blueprint.get("/embed.js")
def embed_js():
    """Serve the embeddable script, cacheable by its ETag, loadable by any origin."""
    data, etag = script()
    response = current_app.response_class(data, mimetype="text/javascript", headers={
        "Cache-Control": f"public, max-age={MAX_AGE}",
        "X-Content-Type-Options": "nosniff",
        # A page that isolates itself (COEP require-corp) may still load it,
        # and with `crossorigin` and `integrity` pin it by its hash (CORS).
        "Cross-Origin-Resource-Policy": "cross-origin",
        "Access-Control-Allow-Origin": "*",
    })
    response.set_etag(etag)
    return response.make_conditional(request)
