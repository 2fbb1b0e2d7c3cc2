"""Speakers in cases met on news pages: a name that a place shares, a headline that names its
speaker before a colon, the writer's own "I said". Invented texts; each test fails without the
rule it names."""
from helpers import speaker_of


def test_a_place_that_shares_a_persons_surname_stays_a_place(extract):
    # "White House" beside "Karen House": read as her relative, it was then never registered.
    text = ("Aides brace for the White House holiday season.\n\n"
            "As the president faced criticism this month, one lawmaker took a private moment during a party "
            "at the White House to reassure him, said Karen House, a former press official.\n\n"
            "\"It is a strange ritual,\" House said. Guests at the White House wait for hours, and the White "
            "House staff keep the line moving.\n")
    assert speaker_of(extract(text), "It is a strange ritual") == "Karen House"
