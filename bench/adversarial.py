"""Time against size for the inputs that made Python-Markdown super-linear (issue 13).

For each pattern, sizes from 1 KB to 1 MB in steps of 4x, through two paths:

- plain: Python-Markdown alone, with the site's extensions (what the
  project ran before `glossary.render.mdlimits`);
- bounded: `annotate_untrusted_markdown`, the API's whole path (Markdown with
  `Bounds`, the allow-list, the annotator), in bold mode (the table in all).

A path's series stops after the first size that takes more than --stop
seconds. Times are CPU seconds of this process (`time.process_time`), one
run per size; "ratio" is the time against the previous size's (4x the
input: about 4 for linear work, 16 for quadratic).

    python bench/adversarial.py [--stop 3] [--largest 1048576] [--only '[' ...]
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

import markdown

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from glossary import NestingError, load_glossary  # noqa: E402
from glossary.render import MARKDOWN_EXTENSIONS, annotate_untrusted_markdown  # noqa: E402

TERMS = Path(__file__).resolve().parent.parent / "terms.yaml"
COLUMNS = 50


def run_of(piece: str, tail: str = ""):
    return lambda size: (piece * (size // len(piece) + 1))[:size - len(tail)] + tail


def table(words: list[str]):
    head = "|" + "|".join(f"列{i}" for i in range(COLUMNS)) + "|\n|" + "---|" * COLUMNS + "\n"

    def make(size: int) -> str:
        rows, total, row = [head], len(head), 0
        while total < size:
            line = "|" + "|".join(f"{words[(row + i) % len(words)]}与文字" for i in range(COLUMNS)) + "|\n"
            rows.append(line)
            total += len(line)
            row += 1
        return "".join(rows)

    return make


def patterns(words: list[str]) -> dict:
    """Return name -> (make(size) -> text, mode), the issue's inputs."""
    return {
        "[": (run_of("["), "bold"),
        "[a](": (run_of("[a]("), "bold"),
        "[a]( ... )": (run_of("[a](", ")"), "bold"),
        "<a ": (run_of("<a "), "bold"),
        "*_": (run_of("*_"), "bold"),
        "`a`": (run_of("`a`"), "bold"),
        "`a` (spaced)": (run_of("`a` "), "bold"),
        "- - - (rule)": (run_of("- "), "bold"),
        "- - - x (lists)": (run_of("- ", "x"), "bold"),
        f"table, {COLUMNS} columns": (table(words), "all"),
    }


def plain_path():
    converter = [markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS))]

    def run(text: str, _mode: str) -> None:
        converter[0].reset()
        try:
            converter[0].convert(text)
        except RecursionError:
            # Python-Markdown's state is left half-changed: a fresh converter.
            converter[0] = markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS))

    return run


def bounded_path(glossary):
    def run(text: str, mode: str) -> None:
        # A refusal (NestingError: the API's 400 too-deep) is an answer too.
        with contextlib.suppress(NestingError):
            annotate_untrusted_markdown(text, glossary, mode)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stop", type=float, default=3.0, help="seconds after which a series stops")
    parser.add_argument("--largest", type=int, default=1 << 20, help="largest size in characters")
    parser.add_argument("--only", nargs="*", help="names of the patterns to run")
    args = parser.parse_args()
    glossary = load_glossary(TERMS)
    paths = {"plain": plain_path(), "bounded": bounded_path(glossary)}
    sizes = []
    size = 1024
    while size <= args.largest:
        sizes.append(size)
        size *= 4
    print(f"{'pattern':24} {'path':8} " + " ".join(f"{_label(s):>14}" for s in sizes))
    for name, (make, mode) in patterns([t.term for t in glossary]).items():
        if args.only and name not in args.only:
            continue
        for path, run in paths.items():
            cells, previous = [], None
            for size in sizes:
                text = make(size)
                started = time.process_time()
                run(text, mode)
                seconds = time.process_time() - started
                ratio = f"({seconds / previous:.1f})" if previous else ""
                cells.append(f"{seconds:7.3f}{ratio:>7}")
                previous = max(seconds, 1e-4)
                if seconds > args.stop:
                    break
            cells += ["—".rjust(14)] * (len(sizes) - len(cells))
            print(f"{name:24} {path:8} " + " ".join(f"{c:>14}" for c in cells), flush=True)


def _label(size: int) -> str:
    return f"{size // 1024} KB" if size < 1 << 20 else f"{size >> 20} MB"


if __name__ == "__main__":
    main()
