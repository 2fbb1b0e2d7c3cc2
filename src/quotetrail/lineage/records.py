"""Typed records of a quotation's lineage: its copies, how each differs from the
earliest, and where each came from."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ..model import Article, Quote, Source, Span

if TYPE_CHECKING:
    from .parents import Reading

VariantKind = Literal["original", "verbatim", "trimmed", "extended", "reworded", "meaning_changed", "paraphrased"]
ChangeOp = Literal["insert", "delete", "replace"]
ParentHow = Literal["stated", "inferred"]
# What a meaning change changed: a negation, a number, a name, a date, a modal verb.
MeaningChange = Literal["negation", "number", "name", "date", "modal"]


@dataclass
class Copy:
    """One appearance of a quotation: what the lineage reads of an article and its quote.

    start is the quote's offset in its article's text, so that changes point into the
    article; text is the article's text, read for the sentence that names the source
    (empty when not at hand: then only sources and reported_by say where it came from)."""

    quote_id: str | int
    article_id: str | int
    outlet: str | None
    date: str | None  # ISO 8601 publication date; None sorts last
    speaker: str | None  # canonical speaker name
    quote: str  # the quotation's words
    kind: str = "direct"  # direct | indirect | mixed
    start: int = 0
    text: str = ""
    sources: list[Source] = field(default_factory=list)  # the article's reporting chain
    reported_by: list[str] = field(default_factory=list)  # outlets the chain credits for this quote
    person_names: list[str] = field(default_factory=list)  # people the article names: never outlets
    organisations: list[str] = field(default_factory=list)  # organisations it names: outlets when spoken to
    # What the article says of the quote's source (parents.read), where kept from ingest: stands in for text.
    reading: Reading | None = None

    @classmethod
    def of(cls, article: Article, quote: Quote, *, quote_id: str | int, article_id: str | int,
           outlet: str | None, date: str | None, outlets: Iterable[str] = ()) -> Copy:
        """The copy an extracted quotation makes (lineage.reading.copy_of)."""
        from .reading import copy_of  # reading imports this module
        return copy_of(article, quote, quote_id=quote_id, article_id=article_id, outlet=outlet, date=date,
                       outlets=outlets)


@dataclass(frozen=True)
class Change:
    """One word-level difference from the earliest copy. old_* point into the earliest
    copy's article text, new_* into this copy's (see Copy.start); an insert has no old
    words and a delete no new ones (their offsets mark where the words would sit)."""

    op: ChangeOp
    old: str
    new: str
    old_start: int
    old_end: int
    new_start: int
    new_end: int


@dataclass
class Variant:
    kind: VariantKind
    changes: list[Change] = field(default_factory=list)
    meaning: list[MeaningChange] = field(default_factory=list)  # set when kind is meaning_changed
    similarity: float = 1.0  # word-sequence similarity to the earliest copy, 0..1


@dataclass
class Parent:
    """Where a copy came from. quote_id is the parent copy in the cluster, None when the
    named outlet is not in the corpus; evidence is the article's words naming it
    (stated) or why it was chosen (inferred)."""

    outlet: str | None
    how: ParentHow
    quote_id: str | int | None = None
    evidence: Span | None = None
    why: str = ""


@dataclass
class Appearance:
    copy: Copy
    variant: Variant
    speaker_differs: bool
    parent: Parent | None
    origin: Source | None = None  # the origin this copy's article states ("interview with Newsmax")
    chain: list[str] = field(default_factory=list)  # outlets named, nearest first (relays, then origin)


@dataclass
class Lineage:
    """A cluster's copies, earliest first, with parents and variants."""

    appearances: list[Appearance]
    origin: Source | None  # the stated origin most copies agree on
    outside: list[str]  # outlets named as relays or origins with no copy in the cluster

    @property
    def earliest(self) -> Appearance:
        return self.appearances[0]

    def edges(self) -> list[tuple[str | int | None, str, str | int, str]]:
        """(parent quote id or None, parent outlet, child quote id, how) for drawing the graph."""
        return [(item.parent.quote_id, item.parent.outlet or "", item.copy.quote_id, item.parent.how)
                for item in self.appearances if item.parent is not None]

