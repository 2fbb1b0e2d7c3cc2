"""A fact-checker's answer about one quotation: the one-line verdict, its JSON,
and the schema.org ClaimReview a publishing tool takes."""
from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ..model import Span
from .build import reference_speaker
from .records import Appearance, Change, Lineage
from .speakers import bare_name, is_name, same_speaker
from .words import lists, number, tokens

# The verdict line names this many distinct changes of meaning, most made first.
MEANING_SHOWN = 3
_COUNTS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
# What each variant does to the quotation, for the verdict line ("two trim it").
_DOES = {"trimmed": "trim{s} it", "extended": "extend{s} it", "reworded": "reword{s} it",
         "paraphrased": "paraphrase{s} it"}


def _count(value: int) -> str:
    return _COUNTS[value] if value < len(_COUNTS) else str(value)


def _copies(value: int) -> str:
    return f"{_count(value)} cop{'y' if value == 1 else 'ies'}"


def speakers(lineage: Lineage) -> list[tuple[str, int]]:
    """Each speaker credited, with the copies crediting them; name variants counted as one
    (under the fullest name), most credited first."""
    groups: list[list[str]] = []
    for item in lineage.appearances:
        name = item.copy.speaker
        if not is_name(name):
            continue
        group = next((group for group in groups if same_speaker(group[0], name)), None)
        if group is None:
            groups.append([name])
        else:
            group.append(name)
    # The fullest name a group is written with, without titles: "Alexander Lukashenko" over
    # "Lukashenko" and "President Lukashenko".
    counted = [(bare_name(max(Counter(group).items(), key=lambda pair: (len(bare_name(pair[0]).split()), pair[1]))[0]),
                len(group)) for group in groups]
    return sorted(counted, key=lambda pair: -pair[1])


def meaning_words(change: Change) -> bool:
    """Whether a change holds a word that carries meaning (a negation, modal, number, date or name)."""
    table = lists()
    return any(token.word in table.negations or token.word in table.modals or token.word in table.dates
               or number(token.word) is not None or token.capitalised
               for token in tokens(f"{change.old} {change.new}"))


def line(lineage: Lineage, speaker: str | None = None) -> str:
    """"first published by Example Daily on 2025-11-24, credited to Alexander Lukashenko in
    3 of 4 copies; one copy credits Maxim Ryzhenkov; one inserts 'not'"."""
    first = lineage.earliest.copy
    total = len(lineage.appearances)
    opening = f"first published by {first.outlet or 'an unnamed outlet'}"
    if first.date:
        opening += f" on {first.date[:10]}"
    if lineage.origin is not None and lineage.origin.evidence:
        opening += f" (origin: {lineage.origin.evidence[0].text})"
    parts = [opening]
    credited = speakers(lineage)
    reference = reference_speaker([item.copy for item in lineage.appearances])
    # The speaker the quotation is credited to, when there is one (no tie between names).
    main = next((name for name, _ in credited if same_speaker(name, reference)), None)
    for name, count in credited:
        if name == main:
            parts[0] += f", credited to {main} in {count} of {total} cop{'y' if total == 1 else 'ies'}"
        else:
            parts.append(f"{_copies(count)} credit{'s' if count == 1 else ''} {name}")
    unnamed = sum(1 for item in lineage.appearances if not is_name(item.copy.speaker))
    if unnamed:
        parts.append(f"{_copies(unnamed)} name{'s' if unnamed == 1 else ''} no speaker")
    altered: dict[str, list[Appearance]] = {}  # what a copy did to the meaning -> the copies that did it
    for item in lineage.appearances:
        if item.variant.kind == "meaning_changed":
            shown = [change for change in item.variant.changes if meaning_words(change)] or item.variant.changes
            altered.setdefault(describe(shown), []).append(item)
    ranked = sorted(altered.items(), key=lambda pair: -len(pair[1]))
    for said, items in ranked[:MEANING_SHOWN]:
        if len(items) == 1:
            parts.append(f"one ({items[0].copy.outlet or 'unnamed outlet'}) {said}")
        else:  # "inserts 'not', drops 'never'" -> "insert 'not', drop 'never'"
            parts.append(f"{_count(len(items))} copies " + re.sub(r"\b(insert|drop|change)s\b", r"\1", said))
    others = sum(len(items) for _, items in ranked[MEANING_SHOWN:])
    if others:
        parts.append(f"{_copies(others)} more change{'s' if others == 1 else ''} its meaning otherwise")
    kinds = Counter(item.variant.kind for item in lineage.appearances)
    for kind, does in _DOES.items():
        if kinds[kind]:
            parts.append(f"{_count(kinds[kind])} {does.format(s='s' if kinds[kind] == 1 else '')}")
    if speaker and not (credited and same_speaker(speaker, main)):
        asked = sum(1 for item in lineage.appearances if same_speaker(speaker, item.copy.speaker))
        parts.insert(0, f"{speaker} is credited in {asked} of {total} cop{'y' if total == 1 else 'ies'}")
    return "; ".join(parts)


def describe(changes: list[Change]) -> str:
    """"inserts 'not'", "changes '12' to '21'", "drops 'under pressure'"."""
    words = []
    for change in changes:
        if change.op == "insert":
            words.append(f"inserts '{change.new}'")
        elif change.op == "delete":
            words.append(f"drops '{change.old}'")
        else:
            words.append(f"changes '{change.old}' to '{change.new}'")
    return ", ".join(words)


def _span(span: Span | None) -> dict[str, Any] | None:
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}


def appearance_json(item: Appearance) -> dict[str, Any]:
    copy, parent = item.copy, item.parent
    return {
        "quote_id": copy.quote_id, "article_id": copy.article_id, "outlet": copy.outlet, "date": copy.date,
        "speaker": copy.speaker, "text": copy.quote, "kind": copy.kind, "variant": item.variant.kind,
        "meaning": list(item.variant.meaning), "similarity": item.variant.similarity,
        "changes": [vars(change).copy() for change in item.variant.changes],
        "speaker_differs": item.speaker_differs,
        "parent": None if parent is None else {"outlet": parent.outlet, "how": parent.how, "quote_id": parent.quote_id,
                                               "evidence": _span(parent.evidence), "why": parent.why},
        "chain": list(item.chain),
    }


def verdict(query: str, lineage: Lineage | None, speaker: str | None = None) -> dict[str, Any]:
    """The answer to "did X really say this, and where first?" as the JSON of issue 20."""
    if lineage is None:
        return {"query": query, "found": False, "verdict": "no copy of this quotation was found",
                "origin": None, "earliest": None, "speakers": [], "appearances": [], "outside": []}
    first = lineage.earliest.copy
    origin = lineage.origin
    return {
        "query": query, "found": True, "verdict": line(lineage, speaker),
        "origin": {"outlet": origin.name, "evidence": _span(origin.evidence[0] if origin.evidence else None)}
        if origin is not None else {"outlet": first.outlet, "evidence": None},
        "earliest": {"outlet": first.outlet, "date": first.date, "article_id": first.article_id,
                     "quote_id": first.quote_id},
        "speakers": [{"name": name, "appearances": count} for name, count in speakers(lineage)],
        "appearances": [appearance_json(item) for item in lineage.appearances],
        "outside": list(lineage.outside),
    }


def claim_review(answer: dict[str, Any], reviewer: str, url: str | None = None,
                 date: str | None = None) -> dict[str, Any]:
    """A verdict (verdict()'s JSON) as schema.org ClaimReview JSON-LD. The rating says
    what the copies did to the quotation; reviewer is the organisation publishing it."""
    review: dict[str, Any] = {"@context": "https://schema.org", "@type": "ClaimReview",
                              "claimReviewed": answer["query"], "reviewBody": answer["verdict"],
                              "author": {"@type": "Organization", "name": reviewer}}
    if url:
        review["url"] = url
    if date:
        review["datePublished"] = date
    if not answer["found"]:
        review["reviewRating"] = {"@type": "Rating", "alternateName": "No record of this quotation"}
        return review
    items = answer["appearances"]
    differs = sum(1 for item in items if item["speaker_differs"])
    changed = sum(1 for item in items if item["variant"] == "meaning_changed")
    rating = ("Quoted accurately" if not differs and not changed else
              "; ".join(part for part in (f"Misattributed in {differs} of {len(items)} copies" if differs else "",
                                          f"Meaning changed in {changed} of {len(items)} copies" if changed else "")
                        if part))
    review["reviewRating"] = {"@type": "Rating", "alternateName": rating}

    def work(item: dict[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = {"@type": "CreativeWork", "text": item["text"]}
        if item["outlet"]:
            found["publisher"] = {"@type": "Organization", "name": item["outlet"]}
        if item["date"]:
            found["datePublished"] = item["date"]
        return found

    claim: dict[str, Any] = {"@type": "Claim", "firstAppearance": work(items[0]),
                             "appearance": [work(item) for item in items[1:]]}
    if answer["speakers"]:
        claim["author"] = {"@type": "Person", "name": answer["speakers"][0]["name"]}
    if answer["earliest"]["date"]:
        claim["datePublished"] = answer["earliest"]["date"]
    review["itemReviewed"] = claim
    return review
