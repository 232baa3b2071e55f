"""RFC 9457 problem details: how the API answers every error."""

from __future__ import annotations

from http import HTTPStatus

from flask import Blueprint, current_app, render_template, request
from werkzeug.exceptions import HTTPException, default_exceptions

from .jsonwire import json_bytes

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
    "too-many-items": (400, "Too many items in the batch"),
    "not-found": (404, "Not found"),
    "method-not-allowed": (405, "Method not allowed"),
    "too-large": (413, "Request body too large"),
    "too-long": (413, "Article too long"),
    "unsupported-media-type": (415, "Unsupported media type"),
    "too-slow": (422, "Article took too long to annotate"),
    "store-unavailable": (503, "Term store unavailable"),
    "server-error": (500, "Internal server error"),
}


# type slug -> (name in Chinese, what the problem means, how to fix the
# request): the page a problem's `type` URI answers with.
EXPLANATIONS = {
    "malformed-json": (
        "请求体不是合法的 JSON",
        "服务器无法把请求体解析为 JSON：可能是括号或引号没有配对、字符串里的换行或引号没有转义、"
        "结尾多了逗号，或者请求体不是 UTF-8 编码。detail 字段给出出错的位置。",
        "发送一个 UTF-8 编码的 JSON 对象，例如 <code>{\"markdown\": \"正文……\"}</code>。"
        "用 JSON 库生成请求体，不要手工拼接字符串。",
    ),
    "invalid-request": (
        "请求不符合接口约定",
        "请求体是合法的 JSON，但形状不对：不是对象，<code>markdown</code>、<code>html</code>、"
        "<code>document</code> 三个输入字段一个也没有或不止一个，有接口不认识的字段，字段的值类型不对"
        "（<code>notes</code>、<code>explain</code> 要布尔值，其余要字符串），<code>link_base</code> "
        "不是绝对的 http(s) 地址，<code>selector</code> 不是 CSS 选择器或没有和 <code>document</code> 一起发送，"
        "或者批量请求不是 <code>{\"items\": [...]}</code>。detail 字段说明是哪一处。",
        "只发送 <code>markdown</code>、<code>html</code>、<code>document</code> 其中之一（字符串），"
        "其余字段按需添加；字段定义见 <a href=\"/api/openapi.json\">OpenAPI 文档</a>中的 "
        "<code>AnnotateRequest</code> 和 <code>BatchRequest</code>。",
    ),
    "unknown-mode": (
        "未知的注释方式",
        "请求的 <code>mode</code>，或 Markdown 前言（front matter）里指定的注释方式，不是接口支持的取值。",
        "改用 <code>bold</code>（只注释加粗的术语）、<code>first</code>（另加每个术语第一次的普通提及）"
        "或 <code>all</code>（每一次提及）；不写则用默认值。",
    ),
    "bad-front-matter": (
        "前言不是 YAML 映射",
        "Markdown 以 <code>---</code> 开头，服务器把开头一段当作前言（front matter）读取，"
        "但它不是合法的 YAML、没有用 <code>---</code> 收尾，或者不是“键: 值”的映射。detail 字段给出行号。",
        "修正前言，例如 <code>---\ntitle: 标题\n---</code>；如果正文本来就以 <code>---</code> 开头（一条分隔线），"
        "在它前面加一个空行。",
    ),
    "too-deep": (
        "文章嵌套太深",
        "文章里的 HTML 元素或 Markdown 结构（引用、列表）一层套一层，超过了服务器处理的上限（约 200 层）。"
        "正常的文章不会这样，这通常是生成出错的内容。",
        "检查并展平文章的结构，去掉多余的嵌套后再发送。",
    ),
    "not-found": (
        "找不到",
        "请求的路径在 <code>/api</code> 下不存在，或者按编号查询的术语不在术语表里。",
        "核对路径和术语编号：<a href=\"/api/openapi.json\">OpenAPI 文档</a>列出全部路径，"
        "<code>GET /api/terms</code> 列出全部术语及其编号。",
    ),
    "method-not-allowed": (
        "不支持的请求方法",
        "这个路径存在，但不接受这种 HTTP 方法，例如用 GET 调用 <code>/api/annotate</code>。",
        "改用响应头 <code>Allow</code> 列出的方法（<code>/api/annotate</code> 用 POST，其余用 GET）。",
    ),
    "too-large": (
        "请求体太大",
        "请求体超过了服务器的上限（由 <code>GLOSSARY_API_MAX_BODY</code> 设定，默认 2 MB），服务器没有读取它。",
        "把文章拆成几部分分别发送，或者请服务器的管理员调高上限。",
    ),
    "too-long": (
        "文章太长",
        "要注释的 Markdown 或 HTML 超过了服务器一次处理的字符数上限（由 <code>GLOSSARY_ANNOTATE_MAX_CHARS</code> "
        "设定，默认 500,000 个字符）。detail 字段给出上限。",
        "把文章按章节拆成几部分分别发送，或者请服务器的管理员调高上限。",
    ),
    "too-many-items": (
        "批量请求的条目太多",
        "<code>POST /api/annotate/batch</code> 的 <code>items</code> 超过了服务器一次处理的条目数上限（由 "
        "<code>GLOSSARY_BATCH_MAX_ITEMS</code> 设定，默认 50 条）。服务器没有处理其中任何一条。detail 字段给出上限。",
        "把条目分成几批，每批不超过上限，分别发送。整个请求体仍不能超过 <code>GLOSSARY_API_MAX_BODY</code>。",
    ),
    "too-slow": (
        "文章注释超时",
        "转换并注释这篇文章用的时间超过了服务器给每个请求的上限（由 <code>GLOSSARY_ANNOTATE_TIMEOUT</code> "
        "设定，默认 5 秒），服务器停止了处理。正常的文章远用不了这么久；大段重复的符号"
        "（成串的 <code>[</code>、<code>*_</code>、未闭合的标签）会让转换变慢。",
        "检查文章里是否有大段异常的符号，去掉后再发送；文章本身很长时，拆成几部分分别发送。",
    ),
    "unsupported-media-type": (
        "不支持的内容类型",
        "请求体的 <code>Content-Type</code> 不是 JSON（例如表单或纯文本），或者请求没有写明内容类型。",
        "发送 JSON，并带上请求头 <code>Content-Type: application/json</code>。",
    ),
    "store-unavailable": (
        "术语库暂时无法访问",
        "服务器连不上它的术语库（数据库），或者数据库结构需要升级；这不是请求本身的问题。",
        "按响应头 <code>Retry-After</code> 给出的秒数稍后重试。服务器的管理员可以查看日志，"
        "或运行 <code>glossary db upgrade</code>。",
    ),
    "server-error": (
        "服务器内部错误",
        "服务器处理请求时出了意料之外的错误；详情只写进服务器日志，不在响应里。",
        "稍后重试；如果同一个请求总是出错，请把请求内容和时间告诉服务器的管理员。",
    ),
}

pages = Blueprint("problems", __name__)


@pages.get(TYPE_BASE)
@pages.get(TYPE_BASE + "<kind>")
def problem_page(kind: str | None = None):
    """Explain one problem type (the page its `type` URI names), or list them all."""
    if kind is not None and kind not in PROBLEMS:
        return problem("not-found", f"no problem type {kind!r}; see {TYPE_BASE} for the list")
    kinds = [kind] if kind else list(PROBLEMS)
    entries = [{"kind": k, "uri": TYPE_BASE + k, "status": PROBLEMS[k][0], "title": PROBLEMS[k][1],
                "name": EXPLANATIONS[k][0], "meaning": EXPLANATIONS[k][1], "fix": EXPLANATIONS[k][2]} for k in kinds]
    html = render_template("problem.html", entries=entries, single=kind is not None, base=TYPE_BASE)
    return html, {"Cache-Control": "public, max-age=3600"}


def is_api_path(path: str) -> bool:
    """Tell whether `path` belongs to the API (errors as problem+json)."""
    return path.startswith(API_PREFIX) or path == API_PREFIX.rstrip("/") or path == HEALTH_PATH


def problem_body(kind: str, detail: str, status: int | None = None) -> dict:
    """Return the RFC 9457 problem object of type `kind` (a key of PROBLEMS): type, title, status, detail."""
    default_status, title = PROBLEMS[kind]
    return {"type": TYPE_BASE + kind, "title": title, "status": status or default_status, "detail": detail}


def problem(kind: str, detail: str, *, status: int | None = None, headers: dict | None = None):
    """Return a problem+json response of type `kind` (a key of PROBLEMS)."""
    body = problem_body(kind, detail, status)
    return current_app.response_class(
        json_bytes(body), status=body["status"], mimetype=MEDIA_TYPE, headers=headers
    )


class ProblemError(Exception):
    """A request the API refuses, raised where the fault is found; answered as the problem `kind`."""

    def __init__(self, kind: str, detail: str):
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


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
    blueprint.register_error_handler(ProblemError, lambda error: problem(error.kind, error.detail))
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
