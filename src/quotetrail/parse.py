"""Parsing long texts in pieces, so that one document's memory stays bounded.

spaCy's parser and entity recogniser take about 1 GB of temporary memory per
100,000 characters of one Doc (spaCy's own figure for nlp.max_length): a text
of 1,000,000 characters on one line took 3.4 GB. A text longer than
PIECE_CHARS is cut after a line break, else after a sentence's end, else after
a space; the pieces are parsed as one batch and joined back into one Doc over
exactly the same text (Doc.from_docs), so every offset still holds. A piece
boundary is a sentence boundary, which a line break is anyway."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc

PIECE_CHARS = 20_000
SENTENCE_END = re.compile(r"[.!?][\"”’»)]*\s+")
SPACE = re.compile(r"\s+")
# spaCy splits words at the plain space only: a no-break, thin or other wide space becomes a token of
# its own and misleads the parser ("Trump, Sexton said,\u00a0has created" loses its speaker). Each
# is parsed as a plain space, one character for one, so every offset still holds.
WIDE_SPACE_CHARS = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
WIDE_SPACES = str.maketrans(dict.fromkeys(WIDE_SPACE_CHARS, " "))
ANY_WIDE_SPACE = re.compile(f"[{WIDE_SPACE_CHARS}]")
C = TypeVar("C")


def cuts(text: str, size: int = PIECE_CHARS) -> list[int]:
    """Where pieces of at most size characters end, the last at len(text)."""
    ends = []
    start = 0
    while len(text) - start > size:
        window = text[start + size // 2:start + size]
        end = window.rfind("\n") + 1
        if not end:
            ends_here = [found.end() for found in SENTENCE_END.finditer(window)]
            spaces = ends_here or [found.end() for found in SPACE.finditer(window)]
            end = spaces[-1] if spaces else len(window)
        start += size // 2 + end
        ends.append(start)
    return [*ends, len(text)]


def parse(nlp: Language, text: str) -> Doc:
    """nlp(text), a piece at a time when the text is long."""
    text = text.translate(WIDE_SPACES)
    if len(text) <= PIECE_CHARS:
        return nlp(text)
    ends = cuts(text)
    pieces = [text[start:end] for start, end in zip([0, *ends], ends)]
    # One piece at a time: a batch takes the memory of all its texts together.
    return Doc.from_docs(list(nlp.pipe(pieces, batch_size=1)), ensure_whitespace=False)


def parse_many(nlp: Language, items: Iterable[tuple[str, C]], batch_size: int) -> Iterator[tuple[Doc, C]]:
    """nlp.pipe(items, as_tuples=True), with each long text parsed in pieces."""
    iterator = iter(items)
    while chunk := list(islice(iterator, batch_size)):
        short = iter(nlp.pipe([text.translate(WIDE_SPACES) for text, _ in chunk if len(text) <= PIECE_CHARS],
                             batch_size=batch_size))
        for text, context in chunk:
            yield (next(short) if len(text) <= PIECE_CHARS else parse(nlp, text)), context
