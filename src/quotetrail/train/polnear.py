"""PolNeAR (brat standoff) -> spaCy DocBin for the attribution tagger.

One Doc per non-empty line (a paragraph: the unit the tagger reads at run
time), tokenised by the pipeline's own tokenizer. Every Source, Cue and
Content piece becomes a SOURCE, CUE or CONTENT entity; a piece that runs
over a line break is cut at it. The NER-style tagger cannot hold
overlapping spans, so where spans overlap the longest is kept
(spacy.util.filter_spans). One annotator file per article, the first in
alphabetical order, as the evaluation adapter reads it.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from spacy.tokens import Doc, DocBin
from spacy.tokenizer import Tokenizer
from spacy.util import filter_spans

from ..evaluate.adapters.polnear import annotations, role_pieces

LABELS = {"source": "SOURCE", "cue": "CUE", "content": "CONTENT"}
_LINE = re.compile(r"[^\n]+")


def labelled_pieces(ann: str) -> list[tuple[str, int, int]]:
    """(label, start, end) for every Source/Cue/Content piece of a brat .ann text."""
    return sorted((LABELS[role], start, end) for role, pieces in role_pieces(ann).items()
                  for start, end in pieces)


def paragraph_docs(text: str, pieces: list[tuple[str, int, int]], tokenizer: Tokenizer) -> Iterator[Doc]:
    """One Doc per line of text, its entities the pieces falling in it."""
    for line in _LINE.finditer(text):
        stripped = line.group().strip()
        if not stripped:
            continue
        start = line.start() + line.group().index(stripped)
        end = start + len(stripped)
        doc = tokenizer(stripped)
        spans = []
        for label, piece_start, piece_end in pieces:
            left, right = max(piece_start, start), min(piece_end, end)
            if left >= right or not text[left:right].strip():
                continue
            span = doc.char_span(left - start, right - start, label=label, alignment_mode="expand")
            if span is not None and span.text.strip():
                spans.append(span)
        doc.ents = filter_spans(spans)
        yield doc


def convert(split: Path, output: Path, tokenizer: Tokenizer) -> tuple[int, int]:
    """Write split's articles as a DocBin; returns (articles, paragraph docs)."""
    first = {name: anns[0] for name, anns in annotations(split / "attributions").items()}
    if not first:
        raise FileNotFoundError(f"{split}: no brat .ann files under attributions/")
    docs = DocBin(attrs=["ORTH", "SPACY", "ENT_IOB", "ENT_TYPE"], store_user_data=False)
    count = 0
    for name, ann in sorted(first.items()):
        text_path = split / "text" / f"{name}.txt"
        if not text_path.exists():
            raise FileNotFoundError(f"{ann}: no text file {text_path}")
        text = text_path.read_text(encoding="utf-8")
        for doc in paragraph_docs(text, labelled_pieces(ann.read_text(encoding="utf-8")), tokenizer):
            docs.add(doc)
            count += 1
    output.parent.mkdir(parents=True, exist_ok=True)
    docs.to_disk(output)
    return len(first), count


__all__ = ["LABELS", "labelled_pieces", "paragraph_docs", "convert"]
