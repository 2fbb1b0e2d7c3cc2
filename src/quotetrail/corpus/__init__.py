"""The corpus: store extracted quotations in SQLite, search them, and trace a
quotation across outlets to its origin."""
from .api import Corpus, Stats
from .schema import CorpusError
from .search import OutletSummary, QuoteRecord, SpeakerProfile, SpeakerSummary
from .store import IngestReport
from .trace import Relay, Trail

__all__ = ["Corpus", "CorpusError", "IngestReport", "OutletSummary", "QuoteRecord", "Relay", "SpeakerProfile",
           "SpeakerSummary", "Stats", "Trail"]
