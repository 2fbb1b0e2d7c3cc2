"""Frames that follow a quotation or a newsletter's label: questions of several sentences,
verbs that frame a quote only after it ("reacted", "remembered"), cries ("yelled", "chanted"),
a document read as a noun and "Headline - Name: “…”". Invented texts."""
from helpers import quote_with, speaker_of


def test_a_frame_after_a_quote_of_several_sentences_ending_in_a_question(extract):
    text = (
        "“The budget is balanced,” Mayor Ines Dahl said on Monday.\n\n"
        "“Her plan for the pier puts the whole harbour at risk, not just the fishing fleet. "
        "Who wants to invest here, if the council cannot keep its word?” councilman Tomas Berg wondered.\n")
    article = extract(text)
    assert quote_with(article, "Who wants to invest").cue.text == "wondered"
    assert speaker_of(article, "Who wants to invest") == "Tomas Berg"


def test_reacted_after_a_quote_frames_it_but_not_a_sentence_of_its_own(extract):
    text = (
        "“We will close the plant in June,” the company's chief executive Ines Dahl said.\n\n"
        "“She said in her letter that the jobs were safe. Who believes her now?” reacted union leader Tomas Berg.\n\n"
        "“The plant will stay open until the summer,” Dahl added. Markets reacted calmly to the news.\n")
    article = extract(text)
    assert quote_with(article, "Who believes her now").cue.text == "reacted"
    assert speaker_of(article, "Who believes her now") == "Tomas Berg"
    assert quote_with(article, "stay open until the summer").cue.text == "added"


def test_cries_of_a_crowd_are_the_crowds(extract):
    text = (
        "Governor Ines Dahl spoke for an hour at the fairground in Tulsa.\n\n"
        "“Out!” the crowd yelled when she named the senator.\n\n"
        "“No more cuts, no more lies,” the protesters chanted outside.\n")
    article = extract(text)
    assert quote_with(article, "Out!").cue.text == "yelled"
    assert quote_with(article, "No more cuts").cue.text == "chanted"
    assert speaker_of(article, "No more cuts") != "Ines Dahl"


def test_remembered_after_a_quote_frames_it_but_not_with_an_object(extract):
    text = (
        "Ines Dahl ran the clinic in Marlow for thirty years.\n\n"
        "“We had nothing but each other in those winters,” the retired nurse remembered.\n\n"
        "“It was hard work,” Dahl said. She remembered the day the clinic closed.\n")
    article = extract(text)
    assert quote_with(article, "nothing but each other").cue.text == "remembered"
    assert quote_with(article, "It was hard work").cue.text == "said"


def test_an_editorial_that_reads_after_a_quote_speaks_it(extract):
    text = (
        "The Marlow Courier urged the governor to visit the flooded towns.\n\n"
        "“If she wants to lead the state, the governor should act like it, and come to Marlow,” the editorial read.\n")
    assert quote_with(extract(text), "come to Marlow").cue.text == "read"


def test_a_newsletter_item_credits_the_name_after_the_dash(extract):
    text = (
        "Turnout decided the primary, the analysts say.\n\n"
        "Pollsters agree - Carl Weston: “The biggest lesson was a simple one: keep contacting voters as late as you can.”\n\n"
        "LATE DECIDERS BROKE FOR THE GOVERNOR - Dana M. Ortiz and Lee Park: “Voters who decided in the last week "
        "chose the incumbent by a wide margin.”\n")
    article = extract(text)
    assert speaker_of(article, "biggest lesson") == "Carl Weston"
    assert speaker_of(article, "decided in the last week") == "Dana M. Ortiz"
