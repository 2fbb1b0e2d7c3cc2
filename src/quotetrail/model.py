"""Typed records passed between pipeline stages and returned to users.

Every fact carries character offsets into the text the user gave us, so it
can be highlighted and checked against the source.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from collections.abc import Iterable
from typing import Any, Literal, get_args

# Quotations are someone's words: direct, mixed (quoted fragments) or indirect (a content
# clause). The other kinds are attributions without words of their own: a stance (a speech
# act over a noun phrase or gerund: "denied the allegations", "called for an inquiry"), a
# belief (a thought, expectation or intention: "expects fees to rise", "plans to run") and
# no_comment (declined to comment, did not respond; the content is what went unanswered, or
# the refusal itself when nothing is named: "could not be reached").
QuoteKind = Literal["direct", "indirect", "mixed", "stance", "belief", "no_comment"]
KINDS: tuple[QuoteKind, ...] = get_args(QuoteKind)
QUOTATIONS: frozenset[QuoteKind] = frozenset({"direct", "mixed", "indirect"})
QuoteMethod = Literal["rules", "model", "both"]  # who proposed a quote: rules, the learned tagger, or both
BlockKind = Literal["paragraph", "heading", "furniture", "sources", "byline", "title"]


def parse_kinds(spec: str | Iterable[str] | None) -> frozenset[QuoteKind]:
    """The kinds a spec names: "all" (or None), "quotations" (direct, mixed, indirect), or
    kind names, comma-separated or as a list ("stance,belief", "quotations,no_comment").
    Raises ValueError naming what it does not know."""
    if spec is None:
        return frozenset(KINDS)
    words = spec.split(",") if isinstance(spec, str) else list(spec)
    kinds: set[QuoteKind] = set()
    for word in (word.strip().lower() for word in words):
        if word == "all":
            kinds.update(KINDS)
        elif word == "quotations":
            kinds.update(QUOTATIONS)
        elif word in KINDS:
            kinds.add(word)  # type: ignore[arg-type]  # checked against KINDS just above
        elif word:
            raise ValueError(f"unknown kind {word!r}: use all, quotations or any of {', '.join(KINDS)}")
    if not kinds:
        raise ValueError("no kind named: use all, quotations or any of " + ", ".join(KINDS))
    return frozenset(kinds)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Block:
    """One line-delimited block of the input, classified by the cleaning stage."""

    kind: BlockKind
    start: int
    end: int
    text: str


# What the describe stage (acts/) says a speaker did, and where: here, beside the records that
# carry them, so that the corpus's filters name them without loading the stage (and spaCy).
Act = Literal["state", "ask", "accuse", "deny", "criticize", "praise", "warn", "threaten", "promise",
              "demand", "announce", "confirm", "agree", "reject", "predict", "believe", "intend", "decline"]
SettingKind = Literal["interview", "statement", "press_conference", "speech", "social_post", "letter",
                      "testimony", "report", "book"]


@dataclass(frozen=True)
class Party:
    """An addressee or a target (acts/): the words in the text, and the article's entity they name, if any."""

    text: str
    start: int
    end: int
    entity: str | None = None


@dataclass(frozen=True)
class Setting:
    """Where and how words were said (acts/): an interview, a statement, a post, ...; `outlet`
    is the interviewing outlet of an interview or the platform of a social post, when named."""

    kind: str  # interview | statement | press_conference | speech | social_post | letter | testimony | report | book
    text: str
    start: int
    end: int
    outlet: str | None = None


@dataclass
class Cue:
    text: str
    lemma: str
    start: int
    end: int


@dataclass
class Speaker:
    name: str  # canonical entity name
    mention: str  # the words in the text that point at the speaker
    start: int
    end: int
    resolved_by: str  # named | alias | pronoun | title | description | organisation | previous-sentence | continuation | relay-continuation


@dataclass
class Quote:
    kind: QuoteKind
    text: str
    start: int
    end: int
    speaker: Speaker | None
    cue: Cue | None
    reported_by: list[str] = field(default_factory=list)
    confidence: float = 0.5  # estimated chance that span and speaker are right, in [0, 1]
    method: QuoteMethod = "rules"
    act: str | None = None  # state | ask | accuse | deny | ... | decline (acts/records.py)
    plover: str | None = None  # the PLOVER event type of the act, where one fits (docs/acts.md)
    addressee: Party | None = None  # to whom: "told reporters"
    setting: Setting | None = None  # where: "in an interview with Newsmax"
    target: Party | None = None  # about whom, for accusations, denials, criticism, praise, threats, warnings, demands


@dataclass
class Entity:
    name: str
    type: str  # PERSON | ORG | PLACE | NORP
    aliases: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    is_media: bool = False
    mentions: list[Span] = field(default_factory=list)


@dataclass
class Source:
    """An outlet in the article's reporting chain."""

    name: str
    roles: list[str]  # origin | relay | listed
    aliases: list[str] = field(default_factory=list)
    evidence: list[Span] = field(default_factory=list)


@dataclass
class Article:
    text: str
    quotes: list[Quote]
    entities: list[Entity]
    furniture: list[Span]
    headings: list[Span]
    sources: list[Source]
    meta: dict[str, Any] = field(default_factory=dict)

    def of_kinds(self, kinds: Iterable[str]) -> Article:
        """This article with only the quotes of the given kinds (see parse_kinds)."""
        wanted = frozenset(kinds)
        return replace(self, quotes=[quote for quote in self.quotes if quote.kind in wanted])

    def to_dict(self, include_text: bool = False) -> dict[str, Any]:
        data = asdict(self)
        # Offsets into text extracted from HTML point at text the user never held: ship it.
        if not include_text and not self.meta.get("extracted_from"):
            data.pop("text")
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """The inverse of to_dict (e.g. a line of `--format jsonl` output, a Parquet part).
        Keys this version does not know are ignored and missing optional ones take their
        defaults, so output written by an older or newer quotetrail still loads. Output
        written without its text (plain-text inputs) loads with text ''."""
        def spans(items: list[dict[str, Any]] | None) -> list[Span]:
            return [_build(Span, item) for item in items or ()]

        def quote(item: dict[str, Any]) -> Quote:
            parts = {"speaker": Speaker, "cue": Cue, "addressee": Party, "setting": Setting, "target": Party}
            return _build(Quote, {**item, **{key: _build(kind, item[key]) if item.get(key) else None
                                             for key, kind in parts.items()}})

        return cls(text=data.get("text") or "",
                   quotes=[quote(item) for item in data.get("quotes") or ()],
                   entities=[_build(Entity, {**item, "mentions": spans(item.get("mentions"))})
                             for item in data.get("entities") or ()],
                   furniture=spans(data.get("furniture")), headings=spans(data.get("headings")),
                   sources=[_build(Source, {**item, "evidence": spans(item.get("evidence"))})
                            for item in data.get("sources") or ()],
                   meta=dict(data.get("meta") or {}))


def _build(kind: type, data: dict[str, Any]) -> Any:
    """A dataclass from the keys it has fields for; a missing required field raises TypeError."""
    known = {f.name for f in fields(kind)}
    return kind(**{key: value for key, value in data.items() if key in known})


@dataclass
class Attribution:
    """A quotation found by the attribute stage, before speakers are linked.

    Token indices point into the spaCy Doc of the article; character offsets
    into the original text.
    """

    kind: QuoteKind
    start: int
    end: int
    paragraph: int
    cue: Cue | None = None
    cue_token: int | None = None
    subject_token: int | None = None  # head of the speaker's noun phrase
    inherits_speaker: bool = False  # no cue of its own: speaker from context
    continues_previous: bool = False  # reopened quote from the previous paragraph
    first_person: bool = False
    relays: list[str] = field(default_factory=list)
    method: QuoteMethod = "rules"
    # The tagger's SOURCE span (characters): the speaker's whole mention ("Union leader
    # Mara Quist"), which becomes the speaker's evidence span when it holds the resolved name.
    source: tuple[int, int] | None = None
    # The accurate tagger's confidence in its content span (a model attribution's; None otherwise).
    model_confidence: float | None = None


@dataclass
class Document:
    """One input to the pipeline: its text and where it came from.

    `id` is stable across runs (path, URL, record id), so --resume can key on it.
    A web page arrives as raw `html` with empty `text`; the worker extracts the
    text (inputs.html), so that costly step runs in parallel with the others.
    """

    id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    html: bytes | None = None


@dataclass
class Failure:
    """An input that could not be read or processed, with the reason."""

    id: str
    reason: str


@dataclass
class Skipped:
    """An input deliberately left out (not English, not HTML, already done), with the reason."""

    id: str
    reason: str


# What an input reader yields: something to process, or why there is nothing to.
Item = Document | Failure | Skipped


@dataclass
class Outcome:
    """The batch engine's answer for one input: an article, a failure or a skip."""

    id: str
    article: Article | None = None
    failure: Failure | None = None
    skipped: Skipped | None = None
