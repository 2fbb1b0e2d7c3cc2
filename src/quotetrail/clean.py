"""Cleaning stage: classify each line of the input as paragraph, heading,
page furniture, byline or source list. Nothing is removed from the text;
blocks keep offsets into the original input."""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from .lexicon import lexicon
from .model import Block, BlockKind, Span

_LINE = re.compile(r"[^\n]+")
_FINAL_PUNCTUATION = tuple(".!?:;,…\"”’»)]")
_QUOTE_MARKS = set("\"“”‘’«»")


@dataclass
class CleanText:
    text: str
    blocks: list[Block]
    sources: list[Span]  # outlet names from the closing source list

    def of_kind(self, kind: str) -> list[Block]:
        return [block for block in self.blocks if block.kind == kind]

    def paragraph_tokens(self, doc: Doc) -> list[range]:
        """Token index range of each paragraph block, in order."""
        ranges = []
        for block in self.of_kind("paragraph"):
            span = doc.char_span(block.start, block.end, alignment_mode="expand")
            ranges.append(range(span.start, span.end) if span is not None else range(0))
        return ranges


def _is_heading(line: str) -> bool:
    lex = lexicon()
    return (
        0 < len(line.split()) <= lex.heading_max_words
        and len(line) <= lex.heading_max_chars
        and (line[0].isupper() or line[0].isdigit())
        and not line.endswith(_FINAL_PUNCTUATION)
        and not (_QUOTE_MARKS & set(line))
    )


def _source_names(line: str, match: re.Match[str], offset: int) -> list[Span]:
    names = []
    list_start = match.start("list")
    for part in re.finditer(r"[^,;&]+", line[list_start:]):
        for piece in re.split(r"\s+and\s+", part.group()):
            name = piece.strip(" .")
            if name:
                start = offset + list_start + part.start() + part.group().index(name)
                names.append(Span(start, start + len(name), name))
    return names


def clean(text: str) -> CleanText:
    lex = lexicon()
    blocks: list[Block] = []
    sources: list[Span] = []
    for found in _LINE.finditer(text):
        raw = found.group()
        stripped = raw.strip()
        if not stripped:
            continue
        start = found.start() + raw.index(stripped)
        end = start + len(stripped)
        probe = stripped.rstrip(":>›» ").strip()
        kind: BlockKind
        if lex.furniture.match(probe):
            kind = "furniture"
        elif match := lex.sources_line.match(stripped):
            kind = "sources"
            sources.extend(_source_names(stripped, match, start))
        elif lex.byline.match(stripped) and len(stripped.split()) <= 12:
            kind = "byline"
        elif _is_heading(stripped):
            kind = "title" if not blocks else "heading"
        else:
            kind = "paragraph"
        blocks.append(Block(kind, start, end, stripped))
    return CleanText(text=text, blocks=blocks, sources=sources)
