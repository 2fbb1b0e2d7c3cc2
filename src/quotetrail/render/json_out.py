"""JSON and JSON Lines output: one object per article."""
from __future__ import annotations

import json

from ..model import Article


def render_json(articles: list[Article]) -> str:
    data = [article.to_dict() for article in articles]
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2) + "\n"


def render_jsonl(articles: list[Article]) -> str:
    return "".join(json.dumps(article.to_dict(), ensure_ascii=False) + "\n" for article in articles)
