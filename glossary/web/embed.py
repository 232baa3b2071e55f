"""The embeddable script, /embed.js: the glossary's term popovers on pages of other sites."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Blueprint, current_app, request

blueprint = Blueprint("embed", __name__)

STATIC = Path(__file__).resolve().parents[1] / "static"
SCRIPT = STATIC / "embed.js"
# The popovers are glossary.js's own code, between these lines, put in
# place of PLACE in embed.js: one behaviour, written once, for both.
POPOVERS = STATIC / "glossary.js"
BEGIN, END, PLACE = "// <popovers>", "// </popovers>", "/* glossaryPopovers */"
# Other sites link the script by one unchanging URL: readers' browsers reuse
# it for an hour, then ask again with its ETag (a 304 while it is the same).
MAX_AGE = 3600

_loaded: dict[tuple[int, int], tuple[bytes, str]] = {}


def script() -> tuple[bytes, str]:
    """Return the script's bytes and ETag (its digest), made again only when one of its files changes."""
    key = tuple((s.st_mtime_ns, s.st_size) for s in (SCRIPT.stat(), POPOVERS.stat()))
    if key not in _loaded:
        data = compose(SCRIPT.read_text(encoding="utf-8"), POPOVERS.read_text(encoding="utf-8")).encode()
        _loaded.clear()
        _loaded[key] = (data, hashlib.sha256(data).hexdigest()[:32])
    return _loaded[key]


def compose(embed: str, popovers: str) -> str:
    """Return the embed script with glossary.js's popover code in its place.

    Raises:
        ValueError: A file lacks its mark (an edit removed it).
    """
    start, end = popovers.find(BEGIN), popovers.find(END)
    if start < 0 or end < start or PLACE not in embed:
        raise ValueError(f"glossary.js must hold {BEGIN} ... {END} and embed.js {PLACE}")
    # From the start of the line after the opening mark to the closing mark's line.
    code = popovers[popovers.index("\n", start) + 1:popovers.rindex("\n", 0, end) + 1]
    # Its comments are for readers of glossary.js: the embed stays under 15 KB without them.
    code = "\n".join(line for line in code.splitlines() if not line.lstrip().startswith("//"))
    return embed.replace(PLACE, code.strip(), 1)


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
