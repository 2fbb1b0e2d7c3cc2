"""Where each copy of a quotation came from (docs/lineage.md, "Parents").

A parent is *stated* when the copy's article names the outlet it took the
quotation from, read from the quote's paragraph ("…, Lukashenko said,
according to Example Daily, which cited his interview with Newsmax") and,
where the paragraph names none, from the reporting chain the extractor built
(Quote.reported_by, Article.sources). Otherwise it is *inferred*: the earlier
copy with the closest wording.

The paragraph is read with phrase lists (data/lineage.toml) around outlet
names rather than the dependency parse, because a lineage is built from stored
articles, after their spaCy Doc is gone; the names come from the cluster's
outlets and the article's own entities and sources.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from difflib import SequenceMatcher
from typing import Literal

from ..lexicon import lexicon
from ..link.entities import is_media_name
from ..link.names import name_key
from ..model import Source, Span
from .records import Copy, Parent
from .words import lists, token_words

Role = Literal["relay", "upstream", "origin"]
# One key per spelling of an outlet ("TVP World" = "TVPWorld"), asked for many times a lineage.
outlet_key = lru_cache(maxsize=65536)(name_key)
# A cue phrase and the outlet's name it introduces may have this many words between
# them: "in an interview with US outlet Newsmax", "told the state broadcaster BT".
GAP_WORDS = 3
# How far before and after a name its cue is looked for, in characters.
REACH = 60
# A capitalised name: "Example Daily", "TVP World", "the Voice of Minsk", "Reuters".
_NAME = re.compile(r"(?:[A-Z][\w&'’.-]*|[A-Z]{2,})(?:\s+(?:of|for|and|&|de|la|du)?\s*(?:[A-Z][\w&'’.-]*))*")
_POSSESSIVE = re.compile(r"['’]s?$")
# A character no name runs on through (_NAME): after it, a name starts afresh.
_ENDS_NAME = re.compile(r"[^\w&'’.\s-]")
_PREPOSITIONS = frozenset({"in", "at", "on", "from", "after", "before", "during", "near", "about", "over", "for", "by"})


@dataclass
class Named:
    """An outlet the article names around the quote, and in what role."""

    outlet: str
    role: Role
    evidence: Span | None  # the words naming it; None where the extractor's chain kept none


@dataclass
class Statement:
    """What a copy's article says of where the quote came from: outlets nearest first."""

    chain: list[Named] = field(default_factory=list)

    @property
    def origin(self) -> Named | None:
        return next((named for named in self.chain if named.role == "origin"), None)

    def to_list(self) -> list[dict]:
        """Plain JSON, for a store to keep from ingest."""
        return [asdict(named) for named in self.chain]

    @classmethod
    def from_list(cls, items: list[dict]) -> Statement:
        return cls([Named(item["outlet"], item["role"], Span(**item["evidence"]) if item.get("evidence") else None)
                    for item in items])


def paragraph(copy: Copy) -> tuple[int, int]:
    """The line the quote sits on (paragraphs are lines in quotetrail's text), or its stretch."""
    if not copy.text:
        return copy.start, copy.start
    start = copy.text.rfind("\n", 0, copy.start) + 1
    end = copy.text.find("\n", copy.start + len(copy.quote))
    return start, len(copy.text) if end < 0 else end


@dataclass
class Candidate:
    """A capitalised name the quote's paragraph sets beside a source cue. Whether it names
    an outlet is only decided with the outlets of the quote's lineage (resolve()); what
    else it takes is read from the article once, so a store keeps it from ingest."""

    name: str
    key: str
    person: bool  # the article names a person so (and the name does not read as an outlet's)
    roles: tuple[Role | None, Role | None]  # its role before any relay is named, and after one is
    outlets: dict[Role, str | None]  # its name as an outlet's by role where no known outlet has its key
    evidence: dict[Role, Span]
    corpus: str | None = None  # its name where the corpus held an outlet of its key when it was read


@dataclass
class Reading:
    """What a copy's article says of the quote's source, read once from its text (read()):
    the statement of any lineage it joins follows from it and the lineage's outlets."""

    candidates: list[Candidate] = field(default_factory=list)
    relays: list[tuple[str, Span | None]] = field(default_factory=list)  # the extractor's chain: outlet, nearest words
    origin: Named | None = None  # the one origin the article states, where not the quote's own words
    known: dict[str, str] = field(default_factory=dict)  # the article's sources and aliases, by key

    def to_json(self) -> dict:
        # By hand, not dataclasses.asdict: a store writes one for every quotation it takes in.
        span = lambda found: {"start": found.start, "end": found.end, "text": found.text} if found else None  # noqa: E731
        origin = self.origin
        return {"candidates": [[item.name, item.key, item.person, list(item.roles), item.outlets,
                                {role: span(found) for role, found in item.evidence.items()}, item.corpus]
                               for item in self.candidates],
                "relays": [[outlet, span(found)] for outlet, found in self.relays],
                "origin": {"outlet": origin.outlet, "role": origin.role, "evidence": span(origin.evidence)}
                if origin else None, "known": self.known}

    @classmethod
    def from_json(cls, data: dict) -> Reading:
        span = lambda found: Span(**found) if found else None  # noqa: E731
        origin = data.get("origin")
        return cls([Candidate(name, key, person, tuple(roles), outlets, {role: Span(**found) for role, found in evidence.items()},
                              corpus) for name, key, person, roles, outlets, evidence, corpus in data.get("candidates", [])],
                   [(outlet, span(found)) for outlet, found in data.get("relays", [])],
                   Named(origin["outlet"], origin["role"], span(origin["evidence"])) if origin else None,
                   dict(data.get("known", {})))


def statement(copy: Copy, outlets: Iterable[str] = ()) -> Statement:
    """The outlets copy's article names as its source for the quote, nearest the article first:
    relays, then the outlets they cite, then the origin (the outlet the speaker spoke to)."""
    return resolve(copy.reading if copy.reading is not None else read(copy), outlets, copy.start)


def read(copy: Copy, outlets: Collection[str] = (), people: frozenset[str] | None = None) -> Reading:
    """What the copy's article says around the quote, independent of the lineage it joins.
    outlets: the keys (outlet_key) of the outlets a corpus holds: a name of one is an outlet's.
    people: the keys of copy.person_names, where the caller has them (one article, many quotations)."""
    known = {outlet_key(name): name for name in (*(source.name for source in copy.sources),
                                                 *(alias for source in copy.sources for alias in source.aliases))
             if name}
    for source in copy.sources:  # an alias names its source's canonical outlet
        for alias in source.aliases:
            known[outlet_key(alias)] = source.name
    if people is None:
        people = frozenset(outlet_key(name) for name in copy.person_names if name)
    if copy.speaker:
        people = people | {outlet_key(copy.speaker)}
    start, end = paragraph(copy)
    relays = []
    for outlet in copy.reported_by:
        source = next((source for source in copy.sources if outlet_key(source.name) == outlet_key(outlet)), None)
        spans = [span for span in source.evidence if not _inside(span, copy)] if source is not None else []
        relays.append((outlet, min(spans, key=lambda span: abs(span.start - copy.start), default=None)))
    # One origin in the article is this quote's, unless its words are the quote's own ("I told X …").
    origins = [(source, [span for span in source.evidence if not _inside(span, copy)])
               for source in copy.sources if "origin" in source.roles]
    origin = Named(origins[0][0].name, "origin", origins[0][1][0]) if len(origins) == 1 and origins[0][1] else None
    candidates = _candidates(copy, start, end, people)
    for candidate in candidates:
        if candidate.key in outlets:
            candidate.corpus = candidate.name
    return Reading(candidates, relays, origin, known)


def resolve(reading: Reading, outlets: Iterable[str] = (), at: int = 0) -> Statement:
    """The statement a reading makes where outlets are the outlets known besides the article's
    own sources; at is the quote's offset (nearer names come first)."""
    known = {outlet_key(name): name for name in outlets if name}
    known.update(reading.known)
    found: list[Named] = []
    for candidate in reading.candidates:
        role = candidate.roles[any(named.role == "relay" for named in found)]
        if role is None:
            continue
        outlet = known.get(candidate.key) or candidate.corpus or (
            None if candidate.person else candidate.outlets.get(role))
        if outlet is not None:
            found.append(Named(outlet, role, candidate.evidence[role]))
    if not any(named.role in ("relay", "upstream") for named in found):
        found = [*(Named(known.get(outlet_key(outlet), outlet), "relay", evidence) for outlet, evidence in reading.relays),
                 *found]
    if not any(named.role == "origin" for named in found) and reading.origin is not None:
        found.append(reading.origin)
    order = {"relay": 0, "upstream": 1, "origin": 2}
    return Statement(sorted(found, key=lambda named: (
        order[named.role], abs(named.evidence.start - at) if named.evidence else 0)))


def _inside(span: Span, copy: Copy) -> bool:
    return copy.start <= span.start < copy.start + len(copy.quote)


def names(text: str, start: int, end: int, quote_start: int, quote_end: int) -> Iterator[tuple[re.Match[str], str, str]]:
    """The capitalised names of text[start:end] outside the quotation at quote_start..quote_end,
    each with its outlet key: what may name the quotation's source."""
    for match in _outside(text, start, end, quote_start, quote_end):
        name = _POSSESSIVE.sub("", match.group().removeprefix("The ").strip().rstrip("."))
        key = outlet_key(name)
        if key:
            yield match, name, key


def _outside(text: str, start: int, end: int, quote_start: int, quote_end: int) -> Iterator[re.Match[str]]:
    """The _NAME matches of text[start:end] that start outside the quotation. Where no name
    can run on past the quotation's end (a closing quote mark stands there, as after most
    quotations), the quotation's own words are not searched: a scan from its end finds what
    a scan through it would (a name inside it is what was said, not who carried it)."""
    skip = quote_start < quote_end <= end and (quote_end == end or _ENDS_NAME.match(text, quote_end) is not None)
    resume = max(start, quote_end)
    for match in _NAME.finditer(text, start, end):
        if match.start() < quote_start:
            resume = max(resume, match.end())
            yield match
        elif skip:
            break
        elif not match.start() < quote_end:
            yield match
    if skip:
        yield from _NAME.finditer(text, resume, end)


# Asked of every name around every quotation a writer stores.
media_name = lru_cache(maxsize=65536)(is_media_name)


def only_people(text: str, start: int, end: int, quote_start: int, quote_end: int, person: Callable[[str], bool],
                outlet: Callable[[str], bool]) -> bool:
    """Whether every name around the quotation (names()) is a person's the article names (by
    key), and none an outlet's known (by key): then, whatever cue stands next to them, none
    names an outlet (resolve() takes a person's name for an outlet only by a known outlet's
    key), and the paragraph's reading states no source. False says nothing."""
    return all(person(key) and not outlet(key) and not media_name(name)
               for _, name, key in names(text, start, end, quote_start, quote_end))


def _candidates(copy: Copy, start: int, end: int, people: frozenset[str]) -> list[Candidate]:
    text, table = copy.text, lists()
    found: list[Candidate] = []
    for match, name, key in names(text, start, end, copy.start, copy.start + len(copy.quote)):
        before = text[max(start, match.start() - REACH):match.start()].lower()
        after = text[match.end():min(end, match.end() + REACH)].lower()
        cued = _any_cue().search(before) is not None  # most names stand after no cue phrase: one search says so
        roles = _roles(before, after, table, cued)
        if roles == (None, None):
            continue
        # NER may take an outlet for a person ("Sportline Radio"): its name says otherwise.
        person = key in people and not media_name(name)
        # In the roles' order, not a set's: a store writes these dicts as JSON, whatever the hash seed.
        taken = [role for role in dict.fromkeys(roles) if role is not None]
        found.append(Candidate(name, key, person, roles,
                               {role: None if person else _outlet(name, before, after, role, copy) for role in taken},
                               {role: _evidence(text, match.start(), match.end(), before, after, role, cued)
                                for role in taken}))
    return found


def _outlet(name: str, before: str, after: str, role: Role, copy: Copy) -> str | None:
    """An outlet's name the corpus does not know yet: one that reads as an outlet's ("Kestrel
    News Agency"), one a media noun stands next to ("Voice of Brask radio", "the broadcaster
    BT"), or an organisation the speaker spoke to ("told Sportline")."""
    lex = lexicon()
    words = set(name.lower().replace("-", " ").split())
    next_word = _NEXT_WORD.match(after)
    previous_word = _PREVIOUS_WORD.search(before)
    if (media_name(name) or words & lex.media_nouns
            or (next_word and next_word.group(1) in lex.media_nouns)
            or (previous_word and previous_word.group(1) in lex.media_nouns)):
        return name
    if role == "origin" and any(outlet_key(name) == outlet_key(organisation) for organisation in copy.organisations):
        return name
    return None


@lru_cache(maxsize=None)
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(phrase)}(?:\s+[\w'’-]+){{0,{GAP_WORDS}}}\s*$")


@lru_cache(maxsize=None)
def _any_phrase(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, phrases)))


def _ends_with(before: str, phrases: tuple[str, ...]) -> re.Match[str] | None:
    # One search for all the phrases first: most names stand next to none (a name a paragraph).
    if not _any_phrase(phrases).search(before):
        return None
    for phrase in phrases:
        found = _phrase_pattern(phrase).search(before) if phrase in before else None
        # The words between may describe the outlet ("US outlet"), not place it ("reporters in").
        if found and not set(found.group()[len(phrase):].split()) & _PREPOSITIONS:
            return found
    return None


@lru_cache(maxsize=1)
def _any_cue() -> re.Pattern[str]:
    table = lists()
    return _any_phrase((*table.origin_phrases, *table.upstream_phrases, *table.relay_phrases))


_NEXT_WORD = re.compile(r"^\s*([a-z]+)")
_PREVIOUS_WORD = re.compile(r"([a-z]+)\s*$")
_FOLLOWING = re.compile(r"^(?:['’]s\s+(\w+)|,?\s+(?:(?:has|had|was|first|also|later|then)\s+)?(\w+))")
_VERB_AFTER = re.compile(r"^(?:['’]s\s+\w+|,?\s+(?:\w+\s+)?\w+)")


def _roles(before: str, after: str, table, cued: bool) -> tuple[Role | None, Role | None]:
    """A name's role before any relay is named in its paragraph, and after one is: a citing
    phrase ("X reported, citing Y") names an upstream outlet only after a relay. cued: False
    where before holds no cue phrase at all (_any_cue)."""
    if cued:
        if _ends_with(before, table.origin_phrases):
            return "origin", "origin"
        if _ends_with(before, table.upstream_phrases):
            return "relay", "upstream"
        if _ends_with(before, table.relay_phrases):
            return "relay", "relay"
    following = _FOLLOWING.match(after)
    if following:
        word = following.group(1) or following.group(2)
        if word in table.relay_verbs or word in ("report", "reporting", "story", "article"):
            return "relay", "relay"
    return None, None


def _evidence(text: str, start: int, end: int, before: str, after: str, role: Role, cued: bool) -> Span:
    """The cue and the name: "according to Example Daily", "TVP World reported". cued: as _roles takes it."""
    table = lists()
    phrases = {"origin": table.origin_phrases, "upstream": table.upstream_phrases, "relay": table.relay_phrases}[role]
    cue = _ends_with(before, phrases) if cued else None
    if cue is not None:
        start -= len(before) - cue.start()
    else:
        verb = _VERB_AFTER.match(after)
        end += verb.end() if verb else 0
    return Span(start, end, text[start:end])


def stated_parent(copy: Copy, said: Statement, copies: list[Copy], position: int,
                  by_outlet: dict[str, list[int]] | None = None) -> Parent | None:
    """The first outlet of the chain that is not the copy's own, as its parent: that outlet's
    copy in the cluster (the latest not after this one), or no copy when it is not in the corpus.
    by_outlet: positions of each outlet's copies (by outlet_key), when the caller has them."""
    if by_outlet is None:
        by_outlet = outlet_positions(copies)
    own = outlet_key(copy.outlet or "")
    for named in said.chain:
        key = outlet_key(named.outlet)
        if key == own:
            continue
        theirs = [index for index in by_outlet.get(key, ()) if index != position]
        earlier = [index for index in theirs if index < position]
        chosen = copies[earlier[-1]] if earlier else (copies[theirs[0]] if theirs else None)
        why = f"the article names {named.outlet} ({named.role})"
        if chosen is not None and not earlier:
            why += "; its copy is dated later"
        return Parent(named.outlet, "stated", chosen.quote_id if chosen else None, named.evidence, why)
    return None


def outlet_positions(copies: list[Copy]) -> dict[str, list[int]]:
    positions: dict[str, list[int]] = {}
    for index, copy in enumerate(copies):
        positions.setdefault(outlet_key(copy.outlet or ""), []).append(index)
    return positions


def inferred_parent(copies: list[Copy], position: int, words: list[tuple[str, ...]] | None = None) -> Parent | None:
    """The earlier copy with the closest wording (the earliest of equals); None for the first.
    words: each copy's words, when the caller has them (a lineage asks for every copy)."""
    if position == 0:
        return None
    words = words or [token_words(copy.quote) for copy in copies[:position + 1]]
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(words[position])  # the matcher indexes its second sequence once
    best, best_score = 0, -1.0
    for index in range(position):
        matcher.set_seq1(words[index])
        score = matcher.ratio()
        if score > best_score:
            best, best_score = index, score
    parent = copies[best]
    return Parent(parent.outlet, "inferred", parent.quote_id, None,
                  f"no source named; closest wording ({best_score:.2f}) among the {position} earlier "
                  f"cop{'y' if position == 1 else 'ies'}")


def origin_source(named: Named) -> Source:
    return Source(named.outlet, ["origin"], evidence=[named.evidence] if named.evidence else [])
