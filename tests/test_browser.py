"""What a reader sees, in real headless Chromium (Debian's `chromium`, driven by Playwright).

The real app (factory, SQLite file under tmp_path) is served by a real HTTP
server in a thread. Without chromium or Playwright these tests skip, except
under CI=true, where they fail: CI must run them.
"""

from __future__ import annotations

import contextlib
import re
import threading

import pytest
from chromium import DESKTOP, PHONE
from werkzeug.serving import make_server

from glossary import parse_glossary
from glossary.sources.articles import read_article
from glossary.web.app import create_app

ARTICLE = """\
---
title: 出口管制与金融制裁入门
date: '2025-08-01'
tags: [export-control]
---

美国商务部可以把外国企业列入**实体清单**，被列入的企业此后采购美国物项，都要先向主管部门申请许可，而且多数申请很难获批。

与之相比，**二级制裁**针对的是与受制裁方往来的第三方。金融领域最常被提到的基础设施是**SWIFT**，它为各国银行传递跨境支付报文。

一些评论者把这类做法统称为**长臂管辖**，并讨论它对**稀土永磁体**等产业链的影响。

> 编者按：本文只作入门介绍，具体规则以主管部门公布的文本为准。

在这类讨论里，**芯片**和**稀土**常被相提并论。相关的贸易争端有时会提交到**WTO**。
"""

WIDE = """\
---
title: 宽表格与长代码
date: '2025-07-01'
---

| 术语 | English name | Regulation | Effective | Scope | Notes |
|---|---|---|---|---|---|
| 实体清单 | EntityListDesignationsUnderTheExportAdministration | 15CFR744.11 | 2025-09-29 | worldwide | none |

```
glossary annotate --mode all --link-prefix https://example.org/a/very/long/path/that/does/not/wrap/at/all/terms/
```
"""


def letters_glossary_yaml() -> str:
    """Return a glossary with three terms under each of A–Z and '#': the letter bar wraps."""
    lines = ["terms:"]
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        for n in range(1, 4):
            lines += [f"  - id: {letter.lower()}-{n}", f"    term: {letter}组第{n}条",
                      f"    definition: 归在字母{letter}下的第{n}个条目，只为填满索引。"]
    lines += ["  - id: digits", "    term: 3号条目", "    definition: 以数字开头的条目归在“#”下。"]
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def serving(root, glossary, articles):
    """Serve the real app from a SQLite store under root synced from glossary and articles; yield its base URL."""
    app = create_app({"GLOSSARY_DATABASE_URL": f"sqlite:///{root / 'store.db'}"})
    app.extensions["glossary"].store.sync(glossary, articles)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def site(tmp_path_factory, glossary):
    """Serve the real app with the test glossary and one article on a free port; yield its base URL."""
    root = tmp_path_factory.mktemp("site")
    (root / "primer.md").write_text(ARTICLE, encoding="utf-8")
    (root / "wide.md").write_text(WIDE, encoding="utf-8")
    with serving(root, glossary, [read_article(root / "primer.md"), read_article(root / "wide.md")]) as base:
        yield base


@pytest.fixture(scope="module")
def letters_site(tmp_path_factory):
    """Serve the real app with a glossary that fills every letter of the index; yield its base URL."""
    root = tmp_path_factory.mktemp("letters")
    with serving(root, parse_glossary(letters_glossary_yaml(), "letters.yaml"), []) as base:
        yield base


@pytest.fixture
def open_page(browser, site):
    """Open a path of the site in a new context with the given options; closes them after the test."""
    contexts = []

    def open_(path: str, on: str | None = None, **options):
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.goto((on or site) + path)
        return page

    yield open_
    for context in contexts:
        context.close()


def expect(target):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def inside_viewport(box: dict, width: int, height: int) -> bool:
    return box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width and box["y"] + box["height"] <= height


# -- the popover -------------------------------------------------------------

def test_hovering_a_term_shows_its_definition(open_page):
    page = open_page("/articles/primer")
    popover = page.locator("#glossary-popover")
    page.hover("a[data-term=entity-list]")
    expect(popover).to_be_visible()
    expect(popover).to_contain_text("实体清单")
    expect(popover).to_contain_text("Entity List")
    expect(popover).to_contain_text("美国商务部公布的一份名单")
    expect(popover.locator("a.gl-more")).to_have_attribute("href", "/terms/entity-list")


def test_moving_the_mouse_away_hides_the_popover(open_page):
    page = open_page("/articles/primer")
    page.hover("a[data-term=entity-list]")
    expect(page.locator("#glossary-popover")).to_be_visible()
    page.mouse.move(1, 1)
    expect(page.locator("#glossary-popover")).to_be_hidden()


def test_tab_to_a_term_shows_it_and_escape_hides_it(open_page):
    page = open_page("/articles/primer")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a[data-term]')"):
            break
    focused = page.locator("a[data-term]:focus")
    expect(focused).to_have_attribute("data-term", "entity-list")
    popover = page.locator("#glossary-popover")
    expect(popover).to_be_visible()
    expect(popover).to_contain_text("美国商务部公布的一份名单")
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    expect(page.locator("a[data-term=entity-list]")).to_be_focused()


def tab_to_first_term(page):
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a[data-term]')"):
            return page.locator("a[data-term]:focus")
    raise AssertionError("Tab never reached a term")


def test_tab_from_a_focused_term_reaches_the_popovers_more_link(open_page):
    page = open_page("/articles/primer")
    tab_to_first_term(page)
    page.keyboard.press("Tab")
    more = page.locator("#glossary-popover a.gl-more")
    expect(more).to_be_focused()
    expect(more).to_have_attribute("href", "/terms/entity-list")


def test_tab_from_the_more_link_goes_on_to_what_follows_the_term(open_page):
    page = open_page("/articles/primer")
    tab_to_first_term(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator("a[data-term=secondary-sanctions]")).to_be_focused()
    expect(page.locator("#glossary-popover")).to_contain_text("针对与受制裁方往来的第三方")


def test_tab_goes_through_the_definitions_own_link_before_more(open_page):
    page = open_page("/articles/primer")
    page.locator("a[data-term=wto]").focus()
    page.keyboard.press("Tab")
    expect(page.locator("#glossary-popover a[href='https://www.wto.org']")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#glossary-popover a.gl-more")).to_be_focused()


def test_more_link_is_announced_without_its_arrow(open_page):
    page = open_page("/articles/primer")
    page.hover("a[data-term=entity-list]")
    more = page.locator("#glossary-popover a.gl-more")
    expect(more).to_have_text("更多 →")
    expect(more).to_have_accessible_name("更多")


def test_shift_tab_from_the_more_link_returns_to_the_term(open_page):
    page = open_page("/articles/primer")
    tab_to_first_term(page)
    page.keyboard.press("Tab")
    expect(page.locator("#glossary-popover a.gl-more")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.locator("a[data-term=entity-list]")).to_be_focused()
    expect(page.locator("#glossary-popover")).to_be_visible()


def test_escape_from_the_more_link_closes_the_popover_and_returns_to_the_term(open_page):
    page = open_page("/articles/primer")
    tab_to_first_term(page)
    page.keyboard.press("Tab")
    expect(page.locator("#glossary-popover a.gl-more")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#glossary-popover")).to_be_hidden()
    expect(page.locator("a[data-term=entity-list]")).to_be_focused()


def test_popover_holding_a_link_is_not_a_tooltip(open_page):
    page = open_page("/articles/primer")
    page.hover("a[data-term=entity-list]")
    popover = page.locator("#glossary-popover")
    expect(popover).to_be_visible()
    # ARIA tooltips take no focus; a labelled group may hold the 更多 link.
    expect(popover).to_have_attribute("role", "group")
    expect(popover).to_have_accessible_name(re.compile("实体清单"))


def center(box: dict) -> tuple[float, float]:
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


# Records the longest time the pointer spent on one term (from now, or from
# window.dwellFrom()): on a loaded machine a "quick" pass may not be quick.
DWELL = """() => {
    window.dwell = 0;
    let since = null;
    window.dwellFrom = () => { window.dwell = 0; since = null; };
    addEventListener("pointerover", (e) => {
        if (e.target.closest("a[data-term]")) since ??= performance.now();
    }, true);
    addEventListener("pointerout", (e) => {
        if (since === null || !e.target.closest("a[data-term]")) return;
        window.dwell = Math.max(window.dwell, performance.now() - since);
        since = null;
    }, true);
}"""
QUICK_MS = 150
ATTEMPTS = 5


def test_quick_mouse_pass_across_terms_opens_no_popover(open_page):
    for _ in range(ATTEMPTS):
        page = open_page("/articles/primer")
        page.evaluate(DWELL)
        points = [center(box) for box in page.locator("article a[data-term]").evaluate_all(
            "(links) => links.map((a) => { const r = a.getBoundingClientRect();"
            " return {x: r.x, y: r.y, width: r.width, height: r.height}; })")]
        for point in points:
            page.mouse.move(*point, steps=2)
        page.mouse.move(1, 1, steps=2)
        page.wait_for_timeout(600)
        if page.evaluate("window.dwell") < QUICK_MS:
            break
    else:
        pytest.skip(f"the pointer could not cross the terms in under {QUICK_MS} ms each here")
    # The popover element is made the first time one opens.
    assert page.locator("#glossary-popover").count() == 0


def test_mouse_resting_on_a_term_opens_its_popover_after_a_delay(open_page):
    page = open_page("/articles/primer")
    page.evaluate("""() => {
        window.seen = {};
        document.addEventListener("pointerover", (e) => {
            if (e.target.closest("a[data-term=entity-list]")) window.seen.over ??= performance.now();
        }, true);
        new MutationObserver(() => {
            const pop = document.getElementById("glossary-popover");
            if (pop && !pop.hidden) window.seen.open ??= performance.now();
        }).observe(document.body, {subtree: true, childList: true, attributes: true});
    }""")
    page.hover("a[data-term=entity-list]")
    expect(page.locator("#glossary-popover")).to_be_visible()
    assert page.evaluate("window.seen.open - window.seen.over") >= 150


def test_pointer_crossing_another_term_on_its_way_into_the_popover_keeps_it(open_page):
    for _ in range(ATTEMPTS):
        page = open_page("/articles/primer")
        page.evaluate(DWELL)
        chip, rare_earth = page.locator("a[data-term=chip]"), page.locator("p a[data-term=rare-earth]")
        assert chip.bounding_box()["y"] == rare_earth.bounding_box()["y"]  # on one line
        chip.hover()
        popover = page.locator("#glossary-popover")
        expect(popover).to_contain_text("集成电路的俗称")
        x, y = center(rare_earth.bounding_box())
        box = popover.bounding_box()
        assert box["x"] < x < box["x"] + box["width"]
        # Along the line across 稀土, then down into 芯片's popover below it.
        page.evaluate("window.dwellFrom()")
        page.mouse.move(x, y, steps=4)
        page.mouse.move(x, box["y"] + box["height"] / 2, steps=4)
        page.wait_for_timeout(600)
        if page.evaluate("window.dwell") < QUICK_MS:
            break
    else:
        pytest.skip(f"the pointer could not cross 稀土 in under {QUICK_MS} ms here")
    expect(popover).to_be_visible()
    expect(popover).to_contain_text("集成电路的俗称")


def test_focused_term_has_a_visible_focus_outline(open_page):
    page = open_page("/articles/primer")
    page.keyboard.press("Tab")  # keyboard focus, so :focus-visible applies
    page.locator("a[data-term=entity-list]").focus()
    style = page.evaluate("(() => { const s = getComputedStyle(document.activeElement);"
                          " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()")
    assert style[0] != "none" and style[1] >= 2


def test_term_is_announced_with_its_definition(open_page):
    page = open_page("/articles/primer")
    expect(page.locator("a[data-term=entity-list]")).to_have_accessible_description(
        re.compile("美国商务部公布的一份名单"))


def test_tap_on_a_phone_shows_the_popover_inside_the_viewport(open_page):
    page = open_page("/articles/primer", **PHONE)
    # The term furthest right leaves the popover least room.
    index = page.evaluate("""(() => {
        const links = [...document.querySelectorAll('article a[data-term]')];
        const rights = links.map((a) => a.getClientRects()[0].right);
        return rights.indexOf(Math.max(...rights));
    })()""")
    term = page.locator("article a[data-term]").nth(index)
    term.scroll_into_view_if_needed()
    term.tap()
    popover = page.locator("#glossary-popover")
    expect(popover).to_be_visible()
    assert page.url.endswith("/articles/primer")
    assert inside_viewport(popover.bounding_box(), 360, 640)


def test_popover_of_a_long_definition_stays_inside_a_phone_viewport(open_page):
    page = open_page("/articles/primer", **PHONE)
    page.locator("a[data-term=long-arm-jurisdiction]").tap()
    popover = page.locator("#glossary-popover")
    expect(popover).to_be_visible()
    assert inside_viewport(popover.bounding_box(), 360, 640)


def test_tap_elsewhere_closes_the_popover(open_page):
    page = open_page("/articles/primer", **PHONE)
    page.locator("a[data-term=entity-list]").tap()
    expect(page.locator("#glossary-popover")).to_be_visible()
    page.locator("article h1").tap()
    expect(page.locator("#glossary-popover")).to_be_hidden()


def test_second_tap_on_the_same_term_opens_its_page(open_page):
    page = open_page("/articles/primer", **PHONE)
    term = page.locator("a[data-term=entity-list]")
    term.tap()
    expect(page.locator("#glossary-popover")).to_be_visible()
    term.tap()
    page.wait_for_url("**/terms/entity-list")
    expect(page.locator("h1")).to_have_text("实体清单")


def test_without_javascript_a_term_is_a_link_to_its_page(open_page):
    page = open_page("/articles/primer", java_script_enabled=False)
    term = page.locator("a[data-term=entity-list]")
    expect(term).to_have_attribute("href", "/terms/entity-list")
    term.click()
    page.wait_for_url("**/terms/entity-list")
    expect(page.locator("h1")).to_have_text("实体清单")
    assert page.locator("#glossary-popover").count() == 0


@pytest.mark.parametrize("path", ["/", "/articles/primer", "/articles/wide", "/terms", "/terms/swift",
                                  "/tags/export-control", "/no-such-page"])
def test_page_fits_a_360_px_screen_without_sideways_scrolling(open_page, path):
    page = open_page(path, **PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


# -- the term index ----------------------------------------------------------

def visible_headwords(page) -> list[str]:
    return page.locator("section.letter li:visible .headword").all_inner_texts()


def test_index_search_box_filters_as_you_type(open_page):
    page = open_page("/terms")
    assert len(visible_headwords(page)) == 11
    page.locator("#term-search").press_sequentially("sanctions")
    expect(page.locator("section.letter li:visible")).to_have_count(1)
    assert visible_headwords(page) == ["二级制裁"]
    expect(page.locator("#term-search-status")).to_have_text("1 条匹配")
    expect(page.locator("#letter-A")).to_be_hidden()
    expect(page.locator(".jump a[href='#letter-A']")).to_be_hidden()


def test_index_search_matches_an_alias(open_page):
    page = open_page("/terms")
    page.locator("#term-search").fill("川普")
    expect(page.locator("section.letter li:visible")).to_have_count(1)
    assert visible_headwords(page) == ["特朗普"]


def test_index_search_cleared_shows_every_term_again(open_page):
    page = open_page("/terms")
    page.locator("#term-search").fill("swift")
    expect(page.locator("section.letter li:visible")).to_have_count(1)
    page.locator("#term-search").fill("")
    expect(page.locator("section.letter li:visible")).to_have_count(11)


def test_index_search_finds_a_simplified_headword_typed_in_traditional(open_page):
    page = open_page("/terms")
    page.locator("#term-search").fill("實體")
    expect(page.locator("section.letter li:visible")).to_have_count(1)
    assert visible_headwords(page) == ["实体清单"]


def test_index_search_finds_a_headword_by_its_pinyin_initials(open_page):
    page = open_page("/terms")
    page.locator("#term-search").fill("stqd")
    expect(page.locator("section.letter li:visible")).to_have_count(1)
    assert visible_headwords(page) == ["实体清单"]


def test_index_search_finds_a_headword_by_its_full_pinyin(open_page):
    page = open_page("/terms")
    page.locator("#term-search").fill("shitiqingdan")
    expect(page.locator("section.letter li:visible")).to_have_count(1)
    assert visible_headwords(page) == ["实体清单"]


def test_index_search_without_a_match_says_so(open_page):
    page = open_page("/terms")
    page.locator("#term-search").fill("zzzz")
    expect(page.locator("section.letter li:visible")).to_have_count(0)
    expect(page.locator(".empty")).to_be_visible()


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_letter_link_brings_its_heading_below_the_sticky_bar(open_page, letters_site, device, script):
    page = open_page("/terms", on=letters_site, java_script_enabled=script, **device)
    page.locator(".jump a[href='#letter-M']").click()
    page.wait_for_function("location.hash === '#letter-M'")
    page.wait_for_timeout(100)
    bar, heading = page.locator(".jump").bounding_box(), page.locator("#h-M").bounding_box()
    bar_bottom = bar["y"] + bar["height"]
    assert bar["y"] == 0  # stuck to the top
    assert bar_bottom <= heading["y"] < bar_bottom + 120


# -- reading comfort ----------------------------------------------------------

def test_blockquote_is_set_off_from_the_text(open_page):
    page = open_page("/articles/primer")
    quote = page.evaluate("""(() => { const s = getComputedStyle(document.querySelector('article blockquote'));
        return [parseFloat(s.borderLeftWidth), s.backgroundColor]; })()""")
    assert quote[0] >= 3 and quote[1] != "rgba(0, 0, 0, 0)"


def test_article_text_is_left_aligned_on_a_narrow_screen(open_page):
    # Justified Chinese with a long Latin word in it leaves wide gaps when a line holds few characters.
    page = open_page("/articles/primer", viewport={"width": 600, "height": 800})
    assert page.evaluate("getComputedStyle(document.querySelector('article p')).textAlign") in ("left", "start")


def test_tag_links_are_big_enough_to_tap(open_page):
    page = open_page("/articles/primer", **PHONE)
    assert page.locator(".tags a").first.bounding_box()["height"] >= 24


# -- colour contrast, light and dark -----------------------------------------

CONTRAST = """(selector) => {
    const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
    const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
        .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
    const el = document.querySelector(selector);
    let bg = el;
    while (bg && (getComputedStyle(bg).backgroundColor === 'rgba(0, 0, 0, 0)'
                  || getComputedStyle(bg).backgroundColor === 'transparent')) bg = bg.parentElement;
    const back = lum(rgb(bg ? getComputedStyle(bg).backgroundColor : 'rgb(255,255,255)'));
    const fore = lum(rgb(getComputedStyle(el).color));
    return (Math.max(back, fore) + 0.05) / (Math.min(back, fore) + 0.05);
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_article_text_links_and_popover_meet_aa_contrast(open_page, scheme):
    page = open_page("/articles/primer", color_scheme=scheme)
    page.hover("a[data-term=entity-list]")
    expect(page.locator("#glossary-popover")).to_be_visible()
    for selector in ("article p", "article blockquote p", ".meta time", "header.site a", ".tags a", "a[data-term]",
                     "#glossary-popover p",
                     "#glossary-popover .gl-head span", "#glossary-popover a.gl-more", "[data-glossary=notes] dt span"):
        assert page.evaluate(CONTRAST, selector) >= 4.5, selector


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_index_and_term_page_meet_aa_contrast(open_page, scheme):
    page = open_page("/terms", color_scheme=scheme)
    for selector in (".lead", ".count", ".summary", ".jump a", "section.letter li a", "#term-search"):
        assert page.evaluate(CONTRAST, selector) >= 4.5, selector
    page = open_page("/terms/entity-list", color_scheme=scheme)
    for selector in ("mark", ".aliases", ".facts dt", ".definition"):
        assert page.evaluate(CONTRAST, selector) >= 4.5, selector


def test_dark_scheme_uses_a_dark_background(open_page):
    page = open_page("/articles/primer", color_scheme="dark")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(13, 17, 23)"
