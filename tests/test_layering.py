"""What the import-linter contracts in pyproject.toml cannot say: what a real import loads at run time.

`lint-imports` (run by `make test`) checks the import graph statically, lazy imports included, but
leaves out the package root, whose `create_app` is imported only on first use.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import glossary

PURE_LAYERS = ("core", "sources", "render", "editorial")


def pure_modules() -> list[str]:
    """Return the package root and every module of the layers below the store, found by file."""
    root = Path(glossary.__file__).parent
    names = ["glossary"]
    for layer in PURE_LAYERS:
        for path in sorted((root / layer).rglob("*.py")):
            parts = path.relative_to(root.parent).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_importing_the_pure_layers_and_the_package_root_loads_neither_flask_nor_sqlalchemy():
    names = pure_modules()
    assert "glossary.core.annotator" in names and "glossary.editorial.exchange.tbx" in names
    code = (
        "import sys\n"
        f"for name in {names!r}: __import__(name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'flask', 'sqlalchemy', 'werkzeug', 'alembic'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
