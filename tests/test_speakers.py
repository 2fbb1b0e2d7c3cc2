"""Speaker resolution: names, short names, pronouns, titles, organisations."""
from helpers import quote_with, speaker_of

PRESS_CONFERENCE = (
    "Fire chief Amara Nwosu and Mayor Peter Lind spoke to reporters on Tuesday.\n"
    "Ms. Nwosu said the fire was contained. She added that two homes had been lost.\n"
    "Lind said the town would rebuild. “We have done it before,” he said.\n"
    "The Forestry Service said it had closed three trails, and they urged hikers to stay away.\n"
    "A senior official said the cause was still unknown.\n"
)


def test_short_name_maps_to_full_name(extract):
    article = extract(PRESS_CONFERENCE)
    quote = quote_with(article, "the fire was contained")
    assert quote.speaker.name == "Amara Nwosu"
    # The mention is the whole phrase the tagger marks as the source, holding the short name.
    assert quote.speaker.mention == "Ms. Nwosu" and quote.speaker.resolved_by == "alias"


def test_pronouns_follow_gender_and_speaker(extract):
    article = extract(PRESS_CONFERENCE)
    assert quote_with(article, "two homes had been lost").speaker.name == "Amara Nwosu"
    assert quote_with(article, "two homes had been lost").speaker.resolved_by == "pronoun"
    assert speaker_of(article, "We have done it before") == "Peter Lind"


def test_organisation_and_anonymous_speakers(extract):
    article = extract(PRESS_CONFERENCE)
    assert speaker_of(article, "closed three trails") == "Forestry Service"
    anonymous = quote_with(article, "the cause was still unknown").speaker
    assert anonymous.name == "senior official" and anonymous.resolved_by == "description"


def test_title_resolves_to_the_person_introduced_with_it(extract):
    text = ("Portuguese Prime Minister Rui Matos met union leaders in Lisbon.\n"
            "Later, the Portuguese leader said the budget would not change.")
    quote = quote_with(extract(text), "the budget would not change")
    assert quote.speaker.name == "Rui Matos" and quote.speaker.resolved_by == "title"
    assert quote.speaker.mention == "the Portuguese leader"


def test_title_needs_matching_qualifier(extract):
    text = ("Portuguese Prime Minister Rui Matos met Spanish President Ana Ruiz in Madrid.\n"
            "The Spanish leader said the border would stay open.")
    assert speaker_of(extract(text), "the border would stay open") == "Ana Ruiz"


def test_government_as_speaker(extract):
    text = "The Chilean government has accused the mining firm of hiding pollution data."
    quote = quote_with(extract(text), "hiding pollution data")
    assert quote.speaker.name == "Chilean government" and quote.speaker.resolved_by == "organisation"


def test_quote_without_cue_takes_previous_sentence_speaker(extract):
    text = ("Coach Dario Nunez was blunt after the defeat. "
            "“We were second to every ball. That is not good enough for this club.”")
    quote = quote_with(extract(text), "We were second to every ball")
    assert quote.speaker.name == "Dario Nunez" and quote.cue is None


def test_speaker_offsets_point_into_input(extract):
    article = extract(PRESS_CONFERENCE)
    for quote in article.quotes:
        if quote.speaker:
            assert PRESS_CONFERENCE[quote.speaker.start:quote.speaker.end] == quote.speaker.mention
        if quote.cue:
            assert PRESS_CONFERENCE[quote.cue.start:quote.cue.end] == quote.cue.text


def test_a_name_after_a_dash_signs_the_quote_before_it(extract):
    article = extract("Readers on the harbour vote\n\n"
                      "“The new quay will ruin the old town.” ― Marta Ilves\n\n"
                      "“Finally someone is building something here.”— Tomas Rebane\n\n"
                      "“The toll is far too high for families.” ― Marta Quintero.\n\n"
                      "“I will vote no,” said Anu Saar.\n")
    assert speaker_of(article, "ruin the old town") == "Marta Ilves"
    assert speaker_of(article, "building something here") == "Tomas Rebane"
    assert speaker_of(article, "far too high") == "Marta Quintero"  # a full stop after the name
    assert speaker_of(article, "vote no") == "Anu Saar"


def test_a_claim_from_someone_is_theirs(extract):
    article = extract("A warning from engineer Lotte Brandt that the bridge was unsafe went unheeded.\n")
    assert speaker_of(article, "the bridge was unsafe") == "Lotte Brandt"


def test_mention_holds_the_title_before_the_name(extract):
    text = ("Fisheries Minister Lena Marsh said that the quota would be cut.\n"
            "Mr. Aldo Brenn, a trawler owner, said the cut would ruin him. Later, Mr. Brenn said that he would sue.\n"
            "“It is unsafe,” said longtime dock foreman Piet Vos.")
    article = extract(text, rules_only=True)
    for fragment, mention, name in (("quota would be cut", "Fisheries Minister Lena Marsh", "Lena Marsh"),
                                    ("he would sue", "Mr. Brenn", "Aldo Brenn"),
                                    ("It is unsafe", "longtime dock foreman Piet Vos", "Piet Vos")):
        speaker = quote_with(article, fragment).speaker
        assert (speaker.name, speaker.mention) == (name, mention)
        assert text[speaker.start:speaker.end] == mention


def test_mention_holds_an_appositive_between_commas(extract):
    text = "Peter Lindqvist, a lawyer for the union, said that the cranes would be replaced."
    speaker = quote_with(extract(text, rules_only=True), "cranes would be replaced").speaker
    assert (speaker.name, speaker.mention) == ("Peter Lindqvist", "Peter Lindqvist, a lawyer for the union")
