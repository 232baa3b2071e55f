"""Record, then check, that annotating gives byte-identical output.

Speed work on the annotator must not change what it writes. This records
the full result (HTML, term counts, undefined phrases, glosses, front
matter, and the mentions `glossary sync` stores) of every articles/*.md in
every mode, with and without the link limit, through each entry point, and
of bench/annotate.py's articles (dense ones included) with its 50,000-term
glossary; then compares a later run with the recording.

    python bench/same_output.py record DIR
    python bench/same_output.py check DIR
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from annotate import make_article, make_dense_article, make_terms, write_terms  # noqa: E402

from glossary import annotate_markdown, load_glossary  # noqa: E402
from glossary.render import annotate_article, annotate_html, annotate_untrusted_markdown  # noqa: E402
from glossary.sources.articles import read_article  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MODES = ("bold", "first", "all")


def results() -> dict[str, str]:
    """Return name -> serialised result, for every case."""
    out: dict[str, str] = {}
    glossary = load_glossary(ROOT / "terms.yaml")
    cases = []
    for path in sorted((ROOT / "articles").glob("*.md")):
        article = read_article(path)
        cases.append((path.stem, path.read_text(encoding="utf-8"), article.body, glossary))
    rng = random.Random(7)
    terms = make_terms(rng, 50_000)
    with tempfile.TemporaryDirectory() as tmp:
        write_terms(Path(tmp) / "terms.yaml", terms)
        big = load_glossary(Path(tmp) / "terms.yaml")
    for name, text in {
        "bench-5KB": make_article(rng, terms, 5_000),
        "bench-300KB": make_article(rng, terms, 300_000),
        "bench-300KB-new-terms": make_article(rng, terms, 300_000, vocabulary=None),
        "dense-5KB": make_dense_article(random.Random(7), terms, 5_000),
        "dense-300KB": make_dense_article(random.Random(8), terms, 300_000),
    }.items():
        cases.append((name, text, text.split("---\n", 2)[2], big))
    for name, text, body, g in cases:
        for mode in MODES:
            for limit in ({}, {"max_links": 0}, {"max_links": 1}):
                tag = f"{name}/{mode}/{'max_links=' + str(limit['max_links']) if limit else 'default'}"
                out[f"{tag}/markdown"] = dump(annotate_markdown(text, g, mode, **limit))
                out[f"{tag}/markdown-no-ext"] = dump(annotate_markdown(text, g, mode, extensions=(), **limit))
                out[f"{tag}/article"] = dump(annotate_article(body, g, mode, **limit))
                out[f"{tag}/untrusted"] = dump(annotate_untrusted_markdown(text, g, mode, **limit))
                html = annotate_markdown(body, g, "bold", max_links=1).html if mode == "all" else None
                if html is not None:
                    # Annotating annotated HTML (lxml path) again.
                    out[f"{tag}/html-again"] = dump(annotate_html(html, g, mode, **limit))
        every = annotate_markdown(body, g, mode="all", max_links=0)
        # Shaped as the mentions the store keeps (and as articles.Mention was before issue 14).
        out[f"{name}/mentions"] = json.dumps(
            [{"term_id": t.id, "count": t.count, "snippet": every.snippets[t.id].text,
              "start": every.snippets[t.id].start, "end": every.snippets[t.id].end} for t in every.terms],
            ensure_ascii=False,
        )
    return out


def dump(result) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, sort_keys=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["record", "check"])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    now = results()
    if args.action == "record":
        args.folder.mkdir(parents=True, exist_ok=True)
        for name, text in now.items():
            (args.folder / (name.replace("/", "__") + ".json")).write_text(text, encoding="utf-8")
        print(f"recorded {len(now)} results in {args.folder}")
        return 0
    differ = []
    for name, text in now.items():
        recorded = (args.folder / (name.replace("/", "__") + ".json")).read_text(encoding="utf-8")
        if recorded != text:
            differ.append(name)
    digest = hashlib.sha256("".join(now.values()).encode()).hexdigest()[:12]
    if differ:
        print(f"{len(differ)} of {len(now)} results differ: " + ", ".join(differ[:20]))
        return 1
    print(f"all {len(now)} results byte-identical (digest {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
