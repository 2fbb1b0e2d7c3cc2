"""Speakers in cases met on news pages: a name that a place shares, a headline that names its
speaker before a colon, the writer's own "I said". Invented texts; each test fails without the
rule it names."""
from helpers import quote_with, speaker_of


def test_a_place_that_shares_a_persons_surname_stays_a_place(extract):
    # "White House" beside "Karen House": read as her relative, it was then never registered.
    text = ("Aides brace for the White House holiday season.\n\n"
            "As the president faced criticism this month, one lawmaker took a private moment during a party "
            "at the White House to reassure him, said Karen House, a former press official.\n\n"
            "\"It is a strange ritual,\" House said. Guests at the White House wait for hours, and the White "
            "House staff keep the line moving.\n")
    assert speaker_of(extract(text), "It is a strange ritual") == "Karen House"


def test_a_headline_names_its_speaker_before_the_colon(extract):
    text = ("Kasich: ‘We Are Going To Go All The Way To Cleveland’\n\n"
            "Tuesday at a college in Berea, Ohio, Republican presidential candidate Gov. John Kasich told "
            "supporters the race was far from over.\n")
    quote = quote_with(extract(text), "All The Way To Cleveland")
    assert (quote.speaker.name, quote.speaker.mention) == ("John Kasich", "Kasich")


def test_a_headline_label_with_a_title_and_a_topic_names_the_person(extract):
    text = ("Dr. Ben Carson on the Debate: ‘Nobody Laid a Glove on Me.’\n\n"
            "GOP presidential candidate Dr. Ben Carson says he was pleased with his performance on Tuesday.\n")
    assert speaker_of(extract(text), "Nobody Laid a Glove") == "Ben Carson"


def test_a_label_inside_the_body_must_name_someone_the_article_names(extract):
    text = ("Dockers return to work after two-week strike.\n\n"
            "Harbour chief Maria Delgado addressed the workers on Monday.\n\n"
            "Update: “The gates open at six,” a notice on the harbour wall read.\n")
    quote = quote_with(extract(text), "The gates open at six")
    assert quote.speaker is None or quote.speaker.name != "Update"


def test_the_writers_own_i_said_is_the_writers(extract):
    text = ("The judge looked at me for a long time before the hearing began.\n\n"
            "“Your Honor,” I said, “I would like to explain why I did this.”\n\n"
            "He nodded. “Go on,” the judge said.\n")
    article = extract(text)
    quote = quote_with(article, "I would like to explain")
    assert (quote.speaker.name, quote.speaker.mention) == ("the writer", "I")
    assert speaker_of(article, "Go on") == "judge"
    assert all(entity.name != "the writer" for entity in article.entities)


def test_an_i_inside_a_quotation_is_not_the_writer(extract):
    text = "“I told them I would never resign,” Marta Quill said on Sunday.\n"
    assert speaker_of(extract(text), "I told them") == "Marta Quill"


def test_the_writers_own_belief_is_no_attribution(extract):
    text = ("The council met on Tuesday to vote on the new harbour wall.\n\n"
            "I believe the wall will fail within a decade, and the engineers know it.\n")
    assert all(quote.kind in ("direct", "mixed", "indirect") for quote in extract(text).quotes)


def test_a_polls_share_of_people_is_a_group_named_by_the_phrase(extract):
    text = ("Since December, Sanders has gained on other measures, the poll found. Nine in 10 Democratic "
            "registered voters say he could win a general election.\n")
    quote = quote_with(extract(text), "he could win a general election")
    assert quote.speaker.name == "Nine in 10 Democratic registered voters"


def test_the_question_put_to_someone_is_not_their_words(extract):
    text = ("Sanders had previously said he would wait. Asked whether he would raise money for other "
            "candidates, Sanders said, “We’ll see.”\n")
    article = extract(text)
    question = quote_with(article, "whether he would raise money")
    assert question.speaker is None
    assert question.confidence > quote_with(article, "We’ll see").confidence / 2  # no speaker is its answer
    assert speaker_of(article, "We’ll see") == "Sanders"


def test_a_question_opening_the_sentence_tagged_a_past_tense_is_still_put_to_the_subject(extract):
    text = ("The campaign met donors in Reno on Friday.\n"
            "Asked what a firm commitment looks like, Devine replied: “We are a long way off from that.”\n")
    article = extract(text)
    assert quote_with(article, "what a firm commitment looks like").speaker is None
    assert speaker_of(article, "a long way off") == "Devine"


def test_the_asker_who_is_the_subject_keeps_the_question(extract):
    text = "Reporters asked whether the mayor would resign. The mayor said she would not.\n"
    assert speaker_of(extract(text), "whether the mayor would resign") == "Reporters"


def test_it_is_the_thing_just_spoken_of_when_no_organisation_was_named(extract):
    text = ("In his proposed bill, Mayor Ruiz cited a 2001 memorandum of the immigration agency. It says "
            "foreign nationals who disrespect the courts can be barred.\n")
    quote = quote_with(extract(text), "foreign nationals who disrespect")
    assert (quote.speaker.name, quote.speaker.mention) == ("2001 memorandum of the immigration agency", "It")


def test_it_is_the_organisation_named_lately(extract):
    text = "Acme Corp. reported record profits on Monday. It said demand for its engines had doubled.\n"
    assert speaker_of(extract(text), "demand for its engines") == "Acme Corp."


def test_it_is_never_a_decision_that_sends_a_message(extract):
    text = ("Declining to bring any charges, without even a slap on the wrist, destroys faith in our justice "
            "system. This decision by the bureau was a mistake. It sends a clear message that the elites "
            "need not obey our laws.\n")
    article = extract(text)
    said = [quote for quote in article.quotes if "elites need not obey" in quote.text]
    assert all(quote.speaker is None or "decision" not in quote.speaker.name for quote in said)


def test_one_in_three_is_a_share_of_people(extract):
    text = ("The party got low marks from Cuban Americans. One in three said the party does not care about "
            "their community.\n")
    assert speaker_of(extract(text), "the party does not care") == "One in three"


def test_someone_unnamed_speaks_as_what_the_text_calls_them(extract):
    text = ("The senator spoke for an hour at the town hall in Dover on Tuesday. Then someone in the audience "
            "asked how the party could win back young voters.\n")
    assert speaker_of(extract(text), "how the party could win back") == "someone in the audience"


def test_we_of_the_narrative_are_the_writers(extract):
    text = ("Readers wrote in all week about the debate.\n\n"
            "We asked our followers which candidate won Thursday's debate on the harbour plan.\n")
    quote = quote_with(extract(text), "which candidate won")
    assert (quote.speaker.name, quote.speaker.mention) == ("the writers", "We")


def test_a_headline_label_heads_a_summary_that_holds_the_quotation(extract):
    text = ("Sanders: Clinton needs to ‘get away from all of this personality stuff’ with Trump.\n\n"
            "Bernie Sanders offered some pointed advice to Hillary Clinton on Sunday.\n")
    assert speaker_of(extract(text), "get away from all of this") == "Bernie Sanders"


def test_an_answer_before_when_questioned_keeps_its_speaker(extract):
    text = ("Former Secretary of State Helen Carver famously clashed with Dalton during the Senate Benghazi "
            "hearing, chiding him, “What difference at this point does it make?” when questioned about the "
            "cause of the attacks, which resulted in the deaths of four Americans.\n")
    assert speaker_of(extract(text), "What difference at this point") == "Helen Carver"


def test_an_unquoted_headline_after_a_label_is_what_the_named_said(extract):
    text = ("Okafor: The harbour tax will not pass this year.\n\n"
            "Council leader Ada Okafor spoke to dock workers in Lagos on Monday.\n")
    quote = quote_with(extract(text), "The harbour tax will not pass this year")
    assert (quote.kind, quote.speaker.name, quote.cue.text) == ("indirect", "Ada Okafor", ":")


def test_an_interviews_turns_are_its_speakers_words(extract):
    text = ("The ferry captain retired after forty years at sea.\n\n"
            "Q: What did the storms of 1998 teach you about the crossing?\n\n"
            "A: The harbour always looks calmer than it is.\n\n"
            "Q: Would you sail the route again tomorrow?\n\n"
            "A: I would, but my knees would not thank me.\n")
    quotes = extract(text)
    assert speaker_of(quotes, "What did the storms of 1998 teach you") == "Q"
    assert speaker_of(quotes, "The harbour always looks calmer") == "A"


def test_a_list_or_a_kicker_after_labels_is_no_ones_words(extract):
    text = ("What each team needs this weekend.\n\n"
            "Rovers: Win by two goals.\n\n"
            "United: A draw at home.\n\n"
            "CORRECTION: An earlier version of this article misstated the date of the final.\n")
    assert not any(quote.text.startswith(("Win by", "A draw", "An earlier")) for quote in extract(text).quotes)
