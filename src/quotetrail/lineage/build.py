"""A cluster's lineage: its copies earliest first, each with its variant, its
parent and whether it credits someone else."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from ..model import Source
from .parents import Statement, inferred_parent, origin_source, outlet_key, outlet_positions, stated_parent, statement
from .records import Appearance, Copy, Lineage, Variant
from .speakers import is_name, same_speaker
from .variants import classify
from .words import token_words


def timeline(copies: Iterable[Copy]) -> list[Copy]:
    """Earliest first: by publication date (undated last), then in the order given. An
    article carries a quotation once at one place: of copies from one article whose spans
    overlap (an extractor's outer and inner reading of one sentence), the first is kept."""
    kept: list[Copy] = []
    for copy in copies:
        if not any(other.article_id == copy.article_id and other.start < copy.start + len(copy.quote)
                   and copy.start < other.start + len(other.quote) for other in kept):
            kept.append(copy)
    return sorted(kept, key=lambda copy: (copy.date is None, copy.date or ""))


def reference_speaker(copies: list[Copy]) -> str | None:
    """Who the quotation is credited to: the earliest copy's speaker, else the one most copies
    name (by name: a description, "the singer", is no one in particular), else no one."""
    if copies and is_name(copies[0].speaker):
        return copies[0].speaker
    named = Counter(copy.speaker for copy in copies if is_name(copy.speaker))
    ranked = named.most_common(2)
    # Only a clear majority: four copies crediting four people credit no one in particular.
    return ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else None


def build(copies: Iterable[Copy], outlets: Iterable[str] = (),
          statements: Mapping[str | int, Statement] | None = None,
          variants: tuple[str | int, Mapping[str | int, Variant]] | None = None) -> Lineage:
    """The lineage of one cluster's copies. outlets: more outlet names the corpus knows,
    so that an article naming one is read as naming an outlet. statements: what each
    copy's article says of its source (parents.statement), by quote id, where kept from
    ingest; the others are read from the copy's article text. variants: (an earliest copy's
    quote id, copies' variants against it, by quote id), kept from an earlier build: used
    while that copy is still the earliest."""
    ordered = timeline(copies)
    if not ordered:
        raise ValueError("a lineage needs at least one copy")
    known_variants = variants[1] if variants and variants[0] == ordered[0].quote_id else {}
    known = [*dict.fromkeys(copy.outlet for copy in ordered if copy.outlet), *outlets]
    reference = reference_speaker(ordered)
    # Each copy's words, for inferred parents: read once, when the first copy names no source
    # (most copies of a corpus's lineages name one, or are the earliest).
    words: list[tuple[str, ...]] | None = None
    by_outlet = outlet_positions(ordered)
    in_corpus = {outlet_key(copy.outlet) for copy in ordered if copy.outlet}
    appearances: list[Appearance] = []
    outside: dict[str, str] = {}
    origins: Counter[str] = Counter()
    first_origin: dict[str, Source] = {}
    for position, copy in enumerate(ordered):
        said = statements[copy.quote_id] if statements and copy.quote_id in statements else statement(copy, known)
        own = outlet_key(copy.outlet or "")
        for named in said.chain:
            key = outlet_key(named.outlet)
            if key not in in_corpus and key != own:
                outside.setdefault(key, named.outlet)
        origin = said.origin
        if origin is not None:
            origins[outlet_key(origin.outlet)] += 1
            first_origin.setdefault(outlet_key(origin.outlet), origin_source(origin))
        parent = stated_parent(copy, said, ordered, position, by_outlet)
        if parent is None and position:
            if words is None:
                words = [token_words(other.quote) for other in ordered]
            parent = inferred_parent(ordered, position, words)
        variant = (known_variants.get(copy.quote_id) or classify(ordered[0], copy)) if position else Variant("original")
        differs = same_speaker(reference, copy.speaker) is False
        appearances.append(Appearance(copy, variant, differs, parent,
                                      origin_source(origin) if origin else None, [named.outlet for named in said.chain]))
    stated = first_origin[origins.most_common(1)[0][0]] if origins else None
    return Lineage(appearances, stated, list(outside.values()))
