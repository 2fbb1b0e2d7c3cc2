"""One decision over two proposers: rule attributions and model attributions.

- A rule attribution that model contents overlap is marked "both". It keeps
  the rules' cue and speaker (their frames carry relays, continued quotes and
  the parse's subject), and the tagger's source span, which link() takes as the
  speaker's mention when it holds the name the rules resolved; a rule quote with
  no frame of its own (its speaker would come from context) takes the tagger's
  source when that lies outside the quote. An indirect one whose clause exactly
  one model content overlaps takes the model's span (a stance, belief or refusal
  keeps its own where it holds the model's: the tagger often cuts those short), unless that span holds
  another frame (_same_quote): the tagger learned where reported content
  ends (before a trailing "according to" frame, across a clause the parser
  split); on our real-page dev set and PolNeAR both, the model's indirect spans
  match the annotators' more often. Direct and mixed quotes keep the rules'
  span, which the quote marks fix exactly; but quoted words the rules found no
  clause for take the model content around them (_holds_fragment).
- Model contents overlapping no rule attribution are added ("model").
- Stances, beliefs and refusals (attribute/kinds.py) join only rule attributions
  of those kinds; one overlapping a quotation is left out: the quotation's
  clause already holds it.
- Rule attributions overlapping no model content are kept ("rules").
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping
from itertools import accumulate

from ..lexicon import lexicon
from ..model import QUOTATIONS, Attribution, Cue, Quote
from .direct import CLOSED_FRAME_MAX_WORDS, is_naming_cue
from .kinds import OPEN_MARKS, quote_kind

CALIBRATION_KEY = "quotetrail_calibration"  # in the attribution model's meta.json (train.calibrate_on)
PSEUDO_QUOTES = 5


def _overlaps(a: Attribution, b: Attribution) -> bool:
    return min(a.end, b.end) > max(a.start, b.start)


class _ByPosition:
    """Attributions by where they start, so that those overlapping a span are found by a
    bisection rather than a scan of all: a one-line text of a million characters holds
    thousands of each, and the scans made the merge quadratic. Positions as at creation."""

    def __init__(self, items: list[Attribution]) -> None:
        self.items = items
        self.order = sorted(range(len(items)), key=lambda index: items[index].start)
        self.starts = [items[index].start for index in self.order]
        self.reach = list(accumulate((items[index].end for index in self.order), max))  # furthest end so far

    def overlapping(self, span: Attribution) -> list[int]:
        """Indexes (in the list's order) of the items that overlap span."""
        found = []
        at = bisect_left(self.starts, span.end)
        while at > 0 and self.reach[at - 1] > span.start:
            at -= 1
            if self.items[self.order[at]].end > span.start:
                found.append(self.order[at])
        return sorted(found)


def _wider_cue(cue: Cue | None, tagged: list[Cue | None]) -> Cue | None:
    """The tagger's cue where it holds the rules' ("said on Friday", "expressed alarm"):
    the whole cue phrase, with the rules' lemma."""
    if cue is None:
        return None
    wider = next((found for found in tagged if found is not None
                  and found.start <= cue.start and cue.end <= found.end), None)
    return Cue(wider.text, cue.lemma, wider.start, wider.end) if wider is not None else cue


def _same_quote(text: str, rule: Attribution, found: Attribution, rules: _ByPosition) -> bool:
    """Whether a model content is the rule's content and not more: it holds neither
    the rule's own cue nor any part of another rule attribution (a relay frame,
    "..., Port Weekly reports", is a quotation of its own) but one that the rule's cue
    reports, after its content in the same sentence (_reported_after). A rule moved to a
    model's span earlier in the merge overlaps no other model content (they never overlap),
    so the positions the rules had at the start answer for it."""
    if rule.cue is not None and rule.cue.start < found.end and found.start < rule.cue.end:
        return False
    return not any(rules.items[index] is not rule and not _reported_after(text, rules.items[index], rule, found)
                   for index in rules.overlapping(found))


def _speakers_participle(text: str, other: Attribution, rule: Attribution) -> bool:
    """"said the vote was stolen, [citing the late changes]": a frame of the rule's own speaker
    after its content, the manner of the act, not what was reported; a to-clause ("needs to do
    more work [to show that ...]") is part of what was reported."""
    purpose = other.cue is not None and _after_to(text, other.cue.start)
    return other.subject_token is not None and other.subject_token == rule.subject_token and not purpose


def _after_to(text: str, at: int) -> bool:
    """Whether " to" comes before `at`, spaces aside: read back from `at` rather than by copying
    the text before it, which a long text would do once per attribution."""
    while at > 0 and text[at - 1].isspace():
        at -= 1
    return text[max(0, at - 3):at].lower() == " to"


def _reported_after(text: str, other: Attribution, rule: Attribution, found: Attribution) -> bool:
    """Whether another rule attribution lies in the model content after the rule's, with its cue
    (if any) there too: a frame nested in what the rule's cue reports ("said Trump needs [to
    show that he is ...]") or quoted words that carry it on ("have two choices: “…”"), which
    the annotators keep in the one content."""
    cue_inside = other.cue is None or rule.end <= other.cue.start and other.cue.end <= found.end and (
        not _speakers_participle(text, other, rule))
    one_sentence = _SENTENCE_END.search(text, rule.end - 1, other.start) is None  # from a full stop the rule ends with
    return rule.end <= other.start and other.end <= found.end and cue_inside and one_sentence


_SENTENCE_END = re.compile(r"[.?!][^\w\s]*\s+[^\w\s]*[A-Z]")  # a full stop, closing marks, the next capital
_COORDINATION = re.compile(r"[\s,;]*(?:and|but|or|yet)\b", re.IGNORECASE)
_DANGLING = re.compile(r"\b(?:and|but|or)\W*$", re.IGNORECASE)
_LAST_WORD = re.compile(r"\b(\w+)\W+(?:(?:an?|the)\W+)?$", re.IGNORECASE)  # "described X [as] a “"


def _cuts_coordination(text: str, rule: Attribution, found: Attribution, rules: _ByPosition) -> bool:
    """Whether the tagger's content stops inside the rules' clause at a coordination ("he posed a
    threat [and refused to drop the gun]"): the parse joins the clauses, and
    the annotators (PolNeAR's and ours) keep what a cue reports whole, unless the clause after
    it holds a cue of its own ("... and warned North Korea to refrain"), another attribution."""
    if not (rule.start <= found.start and found.end < rule.end):
        return False
    if _COORDINATION.match(text, found.end, rule.end) is None:
        return False
    tail = Attribution(kind=rule.kind, start=found.end, end=rule.end, paragraph=rule.paragraph)
    return not any(other is not rule and other.cue is not None and found.end <= other.cue.start < rule.end
                   for other in (rules.items[index] for index in rules.overlapping(tail)))


def _opens_next_sentence(text: str, rule: Attribution, source_start: int) -> bool:
    """Whether a source after a quote that closed its own sentence lies in a sentence of its own
    ("“…?” The same day, the mayor gave a speech in which he said"), which the rules' frames
    (direct.py) leave to the quotes it frames."""
    if source_start < rule.end or text[rule.start:rule.end].rstrip()[-1:] not in (".", "?", "!", "…"):
        return False
    return len(text[rule.end:source_start].split()) > CLOSED_FRAME_MAX_WORDS


def _holds_fragment(text: str, rule: Attribution, found: Attribution) -> bool:
    """Whether a model content holds a quoted fragment and words of its own around it ("told a
    town hall that [waterboarding is] “peanuts,” [compared to what ...]"): the clause the
    fragment is part of, which the annotators (PolNeAR's and ours) mark as the mixed content.
    Not where the rules chose the bounds of a naming cue's words (direct._reported_content:
    "called [the plan “a folly”] at a meeting", "described the idea that … as [“absurd”]"), nor
    the words after the cue's own preposition ("accused X of [“fanatic recklessness”]", as the
    annotators of PolNeAR and of our dev set mark them)."""
    lemma = rule.cue.lemma.split()[0] if rule.cue is not None else ""
    widened = text[rule.start - 1:rule.start] not in OPEN_MARKS + "'`"  # the rules' span runs past the marks
    before = _LAST_WORD.search(text, found.start, rule.start)
    if is_naming_cue(lemma) and widened or before is not None and before.group(1).lower() in (
            "as", lexicon().prepositional_cues.get(lemma)):
        return False
    return found.start <= rule.start and rule.end <= found.end and any(
        char.isalnum() for char in text[found.start:rule.start] + text[rule.end:found.end])


def _source_first(rule: Attribution) -> bool:
    return rule.cue is not None and rule.cue.lemma.split()[0] in lexicon().source_first_heads


def _joins(rule: Attribution, found: Attribution) -> bool:
    """Whether a model attribution that overlaps a rule one may merge into it: a model
    quotation into any (it was trained on their spans), a stance, belief or refusal only
    into one of those kinds; a nominal content inside a rule's clause is part of that clause."""
    return found.kind in QUOTATIONS or rule.kind not in QUOTATIONS


def _before_comma(text: str, start: int) -> int | None:
    """Where the words before ", " at start end: a stance whose cue frames a content ending there
    is its appositive ("pointed to [the review], the report “Tides of Change”"), the same thing."""
    at = start
    while at > 0 and text[at - 1].isspace():
        at -= 1
    if at == 0 or text[at - 1] != ",":
        return None
    at -= 1
    while at > 0 and text[at - 1].isspace():
        at -= 1
    return at


def merge(text: str, rules: list[Attribution], model: list[Attribution]) -> list[Attribution]:
    merged: list[Attribution] = []
    models, rules_at = _ByPosition(model), _ByPosition(rules)
    absorbed: set[int] = set()  # indexes of the model contents a rule took
    for rule in rules:
        taken = [index for index in models.overlapping(rule) if index not in absorbed and _joins(rule, model[index])]
        overlapping = [model[index] for index in taken]
        if not overlapping:
            merged.append(rule)
            continue
        rule.method = "both"
        rule.source = next((found.source for found in overlapping if found.source is not None), None)
        rule.cue = _wider_cue(rule.cue, [found.cue for found in overlapping])
        if rule.subject_token is None and not rule.continues_previous and not rule.relays:
            named = next((found for found in overlapping if found.source is not None
                          and not (rule.start < found.source[1] and found.source[0] < rule.end)
                          and not _opens_next_sentence(text, rule, found.source[0])), None)
            if named is not None:
                rule.subject_token, rule.inherits_speaker = named.subject_token, False
        # A stance, belief or refusal keeps the parse's phrase where it holds the tagger's: the
        # tagger cuts those short ("would like [to see] China agree", "wants X to eliminate Y[, as
        # well as provide Z]").
        # So does an "according to" frame, whose clause the parse gives whole: the tagger's
        # content inside it is a phrase of that clause ("approve of [Obama], according to X").
        cut_short = (rule.kind not in QUOTATIONS or _source_first(rule)) and len(overlapping) == 1 and (
            rule.start <= overlapping[0].start and overlapping[0].end <= rule.end)
        if rule.kind == "mixed":  # the tagger's clause around a fragment, else the marks' span
            widens = _holds_fragment(text, rule, overlapping[0])
        else:
            widens = rule.kind != "direct" and not cut_short and not _cuts_coordination(
                text, rule, overlapping[0], rules_at)
        if widens and len(overlapping) == 1 and _same_quote(text, rule, overlapping[0], rules_at):
            rule.start, rule.end = overlapping[0].start, overlapping[0].end
            if (dangling := _DANGLING.search(text, rule.start, rule.end)) is not None:
                rule.end = len(text[rule.start:dangling.start()].rstrip(" ,;")) + rule.start  # "... in 1984, and"
            if rule.kind == "indirect" or rule.kind != "mixed" and overlapping[0].kind in ("direct", "mixed"):
                rule.kind = quote_kind(text[rule.start:rule.end])
        absorbed.update(taken)
        merged.append(rule)
    unused = [found for index, found in enumerate(model) if index not in absorbed]
    merged.extend(found for found in unused if found.kind in QUOTATIONS)
    # The other kinds only where nothing was found: a noun phrase inside a quotation's
    # clause ("denied [that the talks failed]") is no second attribution, nor an appositive
    # of a content its cue frames (_before_comma).
    placed = _ByPosition(merged)
    ends = {(found.cue_token, found.end) for found in merged}
    merged.extend(found for found in unused if found.kind not in QUOTATIONS and not placed.overlapping(found)
                  and (found.cue_token, _before_comma(text, found.start)) not in ends)
    return sorted(merged, key=lambda found: (found.start, found.end))


def calibrate(quotes: list[Quote], attributions: list[Attribution],
              table: Mapping[str, Mapping[str, float]]) -> None:
    """Give each quote its method, and a confidence calibrated by kind and method.

    link() gives every quote the rate at which quotes found that way were right
    on our annotated dev sets (link/confidence.py), measured on the quotations
    the rules find. `table` (measured on PolNeAR dev by train.calibrate_on, kept
    in the attribution model's meta.json) holds, per "method/kind", the share of
    right quotes (span and speaker) and their mean uncalibrated confidence.
    - A model-only quotation's confidence is scaled by the ratio of its bucket's
      share to that of the rule-found quotations ("rules" and "both") of its kind:
      link's rates hold for those.
    - Stances, beliefs and refusals, which link's rates were not measured on, are
      scaled so that their bucket's mean confidence is its share of right ones
      (shrunk towards no change by PSEUDO_QUOTES).
    """
    method_of = {(found.start, found.end): found.method for found in attributions}
    for quote in quotes:
        quote.method = method_of.get((quote.start, quote.end), "rules")
        bucket = table.get(f"{quote.method}/{quote.kind}")
        if not bucket:
            continue
        if quote.kind not in QUOTATIONS:
            if bucket["mean_confidence"] > 0:
                # Shrunk towards no change by PSEUDO_QUOTES, so that a bucket of a few quotes
                # does not swing its confidences (as link/confidence.py shrinks its rates).
                quotes_seen = bucket.get("quotes", 0)
                right = bucket["precision"] * quotes_seen + bucket["mean_confidence"] * PSEUDO_QUOTES
                _scale(quote, right / (bucket["mean_confidence"] * (quotes_seen + PSEUDO_QUOTES)))
            continue
        if quote.method != "model":
            continue
        rule_found = [table[key] for key in (f"rules/{quote.kind}", f"both/{quote.kind}") if key in table]
        right = sum(found["precision"] * found["quotes"] for found in rule_found)
        total = sum(found["quotes"] for found in rule_found)
        if right > 0:
            _scale(quote, bucket["precision"] / (right / total))


def _scale(quote: Quote, ratio: float) -> None:
    quote.confidence = round(min(1.0, max(0.0, quote.confidence * ratio)), 2)


__all__ = ["merge", "calibrate"]
