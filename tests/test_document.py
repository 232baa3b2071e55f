"""annotate_document: a whole page in, a whole page out (saved pages of real sites' shape in tests/pages/)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Doctype

from glossary.render import annotate_document
from glossary.render.depth import MAX_DEPTH, NestingError

PAGES = Path(__file__).parent / "pages"
# A page of real sites' shape each: a news article (nav, header, footer,
# scripts, <main><article>); a blog with broken markup; a GBK page declared
# with <meta charset="gbk">; an old-style page declared with <meta
# http-equiv> as gb2312 (GBK in practice) and without <body>; a page with an
# inline SVG and a <template>.
NEWS, BLOG, GBK = "news-article.html", "blog-broken.html", "gbk-news.html"
OLD, SVG = "old-style.html", "svg-template.html"


def page_bytes(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def page_text(name: str) -> str:
    return page_bytes(name).decode("utf-8")


def soup(page: str | bytes, encoding: str = "gbk") -> BeautifulSoup:
    # The pages as bytes in these tests are GBK, one of them labelled
    # gb2312 (bs4 alone would take the label's word for it). Whitespace as
    # written: bs4 would shorten whitespace-only strings.
    text = page.decode(encoding) if isinstance(page, bytes) else page
    return BeautifulSoup(text, "lxml", preserve_whitespace_tags={"html"})


def links(tree) -> list[str]:
    return [a["data-term"] for a in tree.select("a[data-term]")]


def without_annotations(page: str | bytes) -> str:
    """Return the page's text with the definitions blocks left out (the links add no text)."""
    tree = soup(page)
    for notes in tree.select("[data-glossary]"):
        notes.decompose()
    return tree.get_text()


def test_head_kept(glossary):
    page = page_text(NEWS)
    result = annotate_document(page, glossary)
    assert links(soup(result.html))
    assert soup(result.html).head.decode() == soup(page).head.decode()


def test_head_kept_as_written(glossary):
    # Attribute order, <meta> without a slash, the conditional comment:
    # the head comes out as the page wrote it.
    page = page_text(NEWS)
    result = annotate_document(page, glossary)
    head = page[page.index("<head>"): page.index("</head>")]
    assert head in result.html


def test_doctype_kept(glossary):
    result = annotate_document(page_text(NEWS), glossary)
    assert result.html.startswith("<!DOCTYPE html>\n")


@pytest.mark.parametrize("spacing", ["", "\r\n", "\n\n", " \n\t"])
def test_whitespace_after_the_doctype_kept_as_written(glossary, spacing):
    page = f"<!-- saved --><!DOCTYPE html>{spacing}<html><head><title>x</title></head><body><b>实体清单</b></body>"
    result = annotate_document(page, glossary)
    assert links(soup(result.html))
    assert result.html.startswith(f"<!-- saved --><!DOCTYPE html>{spacing}<html><head>")


def test_old_doctype_kept(glossary):
    result = annotate_document(page_bytes(OLD), glossary)
    doctypes = [node for node in soup(result.html).contents if isinstance(node, Doctype)]
    assert doctypes == ['HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd"']


def test_html_attributes_kept(glossary):
    result = annotate_document(page_text(NEWS), glossary)
    assert soup(result.html).html.attrs == {"lang": "zh-CN", "class": ["no-js"], "data-theme": "light"}


def test_encoding_kept(glossary):
    page = page_bytes(GBK)
    result = annotate_document(page, glossary)
    assert isinstance(result.html, bytes)
    text = result.html.decode("gbk")
    assert '<meta charset="gbk">' in text
    assert links(soup(text)) == ["entity-list", "wto", "long-arm-jurisdiction"]
    assert "朱镕基时代的外贸往事" in text
    assert without_annotations(text) == without_annotations(page.decode("gbk"))


def test_gb2312_label_read_as_gbk(glossary):
    # The page says gb2312 and uses a character only GBK has (喆), as
    # Chinese pages often do; browsers read the label as GBK.
    page = page_bytes(OLD)
    with pytest.raises(UnicodeDecodeError):
        page.decode("gb2312")
    result = annotate_document(page, glossary)
    text = result.html.decode("gbk")
    assert "陶喆" in text
    assert result.encoding == "gbk"
    assert 'content="text/html; charset=gb2312"' in text
    assert links(soup(text)) == ["secondary-sanctions", "long-arm-jurisdiction"]


def test_encoding_declaration_untouched_in_str(glossary):
    # A page handed over as str keeps its declaration: bs4 would write the
    # codec it serialises to (utf-8) into <meta charset>.
    page = page_bytes(GBK).decode("gbk")
    result = annotate_document(page, glossary)
    assert isinstance(result.html, str)
    assert '<meta charset="gbk">' in result.html


def test_byte_order_mark_kept(glossary):
    page = b"\xef\xbb\xbf" + page_bytes(NEWS)
    result = annotate_document(page, glossary)
    assert result.html.startswith(b"\xef\xbb\xbf<!DOCTYPE html>")
    assert result.encoding == "utf-8"


def test_characters_the_encoding_lacks_written_as_references(glossary):
    # A definition in Chinese on a windows-1252 page: character references.
    page = b'<html><head><meta charset="windows-1252"></head><body><p>caf\xe9 <b>WTO</b></p></body></html>'
    result = annotate_document(page, glossary)
    assert b"caf\xe9 " in result.html
    assert "负责多边贸易规则的国际组织" in soup(result.html.decode("windows-1252")).get_text()


def test_only_selected_element_annotated(glossary):
    result = annotate_document(page_text(NEWS), glossary, selector="article")
    tree = soup(result.html)
    article = tree.article
    assert links(tree) == links(article) == ["entity-list", "secondary-sanctions", "rare-earth", "swift"]
    notes = tree.select('[data-glossary="notes"]')
    assert len(notes) == 1
    assert notes[0].parent is article
    assert article.find_all(recursive=False)[-1] is notes[0]


def test_nav_and_footer_terms_not_annotated_with_selector(glossary):
    page = page_text(NEWS)
    result = annotate_document(page, glossary, selector="article")
    tree = soup(result.html)
    for part in ("header", "footer"):
        assert getattr(tree, part).decode() == getattr(soup(page), part).decode()
    assert tree.select_one(".hot b").parent.name == "span"


def test_whole_body_annotated_without_selector(glossary):
    result = annotate_document(page_text(NEWS), glossary)
    tree = soup(result.html)
    assert tree.select_one(".hot b").parent.name == "a"
    assert tree.body.find_all(recursive=False)[-1]["data-glossary"] == "notes"


def test_main_selector(glossary):
    result = annotate_document(page_text(NEWS), glossary, selector="main")
    tree = soup(result.html)
    assert tree.select_one('[data-glossary="notes"]').parent is tree.main
    assert not tree.header.select("a[data-term]")


def test_several_selected_elements_keep_ids_unique(glossary):
    page = ("<!DOCTYPE html><html><head><title>列表</title></head><body>"
            "<article><p><b>稀土</b></p></article><article><p><b>稀土</b>与<b>SWIFT</b></p></article></body></html>")
    result = annotate_document(page, glossary, selector="article")
    tree = soup(result.html)
    ids = [el["id"] for el in tree.select("[id]")]
    assert ids == ["gl-rare-earth", "gl-2-rare-earth", "gl-2-swift"]
    assert sorted(a["aria-describedby"] for a in tree.select("a[data-term]")) == sorted(ids)
    assert [(t.id, t.count) for t in result.terms] == [("rare-earth", 2), ("swift", 1)]
    assert [(o.term_id, o.position) for o in result.occurrences] == [("rare-earth", 0), ("rare-earth", 0), ("swift", 3)]
    assert result.snippets["swift"].text == "稀土与SWIFT"


def test_findings_of_the_annotated_element_returned(glossary):
    result = annotate_document(page_text(NEWS), glossary, "all", selector="article")
    sentence = "新规公布后，又有几家公司被加进实体清单，分析人士提醒，随之而来的可能是二级制裁。"
    assert result.snippets["entity-list"].text == sentence
    bold = [o.term_id for o in result.occurrences if o.bold]
    assert bold == ["entity-list", "secondary-sanctions", "rare-earth", "swift"]
    assert result.meta == {}


def test_selector_inside_a_selected_element_annotated_once(glossary):
    page = "<html><body><main><article><p><b>稀土</b></p></article></main></body></html>"
    result = annotate_document(page, glossary, selector="main, article")
    tree = soup(result.html)
    assert len(tree.select('[data-glossary="notes"]')) == 1
    assert tree.select_one('[data-glossary="notes"]').parent is tree.main


def test_selector_matching_nothing_returns_page_unchanged(glossary):
    page = page_bytes(GBK)
    assert annotate_document(page, glossary, selector="article").html is page


def test_selector_not_matching_head(glossary):
    page = page_text(NEWS)
    assert annotate_document(page, glossary, selector="title").html is page


def test_bad_selector_is_a_value_error(glossary):
    with pytest.raises(ValueError, match="is not a CSS selector"):
        annotate_document("<html><head></head></html>", glossary, selector="article >")


def test_bad_mode_is_a_value_error(glossary):
    with pytest.raises(ValueError, match="unknown mode"):
        annotate_document("<html><head></head></html>", glossary, mode="every")


def test_page_neither_str_nor_bytes_is_a_type_error(glossary):
    with pytest.raises(TypeError):
        annotate_document(Path("page.html"), glossary)


def test_scripts_untouched(glossary):
    page = page_text(NEWS)
    result = annotate_document(page, glossary)
    scripts = [(s.attrs, s.string) for s in soup(page).find_all(["script", "style"])]
    assert [(s.attrs, s.string) for s in soup(result.html).find_all(["script", "style"])] == scripts
    assert 'console.log("<p>" + i + "</p>")' in result.html
    assert 'document.cookie.length < 4096 && location.hash !== "#no-track"' in result.html


def test_idempotent(glossary):
    for name, selector in ((NEWS, None), (NEWS, "article"), (BLOG, None), (SVG, None), (OLD, None), (GBK, ".article")):
        once = annotate_document(page_bytes(name), glossary, "all", selector=selector)
        assert links(soup(once.html, once.encoding)), name
        assert annotate_document(once.html, glossary, "all", selector=selector).html == once.html, name


def test_nothing_annotated_returns_page_unchanged(glossary):
    page = page_bytes(GBK).replace("<b>".encode("gbk"), b"<i>").replace("</b>".encode("gbk"), b"</i>")
    result = annotate_document(page, glossary, "bold")
    assert result.html is page
    assert result.terms == []


def test_nothing_annotated_returns_str_unchanged(glossary):
    page = "<!doctype html><HTML><head><title>x</title></head><body><p>无术语&nbsp;</p></body></HTML>"
    assert annotate_document(page, glossary).html is page


def test_text_kept(glossary):
    for name in (NEWS, BLOG, SVG):
        page = page_text(name)
        assert without_annotations(annotate_document(page, glossary).html) == without_annotations(page), name


def test_broken_markup_comes_out_as_one_document(glossary):
    page = page_text(BLOG)
    result = annotate_document(page, glossary)
    tree = soup(result.html)
    assert [len(tree.find_all(name)) for name in ("html", "head", "body")] == [1, 1, 1]
    assert links(tree) == ["long-arm-jurisdiction", "swift", "entity-list", "rare-earth"]


def test_content_after_body_moved_into_body(glossary):
    # Browsers read what follows </body> and </html> into the body; the
    # definitions come after it.
    result = annotate_document(page_text(BLOG), glossary)
    body = soup(result.html).body
    assert body.select_one(".widget") is not None
    assert "页脚之后还有一段" in body.get_text()
    assert body.find_all(recursive=False)[-1]["data-glossary"] == "notes"


def test_unclosed_tags_closed(glossary):
    result = annotate_document(page_text(BLOG), glossary)
    items = soup(result.html).select(".post li")
    assert [li.get_text().strip() for li in items] == ["优点：例子多", "缺点：注释太少"]


def test_missing_body_tag(glossary):
    result = annotate_document(page_bytes(OLD), glossary)
    tree = soup(result.html)
    assert tree.body.table is not None
    assert tree.body.find_all(recursive=False)[-1]["data-glossary"] == "notes"
    assert tree.head.title.string == "政策解读 - 某某信息网"


def test_nbsp_entities_kept(glossary):
    result = annotate_document(page_text(BLOG), glossary)
    assert "这个说法&nbsp;—&nbsp;作者说" in result.html


def test_noscript_kept(glossary):
    page = page_text(BLOG)
    result = annotate_document(page, glossary)
    assert soup(result.html).noscript.decode() == soup(page).noscript.decode()


def test_inline_svg_not_annotated(glossary):
    page = page_text(SVG)
    result = annotate_document(page, glossary)
    tree = soup(result.html)
    assert tree.svg.decode() == soup(page).svg.decode()
    assert tree.svg.find("a") is None


def test_template_not_annotated(glossary):
    result = annotate_document(page_text(SVG), glossary)
    tree = soup(result.html)
    assert tree.template.decode() == '<template id="card"><div class="card"><b>实体清单</b>卡片</div></template>'
    assert links(tree) == ["rare-earth", "entity-list"]


@pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")
def test_xml_declaration_kept(glossary):
    page = ('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
            "<head><title>x</title></head><body><p><b>稀土</b></p></body></html>")
    result = annotate_document(page, glossary)
    assert result.html.startswith('<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">')
    assert links(soup(result.html)) == ["rare-earth"]


def test_page_without_body_returned_unchanged(glossary):
    page = "<!DOCTYPE html><html><head><title>稀土</title></head></html>"
    assert annotate_document(page, glossary).html is page


def test_page_nesting_too_deep_refused(glossary):
    # libxml2's fragment parser drops what lies 256 levels down: refused
    # rather than annotated with the deep part lost.
    depth = MAX_DEPTH + 1
    page = "<html><body><p><b>稀土</b></p>" + "<div>" * depth + "深处" + "</div>" * depth + "</body></html>"
    with pytest.raises(NestingError):
        annotate_document(page, glossary)


def test_options_reach_the_annotator(glossary):
    result = annotate_document(page_text(NEWS), glossary, "all", selector="article",
                               link_prefix="https://glossary.example/terms/", notes_title="术语")
    tree = soup(result.html)
    assert tree.article.select_one("a[data-term]")["href"].startswith("https://glossary.example/terms/")
    assert tree.select_one('[data-glossary="notes"]')["aria-label"] == "术语"


def test_importing_it_does_not_import_bs4():
    # Syncing, serving and linting articles must not need bs4 (issue 14).
    code = "import sys, glossary.render.document; assert 'bs4' not in sys.modules, 'bs4 imported'"
    subprocess.run([sys.executable, "-c", code], check=True)
