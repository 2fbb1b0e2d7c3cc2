"""Where a content ends: the reason an evaluative verb gives, the speaker's next act after a
content, and a model content running on over a frame the rule's cue reports. One invented
sentence per case."""
from __future__ import annotations

import pytest

import quotetrail
from quotetrail.attribute.merge import merge
from quotetrail.model import Attribution, Cue


def contents(text: str) -> list[tuple[str, str]]:
    """(kind, content) of every attribution the rules find."""
    return [(quote.kind, quote.text) for quote in quotetrail.extract(text, rules_only=True).quotes]


@pytest.mark.parametrize(("text", "content"), [
    ("The harbour master blasted the ferry company on Monday over its late sailings.",
     "the ferry company on Monday over its late sailings"),
    ("Councillor Ivo Brandt defended himself for voting against the new quay.",
     "himself for voting against the new quay"),
])
def test_an_evaluative_verb_keeps_its_reason_with_the_object(text, content):
    assert ("stance", content) in contents(text)


@pytest.mark.parametrize(("text", "content", "next_act"), [
    ("The mayor has said she wants to rebuild the old pier and has expressed support for a new ferry line.",
     "she wants to rebuild the old pier", "support for a new ferry line"),
    ("Ola Rask insists he will fight on to the final vote and refuses to answer questions about his plans.",
     "he will fight on to the final vote", "to answer questions about his plans"),
])
def test_a_verb_in_the_cues_tense_after_the_content_is_the_speakers_next_act(text, content, next_act):
    found = [content for _, content in contents(text)]
    assert content in found and next_act in found


def test_a_verb_in_the_contents_own_tense_stays_in_it():
    assert [content for _, content in contents("She said the plan would fail and could cost jobs.")] == [
        "the plan would fail and could cost jobs"]


def attribution(start: int, end: int, method: str = "rules", **extra) -> Attribution:
    return Attribution(kind="indirect", start=start, end=end, paragraph=0, method=method, **extra)


def test_merge_takes_a_model_content_holding_a_frame_the_rules_cue_reports():
    text = "Mara Quist said the board needs more time to show that the quay is safe."
    rule = attribution(text.index("the board"), text.index(" to show"), cue_token=2, subject_token=1)
    rule.cue = Cue("said", "say", text.index("said"), text.index("said") + 4)
    nested = attribution(text.index("the quay"), len(text) - 1, cue_token=11, subject_token=4)
    nested.cue = Cue("show", "show", text.index("show"), text.index("show") + 4)
    tagged = attribution(rule.start, len(text) - 1, method="model")
    merged = merge(text, [rule, nested], [tagged])
    assert (merged[0].start, merged[0].end) == (tagged.start, tagged.end)


def test_merge_keeps_the_rule_content_before_the_speakers_own_participle_or_the_next_sentence():
    text = "Mara Quist said the vote was rigged, citing late changes. Others agreed it was."
    rule = attribution(text.index("the vote"), text.index(", citing"), cue_token=2, subject_token=1)
    rule.cue = Cue("said", "say", text.index("said"), text.index("said") + 4)
    citing = attribution(text.index("late"), text.index(". Others"), cue_token=8, subject_token=1)
    citing.cue = Cue("citing", "cite", text.index("citing"), text.index("citing") + 6)
    tagged = attribution(rule.start, text.index(". Others"), method="model")
    assert [(found.start, found.end) for found in merge(text, [rule, citing], [tagged])][0] == (rule.start, rule.end)
    # nor across a full stop: "“… Yes.” Others agreed …" is a sentence of its own
    other = attribution(text.index("it was"), len(text) - 1, cue_token=12, subject_token=11)
    other.cue = Cue("agreed", "agree", text.index("agreed"), text.index("agreed") + 6)
    rule.subject_token, running = 1, attribution(rule.start, len(text) - 1, method="model")
    assert [(found.start, found.end) for found in merge(text, [rule, other], [running])][0] == (rule.start, rule.end)
