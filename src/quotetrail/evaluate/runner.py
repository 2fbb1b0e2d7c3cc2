"""`quotetrail eval`: load gold, run each tool over it, score, report."""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from .adapters import load_gold
from .adapters.realpages import PagesUnavailable
from .gold import GoldArticle
from .kinds import KINDS
from .peers import Extractor, PeerMissingError, build_tool
from .report import render_tables, tool_result, write_report
from .scorer import Score, score_article

PROGRESS_FROM = 20  # articles; shorter runs finish before progress would help


def _load_corpora(paths: list[str], limit: int | None,
                  pages: str | None = None) -> dict[str, tuple[list[GoldArticle], list[str]]]:
    """Corpus name -> (articles, the paths they came from); `limit` caps each path.
    A corpus of saved pages whose pages are absent is skipped with the reason."""
    corpora: dict[str, tuple[list[GoldArticle], list[str]]] = {}
    for path in paths:
        try:
            articles = load_gold(path, pages)[:limit]
        except PagesUnavailable as error:
            print(f"skipping {error}", file=sys.stderr)
            continue
        for article in articles:
            corpora.setdefault(article.corpus, ([], []))[0].append(article)
        for corpus in {article.corpus for article in articles}:
            corpora[corpus][1].append(path)
    return corpora


def _run_tool(tool: str, extract: Extractor, corpus: str, articles: list[GoldArticle]) -> dict[str, Any]:
    total, seconds, failures = Score(), 0.0, []
    show_progress = len(articles) >= PROGRESS_FROM
    for number, article in enumerate(articles, 1):
        started = time.perf_counter()
        try:
            predicted = extract(article.text)
        except Exception as error:  # one article a tool chokes on must not end the run
            print(f"\n{tool} failed on {article.name}: {error!r}", file=sys.stderr)
            failures.append(article.name)
            predicted = {"quotes": []}
        seconds += time.perf_counter() - started
        total += score_article(article, predicted)
        if show_progress:
            print(f"\r{tool} on {corpus}: {number}/{len(articles)} articles",
                  end="" if number < len(articles) else "\n", file=sys.stderr, flush=True)
    return tool_result(total, seconds, failures)


def run_eval(paths: list[str], tools: list[str], report_dir: str | None = None,
             limit: int | None = None, pages: str | None = None) -> dict[str, Any]:
    """Score `tools` on every gold file or corpus in `paths`, print the figures
    and, given `report_dir`, write report.md and results.json there. A peer
    whose package is missing is skipped with its reason; the rest go on."""
    corpora = _load_corpora(paths, limit, pages)
    skipped: dict[str, str] = {}
    extractors: dict[str, Extractor] = {}
    for tool in tools:
        try:
            extractors[tool] = build_tool(tool)
        except PeerMissingError as error:
            print(f"skipping {tool}: {error}", file=sys.stderr)
            skipped[tool] = str(error)
    results: dict[str, Any] = {"corpora": {}, "skipped_tools": skipped}
    for corpus, (articles, sources) in corpora.items():
        results["corpora"][corpus] = {
            "articles": len(articles),
            "gold_quotes": sum(len(article.quotes) for article in articles),
            "gold_by_kind": {kind: sum(quote.kind == kind for article in articles for quote in article.quotes)
                             for kind in KINDS},
            "sources": sources,
            "tools": {tool: _run_tool(tool, extract, corpus, articles)
                      for tool, extract in extractors.items()},
        }
    print(render_tables(results))
    if report_dir is not None:
        for written in write_report(results, Path(report_dir)):
            print(f"wrote {written}", file=sys.stderr)
    return results
