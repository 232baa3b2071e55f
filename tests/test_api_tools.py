"""The API for authoring tools (issue 17): link_base, notes, input kinds, batches, explain, pinyin, problem pages."""

from __future__ import annotations

import json

import lxml.html
import pytest
from apiserver import make_app
from conftest import TERMS_YAML

from glossary import annotate_html
from glossary.config import SettingError
from glossary.web.app import create_app
from glossary.web.problems import PROBLEMS

# The test glossary with a dated term (an earlier definition, so a past
# article's notes link to the term's history) and a not_in rule.
TOOLS_YAML = TERMS_YAML.replace(
    "    definition: 美国商务部公布的一份名单，名单上的企业要取得美国物项须先获许可。\n",
    "    definition: 美国商务部公布的一份名单，名单上的企业要取得美国物项须先获许可。\n"
    "    as_of: 2025-09-29\n"
    "    history:\n"
    "      - until: 2025-09-28\n"
    "        definition: 关联方规则之前的定义。\n",
).replace("    tags: [sanctions]\n", "    tags: [sanctions]\n    not_in: [反二级制裁]\n")
BASE = "https://glossary.example"
PAGE = """\
<!DOCTYPE html>
<html lang="zh-Hans" data-theme="dark">
<head>
<meta charset="utf-8">
<title>出口管制周报</title>
<script>window.analytics = 1;</script>
</head>
<body>
<nav><a href="/">首页</a></nav>
<article><p>美国把多家企业列入<b>实体清单</b>，并动用长臂管辖。</p></article>
<footer>页脚提到<b>稀土</b>。</footer>
</body>
</html>
"""


@pytest.fixture
def tools_terms(tmp_path):
    path = tmp_path / "terms.yaml"
    path.write_text(TOOLS_YAML, encoding="utf-8")
    return path


@pytest.fixture
def app(tmp_path, tools_terms):
    return make_app(tmp_path, tools_terms)


@pytest.fixture
def client(app):
    return app.test_client()


def annotate(client, body, **kwargs):
    return client.post("/api/annotate", json=body, **kwargs)


def batch(client, items):
    return client.post("/api/annotate/batch", json={"items": items})


def assert_problem_object(body: dict, status: int, kind: str) -> None:
    """Check an RFC 9457 problem object: its four fields, its type, status and title."""
    assert set(body) == {"type", "title", "status", "detail"}
    assert body["type"] == f"/api/problems/{kind}"
    assert body["status"] == status
    assert body["title"] == PROBLEMS[kind][1]
    assert body["detail"]


def assert_problem(response, status: int, kind: str) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert_problem_object(body, status, kind)
    return body


def hrefs(html: str) -> list[str]:
    return [link.get("href") for link in lxml.html.fragment_fromstring(html, create_parent="div").iter("a")]


def links(html: str) -> list:
    return list(lxml.html.fragment_fromstring(html, create_parent="div").xpath("//a[@data-term]"))


# -- link_base ------------------------------------------------------------------------


def test_link_base_makes_term_links_absolute(client):
    body = annotate(client, {"markdown": "列入**实体清单**，动用**长臂管辖**。", "link_base": BASE}).get_json()
    assert [link.get("href") for link in links(body["html"])] == [
        f"{BASE}/terms/entity-list", f"{BASE}/terms/long-arm-jurisdiction"]


def test_link_base_makes_the_notes_history_link_absolute(client):
    # An article dated within the earlier definition: its note links to the term's history.
    body = annotate(client, {"markdown": "列入**实体清单**。", "date": "2024-01-01", "link_base": BASE}).get_json()
    notes = body["html"][body["html"].index("data-glossary=\"notes\""):]
    assert f"{BASE}/terms/entity-list#history" in hrefs("<aside " + notes)
    assert not [href for href in hrefs(body["html"]) if href.startswith("/")]


def test_link_base_with_a_path_keeps_it(client):
    body = annotate(client, {"html": "<p><b>稀土</b></p>", "link_base": BASE + "/glossary/"}).get_json()
    assert [link.get("href") for link in links(body["html"])] == [f"{BASE}/glossary/terms/rare-earth"]


def test_link_base_absent_keeps_relative_links(client):
    body = annotate(client, {"html": "<p><b>稀土</b></p>"}).get_json()
    assert [link.get("href") for link in links(body["html"])] == ["/terms/rare-earth"]


def test_link_base_server_default_applies_to_annotate_and_terms(tmp_path, tools_terms):
    client = make_app(tmp_path, tools_terms, GLOSSARY_LINK_BASE=BASE).test_client()
    body = annotate(client, {"html": "<p><b>稀土</b></p>"}).get_json()
    assert [link.get("href") for link in links(body["html"])] == [f"{BASE}/terms/rare-earth"]
    assert client.get("/api/terms/rare-earth").get_json()["url"] == f"{BASE}/terms/rare-earth"


def test_link_base_empty_in_the_request_asks_for_relative_links_over_the_server_default(tmp_path, tools_terms):
    client = make_app(tmp_path, tools_terms, GLOSSARY_LINK_BASE=BASE).test_client()
    body = annotate(client, {"html": "<p><b>稀土</b></p>", "link_base": ""}).get_json()
    assert [link.get("href") for link in links(body["html"])] == ["/terms/rare-earth"]


def test_link_base_is_part_of_the_etag(client):
    plain = annotate(client, {"html": "<p><b>稀土</b></p>"})
    based = annotate(client, {"html": "<p><b>稀土</b></p>", "link_base": BASE})
    assert plain.headers["ETag"] != based.headers["ETag"]
    assert BASE in based.get_json()["html"]


@pytest.mark.parametrize("value", ["glossary.example", "/terms/", "ftp://glossary.example", "javascript:alert(1)",
                                   "https://", "https://glossary.example/?q=1", "https://glossary.example/#x",
                                   "https://user@glossary.example", "https://glossary.example/a b",
                                   "https://glossary.example:port"])
def test_bad_link_base_is_400(client, value):
    body = assert_problem(annotate(client, {"html": "<p><b>稀土</b></p>", "link_base": value}), 400,
                          "invalid-request")
    assert "link_base" in body["detail"]


def test_link_base_that_is_not_a_string_is_400(client):
    assert_problem(annotate(client, {"html": "<b>稀土</b>", "link_base": 1}), 400, "invalid-request")


def test_bad_server_link_base_stops_the_app_naming_the_setting(tmp_path):
    with pytest.raises(SettingError, match="GLOSSARY_LINK_BASE"):
        create_app({"GLOSSARY_DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}", "GLOSSARY_LINK_BASE": "example.com"})


# -- notes: false ----------------------------------------------------------------------


def test_notes_false_leaves_out_the_definitions_block(client):
    body = annotate(client, {"markdown": "列入**实体清单**，动用**长臂管辖**。", "notes": False}).get_json()
    assert "data-glossary" not in body["html"]
    assert len(links(body["html"])) == 2
    assert [t["id"] for t in body["terms"]] == ["entity-list", "long-arm-jurisdiction"]


def test_notes_false_leaves_no_aria_describedby(client):
    inputs = (("markdown", "列入**实体清单**，提到稀土。"), ("html", "<p>列入<b>实体清单</b>，提到稀土。</p>"),
              ("markdown", "<i>raw</i> 列入**实体清单**，提到稀土。"))
    for field, text in inputs:
        html = annotate(client, {field: text, "notes": False, "mode": "all"}).get_json()["html"]
        assert len(links(html)) == 2
        assert "aria-describedby" not in html


def test_notes_true_keeps_every_aria_describedby_pointing_at_a_definition(client):
    body = annotate(client, {"markdown": "列入**实体清单**，提到稀土。", "mode": "all", "notes": True}).get_json()
    html = body["html"]
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    described = [link.get("aria-describedby") for link in links(html)]
    assert len(described) == 2 and set(described) <= ids


def test_notes_that_is_not_a_boolean_is_400(client):
    assert_problem(annotate(client, {"html": "<b>稀土</b>", "notes": "no"}), 400, "invalid-request")


# -- input kinds: document ---------------------------------------------------------------


def test_document_comes_back_whole_with_doctype_head_and_scripts(client):
    response = annotate(client, {"document": PAGE})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert "html" not in body
    page = body["document"]
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"zh-Hans\" data-theme=\"dark\">")
    head = PAGE[PAGE.index("<head>"):PAGE.index("</head>")]
    assert head in page
    assert "<script>window.analytics = 1;</script>" in page
    assert 'data-term="entity-list"' in page and 'data-term="rare-earth"' in page
    assert [t["id"] for t in body["terms"]] == ["entity-list", "rare-earth"]


def test_document_selector_annotates_only_what_it_picks(client):
    page = annotate(client, {"document": PAGE, "selector": "article"}).get_json()["document"]
    assert 'data-term="entity-list"' in page
    assert "页脚提到<b>稀土</b>。" in page


def test_document_without_terms_comes_back_as_it_came(client):
    page = "<!doctype html><html><head><title>x</title></head><body><p>没有术语。</p></body></html>"
    assert annotate(client, {"document": page}).get_json()["document"] == page


def test_document_with_bad_selector_is_400(client):
    body = assert_problem(annotate(client, {"document": PAGE, "selector": "article["}), 400, "invalid-request")
    assert "selector" in body["detail"]


def test_selector_without_document_is_400(client):
    assert_problem(annotate(client, {"html": "<b>稀土</b>", "selector": "article"}), 400, "invalid-request")


def test_document_longer_than_its_limit_is_413(tmp_path, tools_terms):
    client = make_app(tmp_path, tools_terms, GLOSSARY_DOCUMENT_MAX_CHARS=100).test_client()
    body = assert_problem(annotate(client, {"document": PAGE}), 413, "too-long")
    assert "GLOSSARY_DOCUMENT_MAX_CHARS" in body["detail"]
    assert annotate(client, {"html": PAGE}).status_code == 200


def test_document_and_html_together_is_400(client):
    body = assert_problem(annotate(client, {"document": PAGE, "html": "<b>稀土</b>"}), 400, "invalid-request")
    assert "not both" in body["detail"]


def test_html_input_stays_a_sanitised_fragment(client):
    body = annotate(client, {"html": PAGE}).get_json()
    assert "<script" not in body["html"] and "<head" not in body["html"]


# -- batch ----------------------------------------------------------------------------------


def test_batch_answers_one_result_per_item_in_order(client):
    items = [{"markdown": "**稀土**"}, {"html": "<p><b>实体清单</b></p>", "notes": False}, {"document": PAGE},
             {"markdown": "没有术语"}]
    response = batch(client, items)
    assert response.status_code == 200
    body = response.get_json()
    assert len(body["items"]) == 4
    assert [[t["id"] for t in item["terms"]] for item in body["items"]] == [
        ["rare-earth"], ["entity-list"], ["entity-list", "rare-earth"], []]
    assert "document" in body["items"][2]
    assert body["glossary_version"] == client.get("/api/terms").get_json()["glossary_version"]


def test_batch_item_answers_as_the_same_request_alone(client):
    item = {"markdown": "列入**实体清单**。", "mode": "all", "link_base": BASE}
    alone = annotate(client, item).get_json()
    assert batch(client, [item]).get_json()["items"] == [alone]


def test_batch_bad_item_is_a_problem_in_its_slot_and_the_rest_are_annotated(client):
    items = [{"markdown": "**稀土**"}, {"markdown": 1}, "not an object", {"html": "<b>稀土</b>", "mode": "most"},
             {"html": "<b>实体清单</b>"}]
    body = batch(client, items).get_json()
    assert [t["id"] for t in body["items"][0]["terms"]] == ["rare-earth"]
    assert_problem_object(body["items"][1], 400, "invalid-request")
    assert_problem_object(body["items"][2], 400, "invalid-request")
    assert_problem_object(body["items"][3], 400, "unknown-mode")
    assert [t["id"] for t in body["items"][4]["terms"]] == ["entity-list"]


def test_batch_item_too_long_is_its_own_problem(tmp_path, tools_terms):
    client = make_app(tmp_path, tools_terms, GLOSSARY_ANNOTATE_MAX_CHARS=20).test_client()
    body = batch(client, [{"markdown": "稀土" * 20}, {"markdown": "**稀土**"}]).get_json()
    assert_problem_object(body["items"][0], 413, "too-long")
    assert body["items"][1]["terms"][0]["id"] == "rare-earth"


def test_batch_with_too_many_items_is_400(tmp_path, tools_terms):
    client = make_app(tmp_path, tools_terms, GLOSSARY_BATCH_MAX_ITEMS=3).test_client()
    assert batch(client, [{"markdown": "x"}] * 3).status_code == 200
    body = assert_problem(batch(client, [{"markdown": "x"}] * 4), 400, "too-many-items")
    assert "GLOSSARY_BATCH_MAX_ITEMS" in body["detail"]


def test_batch_larger_than_the_body_limit_is_413(tmp_path, tools_terms):
    client = make_app(tmp_path, tools_terms, GLOSSARY_API_MAX_BODY=1000).test_client()
    assert_problem(batch(client, [{"markdown": "稀土" * 100}] * 5), 413, "too-large")


@pytest.mark.parametrize("body", [[], {"items": {}}, {"items": [], "mode": "all"}, {"markdown": "x"}])
def test_batch_that_is_not_an_object_of_items_is_400(client, body):
    response = client.post("/api/annotate/batch", json=body)
    assert_problem(response, 400, "invalid-request")


def test_batch_past_the_deadline_answers_the_rest_as_too_slow(tmp_path, tools_terms):
    client = make_app(tmp_path, tools_terms, GLOSSARY_ANNOTATE_TIMEOUT=0.3).test_client()
    # ~1.5 s to convert alone: it uses up the batch's time.
    long_article = "**稀土**和*实体*清单。\n\n" * 15000
    body = batch(client, [{"markdown": "**稀土**"}, {"markdown": long_article}, {"html": "<b>实体清单</b>"}]).get_json()
    assert body["items"][0]["terms"][0]["id"] == "rare-earth"
    for item in body["items"][1:]:
        assert_problem_object(item, 422, "too-slow")
    assert "batch" in body["items"][2]["detail"]


def test_batch_reuses_the_answers_of_single_requests(client, app):
    item = {"markdown": "**稀土**，第一次。"}
    etag = annotate(client, item).headers["ETag"].strip('"')
    kept = app.extensions["glossary"].answers.get(etag)
    assert kept is not None
    assert json.loads(batch(client, [item]).get_data())["items"][0] == json.loads(kept)


# -- explain ----------------------------------------------------------------------------------


def explained(client, body: dict) -> dict:
    response = annotate(client, {**body, "explain": True})
    assert response.status_code == 200
    return response.get_json()["explain"]


def misses(explanation: dict) -> dict[str, dict]:
    return {miss["text"]: miss for miss in explanation["bold"]}


def test_explain_is_absent_unless_asked(client):
    assert "explain" not in annotate(client, {"markdown": "**稀土**"}).get_json()
    assert "explain" not in annotate(client, {"markdown": "**稀土**", "explain": False}).get_json()


def test_explain_gives_each_occurrence_its_spelling_key_term_and_rule(client):
    explanation = explained(client, {"markdown": "列入**實體名單**，又提到稀土。", "mode": "first"})
    assert explanation["occurrences"] == [
        {"text": "實體名單", "key": "实体名单", "term": "entity-list", "rule": "bold", "linked": True, "position": 2},
        {"text": "稀土", "key": "稀土", "term": "rare-earth", "rule": "first", "linked": True, "position": 10},
    ]


def test_explain_rule_all_for_plain_mentions_in_all_mode(client):
    explanation = explained(client, {"markdown": "SWIFT 与 swift", "mode": "all"})
    assert [(o["text"], o["key"], o["rule"], o["linked"]) for o in explanation["occurrences"]] == [
        ("SWIFT", "swift", "all", True), ("swift", "swift", "all", False)]


def test_explain_rule_linked_for_a_link_already_in_the_input(client):
    html = annotate(client, {"html": "<p><b>稀土</b></p>", "notes": False}).get_json()["html"]
    explanation = explained(client, {"html": html})
    assert [(o["term"], o["rule"]) for o in explanation["occurrences"]] == [("rare-earth", "linked")]


def test_explain_bold_phrase_not_a_term_with_the_nearest_terms(client):
    miss = misses(explained(client, {"markdown": "**实体名录**和**SWFIT**"}))
    assert miss["实体名录"]["reason"] == "not-a-term"
    assert miss["实体名录"]["term"] is None
    assert miss["实体名录"]["nearest"] == [
        {"id": "entity-list", "term": "实体清单", "spelling": "实体名单", "distance": 1}]
    assert [n["id"] for n in miss["SWFIT"]["nearest"]] == ["swift"]
    assert miss["SWFIT"]["key"] == "swfit"


def test_explain_bold_phrase_far_from_every_term_has_no_nearest(client):
    miss = misses(explained(client, {"markdown": "**完全无关的短语**"}))
    assert miss["完全无关的短语"] == {"text": "完全无关的短语", "key": "完全无关的短语", "position": 0,
                                "reason": "not-a-term", "term": None, "element": None, "not_in": None,
                                "nearest": []}


def test_explain_bold_term_inside_a_link(client):
    miss = misses(explained(client, {"markdown": "见[**实体清单**](https://example.com)。"}))
    assert miss["实体清单"]["reason"] == "inside-link"
    assert miss["实体清单"]["element"] == "a"
    assert miss["实体清单"]["term"] == "entity-list"
    assert miss["实体清单"]["position"] == 1


def test_explain_bold_term_holding_a_link(client):
    miss = misses(explained(client, {"html": '<p><b><a href="https://example.com">实体清单</a></b></p>'}))
    assert (miss["实体清单"]["reason"], miss["实体清单"]["element"]) == ("inside-link", "a")


def test_explain_bold_term_inside_code(client):
    miss = misses(explained(client, {"html": "<p>代码<code><b>SWIFT</b></code></p><pre><b>稀土</b></pre>"}))
    assert (miss["SWIFT"]["reason"], miss["SWIFT"]["element"]) == ("inside-code", "code")
    assert miss["SWIFT"]["term"] == "swift"
    assert (miss["稀土"]["reason"], miss["稀土"]["element"]) == ("inside-code", "pre")
    assert miss["SWIFT"]["position"] == 2


def test_explain_bold_term_inside_a_heading(client):
    miss = misses(explained(client, {"markdown": "## 关于**实体清单**\n\n正文。"}))
    assert (miss["实体清单"]["reason"], miss["实体清单"]["element"]) == ("inside-heading", "h2")
    assert miss["实体清单"]["position"] == 2


def test_explain_bold_phrase_inside_another_element(glossary):
    # The API's allow-list drops a <button>; a page of one's own keeps it.
    explanation = annotate_html("<p><button><b>稀土</b></button></p>", glossary, explain=True).explanation
    assert [(m.reason, m.element, m.term_id) for m in explanation.bold] == [("inside-element", "button", "rare-earth")]


def test_explain_bold_term_excluded_by_not_in(client):
    miss = misses(explained(client, {"markdown": "中方宣布反**二级制裁**措施。"}))
    assert miss["二级制裁"]["reason"] == "not-in"
    assert miss["二级制裁"]["not_in"] == "反二级制裁"
    assert miss["二级制裁"]["term"] == "secondary-sanctions"


def test_explain_bold_term_past_the_link_limit(client):
    explanation = explained(client, {"markdown": "**稀土**，再说**稀土**。"})
    assert [(m["text"], m["reason"], m["position"]) for m in explanation["bold"]] == [("稀土", "link-limit", 5)]
    assert [o["linked"] for o in explanation["occurrences"]] == [True, False]


def test_explain_lists_the_misses_in_reading_order(client):
    explanation = explained(client, {"markdown": "**不是术语**，**稀土**，`code`，**稀土**，[**芯片**](https://e.com)"})
    assert [m["reason"] for m in explanation["bold"]] == ["not-a-term", "link-limit", "inside-link"]


def test_explain_of_an_empty_article_is_empty(client):
    assert explained(client, {"markdown": ""}) == {"occurrences": [], "bold": []}


def test_explain_of_a_document_covers_each_selected_element(client):
    page = PAGE.replace("<footer>", "<article><b>实体名录</b></article><footer>")
    explanation = explained(client, {"document": page, "selector": "article"})
    assert [o["term"] for o in explanation["occurrences"]] == ["entity-list"]
    assert [m["reason"] for m in explanation["bold"]] == ["not-a-term"]


def test_explain_is_part_of_the_etag(client):
    plain = annotate(client, {"markdown": "**稀土**"})
    asked = annotate(client, {"markdown": "**稀土**", "explain": True})
    assert plain.headers["ETag"] != asked.headers["ETag"]


def test_explain_changes_nothing_in_the_html(client):
    text = "## **稀土**\n\n**实体名录**，**稀土**与**稀土**，反**二级制裁**，`x` [**芯片**](https://e.com)"
    for mode in ("bold", "first", "all"):
        plain = annotate(client, {"markdown": text, "mode": mode}).get_json()
        asked = annotate(client, {"markdown": text, "mode": mode, "explain": True}).get_json()
        assert asked.pop("explain")
        assert asked == plain


def test_explain_that_is_not_a_boolean_is_400(client):
    assert_problem(annotate(client, {"markdown": "x", "explain": 1}), 400, "invalid-request")


# -- pinyin in /api/terms ----------------------------------------------------------------


def test_terms_give_each_term_its_index_reading_with_tone_marks(client):
    by_id = {t["id"]: t["pinyin"] for t in client.get("/api/terms").get_json()["terms"]}
    assert by_id["entity-list"] == "shí tǐ qīng dān"
    assert by_id["rare-earth"] == "xī tǔ"
    assert by_id["ai-chip"] == "ai xīn piàn"
    # terms.yaml's own pinyin, without tones, is the reading the index files by.
    assert by_id["long-arm-jurisdiction"] == "chang bi guan xia"


def test_term_detail_gives_its_pinyin(client):
    assert client.get("/api/terms/secondary-sanctions").get_json()["pinyin"] == "èr jí zhì cái"


def ids(response) -> list[str]:
    return [t["id"] for t in response.get_json()["terms"]]


def test_terms_q_finds_by_pinyin_initials(client):
    assert ids(client.get("/api/terms?q=stqd")) == ["entity-list"]
    assert ids(client.get("/api/terms?q=STQ")) == ["entity-list"]


def test_terms_q_finds_by_full_pinyin_spaced_or_run_together(client):
    assert ids(client.get("/api/terms?q=shi ti")) == ["entity-list"]
    assert ids(client.get("/api/terms?q=shitiqingdan")) == ["entity-list"]
    assert ids(client.get("/api/terms?q=xi tu")) == ["rare-earth", "rare-earth-magnet"]


def test_terms_q_by_pinyin_puts_the_exact_reading_first(client):
    assert ids(client.get("/api/terms?q=xitu")) == ["rare-earth", "rare-earth-magnet"]
    assert ids(client.get("/api/terms?q=xtyct")) == ["rare-earth-magnet"]


def test_terms_q_by_pinyin_keeps_the_tag_filter(client):
    assert ids(client.get("/api/terms?q=e&tag=sanctions")) == ["secondary-sanctions"]
    assert ids(client.get("/api/terms?q=stqd&tag=sanctions")) == []


# -- problem pages ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(PROBLEMS))
def test_every_problem_type_uri_is_a_human_page(client, kind):
    response = client.get(f"/api/problems/{kind}")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert PROBLEMS[kind][1] in response.get_data(as_text=True)


def test_problem_index_lists_the_batch_problem(client):
    assert "/api/problems/too-many-items" in client.get("/api/problems/").get_data(as_text=True)


def test_nearest_terms_choice_list_is_built_on_first_use_and_not_inherited(glossary):
    from glossary.core.compiled import CompiledGlossary

    compiled = CompiledGlossary(glossary)
    assert compiled._choices is None
    annotate_html("<p><b>实体名录</b></p>", compiled)
    assert compiled._choices is None  # explain off: never built
    annotate_html("<p><b>实体名录</b></p>", compiled, explain=True)
    assert compiled._choices is not None
    assert CompiledGlossary(glossary, previous=compiled)._choices is None


# -- the README's plain-HTTP examples -------------------------------------------------------


def test_readme_plain_http_examples_answer_as_described(tmp_path):
    import re
    import shutil
    import subprocess
    from pathlib import Path

    from apiserver import serving

    from glossary.store import read_inputs

    assert shutil.which("curl"), "curl is not installed (.ci/run installs it)"
    project = Path(__file__).resolve().parents[1]
    readme = (project / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n### Plain HTTP\n", 1)[1].split("\n## ", 1)[0]
    [script] = re.findall(r"^```sh\n(.*?)^```", section, re.MULTILINE | re.DOTALL)
    commands = [line for line in script.replace("\\\n", " ").splitlines() if line.strip()]
    terms, articles = project / "terms.yaml", project / "articles"
    app = create_app({"GLOSSARY_TERMS": str(terms), "GLOSSARY_ARTICLES": str(articles),
                      "GLOSSARY_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}"})
    app.extensions["glossary"].store.sync(*read_inputs(terms, articles))
    answers = []
    with serving(app) as base:
        for command in commands:
            run = subprocess.run(["bash", "-c", command.replace("http://127.0.0.1:8000", base)],
                                 capture_output=True, text=True, timeout=60)
            assert run.returncode == 0, run.stderr
            answers.append(json.loads(run.stdout))
    absolute, page, batched, why = answers
    assert 'href="https://glossary.example/terms/entity-list"' in absolute["html"]
    assert "data-glossary" not in absolute["html"] and "aria-describedby" not in absolute["html"]
    assert page["document"].startswith("<!DOCTYPE html>")
    assert "<html><head><title>周报</title></head><body><article>" in page["document"]
    assert 'data-term="entity-list"' in page["document"]
    assert [item.get("status") for item in batched["items"]] == [None, None, 400]
    assert [(m["text"], m["reason"]) for m in why["explain"]["bold"]] == [
        ("实体清单", "inside-heading"), ("实体名录", "not-a-term"), ("长臂管辖", "inside-link")]
    assert why["explain"]["bold"][1]["nearest"][0] == {"id": "entity-list", "term": "实体清单", "spelling": "实体名单",
                                                       "distance": 1}
