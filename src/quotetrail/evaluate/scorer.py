"""Score predicted attributions against gold, one article at a time; Scores
add up over a corpus, so every figure is micro-averaged.

Matching is one-to-one and greedy, best pair first, and ignores kind (a
prediction matched to gold of another kind is found, for the whole score):
- exact: the same span once whitespace, punctuation and quote marks are
  stripped from both ends;
- overlap: the pair shares at least half the words of the LONGER of the two
  (words are runs of letters and digits; the words of a discontinuous gold
  span are those of its pieces, not of the words between them).
A prediction with an empty content (a non-response that states no question)
claims its cue's words instead, and matches a gold no_comment when its cue
lies at least half within the gold span (the non-response phrase).
Everything except the exact figures is computed on overlap matches.
By kind (kinds.py): recall counts gold attributions of the kind, by the GOLD
kind; precision counts predictions of the kind, by the PREDICTED kind. So a
predicted stance matched to a gold indirect counts as found in the indirect
row and as correct in the stance row: each row says how good the tool's
output of that kind is, and what share of the gold of that kind it finds.
"Quotations" is the sum of the direct, mixed and indirect rows.
Predictions that match no gold quote but overlap an optional one are ignored.

The name rules here are deliberately the scorer's own and not the
extractor's: changing the extractor must not move the yardstick.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from ..model import Cue, Quote, Speaker
from .gold import GoldArticle, GoldQuote
from .kinds import KINDS, QUOTATION_KINDS, GoldKind, cue_words
from .roles import ROLES, score_roles

MatchMode = Literal["exact", "overlap"]
# not_in_extracted_text: a miss because the text scored lost the quote (see GoldQuote.located).
ErrorCategory = Literal["missed", "not_in_extracted_text", "false_positive", "wrong_speaker"]
OVERLAP_THRESHOLD = 0.5

_WORD = re.compile(r"\w+")
_POSSESSIVE = re.compile(r"[’']s\b")
_ARTICLES = frozenset({"the", "a", "an"})
_PRONOUNS = frozenset("i me my we us our you your he him his she her they them their it its who".split())
_ACRONYM_SKIP = frozenset({"of", "the", "and", "for"})
# A courtesy title names no one apart from the name it precedes: PolNeAR's "Mr. Putin" is the
# article's Vladimir V. Putin. Job titles ("President") stay: they can name the office alone.
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "prof"})
_FEMININE = frozenset({"mrs", "ms", "miss", "dame"})


@dataclass
class Detection:
    """Recall counts gold quotes found; precision counts predictions that
    matched. The two differ only in the per-kind breakdown, where recall goes
    by the gold kind and precision by the predicted kind."""

    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0

    def __add__(self, other: Detection) -> Detection:
        return Detection(self.gold + other.gold, self.found + other.found,
                         self.predicted + other.predicted, self.correct + other.correct)

    @property
    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def figures(self) -> dict[str, Any]:
        return {"gold": self.gold, "found": self.found, "predicted": self.predicted,
                "correct": self.correct, "precision": self.precision, "recall": self.recall,
                "f1": self.f1}


@dataclass
class Accuracy:
    correct: int = 0
    total: int = 0

    def __add__(self, other: Accuracy) -> Accuracy:
        return Accuracy(self.correct + other.correct, self.total + other.total)

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None

    def figures(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "value": self.value}


@dataclass
class Reliability:
    """Predicted quotes in one bucket: how many, how many had span and speaker
    right, and the sum of their confidences (to compare the two)."""

    quotes: int = 0
    correct: int = 0
    confidence: float = 0.0

    def __add__(self, other: Reliability) -> Reliability:
        return Reliability(self.quotes + other.quotes, self.correct + other.correct,
                           self.confidence + other.confidence)

    def figures(self) -> dict[str, Any]:
        return {"quotes": self.quotes, "correct": self.correct,
                "precision": self.correct / self.quotes if self.quotes else None,
                "mean_confidence": self.confidence / self.quotes if self.quotes else None}


def expected_calibration_error(buckets: Iterable[Reliability]) -> float | None:
    """Mean gap between confidence and the share right, weighted by bucket size."""
    chosen = [bucket for bucket in buckets if bucket.quotes]
    total = sum(bucket.quotes for bucket in chosen)
    if not total:
        return None
    return sum(abs(bucket.confidence - bucket.correct) for bucket in chosen) / total


def _add_buckets(first: dict[str, Reliability], second: dict[str, Reliability]) -> dict[str, Reliability]:
    return {key: first.get(key, Reliability()) + second.get(key, Reliability()) for key in {*first, *second}}


def confidence_bin(confidence: float) -> str:
    low = min(int(confidence * 10), 9) / 10
    return f"{low:.1f}-{low + 0.1:.1f}"


@dataclass(frozen=True)
class Error:
    category: ErrorCategory
    article: str
    text: str
    gold_speaker: str | None
    predicted_speaker: str | None

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.text))


def _kind_table() -> dict[GoldKind, Detection]:
    return {kind: Detection() for kind in KINDS}


def _quotations(table: Mapping[GoldKind, Detection]) -> Detection:
    return sum((table[kind] for kind in KINDS if kind in QUOTATION_KINDS), Detection())


def _role_table() -> dict[str, Detection]:
    return {role: Detection() for role in ROLES}


@dataclass
class Score:
    articles: int = 0
    exact: Detection = field(default_factory=Detection)
    overlap: Detection = field(default_factory=Detection)
    # A true positive needs an overlap match and the right speaker.
    end_to_end: Detection = field(default_factory=Detection)
    by_kind: dict[GoldKind, Detection] = field(default_factory=_kind_table)
    by_kind_end_to_end: dict[GoldKind, Detection] = field(default_factory=_kind_table)
    speaker: Accuracy = field(default_factory=Accuracy)
    cue: Accuracy = field(default_factory=Accuracy)
    reported_by: Accuracy = field(default_factory=Accuracy)
    kind: Accuracy = field(default_factory=Accuracy)
    # Recall over gold quotes whose cue is not a thought or intention.
    recall_without_thought: Accuracy = field(default_factory=Accuracy)
    # None until an article with annotated furniture meets a tool that reports it.
    furniture: Detection | None = None
    errors: list[Error] = field(default_factory=list)
    # Exact span per role over every annotator file (roles.py); Content also aligned.
    roles: dict[str, Detection] = field(default_factory=_role_table)
    roles_aligned: dict[str, Detection] = field(default_factory=_role_table)
    # Reliability of the predicted quotes (ignored ones left out), by
    # confidence tenth and by "method/kind".
    by_confidence: dict[str, Reliability] = field(default_factory=dict)
    by_method: dict[str, Reliability] = field(default_factory=dict)

    def __add__(self, other: Score) -> Score:
        furniture = [part for part in (self.furniture, other.furniture) if part is not None]
        return Score(
            articles=self.articles + other.articles,
            exact=self.exact + other.exact,
            overlap=self.overlap + other.overlap,
            end_to_end=self.end_to_end + other.end_to_end,
            by_kind={kind: self.by_kind[kind] + other.by_kind[kind] for kind in KINDS},
            by_kind_end_to_end={kind: self.by_kind_end_to_end[kind] + other.by_kind_end_to_end[kind]
                                for kind in KINDS},
            speaker=self.speaker + other.speaker,
            cue=self.cue + other.cue,
            reported_by=self.reported_by + other.reported_by,
            kind=self.kind + other.kind,
            recall_without_thought=self.recall_without_thought + other.recall_without_thought,
            furniture=sum(furniture, Detection()) if furniture else None,
            errors=self.errors + other.errors,
            roles={role: self.roles[role] + other.roles[role] for role in ROLES},
            roles_aligned={role: self.roles_aligned[role] + other.roles_aligned[role] for role in ROLES},
            by_confidence=_add_buckets(self.by_confidence, other.by_confidence),
            by_method=_add_buckets(self.by_method, other.by_method),
        )

    def figures(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "quotes_exact": self.exact.figures(),
            "quotes_overlap": self.overlap.figures(),
            "quote_and_speaker": self.end_to_end.figures(),
            "by_kind": {kind: detection.figures() for kind, detection in self.by_kind.items()},
            "by_kind_quote_and_speaker": {kind: detection.figures()
                                          for kind, detection in self.by_kind_end_to_end.items()},
            "quotations_overlap": _quotations(self.by_kind).figures(),
            "quotations_quote_and_speaker": _quotations(self.by_kind_end_to_end).figures(),
            "speaker_accuracy": self.speaker.figures(),
            "cue_accuracy": self.cue.figures(),
            "reported_by_accuracy": self.reported_by.figures(),
            "kind_accuracy": self.kind.figures(),
            "recall_without_thought": self.recall_without_thought.figures(),
            "furniture": None if self.furniture is None else self.furniture.figures(),
            "roles_exact": {role: detection.figures() for role, detection in self.roles.items()},
            "roles_aligned": {role: detection.figures() for role, detection in self.roles_aligned.items()},
            "reliability_by_confidence": {key: self.by_confidence[key].figures() for key in sorted(self.by_confidence)},
            "expected_calibration_error": expected_calibration_error(self.by_confidence.values()),
            "reliability_by_method": {key: self.by_method[key].figures() for key in sorted(self.by_method)},
        }


# --- predicted dicts -------------------------------------------------------

def parse_quote(data: Mapping[str, Any]) -> Quote:
    """One entry of Article.to_dict()["quotes"] back into a Quote."""
    speaker, cue = data.get("speaker"), data.get("cue")
    return Quote(
        kind=data["kind"],
        text=data.get("text", ""),
        start=int(data["start"]),
        end=int(data["end"]),
        speaker=Speaker(**speaker) if speaker else None,
        cue=Cue(**cue) if cue else None,
        reported_by=list(data.get("reported_by") or []),
        confidence=float(data.get("confidence", 0.5)),
        method=data.get("method", "rules"),
    )


# --- spans -----------------------------------------------------------------

class _Words:
    """Word start offsets of one text, to count the words in any range fast."""

    def __init__(self, text: str) -> None:
        self.starts = [match.start() for match in _WORD.finditer(text)]

    def count(self, start: int, end: int) -> int:
        return bisect_left(self.starts, end) - bisect_left(self.starts, start) if end > start else 0

    def shared(self, pieces: Sequence[tuple[int, int]], start: int, end: int) -> int:
        return sum(self.count(max(a, start), min(b, end)) for a, b in pieces)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    start, end = max(start, 0), min(end, len(text))
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


def _overlaps(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return end > start and any(a < end and start < b for a, b in spans)


@dataclass(frozen=True)
class _Predicted:
    """A predicted quote and the pieces of text it claims: one, or the parts of a
    split quote joined below (whose words are theirs, not the frame's between them)."""

    quote: Quote
    pieces: tuple[tuple[int, int], ...]


def _similarity(text: str, words: _Words, gold: GoldQuote, pred: _Predicted, mode: MatchMode) -> float:
    quote = pred.quote
    if mode == "exact":
        span = _trim(text, gold.start, gold.end)
        return 1.0 if span[0] < span[1] and span == _trim(text, quote.start, quote.end) else 0.0
    gold_words = sum(words.count(a, b) for a, b in gold.pieces)
    pred_words = sum(words.count(a, b) for a, b in pred.pieces)
    shared = sum(words.shared(gold.pieces, a, b) for a, b in pred.pieces)
    if gold.kind == "no_comment" and quote.end <= quote.start:  # a bare cue: it lies within the gold phrase
        return shared / pred_words if pred_words else 0.0
    longer = max(gold_words, pred_words)
    return shared / longer if longer else 0.0


def _match(text: str, words: _Words, gold: Sequence[GoldQuote], predicted: Sequence[_Predicted],
           mode: MatchMode) -> dict[int, int]:
    """Gold index -> predicted index, one-to-one, best similarity first."""
    threshold = 1.0 if mode == "exact" else OVERLAP_THRESHOLD
    candidates = sorted(
        (-similarity, g, p)
        for g, gold_quote in enumerate(gold)
        for p, pred in enumerate(predicted)
        if (similarity := _similarity(text, words, gold_quote, pred, mode)) >= threshold
    )
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for _, g, p in candidates:
        if g not in pairs and p not in taken:
            pairs[g] = p
            taken.add(p)
    return pairs


def _ignored(words: _Words, optional: Sequence[GoldQuote], predicted: Sequence[_Predicted],
             matched: set[int]) -> set[int]:
    return {p for p, pred in enumerate(predicted) if p not in matched
            and any(words.shared(quote.pieces, a, b) for quote in optional for a, b in pred.pieces)}


# --- speakers, cues, outlets -----------------------------------------------

def _name_tokens(name: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", _POSSESSIVE.sub("", name)).casefold()
    tokens = _WORD.findall("".join(char for char in folded if not unicodedata.combining(char)))
    while tokens and tokens[0] in _ARTICLES:
        tokens = tokens[1:]
    return tokens


def _without_honorific(tokens: list[str]) -> list[str]:
    return tokens[1:] if len(tokens) > 1 and tokens[0] in _HONORIFICS else tokens


def names_match(first: str, second: str) -> bool:
    """Same name after normalising (a leading courtesy title dropped), or one is a trailing part of
    the other ("Lukashenko", "Alexander Lukashenko"), or one is the other's acronym.
    A bare pronoun names nobody, so it matches nothing."""
    a, b = _name_tokens(first), _name_tokens(second)
    if not a or not b or set(a) <= _PRONOUNS or set(b) <= _PRONOUNS:
        return False
    if a[0] in _HONORIFICS and b[0] in _HONORIFICS and (a[0] in _FEMININE) != (b[0] in _FEMININE):
        return False  # "Mr. Clinton" is not "Mrs. Clinton"
    a, b = _without_honorific(a), _without_honorific(b)
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    if long[len(long) - len(short):] == short:
        return True
    initials = "".join(word[0] for word in long if word not in _ACRONYM_SKIP)
    return len(short) == 1 and len(long) > 1 and short[0] == initials


def speaker_matches(gold: GoldQuote, pred: Speaker | None) -> bool:
    """A gold quote with no speaker wants none predicted."""
    if gold.speaker is None or pred is None:
        return gold.speaker is None and pred is None
    if _overlaps(gold.speaker_spans, pred.start, pred.end):
        return True
    return any(names_match(pred.name, name) for name in (gold.speaker, *gold.speaker_aliases))


def cue_matches(gold: GoldQuote, pred: Cue | None) -> bool:
    """Same cue span, or the words of one cue (text or lemma) all in the other."""
    if gold.cue is None or pred is None:
        return gold.cue is None and pred is None
    if _overlaps(gold.cue_spans, pred.start, pred.end):
        return True
    expected = cue_words(gold.cue)
    for candidate in (pred.text, pred.lemma):
        words = cue_words(candidate)
        if words and expected and (set(words) <= set(expected) or set(expected) <= set(words)):
            return True
    return False


def _outlets(names: Sequence[str]) -> set[str]:
    return {re.sub(r"\s+", "", name).casefold() for name in names}


# --- one article -----------------------------------------------------------

def _detection(gold: int, predicted: int, matched: int) -> Detection:
    return Detection(gold=gold, found=matched, predicted=predicted, correct=matched)


def _furniture(article: GoldArticle, predicted: Mapping[str, Any]) -> Detection | None:
    if article.furniture is None or "furniture" not in predicted:
        return None
    text = article.text
    gold = {_trim(text, span.start, span.end) for span in article.furniture}
    found = {_trim(text, int(span["start"]), int(span["end"])) for span in predicted["furniture"]}
    return _detection(len(gold), len(found), len(gold & found))


def _speaker_name(quote: Quote) -> str | None:
    return quote.speaker.name if quote.speaker else None


def _claimed(quote: Quote) -> tuple[int, int]:
    """The text a prediction claims: its content, or its cue when the content is empty."""
    if quote.end <= quote.start and quote.cue is not None:
        return quote.cue.start, quote.cue.end
    return quote.start, quote.end


def join_split_quotes(gold: Sequence[GoldQuote], predicted: list[Quote]) -> list[_Predicted]:
    """Corpora that annotate “A,” he said, “B.” as one discontinuous quote
    (PolNeAR) meet tools that return its parts: parts with one speaker that
    lie inside such a gold quote are scored as one prediction, made of their pieces."""
    joined = [_Predicted(quote, (_claimed(quote),)) for quote in predicted]
    for quote in gold:
        if len(quote.pieces) < 2:
            continue
        inside = [p for p in joined if quote.start <= p.quote.start and p.quote.end <= quote.end]
        if len(inside) < 2 or len({_speaker_name(p.quote) for p in inside}) > 1:
            continue
        parts = sorted((p.quote for p in inside), key=lambda part: part.start)
        merged = replace(parts[0], end=max(part.end for part in parts),
                         cue=next((part.cue for part in parts if part.cue is not None), None))
        pieces = tuple(sorted(piece for p in inside for piece in p.pieces))
        joined = [p for p in joined if p not in inside] + [_Predicted(merged, pieces)]
    return sorted(joined, key=lambda p: p.quote.start)


def score_article(article: GoldArticle, predicted: Mapping[str, Any]) -> Score:
    """Score one article; `predicted` is Article.to_dict() or the same shape."""
    text, gold, optional = article.text, article.quotes, article.optional_quotes
    words = _Words(text)
    joined = join_split_quotes(gold, [parse_quote(item) for item in predicted.get("quotes", [])])
    preds = [p.quote for p in joined]
    score = Score(articles=1, furniture=_furniture(article, predicted))

    exact = _match(text, words, gold, joined, "exact")
    exact_ignored = _ignored(words, optional, joined, set(exact.values()))
    score.exact = _detection(len(gold), len(preds) - len(exact_ignored), len(exact))

    pairs = _match(text, words, gold, joined, "overlap")
    ignored = _ignored(words, optional, joined, set(pairs.values()))
    scored = [p for p in range(len(preds)) if p not in ignored]
    score.overlap = _detection(len(gold), len(scored), len(pairs))

    speaker_ok = {g for g, p in pairs.items() if speaker_matches(gold[g], preds[p].speaker)}
    score.end_to_end = _detection(len(gold), len(scored), len(speaker_ok))
    score.speaker = Accuracy(len(speaker_ok), len(pairs))
    score.kind = Accuracy(sum(gold[g].kind == preds[p].kind for g, p in pairs.items()), len(pairs))
    with_cue = [(g, p) for g, p in pairs.items() if gold[g].cue is not None]
    score.cue = Accuracy(sum(cue_matches(gold[g], preds[p].cue) for g, p in with_cue), len(with_cue))
    with_outlets = [(g, p) for g, p in pairs.items() if gold[g].reported_by is not None]
    score.reported_by = Accuracy(
        sum(_outlets(gold[g].reported_by or ()) == _outlets(preds[p].reported_by) for g, p in with_outlets),
        len(with_outlets),
    )
    speech = [g for g, quote in enumerate(gold) if not quote.thought]
    score.recall_without_thought = Accuracy(sum(g in pairs for g in speech), len(speech))

    matched_preds = set(pairs.values())
    right = {p for g, p in pairs.items() if g in speaker_ok}
    for kind in KINDS:
        gold_count = sum(quote.kind == kind for quote in gold)
        predicted_count = sum(preds[p].kind == kind for p in scored)
        score.by_kind[kind] = Detection(
            gold=gold_count, found=sum(gold[g].kind == kind for g in pairs),
            predicted=predicted_count, correct=sum(preds[p].kind == kind for p in matched_preds))
        score.by_kind_end_to_end[kind] = Detection(
            gold=gold_count, found=sum(gold[g].kind == kind for g in speaker_ok),
            predicted=predicted_count, correct=sum(preds[p].kind == kind for p in right))

    for aligned, table in ((False, score.roles), (True, score.roles_aligned)):
        for role, (gold_count, predicted_count, correct) in score_roles(article, predicted, aligned).items():
            table[role] = _detection(gold_count, predicted_count, correct)

    for p in scored:
        for key, table in ((confidence_bin(preds[p].confidence), score.by_confidence),
                           (f"{preds[p].method}/{preds[p].kind}", score.by_method)):
            table[key] = table.get(key, Reliability()) + Reliability(1, int(p in right), preds[p].confidence)

    name = article.name
    score.errors = (
        [Error("missed" if quote.located else "not_in_extracted_text", name, quote.text, quote.speaker, None)
         for g, quote in enumerate(gold) if g not in pairs]
        + [Error("false_positive", name, preds[p].text or text[preds[p].start:preds[p].end], None,
                 _speaker_name(preds[p]))
           for p in scored if p not in matched_preds]
        + [Error("wrong_speaker", name, gold[g].text, gold[g].speaker, _speaker_name(preds[p]))
           for g, p in pairs.items() if g not in speaker_ok]
    )
    return score
