"""Turn scores into the results dict (the JSON file) and Markdown tables."""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .roles import ROLES
from .kinds import KINDS
from .scorer import Error, Score

WORST_ERRORS = 15
_TEXT_WIDTH = 160

# (column title, keys into a tool's figures)
_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("exact P", ("quotes_exact", "precision")),
    ("exact R", ("quotes_exact", "recall")),
    ("exact F1", ("quotes_exact", "f1")),
    ("overlap P", ("quotes_overlap", "precision")),
    ("overlap R", ("quotes_overlap", "recall")),
    ("overlap F1", ("quotes_overlap", "f1")),
    ("quote+speaker P", ("quote_and_speaker", "precision")),
    ("quote+speaker R", ("quote_and_speaker", "recall")),
    ("quote+speaker F1", ("quote_and_speaker", "f1")),
    ("quotations q+s P", ("quotations_quote_and_speaker", "precision")),
    ("quotations q+s R", ("quotations_quote_and_speaker", "recall")),
    ("quotations q+s F1", ("quotations_quote_and_speaker", "f1")),
    ("speaker acc", ("speaker_accuracy", "value")),
    ("cue acc", ("cue_accuracy", "value")),
    ("reported_by acc", ("reported_by_accuracy", "value")),
    ("kind acc", ("kind_accuracy", "value")),
    ("R without thought cues", ("recall_without_thought", "value")),
    ("furniture F1", ("furniture", "f1")),
)


def worst_errors(errors: Sequence[Error], count: int = WORST_ERRORS) -> list[Error]:
    """The longest errors of each category in turn, so that a few long missed
    quotes cannot hide every false positive or wrong speaker."""
    queues = [sorted((error for error in errors if error.category == category),
                     key=lambda error: -error.words)
              for category in ("missed", "not_in_extracted_text", "false_positive", "wrong_speaker")]
    chosen: list[Error] = []
    while len(chosen) < count and any(queues):
        for queue in queues:
            if queue and len(chosen) < count:
                chosen.append(queue.pop(0))
    return chosen


def tool_result(score: Score, seconds: float, failures: Sequence[str]) -> dict[str, Any]:
    return {
        "figures": score.figures(),
        "seconds": seconds,
        "articles_per_second": score.articles / seconds if seconds > 0 else None,
        "failed_articles": list(failures),
        "worst_errors": [asdict(error) for error in worst_errors(score.errors)],
        # All of them: each is a loss of the page extraction, not of the quote finder.
        "not_in_extracted_text": [asdict(error) for error in score.errors
                                  if error.category == "not_in_extracted_text"],
    }


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def _pick(figures: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = figures
    for key in path:
        if value is None:  # a metric the corpus or tool does not cover
            return None
        value = value[key]
    return value


def _cell(text: str | None) -> str:
    if text is None:
        return "–"
    flat = " ".join(text.split()).replace("|", "\\|")
    return flat if len(flat) <= _TEXT_WIDTH else flat[: _TEXT_WIDTH - 1] + "…"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + [
        "| " + " | ".join(row) + " |" for row in rows
    ]


def metrics_table(tools: dict[str, dict[str, Any]]) -> list[str]:
    header = ["tool", "articles/s"] + [title for title, _ in _COLUMNS]
    rows = []
    for name, result in tools.items():
        speed = result["articles_per_second"]
        rows.append([name, "–" if speed is None else f"{speed:.2f}"]
                    + [_percent(_pick(result["figures"], path)) for _, path in _COLUMNS])
    return _table(header, rows)


def kind_table(tools: dict[str, dict[str, Any]]) -> list[str]:
    """Per kind, overlap and quote+speaker; recall by gold kind, precision by predicted kind."""
    rows = []
    for name, result in tools.items():
        figures = result["figures"]
        lines = [(kind, figures["by_kind"][kind], figures["by_kind_quote_and_speaker"][kind]) for kind in KINDS]
        lines.append(("quotations", figures["quotations_overlap"], figures["quotations_quote_and_speaker"]))
        for kind, overlap, both in lines:
            rows.append([name, kind, str(overlap["gold"]), str(overlap["predicted"])]
                        + [_percent(overlap[key]) for key in ("precision", "recall", "f1")]
                        + [_percent(both[key]) for key in ("precision", "recall", "f1")])
    return _table(["tool", "kind", "gold", "predicted", "P", "R", "F1",
                   "quote+speaker P", "quote+speaker R", "quote+speaker F1"], rows)


def role_table(tools: dict[str, dict[str, Any]]) -> list[str]:
    """Per-role exact span P/R/F1, raw and with Content spans aligned (roles.py)."""
    rows = []
    for name, result in tools.items():
        figures = result["figures"]
        for role in ROLES:
            raw, aligned = figures["roles_exact"][role], figures["roles_aligned"][role]
            rows.append([name, role, str(raw["gold"]), str(raw["predicted"]), _percent(raw["precision"]),
                         _percent(raw["recall"]), _percent(raw["f1"]),
                         _percent(aligned["f1"]) if role == "content" else "–"])
    return _table(["tool", "role", "gold", "predicted", "P", "R", "exact F1", "aligned F1"], rows)


def reliability_table(tools: dict[str, dict[str, Any]]) -> list[str]:
    """Confidence against the share of quotes whose span and speaker were right."""
    rows = []
    for name, result in tools.items():
        for key, bucket in result["figures"]["reliability_by_confidence"].items():
            rows.append([name, key, str(bucket["quotes"]), _percent(bucket["mean_confidence"]),
                         _percent(bucket["precision"])])
        error = result["figures"]["expected_calibration_error"]
        rows.append([name, "ECE", "–", "–", "–" if error is None else f"{error:.3f}"])
    return _table(["tool", "confidence", "quotes", "mean confidence", "right (quote+speaker)"], rows)


def _has_roles(tools: dict[str, dict[str, Any]]) -> bool:
    return any(figures["gold"] for result in tools.values()
               for figures in result["figures"]["roles_exact"].values())


def _errors_table(errors: Sequence[dict[str, Any]]) -> list[str]:
    rows = [[str(number), error["category"], _cell(error["article"]), _cell(error["gold_speaker"]),
             _cell(error["predicted_speaker"]), _cell(error["text"])]
            for number, error in enumerate(errors, 1)]
    return _table(["#", "error", "article", "gold speaker", "predicted speaker", "text"], rows)


def _corpus_heading(name: str, corpus: dict[str, Any]) -> str:
    kinds = ", ".join(f"{kind} {count}" for kind, count in corpus["gold_by_kind"].items() if count)
    return f"## {name} ({corpus['articles']} articles, {corpus['gold_quotes']} gold attributions: {kinds})"


def render_tables(results: dict[str, Any]) -> str:
    """The figures alone, for the terminal."""
    lines: list[str] = []
    for name, corpus in results["corpora"].items():
        lines += [_corpus_heading(name, corpus), ""]
        lines += [*metrics_table(corpus["tools"]), "", *kind_table(corpus["tools"]), ""]
        lines += [f"{tool}: {len(result['not_in_extracted_text'])} gold quotes not in extracted text (missed)"
                  for tool, result in corpus["tools"].items() if result["not_in_extracted_text"]]
        if _has_roles(corpus["tools"]):
            lines += [*role_table(corpus["tools"]), ""]
        lines += [*reliability_table(corpus["tools"]), ""]
    for tool, reason in results["skipped_tools"].items():
        lines.append(f"skipped {tool}: {reason}")
    return "\n".join(lines).rstrip() + "\n"


_ABOUT = """\
Figures are percentages, micro-averaged over articles. Quotes are matched one
to one, best pair first, ignoring kind. *exact*: the same span once whitespace,
punctuation and quote marks are stripped from its ends. *overlap*: the pair
shares at least half the words of the longer of the two. Everything after the
exact columns uses overlap matches. *quote+speaker* needs an overlap match and
the right speaker. Attributions are of six kinds (evaluate/kinds.py; gold
kinds come from the gold, never from a prediction): direct, mixed and
indirect are *quotations*; stance, belief and no_comment the rest. The
whole score counts every kind; *quotations q+s* counts quotations only. Accuracies are over matched quotes (cue: those with a gold
cue; reported_by: where the corpus annotates it). *R without thought cues*
leaves out gold quotes whose cue is a thought or intention (believe, want,
plan...). Per kind, recall goes by the gold kind and precision by the
predicted kind (a match across kinds is found in the gold kind's row and
correct in the predicted kind's row); *quotations* sums the three rows. Predictions overlapping an optional gold quote are ignored.
*Per role* (corpora that annotate Source, Cue and Content): exact span
P/R/F1 per role over every annotator file, as the PolNeAR literature scores
it; *aligned* Content strips quote marks, edge punctuation and a leading
"that" from both sides first (evaluate/roles.py). *Reliability*: predicted
quotes by confidence, and the share whose span and speaker were right;
ECE, the expected calibration error, is their mean gap weighted by count.
"""


def render_markdown(results: dict[str, Any]) -> str:
    lines = ["# quotetrail evaluation", "", _ABOUT]
    for name, corpus in results["corpora"].items():
        lines += [_corpus_heading(name, corpus), "", "Sources: " + ", ".join(corpus["sources"]), ""]
        lines += [*metrics_table(corpus["tools"]), "", "### By kind", "", *kind_table(corpus["tools"])]
        if _has_roles(corpus["tools"]):
            lines += ["", "### Per role (exact span)", "", *role_table(corpus["tools"])]
        lines += ["", "### Reliability", "", *reliability_table(corpus["tools"])]
        for tool, result in corpus["tools"].items():
            lines += ["", f"### {tool}: {len(result['worst_errors'])} worst errors", ""]
            lines += _errors_table(result["worst_errors"])
            if result["not_in_extracted_text"]:
                lines += ["", f"### {tool}: {len(result['not_in_extracted_text'])} gold quotes not in extracted "
                          "text (counted as missed)", "", *_errors_table(result["not_in_extracted_text"])]
            if result["failed_articles"]:
                lines += ["", f"Failed on {len(result['failed_articles'])} articles (scored as empty): "
                          + ", ".join(result["failed_articles"])]
        lines.append("")
    if results["skipped_tools"]:
        lines += ["## Skipped tools", ""]
        lines += [f"- {tool}: {reason}" for tool, reason in results["skipped_tools"].items()]
    return "\n".join(lines).rstrip() + "\n"


def write_report(results: dict[str, Any], folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    markdown, figures = folder / "report.md", folder / "results.json"
    markdown.write_text(render_markdown(results), encoding="utf-8")
    figures.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return markdown, figures
