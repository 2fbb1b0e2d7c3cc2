"""Corpus adapters: each turns one corpus layout into GoldArticles.

Adding a corpus means one module here with NAME, accepts() and load(), and
one entry in ADAPTERS; the scorer never learns where gold came from.
"""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

from ..gold import GoldArticle
from . import gold_json, polnear, realpages


class CorpusAdapter(Protocol):
    NAME: str

    def accepts(self, path: Path) -> bool: ...

    def load(self, path: Path) -> list[GoldArticle]: ...


# realpages before gold_json: both read *.gold.json, realpages only those naming a page.
ADAPTERS: tuple[CorpusAdapter, ...] = (realpages, gold_json, polnear)


def find_adapter(path: str | Path) -> CorpusAdapter:
    where = Path(path)
    if not where.exists():
        raise FileNotFoundError(f"no such gold file or corpus folder: {where}")
    for adapter in ADAPTERS:
        if adapter.accepts(where):
            return adapter
    names = ", ".join(adapter.NAME for adapter in ADAPTERS)
    raise ValueError(f"{where}: not a gold file or corpus that an adapter reads ({names})")


def load_gold(path: str | Path, pages: str | Path | None = None) -> list[GoldArticle]:
    """`pages`: where the saved pages of a realpages corpus are (default: found beside it)."""
    adapter = find_adapter(path)
    if adapter is realpages:
        return realpages.load(Path(path), Path(pages) if pages else None)
    return adapter.load(Path(path))


__all__ = ["ADAPTERS", "CorpusAdapter", "find_adapter", "load_gold"]
