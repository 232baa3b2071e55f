"""The code produces what tests/golden/ recorded: annotated articles, /api/annotate answers and reader pages.

A difference fails with a unified diff. When it is intended, record again
with `python tests/golden/record.py` and say in the commit message what
changed and why (see tests/golden/record.py and the README).
"""

from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"


def _load_recorder():
    # record.py is a script in a data folder, not a package: load it by path.
    spec = importlib.util.spec_from_file_location("golden_record", GOLDEN / "record.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


recorder = _load_recorder()
RERECORD = "python tests/golden/record.py"


@pytest.fixture(scope="module")
def produced() -> dict[str, str]:
    """Return every golden file's text as the code produces it now (made once: the app and sync are shared)."""
    return recorder.produce()


def first_difference(expected: str, actual: str) -> str:
    """Return where the first differing line pair differs, with context: long lines hide it in a diff."""
    for number, (old, new) in enumerate(zip(expected.splitlines(), actual.splitlines(), strict=False), 1):
        if old != new:
            differs = (i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b)
            column = next(differs, min(len(old), len(new)))
            start = max(0, column - 80)
            return (f"first difference: line {number}, column {column + 1}\n"
                    f"  recorded: ...{old[start:column + 80]!r}\n"
                    f"  produced: ...{new[start:column + 80]!r}")
    return "the files differ in their number of lines"


@pytest.mark.parametrize("name", recorder.names())
def test_output_matches_golden_file(name, produced):
    path = GOLDEN / name
    assert path.is_file(), f"tests/golden/{name} is not recorded: run {RERECORD}"
    expected = path.read_text(encoding="utf-8")
    actual = produced[name]
    if actual != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True),
            fromfile=f"tests/golden/{name} (recorded)", tofile=f"{name} (produced now)",
        ))
        pytest.fail(f"{diff}\n{first_difference(expected, actual)}\n\nIf the change is intended, run {RERECORD} "
                    "and explain the difference in the commit message.", pytrace=False)


def test_no_golden_file_is_left_that_nothing_produces():
    stale = sorted(set(recorder.recorded()) - set(recorder.names()))
    assert not stale, f"golden files no case produces (run {RERECORD} to delete them): {stale}"
