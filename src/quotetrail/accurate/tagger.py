"""The accurate tier's tagger at run time: a fine-tuned MiniLM encoder run by
ONNX Runtime, its wordpieces cut by `tokenizers` (no torch, no transformers).

It reads each article whole, in overlapping windows of wordpieces
(windows.py), and returns the fast tagger's records: `tag` gives the same
Tagged token spans as attribute.learned.tag, so attributions are grouped
(attribute.learned.model_attributions) and merged with the rules exactly as
the fast tagger's are. Every span maps back to the characters of the text
the Doc holds, through the tokenizer's own offsets.
"""
from __future__ import annotations

import json
import multiprocessing
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

from spacy.tokens import Doc

from ..attribute.learned import Tagged
from ..attribute.merge import CALIBRATION_KEY
from ..errors import ModelMissingError
from . import MODEL_FILES, missing_runtime, require, span_filter
from .windows import LABELS, MIN_CONFIDENCE, KeepRuns, ScoredSpan, article_scores, predict_scored_spans

CALIBRATION_FILE = "calibration.json"  # the merge's table for this tagger (bench/calibration.py --fit), if measured
BATCH = 16  # windows per ONNX Runtime call


def session_threads(asked: int | None = None) -> int | None:
    """ONNX Runtime's intra-op threads: asked, else 1 in a worker process (a pool's for
    --workers or --processes N, a Dask worker, one of serve's uvicorn workers), else None,
    its default of one per core. N workers each with a thread per core would run N times
    the machine's threads, spinning and waiting on one another; the workers already use
    the cores. Decided when the session starts, in the process that runs it, never in a
    parent that hands work to others (batch.worker_context)."""
    if asked:
        return asked
    return 1 if multiprocessing.parent_process() is not None else None


def onnx_scores(path: Path, threads: int | None = None):
    """A function giving, for a batch of wordpiece id rows, each row's label
    log-probabilities (positions x labels) from the ONNX model at path."""
    import numpy as np
    import onnxruntime

    options = onnxruntime.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def run(rows: list[list[int]]) -> list[np.ndarray]:
        width = max(len(row) for row in rows)
        ids = np.zeros((len(rows), width), dtype=np.int64)  # [PAD] is id 0 in BERT vocabularies
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for index, row in enumerate(rows):
            ids[index, :len(row)] = row
            mask[index, :len(row)] = 1
        (logits,) = session.run(["logits"], {"input_ids": ids, "attention_mask": mask})
        shifted = logits - logits.max(-1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))
        return [log_probs[index, :len(row)] for index, row in enumerate(rows)]
    return run


class AccurateTagger:
    """The tagger in a model directory (model.onnx, tokenizer.json, labels.json; span_filter.json
    and calibration.json where fitted)."""

    def __init__(self, directory: Path, threads: int | None = None) -> None:
        require(directory)
        try:
            import onnxruntime  # noqa: F401
            from tokenizers import Tokenizer
        except ImportError as error:  # found but broken
            raise missing_runtime(error.name or str(error)) from error
        meta = json.loads((directory / "labels.json").read_text(encoding="utf-8"))
        if tuple(meta["labels"]) != LABELS:
            raise ModelMissingError(f"{directory / 'labels.json'}: labels {meta['labels']} are not {list(LABELS)}; "
                                    f"retrain with `make model-accurate`", setting="accurate_model")
        self.directory = directory
        self.meta = meta  # labels, window sizes, and the merge's calibration table (attribute.merge.calibrate)
        if (directory / CALIBRATION_FILE).is_file():
            self.meta[CALIBRATION_KEY] = json.loads((directory / CALIBRATION_FILE).read_text(encoding="utf-8"))
        self.max_pieces, self.overlap = int(meta["max_pieces"]), int(meta["overlap"])
        self.wordpieces = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.wordpieces.no_truncation()
        self.wordpieces.no_padding()
        self.cls, self.sep = self.wordpieces.token_to_id("[CLS]"), self.wordpieces.token_to_id("[SEP]")
        self._threads = threads
        self.span_filter = span_filter.load(directory)  # spans()'s choice of spans; MIN_CONFIDENCE without one

    @cached_property
    def _run(self):
        return onnx_scores(self.directory / "model.onnx", session_threads(self._threads))

    def spans(self, texts: Sequence[str]) -> list[list[tuple[str, int, int]]]:
        """(role, start, end) character spans per text; role is SOURCE, CUE or CONTENT. Those
        the model's span filter (span_filter.py) turns down are left out, or without one those
        the tagger is less sure of than windows.MIN_CONFIDENCE."""
        if self.span_filter is not None:
            found = self.scored_spans(texts, keep=self.span_filter)
        else:
            found = self.scored_spans(texts, MIN_CONFIDENCE)
        return [[(role, start, end) for role, start, end, _ in spans] for spans in found]

    def scored_spans(self, texts: Sequence[str], min_confidence: float = 0.0,
                     keep: KeepRuns | None = None) -> list[list[ScoredSpan]]:
        """(role, start, end, confidence) per text: every span (or those from min_confidence
        that keep keeps) with the tagger's confidence in it (windows.span_confidence), for a
        merge to weigh."""
        return predict_scored_spans(self._run, texts, self.encode(texts), self.cls, self.sep, BATCH, self.max_pieces,
                                    self.overlap, min_confidence, keep)

    def article_scores(self, encoded: Sequence[tuple[list[int], list[tuple[int, int]]]]) -> list:
        """Per encoded text, its pieces' label log-probabilities (windows.article_scores)."""
        return article_scores(self._run, encoded, self.cls, self.sep, BATCH, self.max_pieces, self.overlap)

    def encode(self, texts: Sequence[str]) -> list[tuple[list[int], list[tuple[int, int]]]]:
        """Each text's wordpiece ids and their character offsets, no special tokens."""
        encodings = self.wordpieces.encode_batch(list(texts), add_special_tokens=False)
        return [(encoding.ids, encoding.offsets) for encoding in encodings]

    def tag(self, articles: Sequence[tuple[Doc, Sequence[range]]]) -> list[list[Tagged]]:
        """attribute.learned.tag's records for the same input: per article, its
        spans as token ranges of the article Doc, each within one paragraph
        (a span over a paragraph break is cut at it), in reading order."""
        found = []
        for (doc, paragraphs), spans in zip(articles, self.scored_spans([doc.text for doc, _ in articles])):
            found.append(to_tagged(doc, paragraphs, spans))
        return found


def to_tagged(doc: Doc, paragraphs: Sequence[range], spans: Sequence[ScoredSpan]) -> list[Tagged]:
    """Character spans -> Tagged token spans, widened to whole spaCy tokens,
    cut at paragraph bounds, each with its confidence; spans outside every paragraph are dropped."""
    tagged = []
    for role, start, end, confidence in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        for number, tokens in enumerate(paragraphs):
            first, last = max(span.start, tokens.start), min(span.end, tokens.stop)
            if first < last:
                tagged.append(Tagged(role, first, last, number, confidence))
    return sorted(tagged, key=lambda item: (item.start, item.end))


def load(directory: Path, threads: int | None = None) -> AccurateTagger:
    return AccurateTagger(directory, threads)


__all__ = ["AccurateTagger", "onnx_scores", "session_threads", "to_tagged", "load", "MODEL_FILES", "CALIBRATION_FILE"]
