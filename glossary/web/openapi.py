"""The OpenAPI 3.1 document of the API (served at /api/openapi.json)."""

from __future__ import annotations

import copy

from ..config import DEFAULTS
from ..core.explanation import REASONS, RULES
from ..core.options import MODES
from ..core.variants import LANGUAGE_TAG_PATTERN, STATUSES
from .annotaterequest import LINK_BASE_PATTERN
from .problems import MEDIA_TYPE, PROBLEMS, TYPE_BASE

# The version of the API's contract; part of every annotation's ETag.
VERSION = "1.2.0"

_NULLABLE_TEXT = {"type": ["string", "null"]}
_TEXT_LIST = {"type": "array", "items": {"type": "string"}}


def _object(properties: dict, required=None, **extra) -> dict:
    return {"type": "object", "properties": properties, "required": list(required or properties),
            "additionalProperties": False, **extra}


_ANNOTATION = {
    "html": {"type": "string", "description": "The sanitised, annotated HTML fragment."},
    "terms": {"type": "array", "items": {"$ref": "#/components/schemas/TermCount"},
              "description": "Annotated terms in order of first appearance."},
    "undefined": {**_TEXT_LIST, "description": "Bolded phrases that are not terms."},
    "glosses": {"type": "array", "items": {"$ref": "#/components/schemas/Gloss"}},
    "meta": {"type": "object", "description": "The Markdown front matter, as data (empty for HTML)."},
    "explain": {"$ref": "#/components/schemas/Explanation", "description": "Only when the request asks (`explain`)."},
    "glossary_version": {"type": "string"},
}


SCHEMAS = {
    "AnnotateRequest": {
        "type": "object",
        "description": "Exactly one input, `markdown`, `html` or `document`, and optional fields.",
        "properties": {
            "markdown": {"type": "string", "description": "A Markdown article, optionally with YAML front matter."},
            "html": {"type": "string", "description": "An HTML fragment (a whole page sent here is reduced to "
                                                      "its body's content). Sanitised, and answered as `html`."},
            "document": {"type": "string", "description":
                         "A whole HTML page: answered whole as `document`, its doctype, `<html>` attributes, "
                         "`<head>` and declared encoding as they were, only the body (or what `selector` picks) "
                         "annotated. It is the caller's own page and is NOT sanitised (its scripts stay): the "
                         "answer is JSON data, never served as a page. At most GLOSSARY_DOCUMENT_MAX_CHARS "
                         "characters (413 too-long)."},
            "selector": {"type": "string", "description":
                         "With `document` only: a CSS selector (e.g. `article`, `main, .post`); the content of "
                         "each element it matches is annotated, each with its own definitions block. Default: the "
                         "body. Not CSS: 400."},
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
            "link_base": {"type": "string", "pattern": f"^({LINK_BASE_PATTERN})?$", "description":
                          "The glossary's public address, an absolute http(s) URL without query or fragment "
                          "(e.g. `https://glossary.example`): every link the annotator writes (terms, the notes' "
                          "headwords, a definition's `#history` link) is then absolute, "
                          "`https://glossary.example/terms/<id>`. Default: the server's GLOSSARY_LINK_BASE, else "
                          "relative links (`/terms/<id>`); an empty string asks for relative links. Anything "
                          "else: 400."},
            "notes": {"type": "boolean", "description":
                      "false leaves out the definitions block at the end; the term links then carry no "
                      "`aria-describedby` (nothing to point at) and the popover script has no definitions to "
                      "show. Default true."},
            "explain": {"type": "boolean", "description":
                        "true adds `explain` to the answer: why each mention matched, and why each bold phrase "
                        "that was not annotated was not. Default false."},
        },
        "oneOf": [{"required": ["markdown"]}, {"required": ["html"]}, {"required": ["document"]}],
        "dependentRequired": {"selector": ["document"]},
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
    "Annotation": _object(_ANNOTATION, required=[*_ANNOTATION.keys() - {"explain"}],
                          description="The answer for `markdown` and `html`."),
    "DocumentAnnotation": _object(
        {"document": {"type": "string", "description":
                      "The whole page, annotated (as it came when nothing was). Not sanitised: the caller's "
                      "own page, scripts included. Use it as data (write it to a file, a build's output); never "
                      "serve it from another origin as that origin's page."},
         **{k: v for k, v in _ANNOTATION.items() if k != "html"}},
        required=["document", *_ANNOTATION.keys() - {"html", "explain"}],
        description="The answer for `document`; several selected elements' findings are summed (terms) and "
                    "listed element after element (the rest)."),
    "Explanation": _object({
        "occurrences": {"type": "array", "items": {"$ref": "#/components/schemas/ExplainedOccurrence"},
                        "description": "Every mention the mode found, in reading order."},
        "bold": {"type": "array", "items": {"$ref": "#/components/schemas/UnannotatedBold"},
                 "description": "Every bold phrase that did not become a link, in reading order."},
    }, description="Why each mention matched and why each bold phrase that is not a link is not."),
    "ExplainedOccurrence": _object({
        "text": {"type": "string", "description": "The key that matched: the spelling the article used."},
        "key": {"type": "string", "description": "The spelling folded as the matcher folds it (NFKC, case, "
                                                 "Traditional to Simplified, whitespace): the glossary's key."},
        "term": {"type": "string", "description": "The id of the term it names."},
        "rule": {"enum": list(RULES), "description":
                 "bold: a bold phrase that is a term; first: the first plain mention of a term bolded nowhere "
                 "(mode first); all: a plain mention (mode all); linked: a link to the term already in the input."},
        "linked": {"type": "boolean", "description": "false: the link limit (once per section, 10 per article) "
                                                    "left it as text."},
        "position": {"type": "integer", "minimum": 0,
                     "description": "Where it starts in the article's text (notes left out)."},
    }),
    "UnannotatedBold": _object({
        "text": {"type": "string", "description": "The bold phrase as written."},
        "key": {"type": "string", "description": "The phrase folded as the matcher folds it."},
        "position": {"type": "integer", "minimum": 0},
        "reason": {"enum": list(REASONS), "description":
                   "not-a-term: no term is spelled so (see `nearest`); inside-link, inside-code, inside-heading, "
                   "inside-element: it is inside an element the annotator never annotates (`element` names the "
                   "outermost one); not-in: the term's `not_in` rules this place out (`not_in` says which "
                   "string); link-limit: the term is already linked in this section, or 10 times."},
        "term": {**_NULLABLE_TEXT, "description": "The term the phrase spells, if it spells one."},
        "element": {**_NULLABLE_TEXT, "description": "For inside-*: the tag of the element it is inside."},
        "not_in": {**_NULLABLE_TEXT, "description": "For not-in: the not_in string it lies inside."},
        "nearest": {"type": "array", "items": {"$ref": "#/components/schemas/NearTerm"},
                    "description": "For not-a-term: the terms nearest by edit distance, nearest first (at most 3)."},
    }),
    "NearTerm": _object({
        "id": {"type": "string"}, "term": {"type": "string"},
        "spelling": {"type": "string", "description": "The spelling it is near (its headword, an alias or its "
                                                      "English name), folded as `key` is."},
        "distance": {"type": "integer", "minimum": 0,
                     "description": "Edits (Levenshtein) from the folded phrase to the folded spelling."},
    }),
    "BatchRequest": _object({
        "items": {"type": "array", "maxItems": 50, "items": {"description":
                  "An annotate request, as POST /api/annotate takes it (AnnotateRequest). One that is not is "
                  "answered by its problem object in its place; the others are annotated."}},
    }, description="Several annotate requests at once, within GLOSSARY_API_MAX_BODY in all."),
    "BatchAnswer": _object({
        "items": {"type": "array", "items": {"oneOf": [
            {"$ref": "#/components/schemas/Annotation"}, {"$ref": "#/components/schemas/DocumentAnnotation"},
            {"$ref": "#/components/schemas/Problem"}]},
            "description": "One per item, in order: its annotation, or the problem (RFC 9457 object) that kept it "
                           "from being annotated."},
        "glossary_version": {"type": "string"},
    }),
    "TermSummary": _object({
        "id": {"type": "string"}, "term": {"type": "string"}, "en": _NULLABLE_TEXT,
        "aliases": _TEXT_LIST, "tags": _TEXT_LIST,
        "variants": {"type": "array", "items": {"$ref": "#/components/schemas/Variant"},
                     "description": "Every alias with its status and regions, in the order of `aliases`."},
        "not_in": {**_TEXT_LIST, "description": "Longer strings inside which the term's spellings never match."},
        "see_also": {**_TEXT_LIST, "description": "Ids of related terms."},
        "pinyin": {**_NULLABLE_TEXT, "description": "The headword's reading with tone marks, as the index files "
                                                   "it (terms.yaml's `pinyin`, else read word by word); null when "
                                                   "it has none."},
        "definition": {"type": "string", "description": "As terms.yaml writes it (inline Markdown)."},
        "definition_html": {"type": "string", "description": "Rendered and sanitised."},
        "url": {"type": "string", "description": "The term's page (absolute under GLOSSARY_LINK_BASE)."},
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
                           "a link_base that is not an absolute http(s) URL, a selector that is not CSS or comes "
                           "without a document, bad front matter, or markup nested too deeply."),
    "NotFound": _problem("No such term, or no such path under /api."),
    "MethodNotAllowed": _problem("The path does not take this method (see the Allow header)."),
    "TooLarge": _problem("The body is larger than the server's limit (it was not read), or the article has more "
                         "characters than the server converts (GLOSSARY_ANNOTATE_MAX_CHARS; for a document "
                         "GLOSSARY_DOCUMENT_MAX_CHARS)."),
    "BatchBadRequest": _problem("Malformed JSON, a body that is not {\"items\": [...]}, or more items than the "
                                "server takes at once (too-many-items, GLOSSARY_BATCH_MAX_ITEMS). A bad item does "
                                "not fail the batch: its problem takes its place in the answer."),
    "BodyTooLarge": _problem("The body is larger than the server's limit (GLOSSARY_API_MAX_BODY); it was not read."),
    "TooSlow": _problem("Converting the article took longer than the server's limit (GLOSSARY_ANNOTATE_TIMEOUT)."),
    "UnsupportedMediaType": _problem("The body is not application/json."),
    "Unavailable": _problem("The term store did not answer."),
}


def document(max_body: int, max_items: int = DEFAULTS["GLOSSARY_BATCH_MAX_ITEMS"]) -> dict:
    """Return the OpenAPI document; `max_body` is the server's request size limit in bytes, `max_items` a batch's."""
    schemas = {**SCHEMAS, "BatchRequest": copy.deepcopy(SCHEMAS["BatchRequest"])}
    if max_items:
        schemas["BatchRequest"]["properties"]["items"]["maxItems"] = max_items
    else:
        del schemas["BatchRequest"]["properties"]["items"]["maxItems"]
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
                    "200": {"description": "The annotated article: `html` for markdown and html input, `document` "
                                           "for a document.", "headers": _ETAG,
                            "content": {"application/json": {"schema": {"oneOf": [
                                {"$ref": "#/components/schemas/Annotation"},
                                {"$ref": "#/components/schemas/DocumentAnnotation"}]}}}},
                    "304": {"$ref": "#/components/responses/NotModified"},
                    "400": {"$ref": "#/components/responses/BadRequest"},
                    "413": {"$ref": "#/components/responses/TooLarge"},
                    "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
                    "422": {"$ref": "#/components/responses/TooSlow"},
                    "503": {"$ref": "#/components/responses/Unavailable"},
                },
            }},
            "/api/annotate/batch": {"post": {
                "operationId": "annotateBatch",
                "summary": "Annotate several articles in one request",
                "description": "Each item is what POST /api/annotate takes, and is answered as it would be (the "
                               "same cache); an item that fails (a bad field, too long, too deep) is its problem "
                               "object in its place, and the others are still annotated. The whole batch has "
                               "GLOSSARY_ANNOTATE_TIMEOUT seconds: an item reached after that, or stopped by it, "
                               "is a too-slow problem (a document's page parse and write-back are not stopped "
                               "midway). No ETag: ask for an item alone to get one.",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/BatchRequest"},
                    "example": {"items": [{"markdown": "美国把这些企业列入**实体清单**。"},
                                          {"html": "<p>美国动用<b>二级制裁</b>。</p>", "notes": False}]},
                }}},
                "responses": {
                    "200": _ok("BatchAnswer", "One result or problem per item, in order.", etag=False),
                    "400": {"$ref": "#/components/responses/BatchBadRequest"},
                    "413": {"$ref": "#/components/responses/BodyTooLarge"},
                    "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
                    "503": {"$ref": "#/components/responses/Unavailable"},
                },
            }},
            "/api/terms": {"get": {
                "operationId": "listTerms",
                "summary": "List or search the terms",
                "parameters": [
                    {"name": "q", "in": "query", "required": False, "schema": {"type": "string"},
                     "description": "Prefix of a headword, alias or English name, folded like the annotator "
                                    "(Traditional/Simplified, full-width, case), or of the headword's pinyin as "
                                    "the index's search reads it: full, spaced or run together (`shi ti`, "
                                    "`shitiqingdan`; ü as v, ü or u), or initials (`stqd`).", "example": "實體"},
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
        "components": {"schemas": schemas, "responses": RESPONSES},
    }
