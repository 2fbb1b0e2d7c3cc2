"""One decision over two proposers: rule attributions and model attributions.

- A rule attribution that a model content overlaps is kept as the rules found
  it (span, cue, speaker): on our own dev set and the seed example, the rules'
  spans and frames are the more accurate, and swapping in the model's span
  lost speakers (relay frames, mixed quotes). It is marked "both".
- Model contents overlapping no rule attribution are added ("model");
  rule attributions overlapping no model content are kept ("rules").
"""
from __future__ import annotations

from collections.abc import Mapping

from ..model import Attribution, Quote

CALIBRATION_KEY = "quotetrail_calibration"  # in the attribution model's meta.json (train.calibrate_on)


def _overlaps(a: Attribution, b: Attribution) -> bool:
    return min(a.end, b.end) > max(a.start, b.start)


def merge(rules: list[Attribution], model: list[Attribution]) -> list[Attribution]:
    merged: list[Attribution] = []
    unused = list(model)
    for rule in rules:
        overlapping = [found for found in unused if _overlaps(found, rule)]
        if not overlapping:
            merged.append(rule)
            continue
        rule.method = "both"
        absorbed = {id(found) for found in overlapping}
        unused = [found for found in unused if id(found) not in absorbed]
        merged.append(rule)
    merged.extend(unused)
    return sorted(merged, key=lambda found: (found.start, found.end))


def calibrate(quotes: list[Quote], attributions: list[Attribution],
              table: Mapping[str, Mapping[str, float]]) -> None:
    """Give each quote its method, and a model-only quote a confidence that
    accounts for it.

    link() gives every quote the rate at which quotes found that way were right
    on our annotated dev sets (link/confidence.py), measured on what the rules
    find. Quotes only the model proposed are right less often: `table`
    (measured on PolNeAR dev when the model is trained, kept in its meta.json)
    holds, per "method/kind", the share of right quotes (span and speaker);
    a model-only quote's confidence is scaled by the ratio of its bucket's share
    to that of the rule-found quotes ("rules" and "both") of the same kind.
    """
    method_of = {(found.start, found.end): found.method for found in attributions}
    for quote in quotes:
        quote.method = method_of.get((quote.start, quote.end), "rules")
        if quote.method != "model":
            continue
        found = table.get(f"model/{quote.kind}")
        rule_found = [table[key] for key in (f"rules/{quote.kind}", f"both/{quote.kind}") if key in table]
        right = sum(bucket["precision"] * bucket["quotes"] for bucket in rule_found)
        total = sum(bucket["quotes"] for bucket in rule_found)
        if found and right > 0:
            scaled = quote.confidence * found["precision"] / (right / total)
            quote.confidence = round(min(1.0, max(0.0, scaled)), 2)


__all__ = ["merge", "calibrate"]
