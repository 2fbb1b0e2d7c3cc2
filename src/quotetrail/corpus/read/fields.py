"""The search's filters and facets, declared once.

FILTERS is the one table: the command line's options (`--kinds`), the web's query parameters
(`?kinds=`), the Python keywords (`search(kinds=...)`), the search page's chips and facet
lists, and the SQL of the condition and of the facet's counts are all read from it. A new
filter or facet is one entry here; a default value (say, direct quotations only) is the
entry's `default`.
"""
from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import get_args

from ...link.names import name_key as outlet_key
from ...model import Act, QuoteKind, SettingKind, parse_kinds
from ..schema import ACT_INDEXED, CorpusError
from ..speakers import speaker_ids
from ..text import party_key

KINDS: tuple[str, ...] = get_args(QuoteKind)  # what extraction labels a quotation: new kinds reach the filter
ACTS: tuple[str, ...] = get_args(Act)  # what the describe stage (acts/) says a speaker did
SETTINGS: tuple[str, ...] = get_args(SettingKind)
MODES = ("auto", "words", "phrase", "prefix", "exact")  # auto: a name is a speaker, else words
INTERVALS = ("day", "week", "month", "year")
SORTS = ("newest", "oldest", "relevance")
MAX_VALUE_CHARS = 200
MAX_TEXT_CHARS = 500
UNKNOWN_OUTLET = "(unknown)"  # what the pages call articles without an outlet


def _text(value: str, name: str) -> str:
    if len(value) > MAX_VALUE_CHARS:
        raise CorpusError(f"{name} is longer than {MAX_VALUE_CHARS} characters")
    return value


def _day(value: str, name: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except (ValueError, TypeError):
        raise CorpusError(f"{name} wants a date as YYYY-MM-DD, not {value!r}") from None


def _share(value: str | float, name: str) -> float:
    try:
        number = float(value)
    except (ValueError, TypeError):
        raise CorpusError(f"{name} wants a number between 0 and 1, not {value!r}") from None
    if not 0 <= number <= 1:  # NaN fails this too
        raise CorpusError(f"{name} must be between 0 and 1, not {value}")
    return number


def _choice(choices: tuple[str, ...]) -> Callable[[str, str], str]:
    def parse(value: str, name: str) -> str:
        if value not in choices:
            raise CorpusError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
        return value
    return parse


def _kinds(value: str, name: str) -> str:
    """A kinds spec (model.parse_kinds), kept as its canonical comma-separated names."""
    try:
        return ",".join(sorted(parse_kinds(value)))
    except ValueError as error:
        raise CorpusError(f"{name}: {error}") from None


def kinds_condition(_: sqlite3.Connection | None, kinds: str) -> tuple[str, list[object]]:
    """The condition on q.kind for a kinds spec (model.parse_kinds); "" for every kind."""
    wanted = sorted(parse_kinds(kinds.split(",")))  # a default arrives unparsed ("quotations")
    if len(wanted) == len(KINDS):
        return "", []  # no condition: every kind
    return f"q.kind IN ({', '.join('?' * len(wanted))})", list(wanted)


def _speakers(conn: sqlite3.Connection, name: str) -> tuple[str, list[object]]:
    ids = speaker_ids(conn, name)
    if not ids:
        raise NotFound(f"no speaker matches {name!r} (see 'quotetrail speakers list')")
    return speaker_condition(ids)


def speaker_condition(ids: list[int]) -> tuple[str, list[object]]:
    return ("q.entity_id IN (SELECT id FROM entities WHERE speaker_id IN (SELECT value FROM json_each(?)))",
            [json.dumps(ids)])


def _outlet(_: sqlite3.Connection, outlet: str) -> tuple[str, list[object]]:
    if outlet == UNKNOWN_OUTLET:
        return "a.outlet_key IS NULL", []
    return "a.outlet_key = ?", [outlet_key(outlet)]


def _until(_: sqlite3.Connection, until: str) -> tuple[str, list[object]]:
    # Every time of day of `until` sorts before "YYYY-MM-DD~": no day after it to compute,
    # so 9999-12-31 needs no special case.
    return "a.published < ?", [until + "~"]


class NotFound(CorpusError):
    """No quotation, article or speaker by that id or name."""


@dataclass(frozen=True)
class Filter:
    """One filter: its name everywhere, how a value is read and checked, its SQL condition
    on q (quotations) and a (articles), and, for a facet, what its counts group by."""

    name: str
    help: str
    parse: Callable[[str, str], object]  # (text, name) -> value; CorpusError when it is not one
    where: Callable[[sqlite3.Connection, object], tuple[str, list[object]]]
    metavar: str = "TEXT"
    choices: tuple[str, ...] = ()
    default: object = None  # applied when the filter is not given
    title: str = ""  # the facet's heading; "" for no facet
    group: str = ""  # SQL over q and a: what the facet counts by
    label: str = "g"  # SQL over the group's value g: what the facet shows (and the filter takes)
    steps: tuple[float, ...] = ()  # a threshold facet: how many are at least each step

    @property
    def facet(self) -> bool:
        return bool(self.title)


CONFIDENCE_STEPS = (0.9, 0.7, 0.5)

FILTERS: tuple[Filter, ...] = (
    Filter("speaker", "a speaker's name, or a bare surname for everyone with it", _text, _speakers,
           metavar="NAME", title="Speaker", group="(SELECT speaker_id FROM entities WHERE id = q.entity_id)",
           label="(SELECT name FROM speakers WHERE id = g)"),
    Filter("outlet", f"the outlet that ran the article ({UNKNOWN_OUTLET}: articles without one)", _text, _outlet,
           metavar="OUTLET", title="Outlet", group="a.outlet_key",
           label=f"coalesce((SELECT outlet FROM articles WHERE outlet_key = g LIMIT 1), '{UNKNOWN_OUTLET}')"),
    Filter("kinds", "which attributions: quotations (direct, mixed, indirect: the default), all, or kinds by "
           "name, comma-separated (stance, belief, no_comment, ...)", _kinds, kinds_condition, metavar="KINDS",
           default="quotations", title="Kind", group="q.kind"),
    Filter("act", f"what the speaker did (docs/acts.md): {', '.join(ACTS)}", _choice(ACTS),
           lambda _, act: ("q.act = ?" + ("" if act == "state" else f" AND {ACT_INDEXED}"), [act]),
           metavar="ACT", choices=ACTS, title="Act", group="q.act"),
    Filter("setting", f"where and how it was said (docs/acts.md): {', '.join(SETTINGS)}",
           _choice(SETTINGS), lambda _, kind: ("q.setting = ?", [kind]), metavar="SETTING", choices=SETTINGS,
           title="Setting", group="q.setting"),
    Filter("addressee", "to whom it was said (reporters, an outlet, a committee); any case, 'the' optional", _text,
           lambda _, name: ("q.addressee_key = ?", [party_key(name)]), metavar="WHOM", title="Addressee",
           group="q.addressee_key",
           label="(SELECT coalesce(addressee_entity, addressee) FROM quotations WHERE addressee_key = g LIMIT 1)"),
    Filter("since", "published on or after", _day, lambda _, since: ("a.published >= ?", [since]),
           metavar="YYYY-MM-DD"),
    Filter("until", "published on or before", _day, _until, metavar="YYYY-MM-DD"),
    Filter("min_confidence", "leave out quotations less likely than this (0-1) to be right", _share,
           lambda _, floor: ("q.confidence >= ?", [floor]), metavar="P", title="Confidence",
           group="q.confidence", steps=CONFIDENCE_STEPS),
)


def by_name() -> Mapping[str, Filter]:
    return {entry.name: entry for entry in FILTERS}


def facets() -> tuple[str, ...]:
    return tuple(entry.name for entry in FILTERS if entry.facet)


def parse_filters(given: Mapping[str, object]) -> dict[str, object]:
    """The filters' values from text (a web query, a command line) or Python values, checked;
    empty ones left out and defaults added."""
    values: dict[str, object] = {}
    for entry in FILTERS:
        value = given.get(entry.name)
        if value is None or value == "":
            if entry.default is not None:
                values[entry.name] = entry.default
            continue
        values[entry.name] = entry.parse(value if isinstance(value, (str, float, int)) else str(value), entry.name)
    unknown = set(given) - set(by_name())
    if unknown:
        raise CorpusError(f"no such filter: {', '.join(sorted(unknown))}")
    return values


# A `speaker:` prefix in the search box: speaker:Lukashenko, speaker:"Anat Schwartz".
SPEAKER_PREFIX = re.compile(r'(?i)(?:^|\s)speaker:(?:"([^"]+)"|(\S+))')


@dataclass
class Search:
    """One search: the words (how to match them), filters by FILTERS name, the order, which
    rows (offset, limit), and which facets to count (bounded: see read.search)."""

    text: str | None = None
    mode: str = "words"
    filters: dict[str, object] = field(default_factory=dict)
    sort: str = "newest"
    offset: int = 0
    limit: int = 50
    facets: tuple[str, ...] = ()
    timeline: bool = False
    interval: str | None = None  # the timeline's buckets; None: picked from its span
    speaker_ids: list[int] | None = None  # the speakers themselves (a speaker page), not a name

    def __post_init__(self) -> None:
        for value, allowed, name in ((self.mode, MODES, "mode"), (self.sort, SORTS, "sort"),
                                     (self.interval or INTERVALS[0], INTERVALS, "interval")):
            _choice(allowed)(value, name)
        if self.text is not None and len(self.text) > MAX_TEXT_CHARS:
            raise CorpusError(f"the search text is longer than {MAX_TEXT_CHARS} characters")
        if self.limit < 0 or self.offset < 0:
            raise CorpusError("limit and offset cannot be negative")
        unknown = set(self.facets) - set(facets())
        if unknown:
            raise CorpusError(f"no such facet: {', '.join(sorted(unknown))} (there are: {', '.join(facets())})")
        if self.text:
            self.text = self._take_speaker(self.text)

    def _take_speaker(self, text: str) -> str | None:
        """speaker:NAME in the text is the speaker filter."""
        found = SPEAKER_PREFIX.search(text)
        if found is None:
            return text
        self.filters = {**self.filters, "speaker": _text(found.group(1) or found.group(2), "speaker")}
        rest = (text[:found.start()] + " " + text[found.end():]).strip()
        return self._take_speaker(rest) if rest else None

    def conditions(self, conn: sqlite3.Connection, leave_out: str | None = None,
                   skip: tuple[str, ...] = ()) -> tuple[list[str], list[object]]:
        """The filters' SQL conditions on q and a, with their parameters."""
        where: list[str] = []
        params: list[object] = []
        entries = by_name()
        for name, value in self.filters.items():
            if name == leave_out or name in skip:
                continue
            condition, values = entries[name].where(conn, value)
            if condition:
                where.append(condition)
                params.extend(values)
        return where, params


def fts_query(text: str, mode: str = "words") -> str:
    """An FTS5 query for text's words, taken literally (no operators)."""
    tokens = re.findall(r"\w+", text)
    if not tokens:
        raise CorpusError(f"nothing to search for in {text!r}")
    if mode in ("phrase", "exact"):
        return '"' + " ".join(tokens) + '"'
    if mode == "prefix":
        return " ".join(f'"{token}"*' for token in tokens)
    return " ".join(f'"{token}"' for token in tokens)



def add_arguments(parser) -> None:
    """The filters as command-line options (--speaker, --min-confidence, ...) on an argparse parser."""
    for entry in FILTERS:
        parser.add_argument("--" + entry.name.replace("_", "-"), dest=entry.name, metavar=entry.metavar,
                            choices=entry.choices or None, help=entry.help)


def given(namespace) -> dict[str, object]:
    """The filters given on a command line (add_arguments), by name, checked (a bad value's
    error names its option)."""
    return {entry.name: entry.parse(value, "--" + entry.name.replace("_", "-")) for entry in FILTERS
            if (value := getattr(namespace, entry.name, None)) is not None}
