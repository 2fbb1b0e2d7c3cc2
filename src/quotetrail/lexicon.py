"""Word lists kept as data files under quotetrail/data, read once."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


def _load(name: str) -> dict:
    return tomllib.loads(resources.files("quotetrail.data").joinpath(name).read_text("utf-8"))


def _pairs(phrases: list[str]) -> dict[str, frozenset[str]]:
    """"speak of", "speak on" -> {"speak": {"of", "on"}}."""
    found: dict[str, set[str]] = {}
    for phrase in phrases:
        verb, preposition = phrase.split()
        found.setdefault(verb, set()).add(preposition)
    return {verb: frozenset(prepositions) for verb, prepositions in found.items()}


def _light_verbs(phrases: list[str]) -> dict[str, frozenset[tuple[str, str]]]:
    """"pay tribute to" -> {"pay": {("tribute", "to")}}; "cold_water": a compound noun's head, "water"."""
    found: dict[str, set[tuple[str, str]]] = {}
    for phrase in phrases:
        verb, noun, preposition = phrase.split()
        found.setdefault(verb, set()).add((noun.split("_")[-1], preposition))
    return {verb: frozenset(pairs) for verb, pairs in found.items()}


@dataclass(frozen=True)
class Lexicon:
    speech_verbs: frozenset[str]
    prepositional_cues: dict[str, str]
    that_clause_verbs: frozenset[str]
    naming_verbs: frozenset[str]
    directive_verbs: frozenset[str]
    directive_prepositions: dict[str, str]
    commissive_verbs: frozenset[str]
    agent_commissives: frozenset[str]
    expression_verbs: frozenset[str]
    relay_verbs: frozenset[str]
    quotation_frames: frozenset[str]
    wording_frames: frozenset[str]
    particle_cues: dict[str, frozenset[str]]
    other_senses: dict[str, frozenset[str]]  # "call" -> {"off"}: "called off the deal" says nothing
    speech_nouns: frozenset[str]
    poll_nouns: frozenset[str]
    belief_cues: frozenset[str]
    stance_verbs: frozenset[str]
    belief_frames: frozenset[str]
    stance_frames: frozenset[str]
    plain_saying: frozenset[str]
    casting_verbs: frozenset[str]
    knowing_verbs: frozenset[str]
    finding_verbs: frozenset[str]
    judging_verbs: frozenset[str]
    opinion_nouns: frozenset[str]
    wishing_verbs: frozenset[str]
    evaluative_verbs: frozenset[str]
    topic_prepositions: frozenset[str]
    reason_prepositions: frozenset[str]
    addressing_verbs: frozenset[str]
    topic_verbs: dict[str, frozenset[str]]
    stance_nouns: dict[str, frozenset[str]]
    particle_stances: dict[str, frozenset[str]]  # "lay" -> {"out"}: "laid out his vision"
    stance_adjectives: dict[str, frozenset[str]]  # "critical" -> {"of"}: "was critical of the plan"
    light_verbs: dict[str, frozenset[tuple[str, str]]]
    refusal_verbs: frozenset[str]
    withholding_verbs: frozenset[str]
    withheld_nouns: frozenset[str]
    no_answer_nouns: frozenset[str]
    answer_requests: frozenset[str]
    request_nouns: frozenset[str]
    unanswered_passive: frozenset[str]
    evidence_nouns: frozenset[str]
    happening_nouns: frozenset[str]
    setting_nouns: frozenset[str]
    setting_prepositions: frozenset[str]
    unanswered_verbs: frozenset[str]
    silence_objects: frozenset[str]
    hypothetical_modals: frozenset[str]
    possibility_modals: frozenset[str]
    generic_modals: frozenset[str]
    impersonal_modals: frozenset[str]
    counterfactual_modals: frozenset[str]
    conditional_modals: frozenset[str]
    other_kind_cues: frozenset[str]  # every cue word of a stance, belief or refusal: a quick test before the parse
    source_first_phrases: tuple[tuple[str, str], ...]
    source_first_heads: frozenset[str]  # their first words ("according"): a quick test before the parse
    furniture: re.Pattern[str]
    sources_line: re.Pattern[str]
    byline: re.Pattern[str]
    heading_max_words: int
    heading_max_chars: int
    roles: frozenset[str]
    generic_roles: frozenset[str]
    male_honorifics: frozenset[str]
    female_honorifics: frozenset[str]
    organisation_heads: frozenset[str]
    organisation_descriptors: frozenset[str]
    media_nouns: frozenset[str]
    media_name_parts: frozenset[str]
    origin_nouns: frozenset[str]
    male_pronouns: frozenset[str]
    female_pronouns: frozenset[str]
    plural_pronouns: frozenset[str]
    first_person: frozenset[str]

    def is_cue_lemma(self, lemma: str) -> bool:
        return any(lemma in words for words in (
            self.speech_verbs, self.prepositional_cues, self.that_clause_verbs, self.directive_verbs))

    def is_stance_lemma(self, lemma: str) -> bool:
        """A verb that takes a position on what it governs, in any of the stance lists the
        rules read ("congratulated X for", "took aim at", "railed against")."""
        return any(lemma in words for words in (
            self.stance_verbs, self.stance_frames, self.evaluative_verbs, self.topic_verbs, self.light_verbs,
            self.stance_nouns))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    cues = _load("cues.toml")
    cleaning = _load("cleaning.toml")
    entities = _load("entities.toml")
    whole_line = re.compile(
        "^(?:" + "|".join(cleaning["furniture"]) + r")$", re.IGNORECASE
    )
    return Lexicon(
        speech_verbs=frozenset(cues["verbs"]["speech"]),
        prepositional_cues=dict(cues["verbs"]["prepositional"]),
        that_clause_verbs=frozenset(cues["verbs"]["that_clause"]),
        naming_verbs=frozenset(cues["verbs"]["naming"]),
        directive_verbs=frozenset(cues["verbs"]["directive"]),
        directive_prepositions=dict(cues["verbs"]["directive_prepositions"]),
        commissive_verbs=frozenset(cues["verbs"]["commissive"]),
        agent_commissives=frozenset(cues["verbs"]["agents_only"]),
        expression_verbs=frozenset(cues["verbs"]["expression"]),
        relay_verbs=frozenset(cues["verbs"]["relay"]),
        quotation_frames=frozenset(cues["verbs"]["quotation_frames"]),
        wording_frames=frozenset(cues["verbs"]["wording_frames"]),
        particle_cues=_pairs(cues["verbs"]["particle_cues"]),
        other_senses=_pairs(cues["senses"]["other"]),
        speech_nouns=frozenset(cues["nouns"]["speech"]),
        poll_nouns=frozenset(cues["nouns"]["polls"]),
        belief_cues=frozenset(cues["kinds"]["belief"]),
        stance_verbs=frozenset(cues["kinds"]["stance"]),
        belief_frames=frozenset(cues["kinds"]["belief_frames"]),
        stance_frames=frozenset(cues["kinds"]["stance_frames"]),
        plain_saying=frozenset(cues["kinds"]["plain_saying"]),
        casting_verbs=frozenset(cues["kinds"]["casting"]),
        knowing_verbs=frozenset(cues["kinds"]["knowing"]),
        finding_verbs=frozenset(cues["kinds"]["finding"]),
        judging_verbs=frozenset(cues["kinds"]["judging"]),
        opinion_nouns=frozenset(cues["kinds"]["opinion_nouns"]),
        wishing_verbs=frozenset(cues["kinds"]["wishing"]),
        evaluative_verbs=frozenset(cues["kinds"]["evaluative"]),
        topic_prepositions=frozenset(cues["kinds"]["topic_prepositions"]),
        reason_prepositions=frozenset(cues["kinds"]["reason_prepositions"]),
        addressing_verbs=frozenset(cues["kinds"]["addressing"]),
        topic_verbs=_pairs(cues["kinds"]["topic_verbs"]),
        stance_nouns=_pairs(cues["kinds"]["stance_nouns"]),
        particle_stances=_pairs(cues["kinds"]["particle_stances"]),
        stance_adjectives=_pairs(cues["kinds"]["stance_adjectives"]),
        light_verbs=_light_verbs(cues["kinds"]["light_verbs"]),
        refusal_verbs=frozenset(cues["kinds"]["refusal"]),
        withholding_verbs=frozenset(cues["kinds"]["withholding"]),
        withheld_nouns=frozenset(cues["kinds"]["withheld"]),
        no_answer_nouns=frozenset(cues["kinds"]["no_answer"]),
        answer_requests=frozenset(cues["kinds"]["answer_requests"]),
        request_nouns=frozenset(cues["kinds"]["requests"]),
        unanswered_passive=frozenset(cues["kinds"]["unanswered_passive"]),
        evidence_nouns=frozenset(cues["kinds"]["evidence"]),
        happening_nouns=frozenset(cues["kinds"]["happenings"]),
        setting_nouns=frozenset(cues["kinds"]["settings"] + cues["nouns"]["speech"]),
        setting_prepositions=frozenset(cues["kinds"]["setting_prepositions"]),
        unanswered_verbs=frozenset(cues["kinds"]["unanswered"]),
        silence_objects=frozenset(cues["kinds"]["silence"]),
        hypothetical_modals=frozenset(cues["modals"]["hypothetical"]),
        possibility_modals=frozenset(cues["modals"]["possibility"]),
        generic_modals=frozenset(cues["modals"]["generic"]),
        impersonal_modals=frozenset(cues["modals"]["impersonal"]),
        counterfactual_modals=frozenset(cues["modals"]["counterfactual"]),
        conditional_modals=frozenset(cues["modals"]["conditional"]),
        other_kind_cues=frozenset(cues["kinds"]["belief_frames"] + cues["kinds"]["stance_frames"] + cues["kinds"]["refusal"]
                                  + cues["kinds"]["unanswered"] + cues["kinds"]["knowing"] + cues["kinds"]["judging"] + cues["kinds"]["wishing"]
                                  + cues["kinds"]["stance"] + list(_pairs(cues["kinds"]["topic_verbs"])) + list(_pairs(cues["kinds"]["stance_nouns"])) + list(_light_verbs(cues["kinds"]["light_verbs"]))
                                  + cues["kinds"]["belief"] + cues["kinds"]["opinion_nouns"]
                                  + cues["kinds"]["withholding"] + cues["kinds"]["no_answer"]
                                  + list(_pairs(cues["kinds"]["stance_adjectives"]))),
        source_first_phrases=tuple((phrase.split()[0], phrase.split()[-1]) for phrase in cues["phrases"]["source_first"]),
        source_first_heads=frozenset(phrase.split()[0] for phrase in cues["phrases"]["source_first"]),
        furniture=whole_line,
        sources_line=re.compile("^" + cleaning["sources"] + "$", re.IGNORECASE),
        byline=re.compile("^" + cleaning["byline"] + "$"),
        heading_max_words=cleaning["heading"]["max_words"],
        heading_max_chars=cleaning["heading"]["max_chars"],
        roles=frozenset(entities["roles"]),
        generic_roles=frozenset(entities["generic_roles"]),
        male_honorifics=frozenset(entities["male_honorifics"]),
        female_honorifics=frozenset(entities["female_honorifics"]),
        organisation_heads=frozenset(entities["organisation_heads"]),
        organisation_descriptors=frozenset(entities["organisation_descriptors"]),
        media_nouns=frozenset(entities["media_nouns"]),
        media_name_parts=frozenset(entities["media_name_parts"]),
        origin_nouns=frozenset(entities["origin_nouns"]),
        male_pronouns=frozenset(entities["pronouns"]["male"]),
        female_pronouns=frozenset(entities["pronouns"]["female"]),
        plural_pronouns=frozenset(entities["pronouns"]["plural"]),
        first_person=frozenset(entities["pronouns"]["first_person"]),
    )
