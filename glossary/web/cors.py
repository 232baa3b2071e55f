"""Cross-origin access to the API for browser-based authoring tools (CORS)."""

from __future__ import annotations

import re

from flask import current_app, request

from .problems import is_api_path

METHODS = "GET, HEAD, POST, OPTIONS"
REQUEST_HEADERS = "Content-Type, If-None-Match"
EXPOSED_HEADERS = "ETag"
MAX_AGE = "600"


def allowed_origins(value) -> frozenset[str]:
    """Parse GLOSSARY_CORS_ORIGINS (text separated by commas or spaces, or a list) into origins."""
    items = re.split(r"[\s,]+", value) if isinstance(value, str) else list(value or ())
    return frozenset(item.strip().rstrip("/").lower() for item in items if item and item.strip())


def _allowed(origin: str | None) -> str | None:
    """Return the Access-Control-Allow-Origin value for `origin`, or None."""
    if not origin:
        return None
    origins = allowed_origins(current_app.config.get("GLOSSARY_CORS_ORIGINS"))
    if "*" in origins:
        return "*"
    return origin if origin.rstrip("/").lower() in origins else None


def attach(blueprint) -> None:
    """Answer preflight requests and add CORS headers to every API response."""

    @blueprint.before_app_request
    def preflight():
        if request.method != "OPTIONS" or not is_api_path(request.path):
            return None
        if "Access-Control-Request-Method" not in request.headers:
            return None  # a plain OPTIONS: Flask answers with Allow
        # An origin that is not allowed gets no CORS headers: the browser then refuses.
        response = current_app.response_class(status=204)
        del response.headers["Content-Type"]
        if _allowed(request.headers.get("Origin")):
            response.headers["Access-Control-Allow-Methods"] = METHODS
            response.headers["Access-Control-Allow-Headers"] = REQUEST_HEADERS
            response.headers["Access-Control-Max-Age"] = MAX_AGE
        return response

    @blueprint.after_app_request
    def allow_origin(response):
        if not is_api_path(request.path):
            return response
        response.vary.add("Origin")
        origin = _allowed(request.headers.get("Origin"))
        if origin:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response
