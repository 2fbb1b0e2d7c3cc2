"""quotetrail: who said what, to whom, and according to whom, with evidence."""
from .model import Article, Cue, Entity, Quote, Source, Span, Speaker
from .pipeline import extract, extract_many
from .sanitize import TextError

__all__ = ["Article", "Cue", "Entity", "Quote", "Source", "Span", "Speaker", "TextError", "extract", "extract_many"]
__version__ = "0.1.0"
