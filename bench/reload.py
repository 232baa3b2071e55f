"""Measure a server's reload of a 50,000-term glossary from the store, as LiveGlossary does it.

Syncs a synthetic glossary (bench/annotate.py's generator) into a SQLite
store, loads and compiles it as a worker holds it (matcher and index order),
then, for each kind of edit, syncs the edit and times the reload: the store's
load_glossary with the glossary in use as `previous`, then CompiledGlossary(new,
previous=in use).warm(). Prints the median and the fastest of the rounds
(CPU time), and whether the automaton was shared.

    python bench/reload.py [--terms 50000] [--repeat 7] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from annotate import make_terms

from glossary.core.compiled import CompiledGlossary
from glossary.core.model import Glossary, Term
from glossary.store import Store


def glossary_of(terms, revision: int, respelled: int = 0) -> Glossary:
    """Return the glossary with every 500th definition at `revision`, and the first `respelled` terms given an alias."""
    return Glossary(
        Term(id=tid, term=word, en=f"Term {tid}", tags=("bench",),
             definition=f"关于{word}的定义，第{revision if i % 500 == 0 else 0}版。",
             aliases=(*aliases, *((f"{word}{revision}号",) if i < respelled else ())))
        for i, (tid, word, aliases) in enumerate(terms)
    )


def reload(store: Store, in_use: CompiledGlossary) -> tuple[CompiledGlossary, float]:
    """Reload as LiveGlossary does; return the new compiled glossary and the CPU seconds it took."""
    start = time.process_time()
    new = CompiledGlossary(store.load_glossary(previous=in_use.glossary), previous=in_use).warm()
    return new, time.process_time() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    terms = make_terms(random.Random(args.seed), args.terms)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'reload.db'}")
        store.sync_glossary(glossary_of(terms, 0))
        start = time.process_time()
        in_use = CompiledGlossary(store.load_glossary()).warm()
        print(f"{len(in_use.glossary)} terms; first load and compile: {time.process_time() - start:.2f} s CPU")
        for kind, respelled in (("definitions only", 0), ("an alias added", 1)):
            took, shared = [], []
            for revision in range(1, args.repeat + 1):
                store.sync_glossary(glossary_of(terms, revision, respelled))
                new, seconds = reload(store, in_use)
                took.append(seconds)
                shared.append(new.matcher.longest is in_use.matcher.longest)
                in_use = new
            automaton = {"shared" if same else "rebuilt" for same in shared}
            print(f"reload, {kind}: median {statistics.median(took):.2f} s, fastest {min(took):.2f} s CPU "
                  f"({args.repeat} reloads); automaton {'/'.join(sorted(automaton))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
