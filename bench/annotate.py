"""Measure what annotating costs beyond rendering the Markdown at all.

Builds a synthetic glossary of 50,000 mostly-Chinese terms (written to a real
terms.yaml) and articles of ~5 KB and ~300 KB, then prints, measured in this
one run: glossary load time, matcher build time and memory, and the ratio of
annotate_markdown (each mode) to plain markdown.markdown on the same text.

    python bench/annotate.py [--terms 50000] [--repeat 5] [--seed 7]
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import markdown

from glossary import annotate_markdown, load_glossary
from glossary.normalize import normalize_key
from glossary.render import MARKDOWN_EXTENSIONS

# The 1,500 most common Han characters are U+4E00.. in no useful order, so
# draw from a fixed pool with Zipf-like weights instead.
POOL = [chr(c) for c in range(0x4E00, 0x4E00 + 3500)]
LATIN = "abcdefghijklmnopqrstuvwxyz"
TARGETS = {"bold": 1.3, "first": 1.6, "all": 1.6}


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def make_terms(rng: random.Random, count: int) -> list[tuple[str, str, list[str]]]:
    weights = [1 / (i + 1) ** 0.8 for i in range(len(POOL))]
    seen: set[str] = set()
    terms = []
    while len(terms) < count:
        if rng.random() < 0.02:
            word = "".join(rng.choices(LATIN, k=rng.randint(3, 8))).upper()
        else:
            word = "".join(rng.choices(POOL, weights, k=rng.randint(2, 8)))
        if normalize_key(word) in seen:
            continue
        seen.add(normalize_key(word))
        aliases = []
        if rng.random() < 0.1:
            alias = word + rng.choice(POOL)
            if normalize_key(alias) not in seen:
                seen.add(normalize_key(alias))
                aliases.append(alias)
        terms.append((f"t{len(terms)}", word, aliases))
    return terms


def write_terms(path: Path, terms) -> None:
    lines = ["# synthetic benchmark glossary", "terms:"]
    for term_id, word, aliases in terms:
        lines += [f"  - id: {term_id}", f'    term: "{word}"', f"    en: Term {term_id}"]
        if aliases:
            lines.append(f'    aliases: ["{aliases[0]}"]')
        lines += [f"    definition: 关于{word}的定义，*用于*基准测试。", "    tags: [bench]"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_article(rng: random.Random, terms, size_bytes: int) -> str:
    """Return Markdown of about `size_bytes` UTF-8 bytes: paragraphs, bold terms with glosses, plain mentions."""
    weights = [1 / (i + 1) ** 0.8 for i in range(len(POOL))]
    paragraphs, size = ["---", "title: 基准文章", "date: '2025-01-01'", "---", ""], 0
    section = 0
    while size < size_bytes:
        if section % 8 == 0:
            paragraphs.append(f"### 第{section // 8 + 1}节\n")
        section += 1
        pieces = []
        for _ in range(rng.randint(6, 14)):
            pieces.append("".join(rng.choices(POOL, weights, k=rng.randint(8, 30))))
            roll = rng.random()
            _, word, _ = rng.choice(terms)
            if roll < 0.15:
                pieces.append(f"**{word}**（Gloss Name: 作者写的一句解释）")
            elif roll < 0.25:
                pieces.append(f"**{word}**")
            elif roll < 0.55:
                pieces.append(word)
            elif roll < 0.60:
                pieces.append(f" {''.join(rng.choices(LATIN, k=5))} ")
            pieces.append(rng.choice("，。；、"))
        paragraph = "".join(pieces) + "。\n"
        paragraphs.append(paragraph)
        size += len(paragraph.encode())
    return "\n".join(paragraphs)


def best_of(repeat: int, func) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    terms = make_terms(rng, args.terms)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "terms.yaml"
        write_terms(path, terms)
        size_mb = path.stat().st_size / 1e6
        before = rss_mb()
        start = time.perf_counter()
        glossary = load_glossary(path)
        parsed = time.perf_counter()
        matcher_before = rss_mb()
        _ = glossary.matcher
        done = time.perf_counter()
        after = rss_mb()

    print(f"glossary: {len(glossary)} terms, {size_mb:.1f} MB terms.yaml")
    print(f"load_glossary: {parsed - start:.2f} s; matcher build: {done - parsed:.2f} s; "
          f"total {done - start:.2f} s (target <= 2 s)")
    print(f"memory: glossary {matcher_before - before:.0f} MB RSS, matcher {after - matcher_before:.0f} MB RSS "
          f"(target <= 100 MB)")

    articles = {"5 KB": make_article(rng, terms, 5_000), "300 KB": make_article(rng, terms, 300_000)}
    extensions = list(MARKDOWN_EXTENSIONS)
    failures = []
    for name, text in articles.items():
        body = text.split("---\n", 2)[2]
        plain = best_of(args.repeat, lambda b=body: markdown.markdown(b))
        same_ext = best_of(args.repeat, lambda b=body: markdown.markdown(b, extensions=extensions))
        print(f"\narticle {name} ({len(text.encode()) / 1000:.0f} KB): markdown.markdown {plain * 1000:.1f} ms; "
              f"with {'+'.join(extensions)} {same_ext * 1000:.1f} ms")
        for mode in ("bold", "first", "all"):
            annotate_markdown(text, glossary, mode=mode)  # warm the per-thread converter
            took = best_of(args.repeat, lambda t=text, m=mode: annotate_markdown(t, glossary, mode=m))
            result = annotate_markdown(text, glossary, mode=mode)
            ratio = took / plain
            occurrences = sum(t.count for t in result.terms)
            target = TARGETS[mode]
            verdict = "ok" if ratio <= target or name != "300 KB" else "OVER"
            print(f"  {mode:5}: {took * 1000:7.1f} ms = {ratio:.2f}x plain markdown "
                  f"({took / same_ext:.2f}x same extensions); {occurrences} annotations, {len(result.terms)} terms"
                  + (f"  target <= {target}x: {verdict}" if name == "300 KB" else ""))
            if verdict == "OVER":
                failures.append(f"{mode} {ratio:.2f}x > {target}x")
    if done - start > 2:
        failures.append(f"load {done - start:.2f} s > 2 s")
    if after - matcher_before > 100:
        failures.append(f"matcher memory {after - matcher_before:.0f} MB > 100 MB")
    print("\nall targets met" if not failures else "\nmissed: " + "; ".join(failures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
