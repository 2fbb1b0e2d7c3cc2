"""The accurate tier's merge (accurate/admission.py) weighs its tagger's confidence:
what the rules found stays, a model-only attribution needs the tagger to be sure of its
content, a quotation it is sure of may hang on any verb, and a stance never does (under a
verb of neither speech nor stance it is an action). The fast tier's merge, whose
tagger gives no confidence, is left as it was."""
from __future__ import annotations

import pytest

from quotetrail.accurate import admission
from quotetrail.attribute import find_attributions
from quotetrail.attribute.learned import Tagged, model_attributions
from quotetrail.attribute.merge import merge as fast_merge
from quotetrail.clean import clean
from quotetrail.model import Attribution
from quotetrail.nlp import load_nlp

TEXT = ("Harbour fees will double next spring, the port authority said on Tuesday.\n"
        "The fishermen's union targeted the fee plan.\n"
        "Ferry fares will rise too, per the port authority.\n")


@pytest.fixture(scope="module")
def doc():
    return load_nlp()(TEXT)


def tagged(doc, role: str, words: str, confidence: float | None) -> Tagged:
    start = TEXT.index(words)
    span = doc.char_span(start, start + len(words))
    return Tagged(role, span.start, span.end, TEXT.count("\n", 0, start), confidence)


def spans(doc, sure: float | None, doubtful: float | None) -> list[Tagged]:
    """The tagger's reading: the rules' quotation, a stance under a verb that is neither of
    speech nor of stance ("targeted"), and a quotation under "per", which no rule finds."""
    return [tagged(doc, "CONTENT", "Harbour fees will double next spring", doubtful),
            tagged(doc, "SOURCE", "the port authority said", sure), tagged(doc, "CUE", "said", sure),
            tagged(doc, "SOURCE", "The fishermen's union", sure), tagged(doc, "CUE", "targeted", sure),
            tagged(doc, "CONTENT", "the fee plan", sure),
            tagged(doc, "CONTENT", "Ferry fares will rise too", doubtful), tagged(doc, "CUE", "per", sure),
            tagged(doc, "SOURCE", "the port authority.", sure)]


def found(doc, attributions: list[Attribution]) -> list[tuple[str, str, str]]:
    return [(TEXT[item.start:item.end], item.kind, item.method) for item in attributions]


def test_the_rules_find_only_the_first_quotation(doc) -> None:
    assert found(doc, find_attributions(doc, clean(TEXT))) == [
        ("Harbour fees will double next spring", "indirect", "rules")]


def test_a_sure_tagger_adds_its_quotation_but_no_action(doc) -> None:
    merged = admission.merge(doc, TEXT, find_attributions(doc, clean(TEXT)), spans(doc, 0.95, 0.95))
    assert found(doc, merged) == [("Harbour fees will double next spring", "indirect", "both"),
                                  ("Ferry fares will rise too", "indirect", "model")]


def test_what_the_tagger_doubts_it_cannot_add_alone(doc) -> None:
    for doubtful in (0.9, 0.6):  # under a cue not of speech a quotation needs more than one under "said"
        merged = admission.merge(doc, TEXT, find_attributions(doc, clean(TEXT)), spans(doc, 0.95, doubtful))
        assert found(doc, merged) == [("Harbour fees will double next spring", "indirect", "both")]


def test_the_fast_tier_merge_is_as_it_was(doc) -> None:
    """Its tagger gives no confidence: what hangs on a cue of neither speech nor stance is
    left out, as before the accurate tier's policy, and a model-only quotation stays."""
    model = model_attributions(doc, TEXT, spans(doc, None, None))
    assert found(doc, fast_merge(TEXT, find_attributions(doc, clean(TEXT)), model)) == [
        ("Harbour fees will double next spring", "indirect", "both")]
    without_cue = [span for span in spans(doc, None, None) if doc[span.start:span.end].text != "per"]
    assert found(doc, fast_merge(TEXT, find_attributions(doc, clean(TEXT)), model_attributions(doc, TEXT, without_cue))) == [
        ("Harbour fees will double next spring", "indirect", "both"),
        ("Ferry fares will rise too", "indirect", "model")]


def test_the_thresholds_part_what_is_kept() -> None:
    def model_only(kind: str, confidence: float | None) -> Attribution:
        return Attribution(kind=kind, start=0, end=5, paragraph=0, method="model", model_confidence=confidence)

    assert admission.admitted(model_only("indirect", admission.QUOTATION_THRESHOLD))
    assert not admission.admitted(model_only("mixed", admission.QUOTATION_THRESHOLD - 0.01))
    assert not admission.admitted(model_only("belief", admission.OTHER_KIND_THRESHOLD - 0.01))
    assert not admission.admitted(model_only("stance", 0.7))  # four in ten such were wrong on our real pages
    assert admission.admitted(model_only("indirect", None))  # a tagger that gives no confidence
    assert admission.admitted(Attribution(kind="indirect", start=0, end=5, paragraph=0, model_confidence=0.1))
