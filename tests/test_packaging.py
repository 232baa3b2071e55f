"""pyproject.toml ships every file under glossary/, so `pip install` leaves nothing out and warns of nothing."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatchcase
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
PACKAGE = PROJECT / "glossary"


def setuptools_config() -> dict:
    return tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def dotted(folder: Path) -> str:
    return ".".join(folder.relative_to(PROJECT).parts)


def shipped_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def declared_packages() -> set[str]:
    """Return the packages setuptools builds: an explicit list, or what `packages.find` discovers."""
    packages = setuptools_config()["packages"]
    if isinstance(packages, list):
        return set(packages)
    find = packages["find"]
    include, exclude = find.get("include", ["*"]), find.get("exclude", [])
    # As setuptools' finder: every folder (namespace packages too, the
    # default in pyproject.toml) whose dotted name an include pattern
    # matches and no exclude pattern does.
    assert find.get("namespaces", True), "without namespace packages, folders with no __init__.py are left out"
    names = {dotted(f) for f in [PACKAGE, *PACKAGE.rglob("*")] if f.is_dir()}
    return {n for n in names if any(fnmatchcase(n, p) for p in include) and not any(fnmatchcase(n, p) for p in exclude)}


def test_every_folder_with_files_under_glossary_is_a_declared_package():
    # setuptools warns "Package would be ignored" for each folder left out.
    folders = {dotted(f.parent) for f in shipped_files()}
    assert folders - declared_packages() == set()


def test_every_file_that_is_not_a_module_is_package_data():
    package_data = setuptools_config().get("package-data", {})

    def covered(path: Path) -> bool:
        # A pattern of package P matches the file's path relative to P's folder.
        for package, patterns in package_data.items():
            base = PROJECT.joinpath(*package.split("."))
            if base in path.parents:
                relative = path.relative_to(base).as_posix()
                if any(fnmatchcase(relative, pattern) for pattern in patterns):
                    return True
        return False

    assert [str(p.relative_to(PROJECT)) for p in shipped_files() if p.suffix != ".py" and not covered(p)] == []
