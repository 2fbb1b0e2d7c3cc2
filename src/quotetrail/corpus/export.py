"""Every quotation with its speaker and article, as CSV, JSON lines or Parquet.

Parquet needs pyarrow, an optional extra (`pip install 'quotetrail[parquet]'`):
its wheel is about 55 MB, more than the rest of the corpus feature together.
"""
from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from itertools import islice
from pathlib import Path
from typing import IO

from ..sanitize import spreadsheet_safe
from .schema import CorpusError
from .read.fields import kinds_condition
from .read.records import FLAT_FIELDS, PARTS, SELECT, QuoteRecord, flat, records

FORMATS = ("csv", "jsonl", "parquet")
COLUMNS = FLAT_FIELDS  # CSV and Parquet: the addressee, setting and target spread over columns
PARQUET_ROWS = 10_000  # rows per row group: bounded memory on big corpora


def all_quotes(conn: sqlite3.Connection, kinds: str = "all") -> Iterator[QuoteRecord]:
    """The stored attributions of the kinds asked for (model.parse_kinds), in ingest order."""
    condition, wanted = kinds_condition(None, kinds)
    return records(conn, f"{SELECT} {'WHERE ' + condition if condition else ''} ORDER BY a.id, q.start", wanted)


def write_csv(quotes: Iterable[QuoteRecord], out: IO[str]) -> int:
    writer = csv.DictWriter(out, COLUMNS)
    writer.writeheader()
    count = 0
    for quote in quotes:
        writer.writerow({key: spreadsheet_safe(value) for key, value in flat(quote).items()})
        count += 1
    return count


def write_jsonl(quotes: Iterable[QuoteRecord], out: IO[str]) -> int:
    count = 0
    for quote in quotes:
        out.write(json.dumps(asdict(quote), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_parquet(quotes: Iterator[QuoteRecord], path: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise CorpusError("parquet export needs pyarrow: pip install 'quotetrail[parquet]'") from None
    # Every other column is text; an explicit schema keeps all-null chunks typed.
    typed = {"via": pa.list_(pa.string()), "confidence": pa.float64(),
             **dict.fromkeys(("id", "article_id", "start", "end", "cluster_id", *(
                 f"{part}_{end}" for part in PARTS for end in ("start", "end"))), pa.int64())}
    schema = pa.schema([(name, typed.get(name, pa.string())) for name in COLUMNS])
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        while chunk := list(islice(quotes, PARQUET_ROWS)):
            writer.write_table(pa.Table.from_pylist([flat(quote) | {"via": quote.via} for quote in chunk],
                                                    schema=schema))
            count += len(chunk)
    return count


def export(conn: sqlite3.Connection, format: str, output: Path | IO[str], kinds: str = "all") -> int:
    """Every attribution of the kinds asked for, in ingest order; parquet needs a path.
    Returns the number written."""
    try:
        quotes = all_quotes(conn, kinds)
    except ValueError as error:
        raise CorpusError(str(error)) from None
    if format == "parquet":
        if not isinstance(output, Path):
            raise CorpusError("parquet export needs an output file (-o FILE)")
        return write_parquet(quotes, output)
    writer = write_csv if format == "csv" else write_jsonl
    if isinstance(output, Path):
        with output.open("w", encoding="utf-8", newline="") as out:
            return writer(quotes, out)
    return writer(quotes, output)
