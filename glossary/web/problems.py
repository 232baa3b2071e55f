"""RFC 9457 problem details: how the API answers every error."""

from __future__ import annotations

import json
from http import HTTPStatus

from flask import current_app, request
from werkzeug.exceptions import HTTPException, default_exceptions

MEDIA_TYPE = "application/problem+json"
# Paths whose errors are problem+json; every other path keeps the site's HTML pages.
API_PREFIX = "/api/"
HEALTH_PATH = "/healthz"
TYPE_BASE = "/api/problems/"

# type slug -> (status, title). The OpenAPI document lists the same.
PROBLEMS = {
    "malformed-json": (400, "Request body is not valid JSON"),
    "invalid-request": (400, "Request does not match the API"),
    "unknown-mode": (400, "Unknown annotation mode"),
    "bad-front-matter": (400, "Front matter is not a YAML mapping"),
    "too-deep": (400, "Article nests too deeply"),
    "not-found": (404, "Not found"),
    "method-not-allowed": (405, "Method not allowed"),
    "too-large": (413, "Request body too large"),
    "too-long": (413, "Article too long"),
    "unsupported-media-type": (415, "Unsupported media type"),
    "too-slow": (422, "Article took too long to annotate"),
    "store-unavailable": (503, "Term store unavailable"),
    "server-error": (500, "Internal server error"),
}


def is_api_path(path: str) -> bool:
    """Tell whether `path` belongs to the API (errors as problem+json)."""
    return path.startswith(API_PREFIX) or path == API_PREFIX.rstrip("/") or path == HEALTH_PATH


def problem(kind: str, detail: str, *, status: int | None = None, headers: dict | None = None):
    """Return a problem+json response of type `kind` (a key of PROBLEMS)."""
    default_status, title = PROBLEMS[kind]
    status = status or default_status
    body = {"type": TYPE_BASE + kind, "title": title, "status": status, "detail": detail}
    return current_app.response_class(
        json.dumps(body, ensure_ascii=False), status=status, mimetype=MEDIA_TYPE, headers=headers
    )


def unavailable(detail: str):
    """Return the 503 problem for a store that does not answer, telling the client when to try again."""
    return problem("store-unavailable", detail, headers=retry_after())


def retry_after() -> dict:
    """Return the Retry-After header for an answer given while the store is unreachable."""
    return {"Retry-After": str(int(current_app.config["GLOSSARY_RETRY_AFTER"]))}


def from_http_exception(error: HTTPException):
    """Return the problem response for a werkzeug HTTP error."""
    kinds = {404: "not-found", 405: "method-not-allowed", 413: "too-large", 415: "unsupported-media-type"}
    headers = {}
    if error.code == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
    kind = kinds.get(error.code)
    if error.code == 404:
        detail = f"nothing at {request.path}; see /api/openapi.json for the API's paths"
    elif error.code == 405:
        detail = f"{request.method} is not allowed on {request.path}; use {headers.get('Allow', 'another method')}"
    else:
        detail = error.description or HTTPStatus(error.code).phrase
    if kind is None:
        # Any other HTTP error keeps its status under the generic type.
        kind = "invalid-request" if error.code < 500 else "server-error"
    return problem(kind, detail, status=error.code, headers=headers)


def attach(blueprint) -> None:
    """Make `blueprint` answer its errors, and any routing error under the API's paths, with problem+json."""

    @blueprint.before_app_request
    def routing_problem():
        # Flask raises routing errors (unknown path, wrong method) before any
        # blueprint is chosen, so only an app-wide hook can tell API paths apart.
        error = request.routing_exception
        if error is not None and is_api_path(request.path) and getattr(error, "code", 0) >= 400:
            return from_http_exception(error)
        return None

    # By code: the site registers app-wide handlers for some codes, and
    # Flask prefers any handler for the code over one for HTTPException.
    for code in default_exceptions:
        blueprint.register_error_handler(code, from_http_exception)
    blueprint.register_error_handler(Exception, _unexpected)


def _unexpected(error: Exception):
    from sqlalchemy.exc import SQLAlchemyError

    from ..store import SchemaError

    if isinstance(error, HTTPException):
        return from_http_exception(error)
    if isinstance(error, (SQLAlchemyError, OSError, SchemaError)):
        current_app.logger.error("term store unavailable: %s", error)
        return unavailable(str(error) if isinstance(error, SchemaError)
                           else "the term store did not answer; try again later")
    current_app.logger.exception("API request failed")
    return problem("server-error", "the server failed to answer this request; the failure is logged")
