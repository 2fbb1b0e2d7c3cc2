"""The describe stage's word lists (data/acts.toml), read once."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..lexicon import _load


@dataclass(frozen=True)
class ActWords:
    cue_act: dict[str, str]  # lemma -> act
    target_object: frozenset[str]
    addressee_object: frozenset[str]
    naming: frozenset[str]
    lends_act: frozenset[str]
    no_comment_verbs: frozenset[str]
    refusal_verbs: frozenset[str]
    continuing: frozenset[str]
    directive_ask: frozenset[str]
    framing_verbs: frozenset[str]
    holding_verbs: frozenset[str]
    remark_nouns: frozenset[str]
    falsity: frozenset[str]
    negated_acceptance: frozenset[str]
    negated_truth: frozenset[str]
    no_comment: frozenset[str]
    wrongdoing: frozenset[str]
    positive: frozenset[str]
    negative: frozenset[str]
    setting_noun: dict[str, str]  # lemma -> setting kind
    conference_words: frozenset[str]
    call_words: frozenset[str]
    call_with: frozenset[str]
    interview_call_words: frozenset[str]
    setting_verb: dict[str, str]
    platforms: frozenset[str]
    testimony_words: frozenset[str]
    speaking_places: frozenset[str]
    to_not_addressee: frozenset[str]
    not_addressees: frozenset[str]
    occasions: frozenset[str]


@lru_cache(maxsize=1)
def act_words() -> ActWords:
    data = _load("acts.toml")
    frames, content, settings = data["frames"], data["content"], data["settings"]
    kinds = ("interview", "statement", "press_conference", "speech", "social_post", "letter",
             "testimony", "report", "book")
    return ActWords(
        cue_act={lemma: act for act, lemmas in data["acts"].items() for lemma in lemmas},
        target_object=frozenset(frames["target_object"]),
        addressee_object=frozenset(frames["addressee_object"]),
        naming=frozenset(frames["naming"]),
        lends_act=frozenset(frames["lends_act"]),
        no_comment_verbs=frozenset(frames["no_comment_verbs"]),
        refusal_verbs=frozenset(frames["refusal_verbs"]),
        continuing=frozenset(frames["continuing"]),
        directive_ask=frozenset(frames["directive_ask"]),
        framing_verbs=frozenset(frames["framing_verbs"]),
        holding_verbs=frozenset(frames["holding_verbs"]),
        remark_nouns=frozenset(frames["remark_nouns"]),
        falsity=frozenset(content["falsity"]),
        negated_acceptance=frozenset(content["negated_acceptance"]),
        negated_truth=frozenset(content["negated_truth"]),
        no_comment=frozenset(content["no_comment"]),
        wrongdoing=frozenset(content["wrongdoing"]),
        positive=frozenset(content["positive"]),
        negative=frozenset(content["negative"]),
        setting_noun={noun: kind for kind in kinds for noun in settings[kind]},
        conference_words=frozenset(settings["conference_words"]),
        call_words=frozenset(settings["call_words"]),
        call_with=frozenset(settings["call_with"]),
        interview_call_words=frozenset(settings["interview_call_words"]),
        setting_verb=dict(settings["verbs"]),
        platforms=frozenset(settings["platforms"]),
        testimony_words=frozenset(settings["testimony_words"]),
        speaking_places=frozenset(settings["speaking_places"]),
        to_not_addressee=frozenset(frames["to_not_addressee"]),
        not_addressees=frozenset(frames["not_addressees"]),
        occasions=frozenset(frames["occasions"]),
    )
