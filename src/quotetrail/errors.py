"""Errors a user can act on, typed, so that each caller says what to do in its own
terms: the command line adds the flag that changes the outcome (see cli.hints), the
web its own message. str() is one line saying what happened."""
from __future__ import annotations


class QuotetrailError(Exception):
    """Base of the errors a user can act on."""


class ModelMissingError(QuotetrailError, RuntimeError):
    """A model is not installed. setting: which one, as settings.Analysis names it
    ("model": the spaCy package; "attribution_model": the tagger directory; "accurate_model":
    the accurate tier's directory or run-time packages)."""

    def __init__(self, message: str, setting: str = "model") -> None:
        super().__init__(message)
        self.setting = setting


class CorpusError(QuotetrailError):
    """A problem with the corpus database a user can act on; one line, no traceback."""


class CorpusMissingError(CorpusError):
    """No corpus database at the path given (or the default one)."""


class CorpusLockedError(CorpusError):
    """Another process held the corpus's write lock for longer than we were willing to wait."""

    def __init__(self, message: str, waited: float) -> None:
        super().__init__(message)
        self.waited = waited
