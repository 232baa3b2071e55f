"""One request to annotate: its fields checked, what it asks for resolved against the server's settings, its ETag.

`POST /api/annotate` takes one such request as its body and
`POST /api/annotate/batch` a list of them; both read them here, so an item
of a batch is checked, keyed and answered exactly as the same request alone.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from ..core.options import check_mode
from ..core.variants import is_language_tag
from ..core.versions import parse_date
from .problems import ProblemError

# The input kinds, each its own field: a Markdown article, an HTML fragment,
# or a whole HTML page (answered whole, as data: it is not sanitised).
INPUTS = ("markdown", "html", "document")
TEXT_FIELDS = ("mode", "date", "lang", "link_base", "selector")
FLAGS = ("notes", "explain")
FIELDS = (*INPUTS, *TEXT_FIELDS, *FLAGS)
# An absolute http(s) URL: a host (ASCII; punycode for other scripts), an
# optional port and path, no user, query or fragment. The OpenAPI document
# gives the same pattern; "" (relative links) is allowed in a request only.
LINK_BASE_PATTERN = r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~!$&()*+,;=:@%/-]*)?"
LINK_BASE = re.compile(LINK_BASE_PATTERN)


def check_link_base(value: str) -> str:
    """Return `value`, the glossary's public address, if it is an absolute http(s) URL without query or fragment.

    Raises:
        ValueError: Saying what a link base looks like.
    """
    if not LINK_BASE.fullmatch(value):
        raise ValueError(f"the link base must be an absolute http(s) URL such as https://glossary.example, "
                         f"ASCII, without user, query or fragment, not {value[:80]!r}")
    return value


def term_link_prefix(link_base: str, link_prefix: str) -> str:
    """Return the prefix of term links under `link_base` (https://glossary.example/terms/); `link_prefix` if empty."""
    if not link_base:
        return link_prefix
    return link_base.rstrip("/") + (urlsplit(link_prefix).path or "/")


@dataclass(frozen=True)
class AnnotateRequest:
    """What one annotate request asks for, checked.

    Attributes:
        kind: "markdown", "html" or "document", the field the input came in.
        text: The input.
        mode: "bold", "first" or "all"; None: the front matter's, else the site's.
        day: The article's date, for the definitions in force then.
        lang: The article's language (BCP 47).
        link_prefix: The prefix of term links: the server's, under the link base when one is given.
        notes: Whether the definitions block is written.
        explain: Whether the answer says why each mention matched, and each bold phrase did not.
        selector: For a document, the CSS selector of the elements to annotate (None: the body).
    """

    kind: str
    text: str
    mode: str | None
    day: date | None
    lang: str | None
    link_prefix: str
    notes: bool
    explain: bool
    selector: str | None

    @classmethod
    def parse(cls, data, config: Mapping) -> AnnotateRequest:
        """Check a request's JSON data against the API and the server's limits; return what it asks for.

        Raises:
            ProblemError: invalid-request, unknown-mode or too-long.
        """
        _check_shape(data)
        kind = next(name for name in INPUTS if name in data)
        _check_length(kind, data[kind], config)
        base = data.get("link_base", config["GLOSSARY_LINK_BASE"])
        return cls(kind=kind, text=data[kind], mode=data.get("mode"), day=parse_date(data.get("date")),
                   lang=data.get("lang"), link_prefix=term_link_prefix(base, config["GLOSSARY_LINK_PREFIX"]),
                   notes=data.get("notes", True), explain=data.get("explain", False),
                   selector=data.get("selector"))

    def etag(self, version: str, api_version: str) -> str:
        """Return the ETag of the answer: a hash of everything it is made from, glossary `version` included."""
        return answer_etag(self.digest(), version, api_version)

    def digest(self) -> bytes:
        """Return a hash of what is asked (input, kind and options), the glossary aside."""
        # The text is hashed as it is, after a header that gives its length:
        # escaping a Chinese article to ASCII JSON first cost more than the hash.
        header = json.dumps([self.kind, self.mode, self.link_prefix, self.day and self.day.isoformat(), self.lang,
                             self.notes, self.explain, self.selector, len(self.text)])
        digest = hashlib.sha256(header.encode())
        digest.update(self.text.encode("utf-8", "surrogatepass"))
        return digest.digest()


def answer_etag(digest: bytes, version: str, api_version: str) -> str:
    """Return the ETag of the answer to what `digest` (`AnnotateRequest.digest`) names, made with glossary `version`."""
    return hashlib.sha256(json.dumps([api_version, version]).encode() + digest).hexdigest()[:32]


def _check_shape(data) -> None:
    """Check that a request is an object with exactly one input and optional fields of the right types.

    Raises:
        ProblemError: invalid-request, or unknown-mode for a mode that is not one.
    """
    if not isinstance(data, dict):
        raise ProblemError("invalid-request", f"the request must be a JSON object, not {json_type(data)}")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise ProblemError("invalid-request", f"unknown field(s) {', '.join(map(repr, unknown))}: send one of "
                                              f"'markdown', 'html' or 'document', and optionally "
                                              f"{', '.join(repr(f) for f in (*TEXT_FIELDS, *FLAGS))}")
    given = [name for name in INPUTS if name in data]
    if not given:
        raise ProblemError("invalid-request", "the request needs a 'markdown' or an 'html' field (a fragment), "
                                              "or a 'document' (a whole page)")
    if len(given) > 1:
        raise ProblemError("invalid-request", f"send one of 'markdown', 'html' and 'document', not both "
                                              f"{' and '.join(map(repr, given))}")
    for name in (*given, *TEXT_FIELDS):
        if name in data and not isinstance(data[name], str):
            raise ProblemError("invalid-request", f"'{name}' must be a string, not {json_type(data[name])}")
    for name in FLAGS:
        if name in data and not isinstance(data[name], bool):
            raise ProblemError("invalid-request", f"'{name}' must be true or false, not {json_type(data[name])}")
    _check_values(data, given[0])


def _check_values(data: dict, kind: str) -> None:
    if "lang" in data and not is_language_tag(data["lang"]):
        raise ProblemError("invalid-request", f"'lang' must be a BCP 47 language tag such as zh-TW, "
                                              f"not {data['lang'][:40]!r}")
    if "date" in data and parse_date(data["date"]) is None:
        raise ProblemError("invalid-request", f"'date' must be a day written YYYY-MM-DD, e.g. 2025-09-29, "
                                              f"not {data['date'][:40]!r}")
    if data.get("link_base"):  # "" asks for relative links where the server's default is absolute
        try:
            check_link_base(data["link_base"])
        except ValueError as exc:
            raise ProblemError("invalid-request", f"'link_base': {exc}") from None
    if "selector" in data and kind != "document":
        raise ProblemError("invalid-request", "'selector' picks elements of a whole page: send it with 'document'")
    if "mode" in data:
        try:
            check_mode(data["mode"])
        except ValueError as exc:
            raise ProblemError("unknown-mode", str(exc)) from None


def _check_length(kind: str, text: str, config: Mapping) -> None:
    setting = "GLOSSARY_DOCUMENT_MAX_CHARS" if kind == "document" else "GLOSSARY_ANNOTATE_MAX_CHARS"
    most = int(config[setting])
    if most and len(text) > most:
        raise ProblemError("too-long", f"the '{kind}' field holds {len(text)} characters; at most {most} "
                                       f"are annotated ({setting})")


def json_type(value) -> str:
    """Name the JSON type of `value` as a message says it (an object, an array, ...)."""
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")
