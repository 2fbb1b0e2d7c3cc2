"""The corpus in Python: `Corpus(path).ingest(...)`, `.search(...)`, `.trace(...)`, `.speaker(...)`."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from typing import TYPE_CHECKING

from ..errors import CorpusLockedError
from ..model import Article, Item, Outcome
from . import speakers
from .database import catch_up, connect
from .read import searching, views
from .read.fields import Search, parse_filters
from .read.planner import Frequencies
from .read.records import QuoteRecord
from .read.views import SPEAKERS_PER_PAGE, OutletView, SpeakerPage, SpeakerSummary, StatedOrigin
from .schema import CorpusError, transaction

if TYPE_CHECKING:
    from .store import IngestReport
    from .trace import Trail

# Documents in, outcomes out: batch.run, or a stand-in with its signature.
Extractor = Callable[[Iterable[Item], int], Iterable[Outcome]]


@dataclass
class Stats:
    articles: int
    quotes: int
    speakers: int
    clusters: int


class Corpus:
    """A quotation corpus in one SQLite file. Errors a user can act on are CorpusError."""

    def __init__(self, path: str | Path, *, create: bool = True, timeout: float = 5.0) -> None:
        """create=False refuses a missing file; timeout: seconds to wait for another writer."""
        self.path = Path(path)
        self.timeout = timeout
        self._frequencies = Frequencies()
        with self._errors():
            self._conn = connect(self.path, timeout, create)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """SQLite's errors as one line naming the database."""
        try:
            yield
        except sqlite3.OperationalError as error:  # the file is fine; using it is not possible now
            if getattr(error, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED"):
                raise CorpusLockedError(f"{self.path} is locked by another process "
                                        f"(gave up after {self.timeout:g} s)", self.timeout) from None
            if getattr(error, "sqlite_errorname", "").startswith("SQLITE_READONLY"):
                raise CorpusError(f"{self.path} cannot be written here (the file or its folder is read-only): "
                                  f"it can be searched, not changed") from None
            raise CorpusError(f"{self.path}: {error}") from None
        except sqlite3.DatabaseError as error:  # the file itself: not a database, or damaged
            raise CorpusError(f"{self.path} is not a usable quotetrail database: {error}") from None

    def _catch_up(self) -> None:
        """Bring derived data up to date after a write (database.catch_up). Only writers call
        this: readers read what is there, so a search never makes an ingest wait."""
        catch_up(self._conn)

    def ingest(self, documents: Iterable[Item], *, workers: int = 1, extractor: Extractor | None = None,
               batch_articles: int | None = None) -> IngestReport:
        """Extract and store documents not yet in the corpus; failures are reported, not raised.
        extractor: batch.run unless given; batch_articles: store.BATCH_ARTICLES unless given."""
        from .. import batch
        from . import store

        extractor, batch_articles = extractor or batch.run, batch_articles or store.BATCH_ARTICLES
        report = store.IngestReport()
        with self._errors():
            outcomes = extractor(store.unseen(self._conn, documents, report), workers)
            store.write(self._conn, outcomes, report, batch_articles)
            self._catch_up()
        return report

    def ingest_articles(self, articles: Iterable[Article], *, batch_articles: int | None = None) -> IngestReport:
        """Store articles extracted already (meta: url, sitename, date, title, source);
        batch_articles: store.BULK_BATCH_ARTICLES unless given."""
        from . import store

        batch_articles = batch_articles or store.BULK_BATCH_ARTICLES
        report = store.IngestReport()
        with self._errors():
            outcomes = (Outcome(str(article.meta.get("source", "")), article=article) for article in articles)
            store.write(self._conn, outcomes, report, batch_articles)
            self._catch_up()
        return report

    def search(self, text: str | None = None, *, limit: int = 50, mode: str = "words", sort: str = "newest",
               offset: int = 0, **filters: object) -> list[QuoteRecord]:
        """Quotations with all of text's words (mode: or the phrase, prefixes, exact text; auto:
        a speaker's name means their quotations), newest first (sort: oldest, relevance).
        filters: any of read.fields.FILTERS by name: speaker, outlet, kinds, act, setting, addressee
        (docs/acts.md), since and until (YYYY-MM-DD, inclusive), min_confidence (leaves out those
        below it before the limit counts)."""
        return self.results(Search(text, mode, parse_filters(filters), sort, offset, limit)).quotes

    def results(self, request: Search) -> searching.SearchResult:
        """A search with everything the web shows: the page, whether there is more, and the
        facets and timeline it asks for (counted over its first searching.COUNTED hits)."""
        with self._errors():
            return searching.search(self._conn, request, self._frequencies(self._conn), deepest=None)

    def trace(self, text: str) -> Trail | None:
        """Every appearance of a quotation, earliest first; None when no stored quotation matches."""
        from .trace import trace

        with self._errors():
            return trace(self._conn, text)

    def verify(self, text: str, *, speaker: str | None = None) -> dict[str, Any]:
        """Did someone really say this, and where first? issue 20's JSON (docs/lineage.md) for
        the quotation the words best match, even a partial or slightly wrong wording: the
        verdict line, the earliest copy, the stated origin and every copy's variant and parent."""
        from .read.verify import verify

        with self._errors():
            return verify(self._conn, text, speaker, self._frequencies(self._conn))

    def stated_origins(self, trail: Trail) -> list[StatedOrigin]:
        """The origins a trace's articles state for their material ("in an interview with X")."""
        with self._errors():
            return views.stated_origins(self._conn, trail.appearances)

    def speaker(self, name: str, *, page: int = 1, per_page: int = SPEAKERS_PER_PAGE) -> SpeakerPage:
        """Views of the speakers name may mean (a bare surname may mean dozens), a page at a
        time, most quoted first: a list, with .total, .next_page and .matches (all of them by
        name and quotation count)."""
        with self._errors():
            return views.speakers(self._conn, name, self._frequencies(self._conn), page, per_page)

    def speakers(self) -> list[SpeakerSummary]:
        with self._errors():
            return views.speaker_list(self._conn)

    def merge_speakers(self, name: str, into: str) -> None:
        """name and into are one person, from now on and after every re-ingest."""
        self._decide(speakers.merge, name, into)

    def split_speaker(self, name: str) -> None:
        """Mentions written as name are their own speaker; merges of name are undone."""
        self._decide(speakers.split, name)

    def _decide(self, decision: Callable[..., None], *names: str) -> None:
        with self._errors():
            with transaction(self._conn):
                decision(self._conn, *names)
            self._catch_up()

    def outlets(self, relaying: str | None = None, only: bool = False, *, since: str | None = None,
                until: str | None = None) -> list[OutletView]:
        """Outlets, whom they quote most and whom they relay; relaying: those crediting it
        (only: and nobody else); since, until: articles published then (YYYY-MM-DD, inclusive)."""
        with self._errors():
            return views.outlets(self._conn, since, until, relaying, only)

    def article_text(self, article_id: int) -> str:
        """The stored raw text: QuoteRecord.start/end point into it."""
        with self._errors():
            row = self._conn.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise CorpusError(f"no article {article_id} in {self.path}")
        return row[0]

    def export(self, format: str, output: Path | IO[str], kinds: str = "all") -> int:
        """Write every attribution of the kinds asked for (csv, jsonl or parquet; kinds as in
        model.parse_kinds); parquet needs a path. Returns the count."""
        from . import export

        with self._errors():
            return export.export(self._conn, format, output, kinds)

    def stats(self) -> Stats:
        with self._errors():
            return Stats(*self._conn.execute(
                """SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM quotations),
                          (SELECT count(*) FROM speakers), (SELECT count(DISTINCT cluster_id) FROM quotations)"""
            ).fetchone())
