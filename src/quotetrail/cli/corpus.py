"""The corpus commands: ingest, search, trace, verify, speaker, speakers, outlets, export."""
from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Light modules only (no spaCy, no input readers): the parsers are built for every command.
from ..corpus.export import FORMATS
from ..corpus.read import fields as search_fields
from ..corpus.read.records import FLAT_FIELDS, QuoteRecord, flat
from ..corpus.read.searching import Facet
from ..corpus.read.views import SPEAKERS_PER_PAGE, OutletView, SpeakerSummary, SpeakerView
from ..errors import CorpusError
from ..sanitize import spreadsheet_safe
from . import error, fail
from .options import (add_db, add_extraction, add_inputs, add_kinds, add_old_lock_timeout, analysis, fetching,
                      input_options, languages)

if TYPE_CHECKING:
    from ..corpus.api import Corpus
    from ..corpus.read.views import StatedOrigin
    from ..corpus.store import IngestReport
    from ..corpus.trace import Trail
    from ..model import Failure, Item, Outcome

PARTS_MARKER = "_quotetrail.json"  # engine.parts.MARKER; importing that needs pyarrow

LISTING_FORMATS = ("table", "json", "csv")


def _handle(command: Callable[[argparse.Namespace, Corpus], int], create: bool = False
            ) -> Callable[[argparse.Namespace], int]:
    """Open the corpus for a command; a CorpusError is one line (with the flag to change, if
    one would) and exit status 2."""
    def handler(args: argparse.Namespace) -> int:
        from ..corpus.api import Corpus

        try:
            with Corpus(args.db, create=create, timeout=args.lock_timeout) as corpus:
                return command(args, corpus)
        except CorpusError as failure:
            return fail(failure)
    return handler


def _parser(subparsers: argparse._SubParsersAction, name: str, help: str, description: str,
            formats: Sequence[str] = (), fetches: bool = False) -> argparse.ArgumentParser:
    """fetches: the command reads inputs, whose --timeout is the HTTP timeout, as in extract."""
    parser = subparsers.add_parser(name, help=help, description=description)
    add_db(parser)
    if not fetches:
        add_old_lock_timeout(parser)
    if formats:
        parser.add_argument("--format", choices=formats, default=formats[0])
    return parser


def _wrap_table(headers: Sequence[str], rows: Iterable[Sequence[str | None]], wrap: int) -> str:
    """Columns sized to their contents; column `wrap` takes the rest of the terminal and wraps."""
    table = [[cell or "-" for cell in row] for row in rows]
    width = shutil.get_terminal_size((120, 24)).columns
    widths = [min(40, max([len(header)] + [len(row[i]) for row in table])) for i, header in enumerate(headers)]
    widths[wrap] = max(30, width - sum(widths) + widths[wrap] - 3 * (len(headers) - 1))
    lines = [" | ".join(header.ljust(w) for header, w in zip(headers, widths)).rstrip(),
             "-+-".join("-" * w for w in widths)]
    for row in table:
        cells = [textwrap.wrap(cell, w) or [""] for cell, w in zip(row, widths)]
        for i in range(max(len(cell) for cell in cells)):
            lines.append(" | ".join((c[i] if i < len(c) else "").ljust(w) for c, w in zip(cells, widths)).rstrip())
    return "\n".join(lines) + "\n"


def _emit(format: str, items: Sequence[Any], kind: type, table: Callable[[Sequence[Any]], str]) -> None:
    """Dataclasses of one kind out as a table, a JSON list, or CSV (lists joined with '; ')."""
    if format == "table":
        sys.stdout.write(table(items))
    elif format == "json":
        sys.stdout.write(json.dumps([asdict(item) for item in items], ensure_ascii=False, indent=2) + "\n")
    elif kind is QuoteRecord:  # its addressee, setting and target spread over columns of their own
        writer = csv.DictWriter(sys.stdout, FLAT_FIELDS)
        writer.writeheader()
        writer.writerows({key: spreadsheet_safe(value) for key, value in flat(item).items()} for item in items)
    else:
        writer = csv.DictWriter(sys.stdout, [field.name for field in fields(kind)])
        writer.writeheader()
        writer.writerows({key: spreadsheet_safe("; ".join(_flat(v) for v in value) if isinstance(value, list) else value)
                          for key, value in asdict(item).items()} for item in items)


def _flat(value: Any) -> str:
    """A list item for CSV: a Facet ("TVP World", 3) → "TVP World (3)"."""
    if isinstance(value, dict) and set(value) == {"value", "count"}:
        value = Facet(**value)
    if isinstance(value, (tuple, list, Facet)):
        name, count = value
        return f"{name} ({count})"
    return str(value)


def _day(record: QuoteRecord) -> str:
    return (record.published or "undated")[:10]


# ingest

def _add_ingest(subparsers: argparse._SubParsersAction) -> None:
    parser = _parser(subparsers, "ingest", "extract articles into a corpus database",
                     "Extract quotations from articles (any input 'quotetrail extract' reads) and store them; "
                     "articles already stored are skipped. A directory written by 'extract --format parquet' "
                     "is loaded as it is, without extracting again.", fetches=True)
    parser.add_argument("inputs", nargs="*", metavar="INPUT",
                        help="what extract reads (files, directories, globs, URLs, feeds, WARC, JSONL), "
                             "or a directory of Parquet parts")
    add_extraction(parser, "processes (each loads the model once)")
    add_inputs(parser)
    parser.set_defaults(handler=_ingest_named)


def _ingest_named(args: argparse.Namespace) -> int:
    """Refuse a command that names nothing before it creates a database."""
    if not args.inputs and not args.urls:
        error("nothing to ingest: name files, directories, globs or URLs, or --urls FILE")
        return 2
    return _handle(_ingest, create=True)(args)


def _load_parts(directory: Path, corpus: Corpus, min_confidence: float) -> IngestReport:
    from ..link.confidence import keep_confident

    try:
        from ..engine.parts import read_articles
    except ImportError as missing:
        raise CorpusError(f"reading Parquet parts needs pyarrow ({missing}): pip install 'quotetrail[parquet]'") from None
    bad_parts: list[Failure] = []
    report = corpus.ingest_articles(keep_confident(article, min_confidence)
                                    for article in read_articles(directory, bad_parts.append))
    report.failures.extend(bad_parts)
    return report


def _ingest(args: argparse.Namespace, corpus: Corpus) -> int:
    from .. import batch  # loads spaCy: only for ingest
    from ..corpus.store import IngestReport
    from ..inputs import Fetcher, Preparer, read_inputs, web
    from ..link.confidence import keep_confident

    settings, prepare = analysis(args), Preparer(languages(args))

    def confident(documents: Iterable[Item], workers: int) -> Iterator[Outcome]:
        for outcome in batch.run(documents, workers, prepare, args.doc_timeout, settings):
            if outcome.article is not None:
                outcome.article = keep_confident(outcome.article, args.min_confidence)
            yield outcome

    # A directory written by `extract --format parquet` holds articles extracted already.
    parts = [Path(path) for path in args.inputs if (Path(path) / PARTS_MARKER).is_file()]
    try:
        urls = [url for path in args.urls for url in web.read_url_list(path)]
    except (OSError, ValueError) as failure:  # an unreadable --urls file
        raise CorpusError(str(failure)) from None
    others = [path for path in args.inputs if Path(path) not in parts] + urls
    reports = [_load_parts(directory, corpus, args.min_confidence) for directory in parts]
    if others:
        with Fetcher.of(fetching(args), args.max_page_bytes) as fetcher:
            documents = read_inputs(others, input_options(args), fetcher)
            reports.append(corpus.ingest(documents, workers=args.workers, extractor=confident))
    report = IngestReport(added=sum(r.added for r in reports), present=sum(r.present for r in reports),
                          quotes=sum(r.quotes for r in reports), failures=[f for r in reports for f in r.failures])
    for failure in report.failures:
        error(f"{failure.id}: {failure.reason}")
    stats = corpus.stats()
    print(f"quotetrail: stored {report.added} articles ({report.quotes} attributions), "
          f"{report.present} already present, {len(report.failures)} failed; {corpus.path} holds "
          f"{stats.articles} articles, {stats.quotes} attributions, {stats.speakers} speakers", file=sys.stderr)
    return 1 if report.failures else 0


# search

def _add_search(subparsers: argparse._SubParsersAction) -> None:
    parser = _parser(subparsers, "search", "find stored quotations",
                     "Quotations containing all the given words (any order), newest first; every option "
                     "given must hold. Date options leave out undated articles.", LISTING_FORMATS)
    parser.add_argument("text", nargs="?", metavar="WORDS",
                        help='words to find; a speaker\'s name finds their quotations (see --mode); '
                             'speaker:NAME or speaker:"FIRST LAST" filters by speaker')
    search_fields.add_arguments(parser)
    parser.add_argument("--mode", choices=search_fields.MODES, default="auto",
                        help="auto (default): a speaker's name means their quotations, else words; words: all of "
                             "them; phrase: in this order; prefix: words starting so; exact: these characters")
    parser.add_argument("--sort", choices=search_fields.SORTS, default="newest")
    parser.add_argument("--limit", type=int, default=50)
    parser.set_defaults(handler=_handle(_search))


def _search(args: argparse.Namespace, corpus: Corpus) -> int:
    hits = corpus.search(args.text, limit=args.limit, mode=args.mode, sort=args.sort, **search_fields.given(args))
    _emit(args.format, hits, QuoteRecord, lambda records: _wrap_table(
        ("date", "outlet", "speaker", "kind", "act", "quote", "via"),
        [(_day(r), r.outlet, r.speaker or r.named_as, r.kind, r.act, r.text, ", ".join(r.via)) for r in records],
        wrap=5))
    return 0


# trace

def _add_trace(subparsers: argparse._SubParsersAction) -> None:
    parser = _parser(subparsers, "trace", "follow a quotation across outlets to its origin",
                     "Every stored appearance of a quotation (and its near-duplicates), earliest first: "
                     "date, outlet, speaker, the outlet it was relayed via, article and the words.",
                     ("table", "json"))
    parser.add_argument("text", metavar="QUOTE")
    parser.set_defaults(handler=_handle(_trace))


def _trace(args: argparse.Namespace, corpus: Corpus) -> int:
    trail = corpus.trace(args.text)
    if trail is None:
        error(f"no stored quotation matches {args.text!r}")
        return 1
    stated = corpus.stated_origins(trail)
    if args.format == "json":
        data = {"query": trail.query, "origin": asdict(trail.origin),
                "stated_origins": [asdict(origin) for origin in stated], "outlets": trail.outlets,
                "relays": [asdict(relay) for relay in trail.relays],
                "appearances": [asdict(record) for record in trail.appearances]}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(_timeline(trail, stated))
    return 0


def _timeline(trail: Trail, stated: list[StatedOrigin]) -> str:
    origin = trail.origin
    speaker = origin.speaker or origin.named_as or "?"
    count = len(trail.appearances)
    lines = [f"“{origin.text}”", f"first: {_day(origin)}, {origin.outlet or '(unknown outlet)'}, {speaker}",
             f"{count} appearance{'s' * (count != 1)} in {len(trail.outlets)} outlet{'s' * (len(trail.outlets) != 1)}: "
             f"{', '.join(trail.outlets) or '-'}"]
    lines += [f"origin stated: {origin.outlet} (“{origin.evidence}”, says {origin.article_outlet or 'an article'})"
              for origin in stated]
    if trail.relays:
        lines.append("relayed: " + "; ".join(f"{relay.outlet or '?'} via {relay.via}" for relay in trail.relays))
    rows = []
    for number, record in enumerate(trail.appearances, 1):
        article = " · ".join(part for part in (record.title, record.url or record.source) if part)
        rows.append((str(number), _day(record), record.outlet, record.speaker or record.named_as,
                     ", ".join(record.via), f"{record.text} [{article}]"))
    table = _wrap_table(("#", "date", "outlet", "speaker", "via", "quote [article]"), rows, wrap=5)
    return "\n".join(lines) + "\n\n" + table


# verify

def _add_verify(subparsers: argparse._SubParsersAction) -> None:
    parser = _parser(subparsers, "verify", "did someone really say this, and where first?",
                     "Find a quotation from its words, even partial or slightly wrong, and answer with a "
                     "verdict: who published it first, whom the copies credit, and how each copy differs "
                     "from the first and where it came from (docs/lineage.md).", ("table", "json"))
    parser.add_argument("text", metavar="QUOTE")
    parser.add_argument("--speaker", metavar="NAME", help="the person the quotation is said to be by: where the "
                        "words match several quotations (\"we will see\"), the one credited to them")
    parser.set_defaults(handler=_handle(_verify))


def _verify(args: argparse.Namespace, corpus: Corpus) -> int:
    answer = corpus.verify(args.text, speaker=args.speaker)
    if not answer["found"]:
        error(f"no stored quotation matches {args.text!r}")
        return 1
    if args.format == "json":
        sys.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(_verdict_table(answer))
    return 0


def _verdict_table(answer: dict[str, Any]) -> str:
    lines = textwrap.wrap(answer["verdict"], shutil.get_terminal_size((120, 24)).columns) or [""]
    if answer["outside"]:
        lines.append("named, not in the corpus: " + ", ".join(answer["outside"]))
    rows = []
    for number, item in enumerate(answer["appearances"], 1):
        parent = item["parent"]
        came = "-" if parent is None else f"{parent['outlet'] or '?'} ({parent['how']})"
        variant = item["variant"] + (f": {', '.join(item['meaning'])}" if item["meaning"] else "")
        speaker = (item["speaker"] or "-") + (" (differs)" if item["speaker_differs"] else "")
        rows.append((str(number), (item["date"] or "undated")[:10], item["outlet"], speaker, variant, came,
                     item["text"]))
    table = _wrap_table(("#", "date", "outlet", "speaker", "variant", "from", "quote"), rows, wrap=6)
    return "\n".join(lines) + "\n\n" + table


# speaker, speakers

def _add_speaker(subparsers: argparse._SubParsersAction) -> None:
    parser = _parser(subparsers, "speaker", "what one speaker said, when and where",
                     "Quotation count, first and last seen, top topic words and outlets of a speaker "
                     "(a bare surname shows everyone with it, most quoted first, a page at a time).", LISTING_FORMATS)
    parser.add_argument("name", metavar="NAME")
    parser.add_argument("--page", type=int, default=1, help="which page of speakers the name may mean (default: 1)")
    parser.add_argument("--per-page", type=int, default=SPEAKERS_PER_PAGE, metavar="N",
                        help=f"profiles a page, most quoted first (default: {SPEAKERS_PER_PAGE})")
    parser.set_defaults(handler=_handle(_speaker))


NAMESAKES_LISTED = 30  # names (with counts) printed of the speakers a name may mean


def _speaker(args: argparse.Namespace, corpus: Corpus) -> int:
    found = corpus.speaker(args.name, page=args.page, per_page=args.per_page)
    if found.total > 1 or not found:
        shown = (f"showing {(found.page - 1) * found.per_page + 1}-{(found.page - 1) * found.per_page + len(found)}"
                 if found else f"page {found.page} is past the last ({found.pages})")
        following = f"; next: --page {found.next_page}" if found.next_page else ""
        listed = ", ".join(f"{match.name} ({match.quotes})" for match in found.matches[:NAMESAKES_LISTED])
        more = f", and {found.total - NAMESAKES_LISTED} more" if found.total > NAMESAKES_LISTED else ""
        print(f"quotetrail: {args.name!r} may mean {found.total} speakers, most quoted first; {shown}{following}\n"
              f"  {listed}{more}", file=sys.stderr)
    _emit(args.format, found, SpeakerView, lambda profiles: "\n".join(
        f"{p.name}" + (f"  (written: {', '.join(p.written)})" if p.written != [p.name] else "") + "\n"
        f"  quotations: {p.quotes}   first seen: {p.first_seen or '-'}   last seen: {p.last_seen or '-'}\n"
        f"  outlets: {', '.join(_flat(outlet) for outlet in p.outlets)}\n"
        f"  topics: {', '.join(p.topics) or '-'}\n" for p in profiles))
    return 0


def _add_speakers(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("speakers", help="list speakers; merge or split them",
                                   description="Speakers across articles. Merges and splits are stored in the "
                                               "database and hold across re-ingests.")
    actions = parser.add_subparsers(dest="action", required=True)
    listing = _parser(actions, "list", "every speaker with its quotation count and spellings",
                      "Every speaker with its quotation count and the names articles give it.", LISTING_FORMATS)
    listing.set_defaults(handler=_handle(_speakers_list))
    merge = _parser(actions, "merge", "NAME is the same person as INTO",
                    "Record that the speaker written NAME is the same person as the one written INTO.")
    merge.add_argument("name", metavar="NAME")
    merge.add_argument("into", metavar="INTO")
    merge.set_defaults(handler=_handle(_speakers_merge))
    split = _parser(actions, "split", "NAME is a person of its own",
                    "Record that mentions written NAME are their own speaker, undoing merges of it.")
    split.add_argument("name", metavar="NAME")
    split.set_defaults(handler=_handle(_speakers_split))


def _speakers_list(args: argparse.Namespace, corpus: Corpus) -> int:
    _emit(args.format, corpus.speakers(), SpeakerSummary, lambda summaries: _wrap_table(
        ("speaker", "quotations", "written"),
        [(s.name, str(s.quotes), ", ".join(s.written)) for s in summaries], wrap=2))
    return 0


def _speakers_merge(args: argparse.Namespace, corpus: Corpus) -> int:
    corpus.merge_speakers(args.name, args.into)
    print(f"quotetrail: {args.name!r} is now the same speaker as {args.into!r}", file=sys.stderr)
    return 0


def _speakers_split(args: argparse.Namespace, corpus: Corpus) -> int:
    corpus.split_speaker(args.name)
    print(f"quotetrail: {args.name!r} is now a speaker of its own", file=sys.stderr)
    return 0


# outlets, export

def _add_outlets(subparsers: argparse._SubParsersAction) -> None:
    parser = _parser(subparsers, "outlets", "outlets and whom they relay",
                     "Outlets with their articles, quotations and the outlets their quotations credit.",
                     LISTING_FORMATS)
    parser.add_argument("--relaying", metavar="OUTLET", help="only outlets that credit OUTLET")
    parser.add_argument("--only", action="store_true", help="with --relaying: and credit no other outlet")
    parser.set_defaults(handler=_handle(_outlets))


def _outlets(args: argparse.Namespace, corpus: Corpus) -> int:
    if args.only and not args.relaying:
        raise CorpusError("--only needs --relaying OUTLET")
    _emit(args.format, corpus.outlets(args.relaying, args.only), OutletView, lambda summaries: _wrap_table(
        ("outlet", "articles", "quotations", "relays"),
        [(s.outlet, str(s.articles), str(s.quotes), ", ".join(_flat(r) for r in s.relays)) for s in summaries],
        wrap=3))
    return 0


def _add_export(subparsers: argparse._SubParsersAction) -> None:
    parser = _parser(subparsers, "export", "write every attribution with speaker and article",
                     "Every quotation with its speaker and article metadata. Parquet needs the optional "
                     "extra: pip install 'quotetrail[parquet]'.", FORMATS)
    parser.add_argument("-o", "--output", metavar="OUT", help="write here instead of stdout (parquet: required)")
    add_kinds(parser, "all")
    parser.set_defaults(handler=_handle(_export))


def _export(args: argparse.Namespace, corpus: Corpus) -> int:
    count = corpus.export(args.format, Path(args.output) if args.output else sys.stdout, args.kinds)
    print(f"quotetrail: exported {count} attributions ({args.kinds})", file=sys.stderr)
    return 0


def add_corpus_commands(subparsers: argparse._SubParsersAction) -> None:
    for add in (_add_ingest, _add_search, _add_trace, _add_verify, _add_speaker, _add_speakers, _add_outlets, _add_export):
        add(subparsers)
