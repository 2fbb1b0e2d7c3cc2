"""Attribute stage: find every quotation and the frame that attributes it."""
from __future__ import annotations

from spacy.tokens import Doc

from ..clean import CleanText
from ..model import Attribution
from .direct import direct_attributions
from .indirect import indirect_attributions
from .quote_marks import find_marked_spans

OVERLAP_TO_MERGE = 0.5


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def find_attributions(doc: Doc, cleaned: CleanText) -> list[Attribution]:
    paragraphs = cleaned.of_kind("paragraph")
    bounds = [(block.start, block.end) for block in paragraphs]
    marked = find_marked_spans(doc.text, paragraphs)
    paragraph_of: dict[int, int] = {}
    quoted: set[int] = set()
    block_index = 0
    for token in doc:
        while block_index < len(bounds) and bounds[block_index][1] <= token.idx:
            block_index += 1
        if block_index < len(bounds) and bounds[block_index][0] <= token.idx:
            paragraph_of[token.i] = block_index
    mark_index = 0
    for token in doc:
        while mark_index < len(marked) and marked[mark_index].close_end <= token.idx:
            mark_index += 1
        if mark_index < len(marked) and marked[mark_index].start <= token.idx < marked[mark_index].end:
            quoted.add(token.i)

    quotes = direct_attributions(doc, marked, bounds)
    for indirect in indirect_attributions(doc, paragraph_of, quoted):
        length = indirect.end - indirect.start
        overlapping = [q for q in quotes if _overlap(q.start, q.end, indirect.start, indirect.end) > 0]
        framed = [q for q in overlapping if q.kind == "direct"
                  and _overlap(q.start, q.end, indirect.start, indirect.end) >= OVERLAP_TO_MERGE * length]
        if framed:
            for quote in framed:  # the cue frames a direct quote; give it the frame
                if quote.cue is None:
                    quote.cue, quote.cue_token = indirect.cue, indirect.cue_token
                    quote.subject_token, quote.inherits_speaker = indirect.subject_token, False
            continue
        partials = [q for q in overlapping if q.kind == "mixed"]
        for partial in partials:
            quotes.remove(partial)
            if partial.start >= indirect.start - 1 and partial.end <= indirect.end + 1:
                indirect.kind = "mixed"
                if indirect.end - indirect.start <= partial.end - partial.start + 2:
                    indirect.start, indirect.end = partial.start, partial.end
        if any(q.start == indirect.start and q.end == indirect.end for q in quotes):
            continue
        quotes.append(indirect)
    quotes.sort(key=lambda quote: (quote.start, quote.end))
    return quotes
