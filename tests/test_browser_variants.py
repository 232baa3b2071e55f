"""What a reader of a Traditional-script article sees in its popovers, in real headless Chromium (issue 16)."""

from __future__ import annotations

import pytest
from chromium import DESKTOP
from test_browser import expect, serving
from test_variants import TERMS

from glossary import parse_glossary
from glossary.sources.articles import read_article

TW_ARTICLE = """\
---
title: 台灣讀者看關稅
lang: zh-TW
annotate: first
---

**川普**再度談到關稅，並點名幾家**軟件**公司。之後還有[一個連結](https://example.org/after)。
"""


@pytest.fixture(scope="module")
def tw_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("tw")
    (root / "tw.md").write_text(TW_ARTICLE, encoding="utf-8")
    with serving(root, parse_glossary(TERMS, "variants.yaml"), [read_article(root / "tw.md")]) as base:
        yield base


@pytest.fixture
def page(browser, tw_site):  # noqa: F811 (the fixture imported above)
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.goto(tw_site + "/articles/tw")
    yield page
    context.close()


def test_zh_tw_popover_shows_the_regional_headword_and_a_traditional_definition(page):
    popover = page.locator("#glossary-popover")
    page.hover("a[data-term=donald-trump]")
    expect(popover).to_be_visible()
    expect(popover.locator(".gl-head")).to_have_text("川普（特朗普） Donald Trump")
    expect(popover).to_contain_text("美國第45任和第47任總統。")
    expect(popover).to_have_accessible_name("川普（特朗普） Donald Trump")


def test_zh_tw_popover_converts_with_the_taiwan_profile(page):
    page.hover("a[data-term=software]")
    popover = page.locator("#glossary-popover")
    expect(popover.locator(".gl-head")).to_have_text("軟體 Software")
    expect(popover).to_contain_text("作業系統軟體")


def test_zh_tw_popover_keeps_tab_and_escape(page):
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a[data-term]')"):
            break
    expect(page.locator("a[data-term]:focus")).to_have_attribute("data-term", "donald-trump")
    popover = page.locator("#glossary-popover")
    expect(popover).to_contain_text("川普（特朗普）")
    page.keyboard.press("Tab")
    expect(popover.locator("a.gl-more")).to_be_focused()
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    expect(page.locator("a[data-term=donald-trump]")).to_be_focused()
