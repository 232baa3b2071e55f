"""Views parse, call and render: none in glossary/web is longer than MOST_LINES, its docstring not counted."""

from __future__ import annotations

import ast
from pathlib import Path

import glossary.web

MOST_LINES = 30
# What Flask registers a function with: routes, error handlers, request hooks, template globals.
REGISTRARS = frozenset({
    "route", "get", "post", "put", "patch", "delete", "errorhandler", "app_errorhandler", "before_request",
    "after_request", "before_app_request", "after_app_request", "app_template_global", "app_template_filter",
})
# Decorators that make a function a view's body (web.service.cached serves a page view from the cache).
VIEW_DECORATORS = frozenset({"cached"})


def _decorator_name(decorator: ast.expr) -> str | None:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Name):
        return target.id
    return None


def is_view(function: ast.FunctionDef) -> bool:
    """Tell whether Flask calls `function` for a request (a route, a handler, a hook) or it is a cached view."""
    names = {_decorator_name(d) for d in function.decorator_list}
    return bool(names & REGISTRARS or names & VIEW_DECORATORS)


def length(function: ast.FunctionDef) -> int:
    """Return the lines of `function` from its `def` to its end, its docstring left out."""
    lines = function.end_lineno - function.lineno + 1
    first = function.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        lines -= first.end_lineno - first.lineno + 1
    return lines


def views() -> dict[str, int]:
    """Return the length of every view in glossary/web, by `module.function`."""
    found = {}
    for path in sorted(Path(glossary.web.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and is_view(node):
                found[f"{path.stem}.{node.name}"] = length(node)
    return found


def test_views_are_found_in_every_module_that_has_them():
    found = views()
    for name in ("api.annotate", "api.health", "views.terms", "views._published_article", "editor.editor",
                 "editor.require_token", "problems.problem_page", "views.store_unavailable"):
        assert name in found, name


def test_no_view_is_longer_than_thirty_lines():
    long = {name: lines for name, lines in views().items() if lines > MOST_LINES}
    assert not long, f"views longer than {MOST_LINES} lines (docstring not counted): {long}"
