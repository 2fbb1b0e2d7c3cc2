"""Gold annotations in one shape, whatever corpus they come from, and the
loader for quotetrail's own hand-made gold files (*.gold.json beside *.txt)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Mapping
from typing import Any, cast

from ..model import Span
from .kinds import KINDS, GoldKind, is_thought_cue


@dataclass(frozen=True)
class GoldQuote:
    kind: GoldKind
    text: str
    start: int
    end: int
    speaker: str | None  # canonical name, or the Source words for mention-based corpora
    cue: str | None
    # None where the corpus does not annotate the reporting outlet (PolNeAR).
    reported_by: tuple[str, ...] | None = None
    # Pieces of a discontinuous span, in text order; empty when the span is whole.
    fragments: tuple[tuple[int, int], ...] = ()
    speaker_aliases: tuple[str, ...] = ()
    # Where the speaker is named in the text (mention-based gold only).
    speaker_spans: tuple[tuple[int, int], ...] = ()
    cue_spans: tuple[tuple[int, int], ...] = ()
    thought: bool = False
    # False for a quote of a reference text that the text scored lost (a page's
    # extraction dropped it): a miss that no prediction can match.
    located: bool = True

    @property
    def pieces(self) -> tuple[tuple[int, int], ...]:
        return self.fragments or ((self.start, self.end),)


@dataclass(frozen=True)
class GoldArticle:
    name: str
    corpus: str
    text: str
    quotes: tuple[GoldQuote, ...]
    # Predictions overlapping these are neither rewarded nor penalised.
    optional_quotes: tuple[GoldQuote, ...] = ()
    # None where the corpus does not annotate page furniture.
    furniture: tuple[Span, ...] | None = None
    # Per annotator file: role ("source", "cue", "content") -> its span pieces
    # (evaluate/roles.py); empty where the corpus does not annotate roles.
    role_spans: tuple[Mapping[str, frozenset[tuple[int, int]]], ...] = ()


def locate(text: str, needle: str, after: int, taken: set[int]) -> int:
    """First occurrence at or after `after`, else anywhere, skipping places
    `taken` by an identical quote already; -1 when there is none."""
    for origin in (after, 0):
        position = text.find(needle, origin)
        while position in taken:
            position = text.find(needle, position + 1)
        if position >= 0:
            return position
    return -1


def check_kind(value: Any, where: str) -> GoldKind:
    if value not in KINDS:
        raise ValueError(f"{where}: kind must be one of {KINDS}, got {value!r}")
    return cast(GoldKind, value)


def _gold_quotes(text: str, items: list[dict[str, Any]], aliases: dict[str, tuple[str, ...]],
                 where: str) -> tuple[GoldQuote, ...]:
    quotes: list[GoldQuote] = []
    previous = 0
    for number, item in enumerate(items):
        start = locate(text, item["text"], previous,
                       {quote.start for quote in quotes if quote.text == item["text"]})
        if start < 0:
            raise ValueError(f"{where}: quote {number} not found in the text: {item['text']!r}")
        previous = start
        speaker = item.get("speaker")
        reported = item.get("reported_by")
        quotes.append(GoldQuote(
            kind=check_kind(item["kind"], f"{where}: quote {number}"),
            text=item["text"],
            start=start,
            end=start + len(item["text"]),
            speaker=speaker,
            cue=item.get("cue"),
            reported_by=None if reported is None else tuple(reported),
            speaker_aliases=aliases.get(speaker, ()) if speaker else (),
            thought=is_thought_cue(item.get("cue")),
        ))
    return tuple(quotes)


def _furniture(text: str, lines: list[str], where: str) -> tuple[Span, ...]:
    spans: list[Span] = []
    previous = 0
    for line in lines:
        # Whole lines only: "Also read" must not match inside a sentence.
        pattern = re.compile(r"^" + re.escape(line.strip()) + r"[ \t]*$", re.MULTILINE)
        found = pattern.search(text, previous) or pattern.search(text)
        if found is None:
            raise ValueError(f"{where}: furniture line not found: {line!r}")
        previous = found.end()
        spans.append(Span(found.start(), found.end(), found.group()))
    return tuple(spans)


def load_gold_json(path: Path, corpus: str = "quotetrail-gold") -> GoldArticle:
    """Read NAME.gold.json and the NAME.txt beside it."""
    name = path.name.removesuffix(".gold.json")
    text_path = path.with_name(name + ".txt")
    data = json.loads(path.read_text(encoding="utf-8"))
    text = text_path.read_text(encoding="utf-8")
    aliases = {entity: tuple(info.get("aliases", ())) for entity, info in data.get("entities", {}).items()}
    where = str(path)
    furniture = data.get("furniture_lines")
    return GoldArticle(
        name=name,
        corpus=corpus,
        text=text,
        quotes=_gold_quotes(text, data.get("quotes", []), aliases, where),
        optional_quotes=_gold_quotes(text, data.get("optional_quotes", []), aliases, where),
        furniture=None if furniture is None else _furniture(text, furniture, where),
    )
