"""Corpus adapters: each turns one corpus layout into GoldArticles.

Adding a corpus means one module here with NAME, accepts() and load(), and
one entry in ADAPTERS; the scorer never learns where gold came from.
"""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

from ..gold import GoldArticle
from . import gold_json, polnear


class CorpusAdapter(Protocol):
    NAME: str

    def accepts(self, path: Path) -> bool: ...

    def load(self, path: Path) -> list[GoldArticle]: ...


ADAPTERS: tuple[CorpusAdapter, ...] = (gold_json, polnear)


def find_adapter(path: str | Path) -> CorpusAdapter:
    where = Path(path)
    if not where.exists():
        raise FileNotFoundError(f"no such gold file or corpus folder: {where}")
    for adapter in ADAPTERS:
        if adapter.accepts(where):
            return adapter
    names = ", ".join(adapter.NAME for adapter in ADAPTERS)
    raise ValueError(f"{where}: not a gold file or corpus that an adapter reads ({names})")


def load_gold(path: str | Path) -> list[GoldArticle]:
    return find_adapter(path).load(Path(path))


__all__ = ["ADAPTERS", "CorpusAdapter", "find_adapter", "load_gold"]
