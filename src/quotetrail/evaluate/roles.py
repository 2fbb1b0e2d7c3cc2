"""Per-role exact span scoring, as the PolNeAR literature reports it (CofeNet,
Wang et al., COLING 2022): Source, Cue and Content spans each scored on their
own, a prediction right only when its span is exactly a gold span of that
role; every annotator file of an article is scored (the predictions once per
file), and a discontinuous gold span counts as its pieces.

Predicted spans: Content is each quote's span, Cue its cue's span, Source its
speaker's mention where that mention is the quote's own (not a speaker carried
over from an earlier sentence). Spans are compared after trimming whitespace.

Alignment (reported beside the raw figures): PolNeAR's Content includes the
quote marks and a leading "that", which quotetrail's rules leave out. Aligned
Content scoring strips, from both gold and predicted spans, surrounding
whitespace, punctuation and quote marks and one leading "that".
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .gold import GoldArticle

ROLES = ("source", "cue", "content")
RoleSpans = Mapping[str, frozenset[tuple[int, int]]]
# Speakers read off the quote's own frame; the rest come from earlier text.
OWN_MENTION = frozenset({"named", "alias", "pronoun", "title", "organisation", "description"})
_EDGE = "\"“”«»‘’'.,;:!?()[] \t\n\u00a0"
_THAT = re.compile(r"that\b\s*", re.IGNORECASE)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _strip_edges(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def align_content(text: str, start: int, end: int) -> tuple[int, int]:
    start, end = _strip_edges(text, start, end)
    if (that := _THAT.match(text, start, end)) is not None:
        start, end = _strip_edges(text, that.end(), end)
    return start, end


def _spans(text: str, spans: Iterable[tuple[int, int]], aligned: bool) -> frozenset[tuple[int, int]]:
    trimmer = align_content if aligned else trim
    return frozenset(span for start, end in spans if (span := trimmer(text, start, end))[0] < span[1])


def predicted_roles(predicted: Mapping[str, Any]) -> dict[str, list[tuple[int, int]]]:
    roles: dict[str, list[tuple[int, int]]] = {role: [] for role in ROLES}
    for quote in predicted.get("quotes", []):
        roles["content"].append((int(quote["start"]), int(quote["end"])))
        if quote.get("cue"):
            roles["cue"].append((int(quote["cue"]["start"]), int(quote["cue"]["end"])))
        speaker = quote.get("speaker")
        if speaker and speaker.get("resolved_by") in OWN_MENTION:
            roles["source"].append((int(speaker["start"]), int(speaker["end"])))
    return roles


def score_roles(article: GoldArticle, predicted: Mapping[str, Any],
                aligned: bool = False) -> dict[str, tuple[int, int, int]]:
    """role -> (gold, predicted, correct), summed over the article's annotator files."""
    text = article.text
    found = predicted_roles(predicted)
    counts = {role: (0, 0, 0) for role in ROLES}
    for annotation in article.role_spans:
        for role in ROLES:
            align = aligned and role == "content"
            gold = _spans(text, annotation.get(role, ()), align)
            guessed = _spans(text, found[role], align)
            g, p, c = counts[role]
            counts[role] = (g + len(gold), p + len(guessed), c + len(gold & guessed))
    return counts


__all__ = ["ROLES", "RoleSpans", "score_roles", "predicted_roles", "align_content"]
