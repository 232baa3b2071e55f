"""Untrusted articles: the allow-list sanitiser and the untrusted annotation entry points."""

from __future__ import annotations

import html as htmlmod
import re
import sys
from xml.etree import ElementTree

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary import (
    NestingError,
    annotate_html,
    annotate_markdown,
    annotate_untrusted_html,
    annotate_untrusted_markdown,
)
from glossary.render.depth import MAX_DEPTH, check_depth
from glossary.render.sanitize import sanitize_html

BEFORE = "<p>前文提到实体清单。</p>"
AFTER = "<p>后文讲二级制裁。</p>"

# Known XSS vectors in HTML; each is put between two paragraphs of article text.
HTML_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=x oNeRrOr=alert(1)>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>d</details>",
    "<input autofocus onfocus=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="VBScript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="DATA:text/html,<script>alert(1)</script>">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
    '<img srcset="javascript:alert(1) 1x">',
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)><circle r=1></circle></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg><animate onbegin=alert(1) attributeName=x dur=1s>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(2)">b</button></form>',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    "<style>@import 'javascript:alert(1)';</style>",
    '<div style="background:url(javascript:alert(1))">styled</div>',
    '<p style="width: expression(alert(1))">styled</p>',
    '<table><tr><td style="text-align: center; background: url(javascript:alert(1))">cell</td></tr></table>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    "<b><i>misnested</b></i><p><a href='javascript:alert(1)'>x</p></a>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<textarea><img src=x onerror=alert(1)></textarea>',
    "<xmp><img src=x onerror=alert(1)></xmp>",
    '<!--><img src=x onerror=alert(1)>-->',
    "<![CDATA[<img src=x onerror=alert(1)>]]>",
    "<template><script>alert(1)</script></template>",
    '<a href="/ok" onclick="alert(1)" onmouseover="alert(2)">link</a>',
    '<div data-term="x" onclick="alert(1)"><a data-term="x" href="javascript:alert(1)">forged</a></div>',
    '<img src="x" alt="<script>alert(1)</script>">',
    '<a href="https://example.com/" target="_blank" style="position:fixed">ok</a>',
    "<object><param name=x value=y></object><applet code=x></applet>",
    "<isindex action=javascript:alert(1) type=image>",
    '<video><source onerror="alert(1)"></video><audio src=x onerror=alert(1)>',
    '<marquee onstart=alert(1)>m</marquee>',
    "<div>\x00<script>alert(1)</script></div>",
]

MARKDOWN_VECTORS = [
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    "[x][evil]\n\n[evil]: javascript:alert(1)",
    "[x](javascript:alert(1) \"title\")",
    "**[粗体](javascript:alert(1))**",
    "<script>alert(1)</script>",
    '<div onclick="alert(1)">块</div>',
    "<img src=x onerror=alert(1)>",
    "行内 <b onmouseover=alert(1)>粗</b> 文字",
    '<a href="javascript:alert(1)">raw</a>',
    "<svg><script>alert(1)</script></svg>",
    "```html\n<script>alert(1)</script>\n```",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
]

URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "xlink:href", "data", "poster", "background",
                  "cite", "ping", "lowsrc", "dynsrc"}
FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "form", "base", "meta", "link",
                  "template", "applet", "frame", "frameset", "input", "button", "textarea", "video", "audio"}


def unsafe_parts(html: str) -> list[str]:
    """Return what in `html` could run script in a browser (empty when it is safe)."""
    found = []
    if not html.strip():
        return found
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag.lower() in FORBIDDEN_TAGS:
            found.append(f"<{element.tag}>")
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on"):
                found.append(f"{name}=")
            if name == "style" and re.search(r"url\(|expression\(|position", value, re.IGNORECASE):
                found.append(f"style={value}")
            if name in URL_ATTRIBUTES:
                # As a browser reads a URL: entities decoded, C0 and spaces at the
                # ends dropped, tabs and newlines removed anywhere.
                url = re.sub(r"[\t\n\r]", "", htmlmod.unescape(value)).strip("\x00- ").lower()
                if re.match(r"(?:javascript|data|vbscript):", url):
                    found.append(f"{name}={value}")
    if re.search(r"<\s*script", html, re.IGNORECASE):
        found.append("<script")
    return found


def test_the_unsafe_checker_finds_each_kind_of_payload():
    raw = ('<script>x</script><img src=x onerror=y><a href="&#106;avascript:x">a</a>'
           '<a href="java\tscript:x">b</a><p style="background:url(x)">c</p>')
    assert len(unsafe_parts(raw)) >= 5


@pytest.mark.parametrize("vector", HTML_VECTORS)
def test_html_vector_is_removed_and_text_kept(glossary, vector):
    result = annotate_untrusted_html(BEFORE + vector + AFTER, glossary, mode="all")
    assert unsafe_parts(result.html) == []
    text = lxml.html.fragment_fromstring(result.html, create_parent="div").text_content()
    assert "前文提到实体清单。" in text
    assert "后文讲二级制裁。" in text


@pytest.mark.parametrize("vector", HTML_VECTORS)
def test_html_vector_alone_is_removed(vector):
    assert unsafe_parts(sanitize_html(vector)) == []


@pytest.mark.parametrize("vector", MARKDOWN_VECTORS)
def test_markdown_vector_is_removed_and_text_kept(glossary, vector):
    article = f"前文提到**实体清单**。\n\n{vector}\n\n后文讲二级制裁。\n"
    result = annotate_untrusted_markdown(article, glossary, mode="all")
    assert unsafe_parts(result.html) == []
    text = lxml.html.fragment_fromstring(result.html, create_parent="div").text_content()
    assert "前文提到实体清单。" in text
    assert "后文讲二级制裁。" in text


def test_markdown_link_text_is_kept_when_its_javascript_url_is_dropped(glossary):
    result = annotate_untrusted_markdown("见[这份名单](javascript:alert(1))。", glossary)
    assert "<a>这份名单</a>" in result.html


def test_safe_links_and_images_are_kept():
    html = ('<p><a href="https://example.com/a?b=1" title="t">外链</a> <a href="/terms/x">站内</a> '
            '<a href="#fn:1">脚注</a> <a href="mailto:desk@example.com">邮件</a> '
            '<img src="https://example.com/i.png" alt="图"></p>')
    assert sanitize_html(html) == html


def test_annotation_markup_survives_sanitising(glossary):
    annotated = annotate_markdown("美国把企业列入**实体清单**。", glossary).html
    assert sanitize_html(annotated) == annotated


@pytest.mark.parametrize("mode", ["bold", "first", "all"])
def test_annotating_an_untrusted_answer_again_changes_nothing(glossary, mode):
    article = ("---\ntitle: 测试\n---\n美国动用**二级制裁**（Secondary Sanctions: 针对第三方），"
               "把企业列入实体清单，并援引长臂管辖。<img src=x onerror=alert(1)>\n\n"
               "| 术语 | 说明 |\n|:--|:-:|\n| 稀土 | 原料 |\n\n脚注[^1]。\n\n[^1]: 见 SWIFT。\n")
    first = annotate_untrusted_markdown(article, glossary, mode=mode)
    again = annotate_untrusted_html(first.html, glossary, mode=mode)
    assert again.html == first.html
    assert again.terms == first.terms


def test_untrusted_markdown_is_annotated_like_the_site(glossary):
    article = ("美国动用**二级制裁**（Secondary Sanctions: 针对第三方），"
               "把企业列入**实体清单**，**不是术语**也加粗了。通报WTO。\n\n- 稀土永磁体\n- 芯片\n")
    for mode in ("bold", "first", "all"):
        site = annotate_markdown(article, glossary, mode=mode)
        untrusted = annotate_untrusted_markdown(article, glossary, mode=mode)
        assert untrusted.terms == site.terms
        assert untrusted.undefined == site.undefined
        assert untrusted.glosses == site.glosses
        assert _annotated(untrusted.html) == _annotated(site.html)


def _annotated(html: str) -> tuple[list, str]:
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [(a.get("data-term"), a.text_content()) for a in root.iter("a")], root.text_content().strip()


def test_table_alignment_footnotes_and_code_language_are_kept(glossary):
    article = "| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n正文[^n]。\n\n[^n]: 注释。\n\n```python\nprint(1)\n```\n"
    html = annotate_untrusted_markdown(article, glossary).html
    assert 'style="text-align:center"' in html
    assert 'style="text-align:right"' in html
    assert '<sup id="fnref:n"><a class="footnote-ref" href="#fn:n">1</a></sup>' in html
    assert '<li id="fn:n">' in html
    assert '<code class="language-python">' in html


def test_classes_outside_the_allow_list_are_dropped():
    assert sanitize_html('<div class="footnote overlay">x</div>') == '<div class="footnote">x</div>'
    assert sanitize_html('<span class="modal">x</span>') == "<span>x</span>"


def test_style_keeps_only_text_alignment():
    html = '<table><tr><td style="text-align: left; position: fixed; color: red">x</td></tr></table>'
    assert 'style="text-align:left"' in sanitize_html(html)


def test_whole_document_gives_its_body_without_head_text():
    html = "<!DOCTYPE html><html><head><title>页面标题</title><style>p{}</style></head><body><p>正文</p></body></html>"
    assert sanitize_html(html) == "<p>正文</p>"


def test_blank_input_is_returned_as_is():
    assert sanitize_html("  \n") == "  \n"


def test_lone_surrogates_and_control_characters_become_replacement_characters(glossary):
    result = annotate_untrusted_html("<p>实体清单\ud800和\x00二级制裁</p>", glossary, mode="all")
    assert "\ufffd" in result.html
    assert [t.id for t in result.terms] == ["entity-list", "secondary-sanctions"]


def test_markup_nested_too_deeply_is_refused():
    with pytest.raises(NestingError, match="at most"):
        sanitize_html("<div>" * (MAX_DEPTH + 10) + "文字")


def test_markup_nested_within_the_limit_keeps_its_text():
    depth = MAX_DEPTH - 5
    assert "深处的文字" in sanitize_html("<div>" * depth + "深处的文字" + "</div>" * depth)


def test_markdown_nested_too_deeply_is_refused(glossary):
    with pytest.raises(NestingError):
        annotate_untrusted_markdown(">" * 300 + " 引文", glossary)


def test_markdown_just_past_the_depth_limit_is_refused_with_its_depth(glossary):
    with pytest.raises(NestingError, match=f"at most {MAX_DEPTH}"):
        annotate_untrusted_markdown(">" * (MAX_DEPTH + 5) + " 引文", glossary)


def test_markdown_whose_annotation_passes_the_depth_limit_is_refused(glossary):
    # The term's link nests one level below its <strong>: the limit counts the annotated tree.
    with pytest.raises(NestingError, match=f"at most {MAX_DEPTH}"):
        annotate_untrusted_markdown(">" * (MAX_DEPTH - 2) + " **稀土**", glossary)


def test_markdown_just_within_the_depth_limit_keeps_its_text(glossary):
    assert "深处的引文" in annotate_untrusted_markdown(">" * (MAX_DEPTH - 5) + " 深处的引文", glossary).html


def test_markdown_that_exhausts_the_renderer_stack_is_refused(glossary):
    # Python-Markdown recurses per list level; a lowered limit reaches that
    # point with a small article instead of a megabyte.
    article = "".join("  " * i + "- x\n" for i in range(120))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(250)
    try:
        with pytest.raises(NestingError, match="render"):
            annotate_untrusted_markdown(article, glossary)
    finally:
        sys.setrecursionlimit(limit)


def test_misnested_formatting_does_not_multiply_the_output():
    # An HTML5 parser reopens every unclosed formatting element in each new
    # paragraph: read directly, this grows to hundreds of times its size.
    opened = "".join(f'<b title="{i}">' for i in range(100))
    html = "<p>" + opened + "</p>" + "<p>段</p>" * 2000
    assert len(sanitize_html(html)) < 2 * len(html)


def test_unknown_mode_is_refused_before_any_work(glossary):
    with pytest.raises(ValueError, match="unknown mode"):
        annotate_untrusted_html("<p>x</p>", glossary, mode="every")


def test_front_matter_mode_is_used_when_no_mode_is_given(glossary):
    result = annotate_untrusted_markdown("---\nglossary: all\n---\n提到实体清单。\n", glossary)
    assert [t.id for t in result.terms] == ["entity-list"]
    assert result.meta == {"glossary": "all"}


def test_front_matter_with_an_unknown_mode_is_refused(glossary):
    with pytest.raises(ValueError, match="front matter"):
        annotate_untrusted_markdown("---\nglossary: everything\n---\n提到实体清单。\n", glossary)


def test_leading_newlines_of_pre_survive_sanitising():
    assert sanitize_html("<pre>\n\n两个换行</pre>") == "<pre>\n\n两个换行</pre>"


def test_markup_the_parsers_disagree_on_settles_in_one_call():
    once = sanitize_html("<a href='/x'><li><li></li>")
    assert sanitize_html(once) == once


TAG_SOUP = st.lists(st.one_of(
    st.sampled_from(["实体清单", "二级制裁", "稀土", " ", "\n", "（Entity List: 名单）", "&amp;", "<", "&nbsp;", "x"]),
    st.sampled_from(["p", "b", "strong", "a href='/x'", "div", "table", "tr", "td", "ul", "li", "pre", "code", "h2",
                     "blockquote", "br", "img src=x", "dl", "dt", "dd", "aside data-glossary='notes'", "script",
                     "svg", "textarea"]).flatmap(lambda tag: st.sampled_from([f"<{tag}>", f"</{tag.split()[0]}>"])),
), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(TAG_SOUP, st.sampled_from(["bold", "first", "all"]))
def test_annotating_untrusted_output_again_changes_nothing(glossary, html, mode):
    first = annotate_untrusted_html(html, glossary, mode=mode)
    assert annotate_untrusted_html(first.html, glossary, mode=mode).html == first.html
    assert unsafe_parts(first.html) == []


def test_doctype_alone_is_an_empty_document(glossary):
    assert sanitize_html("<!DOCTYPE html>") == ""
    assert annotate_untrusted_markdown("<!DOCTYPE html>", glossary).html == ""


def test_annotate_html_returns_a_doctype_alone_unchanged(glossary):
    from glossary import annotate_html

    assert annotate_html("<!DOCTYPE html>", glossary).html == "<!DOCTYPE html>"


def test_markdown_renders_again_after_an_article_exhausted_the_stack(glossary):
    article = "".join("  " * i + "- x\n" for i in range(120))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(250)
    try:
        with pytest.raises(NestingError):
            annotate_untrusted_markdown(article, glossary)
    finally:
        sys.setrecursionlimit(limit)
    html = annotate_untrusted_markdown("**稀土**", glossary).html
    assert html.startswith("<p><a ") and 'href="/terms/rare-earth"><strong>稀土</strong></a></p>' in html


@pytest.mark.parametrize("markup", [
    '<p>文字<a href="/terms/x" data-term="x" aria-describedby="gl-x">词</a></p>',
    '<p><a href="javascript:alert(1)" onclick="x()">词</a><img src="x.png" alt="a"></p>',
    '<p><a class="footnote-ref extra" href="#fn:1">1</a></p>',
    '<p><a CLASS="footnote-ref extra" href="#fn:1">1</a><code Class="language-py evil">x</code></p>',
    "<p>class 这个词在文字里</p>",
])
def test_markup_is_cleaned_alike_with_or_without_the_class_filter_in_use(markup):
    # The class filter is left out where no attribute can be a class: the result must not change.
    from glossary.render import sanitize

    assert sanitize._clean(markup) == sanitize._CLEANER.clean(markup)



def _chain(depth: int):
    root = element = ElementTree.Element("div")
    for _ in range(depth):
        element = ElementTree.SubElement(element, "div")
    return root


def test_check_depth_allows_exactly_the_limit_and_names_the_depth_past_it():
    check_depth(_chain(MAX_DEPTH))
    with pytest.raises(NestingError, match=f"nests {MAX_DEPTH + 45} elements deep"):
        check_depth(_chain(MAX_DEPTH + 45))
    wide = ElementTree.Element("div")
    for _ in range(3):
        ElementTree.SubElement(wide, "p").append(_chain(MAX_DEPTH - 1))
    ElementTree.SubElement(wide, "p").append(ElementTree.Comment("a comment is not an element"))
    with pytest.raises(NestingError, match=f"nests {MAX_DEPTH + 1} elements deep"):
        check_depth(wide)


@pytest.mark.parametrize("page", ["", "<!DOCTYPE html><html><body>"], ids=["fragment", "document"])
def test_trusted_html_nesting_past_the_parser_limit_is_refused_not_cut(glossary, page):
    # libxml2 keeps 255 levels: annotated, the text below them and after them was gone.
    html = page + "<p><b>实体清单</b></p>" + "<div>" * 300 + "深处" + "</div>" * 300 + "<p>之后</p>"
    with pytest.raises(NestingError, match="at most 200"):
        annotate_html(html, glossary)


def test_trusted_html_nesting_as_deep_as_allowed_is_annotated_whole(glossary):
    html = "<p><b>实体清单</b></p>" + "<div>" * MAX_DEPTH + "深处" + "</div>" * MAX_DEPTH + "<p>之后</p>"
    result = annotate_html(html, glossary).html
    assert 'data-term="entity-list"' in result and "深处" in result and "之后" in result
