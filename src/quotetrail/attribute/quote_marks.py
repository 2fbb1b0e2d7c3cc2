"""Find spans enclosed in quotation marks, paragraph by paragraph.

Written by hand: no maintained library pairs curly, straight, single and
guillemet marks while telling apostrophes apart and following the news
convention that a quote running over paragraphs reopens without closing.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Block

DOUBLE_PAIRS = {"“": "”", "«": "»", "„": "“"}
SINGLE_PAIRS = {"‘": "’"}


@dataclass(frozen=True)
class MarkedSpan:
    open_at: int  # offset of the opening mark
    start: int  # first character inside the marks
    end: int  # one past the last character inside
    close_end: int  # one past the closing mark (== end when unclosed)
    closed: bool
    paragraph: int  # index into the list of paragraph blocks
    continues_previous: bool = False  # reopens a quote left open in the previous paragraph


def _is_word_char(char: str) -> bool:
    return char.isalnum()


def _closing_single(text: str, start: int, stop: int, mark: str) -> int:
    """A closing single mark is one not followed by a letter (not an apostrophe)."""
    position = start
    while True:
        position = text.find(mark, position, stop)
        if position < 0:
            return -1
        after = text[position + 1] if position + 1 < stop else " "
        before = text[position - 1]
        if not _is_word_char(after) and not before.isspace():
            return position
        position += 1


def _opens(text: str, position: int, stop: int) -> bool:
    """A double mark in opening position: after a space or the line start, before a word."""
    before = text[position - 1] if position > 0 else " "
    after = text[position + 1] if position + 1 < stop else " "
    return (before.isspace() or before in "([—–-") and not after.isspace()


def _closes(text: str, position: int, stop: int) -> bool:
    before = text[position - 1] if position > 0 else " "
    after = text[position + 1] if position + 1 < stop else " "
    return not before.isspace() and not _is_word_char(after)


def _closing_double(text: str, opening: int, stop: int) -> int:
    """Where a double quote closes. Pages mix straight and curly marks (“…" and
    "…”): within the stretch before the next opening mark, the matching mark
    closes it, else the other style; failing both, the next matching mark."""
    mark = text[opening]
    matching = DOUBLE_PAIRS.get(mark, '"')
    other = '"' if mark in DOUBLE_PAIRS else "”"
    next_open = next((i for i in range(opening + 1, stop)
                      if (text[i] in DOUBLE_PAIRS and text[i] != matching and not _mistyped_closing(text, i, stop, mark))
                      or (text[i] in '"“' and _opens(text, i, stop))), stop)
    for wanted in (matching, other):
        for i in range(opening + 1, next_open):
            if text[i] == wanted and (wanted != '"' or _closes(text, i, stop) or mark == '"'):
                return i
    mistyped = next((i for i in range(opening + 1, next_open) if _mistyped_closing(text, i, stop, mark)), None)
    return mistyped if mistyped is not None else text.find(matching, opening + 1, stop)


def _mistyped_closing(text: str, position: int, stop: int, mark: str) -> bool:
    """"“Apparently not,“ he said.": an opening curly mark typed where the quote closes, after
    the words and before a space; not „…“, whose closing mark it is."""
    return mark == "“" and text[position] == "“" and _closes(text, position, stop) and not _opens(text, position, stop)


def _scan_paragraph(text: str, block: Block, index: int) -> list[MarkedSpan]:
    spans: list[MarkedSpan] = []
    position, stop = block.start, block.end
    while position < stop:
        char = text[position]
        before = text[position - 1] if position > block.start else " "
        closing = None
        if text.startswith("''", position) and not _is_word_char(before):
            # Two apostrophes standing in for a double quote, as some wire copy writes it.
            closing = text.find("''", position + 2, stop)
            if closing >= 0:
                spans.append(MarkedSpan(position, position + 2, closing, closing + 2, True, index))
                position = closing + 2
                continue
        if char in DOUBLE_PAIRS or char == '"':
            closing = _closing_double(text, position, stop)
        elif (char in SINGLE_PAIRS or char == "'") and not _is_word_char(before):
            if position + 1 < stop and _is_word_char(text[position + 1]) or text[position + 1 : position + 2] in ("…", "."):
                closing = _closing_single(text, position + 1, stop, SINGLE_PAIRS.get(char, "'"))
                if closing < 0:
                    position += 1
                    continue
        if closing is None:
            position += 1
            continue
        if closing < 0:  # left open: runs to the end of the paragraph
            spans.append(MarkedSpan(position, position + 1, stop, stop, False, index))
            break
        spans.append(MarkedSpan(position, position + 1, closing, closing + 1, True, index))
        position = closing + 1
    return spans


def find_marked_spans(text: str, paragraphs: list[Block]) -> list[MarkedSpan]:
    spans: list[MarkedSpan] = []
    for index, block in enumerate(paragraphs):
        found = _scan_paragraph(text, block, index)
        if found and spans and not spans[-1].closed and spans[-1].paragraph == index - 1:
            first = found[0]
            if first.open_at == block.start:
                found[0] = MarkedSpan(first.open_at, first.start, first.end, first.close_end,
                                      first.closed, index, continues_previous=True)
        spans.extend(found)
    return spans
