"""The core: the Term and the Glossary, folding, matching, the annotator and its result.

Imports no other layer of the package (see [tool.importlinter] in pyproject.toml).
"""
