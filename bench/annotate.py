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
import sys
import tempfile
import time
from pathlib import Path

import markdown

from glossary import annotate_markdown, load_glossary
from glossary.normalize import fold, normalize_key
from glossary.render import MARKDOWN_EXTENSIONS

# Han characters from U+4E00 on, without Traditional-only ones (the articles
# are Simplified; Traditional ones are tested, not benchmarked), drawn with
# Zipf-like weights.
POOL = [c for c in map(chr, range(0x4E00, 0x4E00 + 4200)) if fold(c) == c][:3500]
LATIN = "abcdefghijklmnopqrstuvwxyz"
TARGETS = {"bold": 1.3, "first": 1.6, "all": 1.6}


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


LENGTHS = {2: 10, 3: 20, 4: 35, 5: 15, 6: 10, 7: 5, 8: 5}


def make_terms(rng: random.Random, count: int, dense: bool = False) -> list[tuple[str, str, list[str]]]:
    """Return (id, term, aliases) of `count` unique terms.

    Domain terms are mostly 3-6 characters of a flatter character
    distribution than running text.  `dense` draws 2-8 characters from the
    text's own Zipf distribution instead: a glossary full of everyday
    bigrams that random filler hits every few characters (a stress case).
    """
    weights = [1 / (i + 1) ** (0.8 if dense else 0.3) for i in range(len(POOL))]
    lengths, length_weights = list(LENGTHS), list(LENGTHS.values())
    seen: set[str] = set()
    terms = []
    while len(terms) < count:
        size = rng.randint(2, 8) if dense else rng.choices(lengths, length_weights)[0]
        if rng.random() < 0.02:
            word = "".join(rng.choices(LATIN, k=rng.randint(3, 8))).upper()
        else:
            word = "".join(rng.choices(POOL, weights, k=size))
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


def write_terms(path: Path, terms, define=None) -> None:
    """Write `terms` as terms.yaml; define(term_id, word) gives a definition other than the default."""
    lines = ["# synthetic benchmark glossary", "terms:"]
    for term_id, word, aliases in terms:
        lines += [f"  - id: {term_id}", f'    term: "{word}"', f"    en: Term {term_id}"]
        if aliases:
            lines.append(f'    aliases: ["{aliases[0]}"]')
        definition = (define and define(term_id, word)) or f"关于{word}的定义，*用于*基准测试。"
        lines += [f"    definition: {definition}", "    tags: [bench]"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_article(rng: random.Random, terms, size_bytes: int, vocabulary: int | None = 500) -> str:
    """Return Markdown of about `size_bytes` UTF-8 bytes: paragraphs, bold terms with glosses, plain mentions.

    An article draws its terms Zipf-like from a topic `vocabulary` of that
    many glossary terms (None: every mention an independent pick from the
    whole glossary, the worst case for definitions emitted).
    """
    weights = [1 / (i + 1) ** 0.8 for i in range(len(POOL))]
    topic = rng.sample(terms, vocabulary) if vocabulary else terms
    topic_weights = [1 / (i + 1) for i in range(len(topic))]
    paragraphs, size = ["---", "title: 基准文章", "date: '2025-01-01'", "---", ""], 0
    section = 0
    while size < size_bytes:
        if section % 8 == 0:
            paragraphs.append(f"### 第{section // 8 + 1}节\n")
        section += 1
        pieces = []
        # Densities follow the seed articles: a bolded term every ~700
        # characters, a plain mention every ~150, some Latin words.
        for _ in range(rng.randint(4, 10)):
            pieces.append("".join(rng.choices(POOL, weights, k=rng.randint(10, 40))))
            roll = rng.random()
            _, word, _ = rng.choices(topic, topic_weights)[0] if vocabulary else rng.choice(topic)
            if roll < 0.02:
                pieces.append(f"**{word}**（Gloss Name: 作者写的一句解释）")
            elif roll < 0.04:
                pieces.append(f"**{word}**")
            elif roll < 0.20:
                pieces.append(word)
            elif roll < 0.25:
                pieces.append(f" {''.join(rng.choices(LATIN, k=5))} ")
            pieces.append(rng.choice("，。；、"))
        paragraph = "".join(pieces) + "。\n"
        paragraphs.append(paragraph)
        size += len(paragraph.encode())
    return "\n".join(paragraphs)


def interleaved(repeat: int, runs: dict) -> list[dict[str, float]]:
    """Time each function once per round, taking turns, for `repeat` rounds.

    Taking turns puts every function through the same spells of load from
    other processes, and CPU time (time.process_time) leaves out the time
    this process waits for a core. Timings here are bimodal (page faults
    after large frees), so ratios compare the fastest run of each.
    """
    rounds = []
    for _ in range(repeat):
        took = {}
        for name, func in runs.items():
            gc.collect()
            start = time.process_time()
            func()
            took[name] = time.process_time() - start
        rounds.append(took)
    return rounds


def ratio(rounds: list[dict[str, float]], name: str, base: str) -> float:
    """Return the ratio of the fastest runs: the least disturbed measure of the work itself."""
    return fastest(rounds, name) / fastest(rounds, base)


def fastest(rounds: list[dict[str, float]], name: str) -> float:
    return min(r[name] for r in rounds)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=21)
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

    articles = {
        "5 KB": (glossary, make_article(rng, terms, 5_000)),
        "300 KB": (glossary, make_article(rng, terms, 300_000)),
        "300 KB, every mention a new term": (glossary, make_article(rng, terms, 300_000, vocabulary=None)),
    }
    dense_terms = make_terms(rng, args.terms, dense=True)
    with tempfile.TemporaryDirectory() as tmp:
        write_terms(Path(tmp) / "terms.yaml", dense_terms)
        dense = load_glossary(Path(tmp) / "terms.yaml")
    articles["300 KB, stress: glossary of everyday bigrams"] = (dense, make_article(rng, dense_terms, 300_000))
    extensions = list(MARKDOWN_EXTENSIONS)
    failures = []
    for name, (glossary_used, text) in articles.items():
        body = text.split("---\n", 2)[2]
        runs = {
            "plain": lambda b=body: markdown.markdown(b),
            "site_plain": lambda b=body: markdown.markdown(b, extensions=extensions),
        }
        for mode in ("bold", "first", "all"):
            # The same rendering as markdown.markdown (no extensions), so
            # the ratio is the cost of annotating alone ...
            runs[mode] = lambda t=text, m=mode, g=glossary_used: annotate_markdown(t, g, mode=m, extensions=())
            # ... and as the site renders articles, against the same extensions.
            runs["site_" + mode] = lambda t=text, m=mode, g=glossary_used: annotate_markdown(t, g, mode=m)
        for run in runs.values():
            run()  # warm the per-thread converters
        rounds = interleaved(args.repeat, runs)
        print(f"\narticle {name} ({len(text.encode()) / 1000:.0f} KB): markdown.markdown "
              f"{fastest(rounds, 'plain') * 1000:.1f} ms; with {'+'.join(extensions)} "
              f"{fastest(rounds, 'site_plain') * 1000:.1f} ms")
        judged = name == "300 KB"
        for mode in ("bold", "first", "all"):
            result = annotate_markdown(text, glossary_used, mode=mode, extensions=())
            measured = ratio(rounds, mode, "plain")
            # Mentions found (the counts), and the links written: at most
            # one per term and section, 10 per term (the default limit).
            occurrences = sum(t.count for t in result.terms)
            links = result.html.count(" data-term=")
            target = TARGETS[mode]
            verdict = "ok" if measured <= target else "OVER"
            print(f"  {mode:5}: {fastest(rounds, mode) * 1000:7.1f} ms = {measured:.2f}x plain markdown "
                  f"(site extensions: {ratio(rounds, 'site_' + mode, 'site_plain'):.2f}x); {occurrences} mentions "
                  f"({occurrences / (len(text) / 1000):.1f} per 1,000 chars), {links} links, "
                  f"{len(result.terms)} terms"
                  + (f"  target <= {target}x: {verdict}" if judged else ""))
            if judged and verdict == "OVER":
                failures.append(f"{mode} {measured:.2f}x > {target}x")
    if done - start > 2:
        failures.append(f"load {done - start:.2f} s > 2 s")
    if after - matcher_before > 100:
        failures.append(f"matcher memory {after - matcher_before:.0f} MB > 100 MB")
    print("\nall targets met" if not failures else "\nmissed: " + "; ".join(failures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
