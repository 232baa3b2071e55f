"""The embeddable script, /embed.js, on a page of another site, in real headless Chromium.

The glossary app runs on one port (a real server in a thread, a real SQLite
file); the host pages come from a second origin, a plain HTTP server on
another port (tests/hostsite.py), as they would from a blog or a CMS. The
popover is inside an open shadow root, which Playwright's CSS locators pierce.
"""

from __future__ import annotations

import re
import time
import urllib.request

import pytest
from apiserver import make_app, serving
from chromium import DESKTOP, PHONE
from conftest import TERMS_YAML
from hostsite import host_site
from test_browser import expect, tab_to_first_term

from glossary.web.embed import BEGIN, END, PLACE, POPOVERS, compose

POPOVER = "glossary-embed-popover .pop"
MARK = "[data-glossary-embed]"

ARTICLE = (
    "<h2>出口管制入门</h2>"
    "<p>美国商务部可以把外国企业列入<strong>实体清单</strong>，此后采购美国物项要先申请许可。"
    "与之相比，<strong>二级制裁</strong>针对与受制裁方往来的第三方。</p>"
    '<p>贸易争端有时提交到<strong>WTO</strong>；本站的<a href="/about.html">说明</a>另有介绍。'
    "这一段里的二级制裁没有加粗。</p>"
)
# Outside the selector: a bold term, a link and a button that must stay as the host wrote them.
HEADER = '<header id="top"><a href="/">本站首页</a> <strong>实体清单</strong>专题</header>'
FOOTER = '<footer id="end"><p>页脚也提到<strong>二级制裁</strong>。</p><button type="button">订阅</button></footer>'

HOSTILE_CSS = """
* { all: unset; }
a { display: none !important; }
div, aside, span, [role] { display: none !important; }
body > :last-child, :not(:defined) { display: none !important; }
[hidden] { display: block !important; }
p { color: #fff; background: #fff; font-size: 30px; }
"""


def host_page(glossary: str, article: str = ARTICLE, *, head: str = "", attributes: str = 'data-mode="bold"',
              body: str | None = None) -> str:
    """Return a host page whose <article> holds `article` and that includes the glossary's /embed.js."""
    return (
        '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>host</title>{head}'
        f'<script src="{glossary}/embed.js" data-selector="article" {attributes} defer></script></head>'
        f"<body>{HEADER}{body if body is not None else f'<article>{article}</article>'}{FOOTER}</body></html>"
    )


@pytest.fixture(scope="module")
def host():
    """Serve the host site (the second origin) for the module."""
    with host_site() as site:
        yield site


@pytest.fixture(scope="module")
def glossary_url(tmp_path_factory, host):
    """Serve the real glossary app, with the host's origin allowed by CORS; yield its base URL."""
    folder = tmp_path_factory.mktemp("glossary")
    terms = folder / "terms.yaml"
    terms.write_text(TERMS_YAML, encoding="utf-8")
    with serving(make_app(folder, terms, GLOSSARY_CORS_ORIGINS=host.origin)) as url:
        yield url


class Visit:
    """A page in a fresh browser context, with what its console said and the CSP violations it met."""

    def __init__(self, browser, **options):
        self.context = browser.new_context(**{**DESKTOP, **options})
        self.page = self.context.new_page()
        self.console: list[tuple[str, str]] = []
        self.page.on("console", lambda message: self.console.append((message.type, message.text)))
        self.page.add_init_script(
            "window.__violations = [];"
            "document.addEventListener('securitypolicyviolation', (e) => window.__violations.push("
            "e.effectiveDirective + ' ' + e.blockedURI));")

    def open(self, url: str, annotated: bool = True):
        self.page.goto(url)
        if annotated:
            self.page.wait_for_selector(MARK, state="attached")
        return self.page

    def violations(self) -> list[str]:
        return self.page.evaluate("window.__violations")

    def warnings(self) -> list[str]:
        return [text for kind, text in self.console if kind == "warning" and text.startswith("glossary embed:")]

    def wait_for_warning(self, seconds: float = 10) -> str:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.warnings():
                return self.warnings()[0]
            self.page.wait_for_timeout(50)
        raise AssertionError(f"no warning from the embed; the console said {self.console}")


@pytest.fixture
def visit(browser):
    """Open host pages in fresh contexts; close them after the test."""
    visits = []

    def open_(**options) -> Visit:
        visits.append(Visit(browser, **options))
        return visits[-1]

    yield open_
    for v in visits:
        v.context.close()


def get(url: str, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


# -- the script as served --------------------------------------------------------


def test_script_is_under_15_kb_as_served(glossary_url):
    status, headers, body = get(glossary_url + "/embed.js")
    assert status == 200
    assert headers["Content-Type"].startswith("text/javascript")
    assert int(headers["Content-Length"]) == len(body) < 15_000


def test_script_runs_the_popover_code_of_glossary_js(glossary_url):
    # One behaviour written once: the served script holds glossary.js's popover function, line for line.
    _, _, body = get(glossary_url + "/embed.js")
    shared = POPOVERS.read_text(encoding="utf-8").split(BEGIN)[1].split(END)[0]
    code = [line.strip() for line in shared.splitlines()[1:] if line.strip() and not line.strip().startswith("//")]
    assert len(code) > 100
    served = [line.strip() for line in body.decode().splitlines() if line.strip()]
    start = served.index(code[0])
    assert served[start:start + len(code)] == code
    assert PLACE not in body.decode()


def test_a_popover_mark_missing_from_either_file_is_named():
    with pytest.raises(ValueError, match="<popovers>"):
        compose("x " + PLACE, "function glossaryPopovers() {}")
    with pytest.raises(ValueError, match="glossaryPopovers"):
        compose("no place", f"{BEGIN}\nfunction glossaryPopovers() {{}}\n{END}\n")


def test_script_is_cacheable_and_answers_304_to_its_etag(glossary_url):
    _, headers, _ = get(glossary_url + "/embed.js")
    assert re.fullmatch(r"public, max-age=\d+", headers["Cache-Control"])
    status, again, body = get(glossary_url + "/embed.js", **{"If-None-Match": headers["ETag"]})
    assert (status, body, again["ETag"]) == (304, b"", headers["ETag"])


def test_script_may_be_loaded_by_an_isolated_page(glossary_url):
    _, headers, _ = get(glossary_url + "/embed.js")
    assert headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert headers["Access-Control-Allow-Origin"] == "*"


# -- the article on another origin -------------------------------------------------


def test_article_terms_become_links_to_the_glossary_origin(visit, host, glossary_url):
    page = visit().open(host.put("/plain.html", host_page(glossary_url)))
    links = page.locator("article a[data-term]")
    assert links.evaluate_all("all => all.map(a => [a.dataset.term, a.href])") == [
        ["entity-list", f"{glossary_url}/terms/entity-list"],
        ["secondary-sanctions", f"{glossary_url}/terms/secondary-sanctions"],
        ["wto", f"{glossary_url}/terms/wto"],
    ]


def test_article_ends_with_its_definitions(visit, host, glossary_url):
    page = visit().open(host.put("/plain.html", host_page(glossary_url)))
    definitions = page.locator("article aside[data-glossary=notes] dd[data-glossary=definition]")
    assert definitions.evaluate_all("all => all.map(d => d.dataset.for)") == [
        "entity-list", "secondary-sanctions", "wto"]


def test_host_links_inside_the_article_stay_on_the_host(visit, host, glossary_url):
    page = visit().open(host.put("/plain.html", host_page(glossary_url)))
    assert page.locator("article a:not([data-term])", has_text="说明").get_attribute("href") == "/about.html"


def test_page_outside_the_selector_is_untouched(visit, host, glossary_url):
    page = visit().open(host.put("/plain.html", host_page(glossary_url)))
    assert page.evaluate("document.querySelector('#top').outerHTML") == HEADER
    assert page.evaluate("document.querySelector('#end').outerHTML") == FOOTER
    assert page.evaluate("[document.documentElement.attributes.length, document.documentElement.lang,"
                         " document.body.attributes.length]") == [1, "zh-Hans", 0]


def test_embed_styles_change_nothing_on_the_host_page(visit, host, glossary_url):
    probe = """() => ['#top', '#top a', '#top strong', '#end p', '#end button', 'body', 'h2', 'article p'].map(s => {
        const c = getComputedStyle(document.querySelector(s));
        return [s, c.color, c.backgroundColor, c.font, c.display, c.margin, c.textDecorationLine];
    })"""
    bare = visit().open(host.put("/bare.html", host_page(glossary_url).replace("/embed.js", "/nothing.js")),
                        annotated=False)
    embedded = visit().open(host.put("/plain.html", host_page(glossary_url)))
    assert embedded.evaluate(probe) == bare.evaluate(probe)


def test_term_is_described_by_its_definition(visit, host, glossary_url):
    page = visit().open(host.put("/plain.html", host_page(glossary_url)))
    expect(page.locator("article a[data-term=entity-list]")).to_have_accessible_description(
        "美国商务部公布的一份名单，名单上的企业要取得美国物项须先获许可。")


# -- the popover ---------------------------------------------------------------------


def test_hovering_a_term_shows_its_definition(visit, host, glossary_url):
    page = visit().open(host.put("/plain.html", host_page(glossary_url)))
    page.hover("article a[data-term=entity-list]")
    popover = page.locator(POPOVER)
    expect(popover).to_be_visible()
    expect(popover).to_contain_text("实体清单")
    expect(popover).to_contain_text("Entity List")
    expect(popover).to_contain_text("美国商务部公布的一份名单")
    expect(popover.locator("a.more")).to_have_attribute("href", f"{glossary_url}/terms/entity-list")


def test_moving_the_mouse_away_hides_the_popover(visit, host, glossary_url):
    page = visit().open(host.put("/plain.html", host_page(glossary_url)))
    page.hover("article a[data-term=entity-list]")
    expect(page.locator(POPOVER)).to_be_visible()
    page.mouse.move(1, 700)
    expect(page.locator(POPOVER)).to_be_hidden()


def test_popover_is_a_group_named_by_its_headword(visit, host, glossary_url):
    page = visit().open(host.put("/plain.html", host_page(glossary_url)))
    page.hover("article a[data-term=wto]")
    group = page.get_by_role("group")
    expect(group).to_be_visible()
    expect(group).to_have_accessible_name(re.compile("世界贸易组织"))


def test_tab_to_a_term_shows_it_and_escape_hides_it(visit, host, glossary_url):
    page = visit().open(host.put("/plain.html", host_page(glossary_url)))
    term = tab_to_first_term(page)
    expect(term).to_have_attribute("data-term", "entity-list")
    popover = page.locator(POPOVER)
    expect(popover).to_be_visible()
    expect(popover).to_contain_text("美国商务部公布的一份名单")
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    expect(page.locator("article a[data-term=entity-list]")).to_be_focused()


def test_tab_from_a_term_reaches_the_more_link_and_escape_returns_to_the_term(visit, host, glossary_url):
    page = visit().open(host.put("/plain.html", host_page(glossary_url)))
    tab_to_first_term(page)
    page.keyboard.press("Tab")
    more = page.locator(f"{POPOVER} a.more")
    expect(more).to_be_focused()
    expect(more).to_have_accessible_name("更多")
    page.keyboard.press("Escape")
    expect(page.locator(POPOVER)).to_be_hidden()
    expect(page.locator("article a[data-term=entity-list]")).to_be_focused()


def test_tab_from_the_more_link_goes_on_to_what_follows_the_term(visit, host, glossary_url):
    page = visit().open(host.put("/plain.html", host_page(glossary_url)))
    tab_to_first_term(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator("article a[data-term=secondary-sanctions]")).to_be_focused()


def test_tap_shows_the_popover_and_tap_elsewhere_closes_it(visit, host, glossary_url):
    page = visit(**PHONE).open(host.put("/plain.html", host_page(glossary_url)))
    page.tap("article a[data-term=entity-list]")
    popover = page.locator(POPOVER)
    expect(popover).to_be_visible()
    box = popover.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["viewport"]["width"]
    assert page.url.endswith("/plain.html")  # the first tap shows, it does not follow the link
    page.tap("h2")
    expect(popover).to_be_hidden()


def test_second_tap_on_the_same_term_opens_its_page_on_the_glossary(visit, host, glossary_url):
    page = visit(**PHONE).open(host.put("/plain.html", host_page(glossary_url)))
    page.tap("article a[data-term=entity-list]")
    expect(page.locator(POPOVER)).to_be_visible()
    page.tap("article a[data-term=entity-list]")
    page.wait_for_url(f"{glossary_url}/terms/entity-list")


def test_popover_follows_its_term_when_the_page_scrolls(visit, host, glossary_url):
    filler = "".join(f"<p>第{n}段：与术语无关的正文。</p>" for n in range(60))
    page = visit().open(host.put("/long.html", host_page(glossary_url, article=ARTICLE + filler)))
    term = tab_to_first_term(page)
    popover = page.locator(POPOVER)
    expect(popover).to_be_visible()
    before = term.bounding_box()["y"]
    gap = popover.bounding_box()["y"] - before
    page.evaluate("window.scrollBy(0, 40)")
    page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert abs(term.bounding_box()["y"] - (before - 40)) < 1
    expect(popover).to_be_visible()
    assert abs(popover.bounding_box()["y"] - term.bounding_box()["y"] - gap) < 1


# -- a hostile host page ---------------------------------------------------------------


def test_hostile_css_still_shows_a_working_popover(visit, host, glossary_url):
    host.put("/hostile.css", HOSTILE_CSS)
    page = visit().open(host.put("/hostile.html", host_page(
        glossary_url, head='<link rel="stylesheet" href="/hostile.css">')))
    # The host's rules do apply to its own elements.
    assert page.evaluate("getComputedStyle(document.querySelector('#top a')).display") == "none"
    term = page.locator("article a[data-term=entity-list]")
    expect(term).to_be_visible()
    term.hover()
    popover = page.locator(POPOVER)
    expect(popover).to_be_visible()
    expect(popover).to_contain_text("美国商务部公布的一份名单")
    style = popover.evaluate("p => { const c = getComputedStyle(p);"
                             " return [c.position, c.backgroundColor, c.fontSize, c.display]; }")
    assert style == ["absolute", "rgb(255, 255, 255)", "15px", "block"]
    box = popover.bounding_box()
    term_box = term.bounding_box()
    assert box["width"] > 200 and box["height"] > 40
    assert box["y"] >= term_box["y"] + term_box["height"]  # below the term, as placed
    expect(popover.locator("a.more")).to_be_visible()
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()


def test_hostile_css_still_lets_tab_and_escape_work(visit, host, glossary_url):
    host.put("/hostile.css", HOSTILE_CSS)
    page = visit().open(host.put("/hostile.html", host_page(
        glossary_url, head='<link rel="stylesheet" href="/hostile.css">')))
    tab_to_first_term(page)
    expect(page.locator(POPOVER)).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(POPOVER)).to_be_hidden()


STRICT_CSP = ("default-src 'none'; script-src {g}; connect-src {g}; style-src 'self'; img-src 'self'; "
              "base-uri 'none'; form-action 'none'; require-trusted-types-for 'script'; trusted-types glossary-embed")


def test_strict_csp_page_works_without_violations(visit, host, glossary_url):
    host.put("/host.css", "body { margin: 2rem; }")
    visitor = visit()
    page = visitor.open(host.put("/strict.html",
                                 host_page(glossary_url, head='<link rel="stylesheet" href="/host.css">'),
                                 Content_Security_Policy=STRICT_CSP.format(g=glossary_url)))
    page.hover("article a[data-term=entity-list]")
    expect(page.locator(POPOVER)).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('glossary-embed-popover')).position") == "fixed"
    tab_to_first_term(page)
    page.keyboard.press("Escape")
    expect(page.locator(POPOVER)).to_be_hidden()
    assert visitor.violations() == []
    assert [text for kind, text in visitor.console if kind == "error"] == []


def test_strict_csp_page_reports_an_inline_style_it_refuses(visit, host, glossary_url):
    # The check above can fail: the same page with one inline style attribute is caught.
    visitor = visit()
    inline = ARTICLE + '<p style="color:red">x</p>'
    visitor.open(host.put("/strict-inline.html", host_page(glossary_url, article=inline),
                          Content_Security_Policy=STRICT_CSP.format(g=glossary_url)))
    assert visitor.violations() == ["style-src-attr inline"]


# -- options ---------------------------------------------------------------------------------


def test_mode_all_links_plain_mentions(visit, host, glossary_url):
    page = visit().open(host.put("/all.html", host_page(glossary_url, attributes='data-mode="all"')))
    paragraph = page.locator("article p", has_text="没有加粗")
    expect(paragraph.locator("a[data-term=secondary-sanctions]")).to_have_count(0)  # once per section
    assert page.locator("article a[data-term=secondary-sanctions]").count() == 1
    text = "<p>评论者常谈长臂管辖。</p>"
    page = visit().open(host.put("/all-plain.html",
                                 host_page(glossary_url, article=text, attributes='data-mode="all"')))
    assert page.locator("article a[data-term]").evaluate_all("all => all.map(a => a.dataset.term)") == [
        "long-arm-jurisdiction"]


def test_mode_bold_leaves_plain_mentions(visit, host, glossary_url):
    text = "<p>评论者常谈长臂管辖，也谈<strong>二级制裁</strong>。</p>"
    page = visit().open(host.put("/bold-plain.html", host_page(glossary_url, article=text)))
    assert page.locator("article a[data-term]").evaluate_all("all => all.map(a => a.dataset.term)") == [
        "secondary-sanctions"]


def test_target_option_opens_term_links_in_that_window(visit, host, glossary_url):
    page = visit().open(host.put("/target.html", host_page(glossary_url, attributes='data-target="_blank"')))
    links = page.locator("article a[data-term]")
    assert set(links.evaluate_all("all => all.map(a => a.target + ' ' + a.rel)")) == {"_blank noopener"}
    links.first.hover()
    expect(page.locator(f"{POPOVER} a.more")).to_have_attribute("target", "_blank")


def test_lang_option_sets_the_popover_language_and_label(visit, host, glossary_url):
    page = visit().open(host.put("/lang.html", host_page(glossary_url, attributes='data-lang="en"')))
    page.hover("article a[data-term=entity-list]")
    popover = page.locator(POPOVER)
    expect(popover).to_have_attribute("lang", "en")
    expect(popover.locator("a.more")).to_have_accessible_name("More")
    assert page.locator("article aside[data-glossary=notes]").get_attribute("lang") == "en"


def test_popover_takes_the_articles_language_by_default(visit, host, glossary_url):
    page = visit().open(host.put("/hant.html", host_page(
        glossary_url, body=f'<article lang="zh-Hant">{ARTICLE}</article>')))
    page.hover("article a[data-term=entity-list]")
    expect(page.locator(POPOVER)).to_have_attribute("lang", "zh-Hant")


def test_date_option_is_sent_with_the_article(visit, host, glossary_url):
    visitor = visit()
    sent = []
    visitor.page.on("request", lambda r: sent.append(r.post_data_json) if r.url.endswith("/api/annotate") else None)
    page = visitor.open(host.put("/dated.html", host_page(glossary_url, attributes='data-date="2025-06-20"')))
    assert sent == [{"html": ARTICLE, "date": "2025-06-20"}]
    assert page.locator("a[data-term=entity-list]").count() >= 1  # the API takes the date (issue 15)


def test_each_element_under_the_selector_is_annotated_with_its_own_definition_ids(visit, host, glossary_url):
    two = f"<article>{ARTICLE}</article><article>{ARTICLE}</article>"
    page = visit().open(host.put("/two.html", host_page(glossary_url, body=two)))
    page.wait_for_function("document.querySelectorAll('[data-glossary-embed]').length === 2")
    ids = page.evaluate("Array.from(document.querySelectorAll('[id]'), e => e.id)")
    assert len(ids) == len(set(ids))
    for n in (1, 2):
        term = page.locator(f"article:nth-of-type({n}) a[data-term=entity-list]")
        described = term.get_attribute("aria-describedby")
        assert page.locator(f"article:nth-of-type({n}) #{described}").count() == 1


def test_script_included_twice_annotates_once(visit, host, glossary_url):
    script = f'<script src="{glossary_url}/embed.js" data-selector="article" defer></script>'
    page = visit().open(host.put("/twice.html", host_page(glossary_url, head=script)))
    page.wait_for_timeout(300)
    assert page.locator("article aside[data-glossary=notes]").count() == 1
    page.hover("article a[data-term=entity-list]")
    expect(page.locator(POPOVER)).to_be_visible()
    assert page.locator("glossary-embed-popover").count() == 1


# -- when the service fails ------------------------------------------------------------------


def article_html(page) -> str:
    return page.evaluate("document.querySelector('article').innerHTML")


def test_service_down_leaves_the_article_as_it_was_with_a_warning(visit, host, tmp_path, terms_file):
    folder = tmp_path / "service"
    folder.mkdir()
    visitor = visit()
    with serving(make_app(folder, terms_file, GLOSSARY_CORS_ORIGINS=host.origin)) as url:
        page_url = host.put("/down.html", host_page(url))
        visitor.open(page_url)  # the browser now holds the script in its cache
    visitor.console.clear()
    # The service is down; the script comes from the cache, as it would for a reader.
    page = visitor.open(page_url, annotated=False)
    assert "no answer from" in visitor.wait_for_warning()
    assert article_html(page) == ARTICLE
    assert page.locator("glossary-embed-popover").count() == 0
    assert page.locator(MARK).count() == 0


def test_service_problem_answer_leaves_the_article_and_warns_with_its_detail(visit, host, tmp_path, terms_file):
    folder = tmp_path / "service"
    folder.mkdir()
    app = make_app(folder, terms_file, GLOSSARY_CORS_ORIGINS=host.origin, GLOSSARY_ANNOTATE_MAX_CHARS=50)
    visitor = visit()
    with serving(app) as url:
        page = visitor.open(host.put("/long.html", host_page(url)), annotated=False)
        warning = visitor.wait_for_warning()
    assert "answered 413" in warning and "too-long" in warning
    assert article_html(page) == ARTICLE


def test_origin_not_allowed_by_cors_leaves_the_article_and_names_the_setting(visit, host, tmp_path, terms_file):
    folder = tmp_path / "service"
    folder.mkdir()
    visitor = visit()
    with serving(make_app(folder, terms_file, GLOSSARY_CORS_ORIGINS="https://elsewhere.example")) as url:
        page = visitor.open(host.put("/foreign.html", host_page(url)), annotated=False)
        assert "GLOSSARY_CORS_ORIGINS" in visitor.wait_for_warning()
    assert article_html(page) == ARTICLE


def test_selector_matching_nothing_warns_and_changes_nothing(visit, host, glossary_url):
    visitor = visit()
    page = visitor.open(host.put("/none.html", host_page(glossary_url, body="<main><p>正文</p></main>")),
                        annotated=False)
    assert 'nothing on this page matches data-selector "article"' in visitor.wait_for_warning()
    assert page.evaluate("document.body.innerHTML") == f"{HEADER}<main><p>正文</p></main>{FOOTER}"


def test_request_body_is_the_articles_html_and_mode(visit, host, glossary_url):
    visitor = visit()
    sent = []
    visitor.page.on("request", lambda r: sent.append(r.post_data_json) if r.url.endswith("/api/annotate") else None)
    visitor.open(host.put("/plain.html", host_page(glossary_url)))
    assert sent == [{"html": ARTICLE, "mode": "bold"}]
