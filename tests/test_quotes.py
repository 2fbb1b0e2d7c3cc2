"""Quotation detection on text written for these tests."""
import pytest

from helpers import quote_with, speaker_of, texts


def test_curly_direct_quote_of_several_sentences(extract):
    text = "“The river is low. The crops are failing,” farmer Ruth Okoye said on Monday."
    quote = quote_with(extract(text), "The river is low")
    assert quote.kind == "direct"
    assert quote.text == "The river is low. The crops are failing"
    assert text[quote.start:quote.end] == quote.text
    assert quote.cue.lemma == "say"


@pytest.mark.parametrize("opening,closing", [('"', '"'), ("‘", "’"), ("«", "»")])
def test_other_quotation_marks(extract, opening, closing):
    text = f"{opening}We will open the bridge next spring,{closing} said Mayor Ilse Brandt."
    quote = quote_with(extract(text), "We will open the bridge")
    assert quote.kind == "direct"
    assert quote.speaker.name == "Ilse Brandt"


def test_quote_split_by_its_attribution(extract):
    text = "“We tried everything,” said coach Dario Nunez. “The players gave all they had.”"
    article = extract(text)
    first, second = quote_with(article, "We tried"), quote_with(article, "The players gave")
    assert first.speaker.name == second.speaker.name == "Dario Nunez"
    # The tagger reads the frame as the second part's source too; the rules carry the speaker over.
    assert second.cue is None and second.speaker.resolved_by == "named"
    carried = quote_with(extract(text, rules_only=True), "The players gave")
    assert carried.speaker.name == "Dario Nunez" and carried.speaker.resolved_by == "previous-sentence"


def test_colon_introduced_quote(extract):
    text = "Council leader Priya Shah said: “The depot will not be sold while I am in charge.”"
    quote = quote_with(extract(text), "The depot will not be sold")
    assert quote.kind == "direct" and quote.speaker.name == "Priya Shah"


def test_quote_running_over_paragraphs(extract):
    text = ("Veteran ferryman Tomas Berg said the crossing had changed. “In my father's day we rowed across.\n"
            "“Now the engines do the work, and nobody looks at the water.”")
    article = extract(text)
    second = quote_with(article, "Now the engines")
    assert second.speaker.name == "Tomas Berg"
    assert second.speaker.resolved_by == "continuation"


def test_mixed_quote(extract):
    text = "Opposition leader Jonas Albrecht described the plan as “a reckless gamble with public money”."
    quote = quote_with(extract(text), "reckless gamble")
    assert quote.kind == "mixed"
    # the content is what was described and how (docs/output.md), ending inside the marks
    assert quote.text == "the plan as “a reckless gamble with public money"
    assert quote.speaker.name == "Jonas Albrecht" and quote.cue.lemma == "describe"


@pytest.mark.parametrize("sentence,content,cue", [
    ("The minister, Helena Varga, said that the reservoir would be full by May.",
     "the reservoir would be full by May", "say"),
    ("Union chief Kwame Osei warned that the strike could last a month.", "the strike could last a month", "warn"),
    ("Union chief Kwame Osei stressed the talks had collapsed.", "the talks had collapsed", "stress"),
])
def test_indirect_speech_with_content_clause(extract, sentence, content, cue):
    quote = quote_with(extract(sentence), content)
    assert quote.kind == "indirect" and quote.text == content and quote.cue.lemma == cue


def test_participle_cues(extract):
    text = ("Mayor Ilse Brandt defended the budget, insisting no library would close, "
            "and rejected the audit, saying she had not seen it.")
    article = extract(text)
    assert quote_with(article, "no library would close").cue.text == "insisting"
    assert quote_with(article, "no library would close").speaker.name == "Ilse Brandt"
    assert quote_with(article, "she had not seen it").speaker.name == "Ilse Brandt"


@pytest.mark.parametrize("text,fragment,speaker,cue", [
    ("Bus drivers in Marlow will stay off the road for a third day after talks with the operator broke down, "
     "with the union accusing management of “running the depot like a betting shop”.",
     "running the depot", "union", "accuse"),
    ("Farmers blocked the ring road for a second day after talks with the ministry collapsed, with their "
     "federation accusing officials of “negotiating with a blindfold on”.", "negotiating", "federation", "accuse"),
    ("Rescuers in Korvik kept searching through the night, with the coastguard warning of “the worst winter storm "
     "in living memory”.", "the worst winter storm", "coastguard", "warn"),
])
def test_a_participle_clause_gives_its_fragment_to_its_subject(extract, text, fragment, speaker, cue):
    """"with X accusing Y of “…”": the participle is the cue and X the speaker, however the
    parse hangs the participle (an adjective of its object, a noun)."""
    quote = quote_with(extract(text), fragment)
    assert quote.kind == "mixed"
    assert quote.cue.lemma == cue and quote.speaker.name == speaker


@pytest.mark.parametrize("text,title", [
    ("The mayor pointed to the council’s 2019 flood survey, the report “Rising Waters”, which recorded nine "
     "flooded streets in two winters.", "Rising Waters"),
    ("The minister praised the campaign “Clean Seas”, which removed four tonnes of plastic.", "Clean Seas"),
    ("The ministry has commissioned the study “Coastline in Retreat” from the university.", "Coastline in Retreat"),
])
def test_a_quoted_title_is_no_quotation(extract, text, title):
    """A title after a document or campaign noun names the document; no one's words."""
    article = extract(text)
    assert not [quote for quote in article.quotes if title in quote.text and quote.kind in ("direct", "mixed")]


def test_a_titled_appositive_is_no_second_stance(extract):
    """"pointed to the survey, the report “Rising Waters”": the tagger's appositive names what the
    stance is about already, no second attribution."""
    article = extract("The mayor pointed to the council’s 2019 flood survey, the report “Rising Waters”, which "
                      "recorded nine flooded streets in two winters.")
    assert quote_with(article, "flood survey").kind == "stance"
    assert not [quote for quote in article.quotes if "Rising Waters" in quote.text]


def test_a_stance_on_a_titled_campaign_is_a_stance(extract):
    quote = quote_with(extract("The minister praised the campaign “Clean Seas”, which removed four tonnes of plastic."),
                       "Clean Seas")
    assert quote.kind == "stance" and quote.cue.lemma == "praise"


def test_a_report_quoted_after_a_colon_is_still_quoted(extract):
    text = "The watchdog said in a report: “Rates will rise before the summer.”"
    assert quote_with(extract(text), "Rates will rise").kind == "direct"


def test_accused_of(extract):
    text = "The fishermen's union accused the ministry of ignoring the scientists."
    quote = quote_with(extract(text), "ignoring the scientists")
    assert quote.cue.lemma == "accuse" and quote.speaker.name == "fishermen's union"


def test_according_to(extract):
    text = "According to the Harbour Authority, the port lost two million euros a day."
    quote = quote_with(extract(text), "the port lost two million euros a day")
    assert quote.cue.lemma == "according to" and quote.speaker.name == "Harbour Authority"


def test_not_quotations(extract):
    text = ("The council published the report “Tides of Change” last year. "
            "Critics mocked the so-called “reform” on social media. "
            "Her comments come as the city prepares for the film ‘Blue Harbour’. "
            "The mayor opened the bridge on Tuesday.")
    assert texts(extract(text)) == []


def test_cues_inside_a_quote_belong_to_the_quote(extract):
    text = "“They said the bridge was safe, and they told us it would hold,” resident Mara Lind said."
    article = extract(text)
    assert len(article.quotes) == 1 and article.quotes[0].speaker.name == "Mara Lind"


def test_two_apostrophes_as_quotation_marks(extract):
    text = "''This isn't tax reform,'' said Douglas Ferrer, an economist at the Lowland Institute."
    quote = quote_with(extract(text), "This isn't tax reform")
    assert quote.kind == "direct" and quote.text == "This isn't tax reform"
    assert quote.speaker.name == "Douglas Ferrer"


@pytest.mark.parametrize("text,expected", [
    ("The mayor's claim that the bridge was safe angered residents on Monday.\n"
     "Engineers questioned the council's statement that repairs had been finished.",
     [("the bridge was safe", "claim", "mayor"), ("repairs had been finished", "statement", "council")]),
    # nouns of contention and complaint
    ("Harbour master Ivo Brandt repeated his contention that the pier was safe for heavy lorries.\n"
     "The council rejected criticism from the fishermen that the levy was unfair to small boats.",
     [("the pier was safe", "contention", "Ivo Brandt"), ("the levy was unfair", "criticism", "fishermen")]),
])
def test_noun_cues_with_a_that_clause(extract, text, expected):
    article = extract(text)
    for words, lemma, speaker in expected:
        quote = quote_with(article, words)
        assert quote.cue.lemma == lemma and quote.speaker.name == speaker


def test_colon_at_the_end_of_the_previous_paragraph_frames_the_quote(extract):
    text = ("The council voted to close the crossing on Tuesday. Ferry operator Jan Olsen said:\n"
            "“We will keep sailing until the council stops us. Nobody here has given up.”")
    quote = quote_with(extract(text), "We will keep sailing")
    assert quote.speaker.name == "Jan Olsen" and quote.cue.text == "said"


def test_directive_speech(extract):
    text = "Mayor Ilse Brandt urged residents to stay indoors until the storm had passed."
    quote = quote_with(extract(text), "to stay indoors")
    assert quote.cue.lemma == "urge" and quote.speaker.name == "Ilse Brandt"


def test_called_on_is_a_directive(extract):
    text = "Union leader Kwame Osei called on the council to keep the depot open. Residents called on Monday for an inquiry."
    article = extract(text, rules_only=True)
    quote = quote_with(article, "to keep the depot open")
    assert (quote.cue.text, quote.cue.lemma, quote.speaker.name) == ("called on", "call", "Kwame Osei")
    assert quote_with(article, "an inquiry").cue.text == "called"  # "on Monday" is no part of the cue


def test_a_promise_reports_what_was_promised(extract):
    text = "Union leader Kwame Osei has vowed to keep the depot open through the winter."
    quote = quote_with(extract(text, rules_only=True), "to keep the depot open")
    assert quote.kind == "indirect" and quote.text == "to keep the depot open through the winter"
    assert quote.cue.lemma == "vow" and quote.speaker.name == "Kwame Osei"


@pytest.mark.parametrize("text", [
    "“The harbour will reopen in May,\" said Mayor Ilse Brandt. \"The cranes are already here.”",
    "\"The harbour will reopen in May,” said Mayor Ilse Brandt. “The cranes are already here.\"",
])
def test_mixed_straight_and_curly_marks_pair_by_position(extract, text):
    article = extract(text)
    assert texts(article) == ["The harbour will reopen in May", "The cranes are already here."]
    assert {quote.speaker.name for quote in article.quotes} == {"Ilse Brandt"}


def test_an_opening_mark_typed_where_a_quote_closes_closes_it(extract):
    text = "“The harbour will reopen in May,“ said Mayor Ilse Brandt. “The cranes are already here.”"
    article = extract(text)
    assert texts(article) == ["The harbour will reopen in May", "The cranes are already here."]
    assert quote_with(article, "reopen in May").cue.lemma == "say"


def test_straight_marks_nested_in_curly_ones_stay_inside(extract):
    text = "“They called it \"a scandal\" and walked out,” said Mayor Ilse Brandt."
    assert texts(extract(text)) == ["They called it \"a scandal\" and walked out"]


@pytest.mark.parametrize("text", [
    "The plan failed, which is not to say that the council was wrong to try.",
    "It is fair to say the bridge has been a disaster for the town.",
    "One would say the club has lost its way.",
    "It is too early to say whether the ferry will run again.",
    "The Halden gallery opens the exhibition “Rivers of Light,” which runs until May.",
    "Her new memoir, “A House by the Water,” came out in spring.",
    "The minister was a guest on “Morning Desk With Ana Ruiz.”",
])
def test_the_writers_own_voice_and_titles_of_works_are_not_quotes(extract, text):
    assert texts(extract(text)) == []


def test_a_programme_named_after_the_frame_is_no_quote(extract):
    text = "The budget is sound, Mayor Ilse Brandt said on WKRN's “Harbour Watch.”"
    assert texts(extract(text)) == ["The budget is sound"]


def test_a_person_quick_to_say_is_still_speaking(extract):
    text = "Councillor Ruth Okoye was quick to say that the bridge was safe."
    assert speaker_of(extract(text), "the bridge was safe") == "Ruth Okoye"


def test_a_bare_name_and_verb_after_a_quote_is_its_frame(extract):
    text = ("Broadcaster Ivo Marten sat down with the podcaster Lena Sturm last week.\n"
            "“You said the vote was rigged,” Sturm began. “Was it stolen?”\n"
            "“It was stolen,” Marten replied.")
    article = extract(text)
    assert speaker_of(article, "You said the vote was rigged") == "Lena Sturm"
    assert speaker_of(article, "Was it stolen?") == "Lena Sturm"


def test_cue_holds_its_auxiliaries_and_negation(extract):
    text = ("Harbour master Elin Vos has warned that the pier is unsafe. "
            "“We have not been told anything,” the ferry crews did not hesitate to say.")
    article = extract(text, rules_only=True)
    warned = quote_with(article, "the pier is unsafe").cue
    assert (warned.text, warned.lemma) == ("has warned", "warn")
    assert text[warned.start:warned.end] == "has warned"
    # Infinitival "to" is no part of the cue.
    assert quote_with(article, "We have not been told").cue.text == "say"


def test_cue_holds_the_preposition_that_opens_its_content(extract):
    text = "Union leader Kwame Osei called for an independent inquiry into the fire. Dock owners warned of a long strike."
    article = extract(text, rules_only=True)
    called = quote_with(article, "an independent inquiry").cue
    assert (called.text, called.lemma) == ("called for", "call")
    assert quote_with(article, "a long strike").cue.text == "warned of"


@pytest.mark.parametrize(("text", "content", "poll"), [
    ("Mayor Lina Berg leads her rival by nine points in the latest Harbour Gazette poll.",
     "Mayor Lina Berg leads her rival by nine points", "the latest Harbour Gazette poll"),
    ("In a Coastline Radio survey released Monday, 52 percent of voters chose Berg.",
     "52 percent of voters chose Berg", "a Coastline Radio survey released Monday"),
])
def test_a_particular_poll_reports_the_clause_found_in_it(extract, text, content, poll):
    quote = quote_with(extract(text), content)
    assert (quote.text, quote.cue.text.lower()) == (content, "in")
    assert quote.speaker.start >= text.index(poll) and quote.speaker.end <= text.index(poll) + len(poll)


@pytest.mark.parametrize("text", [
    "Councillor Ada Okafor trails in the polls but remains confident.",
    "Councillor Ada Okafor, who is third in most harbour polls, remains confident.",
])
def test_the_race_in_the_polls_is_no_ones_report(extract, text):
    assert not extract(text).quotes


@pytest.mark.parametrize(("text", "content"), [
    ("In addition, according to the ministry, nine thousand more dockers will be paid overtime.",
     "nine thousand more dockers will be paid overtime"),
    ("But, according to the harbour board, most of the ferries remain idle.", "most of the ferries remain idle"),
    ("Ticket sales, according to the ferry company, have doubled since May.",
     "Ticket sales, according to the ferry company, have doubled since May"),
])
def test_according_to_inside_a_clause_reports_the_whole_clause(extract, text, content):
    quote = quote_with(extract(text), content)
    assert (quote.text, quote.cue.text.lower()) == (content, "according to")
