"""Compare Aho-Corasick set-ups on the glossary's own keys and folded text.

Builds the synthetic glossary of bench/annotate.py (default 50,000 terms) and a ~300 KB article, folds the
keys with normalize_key and the article with the project's Matcher.fold, then measures in one run:

* pyahocorasick Automaton: iter() (overlapping) plus a leftmost-longest pick in Python, and iter_long();
* ahocorasick_rs AhoCorasick over str, MatchKind.LeftmostLongest;
* ahocorasick_rs BytesAhoCorasick over UTF-16-LE bytes, as glossary/matcher.py scans (odd byte offsets
  dropped; the scan time includes the encode);

giving for each: build time, RSS added by the build (VmRSS in a fresh subprocess per library), scan time
(best of --repeat, taking turns), and whether its (start, end) list equals the project's Matcher.find.
Every method applies the project's word-boundary rule (a key starting or ending with a Latin letter or digit
must not touch another): while picking for iter(), after the scan for the others, where a rejected match
can hide a shorter valid one that Matcher.find would re-pick.

    python bench/automata.py [--terms 50000] [--repeat 5] [--seed 7]
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import ahocorasick
import ahocorasick_rs

from glossary.core.compiled import CompiledGlossary
from glossary.core.matcher import Matcher
from glossary.core.model import Glossary, Term
from glossary.core.normalize import is_word_char, normalize_key

sys.path.insert(0, str(Path(__file__).resolve().parent))
from annotate import POOL, fastest, interleaved, make_article, make_terms, rss_mb  # noqa: E402

LONGEST = ahocorasick_rs.MatchKind.LeftmostLongest


def build_py(keys: list[str]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for index, key in enumerate(keys):
        automaton.add_word(key, index)
    automaton.make_automaton()
    return automaton


BUILDERS = {
    "pyahocorasick": build_py,
    "rs str": lambda keys: ahocorasick_rs.AhoCorasick(keys, matchkind=LONGEST),
    "rs bytes": lambda keys: ahocorasick_rs.BytesAhoCorasick([k.encode("utf-16-le") for k in keys],
                                                             matchkind=LONGEST),
}


def fits(text: str, start: int, end: int) -> bool:
    """The project's word-boundary rule: SWIFT must not match inside SWIFTLY."""
    if start > 0 and is_word_char(text[start]) and is_word_char(text[start - 1]):
        return False
    return not (end < len(text) and is_word_char(text[end - 1]) and is_word_char(text[end]))


def bounded(text: str, pairs) -> list[tuple[int, int]]:
    return [(start, end) for start, end in pairs if fits(text, start, end)]


def py_overlapping(automaton, lengths: list[int], text: str) -> list[tuple[int, int]]:
    """Every match from iter(), then leftmost-longest: earliest start, longest there, no overlaps."""
    found = sorted((end + 1 - lengths[index], -end - 1) for end, index in automaton.iter(text))
    picked, last = [], 0
    for start, negative_end in found:
        if start >= last and fits(text, start, -negative_end):
            last = -negative_end
            picked.append((start, last))
    return picked


def py_long(automaton, lengths: list[int], text: str) -> list[tuple[int, int]]:
    return bounded(text, ((end + 1 - lengths[index], end + 1) for end, index in automaton.iter_long(text)))


def rs_str(automaton, text: str) -> list[tuple[int, int]]:
    return bounded(text, ((start, end) for _, start, end in automaton.find_matches_as_indexes(fresh(text))))


def rs_bytes(automaton, text: str) -> list[tuple[int, int]]:
    found = automaton.find_matches_as_indexes(text.encode("utf-16-le"))
    return bounded(text, ((start >> 1, end >> 1) for _, start, end in found if not start & 1))


def fresh(text: str) -> str:
    """An equal str without the UTF-8 copy that ahocorasick_rs caches on a scanned str."""
    return (text + "\x00")[:-1]


def rss_child(name: str, keys_path: str):
    """(Subprocess) build one automaton and print the MB of RSS it added."""
    keys = json.loads(Path(keys_path).read_text(encoding="utf-8"))
    before = rss_mb()
    automaton = BUILDERS[name](keys)
    print(f"{rss_mb() - before:.2f}")
    return automaton


def build_rss(keys: list[str]) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "keys.json"
        path.write_text(json.dumps(keys, ensure_ascii=False), encoding="utf-8")
        command = [sys.executable, str(Path(__file__).resolve()), "--rss-child"]
        return {name: float(subprocess.run([*command, name, str(path)], capture_output=True, text=True,
                                           check=True).stdout)
                for name in BUILDERS}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--rss-child"]:
        rss_child(*argv[1:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    started = time.perf_counter()

    rng = random.Random(args.seed)
    terms = make_terms(rng, args.terms)
    glossary = Glossary(Term(id=tid, term=word, definition="d", aliases=tuple(aliases))
                        for tid, word, aliases in terms)
    keys = list(dict.fromkeys(normalize_key(s) for _, word, aliases in terms for s in (word, *aliases)))
    assert keys == list(glossary.by_key), "keys differ from the Glossary's"
    lengths = [len(k) for k in keys]
    article = make_article(rng, terms, 300_000)
    matcher = CompiledGlossary(glossary).matcher
    folded, _ = matcher.fold(article)
    assert len(folded.encode("utf-16-le")) == 2 * len(folded), "astral characters: byte offsets need mapping"
    expected = [(start, end) for start, end, _ in matcher.find(folded)]

    build_runs = {**{name: lambda b=b: b(keys) for name, b in BUILDERS.items()},
                  "project": lambda: Matcher(glossary.by_key)}
    rounds = interleaved(args.repeat, build_runs)
    builds = {name: fastest(rounds, name) for name in build_runs}
    rss = build_rss(keys)
    py, rs, rb = (BUILDERS[name](keys) for name in BUILDERS)
    methods = {  # name: (library, scan returning (start, end) pairs)
        "pyahocorasick iter() + Python pick": ("pyahocorasick", lambda: py_overlapping(py, lengths, folded)),
        "pyahocorasick iter_long()": ("pyahocorasick", lambda: py_long(py, lengths, folded)),
        "ahocorasick_rs str LeftmostLongest": ("rs str", lambda: rs_str(rs, folded)),
        "ahocorasick_rs UTF-16-LE bytes": ("rs bytes", lambda: rs_bytes(rb, folded)),
        "project Matcher.find (reference)": ("project", lambda: [(s, e) for s, e, _ in matcher.find(folded)]),
    }
    rounds = interleaved(args.repeat, {name: scan for name, (_, scan) in methods.items()})
    scans = {name: fastest(rounds, name) for name in methods}

    versions = ", ".join(f"{p} {importlib.metadata.version(p)}" for p in ("pyahocorasick", "ahocorasick_rs"))
    print(f"glossary: {len(glossary)} terms, {len(keys)} keys (Han pool {len(POOL)}); {versions}")
    print(f"article: {len(article.encode()) / 1000:.0f} KB, {len(folded)} folded chars; "
          f"project finds {len(expected)} matches; best of {args.repeat}\n")
    header = f"{'method':36} {'build ms':>9} {'+RSS MB':>8} {'scan ms':>8} {'matches':>8} {'= project':>9} " \
             f"{'missing':>8} {'extra':>6}"
    print(header)
    print("-" * len(header))
    correct = {}
    for name, (library, scan) in methods.items():
        got = scan()
        missing, extra = len(set(expected) - set(got)), len(set(got) - set(expected))
        correct[name] = got == expected
        memory = f"{rss[library]:8.1f}" if library in rss else f"{'-':>8}"
        print(f"{name:36} {builds[library] * 1000:9.1f} {memory} {scans[name] * 1000:8.1f} {len(got):8} "
              f"{'yes' if correct[name] else 'NO':>9} {missing:8} {extra:6}")
    print(f"\n(+RSS: VmRSS after minus before the build, in a fresh process; "
          f"whole run {time.perf_counter() - started:.0f} s)")
    contenders = [n for n in methods if correct[n] and methods[n][0] != "project"]
    if contenders:
        best = min(contenders, key=scans.get)
        print(f"fastest correct method: {best} ({scans[best] * 1000:.1f} ms per ~300 KB scan)")
    else:
        print("fastest correct method: none of the bare scans matched the project's result")
    return 0


if __name__ == "__main__":
    sys.exit(main())
