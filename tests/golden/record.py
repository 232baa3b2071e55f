"""Record the golden files: what the current code produces for the shipped glossary and articles.

Run `python tests/golden/record.py` (from any folder) to write them again,
deliberately: `tests/test_golden.py` fails whenever the code produces
something else, and a commit that re-records must say in its message what
changed in the output and why.

What is recorded, each as a text file under this folder:

- annotate/<article>.<mode>.html and .json: `annotate_markdown` on every
  articles/*.md (front matter included) with terms.yaml, default options;
  the html alone, then the whole Annotation (`to_dict()`).
- api/<case>.json: the JSON answer of POST /api/annotate for a handful of
  inputs; api/responses.json: the status and type of each answer.
- pages/<name>.html: the reader pages served by the app factory on a SQLite
  store synced from terms.yaml and articles/; pages/responses.json: the
  path, status and type of each.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]
TERMS = PROJECT / "terms.yaml"
ARTICLES = PROJECT / "articles"

# The modes in the order the README gives them.
MODES = ("bold", "first", "all")

# Inputs of POST /api/annotate: (case name, request body). Sample text
# written for these files; the terms are the shipped terms.yaml's.
FRONT_MATTER_MARKDOWN = """\
---
title: 关税之外的筹码
annotate: first
tags: [trade, export-control]
---

## 谈判桌上的两张牌

一方手里是**稀土**（中重稀土: 冶炼分离难度更高的一组元素）和**镓**，
另一方手里是**出口管制**与**实体清单**。

两份清单都在变长：实体清单每季度更新，稀土的出口许可也越审越慢。
**对等关税**并不在本文讨论之内。

## 第二节

再次提到出口管制、实体名单和 AI 芯片。
"""

RAW_HTML_MARKDOWN = """\
关于**二级制裁**的讨论，可以从 SWIFT 说起。

<div class="note" onclick="alert(1)">
<p>这一段是作者写的 <b>原始 HTML</b>，提到<strong>长臂管辖</strong>与反制措施。</p>
<script>alert("不应出现")</script>
</div>

| 工具 | 主管机构 |
| --- | --- |
| **实体清单** | 美国商务部 |
| 二级制裁 | 美国财政部 |

[一个链接](javascript:alert(2)) 和一个[正常链接](https://example.org/a?b=1&c=2)。
"""

HTML_FRAGMENT = (
    '<p>光刻机与<strong>先进制程</strong>是<a href="/x">芯片</a>竞争的焦点，'
    "<b>英伟达</b>的 AI芯片 也在其中。</p>"
    "<ul><li><strong>台积电</strong>在亚利桑那设厂</li><li>芯片法案的补贴</li></ul>"
    "<pre><code>出口管制 不应在代码里被标注</code></pre>"
)

HTML_DOCUMENT = """\
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>一页完整的文档</title>
<style>p { color: red }</style>
</head>
<body>
<h1>去风险化与脱钩</h1>
<p><strong>去风险化</strong>不同于<strong>脱钩</strong>：前者收窄，后者切断。</p>
<p>友岸外包与产业政策常被放在一起谈，<em>供应链</em>安全是它们共同的理由。</p>
<img src="https://example.org/chart.png" alt="图表" onerror="alert(3)">
</body>
</html>
"""

TRADITIONAL_MARKDOWN = """\
---
title: 金融制裁的兩種工具
lang: zh-Hant
---

**二級制裁**讓第三國銀行也要選邊站；把銀行移出**SWIFT**則切斷了報文。

美國財政部負責前者，長臂管轄是它背後的法理爭議，實體名單則屬於商務部。
"""

API_INPUTS = {
    "markdown-front-matter-glosses": {"markdown": FRONT_MATTER_MARKDOWN},
    "markdown-raw-html": {"markdown": RAW_HTML_MARKDOWN},
    "html-fragment": {"html": HTML_FRAGMENT},
    "html-document": {"html": HTML_DOCUMENT},
    "traditional-markdown": {"markdown": TRADITIONAL_MARKDOWN},
}
# Each input with the mode its front matter or the site gives, and in each mode.
API_CASES = {
    **{name: body for name, body in API_INPUTS.items()},
    **{f"{name}.{mode}": {**body, "mode": mode} for name, body in API_INPUTS.items() for mode in MODES},
}

# The reader pages: (golden file name, path).
PAGES = {
    "index": "/",
    **{f"article-{p.stem}": f"/articles/{p.stem}" for p in sorted(ARTICLES.glob("*.md"))},
    "article-missing": "/articles/no-such-article",
    "terms": "/terms",
    "terms-tag-sanctions": "/terms?tag=sanctions",
    "terms-search-xitu": "/terms?q=xitu",
    "term-rare-earth": "/terms/rare-earth",
    "term-swift": "/terms/swift",
    "term-affiliates-rule": "/terms/affiliates-rule",
    "term-ai-chip": "/terms/ai-chip",
    "term-wassenaar-arrangement": "/terms/wassenaar-arrangement",
    "term-missing": "/terms/no-such-term",
    "tags": "/tags",
    "tag-rare-earth": "/tags/rare-earth",
    "tag-sanctions": "/tags/sanctions",
    "tag-person": "/tags/person",
    "tag-missing": "/tags/no-such-tag",
    "not-found": "/no/such/page",
}


def article_names() -> list[str]:
    """Return the golden file names of the annotated sample articles (without folder)."""
    return [f"{path.stem}.{mode}.{ext}"
            for path in sorted(ARTICLES.glob("*.md")) for mode in MODES for ext in ("html", "json")]


def names() -> list[str]:
    """Return every golden file's path relative to this folder, in a stable order."""
    return [
        *(f"annotate/{name}" for name in article_names()),
        *(f"api/{case}.json" for case in API_CASES),
        "api/responses.json",
        *(f"pages/{name}.html" for name in PAGES),
        "pages/responses.json",
    ]


def dump_json(data) -> str:
    """Return `data` as pretty JSON with sorted keys, one trailing newline."""
    # A value JSON has no type for (a YAML date in front matter) is written
    # with its type, so that a change of type shows in the diff.
    def typed(value):
        return {"__type__": type(value).__name__, "value": str(value)}

    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=typed) + "\n"


def text(value: str) -> str:
    """Return `value` ending in exactly one newline (files in git end with one)."""
    return value.rstrip("\n") + "\n"


@contextlib.contextmanager
def clean_environment() -> Iterator[None]:
    """Hide GLOSSARY_* environment variables, so that only the defaults and the given settings apply."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("GLOSSARY_")}
    for key in saved:
        del os.environ[key]
    try:
        yield
    finally:
        os.environ.update(saved)


def annotated_articles() -> dict[str, str]:
    """Return each sample article annotated in each mode: the html, and the whole Annotation as JSON."""
    from glossary import annotate_markdown, load_glossary

    glossary = load_glossary(TERMS)
    out = {}
    for path in sorted(ARTICLES.glob("*.md")):
        source = path.read_text(encoding="utf-8")
        for mode in MODES:
            result = annotate_markdown(source, glossary, mode)
            out[f"annotate/{path.stem}.{mode}.html"] = text(result.html)
            out[f"annotate/{path.stem}.{mode}.json"] = dump_json(result.to_dict())
    return out


def served(folder: Path) -> dict[str, str]:
    """Return the API's answers and the reader pages, from the real app on a SQLite store synced under `folder`."""
    from glossary import create_app

    app = create_app({
        "GLOSSARY_TERMS": str(TERMS),
        "GLOSSARY_ARTICLES": str(ARTICLES),
        "GLOSSARY_DATABASE_URL": f"sqlite:///{folder / 'store.db'}",
        # The store holds the glossary `glossary sync` put there, as in production.
        "GLOSSARY_WATCH_TERMS": "0",
    })
    synced = app.test_cli_runner().invoke(args=["sync"])
    if synced.exit_code != 0:
        raise RuntimeError(f"glossary sync failed:\n{synced.output}")
    client = app.test_client()
    out = {}
    responses = {}
    for case, body in API_CASES.items():
        response = client.post("/api/annotate", json=body)
        out[f"api/{case}.json"] = dump_json(response.get_json())
        responses[case] = {"status": response.status_code, "content_type": response.content_type}
    out["api/responses.json"] = dump_json(responses)
    pages = {}
    for name, path in PAGES.items():
        response = client.get(path)
        out[f"pages/{name}.html"] = text(response.get_data(as_text=True))
        pages[name] = {"path": path, "status": response.status_code, "content_type": response.content_type}
    out["pages/responses.json"] = dump_json(pages)
    return out


def produce() -> dict[str, str]:
    """Return every golden file's text as the current code produces it, by path relative to this folder."""
    with clean_environment(), tempfile.TemporaryDirectory(prefix="glossary-golden-") as folder:
        out = {**annotated_articles(), **served(Path(folder))}
    missing = set(names()) ^ set(out)
    if missing:
        raise RuntimeError(f"names() and what is produced disagree: {sorted(missing)}")
    return {name: out[name] for name in names()}


def recorded() -> list[str]:
    """Return the golden files on disk, relative to this folder."""
    return sorted(p.relative_to(HERE).as_posix() for p in HERE.glob("*/*") if p.is_file())


def record(write: Callable[[str], None] = print) -> None:
    """Write every golden file anew and delete those no longer produced."""
    produced = produce()
    for name, content in produced.items():
        path = HERE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != content:
            path.write_text(content, encoding="utf-8", newline="\n")
            write(f"{'changed' if old is not None else 'added'}: {name}")
    for name in set(recorded()) - set(produced):
        (HERE / name).unlink()
        write(f"deleted: {name}")
    write(f"{len(produced)} golden files under {HERE}")


if __name__ == "__main__":
    sys.exit(record())
