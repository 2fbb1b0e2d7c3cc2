"""Attribute stage: find every quotation and the frame that attributes it."""
from __future__ import annotations

from spacy.tokens import Doc

from ..clean import CleanText
from ..model import Attribution
from .direct import direct_attributions
from .indirect import indirect_attributions
from .quote_marks import find_marked_spans

def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def find_attributions(doc: Doc, cleaned: CleanText) -> list[Attribution]:
    paragraphs = cleaned.of_kind("paragraph")
    bounds = [(block.start, block.end) for block in paragraphs]
    marked = find_marked_spans(cleaned.text, paragraphs)
    paragraph_of = {i: index for index, tokens in enumerate(cleaned.paragraph_tokens(doc)) for i in tokens}
    quoted: set[int] = set()
    for span in marked:
        inside = doc.char_span(span.start, span.end, alignment_mode="contract")
        if inside is not None:
            quoted.update(range(inside.start, inside.end))

    quotes = direct_attributions(doc, cleaned.text, marked, bounds)
    for indirect in indirect_attributions(doc, paragraph_of, quoted):
        overlapping = [q for q in quotes if _overlap(q.start, q.end, indirect.start, indirect.end) > 0]
        # A clause that holds a direct quote is that quote's frame, not a second quotation.
        framed = [q for q in overlapping if q.kind == "direct"]
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
