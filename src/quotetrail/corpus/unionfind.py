"""Union-find over hashable keys: speaker identities joined by merges, quotation
clusters joined by near-duplicates."""
from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)


class UnionFind(Generic[Key]):
    """Disjoint sets; the root of a merge is its target's root."""

    def __init__(self) -> None:
        self.parent: dict[Key, Key] = {}

    def find(self, key: Key) -> Key:
        root = key
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while key != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def merge(self, key: Key, into: Key) -> None:
        source, target = self.find(key), self.find(into)
        if source != target:
            self.parent[source] = target


__all__ = ["UnionFind"]
