"""quotetrail: who said what, to whom, and according to whom, with evidence."""
from .limits import DocumentTimeout
from .model import KINDS, QUOTATIONS, Article, Cue, Entity, Quote, Source, Span, Speaker, parse_kinds
from .sanitize import TextError

__all__ = ["KINDS", "QUOTATIONS", "Article", "Cue", "DocumentTimeout", "Entity", "Quote", "Source", "Span", "Speaker",
           "TextError", "extract", "extract_many", "parse_kinds"]
__version__ = "0.1.0"


def __getattr__(name: str):
    # The pipeline imports spaCy (seconds): loaded on first use, so `import quotetrail`
    # and commands that never extract (serve) start fast.
    if name in ("extract", "extract_many"):
        from . import pipeline
        return getattr(pipeline, name)
    raise AttributeError(f"module 'quotetrail' has no attribute {name!r}")
