"""The accurate tier's merge: the fast tier's grouping and merge (attribute.learned,
attribute.merge), weighed by the transformer tagger's confidence in each content span
(windows.span_confidence).

- Model-only attributions. The tagger proposes more than the fast one that no rule
  found, and on text unlike PolNeAR's most are wrong (on our real-page dev set, 8 of 40
  model-only quotations were right). A cue of speech and a speaker in the frame do not
  tell them apart (nearly all have both); the tagger's confidence does: on PolNeAR dev,
  1 of the 44 model-only quotations under 0.8 was right, against 43 of the 78 above. So
  one is kept only when the tagger is that sure of it.
- Model-only stances, beliefs and refusals take the quotations' threshold. At 0.5, on
  our real pages, four in ten of the tier's stances were wrong (precision 59.7%).
- Other cues. attribute.learned keeps a tagged content only under a cue of speech (a
  quotation) or of speech or stance (a stance): the fast tagger's other cues frame
  perceptions, titles and actions. PolNeAR annotates many attributions under other cues
  ("took aim at", "pointed to", "wrote in"); a quotation the transformer is sure of
  (0.93 up) is kept under one. A stance is not: under a cue of neither speech nor stance
  it is an action ("vetoed the bill"), outside what a stance is (docs/output.md).

The quotation thresholds are chosen on PolNeAR dev (the sweep: docs/accurate.md). The
stance and belief policy was set after measuring the real pages (docs/accurate.md says
so). Attributions the rules found too ("both") are merged as in the fast tier.
"""
from __future__ import annotations

from spacy.tokens import Doc

from ..attribute.learned import Tagged, model_attributions
from ..attribute.merge import merge as merge_both
from ..model import QUOTATIONS, Attribution

# The least confidence in its content at which the tagger's attribution is kept: chosen on PolNeAR dev.
QUOTATION_THRESHOLD = 0.8  # a model-only quotation
OTHER_KIND_THRESHOLD = QUOTATION_THRESHOLD  # a model-only stance, belief or refusal
QUOTATION_CUE_THRESHOLD = 0.93  # a quotation under such a cue


def admitted(found: Attribution) -> bool:
    """Whether an attribution stays: any the rules found, and a model-only one the
    tagger is sure enough of (one without a confidence, from a tagger that gives none, stays)."""
    if found.method != "model" or found.model_confidence is None:
        return True
    threshold = QUOTATION_THRESHOLD if found.kind in QUOTATIONS else OTHER_KIND_THRESHOLD
    return found.model_confidence >= threshold


def merge(doc: Doc, text: str, rules: list[Attribution], spans: list[Tagged]) -> list[Attribution]:
    """The rules' attributions merged with the tagger's spans grouped into attributions
    (attribute.learned.model_attributions), model-only ones under the thresholds left out."""
    model = model_attributions(doc, text, spans, sure_quotation=QUOTATION_CUE_THRESHOLD)
    return [found for found in merge_both(text, rules, model) if admitted(found)]


__all__ = ["merge", "admitted", "QUOTATION_THRESHOLD", "OTHER_KIND_THRESHOLD", "QUOTATION_CUE_THRESHOLD"]
