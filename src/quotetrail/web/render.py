"""Template environment and the view helpers pages share: highlighted text, safe links,
URLs that keep a page's state, the timeline bars and the relay graph layout."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from html import escape
from pathlib import Path
from urllib.parse import quote_plus, urlencode, urlsplit

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request

from ..corpus.buckets import next_bucket
from ..corpus.read.fields import FILTERS
from ..corpus.read.searching import Bucket
from ..corpus.read.views import Edge, Mark
from ..model import Article
from ..render.html_page import _highlight

PALETTE_SIZE = 8  # speaker colours c0..c7 in style.css


def safe_url(url: object) -> str | None:
    """An http(s) link, or None: javascript:, data: and other schemes are never rendered as links."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def colours(labels: list[str]) -> dict[str, str]:
    """A colour class per speaker, in order of first appearance."""
    return {label: f"c{index % PALETTE_SIZE}" for index, label in enumerate(dict.fromkeys(labels)) if label}


def highlight(text: str, marks: list[Mark]) -> Markup:
    """The text, escaped, in paragraphs, with quotes (coloured by speaker), cues and speaker mentions marked."""
    palette = colours([mark.label for mark in marks if mark.kind.startswith("quote")])
    spans = [(mark.start, mark.end, f"{mark.kind} {palette.get(mark.label, 'unknown')}" if mark.kind.startswith("quote")
              else mark.kind, f'title="{escape(mark.label)}"' if mark.label else "") for mark in marks]
    body = _highlight(text, spans)  # escapes every piece of the text
    return Markup("".join(f"<p>{line}</p>" for line in body.split("\n") if line.strip()))


def article_marks(article: Article) -> list[Mark]:
    """An extracted (not stored) article's quotations, cues and speaker mentions as marks."""
    marks = []
    for quote in article.quotes:
        marks.append(Mark(quote.start, quote.end, f"quote {quote.kind}", quote.speaker.name if quote.speaker else ""))
        if quote.cue:
            marks.append(Mark(quote.cue.start, quote.cue.end, "cue"))
        if quote.speaker and quote.speaker.end > quote.speaker.start:
            marks.append(Mark(quote.speaker.start, quote.speaker.end, "speaker"))
    return marks


def mark_words(text: str, words: list[str], prefix: bool = False) -> Markup:
    """The text, escaped, with the words searched for (any case; prefix: words starting so) in <mark>."""
    if not words:
        return Markup(escape(text))
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(word) for word in words) + (r")\w*" if prefix else r")\b"),
                         re.IGNORECASE)
    pieces, last = [], 0
    for found in pattern.finditer(text):
        pieces += [escape(text[last:found.start()]), f"<mark>{escape(found.group())}</mark>"]
        last = found.end()
    return Markup("".join(pieces) + escape(text[last:]))


def with_params(request: Request, **changes: object) -> str:
    """This page's URL with some parameters changed (None or '' removes one); filters reset paging."""
    params = dict(request.query_params)
    if "page" not in changes:
        params.pop("page", None)
    for name, value in changes.items():
        if value is None or value == "":
            params.pop(name, None)
        else:
            params[name] = str(value)
    return request.url.path + ("?" + urlencode(params) if params else "")


def url(path: str, **params: object) -> str:
    """path?params as urlencode writes them, None and '' left out."""
    query = "&".join(f"{_quoted(name)}={_quoted(str(value))}" for name, value in params.items()
                     if value not in (None, ""))
    return path + ("?" + query if query else "")


@lru_cache(maxsize=4096)
def _quoted(text: str) -> str:
    # The same names and outlets recur in a page's links (a speaker page has a few hundred):
    # encoding each once took a quarter of its template's time.
    return quote_plus(text)


@dataclass
class Bar:
    x: int
    width: int
    height: int
    bucket: Bucket
    until: str  # last day the bar covers


BAR_AREA_HEIGHT = 80


def _bucket_end(start: date, interval: str) -> date:
    """The last day a bucket covers: interval is day, week (from a Monday), month or year."""
    following = next_bucket(start, interval)
    return following - timedelta(days=1) if following else date.max


def bars(timeline: list[Bucket], interval: str, width: int = 720) -> list[Bar]:
    """Bars for a timeline, scaled to the busiest bucket; each knows the days it covers."""
    if not timeline:
        return []
    top = max(bucket.count for bucket in timeline)
    step = max(2, min(40, width // len(timeline)))
    return [Bar(index * step, step - 2, max(2 if bucket.count else 0, round(BAR_AREA_HEIGHT * bucket.count / top)), bucket,
                _bucket_end(date.fromisoformat(bucket.start), interval).isoformat())
            for index, bucket in enumerate(timeline)]


@dataclass
class Node:
    name: str
    x: int
    carried: bool  # in the corpus; False: only credited by others


@dataclass
class Arc:
    path: str
    edge: Edge


GRAPH_STEP = 150


def relay_graph(outlets: list[str], edges: list[Edge]) -> tuple[list[Node], list[Arc], int]:
    """Outlets on a line in order of first appearance (credited-only outlets first), arcs from
    the outlet credited to the one that relayed it. Returns nodes, arcs and the width."""
    credited_only = [edge.source for edge in edges if edge.source not in outlets]
    names = list(dict.fromkeys([*credited_only, *outlets]))
    nodes = [Node(name, 70 + index * GRAPH_STEP, name in outlets) for index, name in enumerate(names)]
    x = {node.name: node.x for node in nodes}
    arcs = []
    for edge in edges:
        if edge.source in x and edge.target in x and edge.source != edge.target:
            start, end = x[edge.source], x[edge.target]
            lift = 20 + abs(end - start) // 4
            arcs.append(Arc(f"M {start} 90 C {start} {90 - lift} {end} {90 - lift} {end} 84", edge))
    return nodes, arcs, 140 + max(0, len(nodes) - 1) * GRAPH_STEP


@dataclass
class LineageArc:
    path: str
    how: str  # stated | inferred
    title: str


def lineage_graph(answer: dict) -> tuple[list[Node], list[LineageArc], int]:
    """A lineage (read.verify's answer) on a line: outlets named but not in the corpus first,
    then one node per copy, earliest first; an arc from each copy's parent to it, stated or
    inferred. Returns nodes, arcs and the width."""
    items = answer["appearances"]
    nodes = [Node(name, 70 + index * GRAPH_STEP, False) for index, name in enumerate(answer["outside"])]
    at_outside = {node.name: node.x for node in nodes}
    at_copy = {}
    for item in items:
        at_copy[item["quote_id"]] = 70 + len(nodes) * GRAPH_STEP
        nodes.append(Node(item["outlet"] or "(unknown outlet)", at_copy[item["quote_id"]], True))
    arcs = []
    for item in items:
        parent = item["parent"]
        if parent is None:
            continue
        start = at_copy.get(parent["quote_id"]) if parent["quote_id"] is not None else at_outside.get(parent["outlet"])
        end = at_copy[item["quote_id"]]
        if start is None or start == end:
            continue
        lift = 20 + abs(end - start) // 4
        title = f"{item['outlet'] or '?'} from {parent['outlet'] or '?'} ({parent['how']})"
        arcs.append(LineageArc(f"M {start} 90 C {start} {90 - lift} {end} {90 - lift} {end} 84", parent["how"], title))
    return nodes, arcs, 140 + max(0, len(nodes) - 1) * GRAPH_STEP


def _environment(directory: Path) -> Environment:
    environment = Environment(loader=FileSystemLoader(directory), autoescape=select_autoescape(default=True))
    environment.globals.update(safe_url=safe_url, with_params=with_params, url=url, bars=bars,
                               relay_graph=relay_graph, lineage_graph=lineage_graph, highlight=highlight, colours=colours,
                               article_marks=article_marks, mark_words=mark_words, FILTERS=FILTERS)
    return environment


templates = Jinja2Templates(env=_environment(Path(__file__).parent / "templates"))
