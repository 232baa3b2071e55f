"""The MkDocs recipe (examples/mkdocs) in a real `mkdocs build`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

import glossary

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "mkdocs"
STATIC = Path(glossary.__file__).resolve().parent / "static"
PAGES = {
    "index.html": ["export-control", "entity-list"],
    "supply-chain/index.html": ["rare-earth", "supply-chain"],
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Build the example with mkdocs (strict: a warning fails it) into a temporary folder; return the folder."""
    folder = tmp_path_factory.mktemp("mkdocs") / "site"
    # Run from elsewhere: the example must not depend on the working folder.
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict",
                             "-f", str(EXAMPLE / "mkdocs.yml"), "-d", str(folder)],
                            cwd=folder.parent, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
    return folder


def page(site: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / name).read_text(encoding="utf-8"), "lxml")


@pytest.mark.parametrize("name", PAGES)
def test_page_links_its_terms_to_the_glossary_service(site, name):
    links = page(site, name).select("a[data-term]")
    assert [a["data-term"] for a in links] == PAGES[name]
    assert all(a["href"] == f"https://glossary.example/terms/{a['data-term']}" for a in links)


@pytest.mark.parametrize("name", PAGES)
def test_page_ends_with_its_notes(site, name):
    notes = page(site, name).select_one('aside[data-glossary="notes"]')
    assert notes.select_one('[data-glossary="title"]').get_text() == "本页术语"
    assert [dd["data-for"] for dd in notes.select('dd[data-glossary="definition"]')] == PAGES[name]


def test_mode_first_links_the_unbolded_first_occurrence_only(site):
    soup = page(site, "index.html")
    paragraph = next(p for p in soup.select("p") if "讨论出口管制" in p.get_text())
    assert paragraph.get_text().count("出口管制") == 2
    links = soup.select('a[data-term="export-control"]')
    assert len(links) == 1 and links[0].find("strong") is None


@pytest.mark.parametrize("name", ["glossary.css", "glossary.js"])
def test_site_holds_the_packages_asset(site, name):
    assert (site / "glossary" / name).read_bytes() == (STATIC / name).read_bytes()


@pytest.mark.parametrize("name", PAGES)
def test_page_links_the_stylesheet_and_defers_the_script(site, name):
    soup = page(site, name)
    base = f"https://docs.example/{name}"
    stylesheets = [urljoin(base, link["href"]) for link in soup.select("link[rel=stylesheet]")]
    assert "https://docs.example/glossary/glossary.css" in stylesheets
    scripts = {urljoin(base, script["src"]): script for script in soup.select("script[src]")}
    assert scripts["https://docs.example/glossary/glossary.js"].has_attr("defer")
