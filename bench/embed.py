"""Measure the embed's two possible designs in real Chromium: bytes on the wire and time to annotated.

`send`: what /embed.js does, each article's HTML posted to /api/annotate and
replaced by the answer. `terms`: the alternative, the whole glossary
downloaded from /api/terms and bold terms marked in the browser, here a
prototype that does less than the service (bold mode only; no
Traditional-to-Simplified folding, no once-per-section rule), so its figures
are a lower bound for a real client-side marker.

The glossary app and the host page run on two local origins, as in
tests/test_embed.py; every run is a fresh browser context (nothing cached).
Time is performance.now() when the article is marked annotated, counted
from navigation start; bytes are request and response bodies to the
glossary's API (the preflight included), without /embed.js itself.

    python bench/embed.py [--runs 15] [--terms 5000]

Needs Debian's chromium (or GLOSSARY_CHROMIUM) and Playwright.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py would shadow the standard library's http package, which
# urllib and http.server need: keep this folder after the standard library.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE] + [str(HERE)]

import argparse
import gzip
import logging
import random
import statistics
import tempfile
import urllib.request

import markdown

ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

from annotate import make_article, make_terms, write_terms
from apiserver import make_app, serving
from chromium import CHROMIUM_ARGS, chromium_path
from hostsite import host_site

from glossary.render import MARKDOWN_EXTENSIONS
from glossary.sources.articles import read_article

# The alternative, for measuring only: /api/terms once, then bold terms marked in place.
MARKER = r"""(async () => {
  const script = document.currentScript, origin = script.dataset.glossary;
  const fold = (s) => s.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
  const data = await (await fetch(origin + "/api/terms", {mode: "cors", credentials: "omit"})).json();
  const byKey = new Map();
  for (const t of data.terms) for (const k of [t.term, ...t.aliases]) byKey.set(fold(k), t);
  for (const el of document.querySelectorAll(script.dataset.selector || "article")) {
    const used = new Map();
    for (const b of el.querySelectorAll("strong, b")) {
      const t = byKey.get(fold(b.textContent));
      if (!t || b.closest("a")) continue;
      const a = document.createElement("a");
      a.href = new URL(t.url, origin).href;
      a.dataset.term = t.id;
      a.setAttribute("aria-describedby", "gl-" + t.id);
      b.replaceWith(a);
      a.append(b);
      used.set(t.id, t);
    }
    const dl = document.createElement("dl");
    for (const t of used.values()) {
      const dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = t.term;
      dd.id = "gl-" + t.id;
      const body = new DOMParser().parseFromString(t.definition_html, "text/html").body;
      dd.append(...body.childNodes);
      dl.append(dt, dd);
    }
    const notes = document.createElement("aside");
    notes.dataset.glossary = "notes";
    notes.append(dl);
    el.append(notes);
    el.setAttribute("data-glossary-embed", "");
  }
})();
"""

TIMER = """
window.__annotated = null;
new MutationObserver((_, observer) => {
  if (!document.querySelector('[data-glossary-embed]')) return;
  window.__annotated = performance.now();
  observer.disconnect();
}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-glossary-embed']});
"""


def host_page(script: str, article: str, extra: str = "") -> str:
    return (f'<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>bench</title>'
            f'<script src="{script}" data-selector="article" data-mode="bold" {extra} defer></script></head>'
            f"<body><article>{article}</article></body></html>")


def run(browser, url: str, glossary: str) -> tuple[float, int, int]:
    """Open `url` in a fresh context; return (ms to annotated, bytes, gzip bytes) of its API traffic."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(TIMER)
    requests = []
    page.on("requestfinished", lambda r: requests.append(r) if r.url.startswith(glossary + "/api/") else None)
    page.goto(url)
    page.wait_for_function("window.__annotated !== null", timeout=60_000)
    elapsed = page.evaluate("window.__annotated")
    page.wait_for_timeout(50)  # the last requestfinished event
    plain = packed = 0
    for r in requests:
        sizes = r.sizes()
        body = r.response().body() if r.method != "OPTIONS" else b""
        sent = (r.post_data_buffer or b"")
        plain += sizes["requestBodySize"] + sizes["responseBodySize"]
        packed += (len(gzip.compress(sent)) if sent else 0) + (len(gzip.compress(body)) if body else 0)
    context.close()
    return elapsed, plain, packed


def measure(browser, host, glossary: str, article_html: str, runs: int) -> dict[str, list[tuple[float, int, int]]]:
    # The prototype is served by the host; it fetches the terms from the glossary's origin.
    host.put("/marker.js", MARKER)
    pages = {
        "send": host.put("/send.html", host_page(glossary + "/embed.js", article_html)),
        "terms": host.put("/terms.html", host_page(host.origin + "/marker.js", article_html,
                                                   f'data-glossary="{glossary}"')),
    }
    results: dict[str, list] = {name: [] for name in pages}
    for _ in range(runs):  # taking turns
        for name, url in pages.items():
            results[name].append(run(browser, url, glossary))
    return results


def report(title: str, script_bytes: int, article_bytes: int, results) -> None:
    print(f"\n{title} (article HTML {article_bytes:,} bytes; /embed.js {script_bytes:,} bytes, cached after once)")
    print(f"  {'design':<7} {'ms median':>9} {'ms p90':>7} {'API bytes':>10} {'gzipped':>9}")
    for name, rows in results.items():
        times = sorted(t for t, _, _ in rows)
        p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
        print(f"  {name:<7} {statistics.median(times):>9.1f} {p90:>7.1f} {rows[0][1]:>10,} {rows[0][2]:>9,}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--terms", type=int, default=5000, help="size of the synthetic glossary")
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if not path:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp, host_site() as host, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        cases = []
        sample = Path(tmp) / "sample"
        sample.mkdir()
        article = read_article(ROOT / "articles" / "london-talks.md")
        cases.append(("sample glossary (terms.yaml, 52 terms), articles/london-talks.md", sample,
                      ROOT / "terms.yaml", markdown.markdown(article.body, extensions=MARKDOWN_EXTENSIONS)))
        rng = random.Random(17)
        synthetic = Path(tmp) / "synthetic"
        synthetic.mkdir()
        terms = make_terms(rng, args.terms)
        write_terms(synthetic / "terms.yaml", terms)
        body = make_article(rng, terms, 5_000, vocabulary=min(500, len(terms))).split("---\n", 2)[2]
        cases.append((f"synthetic glossary ({args.terms:,} terms), a ~5 KB article", synthetic,
                      synthetic / "terms.yaml", markdown.markdown(body, extensions=MARKDOWN_EXTENSIONS)))
        for title, folder, terms_file, html in cases:
            app = make_app(folder, terms_file, GLOSSARY_CORS_ORIGINS=host.origin)
            with serving(app) as glossary:
                with urllib.request.urlopen(glossary + "/embed.js") as response:  # noqa: S310 (a local URL)
                    script_bytes = len(response.read())
                results = measure(browser, host, glossary, html, args.runs)
            report(title, script_bytes, len(html.encode()), results)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
