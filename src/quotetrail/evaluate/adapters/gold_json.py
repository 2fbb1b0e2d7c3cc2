"""quotetrail's own gold: one NAME.gold.json beside NAME.txt, or a folder of them."""
from __future__ import annotations

from pathlib import Path

from ..gold import GoldArticle, load_gold_json

NAME = "quotetrail-gold"
SUFFIX = ".gold.json"


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path] if path.name.endswith(SUFFIX) else []
    return sorted(path.glob("*" + SUFFIX))


def accepts(path: Path) -> bool:
    return bool(_files(path))


def load(path: Path) -> list[GoldArticle]:
    return [load_gold_json(file, NAME) for file in _files(path)]
