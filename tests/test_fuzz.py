"""Property tests with generated input (hypothesis): random and adversarial
text with quotation marks of every style, HTML, JSONL and file names.

Invariants: nothing crashes; every reported span is valid and text[start:end]
equals the field it backs; each document takes bounded time; no lone
surrogate gets past the input boundary.

CI runs a small, derandomised budget (the case count and time are printed at
the end of the test run); `make fuzz` runs QUOTETRAIL_FUZZ_FACTOR times more
cases with fresh random seeds."""
from __future__ import annotations

import gzip
import json
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import accurate_tier_missing
import quotetrail
from quotetrail import sanitize
from quotetrail.inputs import Fetcher, Fields, InputOptions, Preparer, html, read_inputs
from quotetrail.inputs.jsonl import read_jsonl
from quotetrail.model import Article, Document, Failure, Skipped
from quotetrail.read import ReadError, decode

FACTOR = float(os.environ.get("QUOTETRAIL_FUZZ_FACTOR", "1"))
FUZZING = FACTOR > 1
SECONDS_PER_DOCUMENT = 10.0  # far above the few tens of milliseconds a short text takes


def budget(examples: int):
    """CI: fixed seeds, no example database; `make fuzz`: more cases, random seeds."""
    return settings(max_examples=max(1, int(examples * FACTOR)), deadline=None, derandomize=not FUZZING,
                    database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@contextmanager
def case(tally) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        tally["cases"] += 1
        tally["seconds"] += time.perf_counter() - started


QUOTE_MARKS = [("“", "”"), ("‘", "’"), ("«", "»"), ("»", "«"), ("„", "“"), ("„", "”"), ("‚", "‘"), ('"', '"'),
               ("'", "'"), ("‹", "›"), ("「", "」"), ("『", "』"), ("``", "''")]
NAMES = ["Maria Delgado", "Delgado", "she", "he", "they", "the minister", "a senior official", "Daily Meridian",
         "Reuters", "TVP World", "the Belarusian leader", "Kwame Osei", "police"]
CUES = ["said", "told reporters", "according to", "warned that", "notes", "reports", "added", "said in a statement that",
        "urged", "called the plan", "accused", "insisting", "—", "claims"]
GLUE = ["\n", "\n\n", ", ", ". ", " ", "; ", ": ", "…", " - ", "\r\n", "\t", "\u2028", "\x0c", "\u200b", "\ufeff"]
PLAIN = st.text(st.characters(exclude_categories=("Cs",)), max_size=24)
WORDS = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz ABCXYZ,.'-0123456789"), max_size=40)


@st.composite
def quoted(draw) -> str:
    opening, closing = draw(st.sampled_from(QUOTE_MARKS))
    body = draw(st.one_of(WORDS, PLAIN))
    closing = draw(st.sampled_from([closing, closing, "", opening]))  # unbalanced too
    return opening + body + closing


FRAGMENT = st.one_of(quoted(), st.sampled_from(NAMES), st.sampled_from(CUES), st.sampled_from(GLUE), WORDS, PLAIN,
                     st.sampled_from([mark for pair in QUOTE_MARKS for mark in pair]))
ARTICLE_TEXT = st.lists(FRAGMENT, min_size=1, max_size=60).map("".join)


def assert_spans_hold(article: Article, text: str) -> None:
    def holds(start: int, end: int, value: str) -> None:
        assert 0 <= start <= end <= len(text)
        assert text[start:end] == value

    for quote in article.quotes:
        holds(quote.start, quote.end, quote.text)
        if quote.cue is not None:
            holds(quote.cue.start, quote.cue.end, quote.cue.text)
        if quote.speaker is not None and quote.speaker.end > quote.speaker.start:
            holds(quote.speaker.start, quote.speaker.end, quote.speaker.mention)
    for entity in article.entities:
        for mention in entity.mentions:
            holds(mention.start, mention.end, mention.text)
    for span in [*article.furniture, *article.headings]:
        holds(span.start, span.end, span.text)
    for source in article.sources:
        for evidence in source.evidence:
            holds(evidence.start, evidence.end, evidence.text)


@budget(80)
@given(ARTICLE_TEXT)
def test_pipeline_spans_hold_on_adversarial_text(fuzz_tally, text):
    with case(fuzz_tally):
        started = time.perf_counter()
        article = quotetrail.extract(text)
        assert time.perf_counter() - started < SECONDS_PER_DOCUMENT
        assert_spans_hold(article, text)
        json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")  # writable as UTF-8


@pytest.mark.skipif(accurate_tier_missing() is not None, reason=str(accurate_tier_missing()))
@budget(20)
@given(ARTICLE_TEXT)
def test_accurate_tier_spans_hold_on_adversarial_text(fuzz_tally, text):
    # Its own wordpiece windows and offsets (accurate/windows.py): the same invariant.
    quotetrail.extract("Warm up, she said.", model="accurate")  # the model loaded outside the time a text gets
    with case(fuzz_tally):
        started = time.perf_counter()
        article = quotetrail.extract(text, model="accurate")
        assert time.perf_counter() - started < SECONDS_PER_DOCUMENT
        assert_spans_hold(article, text)


@budget(60)
@given(st.lists(st.one_of(FRAGMENT, st.sampled_from(["\ud800", "\udfff", "\udc80"])), min_size=1, max_size=20)
       .map("".join))
def test_surrogates_are_refused_by_the_api_and_cleaned_at_the_boundary(fuzz_tally, text):
    with case(fuzz_tally):
        if sanitize.has_surrogates(text):
            with pytest.raises(quotetrail.TextError):
                quotetrail.extract(text)
        cleaned = sanitize.clean_text(text)
        assert len(cleaned) == len(text) and not sanitize.has_surrogates(cleaned)
        cleaned.encode("utf-8")
        assert "\n" not in sanitize.one_line(text)


@budget(300)
@given(st.binary(max_size=400))
def test_decoding_bytes_gives_text_or_a_reason(fuzz_tally, data):
    with case(fuzz_tally):
        try:
            text, encoding = decode(data)
        except ReadError as error:
            assert str(error)
        else:
            assert isinstance(text, str) and encoding


TAGS = ["p", "div", "article", "main", "script", "style", "blockquote", "q", "span", "h1", "li", "table", "td", "nav"]


@st.composite
def html_page(draw) -> bytes:
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.integers(0, 5))
        if kind == 0:
            tag = draw(st.sampled_from(TAGS))
            parts.append(f"<{tag}>{draw(ARTICLE_TEXT)}</{tag}>")
        elif kind == 1:
            parts.append(draw(st.sampled_from(["<p>", "</p>", "<div", "<!--", "-->", "<![CDATA[", "]]>", "&", "&#xD800;",
                                               "&#0;", "&#x110000;", "&nbsp;", "<br/>", "<meta charset=utf-16>"])))
        elif kind == 2:
            parts.append(draw(PLAIN))
        elif kind == 3:
            parts.append('<script type="application/ld+json">{"headline": "H\\ud800", "author": "A\\udfff"}</script>')
        else:
            parts.append(f"<p>{draw(quoted())} {draw(st.sampled_from(NAMES))} {draw(st.sampled_from(CUES))}.</p>")
    lang = draw(st.sampled_from(["", ' lang="en"', ' lang="x\ud7ff"']))
    title = draw(PLAIN)
    markup = f"<html{lang}><head><title>{title}</title></head><body>{''.join(parts)}</body></html>"
    return markup.encode(draw(st.sampled_from(["utf-8", "utf-16", "latin-1"])), errors="replace")


@budget(120)
@given(html_page())
def test_html_pages_give_clean_text_or_a_reason(fuzz_tally, data):
    with case(fuzz_tally):
        result = Preparer(None)(html.page("page", data, {}))
        assert isinstance(result, (Document, Failure, Skipped))
        if isinstance(result, Document):
            assert not sanitize.has_surrogates(result.text)
            json.dumps(result.meta, ensure_ascii=False).encode("utf-8")


JSON_VALUE = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | PLAIN
                          | st.sampled_from(["\ud800", "x\udc00y"]),
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(PLAIN, inner, max_size=3),
                          max_leaves=8)
RECORD = st.fixed_dictionaries({}, optional={"id": JSON_VALUE, "text": st.one_of(ARTICLE_TEXT, JSON_VALUE),
                                             "html": JSON_VALUE, "title": JSON_VALUE, "url": PLAIN})
JSONL_LINE = st.one_of(RECORD.map(json.dumps).map(str.encode), JSON_VALUE.map(json.dumps).map(str.encode),
                       st.binary(max_size=60).map(lambda data: data.replace(b"\n", b" ")), st.just(b""))


@budget(100)
@given(st.lists(JSONL_LINE, max_size=12), st.booleans())
def test_jsonl_lines_each_give_one_item(fuzz_tally, lines, compress):
    with case(fuzz_tally), tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("dump.jsonl.gz" if compress else "dump.jsonl")
        data = b"\n".join(lines) + b"\n"
        path.write_bytes(gzip.compress(data) if compress else data)
        items = list(read_jsonl(str(path), Fields(), max_bytes=10_000, max_line_bytes=200))
        assert len(items) == (sum(1 for line in lines if line.strip()) or 1)  # an empty file: one failure
        with Fetcher(delay=0) as fetcher:
            for item in read_inputs([str(path)], InputOptions(max_bytes=10_000, max_page_bytes=200), fetcher):
                assert isinstance(item, (Document, Failure, Skipped))
                json.dumps([item.id, getattr(item, "text", ""), getattr(item, "meta", {})],
                           ensure_ascii=False).encode("utf-8")


FILE_NAME = st.binary(min_size=1, max_size=30).filter(lambda name: b"/" not in name and b"\x00" not in name
                                                      and name not in (b".", b".."))


@budget(60)
@given(st.lists(st.tuples(FILE_NAME, st.sampled_from([b".txt", b".html", b".jsonl", b".xml", b""]),
                          st.sampled_from([b"", b"plain words", b"\xff\xfe\x00", "“Hi,” she said.".encode()])),
                max_size=6, unique_by=lambda entry: entry[0] + entry[1]))
def test_any_file_name_gives_an_encodable_id_and_a_one_line_reason(fuzz_tally, files):
    with case(fuzz_tally), tempfile.TemporaryDirectory() as folder:
        for name, suffix, content in files:
            with open(os.path.join(os.fsencode(folder), name + suffix), "wb") as file:
                file.write(content)
        with Fetcher(delay=0) as fetcher:
            items = list(read_inputs([folder], InputOptions(), fetcher))
        assert items
        for item in items:
            item.id.encode("utf-8")
            if isinstance(item, Failure):
                assert "\n" not in sanitize.one_line(f"{item.id}: {item.reason}")


# --- Parquet parts: random damage to part files --------------------------------------------------------

DAMAGE = st.sampled_from(["truncate", "flip", "empty", "delete", "swap", "append"])
PART_TABLES = st.sampled_from(["articles", "quotations", "speakers", "sources"])


@pytest.fixture(scope="module")
def part_files(tmp_path_factory) -> Path:
    pytest.importorskip("pyarrow")
    from test_reliability import write_dumps

    from quotetrail import engine
    from quotetrail.engine import local

    root = tmp_path_factory.mktemp("fuzz-parts")
    report = engine.extract_parts(write_dumps(root / "dumps"), engine.Settings(str(root / "out")), local.run_tasks)
    assert len(report.written) == 5 and not report.tally.failed
    return root / "out"


def damaged_copy(source: Path, folder: Path, damages: list[tuple[int, str, str, float, int]]) -> set[str]:
    """A copy of source with each damage done to one file of one part; the parts touched."""
    import shutil

    out = folder / "out"
    shutil.copytree(source, out)
    names = sorted(path.stem for path in (out / "articles").glob("*.parquet"))
    touched = set()
    for part, table, how, where, byte in damages:
        path = out / table / f"{names[part % len(names)]}.parquet"
        touched.add(path.stem)
        if not path.exists():
            continue
        data = path.read_bytes()
        at = int(where * len(data))
        if how == "truncate":
            path.write_bytes(data[:at])
        elif how == "flip":
            path.write_bytes(data[:at] + bytes([data[at] ^ (byte or 1)]) + data[at + 1:] if data else b"")
        elif how == "empty":
            path.write_bytes(b"")
        elif how == "delete":
            path.unlink()
        elif how == "append":
            path.write_bytes(data + bytes([byte]) * 16)
        else:  # swap with the same table of the next part: well-formed, but another article's rows
            other = out / table / f"{names[(part + 1) % len(names)]}.parquet"
            touched.add(other.stem)
            if other.exists():
                swapped = other.read_bytes()
                other.write_bytes(data)
                path.write_bytes(swapped)
    return touched


@budget(30)
@given(st.lists(st.tuples(st.integers(0, 4), PART_TABLES, DAMAGE, st.floats(0, 0.999), st.integers(0, 255)),
                min_size=1, max_size=4))
def test_damaged_parts_are_named_and_the_good_ones_stored(fuzz_tally, part_files, damages):
    from quotetrail.corpus import Corpus
    from quotetrail.engine import parts

    with case(fuzz_tally), tempfile.TemporaryDirectory() as folder:
        touched = damaged_copy(part_files, Path(folder), damages)
        bad: list[Failure] = []
        with Corpus(Path(folder) / "corpus.db") as corpus:
            report = corpus.ingest_articles(parts.read_articles(Path(folder) / "out", bad.append))
            stored = {row[0] for row in corpus._conn.execute("SELECT json_extract(meta, '$.id') FROM articles")}
        named = {Path(failure.id).stem for failure in bad}
        assert all(failure.reason.startswith("bad part: ") and "\n" not in failure.reason for failure in bad)
        good = {path.stem: article for path in (part_files / "articles").glob("*.parquet")
                for article in [path.stem.split("_jsonl-")[0]]}
        for part, article in good.items():
            if part not in touched:
                assert article in stored and part not in named  # every good part stored
            else:
                assert (article in stored) != (part in named)  # a damaged one: stored whole, or named
        assert report.added == len(stored)
