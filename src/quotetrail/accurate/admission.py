"""The accurate tier's merge: attribute.merge's, with a stricter admission for what
its tagger alone proposes.

The transformer tagger proposes more attributions that no rule found than the fast
tagger does, and on text unlike PolNeAR's most are wrong (on our real-page dev set, 8 of
40 model-only quotations were right). A cue of speech and a speaker in the frame do not
tell them apart: nearly all have both. The tagger's own confidence in the content span
does (windows.span_confidence): on PolNeAR dev, 1 of the 44 model-only quotations under
0.8 was right, against 43 of the 78 above. So a model-only attribution is kept only when
the tagger is that sure of it; the thresholds are chosen on PolNeAR dev (bench/admission.py),
never on the real pages the tier is reported on. Attributions the rules found too
("both") are merged as the fast tier merges them.
"""
from __future__ import annotations

from ..attribute.merge import merge as merge_both
from ..model import QUOTATIONS, Attribution

# The least confidence at which a model-only attribution is kept: chosen on PolNeAR dev.
QUOTATION_THRESHOLD = 0.8
OTHER_KIND_THRESHOLD = 0.5  # stances, beliefs, refusals


def admitted(found: Attribution) -> bool:
    """Whether an attribution stays: any the rules found, and a model-only one the
    tagger is sure enough of (one without a confidence, from a tagger that gives none, stays)."""
    if found.method != "model" or found.model_confidence is None:
        return True
    threshold = QUOTATION_THRESHOLD if found.kind in QUOTATIONS else OTHER_KIND_THRESHOLD
    return found.model_confidence >= threshold


def merge(text: str, rules: list[Attribution], model: list[Attribution]) -> list[Attribution]:
    """attribute.merge.merge, then model-only attributions under the thresholds left out."""
    return [found for found in merge_both(text, rules, model) if admitted(found)]


__all__ = ["merge", "admitted", "QUOTATION_THRESHOLD", "OTHER_KIND_THRESHOLD"]
