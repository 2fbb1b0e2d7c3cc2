"""Gold annotations in one shape, whatever corpus they come from, and the
loader for quotetrail's own hand-made gold files (*.gold.json beside *.txt)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast, get_args

from ..model import QuoteKind, Span

OPEN_DOUBLE = "“\"«"
CLOSE_DOUBLE = "”\"»"
# Single marks count only as a ‘pair’: a lone ’ is far more often an apostrophe.
_SINGLE_PAIR = re.compile(r"(?<!\w)‘\w.*?’(?!\w)", re.DOTALL)

# Cues that attribute a thought, wish or plan rather than speech. PolNeAR counts
# these as attributions; a quotation tool is not meant to find them.
THOUGHT_LEMMAS = frozenset(
    "believe belief think thought want hope expect expectation fear feel know knowledge plan "
    "intend intention seem appear wish worry suspect suspicion assume assumption doubt "
    "consider guess imagine understand realize realise suppose aim prefer desire view opinion".split()
)
_IRREGULAR = {"knew": "know", "known": "know", "felt": "feel", "understood": "understand"}


@dataclass(frozen=True)
class GoldQuote:
    kind: QuoteKind
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


def cue_words(cue: str) -> list[str]:
    return re.findall(r"\w+", cue.casefold())


def _base_forms(word: str) -> set[str]:
    """Crude inflection stripping: enough to tell 'believes', 'planned' or
    'worried' from 'said' without a tagger."""
    forms = {word, _IRREGULAR.get(word, word)}
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""),
                                ("ed", "e"), ("d", ""), ("ing", ""), ("ing", "e")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)] + replacement
            forms.add(stem)
            if len(stem) > 2 and stem[-1] == stem[-2]:  # planned, planning
                forms.add(stem[:-1])
    return forms


def is_thought_cue(cue: str | None) -> bool:
    return cue is not None and any(_base_forms(word) & THOUGHT_LEMMAS for word in cue_words(cue))


def kind_of(text: str, start: int, end: int) -> QuoteKind:
    """'direct' when one pair of double marks encloses the whole span (a mark
    just outside the span counts: annotators often leave it out), 'mixed' when
    the span holds quote marks, else 'indirect'."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:!?"):
        end -= 1
    if start > 0 and text[start - 1] in OPEN_DOUBLE and text[start] not in OPEN_DOUBLE:
        start -= 1
    if end < len(text) and text[end] in CLOSE_DOUBLE and text[end - 1] not in CLOSE_DOUBLE:
        end += 1
    span = text[start:end]
    if len(span) >= 2 and span[0] in OPEN_DOUBLE and span[-1] in CLOSE_DOUBLE:
        closing = CLOSE_DOUBLE[OPEN_DOUBLE.index(span[0])]
        if closing not in span[1:-1]:
            return "direct"
    if any(mark in span for mark in OPEN_DOUBLE + CLOSE_DOUBLE) or _SINGLE_PAIR.search(span):
        return "mixed"
    return "indirect"


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


def check_kind(value: Any, where: str) -> QuoteKind:
    if value not in get_args(QuoteKind):
        raise ValueError(f"{where}: kind must be one of {get_args(QuoteKind)}, got {value!r}")
    return cast(QuoteKind, value)


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
