"""Parquet parts: the at-scale store that both engines write and DuckDB, Spark
or `quotetrail ingest` read.

An output directory holds four tables, one folder each, and one file per part
(a part is the result of one task: one input file, or a chunk of a directory):

    OUT/_quotetrail.json               what wrote it, the schema version
    OUT/articles/PART.parquet          one row per article; written last: it marks PART done
    OUT/quotations/PART.parquet        one row per quotation
    OUT/speakers/PART.parquet          one row per speaker per article
    OUT/sources/PART.parquet           one row per outlet in an article's reporting chain

Files are written under a hidden temporary name and renamed into place, so a
reader never sees half a file. The schema is explicit (SCHEMAS): Arrow cannot
infer list and struct columns from a part whose rows are all empty.

A part is trusted only once it reads back whole (check_part): its four files
readable with their page checksums, quotetrail's schema, as many quotations as
its articles count, the text present and every offset inside it and matching
it. `ingest` stores the good parts and names each bad one with its reason;
`extract --resume` extracts a damaged part again.
"""
from __future__ import annotations

import json
import os
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..model import Article, Failure

MARKER = "_quotetrail.json"
SCHEMA_VERSION = 1
TABLES = ("quotations", "speakers", "sources", "articles")  # articles last: it marks the part done
ROW_GROUP_ARTICLES = 256  # articles buffered before a row group is written: memory stays flat on big parts

SPAN = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("text", pa.string())])
PARTY = pa.struct([("text", pa.string()), ("start", pa.int64()), ("end", pa.int64()), ("entity", pa.string())])
# Columns appended since a table's first version: a part written before them lacks them and still reads.
APPENDED = {"quotations": ("act", "plover", "addressee", "setting", "target")}
STRINGS = pa.list_(pa.string())
SCHEMAS = {
    "articles": pa.schema([
        ("id", pa.string()),  # the document id: path, URL, WARC-Record-ID or JSONL id (meta.id)
        ("part", pa.string()),
        ("title", pa.string()),
        ("url", pa.string()),  # meta.canonical_url, else meta.url
        ("outlet", pa.string()),  # meta.sitename
        ("published", pa.string()),  # meta.date as the page gave it
        ("source", pa.string()),  # the input file
        ("quotes", pa.int64()),
        ("text", pa.string()),  # the text every offset points into
        ("meta", pa.string()),  # all of meta, as JSON: its keys vary with the input kind
        ("entities", pa.list_(pa.struct([
            ("name", pa.string()), ("type", pa.string()), ("aliases", STRINGS), ("titles", STRINGS),
            ("is_media", pa.bool_()), ("mentions", pa.list_(SPAN))]))),
        ("furniture", pa.list_(SPAN)),
        ("headings", pa.list_(SPAN)),
    ]),
    "quotations": pa.schema([
        ("article_id", pa.string()),
        ("number", pa.int32()),  # order in the article, from 0
        ("kind", pa.string()),  # direct | indirect | mixed
        ("text", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("speaker", pa.struct([("name", pa.string()), ("mention", pa.string()), ("start", pa.int64()),
                               ("end", pa.int64()), ("resolved_by", pa.string())])),
        ("cue", pa.struct([("text", pa.string()), ("lemma", pa.string()), ("start", pa.int64()),
                           ("end", pa.int64())])),
        ("reported_by", STRINGS),
        ("confidence", pa.float64()),
        ("method", pa.string()),  # rules | model | both, where the attribution stage says
        ("act", pa.string()),  # the describe stage's (acts/): state | accuse | deny | ...
        ("plover", pa.string()),
        ("addressee", PARTY),
        ("setting", pa.struct([("kind", pa.string()), ("text", pa.string()), ("start", pa.int64()),
                               ("end", pa.int64()), ("outlet", pa.string())])),
        ("target", PARTY),
    ]),
    "speakers": pa.schema([
        ("article_id", pa.string()),
        ("name", pa.string()),  # canonical, as in quotations.speaker.name
        ("type", pa.string()),  # the entity's type, where the NER tagged it
        ("quotes", pa.int64()),
        ("mentions", STRINGS),  # the words that pointed at the speaker
        ("titles", STRINGS),
    ]),
    "sources": pa.schema([
        ("article_id", pa.string()),
        ("name", pa.string()),
        ("roles", STRINGS),  # origin | relay | listed
        ("aliases", STRINGS),
        ("evidence", pa.list_(SPAN)),
    ]),
}


class PartError(RuntimeError):
    pass


def start_output(out: Path) -> None:
    """Make OUT a parts directory (or check that it is one) and clear temporaries a killed run left."""
    marker = out / MARKER
    if out.exists() and any(out.iterdir()) and not marker.exists():
        raise PartError(f"{out} is not empty and holds no quotetrail parts: choose a new directory")
    for table in TABLES:
        (out / table).mkdir(parents=True, exist_ok=True)
    clear_temporaries(out)
    if not marker.exists():
        marker.write_text(json.dumps({"writer": "quotetrail", "schema_version": SCHEMA_VERSION,
                                      "tables": list(TABLES)}) + "\n", encoding="utf-8")


def clear_temporaries(out: Path, parts: list[str] | None = None) -> None:
    """Remove the temporary files of parts (all when None) that a killed or failed writer left."""
    for table in TABLES:
        for pattern in [f".{part}.*.tmp" for part in parts] if parts is not None else [".*.tmp"]:
            for temporary in (out / table).glob(pattern):
                temporary.unlink(missing_ok=True)


def is_output(path: Path) -> bool:
    return (path / MARKER).is_file()


def done_parts(out: Path) -> set[str]:
    return {file.stem for file in (out / "articles").glob("*.parquet")}


def _rows(article: Article, part: str) -> dict[str, list[dict[str, Any]]]:
    data = article.to_dict(include_text=True)
    meta = article.meta
    id = str(meta.get("id", ""))
    speakers: dict[str, dict[str, Any]] = {}
    entities = {entity.name: entity for entity in article.entities}
    for quote in article.quotes:
        if quote.speaker is None:
            continue
        entity = entities.get(quote.speaker.name)
        row = speakers.setdefault(quote.speaker.name, {
            "article_id": id, "name": quote.speaker.name, "type": entity.type if entity else None, "quotes": 0,
            "mentions": Counter(), "titles": entity.titles if entity else []})
        row["quotes"] += 1
        row["mentions"][quote.speaker.mention] += 1
    return {
        "articles": [{
            "id": id, "part": part, "title": meta.get("title"), "url": meta.get("canonical_url") or meta.get("url"),
            "outlet": meta.get("sitename"), "published": meta.get("date"), "source": meta.get("source"),
            "quotes": len(article.quotes), "text": article.text,
            "meta": json.dumps(meta, ensure_ascii=False, default=str),
            "entities": data["entities"], "furniture": data["furniture"], "headings": data["headings"]}],
        "quotations": [{"article_id": id, "number": number, **quote} for number, quote in enumerate(data["quotes"])],
        "speakers": [{**row, "mentions": [mention for mention, _ in row["mentions"].most_common()]}
                     for row in speakers.values()],
        "sources": [{"article_id": id, **source} for source in data["sources"]],
    }


class PartWriter:
    """Writes one part's four files under temporary names; commit() renames them into place.
    Leaving the block without commit() (an exception) removes them."""

    def __init__(self, out: Path, part: str) -> None:
        self.out, self.part = out, part
        token = uuid.uuid4().hex[:8]
        self._temporary = {table: out / table / f".{part}.{token}.tmp" for table in TABLES}
        # Page checksums: a flipped byte in a part is found on read, not stored as quietly different text.
        self._writers = {table: pq.ParquetWriter(path, SCHEMAS[table], write_page_checksum=True)
                         for table, path in self._temporary.items()}
        self._buffer: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
        self._buffered = 0
        self.articles = self.quotes = 0

    def add(self, article: Article) -> None:
        for table, rows in _rows(article, self.part).items():
            self._buffer[table].extend(rows)
        self.articles += 1
        self.quotes += len(article.quotes)
        self._buffered += 1
        if self._buffered >= ROW_GROUP_ARTICLES:
            self._flush()

    def _flush(self) -> None:
        for table, rows in self._buffer.items():
            if rows:
                self._writers[table].write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[table]))
                rows.clear()
        self._buffered = 0

    def commit(self) -> None:
        self._flush()
        for writer in self._writers.values():
            writer.close()
        for table in TABLES:  # in order: the articles file, the done mark, comes last
            os.replace(self._temporary[table], self.out / table / f"{self.part}.parquet")

    def __enter__(self) -> PartWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:
            for table, writer in self._writers.items():
                with suppress(Exception):  # closing may fail again (the disk is still full): remove it anyway
                    writer.close()
                self._temporary[table].unlink(missing_ok=True)


class BadPart(ValueError):
    """A part that cannot be trusted: unreadable, another schema, rows that disagree, offsets outside the text."""


def _table(out: Path, table: str, part: str) -> pq.ParquetFile:
    path = out / table / f"{part}.parquet"
    try:
        parquet = pq.ParquetFile(path, page_checksum_verification=True)
    except FileNotFoundError:
        raise BadPart(f"{table}/{path.name} is missing") from None
    except Exception as error:  # truncated, empty, not Parquet: Arrow fails on damaged files in many ways
        raise BadPart(f"{table}/{path.name} is unreadable ({type(error).__name__}: {error})") from None
    found = [(field.name, field.type) for field in parquet.schema_arrow]
    expected = [(field.name, field.type) for field in SCHEMAS[table]]
    if found != expected[:len(found)] or len(found) < len(expected) - len(APPENDED.get(table, ())):
        raise BadPart(f"{table}/{path.name} has another schema than quotetrail writes "
                      f"(columns {', '.join(name for name, _ in found) or 'none'})")
    return parquet


def _rows_of(parquet: pq.ParquetFile) -> Iterator[dict[str, Any]]:
    for group in range(parquet.num_row_groups):
        yield from parquet.read_row_group(group).to_pylist()


def _grouped(out: Path, table: str, part: str) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in _rows_of(_table(out, table, part)):
        groups.setdefault(row.pop("article_id"), []).append(row)
    return groups


def _spans_of(row: dict[str, Any], quotes: list[dict[str, Any]], sources: list[dict[str, Any]]
              ) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every span an article's rows point into its text with, and what it is."""
    for quote in quotes:
        yield f"quotation {quote['number']}", quote
        for name in ("speaker", "cue"):
            if quote[name] is not None and quote[name]["start"] is not None:
                yield f"the {name} of quotation {quote['number']}", {
                    **quote[name], "text": quote[name]["mention" if name == "speaker" else "text"]}
    for entity in row["entities"] or ():
        for mention in entity["mentions"] or ():
            yield f"a mention of {entity['name']}", mention
    for name in ("furniture", "headings"):
        for span in row[name] or ():
            yield f"a span of {name}", span
    for source in sources:
        for span in source["evidence"] or ():
            yield f"the evidence of source {source['name']}", span


def _check_article(row: dict[str, Any], quotes: list[dict[str, Any]], sources: list[dict[str, Any]]) -> None:
    id, text = row["id"], row["text"]
    if id is None:
        raise BadPart("an article without its id")
    if text is None:
        raise BadPart(f"article {id} has no text, which every offset points into")
    if row["quotes"] != len(quotes) or sorted(quote["number"] for quote in quotes) != list(range(len(quotes))):
        raise BadPart(f"article {id} counts {row['quotes']} quotations but the quotations file holds {len(quotes)}")
    for what, span in _spans_of(row, quotes, sources):
        start, end = span["start"], span["end"]
        if start is None or end is None or not 0 <= start <= end <= len(text):
            raise BadPart(f"{what} of article {id} lies outside its text ({start}-{end} of {len(text)} characters)")
        if span["text"] is not None and text[start:end] != span["text"]:
            raise BadPart(f"{what} of article {id} does not match its text at {start}-{end}")


def _checked(out: Path, part: str) -> tuple[pq.ParquetFile, dict[str, list[dict[str, Any]]],
                                            dict[str, list[dict[str, Any]]]]:
    """The part's articles file and its quotations and sources by article, once every row
    agrees with the others; BadPart saying what does not."""
    try:
        articles = _table(out, "articles", part)
        quotes, sources = _grouped(out, "quotations", part), _grouped(out, "sources", part)
        speakers = _grouped(out, "speakers", part)
        ids: set[str] = set()
        for row in _rows_of(articles):
            _check_article(row, quotes.get(row["id"], []), sources.get(row["id"], []))
            ids.add(row["id"])
    except BadPart:
        raise
    except Exception as error:  # damage inside a row group, or nulls where quotetrail writes values
        raise BadPart(f"unreadable ({type(error).__name__}: {error})") from None
    for table, rows in (("quotations", quotes), ("sources", sources), ("speakers", speakers)):
        if strays := rows.keys() - ids:
            raise BadPart(f"{table}/{part}.parquet has rows of article {min(strays, key=str)}, "
                          f"which the articles file does not hold")
    return articles, quotes, sources


def check_part(out: Path, part: str) -> str | None:
    """Why the part cannot be trusted, or None when it can."""
    try:
        _checked(out, part)
    except BadPart as error:
        return " ".join(str(error).split())  # Arrow's messages run over several lines
    return None


def read_articles(out: Path, on_bad_part: Callable[[Failure], None]) -> Iterator[Article]:
    """The articles of every finished part, rebuilt with Article.from_dict, part by part.
    Each part is checked whole first: a bad one goes to on_bad_part, named and with its
    reason, and none of its articles is yielded; the good ones are."""
    if not is_output(out):
        raise PartError(f"{out} holds no quotetrail parts (no {MARKER})")
    done = done_parts(out)
    begun = {file.stem for table in TABLES for file in (out / table).glob("*.parquet")}
    for part in sorted(begun - done):  # killed between its renames, or damaged
        on_bad_part(Failure(str(out / "articles" / f"{part}.parquet"),
                            "bad part: unfinished, its articles file is missing ('extract --resume' completes it)"))
    for part in sorted(done):
        try:
            articles, quotes, sources = _checked(out, part)
        except BadPart as error:
            on_bad_part(Failure(str(out / "articles" / f"{part}.parquet"), f"bad part: {' '.join(str(error).split())}"))
            continue
        for row in _rows_of(articles):
            yield Article.from_dict({
                **row, "meta": json.loads(row["meta"]),
                "quotes": sorted(quotes.get(row["id"], ()), key=lambda quote: quote["number"]),
                "sources": sources.get(row["id"], [])})
