"""The OpenAPI 3.1 document of the API (served at /api/openapi.json)."""

from __future__ import annotations

from ..core.annotator import MODES
from ..core.variants import LANGUAGE_TAG_PATTERN, STATUSES
from .problems import MEDIA_TYPE, PROBLEMS, TYPE_BASE

# The version of the API's contract; part of every annotation's ETag.
VERSION = "1.1.0"

_NULLABLE_TEXT = {"type": ["string", "null"]}
_TEXT_LIST = {"type": "array", "items": {"type": "string"}}


def _object(properties: dict, required=None, **extra) -> dict:
    return {"type": "object", "properties": properties, "required": list(required or properties),
            "additionalProperties": False, **extra}


SCHEMAS = {
    "AnnotateRequest": {
        "type": "object",
        "description": "Exactly one of `markdown` and `html`, and optionally `mode` and `lang`.",
        "properties": {
            "markdown": {"type": "string", "description": "A Markdown article, optionally with YAML front matter."},
            "html": {"type": "string", "description": "An HTML fragment or document (only its body is kept)."},
            "mode": {"type": "string", "enum": list(MODES), "description":
                     "bold: bolded terms; first: also the first plain mention of each term not bolded; all: every "
                     "mention. Default: the Markdown front matter's `annotate:` (or `glossary:`) field, else bold. "
                     "In every mode a term is linked at most once per section and 10 times per article (the "
                     "front matter's `max_links:` sets the 10; 0: no limit)."},
            "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "description":
                     "The article's date (YYYY-MM-DD): each definition is given as it was in force then. "
                     "Without it, the Markdown front matter's `date:`, else the current definitions."},
            "lang": {"type": "string", "pattern": LANGUAGE_TAG_PATTERN, "description":
                     "The article's language (BCP 47), default the Markdown front matter's `lang:`. A Traditional "
                     "locale (zh-TW, zh-HK, zh-Hant) gets headwords, definitions and notes in Traditional "
                     "characters, and a variant listed for its region heads the term's note: 川普（特朗普）."},
        },
        "oneOf": [{"required": ["markdown"]}, {"required": ["html"]}],
        "additionalProperties": False,
    },
    "TermCount": _object({
        "id": {"type": "string"}, "term": {"type": "string"}, "en": _NULLABLE_TEXT,
        "count": {"type": "integer", "minimum": 1, "description":
                  "Mentions the mode finds, those the link limit leaves unlinked included."},
        "version": {"type": ["object", "null"], "description":
                    "The earlier definition in force on the article's date, by its period; null: the current one.",
                    "properties": {"from": {"type": ["string", "null"], "format": "date"},
                                   "until": {"type": "string", "format": "date"}},
                    "required": ["from", "until"], "additionalProperties": False},
    }),
    "Gloss": _object({"term": {"type": "string"}, "name": {"type": "string"}, "definition": {"type": "string"}},
                     description="An inline gloss the author wrote: **term**（name: definition）."),
    "Annotation": _object({
        "html": {"type": "string", "description": "The sanitised, annotated HTML fragment."},
        "terms": {"type": "array", "items": {"$ref": "#/components/schemas/TermCount"},
                  "description": "Annotated terms in order of first appearance."},
        "undefined": {**_TEXT_LIST, "description": "Bolded phrases that are not terms."},
        "glosses": {"type": "array", "items": {"$ref": "#/components/schemas/Gloss"}},
        "meta": {"type": "object", "description": "The Markdown front matter, as data (empty for HTML)."},
        "glossary_version": {"type": "string"},
    }),
    "TermSummary": _object({
        "id": {"type": "string"}, "term": {"type": "string"}, "en": _NULLABLE_TEXT,
        "aliases": _TEXT_LIST, "tags": _TEXT_LIST,
        "variants": {"type": "array", "items": {"$ref": "#/components/schemas/Variant"},
                     "description": "Every alias with its status and regions, in the order of `aliases`."},
        "not_in": {**_TEXT_LIST, "description": "Longer strings inside which the term's spellings never match."},
        "see_also": {**_TEXT_LIST, "description": "Ids of related terms."},
        "pinyin": _NULLABLE_TEXT,
        "definition": {"type": "string", "description": "As terms.yaml writes it (inline Markdown)."},
        "definition_html": {"type": "string", "description": "Rendered and sanitised."},
        "url": {"type": "string", "description": "The term's page."},
        "as_of": {"type": ["string", "null"], "format": "date",
                  "description": "The day the definition was last checked true (YYYY-MM-DD); null: not given."},
        "sources": {"type": "array", "items": {"$ref": "#/components/schemas/Source"},
                    "description": "Where the definition comes from."},
        "history": {"type": "array", "items": {"$ref": "#/components/schemas/Version"},
                    "description": "Earlier definitions, newest first. The one in force on a day D is the "
                                   "current one when D is after every `until`, else the entry with the earliest "
                                   "`until` on or after D."},
    }),
    "Source": _object({
        "url": {"type": "string", "description": "An http(s) URL."},
        "title": {**_NULLABLE_TEXT, "description": "Shown as the link's text; null: the host name is."},
        "date": {"type": ["string", "null"], "format": "date"},
    }),
    "Version": _object({
        "until": {"type": "string", "format": "date", "description": "The last day this definition was in force."},
        "definition": {"type": "string", "description": "As terms.yaml writes it (inline Markdown)."},
        "note": _NULLABLE_TEXT,
        "sources": {"type": "array", "items": {"$ref": "#/components/schemas/Source"}},
    }),
    "Variant": _object({
        "form": {"type": "string"},
        "status": {"enum": list(STATUSES), "description": "deprecated: matched, but lint asks for the headword."},
        "regions": {**_TEXT_LIST, "description": "BCP 47 tags of the languages whose articles usually write it."},
        "note": _NULLABLE_TEXT,
    }),
    "TermList": _object({
        "glossary_version": {"type": "string"},
        "count": {"type": "integer", "minimum": 0},
        "terms": {"type": "array", "items": {"$ref": "#/components/schemas/TermSummary"}},
    }),
    "RelatedTerm": _object({"id": {"type": "string"}, "term": {"type": "string"}, "en": _NULLABLE_TEXT,
                            "url": {"type": "string"}}),
    "ArticleUse": _object({
        "slug": {"type": "string"}, "title": {"type": "string"}, "date": _NULLABLE_TEXT, "url": {"type": "string"},
        "count": {"type": "integer", "minimum": 1},
        "snippet": {"type": "string", "description": "The sentence of the first mention (plain text)."},
    }),
    "Health": _object({
        "status": {"enum": ["ok", "reloading", "degraded"],
                   "description": "reloading: a reload has run 2 s or more (the glossary in hand is served); "
                                  "degraded: what is served is not what it should be (terms.yaml fails check or is "
                                  "refused, or an edit is served that the store has not taken)."},
        "glossary_version": _NULLABLE_TEXT,
        "serving_version": {**_NULLABLE_TEXT, "description": "The glossary this server annotates with."},
        "terms": {"type": "integer", "minimum": 0},
        "store": {"type": "string", "description": "Which store is served: backend and database name, no path."},
        "terms_file": _object({
            "path": {**_NULLABLE_TEXT, "description": "The terms.yaml this server was told to follow (null: none), "
                                                      "relative to its working folder or by name alone."},
            "following": {"type": "boolean", "description": "Whether edits to it are served and stored."},
            "problems": {"type": "array", "items": {"type": "string"},
                         "description": "Why the file was not loaded, each as PATH:LINE: message."},
            "refused": {**_NULLABLE_TEXT, "description": "Why the file is not written over the store: its "
                                                         "glossary was synced from another file."},
        }),
        "store_write_error": {**_NULLABLE_TEXT, "description": "Why the store has not taken the edit served "
                                                               "from memory; retried at each check."},
        "reloading": {"type": ["number", "null"], "minimum": 0,
                      "description": "Seconds the reload in progress has taken (null: none runs)."},
    }),
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details.",
        "externalDocs": {"description": "Every problem type explained (what it means, how to fix the request)",
                         "url": TYPE_BASE},
        "properties": {
            "type": {"type": "string", "enum": [TYPE_BASE + kind for kind in PROBLEMS],
                     "description": "A URI reference; GET it for a page (HTML, in Chinese) explaining the problem "
                                    "and how to fix the request."},
            "title": {"type": "string"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string"},
        },
        "required": ["type", "title", "status", "detail"],
    },
}
SCHEMAS["TermDetail"] = _object({
    **{k: v for k, v in SCHEMAS["TermSummary"]["properties"].items() if k != "see_also"},
    "see_also": {"type": "array", "items": {"$ref": "#/components/schemas/RelatedTerm"}},
    "articles": {"type": "array", "items": {"$ref": "#/components/schemas/ArticleUse"},
                 "description": "Published articles that mention the term, newest first."},
    "glossary_version": {"type": "string"},
})

_ETAG = {"ETag": {"description": "Quoted entity tag; send it back in If-None-Match.",
                  "schema": {"type": "string"}}}
_IF_NONE_MATCH = {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"},
                  "description": "An ETag from an earlier answer: 304 if the answer would be the same."}


def _problem(description: str) -> dict:
    return {"description": description, "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def _ok(schema: str, description: str, etag: bool = True) -> dict:
    response = {"description": description,
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}
    if etag:
        response["headers"] = _ETAG
    return response


RESPONSES = {
    "NotModified": {"description": "The answer matches the If-None-Match ETag; no body.", "headers": _ETAG},
    "BadRequest": _problem("Malformed JSON, a missing, doubled, unknown or wrongly typed field, an unknown mode, "
                           "bad front matter, or markup nested too deeply."),
    "NotFound": _problem("No such term, or no such path under /api."),
    "MethodNotAllowed": _problem("The path does not take this method (see the Allow header)."),
    "TooLarge": _problem("The body is larger than the server's limit (it was not read), or the article has more "
                         "characters than the server converts (GLOSSARY_ANNOTATE_MAX_CHARS)."),
    "TooSlow": _problem("Converting the article took longer than the server's limit (GLOSSARY_ANNOTATE_TIMEOUT)."),
    "UnsupportedMediaType": _problem("The body is not application/json."),
    "Unavailable": _problem("The term store did not answer."),
}


def document(max_body: int) -> dict:
    """Return the OpenAPI document; `max_body` is the server's request size limit in bytes."""
    errors = "".join(f"\n- [`{TYPE_BASE}{kind}`]({TYPE_BASE}{kind}) ({status}): {title}"
                     for kind, (status, title) in PROBLEMS.items())
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "glossary API",
            "version": VERSION,
            "description": (
                "Annotate glossary terms in articles for authoring tools, and read the glossary.\n\n"
                "Every error under /api and /healthz is RFC 9457 `application/problem+json` with `type`, "
                "`title`, `status` and `detail`. Any path under /api not listed here answers 404 "
                "(`#/components/responses/NotFound`); a listed path called with a method it does not take "
                "answers 405 with an Allow header (`#/components/responses/MethodNotAllowed`). "
                f"Request bodies above {max_body} bytes answer 413 unread.\n\n"
                "If-None-Match with a matching ETag answers 304, for POST /api/annotate too: annotating "
                "changes nothing on the server, so a cached answer stays valid.\n\n"
                "Browsers may call the API from the origins the server allows (CORS preflight via OPTIONS).\n\n"
                f"Problem types (each `type` URI answers with a page explaining it):{errors}"
            ),
        },
        "externalDocs": {"description": "The API's problem types, each explained", "url": TYPE_BASE},
        "paths": {
            "/api/annotate": {"post": {
                "operationId": "annotate",
                "summary": "Annotate an article",
                "description": "The input is sanitised (an allow-list: no script, event handlers or "
                               "javascript:/data: URLs) before it is annotated, as the site annotates articles.",
                "parameters": [_IF_NONE_MATCH],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/AnnotateRequest"},
                    "example": {"markdown": "美国把这些企业列入**实体清单**。", "mode": "bold"},
                }}},
                "responses": {
                    "200": _ok("Annotation", "The annotated article."),
                    "304": {"$ref": "#/components/responses/NotModified"},
                    "400": {"$ref": "#/components/responses/BadRequest"},
                    "413": {"$ref": "#/components/responses/TooLarge"},
                    "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
                    "422": {"$ref": "#/components/responses/TooSlow"},
                    "503": {"$ref": "#/components/responses/Unavailable"},
                },
            }},
            "/api/terms": {"get": {
                "operationId": "listTerms",
                "summary": "List or search the terms",
                "parameters": [
                    {"name": "q", "in": "query", "required": False, "schema": {"type": "string"},
                     "description": "Prefix of a headword, alias or English name; folded like the annotator "
                                    "(Traditional/Simplified, full-width, case).", "example": "實體"},
                    {"name": "tag", "in": "query", "required": False, "schema": {"type": "string"},
                     "description": "Only terms with this tag.", "example": "export-control"},
                    _IF_NONE_MATCH,
                ],
                "responses": {
                    "200": _ok("TermList", "The matching terms, exact matches first, then in glossary order."),
                    "304": {"$ref": "#/components/responses/NotModified"},
                    "503": {"$ref": "#/components/responses/Unavailable"},
                },
            }},
            "/api/terms/{term_id}": {"get": {
                "operationId": "getTerm",
                "summary": "One term with its see-also terms and the articles that use it",
                "parameters": [
                    {"name": "term_id", "in": "path", "required": True, "schema": {"type": "string"},
                     "description": "The term's id (a slug from terms.yaml).", "example": "entity-list"},
                    _IF_NONE_MATCH,
                ],
                "responses": {
                    "200": _ok("TermDetail", "The term."),
                    "304": {"$ref": "#/components/responses/NotModified"},
                    "404": {"$ref": "#/components/responses/NotFound"},
                    "503": {"$ref": "#/components/responses/Unavailable"},
                },
            }},
            "/api/openapi.json": {"get": {
                "operationId": "openapi",
                "summary": "This document",
                "parameters": [_IF_NONE_MATCH],
                "responses": {
                    "200": {"description": "The OpenAPI 3.1 document.", "headers": _ETAG,
                            "content": {"application/json": {"schema": {"type": "object"}}}},
                    "304": {"$ref": "#/components/responses/NotModified"},
                },
            }},
            "/healthz": {"get": {
                "operationId": "health",
                "summary": "Whether the term store answers",
                "responses": {
                    "200": _ok("Health", "The store answers.", etag=False),
                    "503": {"$ref": "#/components/responses/Unavailable"},
                },
            }},
        },
        "components": {"schemas": SCHEMAS, "responses": RESPONSES},
    }
