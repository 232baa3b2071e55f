"""Editors' tools: harvesting glosses, the lint report, merging, editing terms.yaml, exchange formats."""
