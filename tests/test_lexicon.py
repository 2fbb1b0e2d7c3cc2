"""The word lists in quotetrail/data, as the Lexicon object gives them to the rules."""
from __future__ import annotations

from itertools import combinations

import pytest

import quotetrail
from quotetrail.lexicon import lexicon

MODAL_SETS = ("hypothetical_modals", "possibility_modals", "generic_modals", "impersonal_modals",
              "counterfactual_modals", "conditional_modals")


def test_each_modal_set_is_read_and_distinct():
    lex = lexicon()
    sets = {name: getattr(lex, name) for name in MODAL_SETS}
    assert all(sets.values()), [name for name, words in sets.items() if not words]
    # each serves its own check: two equal sets would be one set
    assert [(a, b) for a, b in combinations(MODAL_SETS, 2) if sets[a] == sets[b]] == []


def test_possibility_is_hypothetical_without_would_will_can_must():
    """As cues.toml says: on a stance or belief verb, "would", "will", "can" and "must" leave it
    asserted ("will oppose the bill"); on the verb above it they make it hypothetical."""
    lex = lexicon()
    assert lex.possibility_modals < lex.hypothetical_modals
    assert {"would", "will", "can", "must"} <= lex.hypothetical_modals - lex.possibility_modals
    assert {"may", "might", "could", "should"} <= lex.possibility_modals


@pytest.mark.parametrize(("verb", "stances"), [
    ("condemned", ["the dredging plan"]), ("will condemn", ["the dredging plan"]),
    ("might condemn", []), ("should condemn", [])])
def test_a_possible_stance_is_no_stance(verb, stances):
    article = quotetrail.extract(f"Councillor Mara Quist {verb} the dredging plan.", rules_only=True)
    assert [quote.text for quote in article.quotes if quote.kind == "stance"] == stances


def test_impersonal_adds_should_and_must_to_generic():
    """"it should be noted that" is the writer's voice; "you should say" is advice to someone."""
    lex = lexicon()
    assert lex.impersonal_modals - lex.generic_modals == {"should", "must"}
    assert lex.generic_modals < lex.impersonal_modals


def test_counterfactual_and_conditional_modals():
    lex = lexicon()
    assert "may" not in lex.counterfactual_modals  # "may have said": speech that perhaps happened
    assert {"should", "'d", "’d"} <= lex.counterfactual_modals  # "should have said", "he'd have told them"
    assert not {"will", "can", "should", "must"} & lex.conditional_modals  # "said he will advise" frames
    assert {"would", "'d", "’d"} <= lex.conditional_modals
