"""Speaker resolution over long pieces: salience, groups, relative clauses,
descriptions bound to named entities. Texts written for these tests."""
from helpers import speaker_of


def test_pronoun_skips_a_plural_description_and_finds_the_man_named_as_object(extract):
    text = ("Local officials in Marlow County said the farm office had been empty for weeks.\n"
            "Ms. Ingrid Holt asked Mr. Dario Venn what tools his agency uses to check on staff working from home.\n"
            "He did not answer directly.\n"
            "“To suggest that they are not working is an affront to our staff,” he said.")
    assert speaker_of(extract(text), "To suggest that") == "Dario Venn"


def test_pronoun_prefers_the_main_speaker_over_a_bystander_named_once(extract):
    text = ("Harbour pilot Mirela Kovac has guided ships into Saltmere for thirty years.\n"
            "“The channel moves every winter,” Kovac said. “You learn it again each spring.”\n"
            "The trade came down from Aldo Brenner, who died in 1990.\n"
            "“I still read the water the way I did on my first day,” she said.")
    assert speaker_of(extract(text), "I still read the water") == "Mirela Kovac"


def test_relative_clause_speaks_for_its_noun(extract):
    text = ("The hearing lasted four hours. Engineer Tamsin Roe, who testified that the dam had been "
            "inspected twice, left before the vote.")
    assert speaker_of(extract(text), "the dam had been inspected twice") == "Tamsin Roe"


def test_description_with_a_relative_clause_takes_the_name_in_commas(extract):
    text = ("Talks with the singer's label stalled on Friday.\n"
            "The company that runs the awards, Corrigan Productions, denies that anything has been agreed.")
    assert speaker_of(extract(text), "anything has been agreed") == "Corrigan Productions"


def test_the_company_is_the_organisation_that_was_the_subject(extract):
    text = ("The Harlow Valley Electric Cooperative, which serves much of the Dunmore Basin, said crews "
            "would repair 80 miles of lines.\n"
            "“Most homes will have power back by Monday,” the company wrote in a statement.")
    assert speaker_of(extract(text), "Most homes will have power") == "Harlow Valley Electric Cooperative"


def test_definite_description_from_a_word_of_the_name(extract):
    text = ("Grand Mufti Selim Arvani on Tuesday blamed the heat for the failed harvest.\n"
            "Hours earlier, the mufti had also written to the farmers of the valley.\n"
            "“The rains will come back to those who wait,” he said in the earlier post.")
    assert speaker_of(extract(text), "The rains will come back") == "Selim Arvani"


def test_surname_the_tagger_misreads_beside_its_cue(extract):
    text = ("Chris Early, a vice president at Borrowdale Games, said the studio was ready.\n"
            "“Streaming is somewhat binary,” says Early. In big cities bandwidth is less of an issue, "
            "but Early still says the studio believes in streaming.")
    article = extract(text)
    assert speaker_of(article, "Streaming is somewhat binary") == "Chris Early"
    assert speaker_of(article, "the studio believes in streaming") == "Chris Early"


def test_dateline_is_not_the_speaker(extract):
    text = ("HALDEN, N.Y. — Hours before the final on Tuesday, Wild coach Bruno Lemaire expressed "
            "confidence in his captain, saying he always finds a way to score.")
    assert speaker_of(extract(text), "he always finds a way") == "Bruno Lemaire"


def test_one_of_a_group_and_some(extract):
    article = extract("Angry readers flooded the paper with letters about the ferry.\n"
                      "“The ferry is never on time,” one wrote.\n"
                      "Some of the commuters said the timetable was a fiction.")
    assert speaker_of(article, "The ferry is never on time") == "Angry readers"
    assert speaker_of(article, "the timetable was a fiction") == "commuters"


def test_name_after_a_second_description_in_commas(extract):
    article = extract("“The smoke came first,” said another witness, a nurse at the clinic, Jane Okafor.")
    assert article.quotes[0].speaker.name == "Jane Okafor"
