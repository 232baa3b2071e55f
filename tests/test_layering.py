"""What the import-linter contracts in pyproject.toml cannot say.

`lint-imports` (run by `make test`) checks the layers statically, lazy imports included, but says
nothing of cycles inside a layer, and leaves out the package root, whose `create_app` is imported
only on first use. Checked here: no module imports itself back, through any chain of imports (in
functions too), and what a real import loads at run time.
"""

from __future__ import annotations

import ast
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


def package_modules(root: Path) -> dict[str, Path]:
    """Return every module of the package at `root` by its dotted name (a package by its __init__.py)."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def import_graph(root: Path) -> dict[str, set[str]]:
    """Return, for each module of the package at `root`, the package's modules it imports anywhere in its code.

    Every import statement counts: at the top, in functions, under `if TYPE_CHECKING`.
    `from package import name` leads to the module `package.name` when there is one, else to `package`.
    """
    modules = package_modules(root)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([node.module] if node.module else [])])
                targets.update(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                               for alias in node.names)
        edges = set()
        for target in targets:
            while target and target not in modules:  # `import glossary.core.model as m` and the like
                target = target.rpartition(".")[0]
            if target and target != name:
                edges.add(target)
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """Return one cycle of `graph` as the modules along it (the first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_import_graph_reads_imports_inside_functions_too():
    graph = import_graph(Path(glossary.__file__).parent)
    # Both only inside functions: the root's create_app, the serve command's use_store.
    assert "glossary.cli" in graph["glossary"]
    assert "glossary.web.app" in graph["glossary.cli"]


def test_no_module_imports_itself_back_through_any_chain_of_imports():
    cycle = find_cycle(import_graph(Path(glossary.__file__).parent))
    assert cycle is None, "import cycle: " + " -> ".join(cycle)
