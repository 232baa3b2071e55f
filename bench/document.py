"""Measure what annotating a whole page costs: annotate_document against lxml alone.

Builds pages of a news site's shape from the sample articles (rendered by
Python-Markdown): a head with inline scripts and JSON-LD, a nav of links, a
<main><article> holding the article repeated to the size wanted, a footer,
scripts at the end. For each page and mode it times, taking turns, in CPU
time, the fastest of --repeat runs:

- annotate_document on the whole body, and with selector="article";
- annotate_html on the same page (lxml's document parser alone: what the
  project did before, which keeps the head but not the declared encoding,
  and changes broken pages the way libxml2 alone does);
- annotate_html on the article's HTML alone (the annotation itself);
- bs4 over lxml parsing the page and writing it back, annotating nothing.

    python bench/document.py [--repeat 7] [--sizes 150,1000]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import markdown
from bs4 import BeautifulSoup

from glossary import annotate_html, load_glossary
from glossary.render import MARKDOWN_EXTENSIONS, annotate_document
from glossary.sources.frontmatter import split_front_matter

ROOT = Path(__file__).resolve().parent.parent


def article_html() -> str:
    """Return the sample articles rendered by Python-Markdown, not annotated."""
    parts = []
    for path in sorted((ROOT / "articles").glob("*.md")):
        body = split_front_matter(path.read_text(encoding="utf-8"))[1]
        parts.append(markdown.markdown(body, extensions=MARKDOWN_EXTENSIONS))
    return "\n".join(parts)


def page(article: str, kilobytes: int) -> str:
    """Return a news page whose article is `article` repeated to about `kilobytes` KB of page."""
    script = "window.dataLayer = window.dataLayer || []; if (a < b) { track('<p>'); }\n" * 300
    head = (
        '<!DOCTYPE html>\n<html lang="zh-CN" class="no-js">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>示例</title>\n'
        '<link rel="stylesheet" href="/site.css">\n'
        '<script type="application/ld+json">{"@type": "NewsArticle"}</script>\n'
        f"<script>\n{script}</script>\n</head>\n"
    )
    nav = "".join(f'<li><a href="/c/{i}">栏目{i}</a></li>\n' for i in range(200))
    frame = (f'<body>\n<header><nav><ul>\n{nav}</ul></nav></header>\n<main><article>\n', "</article></main>\n"
             '<footer><p>© 2025 示例</p></footer>\n<script src="/app.js" defer></script>\n</body>\n</html>\n')
    size = len((head + "".join(frame)).encode())
    body = article
    while size + len(body.encode()) < kilobytes * 1024:
        body += "\n" + article
    return head + frame[0] + body + frame[1]


def measure(text: str, inner: str, glossary, mode: str, repeat: int) -> dict[str, float]:
    """Return the fastest CPU time of each way to handle the page, taking turns."""
    runs = {
        "annotate_document (body)": lambda: annotate_document(text, glossary, mode),
        "annotate_document (article)": lambda: annotate_document(text, glossary, mode, selector="article"),
        "annotate_html (page, lxml)": lambda: annotate_html(text, glossary, mode),
        "annotate_html (article only)": lambda: annotate_html(inner, glossary, mode),
        "bs4 parse + write, no annotation": lambda: BeautifulSoup(text, "lxml").decode(),
    }
    times = dict.fromkeys(runs, float("inf"))
    # Taking turns: a slow phase of the machine hits every function.
    for _ in range(repeat):
        for name, function in runs.items():
            start = time.process_time()
            function()
            times[name] = min(times[name], time.process_time() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--sizes", default="150,1000", help="page sizes in KB, comma-separated")
    args = parser.parse_args()
    glossary = load_glossary(ROOT / "terms.yaml")
    article = article_html()
    for kilobytes in (int(size) for size in args.sizes.split(",")):
        text = page(article, kilobytes)
        inner = BeautifulSoup(text, "lxml").article.decode_contents()
        print(f"\npage {len(text.encode()) / 1024:.0f} KB, article {len(inner.encode()) / 1024:.0f} KB")
        for mode in ("bold", "all"):
            times = measure(text, inner, glossary, mode, args.repeat)
            floor = times["annotate_html (page, lxml)"]
            print(f"  {mode}:")
            for name, seconds in times.items():
                print(f"    {name:34} {seconds * 1000:8.0f} ms  {seconds / floor:5.1f}x")


if __name__ == "__main__":
    main()
