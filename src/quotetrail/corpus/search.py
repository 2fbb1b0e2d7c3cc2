"""Reading the corpus: quotations by words, speaker, outlet and date; speaker and outlet profiles."""
from __future__ import annotations

import heapq
import json
import math
import re
import sqlite3
import unicodedata
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from .schema import CorpusError, grown_a_tenth, quotation_count
from .speakers import speaker_ids
from .text import words

TOPIC_WORDS = 8
TOPIC_CANDIDATES = 40
T = TypeVar("T")


@dataclass
class QuoteRecord:
    """A stored quotation with who said it and where it ran."""

    id: int
    text: str
    kind: str
    speaker: str | None  # the speaker across the corpus
    named_as: str | None  # the name this article gives the speaker
    cue: str | None
    via: list[str]  # outlets the article credits for the quote
    outlet: str | None
    published: str | None
    title: str | None
    url: str | None
    article_id: int  # ingest order
    source: str | None
    start: int  # offsets into the article's stored text
    end: int
    confidence: float
    cluster_id: int | None


SELECT = """SELECT q.id, q.text, q.kind, s.name, e.name, q.cue,
       (SELECT json_group_array(r.outlet) FROM relays r WHERE r.quote_id = q.id),
       a.outlet, a.published, a.title, a.url, a.id, a.source, q.start, q.end, q.confidence, q.cluster_id
FROM quotations q JOIN articles a ON a.id = q.article_id
LEFT JOIN entities e ON e.id = q.entity_id LEFT JOIN speakers s ON s.id = e.speaker_id"""
# Earliest appearance first: publication date, then ingest order for undated articles.
TIMELINE = "ORDER BY a.published IS NULL, a.published, a.id, q.start"


def record(row: tuple) -> QuoteRecord:
    values = list(row)
    values[6] = json.loads(values[6])
    return QuoteRecord(*values)


def records(conn: sqlite3.Connection, sql: str, params: tuple | list = ()) -> Iterator[QuoteRecord]:
    return (record(row) for row in conn.execute(sql, params))


def fts_query(text: str, phrase: bool) -> str:
    """An FTS5 query for the words of text, taken literally (no operators)."""
    tokens = re.findall(r"\w+", text)
    if not tokens:
        raise CorpusError(f"nothing to search for in {text!r}")
    return f'"{" ".join(tokens)}"' if phrase else " ".join(f'"{token}"' for token in tokens)


def day(value: str, option: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise CorpusError(f"{option} wants a date as YYYY-MM-DD, not {value!r}") from None


@dataclass
class Filters:
    text: str | None = None
    speaker: str | None = None
    outlet: str | None = None
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None  # YYYY-MM-DD, inclusive
    limit: int = 50
    min_confidence: float | None = None


def confidence_floor(value: float) -> tuple[str, list[object]]:
    """The condition that leaves out quotations below a confidence, for every reader
    (search here, the web's queries): the query filters, so LIMIT counts only those kept."""
    if not 0 <= value <= 1:
        raise CorpusError(f"min_confidence must be between 0 and 1, not {value}")
    return "confidence >= ?", [value]


NEWEST_FIRST = "ORDER BY a.published DESC, a.id DESC, q.start"  # NULLs sort last when descending


def _matches(conn: sqlite3.Connection, query: str, enough: int) -> int:
    """How many quotations have the words, counted up to enough + 1."""
    return conn.execute("SELECT count(*) FROM (SELECT 1 FROM quotation_fts WHERE quotation_fts MATCH ? LIMIT ?)",
                        (query, enough + 1)).fetchone()[0]


def _folded(text: str) -> str:
    """Lower case without diacritics: a word FTS5 finds in a text is a substring of this."""
    if text.isascii():
        return text.lower()
    return "".join(char for char in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(char))


def many_matches(conn: sqlite3.Connection) -> int:
    """Above this many quotations with the words, walking the timeline and checking each
    quotation beats collecting and sorting every match (about 7 µs a match against 3 µs
    a quotation walked): the two cost the same near sqrt(20 * corpus size)."""
    return max(1000, int(math.sqrt(20 * quotation_count(conn))))


def search(conn: sqlite3.Connection, filters: Filters) -> list[QuoteRecord]:
    """Newest first; every given filter must hold. Undated articles drop out of date filters.

    Which filter drives the query matters at scale: a common word would make
    SQLite sort every match before the LIMIT, so then the timeline is walked
    instead, newest first, checking each quotation's words until LIMIT are found.
    With a speaker, the matches are met with the speakers' quotations when they
    are not many times more (walking those would sort all of them first).
    Every way gives the same rows in the same order (tests/test_corpus_queries.py)."""
    where: list[str] = []
    params: list[object] = []
    speakers = speaker_ids(conn, filters.speaker) if filters.speaker else []
    if filters.speaker and not speakers:
        raise CorpusError(f"no speaker matches {filters.speaker!r} (see 'quotetrail speakers list')")
    walk = chosen = None
    source = "quotations q JOIN articles a ON a.id = q.article_id"
    if filters.text:
        query = fts_query(filters.text, phrase=False)
        quoted = conn.execute("SELECT sum(quotes) FROM speakers WHERE id IN (SELECT value FROM json_each(?))",
                              (json.dumps(speakers),)).fetchone()[0] if speakers else None
        if walks(conn, query, quoted):
            chosen = _speakers_matches(conn, query, speakers, quoted) if speakers else None
            walk = query if chosen is None else None
        if chosen is not None:  # a few rows: the collecting below, over them only
            source = ("json_each(?) chosen CROSS JOIN quotations q ON q.id = chosen.value "
                      "JOIN articles a ON a.id = q.article_id")
            params.append(json.dumps(chosen))
        elif walk is None:
            # The few matches drive, each looked up by id. CROSS JOIN fixes that order: left to
            # itself, SQLite may walk the other filters' articles and probe every match for each.
            source = ("quotation_fts CROSS JOIN quotations q ON q.id = quotation_fts.rowid "
                      "JOIN articles a ON a.id = q.article_id")
            where.append("quotation_fts MATCH ?")
            params.append(query)
    if speakers and chosen is None:  # (chosen: only the speakers' quotations already)
        where.append("q.entity_id IN (SELECT id FROM entities WHERE speaker_id IN (SELECT value FROM json_each(?)))")
        params.append(json.dumps(speakers))
    if filters.outlet:
        from ..link.names import name_key as outlet_key  # here: the link package loads spaCy
        where.append("a.outlet_key = ?")
        params.append(outlet_key(filters.outlet))
    if filters.since:
        where.append("a.published >= ?")
        params.append(day(filters.since, "--since"))
    if filters.until:
        where.append("a.published < ?")  # before the next day: the whole of 'until' counts
        params.append((date.fromisoformat(day(filters.until, "--until")) + timedelta(days=1)).isoformat())
    if filters.min_confidence:
        condition, values = confidence_floor(filters.min_confidence)
        where.append(condition)
        params.extend(values)
    sql = f"FROM {source}" + (" WHERE " + " AND ".join(where) if where else "")
    if walk is None:  # the hits first, as bare ids; records (relays, speakers, names) only for those
        ids = [quote_id for (quote_id,) in conn.execute(f"SELECT q.id {sql} {NEWEST_FIRST} LIMIT ?",
                                                        [*params, filters.limit])]
    else:
        ids = _walk(conn, f"SELECT q.id, q.text {sql} {NEWEST_FIRST}", params, walk, filters.limit)
    return list(records(conn, f"{SELECT} WHERE q.id IN (SELECT value FROM json_each(?)) {NEWEST_FIRST}",
                        (json.dumps(ids),)))


def walks(conn: sqlite3.Connection, query: str, quoted: int | None) -> bool:
    """Whether to walk the timeline (or the speakers' quotations) checking each quotation's
    words, rather than collect the matches and sort them: when the matches are many, or more
    than the speakers' quotations (quoted: how many; None without a speaker filter)."""
    enough = many_matches(conn)
    matches = _matches(conn, query, enough)
    return matches > enough or (quoted is not None and quoted < matches)


# Walking speakers' quotations sorts all of them, text and all, before the first check
# (about 12 µs a quotation); meeting them with the matches costs about 2.5 µs a
# quotation and 0.4-1.5 µs a match.
MATCHES_PER_QUOTE = 12


def _speakers_matches(conn: sqlite3.Connection, query: str, speakers: list[int], quoted: int | None
                      ) -> list[int] | None:
    """The ids of the speakers' quotations (quoted: how many) that FTS5 matches with query,
    where the matches and the speakers' quotations meet; None when the matches are too many
    for that to beat walking the speakers' quotations."""
    family = json.dumps(speakers)
    most = MATCHES_PER_QUOTE * (quoted or 0)
    if _matches(conn, query, most) > most:  # counting them costs a fraction of meeting them
        return None
    (theirs,) = conn.execute(
        """SELECT json_group_array(id) FILTER (WHERE id IN (SELECT id FROM quotations WHERE entity_id IN
                (SELECT id FROM entities WHERE speaker_id IN (SELECT value FROM json_each(?)))))
           FROM (SELECT rowid AS id FROM quotation_fts WHERE quotation_fts MATCH ?)""", (family, query)).fetchone()
    return json.loads(theirs)


def _walk(conn: sqlite3.Connection, sql: str, params: list[object], query: str, limit: int) -> list[int]:
    """Ids of the first limit quotations sql yields that FTS5 matches with query.
    A substring test passes over most quotations without asking FTS5, which costs
    far more per quotation; FTS5 decides for those that pass."""
    tokens = [_folded(token) for token in re.findall(r"\w+", query)]
    ids: list[int] = []
    for quote_id, text in conn.execute(sql, params):
        folded = _folded(text)
        if all(token in folded for token in tokens) and conn.execute(
                "SELECT 1 FROM quotation_fts WHERE quotation_fts MATCH ? AND rowid = ?", (query, quote_id)).fetchone():
            ids.append(quote_id)
            if len(ids) == limit:
                break
    return ids


@dataclass
class SpeakerProfile:
    name: str
    written: list[str]  # the names articles give this speaker
    quotes: int
    first_seen: str | None  # publication dates
    last_seen: str | None
    outlets: list[tuple[str, int]]  # outlet, quotations
    topics: list[str]  # words this speaker uses more than the corpus does


# A bare surname may mean dozens of speakers: their profiles come a page at a time, most
# quoted first, with every match's name and count to pick from.
SPEAKERS_PER_PAGE = 5
MAX_SPEAKERS_PER_PAGE = 50


@dataclass
class SpeakerMatch:
    """A speaker a name may mean, without its profile."""

    name: str
    quotes: int


class SpeakerPage(list):
    """One page of the profiles of the speakers a name may mean, most quoted first.

    A list (of the page's profiles) with where it sits: matches holds every speaker the
    name may mean, in the same order, by name and quotation count (cheap, unlike profiles)."""

    def __init__(self, profiles: Iterable, page: int, per_page: int, matches: list[SpeakerMatch]) -> None:
        super().__init__(profiles)
        self.page, self.per_page, self.matches = page, per_page, matches

    @property
    def total(self) -> int:
        return len(self.matches)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None


def speaker_page(conn: sqlite3.Connection, name: str, page: int, per_page: int,
                 profile: Callable[[int], T]) -> SpeakerPage | None:
    """The page-th per_page speakers name may mean (most quoted first, then by name), each
    made by profile(speaker id); None when it means nobody."""
    if not 1 <= per_page <= MAX_SPEAKERS_PER_PAGE:
        raise CorpusError(f"per_page must be between 1 and {MAX_SPEAKERS_PER_PAGE}")
    if page < 1:
        raise CorpusError("page starts at 1")
    ids = speaker_ids(conn, name)
    if not ids:
        return None
    ranked = conn.execute("SELECT id, name, quotes FROM speakers WHERE id IN (SELECT value FROM json_each(?)) "
                          "ORDER BY quotes DESC, name, id", (json.dumps(ids),)).fetchall()
    shown = ranked[(page - 1) * per_page:page * per_page]
    return SpeakerPage((profile(speaker) for speaker, _, _ in shown), page, per_page,
                       [SpeakerMatch(speaker_name, quotes) for _, speaker_name, quotes in ranked])


def speaker_profiles(conn: sqlite3.Connection, name: str, sample: WordSample,
                     page: int = 1, per_page: int = SPEAKERS_PER_PAGE) -> SpeakerPage:
    """sample: the corpus's word frequencies, read once and reused (see Frequencies)."""
    found = speaker_page(conn, name, page, per_page, lambda speaker: _profile(conn, speaker, sample))
    if found is None:
        raise CorpusError(f"no speaker matches {name!r} (see 'quotetrail speakers list')")
    return found


@dataclass
class WordSample:
    """How many quotations hold each word, estimated from up to SAMPLE_QUOTES of them spread
    evenly over the corpus (all of a smaller one). FTS5's vocabulary counts a word by
    reading its whole index entry: at 10M quotations a common word took a tenth of a
    second, and a profile's topic words looked up 40."""

    quotations: int
    sampled: int
    counts: Counter[str]

    SAMPLE_QUOTES = 20_000
    RUN = 500  # consecutive ids read per range lookup

    @classmethod
    def read(cls, conn: sqlite3.Connection) -> WordSample:
        total = quotation_count(conn)
        if total <= cls.SAMPLE_QUOTES:
            texts = [text for (text,) in conn.execute("SELECT text FROM quotations")]
        else:
            step = total // (cls.SAMPLE_QUOTES // cls.RUN)
            texts = [text for start in range(1, total + 1, step) for (text,) in conn.execute(
                "SELECT text FROM quotations WHERE id BETWEEN ? AND ?", (start, start + cls.RUN - 1))]
        return cls(total, len(texts), Counter(word for text in texts for word in set(words(text))))

    def document_frequency(self, word: str) -> float:
        # A word the sample lacks is rarer than one quotation in `sampled`: half that.
        return max(self.counts.get(word, 0), 0.5) * self.quotations / max(self.sampled, 1)


class Frequencies:
    """A corpus's WordSample, read again when the corpus has grown by a tenth (a small one: at
    every change), since words' shares move slowly."""

    def __init__(self) -> None:
        self._sample: WordSample | None = None

    def __call__(self, conn: sqlite3.Connection) -> WordSample:
        total = quotation_count(conn)
        sample = self._sample
        if (sample is None or total < sample.quotations
                or total != sample.quotations and (total <= WordSample.SAMPLE_QUOTES or grown_a_tenth(total, sample.quotations))):
            self._sample = sample = WordSample.read(conn)
        return sample


# Topic words come from a speaker's latest quotations: enough to say what they talk
# about, and a profile of someone quoted 30,000 times still takes milliseconds.
TOPIC_QUOTES = 100


def _profile(conn: sqlite3.Connection, speaker: int, sample: WordSample) -> SpeakerProfile:
    # The figures over all its quotations are kept by speaker resolution (speakers.recount).
    name, quotes, first_seen, last_seen = conn.execute(
        "SELECT name, quotes, first_seen, last_seen FROM speakers WHERE id = ?", (speaker,)).fetchone()
    mentions = conn.execute("SELECT name, mentions FROM speaker_names WHERE speaker_id = ?", (speaker,)).fetchall()
    outlets = conn.execute("SELECT outlet, quotes FROM speaker_outlets WHERE speaker_id = ?", (speaker,)).fetchall()
    texts = [text for _, text in _latest(conn, speaker)]
    return SpeakerProfile(name, [written for written, _ in sorted(mentions, key=lambda item: (-item[1], item[0]))],
                          quotes, first_seen, last_seen, sorted(outlets, key=lambda item: (-item[1], item[0])),
                          _topics(texts, sample))


def _latest(conn: sqlite3.Connection, speaker: int) -> list[tuple[int, str]]:
    """A speaker's TOPIC_QUOTES latest quotations (id, text), latest first, from its latest
    mentions: an article's quotations all come after those of the articles stored before it (store.py)."""
    quotes: list[tuple[int, str]] = []
    last_article = None
    for article, quote_id, text in conn.execute("""SELECT e.article_id, q.id, q.text FROM entities e
                                                   JOIN quotations q ON q.entity_id = e.id
                                                   WHERE e.speaker_id = ? ORDER BY e.id DESC""", (speaker,)):
        if len(quotes) >= TOPIC_QUOTES and article != last_article:
            break  # an earlier article: its quotations are all older
        quotes.append((quote_id, text))
        last_article = article
    return heapq.nlargest(TOPIC_QUOTES, quotes)


def _topics(texts: list[str], sample: WordSample) -> list[str]:
    """Top words by tf-idf against the corpus's quotations."""
    from spacy.lang.en.stop_words import STOP_WORDS  # here: spaCy takes seconds to import

    counts = Counter(words("\n".join(texts)))  # one call: words never span a line break
    for word in [word for word in counts if len(word) < 3 or word.isdigit() or word in STOP_WORDS]:
        del counts[word]
    if not counts:
        return []
    frequent = [word for word, _ in counts.most_common(TOPIC_CANDIDATES)]
    scored = sorted(frequent, key=lambda word: (
        -counts[word] * math.log(1 + sample.quotations / sample.document_frequency(word)), word))
    return scored[:TOPIC_WORDS]


@dataclass
class SpeakerSummary:
    name: str
    quotes: int
    written: list[str] = field(default_factory=list)


def speaker_list(conn: sqlite3.Connection) -> list[SpeakerSummary]:
    """Every speaker, most quoted first (counts kept by speaker resolution, not counted here)."""
    rows = conn.execute("SELECT name, quotes, written FROM speakers WHERE quotes > 0 ORDER BY quotes DESC, name")
    return [SpeakerSummary(name, count, json.loads(written)) for name, count, written in rows]


@dataclass
class OutletSummary:
    outlet: str
    articles: int
    quotes: int
    relays: list[tuple[str, int]]  # outlets its quotations credit, with how many


def outlets(conn: sqlite3.Connection, relaying: str | None = None, only: bool = False) -> list[OutletSummary]:
    """Outlets with what they relay; relaying keeps those crediting that outlet (only: and no other)."""
    rows = conn.execute("""SELECT a.outlet_key, coalesce(min(a.outlet), '(unknown)'), count(DISTINCT a.id),
                                  count(q.id)
                           FROM articles a LEFT JOIN quotations q ON q.article_id = a.id
                           GROUP BY a.outlet_key ORDER BY 4 DESC, 2""").fetchall()
    credited: dict[str | None, list[tuple[str, int]]] = {}
    for key, relayed, count in conn.execute(
            """SELECT a.outlet_key, min(r.outlet), count(*) FROM relays r
               JOIN quotations q ON q.id = r.quote_id JOIN articles a ON a.id = q.article_id
               GROUP BY a.outlet_key, r.outlet_key ORDER BY 3 DESC, 2"""):
        credited.setdefault(key, []).append((relayed, count))
    summaries = [OutletSummary(outlet, articles, quotes, credited.get(key, []))
                 for key, outlet, articles, quotes in rows]
    if relaying is None:
        return summaries
    from ..link.names import name_key as outlet_key
    wanted = outlet_key(relaying)
    return [summary for summary in summaries
            if (keys := {outlet_key(relayed) for relayed, _ in summary.relays}) and wanted in keys
            and (not only or keys == {wanted})]
