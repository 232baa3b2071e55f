"""Measure the peak memory of reading a large terms.yaml, against the file's size.

Writes a synthetic glossary (500,000 terms by default) and runs, each in a
fresh process: `glossary check` on it, and `glossary.load_glossary` (what
sync and a following server do), printing each one's peak RSS as a
multiple of the file's size (target: within 10x) and its time.

    python bench/termfile_memory.py [--terms 500000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from annotate import make_terms, write_terms

TARGET = 10.0


def peak(command: list[str]) -> tuple[float, float]:
    """Run `command`; return (its peak RSS in MB, seconds)."""
    # RUSAGE_CHILDREN keeps the largest child's peak: each measurement gets a process of its own.
    probe = [sys.executable, "-c", (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, time.perf_counter() - t)"
    ), *command]
    out = subprocess.run(probe, check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    terms = make_terms(random.Random(args.seed), args.terms)
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "terms.yaml"
        write_terms(path, terms)
        size = path.stat().st_size / 2**20
        print(f"terms.yaml: {len(terms)} terms, {size:.1f} MiB")
        glossary = Path(sys.executable).parent / "glossary"
        for name, command in (
            ("glossary check", [str(glossary), "check", str(path)]),
            ("load_glossary", [sys.executable, "-c", f"import glossary; glossary.load_glossary({str(path)!r})"]),
        ):
            rss, seconds = peak(command)
            ratio = rss / size
            failed |= ratio > TARGET
            print(f"{name:15} peak RSS {rss:7.0f} MiB = {ratio:4.1f}x the file (target <= {TARGET:.0f}x), "
                  f"{seconds:5.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
