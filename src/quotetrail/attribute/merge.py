"""One decision over two proposers: rule attributions and model attributions.

- A direct quote found by the rules stays as the rules found it (they are
  near-perfect there); model contents overlapping it are absorbed into it.
- Any other rule attribution a model content overlaps takes the model's span
  (the tagger learned where content starts and ends) but keeps the rule's
  cue and speaker, which the parse gives more reliably.
- Model contents overlapping no rule attribution are added as they are;
  rule attributions overlapping no model content are kept.
Each result says who proposed it: method "rules", "model" or "both".
"""
from __future__ import annotations

from collections.abc import Mapping

from ..model import Attribution, Quote
from .learned import quote_kind

CALIBRATION_KEY = "quotetrail_calibration"  # in the attribution model's meta.json (train.calibrate_on)


def _overlaps(a: Attribution, b: Attribution) -> bool:
    return min(a.end, b.end) > max(a.start, b.start)


def merge(text: str, rules: list[Attribution], model: list[Attribution]) -> list[Attribution]:
    merged: list[Attribution] = []
    unused = list(model)
    for rule in rules:
        overlapping = [found for found in unused if _overlaps(found, rule)]
        if not overlapping:
            merged.append(rule)
            continue
        rule.method = "both"
        if rule.kind != "direct":
            # The longest overlapping content is the model's reading of this one.
            best = max(overlapping, key=lambda found: found.end - found.start)
            rule.start, rule.end = best.start, best.end
            rule.kind = quote_kind(text[rule.start:rule.end])
        absorbed = {id(found) for found in overlapping}
        unused = [found for found in unused if id(found) not in absorbed]
        merged.append(rule)
    merged.extend(unused)
    # Two rule attributions can now share one model span: keep the first.
    seen: set[tuple[int, int]] = set()
    unique = []
    for attribution in sorted(merged, key=lambda found: (found.start, found.end)):
        if (attribution.start, attribution.end) not in seen:
            seen.add((attribution.start, attribution.end))
            unique.append(attribution)
    return unique


def calibrate(quotes: list[Quote], attributions: list[Attribution],
              table: Mapping[str, Mapping[str, float]]) -> None:
    """Give each quote its method and a confidence that reads as a probability.

    link() scores a quote by how its speaker was resolved; that ranks quotes
    well but is not a probability for model-found ones. `table` (measured on
    PolNeAR dev when the model is trained, kept in its meta.json) holds, per
    "method/kind", the share of quotes whose span and speaker were right and
    their mean link() confidence: each quote's confidence is scaled so that
    its bucket's mean equals that share.
    """
    method_of = {(found.start, found.end): found.method for found in attributions}
    for quote in quotes:
        quote.method = method_of.get((quote.start, quote.end), "rules")
        bucket = table.get(f"{quote.method}/{quote.kind}")
        if bucket and bucket["mean_confidence"] > 0:
            scaled = quote.confidence * bucket["precision"] / bucket["mean_confidence"]
            quote.confidence = round(min(1.0, max(0.0, scaled)), 2)


__all__ = ["merge", "calibrate"]
