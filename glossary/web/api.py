"""The JSON API for authoring tools: annotate, terms, the OpenAPI document, health."""

from __future__ import annotations

import hashlib
import math
import select
import socket

from flask import Blueprint, current_app, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from ..core.annotation import Annotation
from ..core.compiled import CompiledGlossary
from ..core.definitions import definition_html
from ..core.explanation import Explanation
from ..core.model import Term
from ..core.normalize import normalize_key
from ..core.variants import variant_list
from ..render import annotate_document, annotate_untrusted_html, annotate_untrusted_markdown
from ..render.depth import NestingError
from ..render.mdlimits import DeadlineError, check_deadline, deadline
from ..sources.frontmatter import FrontMatterError, annotation_settings
from . import cors, openapi, problems
from .annotaterequest import AnnotateRequest, answer_etag, term_link_prefix
from .changes import dated_fields
from .jsonwire import json_bytes, parsed_json
from .live import display_store
from .problems import ProblemError, problem, problem_body, unavailable
from .service import service

blueprint = Blueprint("api", __name__)
cors.attach(blueprint)
problems.attach(blueprint)

# A reload running this long (seconds) is reported by /healthz.
RELOADING_AFTER = 2.0


def _json(data, status: int = 200, headers: dict | None = None):
    """Answer with `data` as JSON; what JSON has no type for (a date, NaN, a number as key) becomes text."""
    body = json_bytes(_jsonable(data))
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
    """Annotate an article sent as Markdown, an HTML fragment or a whole page; answer with the Annotation as JSON."""
    raw = _json_bytes()
    answers = service().answers
    # A body sent before names what it asks (and so its answer's ETag)
    # without being parsed again: a long article's repetition (issue 17).
    body_hash = hashlib.sha256(raw).digest()
    asked = answers.asked(body_hash)
    ask = None
    if asked is None:
        ask = AnnotateRequest.parse(_parsed(raw), current_app.config)
        asked = ask.digest()
        answers.remember(body_hash, asked)
    glossary = service().glossary()
    etag = answer_etag(asked, glossary.version, openapi.VERSION)
    headers = {"ETag": f'"{etag}"'}
    if request.if_none_match.contains_weak(etag):
        return current_app.response_class(status=304, headers=headers)
    if ask is None:
        body = answers.get(etag)
        if body is not None:
            return current_app.response_class(body, mimetype="application/json", headers=headers)
        ask = AnnotateRequest.parse(_parsed(raw), current_app.config)
    try:
        with deadline(_seconds(), _client_gone(request.environ)):
            body = _answer(ask, etag, glossary)
    except DeadlineError as exc:
        raise _too_slow(exc) from None
    return current_app.response_class(body, mimetype="application/json", headers=headers)


@blueprint.post("/api/annotate/batch")
def annotate_batch():
    """Annotate the items of a batch, each as /api/annotate would; answer each one's result or problem, in order."""
    items = _batch_items(_json_body())
    glossary = service().glossary()
    # One deadline for the whole batch: an item reached after it is a too-slow problem.
    with deadline(_seconds(), _client_gone(request.environ)):
        answers = [_batch_answer(item, glossary) for item in items]
    version = json_bytes(glossary.version)
    body = b'{"items":[' + b",".join(answers) + b'],"glossary_version":' + version + b"}"
    return current_app.response_class(body, mimetype="application/json", headers={"Cache-Control": "no-store"})


def _json_body():
    """Return the request's JSON body, within the size limit, parsed.

    Raises:
        ProblemError: unsupported-media-type, too-large or malformed-json.
    """
    return _parsed(_json_bytes())


def _json_bytes() -> bytes:
    """Return the request's JSON body, within the size limit, as sent.

    Raises:
        ProblemError: unsupported-media-type or too-large.
    """
    mimetype = request.mimetype
    if mimetype != "application/json" and not (mimetype.startswith("application/") and mimetype.endswith("+json")):
        raise ProblemError("unsupported-media-type",
                           f"send the article as application/json, not {mimetype or 'a body without Content-Type'}")
    return _request_body(int(current_app.config["GLOSSARY_API_MAX_BODY"]))


def _parsed(raw: bytes):
    """Return the JSON value of a request body.

    Raises:
        ProblemError: malformed-json.
    """
    try:
        return parsed_json(raw)
    except (ValueError, RecursionError) as exc:
        raise ProblemError("malformed-json", f"the body is not valid JSON: {exc}"[:500]) from None


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
        length = request.content_length
        if length is not None and length <= limit:
            # The WSGI input itself, within its declared length (as WSGI allows).
            raw = _read(request.environ["wsgi.input"], length)
        else:
            raw = request.get_data(cache=False)
    except RequestEntityTooLarge:
        raw = None
    if raw is None or len(raw) > limit:
        raise ProblemError("too-large", f"the request body is larger than {limit} bytes")
    return raw


def _read(stream, length: int) -> bytes:
    """Return `length` bytes of `stream` (fewer if it ends first), read in as few calls as it allows."""
    # Werkzeug's own reading takes 64 KB at a time into a buffer of its
    # own, and under gunicorn each read copies what its reader holds: a
    # 3 MB body took ~19 ms, one read of its length ~8 (issue 17's
    # repeated long article).
    chunks, got = [], 0
    while got < length:
        data = stream.read(length - got)
        if not data:
            break
        chunks.append(data)
        got += len(data)
    return b"".join(chunks)


def _batch_items(data) -> list:
    """Return the items of a batch request.

    Raises:
        ProblemError: invalid-request for a body that is not {"items": [...]}, too-many-items past the limit.
    """
    if not isinstance(data, dict) or set(data) != {"items"} or not isinstance(data["items"], list):
        raise ProblemError("invalid-request", 'a batch is an object with one field, "items": an array of annotate '
                                              "requests, each as POST /api/annotate takes it")
    most = int(current_app.config["GLOSSARY_BATCH_MAX_ITEMS"])
    if most and len(data["items"]) > most:
        raise ProblemError("too-many-items", f"the batch holds {len(data['items'])} items; at most {most} are "
                                             "annotated in one request (GLOSSARY_BATCH_MAX_ITEMS): send several")
    return data["items"]


def _batch_answer(item, glossary: CompiledGlossary) -> bytes:
    """Return the JSON answer for one item of a batch: its annotation, or its problem object."""
    try:
        ask = AnnotateRequest.parse(item, current_app.config)
        return _answer(ask, ask.etag(glossary.version, openapi.VERSION), glossary)
    except DeadlineError as exc:
        error = _too_slow(exc, batch=True)
    except ProblemError as exc:
        error = exc
    return json_bytes(problem_body(error.kind, error.detail))


def _answer(ask: AnnotateRequest, etag: str, glossary: CompiledGlossary) -> bytes:
    """Return the JSON answer to `ask`: the one kept under its ETag, else made now (within the current deadline).

    Raises:
        ProblemError: The input cannot be annotated (see `_annotated`).
        DeadlineError: The deadline passed, before or while annotating.
    """
    # The ETag names the input, options and glossary: an answer made for it
    # before (an editor's preview sends the same article again and again)
    # is the answer now.
    body = service().answers.get(etag)
    if body is None:
        check_deadline()  # a batch's later items, once its time is up
        body = _annotation_body(_annotated(ask, glossary), glossary.version, ask)
        service().answers.put(etag, body)
    return body


def _annotated(ask: AnnotateRequest, glossary: CompiledGlossary) -> Annotation:
    """Annotate the request's input as its kind says.

    Raises:
        ProblemError: bad-front-matter, too-deep, unknown-mode (a mode from the front matter) or
            invalid-request (a selector that is not CSS).
        DeadlineError: The deadline passed while converting.
    """
    # What neither the request nor the front matter says, the site's settings do.
    site = annotation_settings(None, None, current_app.config)
    options = {"link_prefix": ask.link_prefix, "date": ask.day, "lang": ask.lang, "notes": ask.notes,
               "explain": ask.explain}
    try:
        if ask.kind == "markdown":
            return annotate_untrusted_markdown(ask.text, glossary, ask.mode, default_mode=site["mode"],
                                               default_max_links=site["max_links"], **options)
        if ask.kind == "html":
            return annotate_untrusted_html(ask.text, glossary, ask.mode or site["mode"],
                                           max_links=site["max_links"], **options)
        return annotate_document(ask.text, glossary, ask.mode or site["mode"], selector=ask.selector,
                                 max_links=site["max_links"], **options)
    except FrontMatterError as exc:
        raise ProblemError("bad-front-matter", str(exc)) from None
    except NestingError as exc:
        raise ProblemError("too-deep", str(exc)) from None
    except ValueError as exc:
        # Only a mode from the front matter, or a page's selector, is left to be wrong here.
        raise ProblemError("invalid-request" if ask.kind == "document" else "unknown-mode", str(exc)) from None


def _seconds() -> float:
    return float(current_app.config["GLOSSARY_ANNOTATE_TIMEOUT"])


def _too_slow(exc: DeadlineError, batch: bool = False) -> ProblemError:
    """Return the too-slow problem for a conversion the deadline (or the client's leaving) stopped."""
    if exc.abandoned:
        current_app.logger.info("annotate: the client went away; conversion stopped")
    what = "this batch's items" if batch else "this article"
    return ProblemError("too-slow", f"annotating {what} took longer than {_seconds():g} s, the server's limit "
                                    "(GLOSSARY_ANNOTATE_TIMEOUT); send a shorter article or split it")


def _annotation_body(result: Annotation, version: str, ask: AnnotateRequest) -> bytes:
    """Return the JSON answer of /api/annotate for `result`, made with glossary `version`."""
    if ask.explain and result.explanation is None:
        result.explanation = Explanation()  # nothing to explain: an empty input
    body = result.to_dict()
    if ask.kind == "document":
        # The caller's own page, not sanitised: named apart from a fragment's `html`.
        body = {"document": body.pop("html"), **body}
    # Only the front matter can hold what JSON has no type for; the rest is
    # text and numbers (walking the whole answer cost more than the check).
    body["meta"] = _jsonable(body["meta"])
    body["glossary_version"] = version
    return json_bytes(body)


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


@blueprint.get("/api/terms")
def terms():
    """List the terms; ?q= those whose headword, alias, English name or pinyin starts with it; ?tag= those tagged."""
    glossary = service().glossary()
    found = _found(glossary, request.args.get("q", ""), request.args.get("tag", "").strip())
    items = [_summary(term, glossary) for term in found]
    return _conditional(_json({"glossary_version": glossary.version, "count": len(items), "terms": items}))


def _found(glossary: CompiledGlossary, query: str, tag: str) -> list[Term]:
    """Return the terms `query` finds (tagged `tag`, when given), exact matches first, then in glossary order.

    A query finds a term when it folds (normalize_key) to the start of one
    of the term's keys: its folded headword, aliases and English name, and
    the pinyin keys the index's search uses (termsearch.pinyin_keys: the
    headword's reading spaced or run together, and its initials).
    """
    folded = normalize_key(query)
    found = []
    for term, keys in glossary.name_keys():
        if tag and tag not in term.tags:
            continue
        if not folded:
            found.append((False, term))
            continue
        pinyin = glossary.pinyin_keys(term)
        if any(key.startswith(folded) for key in keys) or any(key.startswith(folded) for key in pinyin):
            found.append((folded not in keys and folded not in pinyin, term))
    # Exact matches first, then glossary order (sorted() is stable).
    found.sort(key=lambda pair: pair[0])
    return [term for _, term in found]


def _summary(term: Term, glossary: CompiledGlossary) -> dict:
    read = glossary.reading(term)
    return {
        "id": term.id,
        "term": term.term,
        "en": term.en,
        "aliases": list(term.aliases),
        "variants": variant_list(term),
        "not_in": list(term.not_in),
        "tags": list(term.tags),
        "see_also": list(term.see_also),
        "pinyin": read.marked if read.syllables else None,
        "definition": term.definition,
        "definition_html": definition_html(term.definition),
        "url": _term_prefix() + term.id,
        **dated_fields(term),
    }


def _term_prefix() -> str:
    """Return the prefix of term pages' addresses the API gives: absolute under GLOSSARY_LINK_BASE when set."""
    return term_link_prefix(current_app.config["GLOSSARY_LINK_BASE"], current_app.config["GLOSSARY_LINK_PREFIX"])


@blueprint.get("/api/terms/<term_id>")
def term(term_id: str):
    """Show one term with its aliases, see-also terms and the articles that use it."""
    compiled = service().glossary()
    glossary = compiled.glossary
    entry = glossary.get(term_id)
    if entry is None:
        return problem("not-found", f"no term with id {term_id!r}; GET /api/terms lists them")
    body = _summary(entry, compiled)
    prefix = _term_prefix()
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
    document = openapi.document(max_body=int(current_app.config["GLOSSARY_API_MAX_BODY"]),
                                max_items=int(current_app.config["GLOSSARY_BATCH_MAX_ITEMS"]))
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
