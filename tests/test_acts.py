"""The describe stage (quotetrail.acts): act, addressee, setting and target of attributions,
on sentences and articles written for these tests."""
from __future__ import annotations

import pytest

from quotetrail.acts import Description, describe, interview_outlets
from quotetrail.model import Article, Cue, Quote
from quotetrail.nlp import load_nlp
from quotetrail.pipeline import analyse


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def described(nlp):
    def run(text: str) -> list[tuple[Quote, Description]]:
        doc = nlp(text)
        article = analyse(doc, text)
        descriptions = describe(doc, article)
        assert len(descriptions) == len(article.quotes)
        for description in descriptions:
            for part in (description.addressee, description.setting, description.target):
                if part is not None:  # every span points into the text given
                    assert text[part.start:part.end] == part.text
        return list(zip(article.quotes, descriptions))
    return run


def about(pairs: list[tuple[Quote, Description]], fragment: str) -> Description:
    found = [description for quote, description in pairs if fragment in quote.text]
    assert found, f"no quotation holds {fragment!r}: {[quote.text for quote, _ in pairs]}"
    return found[0]


def test_content_makes_a_denial(described):
    description = about(described("The ministry said the charges were false and politically motivated."), "charges")
    assert (description.act, description.act_by, description.plover) == ("deny", "content", "REJECT")


def test_content_makes_a_rejection(described):
    pairs = described("The minister said the government did not accept the court's findings.")
    assert about(pairs, "did not accept").act == "reject"


def test_plain_statement_stays_a_statement(described):
    description = about(described("The minister said the government would appeal the court's findings."), "appeal")
    assert (description.act, description.plover) == ("state", None)


def test_called_for_is_a_demand(described):
    description = about(described("Union leader Mara Quist called for a full inquiry into the closure of the plant."),
                        "inquiry")
    assert (description.act, description.plover) == ("demand", "REQUEST")
    assert description.setting is None  # an inquiry called for is what was said, not where


def test_called_on_someone_is_a_demand_with_its_target(described):
    description = about(described("Opposition leader Tomas Berg called on the minister to resign over the contract."),
                        "resign")
    assert description.act == "demand"
    assert description.target.text == "the minister"


def test_asking_someone_to_act_is_a_demand_and_whether_is_a_question(described):
    demand = about(described("Chancellor Jonas Albrecht asked Zelenskiy to accept the plan."), "accept the plan")
    assert demand.act == "demand"
    assert demand.addressee.text == demand.target.text == "Zelenskiy"
    question = about(described("Chancellor Jonas Albrecht asked Zelenskiy whether Kyiv would accept the plan."),
                     "whether")
    assert question.act == "ask"
    assert question.addressee.text == "Zelenskiy" and question.target is None


def test_declined_to_comment_is_a_non_response(nlp):
    text = "Asked about the sale, the Harbour Bank declined to comment on the report."
    doc = nlp(text)
    cue_at = text.index("declined")
    quote = Quote(kind="indirect", text="", start=text.index(" on the report"), end=text.index(" on the report"),
                  speaker=None, cue=Cue(text="declined", lemma="decline", start=cue_at, end=cue_at + len("declined")))
    article = Article(text=text, quotes=[quote], entities=[], furniture=[], headings=[], sources=[])
    assert describe(doc, article)[0].act == "decline"


def test_told_reporters_and_told_an_outlet(described):
    reporters = about(described("Finance minister Helena Varga told reporters that the budget would be balanced by 2027."),
                      "budget")
    assert reporters.addressee.text == "reporters"
    outlet = about(described("Helena Varga told the BBC that the budget would be balanced by 2027."), "budget")
    assert outlet.addressee.text == "the BBC"


def test_wrote_to_a_committee_is_an_addressee_not_testimony(described):
    description = about(described("The mayor wrote to the committee that the bridge would stay closed until June."),
                        "bridge")
    assert description.addressee.text == "the committee"
    assert description.setting is None


def test_testified_before_a_committee(described):
    description = about(described("Senator Priya Shah testified before the committee that she had never seen the memo."),
                        "memo")
    assert description.setting.kind == "testimony"


def test_a_post_on_a_platform_names_the_platform(described):
    description = about(described("Senator Priya Shah wrote on X that the vote had been rigged."), "rigged")
    assert (description.setting.kind, description.setting.outlet) == ("social_post", "X")


def test_letter_to_shareholders_gives_setting_and_addressee(described):
    description = about(described("In a letter to shareholders, chief executive Nadia Petrov said profits would fall."),
                        "profits")
    assert description.setting.kind == "letter"
    assert description.addressee.text == "shareholders"


def test_interview_with_an_outlet_names_the_outlet(described):
    pairs = described("Kwame Osei said in an interview with the Guardian that he would not run again.")
    description = about(pairs, "run again")
    assert description.setting.kind == "interview"
    assert description.setting.outlet == "Guardian"
    assert interview_outlets(description for _, description in pairs) == ["Guardian"]


def test_participle_gives_a_press_conference(described):
    description = about(described("Speaking at a news conference in Lisbon, Rui Matos said the talks had failed."),
                        "talks")
    assert description.setting.kind == "press_conference"


def test_a_conference_without_the_press_is_a_speech(described):
    description = about(described("Rui Matos told a climate conference in Lisbon that the talks had failed."), "talks")
    assert description.setting.kind == "speech"


def test_accusation_target_stops_before_what_was_alleged(described):
    description = about(described("The senator accused the agency of hiding the data from the public."), "hiding")
    assert (description.act, description.plover) == ("accuse", "ACCUSE")
    assert description.target.text == "the agency"


def test_description_by_name_is_praise_with_its_target(described):
    description = about(described("He described Maduro as “a decent, reasonable man”."), "decent")
    assert (description.act, description.target.text) == ("praise", "Maduro")


def test_participle_of_saying_takes_the_act_and_target_of_its_verb(described):
    pairs = described("Mayor Ilse Brandt criticised the council for delaying the vote, saying residents deserved better.")
    description = about(pairs, "residents deserved")
    assert (description.act, description.act_by) == ("criticize", "frame")
    assert description.target.text == "the council"


def test_continuation_keeps_the_addressee(described):
    pairs = described("“We never stopped running,” coach Dario Nunez told reporters. “I could not be prouder.”")
    assert about(pairs, "never stopped").addressee.text == "reporters"
    assert about(pairs, "could not be prouder").addressee.text == "reporters"


def test_adding_in_the_same_sentence_shares_the_statement(described):
    pairs = described("No one was hurt, Veloria Mining said in a statement, adding that the mine would reopen in May.")
    assert about(pairs, "reopen").setting.kind == "statement"


ARTICLE = """Ports minister says ferry fares will rise
Ports minister Amara Nwosu has said ferry fares will rise by a fifth next year, while insisting the island routes will not close.
Nwosu made the comments in an interview with the weekly Harbour Gazette.
"We cannot run boats on goodwill," Nwosu said.
She added that the ministry would publish the new fares in March.
The ferry operators' union said in a statement that the rise would hurt island families.
"""


def test_an_interview_frames_every_statement_of_its_speaker(described):
    pairs = described(ARTICLE)
    minister = [description for quote, description in pairs if quote.speaker and quote.speaker.name == "Amara Nwosu"]
    assert len(minister) >= 4
    assert all(description.setting and description.setting.kind == "interview" for description in minister)
    assert {description.setting.outlet for description in minister} == {"Harbour Gazette"}
    union = about(pairs, "hurt island families")
    assert union.setting.kind == "statement"  # another speaker keeps its own setting
    assert interview_outlets(description for _, description in pairs) == ["Harbour Gazette"]


def test_not_true_is_a_denial(described):
    description = about(described("“That is simply not true,” the mayor's spokesman Paolo Ferrante said."), "not true")
    assert (description.act, description.act_by) == ("deny", "content")


def test_a_platform_at_the_end_of_the_sentence(described):
    description = about(described("“The border will stay closed,” Defence Minister Ilse Brandt said on X."), "border")
    assert (description.setting.kind, description.setting.outlet) == ("social_post", "X")


INTERVIEW = """Novelist says the sequel is finished
Novelist Helena Varga recently did an interview with the podcaster Jonas Albrecht.
"Is the sequel finished?" Albrecht asked.
"It is finished, and I hate it," Varga said.
Her publisher, Grey Fern Books, said in a statement that the book would appear in May.
"""


def test_an_interview_done_with_someone_sets_both_sides(described):
    pairs = described(INTERVIEW)
    assert about(pairs, "Is the sequel").setting.kind == "interview"
    assert about(pairs, "I hate it").setting.kind == "interview"
    assert about(pairs, "appear in May").setting.kind == "statement"


def test_a_setting_the_cue_clause_hangs_from_and_its_conjoined_cue(described):
    pairs = described('In a Facebook post at the time she described the merger as the "worst deal in a decade" '
                      'and accused the board of years of "reckless neglect".')
    for fragment in ("worst deal", "reckless neglect"):
        setting = about(pairs, fragment).setting
        assert (setting.kind, setting.outlet) == ("social_post", "Facebook")
        assert setting.text.startswith("a Facebook post")


def test_taking_to_a_platform_is_a_post(described):
    description = about(described("On Thursday, Mara Quist took to Instagram and accused the label of blocking "
                                  "her new album."), "blocking")
    assert (description.act, description.setting.kind, description.setting.outlet) == ("accuse", "social_post",
                                                                                       "Instagram")


def test_a_statement_on_the_object_and_a_website_that_is_no_addressee(described):
    description = about(described("The club flatly denied the allegations in a statement shared to its website."),
                        "allegations")
    assert description.setting.kind == "statement"
    assert description.addressee is None


def test_a_participle_cue_with_its_setting_noun_takes_the_verb_above(described):
    description = about(described("The union praised the mayor, saying in a statement that she had kept her word."),
                        "kept her word")
    assert (description.act, description.target.text, description.setting.kind) == ("praise", "the mayor",
                                                                                     "statement")


def test_a_video_call_is_an_interview_without_an_outlet(described):
    description = about(described("“We argue about everything,” Tricia Holm said on a Zoom call the other day."),
                        "argue")
    assert (description.setting.kind, description.setting.outlet) == ("interview", None)
    segment = about(described("“The rally is not over,” analyst Tomas Berg said during the same segment."), "rally")
    assert segment.setting.kind == "interview"


def test_a_naming_object_that_is_a_demonstrative_is_the_target(described):
    description = about(described("Minister Ilse Brandt reacted angrily to the report, calling that an insult to "
                                  "“every nurse in the country.”"), "insult")
    assert (description.act, description.target.text) == ("criticize", "that")


def test_a_date_after_the_cue_is_no_addressee(described):
    description = about(described("President Arvo Lind warned Thursday that any blockade could result in war."),
                        "blockade")
    assert description.act == "warn" and description.addressee is None


def test_he_said_he_told_them(described):
    pairs = described("“You have beaten every team in this league,” he said he told them. "
                      "“Believe in yourselves.”")
    assert about(pairs, "beaten every team").addressee.text == "them"


HEARING = """Minister defends grid plan
Energy minister Paul Renner called the blackout report an insult to engineers.
Senator Ann Moss confronted him at a Senate hearing with figures from the grid operator.
Renner said the grid was safe and the new cables would arrive in May.
Moss said the plan had come two years too late.
"""


def test_a_scene_sets_its_people_words_after_it(described):
    pairs = described(HEARING)
    assert about(pairs, "an insult").setting is None  # before the scene
    for fragment in ("grid was safe", "two years too late"):
        setting = about(pairs, fragment).setting
        assert (setting.kind, setting.text) == ("testimony", "a Senate hearing")


def test_a_told_frame_is_no_scene(described):
    pairs = described("Police chief Ed Alvarez told reporters at a news conference that two men were arrested.\n"
                      "Alvarez says the victim died in hospital.")
    assert about(pairs, "arrested").setting.kind == "press_conference"
    assert about(pairs, "died in hospital").setting is None


def test_addressing_an_audience_is_a_speech_and_a_noun_cue_gives_the_act(described):
    pairs = described("Addressing lawmakers in the capital, President Arvo Lind repeated his accusation that "
                      "Norland was bent on weakening the republic.")
    description = about(pairs, "bent on weakening")
    assert description.act == "accuse"
    assert description.addressee.text.startswith("lawmakers")
    assert description.setting.kind == "speech" and description.setting.text.startswith("Addressing lawmakers")
    assert description.target.text == "Norland"  # the accused: the subject of what was said


def test_speaking_on_the_steps_is_a_speech_and_on_condition_of_anonymity_is_not(described):
    steps = about(described("Speaking on the steps of City Hall on Friday, Mayor Ilse Brandt said the vote "
                            "was “a disgrace”."), "the vote")
    assert steps.setting.kind == "speech" and steps.setting.text == "Speaking on the steps of City Hall"
    anonymous = about(described("Speaking on condition of anonymity, one official said the vote was delayed."),
                      "delayed")
    assert anonymous.setting is None


def test_a_teleconference_with_reporters(described):
    description = about(described("“We moved the date forward,” Steve Alder, a deputy administrator, said in a "
                                  "teleconference with reporters."), "moved the date")
    assert description.setting.kind == "press_conference"
    assert description.addressee.text == "reporters"


def test_a_request_for_comment_is_no_addressee(described):
    pairs = described("The ministry did not respond to a request for comment.")
    assert all(description.addressee is None for _, description in pairs)


def test_a_warning_to_those_told(described):
    description = about(described("President Arvo Lind told Western countries on Thursday they risked a war, "
                                  "warning that his army had the weapons to strike them."), "weapons")
    assert description.act == "warn"
    assert description.target.text == "Western countries"


def test_a_named_programme_is_an_appearance_and_a_place_is_not(described):
    show = about(described("“This stock was clobbered for four years,” strategist Matt Olsen said on CNBC's "
                           "\"Trading Nation\" on Monday."), "clobbered")
    assert (show.setting.kind, show.setting.outlet) == ("interview", "CNBC")
    hill = about(described("Senator Amy Reed said on Capitol Hill that the bill would pass."), "bill would pass")
    assert hill.setting is None


def test_paying_tribute_is_praise_of_whom_it_is_paid_to(described):
    description = about(described("Coach Dana Pell paid tribute to Mira Holt, the founder of the rowing club."),
                        "Mira Holt")
    assert (description.act, description.target.text) == ("praise", "Mira Holt")


def test_the_party_warned_is_addressee_and_target_in_the_passive_too(described):
    told = about(described("The harbour authority warned fishermen that the storm would close the port."), "storm")
    assert (told.act, told.addressee.text, told.target.text) == ("warn", "fishermen", "fishermen")
    passive = about(described("Mayor Ilse Varn has been warned by engineers that the old bridge could fail."), "bridge")
    assert (passive.act, passive.addressee.text, passive.target.text) == ("warn", "Mayor Ilse Varn", "Mayor Ilse Varn")


def test_a_named_subject_s_wrongdoing_is_an_accusation_unless_denied(described):
    claimed = about(described("Rower Tomas Brell claimed that Ostrander had faked his times."), "faked")
    assert (claimed.act, claimed.act_by, claimed.target.text) == ("accuse", "content", "Ostrander")
    denied = about(described("Rower Tomas Brell said that Ostrander had not faked his times."), "faked")
    assert (denied.act, denied.target) == ("state", None)


def test_what_a_named_subject_is_said_to_be_is_praise_or_criticism(described):
    said = about(described("Councillor Rhea Lund said Mayor Pike is the worst and most reckless leader the town "
                           "has had."), "reckless")
    assert (said.act, said.target.text) == ("criticize", "Mayor Pike")
    weather = about(described("Councillor Rhea Lund said the weather is terrible this week."), "weather")
    assert (weather.act, weather.target) == ("state", None)  # no one judged


def test_said_as_he_criticized_takes_that_act_and_its_object(described):
    description = about(described("“We were never consulted,” coach Ilan Fosse said as he criticized the league's "
                                  "new schedule."), "consulted")
    assert (description.act, description.act_by) == ("criticize", "frame")
    assert description.target.text == "the league's new schedule"


def test_a_demand_is_of_the_subject_of_what_is_demanded_not_of_what_is_urged(described):
    council = about(described("Residents are demanding the council reopen the library."), "reopen")
    assert (council.act, council.target.text) == ("demand", "the council")
    lockout = about(described("The union urged an end to the lockout."), "lockout")
    assert (lockout.act, lockout.addressee, lockout.target) == ("demand", None, None)


def test_words_that_go_on_keep_the_act_and_its_target(described):
    pairs = described("Ana Ruiz, a nurse, praised the volunteers, saying: “They worked through the night without "
                      "a break.\n\n“Nobody asked them to do it.”")
    description = about(pairs, "Nobody asked")
    assert (description.act, description.act_by, description.target.text) == ("praise", "carried", "the volunteers")


def test_a_setting_that_opens_the_sentence_whatever_the_parser_hung_it_from(described):
    description = about(described("In a statement to the Harbour Times after the rowing club filed its appeal in May, "
                                  "the regional league said the club “has every right to race its own crews.”"),
                        "race its own crews")
    assert (description.setting.kind, description.setting.text) == ("statement", "a statement to the Harbour Times")
    assert description.addressee.text == "the Harbour Times"


def test_an_accusing_participle_read_as_an_adjective_is_about_its_object(described):
    description = about(described("Nurses at St Brendan's will stay out for a second week after talks with the trust "
                                  "broke down, with the college accusing managers of “counting beds instead of "
                                  "patients”."), "counting beds")
    assert (description.act, description.target.text) == ("accuse", "managers")


def test_a_news_conference_told_is_the_setting_not_the_addressee(described):
    pairs = described("“Nobody leaves this room happy,” Mayor Ilse Brandt told a closing news conference.\n"
                      "Rui Matos told a packed briefing on Monday that the bridge would reopen in May.")
    for fragment, kind in (("Nobody leaves", "press_conference"), ("bridge would reopen", "press_conference")):
        description = about(pairs, fragment)
        assert description.addressee is None and description.setting.kind == kind


def test_a_chamber_told_is_addressed(described):
    description = about(described("The finance minister told the chamber that the budget would balance by 2028."),
                        "budget would balance")
    assert description.addressee.text == "the chamber"


def test_said_with_a_warning_beside_it_is_a_statement_and_a_warning(described):
    pairs = described("Port director Lena Marsh said the closure was costing the harbour 3 million euros a week, "
                      "warning that two ferry operators had already cancelled their spring timetables.")
    said, warned = about(pairs, "costing the harbour"), about(pairs, "ferry operators")
    assert said.act == "state"
    assert warned.act == "warn"
    quotes = {quote.text: quote for quote, _ in pairs}
    warning = next(quote for text, quote in quotes.items() if "ferry operators" in text)
    assert warning.cue.text == "warning" and warning.kind == "indirect" and warning.speaker.name == "Lena Marsh"

