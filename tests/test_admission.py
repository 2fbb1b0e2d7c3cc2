"""The accurate tier's merge keeps what the rules found and only the model-only
attributions its tagger is sure of; the fast tier's merge keeps them all."""
from __future__ import annotations

from quotetrail.accurate import admission
from quotetrail.attribute.merge import merge as fast_merge
from quotetrail.model import Attribution

TEXT = ("The mayor said the bridge would reopen in May. Critics argued that the delay was avoidable. "
        "Residents saw that the lights were off. The union denied the allegations.")


def span(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


def attribution(words: str, kind: str = "indirect", method: str = "rules",
                confidence: float | None = None) -> Attribution:
    start, end = span(words)
    return Attribution(kind=kind, start=start, end=end, paragraph=0, method=method, model_confidence=confidence)


def proposals() -> tuple[list[Attribution], list[Attribution]]:
    rules = [attribution("the bridge would reopen in May")]
    model = [attribution("the bridge would reopen in May", method="model", confidence=0.55),  # the rules' too
             attribution("the delay was avoidable", method="model", confidence=0.93),
             attribution("the lights were off", method="model", confidence=0.62),
             attribution("the allegations", kind="stance", method="model", confidence=0.31)]
    return rules, model


def test_a_model_only_attribution_needs_the_tagger_to_be_sure_of_it() -> None:
    kept = admission.merge(TEXT, *proposals())
    assert [(TEXT[found.start:found.end], found.method) for found in kept] == [
        ("the bridge would reopen in May", "both"), ("the delay was avoidable", "model")]


def test_the_thresholds_part_what_is_kept() -> None:
    assert admission.admitted(attribution("the lights were off", method="model",
                                          confidence=admission.QUOTATION_THRESHOLD))
    assert not admission.admitted(attribution("the lights were off", method="model",
                                              confidence=admission.QUOTATION_THRESHOLD - 0.01))
    assert not admission.admitted(attribution("the allegations", kind="stance", method="model",
                                              confidence=admission.OTHER_KIND_THRESHOLD - 0.01))
    # Found by the rules, or from a tagger that gives no confidence: kept.
    assert admission.admitted(attribution("the lights were off", confidence=0.1))
    assert admission.admitted(attribution("the lights were off", method="model"))


def test_the_fast_tier_merge_keeps_every_model_only_attribution() -> None:
    assert len(fast_merge(TEXT, *proposals())) == 4
