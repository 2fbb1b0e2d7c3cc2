"""Which stances, beliefs and refusals the rules read off the parse, and which look-alikes
they leave out: one invented sentence per case, positive and negative."""
from __future__ import annotations

import pytest

import quotetrail
from helpers import tagged_span
from quotetrail.attribute.learned import Tagged, model_attributions
from quotetrail.nlp import load_nlp


def kinds_in(text: str) -> list[tuple[str, str, str | None]]:
    """(kind, content, speaker) of every attribution the rules find."""
    article = quotetrail.extract(text, rules_only=True)
    return [(quote.kind, quote.text, quote.speaker.name if quote.speaker else None) for quote in article.quotes]


def of_kind(text: str, kind: str) -> list[tuple[str, str | None]]:
    return [(content, speaker) for found, content, speaker in kinds_in(text) if found == kind]


# --- stances ------------------------------------------------------------------

@pytest.mark.parametrize(("text", "content", "speaker"), [
    # a gerund for object
    ("Harbour master Ivo Brandt has consistently denied misleading the inquiry.",
     "misleading the inquiry", "Ivo Brandt"),
    # the topic after a preposition
    ("Councillor Mara Quist spoke of the dangers of dredging the estuary.",
     "the dangers of dredging the estuary", "Mara Quist"),
    ("Fishermen's leader Ola Rask complained about the new quota rules.", "the new quota rules", "Ola Rask"),
    # a person is the position of an evaluative verb
    ("The ferry union praised Ivo Brandt after the rescue.", "Ivo Brandt", "ferry union"),
    # the setting is no part of the position
    ("The port authority rejected the proposal in a statement on Monday.", "the proposal", "port authority"),
    ("Councillor Mara Quist mocked the dredging plan on Twitter.", "the dredging plan", "Mara Quist"),
    ("Councillor Mara Quist criticised the harbour board from the council floor.", "the harbour board", "Mara Quist"),
    # a verb whose object is a position half the time or more in PolNeAR
    ("Councillor Mara Quist echoed the concerns of the fishermen.", "the concerns of the fishermen", "Mara Quist"),
    # the phrase ends where the sentence moves on: an adverbial clause, a description after a comma
    ("The harbour board condemned the closure while workers gathered outside the depot.", "the closure",
     "harbour board"),
    ("Mayor Tova Lind endorsed the ferry plan, the latest turn in a long dispute over the crossing.",
     "the ferry plan", "Tova Lind"),
    # a passive with an agent: the agent's position on the subject
    ("The new quota was criticized by fishermen in Wellmouth.", "The new quota", "fishermen"),
    ("The dredging plan was rejected by the harbour commission.", "The dredging plan", "harbour commission"),
    # a vote, and agreeing with someone, take a position on what they are for, against or with
    ("Councillor Mara Quist voted against the harbour levy.", "the harbour levy", "Mara Quist"),
    ("The fishermen's union agrees with Mayor Tova Lind.", "Mayor Tova Lind", "fishermen's union"),
    # a noun of a position held by its possessor
    ("Councillor Mara Quist repeated her criticism of the dredging plan.", "the dredging plan", "Mara Quist"),
    ("Harbour master Ivo Brandt's call for an inquiry divided the council.", "an inquiry", "Ivo Brandt"),
    ("Councillor Mara Quist's comments on the ferry fares drew a rebuke.", "the ferry fares", "Mara Quist"),
    # a verb that also answers or withholds ("did not confirm ...") takes a position when it is not negated
    ("Harbour master Ivo Brandt confirmed the closure of the north pier.", "the closure of the north pier",
     "Ivo Brandt"),
    ("Ferry operator Norvale Shipping revealed its new winter timetable.", "its new winter timetable",
     "Norvale Shipping"),
    # a speech act made or launched: what it is against, on or of
    ("Councillor Mara Quist made the same allegations against the harbour board.", "the harbour board",
     "Mara Quist"),
    ("Mayor Tova Lind launched a fierce attack on the dredging plan.", "the dredging plan", "Tova Lind"),
    # a relative clause takes its position for the noun before it
    ("The Wellmouth Gazette, which endorsed the harbour levy last year, fell silent.", "the harbour levy",
     "Wellmouth Gazette"),
    # an adjective that takes a position on its preposition's object
    ("Councillor Mara Quist was sharply critical of the dredging plan on Monday.", "the dredging plan", "Mara Quist"),
])
def test_stances_the_rules_find(text, content, speaker):
    found = of_kind(text, "stance")
    assert [item[0] for item in found] == [content]
    assert speaker in (found[0][1] or "")


@pytest.mark.parametrize("text", [
    # a purpose, a possibility or a question, not a position taken
    "The council sent wardens to defend the harbour wall.",
    "What can a neighbour do to support a family after a flood?",
    "The deal would allow both towns to claim an easy victory.",
    "Wellmouth's future depends on whether the mayor supports the plan.",
    # evidence, not anyone taking a position
    "Tide gauge data are pointing to a rise in sea level.",
    # whom one spoke to, not what about; where one spoke
    "Mayor Tova Lind spoke to fishermen on the quay.",
    "Mayor Tova Lind spoke on condition of anonymity.",
    # the writer's own voice
    "Part of me supports the new harbour tax.",
    # a passive whose agent is a thing, not anyone
    "Port valuations are supported by a combination of factors.",
    # a noun of a position that no one holds in the sentence
    "Calls for calm grew louder after the flood.",
    # a decision made is no speech act
    "The harbour board made a decision on the levy.",
    # a relative clause of a thing that cannot speak
    "Storms had cracked the old harbour wall, which explained the long closure of the pier.",
    "Criticism of the dredging plan grew after the flood.",
    # an adjective of a position in a question, or of no position
    "Would Councillor Mara Quist be critical of the dredging plan?",
    "Councillor Mara Quist was fond of the old harbour.",
])
def test_look_alikes_are_no_stances(text):
    assert of_kind(text, "stance") == []


def test_a_threat_is_what_the_speaker_threatened_to_do():
    found = kinds_in("Mayor Tova Lind threatened to close the ferry crossing.")
    assert found == [("indirect", "to close the ferry crossing", "Tova Lind")]


def test_what_a_thing_threatens_to_do_is_no_ones_words():
    assert kinds_in("High winds are threatening to intensify the harbour fire.") == []


def test_a_vote_on_it_names_no_position():
    assert of_kind("Councillor Mara Quist voted against it.", "stance") == []


# --- beliefs ------------------------------------------------------------------

@pytest.mark.parametrize(("text", "content"), [
    ("Harbour master Ivo Brandt realized that the pier had been moving for years.",
     "the pier had been moving for years"),
    ("Councillor Mara Quist knows the ferry cannot run without a subsidy.",
     "the ferry cannot run without a subsidy"),
    ("Some councillors would like to see the ferry run all winter.", "to see the ferry run all winter"),
    ("Harbour engineers wondered whether the wall could hold another storm.",
     "the wall could hold another storm"),
    # "hoped", "hopes", "hoping": spaCy's lemmatizer makes them "hop"; set right after it
    ("Ferry captain Ola Rask hoped the crossing would reopen by May.", "the crossing would reopen by May"),
    ("Councillor Mara Quist is hoping that the council will fund the pier.", "the council will fund the pier"),
    # a judgement: what is judged and how
    ("Harbour master Ivo Brandt considers the dredging plan a mistake.", "the dredging plan a mistake"),
    ("Many fishermen view the harbour levy as unfair.", "the harbour levy as unfair"),
    # a preference
    ("Most ferry passengers preferred the morning crossing.", "the morning crossing"),
    # a view held, opening the clause
    ("In Harbour master Ivo Brandt's view, the north pier should close for the winter.",
     "the north pier should close for the winter"),
    # the thought before its frame
    ("The levy could drive the ferry out of business, harbour officials believe.",
     "The levy could drive the ferry out of business"),
])
def test_beliefs_the_rules_find(text, content):
    found = [found for found, _ in of_kind(text, "belief")]
    assert len(found) == 1 and found[0].endswith(content)


@pytest.mark.parametrize("text", [
    # knowing with a question or a noun phrase reports no view
    "Harbour engineers don't yet know what caused the crack.",
    "Engineers knew far less about tides in those days.",
    # liking without "would" is a taste, not a wish
    "Ferry captain Ola Rask likes to sail at dawn.",
    # a participle read as an adjective
    "Most ports reported better than expected results.",
    # a belief inside a question
    "The vote depends on whether the mayor believes the wall will hold.",
    # considering or viewing with a bare object: a deliberation or a look, no view held
    "The harbour board is considering a bid for the ferry contract.",
    "Mayor Tova Lind viewed the damage from the harbour wall.",
    # the writer's own view
    "In my view, the north pier should close for the winter.",
    # a thought before "as" is the writer's comparison, not a frame
    "The pier closed early, as harbour officials expected.",
])
def test_look_alikes_are_no_beliefs(text):
    assert of_kind(text, "belief") == []


def test_a_belief_in_the_speakers_own_words_stays_one_belief():
    found = kinds_in("Ministers also believe they can bar visitors who are deemed “a danger to the harbour”.")
    assert [(kind, speaker) for kind, _, speaker in found] == [("belief", "Ministers")]
    assert found[0][1].endswith("“a danger to the harbour”")


# --- refusals -----------------------------------------------------------------

@pytest.mark.parametrize(("text", "speaker"), [
    ("Norvale Shipping had no comment.", "Norvale Shipping"),
    ("Ferry captain Ola Rask did not give a date for the new crossing.", "Ola Rask"),
    ("Harbour master Ivo Brandt declined later to state when the pier would reopen.", "Ivo Brandt"),
    ("Norvale Shipping announced the new route, but it didn't say when the first ferry would sail.",
     "Norvale Shipping"),
    ("Councillor Mara Quist did not return calls seeking comment.", "Mara Quist"),
])
def test_refusals_the_rules_find(text, speaker):
    found = of_kind(text, "no_comment")
    assert len(found) == 1 and speaker in (found[0][1] or "")


@pytest.mark.parametrize("text", [
    "Ferry captain Ola Rask did not return to the harbour until Friday.",
    "The two towns did not reach a deal on the ferry.",
    "Ferry captain Ola Rask did not give up on the crossing.",
    # confirming or revealing something is no refusal; not confirming it is one
    "Harbour master Ivo Brandt confirmed the closure of the north pier.",
])
def test_look_alikes_are_no_refusals(text):
    assert of_kind(text, "no_comment") == []


@pytest.mark.parametrize("text", [
    "The river ministers left Castelmar on Friday without agreeing who would pay for the new dams.",
    "Harbour master Ivo Brandt closed the meeting without saying whether the ferry would run.",
])
def test_what_was_done_without_saying_is_no_quotation(text):
    assert [kind for kind, _, _ in kinds_in(text) if kind in ("direct", "mixed", "indirect")] == []


def test_a_relative_clause_frames_nothing_before_its_noun():
    """"..., which described it as ...": no quotation of the sentence before, so the refusal stays."""
    found = kinds_in("Harbour spokesman Ivo Brandt declined to comment on the meeting and pointed to an earlier "
                     "statement about the pier, which described it as a safe structure.")
    assert ("no_comment", "to comment on the meeting", "Ivo Brandt") in found
    assert not any(content.startswith("Harbour spokesman") for _, content, _ in found)


# --- the tagger's nominal contents --------------------------------------------

def test_a_tagged_stance_needs_the_cue_that_governs_it():
    """The tagger pairs a content with the nearest cue; a noun phrase that hangs on
    another verb is nobody's position."""
    nlp = load_nlp()
    text = "When Ivo Brandt looked inside the flooded engine room, he criticized the repairs."
    doc = nlp(text)

    def span(label: str, words: str) -> Tagged:
        start = text.index(f" {words}") + 1
        piece = doc.char_span(start, start + len(words))
        return Tagged(label, piece.start, piece.end, 0)

    source, cue = span("SOURCE", "he"), span("CUE", "criticized")
    governed = model_attributions(doc, text, [source, cue, span("CONTENT", "the repairs")])
    assert [(found.kind, text[found.start:found.end]) for found in governed] == [("stance", "the repairs")]
    assert model_attributions(doc, text, [source, cue, span("CONTENT", "the flooded engine room")]) == []


@pytest.mark.parametrize(("text", "cue", "content", "kept"), [
    # a verb the rules read as a stance is a stance cue for the tagger too (stance_frames, evaluative)
    ("Mayor Ivo Brandt is congratulating the ferry crew for their rescue of the trawler.", "is congratulating",
     "the ferry crew for their rescue of the trawler", "the ferry crew for their rescue of the trawler"),
    # when the act took place, hung on the verb, is no part of the position
    ("Harbour master Ivo Brandt rejected those claims immediately after the board met.", "rejected",
     "those claims immediately after the board met", "those claims"),
    ("Councillor Mara Quist denounced the dredging plan as the vote was being counted.", "denounced",
     "the dredging plan as the vote was being counted", "the dredging plan"),
])
def test_a_tagged_stance_ends_where_the_act_took_place(text, cue, content, kept):
    doc = load_nlp()(text)
    spans = [tagged_span(doc, "SOURCE", text.split(" " + cue.split()[0])[0].split()[-1]),
             tagged_span(doc, "CUE", cue), tagged_span(doc, "CONTENT", content)]
    found = model_attributions(doc, text, spans)
    assert [(attribution.kind, text[attribution.start:attribution.end]) for attribution in found] == [("stance", kept)]


def test_a_tagged_stance_keeps_what_belongs_to_its_object():
    """An infinitive or a participle inside the object stays ("his call to raise the wage")."""
    text = "Senator Ola Rask defended his call to raise the harbour levy."
    doc = load_nlp()(text)
    spans = [tagged_span(doc, "SOURCE", "Ola Rask"), tagged_span(doc, "CUE", "defended"),
             tagged_span(doc, "CONTENT", "his call to raise the harbour levy")]
    assert [text[found.start:found.end] for found in model_attributions(doc, text, spans)] == [
        "his call to raise the harbour levy"]


# --- cues ---------------------------------------------------------------------

@pytest.mark.parametrize(("text", "cue"), [
    # the adverb right before the verb, as PolNeAR marks cues
    ("Councillor Mara Quist also noted the irony of the timing.", "also noted"),
    ("The harbour board repeatedly denied the allegations.", "repeatedly denied"),
    # a topic verb's own preposition
    ("Harbour master Ivo Brandt pointed to the cost of the repairs.", "pointed to"),
])
def test_a_cue_holds_its_adverb_and_its_preposition(text, cue):
    article = quotetrail.extract(text, rules_only=True)
    assert [quote.cue.text for quote in article.quotes] == [cue]
    quote = article.quotes[0]
    assert text[quote.cue.start:quote.cue.end] == cue


def test_the_lemmas_of_hope_are_hope():
    doc = load_nlp()("She hopes so. He hoped to win. They are hoping for rain. Birds hop.")
    assert [token.lemma_ for token in doc if token.pos_ == "VERB"] == ["hope", "hope", "win", "hope", "hop"]


def test_a_tagged_clause_after_an_adjective_of_belief_is_a_belief():
    text = "Party officials are optimistic the ferry link will reopen by spring."
    doc = load_nlp()(text)
    spans = [tagged_span(doc, "SOURCE", "Party officials"), tagged_span(doc, "CUE", "are optimistic"),
             tagged_span(doc, "CONTENT", "the ferry link will reopen by spring")]
    assert [(found.kind, text[found.start:found.end]) for found in model_attributions(doc, text, spans)] == [
        ("belief", "the ferry link will reopen by spring")]


@pytest.mark.parametrize(("text", "label", "words", "found"), [
    # a headline or a transcript's turn: a name, a colon, what the named said
    ("Brandt: Harbour levy must rise to pay for the new pier\n\nThe mayor spoke on Monday.", "Brandt",
     "Harbour levy must rise to pay for the new pier", True),
    # a colon after anything but a name at the start of a line frames no one's words
    ("The plan: the harbour levy must rise to pay for the new pier.", "The plan",
     "the harbour levy must rise to pay for the new pier", False),
    ("On Monday the mayor Ivo Brandt: the harbour levy must rise to pay for the pier.", "Ivo Brandt",
     "the harbour levy must rise to pay for the pier", False),
])
def test_a_name_and_a_colon_opening_a_line_frame_what_follows(text, label, words, found):
    doc = load_nlp()(text)
    colon = text.index(label) + len(label)
    spans = [tagged_span(doc, "SOURCE", label), Tagged("CUE", doc.char_span(colon, colon + 1).start,
                                                         doc.char_span(colon, colon + 1).end, 0),
             tagged_span(doc, "CONTENT", words)]
    assert [text[attribution.start:attribution.end] for attribution in model_attributions(doc, text, spans)] == (
        [words] if found else [])


@pytest.mark.parametrize(("text", "cue", "content", "found"), [
    # whom a verb that judges its object takes a position on may be a name or a pronoun ...
    ("Councillor Mara Quist attacked Ivo Brandt at the harbour meeting.", "attacked", "Ivo Brandt", True),
    ("The ferry union had long backed her.", "had long backed", "her", True),
    # ... but after any other cue a bare name is whom or which outlet, not what
    ("The closure was first reported by Coastline Radio.", "was first reported by", "Coastline Radio", False),
    ("Councillor Mara Quist briefed Ivo Brandt on the closure.", "briefed", "Ivo Brandt", False),
])
def test_a_tagged_name_after_a_verb_of_judgement(text, cue, content, found):
    doc = load_nlp()(text)
    source = text[:text.index(" " + cue)]
    spans = [tagged_span(doc, "SOURCE", source), tagged_span(doc, "CUE", cue), tagged_span(doc, "CONTENT", content)]
    assert [(attribution.kind, text[attribution.start:attribution.end])
            for attribution in model_attributions(doc, text, spans)] == ([("stance", content)] if found else [])


def test_a_tagged_relative_pronoun_speaks_for_its_noun():
    """"Norvale Shipping, which backed the levy, ...": the tagger's source "which" is the company;
    "which is not to say" is still the writer's own voice."""
    text = "Norvale Shipping, which backed the harbour levy, has since gone quiet."
    doc = load_nlp()(text)
    spans = [tagged_span(doc, "SOURCE", "which"), tagged_span(doc, "CUE", "backed"),
             tagged_span(doc, "CONTENT", "the harbour levy")]
    found = model_attributions(doc, text, spans)
    assert [(attribution.kind, text[attribution.start:attribution.end]) for attribution in found] == [
        ("stance", "the harbour levy")]
    assert doc[found[0].subject_token].text == "which"
    text = "The levy passed, which is not to say the harbour board supported it."
    doc = load_nlp()(text)
    spans = [tagged_span(doc, "SOURCE", "which"), tagged_span(doc, "CUE", "say"),
             tagged_span(doc, "CONTENT", "the harbour board supported it")]
    assert model_attributions(doc, text, spans) == []


def test_a_tagged_source_holds_a_participle_stance():
    """"..., calling for a ban": the tagger's source is the holder where the parse gives the
    participle no subject."""
    text = "At the quay on Friday, and again on Monday, calling for a ban on night trawling, Mara Quist spoke."
    doc = load_nlp()(text)
    spans = [tagged_span(doc, "SOURCE", "Mara Quist"), tagged_span(doc, "CUE", "calling for"),
             tagged_span(doc, "CONTENT", "a ban on night trawling")]
    assert [(attribution.kind, text[attribution.start:attribution.end])
            for attribution in model_attributions(doc, text, spans)] == [("stance", "a ban on night trawling")]


@pytest.mark.parametrize(("text", "cue", "content", "found"), [
    # a poll's finding is its position; a finding verb's object is otherwise no one's
    ("A Coastline Radio poll showed a slimmer lead for Mara Quist among harbour workers.", "showed",
     "a slimmer lead for Mara Quist among harbour workers", True),
    ("The campaign video showed the old harbour wall at dawn.", "showed",
     "the old harbour wall", False),
    # an object characterised through "as" is a position; a bare object of "see" is not
    ("Most fishermen see the new quota as a threat to their livelihood.", "see",
     "the new quota as a threat to their livelihood", True),
    ("Most fishermen see the new quota posters in the harbour office.", "see",
     "the new quota posters", False),
    # a pronoun characterised through "as" is a position too
    ("Councillor Mara Quist dismissed him as a relic of the old council.", "dismissed",
     "him as a relic of the old council", True),
])
def test_a_tagged_finding_or_characterisation(text, cue, content, found):
    doc = load_nlp()(text)
    source = text[:text.index(" " + cue)]
    spans = [tagged_span(doc, "SOURCE", source), tagged_span(doc, "CUE", cue), tagged_span(doc, "CONTENT", content)]
    assert [(attribution.kind, text[attribution.start:attribution.end])
            for attribution in model_attributions(doc, text, spans)] == ([("stance", content)] if found else [])
