"""Attribute stage: find every quotation and the frame that attributes it."""
from __future__ import annotations

import bisect
from collections import Counter

from spacy.tokens import Doc

from ..clean import CleanText
from ..model import QUOTATIONS, Attribution
from .direct import direct_attributions
from .indirect import indirect_attributions
from .kinds import CLOSE_MARKS, OPEN_MARKS
from .labels import label_attributions
from .quote_marks import find_marked_spans


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


class _Found:
    """The quotations found so far, indexed by start so that those overlapping a span are
    found by bisection (a long article holds thousands: comparing each with each is quadratic).
    Listing keeps the order in which they were added, which the merge below depends on."""

    def __init__(self, quotes: list[Attribution]) -> None:
        self._added: dict[int, Attribution] = {}  # insertion number -> quote
        self._number: dict[int, int] = {}  # id(quote) -> insertion number
        self._by_start: list[tuple[int, int]] = []  # (start, insertion number), sorted
        self._spans: Counter[tuple[int, int]] = Counter()
        self._count = 0  # quotes ever added
        self._longest = 0  # an upper bound on any quote's length, for the window below
        for quote in quotes:
            self.add(quote)

    def add(self, quote: Attribution) -> None:
        number = self._number[id(quote)] = self._count
        self._count += 1
        self._added[number] = quote
        bisect.insort(self._by_start, (quote.start, number))
        self._spans[quote.start, quote.end] += 1
        self._longest = max(self._longest, quote.end - quote.start)

    def remove(self, quote: Attribution) -> None:
        number = self._number[id(quote)]
        del self._added[number]
        del self._by_start[bisect.bisect_left(self._by_start, (quote.start, number))]
        self._spans[quote.start, quote.end] -= 1

    def overlapping(self, start: int, end: int) -> list[Attribution]:
        """Quotes sharing at least one character with start..end, in the order they were added."""
        first = bisect.bisect_left(self._by_start, (start - self._longest, -1))
        last = bisect.bisect_left(self._by_start, (end, -1))
        numbers = sorted(number for quote_start, number in self._by_start[first:last]
                         if _overlap(quote_start, self._added[number].end, start, end) > 0)
        return [self._added[number] for number in numbers]

    def has_span(self, start: int, end: int) -> bool:
        return self._spans[start, end] > 0

    def in_order(self) -> list[Attribution]:
        return sorted(self._added.values(), key=lambda quote: (quote.start, quote.end))


def _nested(inner: Attribution, outer: Attribution) -> bool:
    """Whether inner's cue lies inside outer's content: a frame of its own that outer reports."""
    return inner.cue is not None and outer.start <= inner.cue.start < outer.end and (
        outer.cue is None or outer.cue.start != inner.cue.start)


def _run_on_to_close(clause: Attribution, quotation: Attribution, earliest_start: int) -> None:
    """A clause that holds the opening of quoted words (starting from earliest_start) but ends
    before they close runs on to where they close."""
    if earliest_start <= quotation.start < clause.end < quotation.end:
        clause.end = quotation.end


def _runs_on_past(text: str, quote: Attribution, clause: Attribution) -> bool:
    """Whether a clause opens with a direct quote and runs on past its closing mark with words of
    its own, the quote not closing a sentence nor handing over with a comma ("“Many would consider
    that an embarrassment” if she lost, said X"; not "“…,” but in fact ..."): the quoted words
    are part of what the clause reports."""
    opening, closing = text[clause.start:quote.start], text[quote.end:clause.end]
    # The clause's own words right after the closing mark; not a comma handing over to a frame
    # ("«…», he added, which translates as …": the sentence around the frame).
    return (clause.start <= quote.start and not any(char.isalnum() for char in opening) and quote.end < clause.end
            and text[quote.start:quote.end].rstrip()[-1:] not in ".?!…"
            and closing[:1] in (*CLOSE_MARKS, "'") and closing.lstrip("'" + CLOSE_MARKS).lstrip()[:1].isalnum())


def _opening_mark(text: str, start: int) -> int:
    """Where the quotation mark opening the quoted words at start begins."""
    before = text[:start].rstrip()
    mark = next((mark for mark in ("``", "''", *OPEN_MARKS) if before.endswith(mark)), "")
    return len(before) - len(mark) if mark else start


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

    quotes = _Found(direct_attributions(doc, cleaned.text, marked, bounds))
    for indirect in indirect_attributions(doc, paragraph_of, quoted):
        overlapping = quotes.overlapping(indirect.start, indirect.end)
        if indirect.kind not in QUOTATIONS:
            # A stance, belief or refusal overlapping a quotation is part of its content, unless
            # the quotation is a fragment inside it ("believe they can bar those deemed “non-conducive”":
            # a thought in the speaker's words, the belief the gold rule makes of it).
            fragments = [quote for quote in overlapping if quote.kind == "mixed"
                         and indirect.start - 1 <= quote.start and quote.end <= indirect.end + 1]
            if len(fragments) == len(overlapping):
                for fragment in fragments:
                    quotes.remove(fragment)
                quotes.add(indirect)
            continue
        # A clause that holds a direct quote is that quote's frame, not a second quotation.
        framed = [q for q in overlapping if q.kind == "direct"]
        if len(framed) == 1 and _runs_on_past(cleaned.text, framed[0], indirect):
            # "“You squeezed them” to drive up the price, she said": the quoted words open the
            # clause the cue reports, and the clause is the content.
            quotes.remove(framed[0])
            indirect.kind = "mixed"
            indirect.start = min(indirect.start, _opening_mark(cleaned.text, framed[0].start))
            quotes.add(indirect)
            continue
        if framed:
            for quote in framed:  # the cue frames a direct quote; give it the frame
                if quote.cue is None:
                    quote.cue, quote.cue_token = indirect.cue, indirect.cue_token
                    quote.subject_token, quote.inherits_speaker = indirect.subject_token, False
            continue
        # A quotation whose cue lies inside this clause, or inside whose content this cue lies, is
        # an attribution nested in the other ("said the town lost a voice that said “…”"): both stand.
        partials = [q for q in overlapping if q.kind == "mixed" and not _nested(q, indirect) and not _nested(indirect, q)]
        for partial in partials:
            quotes.remove(partial)
            # "said he believes “A. B.”": the parse ends the clause with the first sentence of
            # the quoted words.
            _run_on_to_close(indirect, partial, indirect.start - 1)
            if partial.start >= indirect.start - 1 and partial.end <= indirect.end + 1:
                indirect.kind = "mixed"
                if indirect.end - indirect.start <= partial.end - partial.start + 2:
                    indirect.start, indirect.end = partial.start, partial.end
            elif partial.start <= indirect.start and indirect.end <= partial.end + 1:
                # the fragment's content holds the clause: "called [the plan “a costly folly”]"
                indirect.kind = "mixed"
                indirect.start, indirect.end = partial.start, max(partial.end, indirect.end)
        for inner in (q for q in overlapping if q.kind == "mixed" and _nested(q, indirect)):
            _run_on_to_close(indirect, inner, indirect.start)
            indirect.kind = "mixed"  # it reports quoted words
        if quotes.has_span(indirect.start, indirect.end):
            continue
        quotes.add(indirect)
    for labelled in label_attributions(doc, cleaned.text, bounds):
        if not quotes.overlapping(labelled.start, labelled.end):
            quotes.add(labelled)  # a line's label frames it only where nothing else does
    # A stance that a later-found quotation overlaps ("questioned [the council's statement
    # that repairs were done]") is that quotation's frame.
    for other in [quote for quote in quotes.in_order() if quote.kind not in QUOTATIONS]:
        if any(quote.kind in QUOTATIONS for quote in quotes.overlapping(other.start, other.end)):
            quotes.remove(other)
    return _outside_contents(quotes.in_order())


def _outside_contents(found: list[Attribution]) -> list[Attribution]:
    """Leave out a stance, belief or refusal whose cue lies inside another attribution's
    content ("she said [that voters want lower taxes]"): it is part of what was reported,
    and in news more often the writer's paraphrase than an attribution of its own."""
    contents = sorted((quote.start, quote.end) for quote in found)
    starts = [start for start, _ in contents]
    longest = max((end - start for start, end in contents), default=0)

    def inside(position: int) -> bool:
        first = bisect.bisect_left(starts, position - longest)
        return any(start < position < end for start, end in contents[first:bisect.bisect_right(starts, position)])

    return [quote for quote in found if quote.kind in QUOTATIONS or quote.cue is None or not inside(quote.cue.start)]
