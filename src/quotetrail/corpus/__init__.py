"""The corpus: store extracted quotations in SQLite, search them, and trace a
quotation across outlets to its origin."""
from importlib import import_module

# Where each name lives; imported on first use, so that reading the corpus (serve)
# does not load the ingest side (the batch engine and spaCy).
_EXPORTS = {"Corpus": "api", "Stats": "api", "CorpusError": "schema", "OutletView": "read.views",
            "QuoteRecord": "read.records", "SpeakerView": "read.views", "SpeakerSummary": "read.views",
            "SearchResult": "read.searching", "IngestReport": "store", "Relay": "trace", "Trail": "trace"}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
