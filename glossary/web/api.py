"""The JSON API for authoring tools: annotate, terms, the OpenAPI document, health."""

from __future__ import annotations

import hashlib
import json
import math
import select
import socket
from datetime import date

from flask import Blueprint, current_app, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from ..core.annotation import Annotation
from ..core.annotator import check_mode
from ..core.compiled import CompiledGlossary
from ..core.definitions import definition_html
from ..core.model import Term
from ..core.normalize import normalize_key
from ..core.variants import is_language_tag, variant_list
from ..core.versions import parse_date
from ..render import annotate_untrusted_html, annotate_untrusted_markdown
from ..render.mdlimits import DeadlineError, deadline
from ..render.sanitize import NestingError
from ..sources.frontmatter import FrontMatterError, annotation_settings
from . import cors, openapi, problems
from .changes import dated_fields
from .live import display_store
from .problems import ProblemError, problem, unavailable
from .service import service

blueprint = Blueprint("api", __name__)
cors.attach(blueprint)
problems.attach(blueprint)

INPUTS = ("markdown", "html")
FIELDS = (*INPUTS, "mode", "date", "lang")

# A reload running this long (seconds) is reported by /healthz.
RELOADING_AFTER = 2.0


def _json(data, status: int = 200, headers: dict | None = None):
    """Answer with `data` as JSON; what JSON has no type for (a date, NaN, a number as key) becomes text."""
    body = json.dumps(_jsonable(data), ensure_ascii=False, allow_nan=False)
    return current_app.response_class(body, status=status, mimetype="application/json", headers=headers)


def _jsonable(value):
    """Return `value` as JSON data: keys as text, non-finite numbers and unknown types as text."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _conditional(response):
    """Give a GET response an ETag and answer a matching If-None-Match with 304."""
    response.add_etag()
    return response.make_conditional(request)


@blueprint.post("/api/annotate")
def annotate():
    """Annotate an article sent as Markdown or HTML; answer with the Annotation as JSON."""
    data = _annotate_request()
    field, mode, day = next(name for name in INPUTS if name in data), data.get("mode"), parse_date(data.get("date"))
    glossary, lang = service().glossary(), data.get("lang")
    link_prefix = current_app.config["GLOSSARY_LINK_PREFIX"]
    etag = _annotation_etag(field, data[field], mode, glossary.version, link_prefix, day, lang)
    headers = {"ETag": f'"{etag}"'}
    if request.if_none_match.contains_weak(etag):
        return current_app.response_class(status=304, headers=headers)
    # The ETag names the input, mode and glossary: an answer made for it
    # before (an editor's preview sends the same article again and again)
    # is the answer now.
    body = service().answers.get(etag)
    if body is None:
        body = _annotation_body(_annotated(field, data[field], mode, glossary, link_prefix, day, lang),
                                glossary.version)
        service().answers.put(etag, body)
    return current_app.response_class(body, mimetype="application/json", headers=headers)


def _annotate_request() -> dict:
    """Return the annotate request's JSON body: exactly one input, within the limits, and an optional mode.

    Raises:
        ProblemError: unsupported-media-type, too-large, malformed-json, invalid-request, unknown-mode or too-long.
    """
    mimetype = request.mimetype
    if mimetype != "application/json" and not (mimetype.startswith("application/") and mimetype.endswith("+json")):
        raise ProblemError("unsupported-media-type",
                           f"send the article as application/json, not {mimetype or 'a body without Content-Type'}")
    try:
        data = json.loads(_request_body(int(current_app.config["GLOSSARY_API_MAX_BODY"])))
    except (ValueError, RecursionError) as exc:
        raise ProblemError("malformed-json", f"the body is not valid JSON: {exc}"[:500]) from None
    _check_request(data)
    field = next(name for name in INPUTS if name in data)
    most = int(current_app.config["GLOSSARY_ANNOTATE_MAX_CHARS"])
    if most and len(data[field]) > most:
        raise ProblemError("too-long", f"the '{field}' field holds {len(data[field])} characters; at most {most} "
                                       f"are annotated (GLOSSARY_ANNOTATE_MAX_CHARS)")
    return data


def _request_body(limit: int) -> bytes:
    """Return the request's body.

    Raises:
        ProblemError: too-large, when the body holds more than `limit` bytes.
    """
    # Werkzeug refuses a larger Content-Length before reading, and stops
    # reading a chunked body at the limit, silently: one byte more than the
    # limit tells a body that is too large from one that just fits.
    request.max_content_length = limit + 1
    try:
        raw = request.get_data(cache=False)
    except RequestEntityTooLarge:
        raw = None
    if raw is None or len(raw) > limit:
        raise ProblemError("too-large", f"the request body is larger than {limit} bytes")
    return raw


def _annotated(field: str, text: str, mode: str | None, glossary: CompiledGlossary, link_prefix: str,
               day: date | None = None, lang: str | None = None) -> Annotation:
    """Annotate `text` (Markdown or HTML, as `field` says) within the server's time limit.

    Raises:
        ProblemError: too-slow, bad-front-matter, too-deep or unknown-mode (a mode from the front matter).
    """
    seconds = float(current_app.config["GLOSSARY_ANNOTATE_TIMEOUT"])
    try:
        with deadline(seconds, _client_gone(request.environ)):
            # What neither the request nor the front matter says, the site's settings do.
            site = annotation_settings(None, None, current_app.config)
            if field == "markdown":
                return annotate_untrusted_markdown(text, glossary, mode, link_prefix=link_prefix, date=day, lang=lang,
                                                   default_mode=site["mode"], default_max_links=site["max_links"])
            return annotate_untrusted_html(text, glossary, mode or site["mode"], link_prefix=link_prefix,
                                           max_links=site["max_links"], date=day, lang=lang)
    except DeadlineError as exc:
        if exc.abandoned:
            current_app.logger.info("annotate: the client went away; conversion stopped")
        raise ProblemError("too-slow", f"annotating this article took longer than {seconds:g} s, the server's limit "
                                       "(GLOSSARY_ANNOTATE_TIMEOUT); send a shorter article or split it") from None
    except FrontMatterError as exc:
        raise ProblemError("bad-front-matter", str(exc)) from None
    except NestingError as exc:
        raise ProblemError("too-deep", str(exc)) from None
    except ValueError as exc:
        # Only a mode from the front matter is left to be wrong here.
        raise ProblemError("unknown-mode", str(exc)) from None


def _annotation_body(result: Annotation, version: str) -> bytes:
    """Return the JSON answer of /api/annotate for `result`, made with glossary `version`."""
    body = result.to_dict()
    # Only the front matter can hold what JSON has no type for; the rest is
    # text and numbers (walking the whole answer cost more than the check).
    body["meta"] = _jsonable(body["meta"])
    body["glossary_version"] = version
    return json.dumps(body, ensure_ascii=False, allow_nan=False).encode()


def _client_gone(environ):
    """Return a check that tells whether the client of this request closed its connection, or None."""
    # The servers this runs under put the connection's socket in the environ.
    connection = environ.get("gunicorn.socket") or environ.get("werkzeug.socket")
    if connection is None:
        return None

    # poll, not select: a busy server's descriptors may be past select's 1024.
    poller = select.poll()
    poller.register(connection, select.POLLIN | select.POLLPRI)

    def gone() -> bool:
        try:
            if not poller.poll(0):
                return False
            # Readable with nothing to read: the client closed its end. (A
            # pipelined next request is data, and not a goodbye.)
            return connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True

    return gone


def _check_request(data) -> None:
    """Check that the annotate request is exactly one input and an optional mode.

    Raises:
        ProblemError: invalid-request, or unknown-mode for a mode that is not one.
    """
    if not isinstance(data, dict):
        raise ProblemError("invalid-request", f"the body must be a JSON object, not {_json_type(data)}")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise ProblemError("invalid-request", f"unknown field(s) {', '.join(map(repr, unknown))}: "
                                              f"send 'markdown' or 'html', and optionally 'mode', 'date' and 'lang'")
    given = [name for name in INPUTS if name in data]
    if not given:
        raise ProblemError("invalid-request", "the body needs a 'markdown' or an 'html' field")
    if len(given) > 1:
        raise ProblemError("invalid-request", "send either 'markdown' or 'html', not both")
    for name in (*given, "mode", "date", "lang"):
        if name in data and not isinstance(data[name], str):
            raise ProblemError("invalid-request", f"'{name}' must be a string, not {_json_type(data[name])}")
    if "lang" in data and not is_language_tag(data["lang"]):
        raise ProblemError("invalid-request", f"'lang' must be a BCP 47 language tag such as zh-TW, "
                                              f"not {data['lang'][:40]!r}")
    if "date" in data and parse_date(data["date"]) is None:
        raise ProblemError("invalid-request", f"'date' must be a day written YYYY-MM-DD, e.g. 2025-09-29, "
                                              f"not {data['date'][:40]!r}")
    if "mode" in data:
        try:
            check_mode(data["mode"])
        except ValueError as exc:
            raise ProblemError("unknown-mode", str(exc)) from None


def _json_type(value) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _annotation_etag(field: str, text: str, mode: str | None, version: str, link_prefix: str,
                     day: date | None, lang: str | None) -> str:
    # The answer is a function of these alone (and of the code, hence the API version).
    # The text is hashed as it is, after a header that gives its length:
    # escaping a Chinese article to ASCII JSON first cost more than the hash.
    header = json.dumps([openapi.VERSION, field, mode, version, link_prefix, day and day.isoformat(), lang,
                         len(text)])
    digest = hashlib.sha256(header.encode())
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


@blueprint.get("/api/terms")
def terms():
    """List the terms, optionally those whose headword, English name or alias starts with ?q=, or with ?tag=."""
    glossary = service().glossary()
    query = normalize_key(request.args.get("q", ""))
    tag = request.args.get("tag", "").strip()
    found = []
    for term, keys in glossary.name_keys():
        if tag and tag not in term.tags:
            continue
        if query and not any(key.startswith(query) for key in keys):
            continue
        found.append((query not in keys, term))
    # Exact matches first, then glossary order (sorted() is stable).
    found.sort(key=lambda pair: pair[0])
    items = [_summary(term) for _, term in found]
    return _conditional(_json({"glossary_version": glossary.version, "count": len(items), "terms": items}))


def _summary(term: Term) -> dict:
    return {
        "id": term.id,
        "term": term.term,
        "en": term.en,
        "aliases": list(term.aliases),
        "variants": variant_list(term),
        "not_in": list(term.not_in),
        "tags": list(term.tags),
        "see_also": list(term.see_also),
        "pinyin": term.pinyin,
        "definition": term.definition,
        "definition_html": definition_html(term.definition),
        "url": current_app.config["GLOSSARY_LINK_PREFIX"] + term.id,
        **dated_fields(term),
    }


@blueprint.get("/api/terms/<term_id>")
def term(term_id: str):
    """Show one term with its aliases, see-also terms and the articles that use it."""
    glossary = service().glossary().glossary
    entry = glossary.get(term_id)
    if entry is None:
        return problem("not-found", f"no term with id {term_id!r}; GET /api/terms lists them")
    body = _summary(entry)
    prefix = current_app.config["GLOSSARY_LINK_PREFIX"]
    body["see_also"] = [
        {"id": other.id, "term": other.term, "en": other.en, "url": prefix + other.id}
        for other in (glossary.get(i) for i in entry.see_also) if other is not None
    ]
    body["articles"] = [
        {"slug": article.slug, "title": article.title, "date": article.date,
         "url": url_for("site.article", slug=article.slug), "count": mention.count, "snippet": mention.snippet}
        for article, mention in service().ready_store().backlinks(term_id)
    ]
    body["glossary_version"] = glossary.version
    return _conditional(_json(body))


@blueprint.get("/api/openapi.json")
def openapi_document():
    """Serve the OpenAPI 3.1 document that describes this API."""
    document = openapi.document(max_body=int(current_app.config["GLOSSARY_API_MAX_BODY"]))
    return _conditional(_json(document))


def _health_status(status: dict) -> str:
    """Return ok, reloading or degraded: degraded whenever what is served is not what it should be."""
    # The service is up in each case, and the body says what to fix: a
    # terms file that fails check, one the store's glossary did not come
    # from, or an edit the store has not taken (served from memory).
    if status["problems"] or status["refused"] or status["store_write_error"] or status["store_error"]:
        return "degraded"
    if status["reloading"] is not None and status["reloading"] >= RELOADING_AFTER:
        return "reloading"
    return "ok"


@blueprint.get("/healthz")
def health():
    """Answer 200 with the glossary versions, term count and terms.yaml's problems if the store answers, else 503."""
    live = service().live
    try:
        store = service().ready_store()
        version, count = store.glossary_version(), store.term_count()
        live.current()  # a first health check also loads the glossary: the worker is then ready
    except Exception as exc:  # noqa: BLE001 (whatever the failure, the store is not healthy)
        current_app.logger.error("health check: the term store did not answer: %s", exc)
        return unavailable(f"the term store did not answer: {type(exc).__name__}")
    status = live.status()
    return _json({
        "status": _health_status(status),
        "glossary_version": version,
        "serving_version": status["version"],
        "terms": count,
        "store": display_store(store.url),
        "terms_file": {"path": status["terms"], "following": status["following"],
                       "problems": status["problems"], "refused": status["refused"]},
        "store_write_error": status["store_write_error"],
        "reloading": status["reloading"],
    }, headers={"Cache-Control": "no-store"})
