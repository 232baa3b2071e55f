"""The JSON API through the real app factory, a SQLite file and (where HTTP framing matters) a real server."""

from __future__ import annotations

import json
import socket
import time
import urllib.parse

import pytest
from apiserver import make_app, serving
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary.core.model import Glossary
from glossary.store import read_inputs
from glossary.web.app import create_app
from glossary.web.problems import EXPLANATIONS, PROBLEMS

ARTICLE = """\
---
title: 制裁工具箱
tags: [sanctions, 2025]
---

美国可以动用**二级制裁**（Secondary Sanctions: 针对第三方的制裁），**不在词表**的短语也会加粗。
文中还提到实体清单和长臂管辖。
"""


@pytest.fixture
def app(tmp_path, terms_file):
    return make_app(tmp_path, terms_file)


@pytest.fixture
def client(app):
    return app.test_client()


def annotate(client, body, **kwargs):
    return client.post("/api/annotate", json=body, **kwargs)


def assert_problem(response, status: int, kind: str):
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert set(body) == {"type", "title", "status", "detail"}
    assert body["type"] == f"/api/problems/{kind}"
    assert body["status"] == status
    assert body["title"] == PROBLEMS[kind][1]
    assert body["detail"]
    return body


# -- POST /api/annotate: fields and modes -----------------------------------------


def test_annotate_markdown_answers_every_field(client, app):
    response = annotate(client, {"markdown": ARTICLE})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"html", "terms", "undefined", "glosses", "meta", "glossary_version"}
    assert 'data-term="secondary-sanctions"' in body["html"]
    assert body["terms"] == [{"id": "secondary-sanctions", "term": "二级制裁", "en": "Secondary Sanctions", "count": 1,
                              "version": None}]
    assert body["undefined"] == ["不在词表"]
    assert body["glosses"] == [{"term": "二级制裁", "name": "Secondary Sanctions", "definition": "针对第三方的制裁"}]
    assert body["meta"] == {"title": "制裁工具箱", "tags": ["sanctions", 2025]}
    assert body["glossary_version"] == app.extensions["glossary"].store.glossary_version()


def test_annotate_html_answers_with_empty_meta(client):
    body = annotate(client, {"html": "<p>美国动用<b>二级制裁</b>。</p>"}).get_json()
    assert [t["id"] for t in body["terms"]] == ["secondary-sanctions"]
    assert body["meta"] == {}
    assert '<a href="/terms/secondary-sanctions"' in body["html"]


def test_annotate_mode_defaults_to_bold(client):
    body = annotate(client, {"markdown": "提到实体清单，也有**二级制裁**。"}).get_json()
    assert [t["id"] for t in body["terms"]] == ["secondary-sanctions"]


MENTIONS = "实体清单，再说实体清单，**二级制裁**，二级制裁。"


def test_annotate_mode_first_adds_first_plain_mentions(client):
    body = annotate(client, {"markdown": MENTIONS, "mode": "first"}).get_json()
    assert [(t["id"], t["count"]) for t in body["terms"]] == [("entity-list", 1), ("secondary-sanctions", 1)]


def test_annotate_mode_all_annotates_every_mention(client):
    body = annotate(client, {"markdown": MENTIONS, "mode": "all"}).get_json()
    assert [(t["id"], t["count"]) for t in body["terms"]] == [("entity-list", 2), ("secondary-sanctions", 2)]


def test_annotate_html_mode_all(client):
    body = annotate(client, {"html": "<p>实体清单与长臂管辖</p>", "mode": "all"}).get_json()
    assert [t["id"] for t in body["terms"]] == ["entity-list", "long-arm-jurisdiction"]


def test_annotate_uses_the_front_matter_mode_when_none_is_given(client):
    body = annotate(client, {"markdown": "---\nglossary: all\n---\n提到实体清单。\n"}).get_json()
    assert [t["id"] for t in body["terms"]] == ["entity-list"]


def test_annotate_links_a_term_at_most_as_often_as_the_front_matter_allows(client):
    sections = "\n\n".join(f"## {i}\n\n稀土，稀土。" for i in range(6))
    body = annotate(client, {"markdown": "---\nannotate: all\nmax_links: 3\n---\n" + sections}).get_json()
    assert body["html"].count('data-term="rare-earth"') == 3
    assert [(t["id"], t["count"]) for t in body["terms"]] == [("rare-earth", 12)]


def test_bad_max_links_in_front_matter_is_400(client):
    assert_problem(annotate(client, {"markdown": "---\nmax_links: lots\n---\nx\n"}), 400, "bad-front-matter")


def test_annotate_mode_overrides_the_front_matter(client):
    body = annotate(client, {"markdown": "---\nglossary: all\n---\n提到实体清单。\n", "mode": "bold"}).get_json()
    assert body["terms"] == []


def test_annotate_accepts_a_json_media_type_with_charset_or_suffix(client):
    data = json.dumps({"html": "<b>稀土</b>"}).encode()
    for content_type in ("application/json; charset=utf-8", "application/vnd.glossary+json"):
        response = client.post("/api/annotate", data=data, content_type=content_type)
        assert response.status_code == 200, content_type


def test_annotate_front_matter_values_json_cannot_hold_become_text(client):
    article = "---\n1: 数字键\nratio: .nan\nwhen: 2025-06-01\n---\n正文。\n"
    response = annotate(client, {"markdown": article})
    assert response.status_code == 200
    assert response.get_json()["meta"] == {"1": "数字键", "ratio": "nan", "when": "2025-06-01"}


def test_annotate_front_matter_integer_past_64_bits_is_answered_exactly(client):
    # orjson refuses it; the answer must not lose it (or turn it into a float).
    article = "---\nserial: 1180591620717411303424\nsmall: -9223372036854775809\n---\n正文。\n"
    response = annotate(client, {"markdown": article})
    assert response.status_code == 200
    assert json.loads(response.data)["meta"] == {"serial": 2**70, "small": -(2**63) - 1}


def test_annotate_lone_surrogate_in_json_is_replaced(client):
    response = client.post("/api/annotate", data=b'{"markdown": "\\ud800\\u5b9e\\u4f53\\u6e05\\u5355", "mode": "all"}',
                           content_type="application/json")
    assert response.status_code == 200
    assert "\ufffd" in response.get_json()["html"]


def test_annotate_doctype_alone_is_an_empty_article(client):
    assert annotate(client, {"html": "<!DOCTYPE html>"}).get_json()["html"] == ""


def test_annotate_empty_article(client):
    body = annotate(client, {"markdown": ""}).get_json()
    assert body["html"] == ""
    assert body["terms"] == []


def test_annotate_sanitises_the_article(client):
    article = "**实体清单**<script>alert(1)</script> [x](javascript:alert(1))"
    html = annotate(client, {"markdown": article}).get_json()["html"]
    assert "<script" not in html
    assert "javascript:" not in html
    assert "<a>x</a>" in html


def test_annotating_the_answer_again_changes_nothing(client):
    first = annotate(client, {"markdown": ARTICLE, "mode": "all"}).get_json()
    again = annotate(client, {"html": first["html"], "mode": "all"}).get_json()
    assert again["html"] == first["html"]
    assert again["terms"] == first["terms"]


def test_annotate_links_use_the_configured_prefix(tmp_path, terms_file):
    app = make_app(tmp_path, terms_file, GLOSSARY_LINK_PREFIX="https://glossary.example/t/")
    html = annotate(app.test_client(), {"html": "<b>稀土</b>"}).get_json()["html"]
    assert 'href="https://glossary.example/t/rare-earth"' in html


# -- POST /api/annotate: errors ---------------------------------------------------


def test_malformed_json_is_400(client):
    assert_problem(client.post("/api/annotate", data=b'{"markdown": ', content_type="application/json"),
                   400, "malformed-json")


def test_body_that_is_not_utf8_is_400(client):
    assert_problem(client.post("/api/annotate", data=b'{"html": "\xff\xfe"}', content_type="application/json"),
                   400, "malformed-json")


def test_empty_body_is_400(client):
    assert_problem(client.post("/api/annotate", data=b"", content_type="application/json"), 400, "malformed-json")


def test_deeply_nested_json_is_400(client):
    data = b"[" * 100_000 + b"]" * 100_000
    assert_problem(client.post("/api/annotate", data=data, content_type="application/json"), 400, "malformed-json")


def test_body_that_is_not_an_object_is_400(client):
    assert_problem(annotate(client, ["markdown"]), 400, "invalid-request")


def test_missing_input_field_is_400(client):
    body = assert_problem(annotate(client, {"mode": "all"}), 400, "invalid-request")
    assert "'markdown' or an 'html'" in body["detail"]


def test_both_input_fields_is_400(client):
    body = assert_problem(annotate(client, {"markdown": "a", "html": "b"}), 400, "invalid-request")
    assert "not both" in body["detail"]


def test_unknown_field_is_400(client):
    body = assert_problem(annotate(client, {"markdown": "a", "mdoe": "all"}), 400, "invalid-request")
    assert "'mdoe'" in body["detail"]


@pytest.mark.parametrize("body", [{"markdown": 1}, {"html": None}, {"html": ["x"]}, {"markdown": "x", "mode": 2},
                                  {"markdown": "x", "mode": None}, {"markdown": {"text": "x"}}])
def test_wrong_type_is_400(client, body):
    assert_problem(annotate(client, body), 400, "invalid-request")


def test_unknown_mode_is_400(client):
    body = assert_problem(annotate(client, {"markdown": "x", "mode": "every"}), 400, "unknown-mode")
    assert "bold, first, all" in body["detail"]


def test_unknown_mode_in_front_matter_is_400(client):
    assert_problem(annotate(client, {"markdown": "---\nglossary: some\n---\nx\n"}), 400, "unknown-mode")


def test_bad_front_matter_is_400(client):
    body = assert_problem(annotate(client, {"markdown": "---\ntitle: [unclosed\n---\nx\n"}), 400, "bad-front-matter")
    assert "line" in body["detail"]


def test_front_matter_that_is_not_a_mapping_is_400(client):
    assert_problem(annotate(client, {"markdown": "---\n- a\n- b\n---\nx\n"}), 400, "bad-front-matter")


def test_markup_nested_too_deeply_is_400(client):
    assert_problem(annotate(client, {"html": "<div>" * 400 + "x"}), 400, "too-deep")


def test_non_json_content_type_is_415(client):
    assert_problem(client.post("/api/annotate", data="**x**", content_type="text/markdown"),
                   415, "unsupported-media-type")


def test_missing_content_type_is_415(client):
    assert_problem(client.post("/api/annotate", data=b'{"markdown": "x"}'), 415, "unsupported-media-type")


def test_form_content_type_is_415(client):
    assert_problem(client.post("/api/annotate", data={"markdown": "x"}), 415, "unsupported-media-type")


def test_body_over_the_limit_is_413(tmp_path, terms_file):
    client = make_app(tmp_path, terms_file, GLOSSARY_API_MAX_BODY=100).test_client()
    body = json.dumps({"markdown": "x" * 100})
    assert_problem(client.post("/api/annotate", data=body, content_type="application/json"), 413, "too-large")


def test_body_at_the_limit_is_accepted(tmp_path, terms_file):
    client = make_app(tmp_path, terms_file, GLOSSARY_API_MAX_BODY=100).test_client()
    body = json.dumps({"markdown": "x" * (100 - len('{"markdown": ""}'))})
    assert len(body) == 100
    assert client.post("/api/annotate", data=body, content_type="application/json").status_code == 200


def test_default_limit_is_two_megabytes(client):
    body = json.dumps({"markdown": "x" * (2 * 1024 * 1024)})
    assert_problem(client.post("/api/annotate", data=body, content_type="application/json"), 413, "too-large")


def test_limit_is_read_from_the_environment(tmp_path, terms_file, monkeypatch):
    monkeypatch.setenv("GLOSSARY_API_MAX_BODY", "50")
    client = make_app(tmp_path, terms_file).test_client()
    assert_problem(annotate(client, {"markdown": "x" * 60}), 413, "too-large")


def _raw_exchange(base: str, head: bytes, body_parts: list[bytes]) -> bytes:
    """Send a request head and body parts over one socket (never finishing the body); return the response."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head)
        for part in body_parts:
            sock.sendall(part)
        # The body is left unfinished: a server that waited for all of it
        # would answer nothing and this read would time out.
        return sock.recv(65536)


def test_oversized_content_length_is_413_before_the_body_is_sent(tmp_path, terms_file):
    app = make_app(tmp_path, terms_file, GLOSSARY_API_MAX_BODY=1000)
    with serving(app) as base:
        head = (b"POST /api/annotate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 50000000\r\n\r\n")
        answer = _raw_exchange(base, head, [b'{"markdown": "'])
    assert answer.startswith(b"HTTP/1.1 413")
    assert b"application/problem+json" in answer


def test_chunked_body_over_the_limit_is_413_without_reading_to_its_end(tmp_path, terms_file):
    app = make_app(tmp_path, terms_file, GLOSSARY_API_MAX_BODY=1000)
    with serving(app) as base:
        head = (b"POST /api/annotate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = b'{"markdown": "' + b"x" * 786
        parts = [b"%x\r\n%s\r\n" % (len(chunk), chunk), b"400\r\n" + b"y" * 1024 + b"\r\n"]
        answer = _raw_exchange(base, head, parts)
    assert answer.startswith(b"HTTP/1.1 413")


def test_chunked_body_under_the_limit_is_annotated(tmp_path, terms_file):
    app = make_app(tmp_path, terms_file, GLOSSARY_API_MAX_BODY=1000)
    with serving(app) as base:
        head = (b"POST /api/annotate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        body = json.dumps({"html": "<b>稀土</b>"}).encode()
        answer = _raw_exchange(base, head, [b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)])
    assert answer.startswith(b"HTTP/1.1 200")


def test_a_body_read_whole_over_a_real_socket_is_annotated(tmp_path, terms_file):
    # Sent in pieces with a pause between them: the one read of the declared length waits for them all.
    app = make_app(tmp_path, terms_file)
    body = json.dumps({"markdown": "美国动用了**二级制裁**。" * 2000}, ensure_ascii=False).encode()
    head = (b"POST /api/annotate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(body))
    with serving(app) as base:
        host, port = urllib.parse.urlsplit(base).netloc.split(":")
        with socket.create_connection((host, int(port)), timeout=30) as sock:
            sock.sendall(head + body[:len(body) // 2])
            time.sleep(0.2)
            sock.sendall(body[len(body) // 2:])
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
    assert answer.startswith(b"HTTP/1.1 200")
    terms = json.loads(answer.split(b"\r\n\r\n", 1)[1])["terms"]
    assert [(t["id"], t["count"]) for t in terms] == [("secondary-sanctions", 2000)]


def test_a_body_shorter_than_its_declared_length_is_refused(tmp_path, terms_file):
    app = make_app(tmp_path, terms_file)
    head = (b"POST /api/annotate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Connection: close\r\nContent-Length: 100\r\n\r\n")
    with serving(app) as base:
        host, port = urllib.parse.urlsplit(base).netloc.split(":")
        with socket.create_connection((host, int(port)), timeout=30) as sock:
            sock.sendall(head + b'{"markdown": "x"')
            sock.shutdown(socket.SHUT_WR)  # the client has nothing more to send
            answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 400")


def test_get_on_annotate_is_405_with_allow(client):
    response = client.get("/api/annotate")
    assert_problem(response, 405, "method-not-allowed")
    assert "POST" in response.headers["Allow"]


def test_post_on_terms_is_405(client):
    assert_problem(client.post("/api/terms", json={}), 405, "method-not-allowed")


def test_delete_on_healthz_is_405_problem(client):
    assert_problem(client.delete("/healthz"), 405, "method-not-allowed")


def test_unknown_api_path_is_404_problem(client):
    assert_problem(client.get("/api/nothing/here"), 404, "not-found")


def test_api_root_is_404_problem(client):
    assert_problem(client.get("/api"), 404, "not-found")


def test_reader_pages_keep_their_html_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_any_bytes_never_cause_a_server_error(client, data):
    response = client.post("/api/annotate", data=data, content_type="application/json")
    assert response.status_code in (200, 400)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(["markdown", "html"]), text=st.text(max_size=300),
       mode=st.sampled_from(["bold", "first", "all"]))
def test_any_article_text_is_annotated_or_refused_never_a_server_error(client, field, text, mode):
    response = annotate(client, {field: text, "mode": mode})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert "<script" not in response.get_json()["html"].lower()


# -- ETag and If-None-Match ---------------------------------------------------------


def test_annotate_answers_with_an_etag_and_304_for_it(client):
    first = annotate(client, {"markdown": ARTICLE})
    etag = first.headers["ETag"]
    again = annotate(client, {"markdown": ARTICLE}, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag


def test_annotate_weak_if_none_match_also_gives_304(client):
    etag = annotate(client, {"markdown": ARTICLE}).headers["ETag"]
    assert annotate(client, {"markdown": ARTICLE}, headers={"If-None-Match": f"W/{etag}"}).status_code == 304


def test_annotate_etag_differs_by_input_field_and_mode(client):
    etags = {
        annotate(client, {"markdown": "**稀土**"}).headers["ETag"],
        annotate(client, {"html": "**稀土**"}).headers["ETag"],
        annotate(client, {"markdown": "**稀土**", "mode": "bold"}).headers["ETag"],
        annotate(client, {"markdown": "**稀土**", "mode": "all"}).headers["ETag"],
        annotate(client, {"markdown": "**稀土** "}).headers["ETag"],
    }
    assert len(etags) == 5


def test_annotate_stale_etag_is_answered_in_full(client):
    response = annotate(client, {"markdown": ARTICLE}, headers={"If-None-Match": '"stale"'})
    assert response.status_code == 200


def test_annotate_etag_changes_with_the_glossary(app, client, terms_file, tmp_path):
    etag = annotate(client, {"markdown": ARTICLE}).headers["ETag"]
    terms_file.write_text(terms_file.read_text(encoding="utf-8").replace("针对与受制裁方往来", "新定义"),
                          encoding="utf-8")
    app.extensions["glossary"].store.sync(*read_inputs(terms_file, tmp_path / "articles"))
    app.extensions["glossary"].live.interval = 0
    response = annotate(client, {"markdown": ARTICLE}, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "新定义" in response.get_json()["html"]


@pytest.mark.parametrize("path", ["/api/terms", "/api/terms?q=实体", "/api/terms/entity-list", "/api/openapi.json"])
def test_get_answers_with_an_etag_and_304_for_it(client, path):
    etag = client.get(path).headers["ETag"]
    response = client.get(path, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.data == b""


# -- CORS -----------------------------------------------------------------------------


def test_no_cross_origin_access_by_default(client):
    response = annotate(client, {"html": "x"}, headers={"Origin": "https://editor.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_allowed_origin_gets_cors_headers(tmp_path, terms_file):
    client = make_app(tmp_path, terms_file, GLOSSARY_CORS_ORIGINS="https://editor.example, https://cms.example").test_client()
    response = annotate(client, {"html": "x"}, headers={"Origin": "https://cms.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://cms.example"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    assert "Origin" in response.headers["Vary"]


def test_other_origin_gets_no_cors_headers(tmp_path, terms_file):
    client = make_app(tmp_path, terms_file, GLOSSARY_CORS_ORIGINS="https://editor.example").test_client()
    response = annotate(client, {"html": "x"}, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_cors_origins_come_from_the_environment(tmp_path, terms_file, monkeypatch):
    monkeypatch.setenv("GLOSSARY_CORS_ORIGINS", "https://editor.example")
    client = make_app(tmp_path, terms_file).test_client()
    response = client.get("/api/terms", headers={"Origin": "https://editor.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://editor.example"


def test_wildcard_allows_any_origin(tmp_path, terms_file):
    client = make_app(tmp_path, terms_file, GLOSSARY_CORS_ORIGINS="*").test_client()
    response = client.get("/api/terms", headers={"Origin": "https://anywhere.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_preflight_from_an_allowed_origin(tmp_path, terms_file):
    client = make_app(tmp_path, terms_file, GLOSSARY_CORS_ORIGINS="https://editor.example").test_client()
    response = client.options("/api/annotate", headers={
        "Origin": "https://editor.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "https://editor.example"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]


def test_preflight_from_another_origin_is_not_allowed(tmp_path, terms_file):
    client = make_app(tmp_path, terms_file, GLOSSARY_CORS_ORIGINS="https://editor.example").test_client()
    response = client.options("/api/annotate", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Methods" not in response.headers


def test_errors_carry_cors_headers_for_an_allowed_origin(tmp_path, terms_file):
    client = make_app(tmp_path, terms_file, GLOSSARY_CORS_ORIGINS="https://editor.example").test_client()
    response = client.get("/api/terms/missing", headers={"Origin": "https://editor.example"})
    assert response.status_code == 404
    assert response.headers["Access-Control-Allow-Origin"] == "https://editor.example"


# -- GET /api/terms and /api/terms/<id> --------------------------------------------


def ids(response) -> list[str]:
    return [t["id"] for t in response.get_json()["terms"]]


def test_terms_lists_every_term_in_glossary_order(client, glossary):
    body = client.get("/api/terms").get_json()
    assert [t["id"] for t in body["terms"]] == [t.id for t in glossary]
    assert body["count"] == len(glossary)
    entry = body["terms"][0]
    assert entry == {
        "id": "entity-list", "term": "实体清单", "en": "Entity List", "aliases": ["实体名单"],
        "variants": [{"form": "实体名单", "status": "admitted", "regions": [], "note": None}], "not_in": [],
        "tags": ["export-control"], "see_also": ["secondary-sanctions"], "pinyin": "shí tǐ qīng dān",
        "definition": "美国商务部公布的一份名单，名单上的企业要取得美国物项须先获许可。",
        "definition_html": "<p>美国商务部公布的一份名单，名单上的企业要取得美国物项须先获许可。</p>",
        "url": "/terms/entity-list", "as_of": None, "sources": [], "history": [],
    }


def test_terms_q_is_a_prefix_of_the_headword(client):
    assert ids(client.get("/api/terms?q=稀土")) == ["rare-earth", "rare-earth-magnet"]


def test_terms_q_traditional_finds_simplified(client):
    assert ids(client.get("/api/terms?q=實體")) == ["entity-list"]


def test_terms_q_full_width_and_case_fold(client):
    assert ids(client.get("/api/terms?q=ＳＷＩＦＴ")) == ["swift"]
    assert ids(client.get("/api/terms?q=swi")) == ["swift"]


def test_terms_q_matches_an_alias(client):
    assert ids(client.get("/api/terms?q=川普")) == ["donald-trump"]


def test_terms_q_matches_the_english_name(client):
    assert ids(client.get("/api/terms?q=secondary")) == ["secondary-sanctions"]


def test_terms_q_does_not_match_inside_a_word(client):
    assert ids(client.get("/api/terms?q=清单")) == []


def test_terms_q_puts_exact_matches_first(client):
    assert ids(client.get("/api/terms?q=ai")) == ["ai-chip"]
    assert ids(client.get("/api/terms?q=芯片")) == ["chip"]
    assert ids(client.get("/api/terms?q=稀土永磁体")) == ["rare-earth-magnet"]


def test_terms_exact_match_is_listed_before_longer_ones(tmp_path):
    terms = tmp_path / "t.yaml"
    terms.write_text("terms:\n  - id: long\n    term: 稀土永磁\n    definition: a\n"
                     "  - id: short\n    term: 稀土\n    definition: b\n", encoding="utf-8")
    client = make_app(tmp_path, terms).test_client()
    assert ids(client.get("/api/terms?q=稀土")) == ["short", "long"]


def test_terms_blank_q_lists_everything(client, glossary):
    assert len(ids(client.get("/api/terms?q=%20"))) == len(glossary)


def test_terms_tag_filters(client):
    assert ids(client.get("/api/terms?tag=finance")) == ["swift"]


def test_terms_q_and_tag_combine(client):
    assert ids(client.get("/api/terms?q=实体&tag=law")) == []
    assert ids(client.get("/api/terms?q=实体&tag=export-control")) == ["entity-list"]


def test_term_detail_has_aliases_see_also_and_articles(client):
    body = client.get("/api/terms/entity-list").get_json()
    assert body["aliases"] == ["实体名单"]
    assert body["see_also"] == [{"id": "secondary-sanctions", "term": "二级制裁", "en": "Secondary Sanctions",
                                 "url": "/terms/secondary-sanctions"}]
    assert body["articles"] == [{
        "slug": "export-notes", "title": "出口管制短评", "date": "2025-05-01", "url": "/articles/export-notes",
        "count": 1, "snippet": "美国把多家企业列入实体清单（Entity List: 一份需要许可证的名单），并动用长臂管辖。",
    }]


def test_term_detail_definition_html_is_sanitised(client):
    body = client.get("/api/terms/xss-probe").get_json()
    assert "<script" not in body["definition_html"]
    assert "javascript:" not in body["definition_html"]


def test_unknown_term_is_404_problem(client):
    body = assert_problem(client.get("/api/terms/no-such-term"), 404, "not-found")
    assert "no-such-term" in body["detail"]


# -- /api/openapi.json and /healthz -------------------------------------------------


def test_openapi_document_describes_every_route(app, client):
    document = client.get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    routes = {(rule.rule.replace("<term_id>", "{term_id}"), method.lower())
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    described = {(path, method) for path, item in document["paths"].items() for method in item}
    assert described == routes


def test_openapi_document_lists_every_problem_type(client):
    document = client.get("/api/openapi.json").get_json()
    listed = document["components"]["schemas"]["Problem"]["properties"]["type"]["enum"]
    assert listed == [f"/api/problems/{kind}" for kind in PROBLEMS]
    assert "413" in document["paths"]["/api/annotate"]["post"]["responses"]


# -- the problem types' pages ---------------------------------------------------------


@pytest.mark.parametrize("kind", list(PROBLEMS))
def test_every_problem_type_uri_answers_with_a_page_explaining_it(client, kind):
    response = client.get(f"/api/problems/{kind}")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.h1.get_text(strip=True) == EXPLANATIONS[kind][0]
    assert soup.select_one("p.en[lang=en]").get_text() == PROBLEMS[kind][1]
    assert [dt.get_text() for dt in soup.select("dl.facts dt")] == ["HTTP 状态", "type", "含义", "怎样修正"]


def test_type_of_an_answered_problem_resolves_to_its_page(client):
    kind = client.get("/api/terms/no-such-term").get_json()["type"]
    assert client.get(kind).status_code == 200


def test_problem_types_index_links_every_type(client):
    soup = BeautifulSoup(client.get("/api/problems/").get_data(as_text=True), "html.parser")
    assert [a["href"] for a in soup.select("article.problem h2 a")] == [f"/api/problems/{k}" for k in PROBLEMS]


def test_unknown_problem_type_is_a_404_problem(client):
    assert_problem(client.get("/api/problems/no-such-type"), 404, "not-found")


def test_openapi_document_links_the_problem_pages(client):
    document = client.get("/api/openapi.json").get_json()
    assert document["externalDocs"]["url"] == "/api/problems/"
    assert document["components"]["schemas"]["Problem"]["externalDocs"]["url"] == "/api/problems/"
    for kind in PROBLEMS:
        assert f"(/api/problems/{kind})" in document["info"]["description"]
    assert client.get(document["externalDocs"]["url"]).status_code == 200


def test_openapi_document_states_the_configured_limit(tmp_path, terms_file):
    client = make_app(tmp_path, terms_file, GLOSSARY_API_MAX_BODY=12345).test_client()
    assert "12345 bytes" in client.get("/api/openapi.json").get_json()["info"]["description"]


def test_healthz_reports_version_and_term_count(app, client, glossary):
    response = client.get("/healthz")
    assert response.status_code == 200
    version = app.extensions["glossary"].store.glossary_version()
    assert response.get_json() == {
        "status": "ok", "glossary_version": version, "serving_version": version, "terms": len(glossary),
        "store": "sqlite: store.db",
        # Outside the working folder: named, not shown with the server's absolute path.
        "terms_file": {"path": "terms.yaml", "following": True, "problems": [], "refused": None},
        "store_write_error": None, "reloading": None,
    }


def test_healthz_reports_a_broken_terms_file_as_degraded_with_its_lines(app, client, terms_file):
    app.extensions["glossary"].live.interval = 0
    client.get("/healthz")
    terms_file.write_text(terms_file.read_text(encoding="utf-8").replace("term: 实体清单", "term: ''"),
                          encoding="utf-8")
    body = client.get("/healthz").get_json()
    assert body["status"] == "degraded"
    assert body["serving_version"] == app.extensions["glossary"].store.glossary_version()
    assert any(p.startswith("terms.yaml:") and "'term'" in p for p in body["terms_file"]["problems"])


def test_healthz_before_any_sync_is_ok_and_empty(tmp_path):
    app = create_app({"GLOSSARY_DATABASE_URL": f"sqlite:///{tmp_path / 'new.db'}"})
    body = app.test_client().get("/healthz").get_json()
    # Nothing synced: no stored version; the server annotates with the empty glossary, following no file.
    assert body == {"status": "ok", "glossary_version": None, "serving_version": Glossary([]).version, "terms": 0,
                    "store": "sqlite: new.db",
                    "terms_file": {"path": None, "following": False, "problems": [], "refused": None},
                    "store_write_error": None, "reloading": None}


def broken_store_app(tmp_path):
    """Return an app whose SQLite file is not a database."""
    path = tmp_path / "broken.db"
    path.write_bytes(b"this is not a database file" * 100)
    return create_app({"GLOSSARY_DATABASE_URL": f"sqlite:///{path}"})


def test_healthz_is_503_when_the_database_is_not_a_database(tmp_path):
    assert_problem(broken_store_app(tmp_path).test_client().get("/healthz"), 503, "store-unavailable")


def test_healthz_is_503_when_the_database_cannot_be_opened(tmp_path):
    # A folder where the database file should be: SQLite cannot open it.
    app = create_app({"GLOSSARY_DATABASE_URL": f"sqlite:///{tmp_path}"})
    assert_problem(app.test_client().get("/healthz"), 503, "store-unavailable")


def test_healthz_is_503_when_the_database_driver_is_missing(tmp_path):
    app = create_app({"GLOSSARY_DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none"})
    assert_problem(app.test_client().get("/healthz"), 503, "store-unavailable")


@pytest.mark.parametrize("request_args", [
    ("post", "/api/annotate", {"json": {"markdown": "**稀土**"}}),
    ("get", "/api/terms", {}),
    ("get", "/api/terms/rare-earth", {}),
])
def test_api_is_503_not_500_when_the_store_is_broken(tmp_path, request_args):
    method, path, kwargs = request_args
    response = getattr(broken_store_app(tmp_path).test_client(), method)(path, **kwargs)
    assert_problem(response, 503, "store-unavailable")


def test_annotating_the_same_article_again_gives_the_same_answer_from_the_cache(app, client, monkeypatch):
    from glossary.web import api

    article = {"markdown": "美国动用了**二级制裁**。", "mode": "all"}
    first = client.post("/api/annotate", json=article)
    calls = []
    monkeypatch.setattr(api, "annotate_untrusted_markdown", lambda *a, **k: calls.append(a))
    again = client.post("/api/annotate", json=article)
    assert again.status_code == 200
    assert again.get_data() == first.get_data()
    assert again.headers["ETag"] == first.headers["ETag"]
    assert calls == []


def test_cached_answer_is_not_served_once_the_glossary_changes(app, client, terms_file, tmp_path):
    # The same body again: known by its hash, its answer looked up under the new glossary's ETag.
    article = {"markdown": "美国动用了**二级制裁**。"}
    first = client.post("/api/annotate", json=article)
    terms_file.write_text(terms_file.read_text(encoding="utf-8").replace(
        "针对与受制裁方往来的第三方所施加的制裁", "新写的定义"), encoding="utf-8")
    app.extensions["glossary"].store.sync(*read_inputs(terms_file, tmp_path / "articles"))
    app.extensions["glossary"].live.interval = 0
    again = client.post("/api/annotate", json=article)
    assert again.headers["ETag"] != first.headers["ETag"]
    assert "新写的定义" in again.get_json()["html"]


def test_the_same_request_written_otherwise_shares_the_answer_and_its_etag(client):
    article = {"markdown": "美国动用了**二级制裁**。", "mode": "all"}
    first = client.post("/api/annotate", json=article)
    spaced = client.post("/api/annotate", data=json.dumps(article, indent=2, ensure_ascii=False).encode(),
                         content_type="application/json")
    assert spaced.headers["ETag"] == first.headers["ETag"]
    assert spaced.get_data() == first.get_data()


def test_a_body_sent_again_whose_answer_was_not_kept_is_answered_in_full(tmp_path, terms_file):
    # No answer is kept (a cache of 0 MB), while what each body asked is.
    client = make_app(tmp_path, terms_file, GLOSSARY_ANSWER_CACHE_MB=0).test_client()
    article = {"markdown": "美国动用了**二级制裁**。", "mode": "all"}
    first = client.post("/api/annotate", json=article)
    again = client.post("/api/annotate", json=article)
    assert again.status_code == 200
    assert again.get_data() == first.get_data()
    assert again.headers["ETag"] == first.headers["ETag"]


def test_a_body_sent_again_is_answered_without_parsing_it(client, monkeypatch):
    from glossary.web import api

    article = {"markdown": "美国动用了**二级制裁**。", "mode": "all"}
    first = client.post("/api/annotate", json=article)
    parsed = []
    monkeypatch.setattr(api, "_parsed", lambda raw: parsed.append(raw) or json.loads(raw))
    again = client.post("/api/annotate", json=article)
    assert again.get_data() == first.get_data()
    assert parsed == []


def test_a_body_sent_again_with_its_etag_is_304(client):
    article = {"markdown": "美国动用了**二级制裁**。"}
    etag = client.post("/api/annotate", json=article).headers["ETag"]
    assert client.post("/api/annotate", json=article, headers={"If-None-Match": etag}).status_code == 304


def test_a_malformed_body_sent_twice_is_refused_twice(client):
    for _ in range(2):
        response = client.post("/api/annotate", data=b'{"markdown": 1}', content_type="application/json")
        assert_problem(response, 400, "invalid-request")


def test_annotate_follows_the_site_default_mode_when_the_article_names_none(tmp_path, terms_file):
    client = make_app(tmp_path, terms_file, GLOSSARY_DEFAULT_MODE="all").test_client()
    body = annotate(client, {"markdown": "企业被列入实体清单。"}).get_json()
    assert [t["id"] for t in body["terms"]] == ["entity-list"]
    html_body = annotate(client, {"html": "<p>企业被列入实体清单。</p>"}).get_json()
    assert [t["id"] for t in html_body["terms"]] == ["entity-list"]


def test_annotate_follows_the_site_link_limit(tmp_path, terms_file):
    client = make_app(tmp_path, terms_file, GLOSSARY_MAX_LINKS_PER_TERM=1).test_client()
    body = annotate(client, {"markdown": "## 一\n\n实体清单\n\n## 二\n\n实体清单\n", "mode": "all"}).get_json()
    assert body["html"].count('data-term="entity-list"') == 1
    assert body["terms"][0]["count"] == 2


def test_annotate_front_matter_mode_wins_over_the_site_default(tmp_path, terms_file):
    client = make_app(tmp_path, terms_file, GLOSSARY_DEFAULT_MODE="all").test_client()
    body = annotate(client, {"markdown": "---\nannotate: bold\n---\n企业被列入实体清单。\n"}).get_json()
    assert body["terms"] == []
