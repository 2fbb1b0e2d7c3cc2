"""Look-alikes of attributions that the rules leave out: a cue verb in another sense, a
question, a possibility, the writer's own voice, a title in quotation marks. Each case beside
an invented sentence of the same shape that is an attribution and must stay."""
from __future__ import annotations

import pytest

import quotetrail


def found(text: str, rules_only: bool = True) -> list[tuple[str, str, str | None]]:
    """(kind, content, speaker) of every attribution found."""
    article = quotetrail.extract(text, rules_only=rules_only)
    return [(quote.kind, quote.text, quote.speaker.name if quote.speaker else None) for quote in article.quotes]


@pytest.mark.parametrize(("text", "kind", "content"), [
    # a finding or showing with a clause of its own
    ("Harbour inspectors determined that the north pier had been overloaded.", "indirect",
     "the north pier had been overloaded"),
    ("The harbour survey showed that ferry traffic had doubled since March.", "indirect",
     "ferry traffic had doubled since March"),
    # a thought held, with no modal of possibility on it
    ("Analysts at Norvale Shipping expect ferry fares to rise next year.", "belief", "ferry fares to rise"),
    # a position taken on a thing, not one kept from someone
    ("Harbour master Ivo Brandt denied the allegations on Monday.", "stance", "the allegations"),
    # an unanswered request
    ("Harbour master Ivo Brandt did not respond to a request for comment.", "no_comment", "a request for comment"),
    # a quoted phrase that is what the cue reports, active or passive with its namer
    ("Mayor Tova Lind called the ferry plan “a costly folly” on Monday.", "mixed", "a costly folly"),
    ("The ferry plan was called “a costly folly” by Mayor Tova Lind.", "mixed", "a costly folly"),
    # a frame after its content, set off by a comma or a dash
    ("The north pier is safe again, harbour master Ivo Brandt said.", "indirect", "The north pier is safe again"),
    ("The north pier is safe again — harbour master Ivo Brandt said on Monday.", "indirect",
     "The north pier is safe again"),
    # a participle whose content the parse hangs above it
    ("While insisting no deal had been struck, Mayor Tova Lind left the meeting early.", "indirect",
     "no deal had been struck"),
    # what a study shows, told as how it was; a label whose giver the sentence names
    ("A new study shows how ferry operators have sheltered profits offshore.", "indirect",
     "ferry operators have sheltered profits offshore"),
    ("When the fact-checkers examined the claim, it was labeled “Mostly True.”", "mixed", "Mostly True"),
    # a reason cited, a topic of speech, a stance on a thing, a preference stated
    ("The harbour board cited rising costs in its decision.", "stance", "rising costs"),
    ("Councillor Mara Quist complained about the new quota rules.", "stance", "the new quota rules"),
    ("The harbour board confirmed the closure of the north pier on Monday.", "stance", "the closure of the north pier"),
    ("The councillors prefer a cautious harbour master.", "belief", "a cautious harbour master"),
    # a promise made by someone, however named
    ("Mayor Tova Lind promised to rebuild the north pier by spring.", "indirect", "to rebuild the north pier"),
    ("Quist and Lind criticized the levy. Both have promised to repeal it by spring.", "indirect",
     "to repeal it by spring"),
    # a clause that opens with its own adverbial is still what was said, before the cue or after it
    ('Since that ruling, Wellmouth and Norvale have engaged in "consistent activity that has hurt fishermen," '
     "the lawsuit says.", "mixed", "Since that ruling"),
    ("Quist said because the levy is unpopular, “the board will drop it before the vote.”", "mixed",
     "the board will drop it before the vote"),
    # a negated act on a thing named is still a position; asking about a topic names the topic
    ("The harbour master did not deny the report.", "stance", "the report"),
    ("Reporters asked the harbour master about the closure of the north pier.", "stance",
     "the closure of the north pier"),
    # a frame after its content, without a colon between
    ("The north pier is unsafe, according to the harbour master.", "indirect", "The north pier is unsafe"),
    # a speaker who is right to note something, not an editor's note
    ("At times, Okafor underplays the council's record. But he is correct to note that the levy was an effort to "
     "please the ferry owners.", "indirect", "the levy was an effort to please the ferry owners"),
    # what was said in an interview with a programme named in quotation marks
    ("In an interview with WKRN’s “The Hour with Ola Rask,” Quist said the quota was unfair.", "indirect",
     "the quota was unfair"),
])
def test_attributions_stay(text: str, kind: str, content: str) -> None:
    assert any(found_kind == kind and content in found_content for found_kind, found_content, _ in found(text))


@pytest.mark.parametrize(("text", "left_out"), [
    # an open question after a verb of finding or showing: nobody found or showed it to be so
    ("Wellmouth voters will help determine who runs the harbour board next year.", "who runs the harbour board"),
    ("The Wellmouth vote will show whether the levy can survive another winter.", "the levy can survive"),
    # the writer's own voice: too soon to say, or the reader told what to do
    ("It is too soon to say whether the new quota will protect the estuary.", "the new quota will protect"),
    ("Ask yourself: which councillor will stand up for the fishermen of Wellmouth?", "which councillor"),
    # a possibility or advice, not a thought anyone holds
    ("But ferry investors may want to think twice about the Norvale merger.", "think twice"),
    ("Some fishermen might consider the levy a fair price for a dredged channel.", "the levy"),
    # a passive, or a clause of its own after "so", frames nothing before it
    ("Nobody on the council opposed the nominee — she was confirmed 9 to 0.", "Nobody on the council"),
    ("Order soon returned to the hall: no allegiances would be disclosed.", "Order soon returned"),
    ("Comedian Sven Okafor wanted to know, so he dubbed himself over footage of the mayor.", "wanted to know"),
    # a clause of when, which the parse may hang on the cue
    ('"The levy is unfair," he said as some wearing Norvale shirts booed.', "booed"),
    # a participle with an object of its own: what the sentence's subject then did is not its content
    ("Recalling the storms of 2012, the harbour board began dredging much earlier.", "the harbour board began"),
    # a thing "promises to be", with no one to promise it
    ("The Wellmouth debate promised to be a crucial moment for the ferry union.", "a crucial moment"),
    # a name given by no one named
    ("Researchers study what is often called “the estuary effect” in Wellmouth.", "the estuary effect"),
    ("Locals still visit a small pub called “the last anchor in town” every night.", "the last anchor"),
    # the writer's own voice
    ("It should be noted that two of the harbour board's members own ferry shares.", "two of the harbour board"),
    ("All told, up to 5,000 fishermen could lose their licences.", "up to 5,000 fishermen"),
    ("That said, most fishermen say they back the new quota.", "most fishermen say"),
    ("This story has been updated to note that Quist posted the levy plan on her website.", "Quist posted"),
    # a stance verb's object that names no position: finding out about someone, a handle, a relative
    # word whose antecedent is elsewhere, a pointer to what follows, a time, an appointment
    ("The more Wellmouth voters learn about Mara Quist, the more they like her.", "Mara Quist"),
    ("Sven Okafor is an economist. He tweets @sokafor.", "@sokafor"),
    ("Quist holds a wide lead, which her campaign refers to as a firewall.", "which"),
    ("The harbour board's spokesman tried again, tweeting the following:", "the following"),
    ("Other ports, like Norvale, have voted Labour for decades at the county level.", "decades"),
    ("By contrast, the council had confirmed 12 harbour judges by this point.", "harbour judges"),
    # a question, not a preference anyone stated
    ("Would the councillors prefer a harbour master who is expected to be cautious?", "a harbour master"),
    # whose words are relayed is no position taken
    ("The news agency, citing an anonymous harbour official, reported that the talks had stalled.",
     "an anonymous harbour official"),
    # "denied him a victory": kept from him, not denied as untrue
    ("Two rival councillors joined forces, and Quist was denying him a majority on the harbour board.",
     "a majority on the harbour board"),
    # whom something was asked or told, not a position on them
    ("Reporters asked the harbour master if he had been preparing for the storm.", "the harbour master"),
    ("On Thursday, Quist expanded upon her calls for a levy, warning fishermen on the radio and in interviews "
     "that the quota could easily ruin them.", "fishermen"),
    # a negated act on something indefinite takes no position on anything
    ("The fishermen's union did not endorse a candidate this year.", "a candidate"),
    # the writer's idioms
    ("There's no denying the harbour board has had quite a year.", "the harbour board has had"),
    ("Only time will tell if the new quota will protect the estuary.", "the new quota will protect"),
    ("Given the vote, it’s safe to say the levy is dead.", "the levy is dead"),
    # the sentence a subordinate cue's clause opens is not what was announced
    ("Yet, over 365 days since the fisherman and harbour pilot announced his candidacy for mayor, here we are.",
     "here we are"),
    # open questions after verbs of learning, and finding oneself somewhere
    ("Voters warmed to Quist once they learned who she was.", "who she was"),
    ("Reporters must open each message to find out who sent it.", "who sent it"),
    ("Much like Brandt found himself defending the levy last year, Quist is now on the back foot.",
     "himself defending"),
    # titles and names in quotation marks
    ("In her autobiography, “A Life at Sea,” published in 2015, Quist described how she learned to sail.",
     "A Life at Sea"),
    ("Brandt wrote under the pseudonym “Captain Gull,” but it fooled no one.", "Captain Gull"),
    # a colon opens the frame's own sentence: what comes before it is the writer's
    ("The wage deal came together quickly, under duress: A pending ballot initiative threatened to raise the "
     "wage more swiftly if politicians didn't act.", "The wage deal came together"),
    ("Her ability to offend the fishermen has remained consistent. And it hasn’t gone unnoticed: According to "
     "recent polls, Quist holds only 14 percent of the harbour vote.", "it hasn’t gone unnoticed"),
    # a noun the parse reads as a cue verb, and its relative clause as what was said
    ("That’s the lesson from freshly filed Norvale Harbour Commission reports that track ferry spending before "
     "the vote.", "track ferry spending"),
])
def test_look_alikes_left_out(text: str, left_out: str) -> None:
    assert not any(left_out in content for _, content, _ in found(text))


def test_a_title_in_quotation_marks_is_no_quotation() -> None:
    """A programme's name after "CNN's", a film's after "starred in": no one's words, neither
    framed by the cue whose subject they describe nor as a quotation of their own."""
    text = ("Friday on WKRN’s “Bay Talk,” councillor Mara Quist told host Ivo Brandt that the dredging plan was wrong. "
            "Sven Okafor, who starred in “Harbour Lights” and “Guardians of the Estuary,” posted the clip on Thursday. "
            "Ola Rask, the fisherman known as “Skipper,” stated that the quota would ruin the fleet.")
    contents = [content for _, content, _ in found(text)]
    assert not any(title in content for content in contents for title in ("Bay Talk", "Guardians of the Estuary", "Skipper"))
    assert any("the dredging plan was wrong" in content for content in contents)
    assert any("the quota would ruin the fleet" in content for content in contents)


def test_a_clause_read_in_a_programme_s_name_is_no_content() -> None:
    text = "“Being a harbour pilot, that’s my job,” Brandt said in May on the podcast “Here’s the Thing.”"
    assert found(text) == [("direct", "Being a harbour pilot, that’s my job", "Brandt")]


def test_a_title_opening_a_sentence_with_no_frame_is_no_quotation() -> None:
    text = ("“Harbour Lights,” a TV series that first aired in 1989, will be revived by Norvale. "
            "Mara Quist spoke first. “We Will Not Give Up,” she shouted.")
    assert [(kind, content) for kind, content, _ in found(text)] == [("direct", "We Will Not Give Up")]


def test_a_slogan_or_one_word_name_in_marks_with_no_frame_is_no_quotation() -> None:
    text = ("Mara Quist spoke at the pier. A man in the crowd wore a shirt with her slogan, “Keep Norvale Working.” "
            "The actor, who stars in the series “Tidewater,” and the film “Harbour Lights,” returns this week. "
            "Ivo Brandt waved. “Thank you.”")
    contents = [content for _, content, _ in found(text)]
    assert not any(name in content for content in contents for name in ("Keep Norvale Working", "Tidewater"))
    assert "Thank you." in contents


def test_an_event_or_the_writer_s_own_look_says_nothing() -> None:
    text = ("A close look at the harbour accounts suggests that the ferry lost money for years. "
            "Quist's victory in the port vote confirmed the strength of her fishing base. "
            "A review by the harbour auditor found that the ferry lost money for years.")
    for rules_only in (True, False):
        contents = [content for _, content, _ in found(text, rules_only=rules_only)]
        assert not any("strength of her fishing base" in content for content in contents)
        assert sum("the ferry lost money for years" in content for content in contents) == 1


def test_quoted_words_inside_a_hypothetical_are_the_outer_speaker_s() -> None:
    """"would advise", "would find": nobody has advised or found anything; the quoted words are
    what the outer cue reports, one attribution, not two."""
    for text in ("Quist said she would advise the mayor on dealing with the “strategic threats that face the "
                 "harbour every winter.”",
                 "Quist said a lot of voters in her ward would find it “very hard to look past” the levy."):
        assert [(kind, speaker) for kind, _, speaker in found(text)] == [("mixed", "Quist")]


def test_asking_for_anonymity_is_sourcing_not_an_attribution() -> None:
    assert found("“The pier is finished,” said a harbour official, who declined to be identified.") == [
        ("direct", "The pier is finished", "harbour official")]
    assert [kind for kind, _, _ in found("Another fisherman, who did not want to be named, said the quota was unfair.")] == [
        "indirect"]
    assert ("belief", "to be named chair of the harbour board", "Quist") in found(
        "Quist wants to be named chair of the harbour board.")


def test_a_source_cited_is_no_stance_in_the_default_tier() -> None:
    """The tagger proposes "citing [an anonymous source]" as a stance too (kinds.is_nominal)."""
    text = "The news agency, citing an anonymous harbour source, reported that the ferry talks had stalled."
    assert found(text, rules_only=False) == [("indirect", "the ferry talks had stalled", "news agency")]


def test_speech_that_did_not_happen_is_only_part_of_what_was_said() -> None:
    contents = [content for _, content, _ in found("Quist would have said the levy was unfair, her aide said.")]
    assert contents == ["Quist would have said the levy was unfair"]


def test_a_fragment_inside_the_cue_s_content_keeps_its_cue() -> None:
    kinds = [(kind, speaker) for kind, content, speaker in found(
        "Harbour master Ivo Brandt said the closure was “a disgrace to the town” and would be reversed.")]
    assert kinds == [("mixed", "Ivo Brandt")]


def test_refusals_are_negated_in_their_own_clause() -> None:
    """A "not" in the quoted answer does not make "responded" a refusal; a passive with no one
    named withholds nothing anyone can be held to."""
    answer = found("“Absolutely not,” Mayor Tova Lind responded when asked about the levy.")
    assert [kind for kind, _, _ in answer] == ["direct"]
    assert not any(kind == "no_comment" for kind, _, _ in found(
        "Details have not been disclosed, but the deal covers 300 ferry workers in Wellmouth."))
    assert ("no_comment", "a request for comment", "Tova Lind") in found(
        "Mayor Tova Lind did not immediately respond to a request for comment.")


def test_a_relative_word_is_no_position_taken() -> None:
    """"who was backed by the union": the relative word names no position; the passive's agent
    took one on the noun it stands for, which the sentence names elsewhere."""
    text = "Brandt defeated Mara Quist, who was backed by the fishermen's union, in the harbour vote."
    assert not any(content in ("who", "which") for _, content, _ in found(text))
    assert not any(content in ("who", "which") for _, content, _ in found(text, rules_only=False))


def test_the_tagger_s_look_alikes_are_left_out_too() -> None:
    """The default tier's tagger proposes the same look-alikes: whom a question was put to, a
    negated act on something indefinite, a work's title."""
    for text, left_out in (
            ("The Norvale Post asked the Democratic harbour board contender if he had been preparing himself "
             "for the storm.", "contender"),
            ("The fishermen's union did not endorse a candidate this year.", "a candidate"),
            ("Doubters can read a Norvale Post article titled “Quist Wins Where Ferries Run Late.”", "Quist Wins")):
        assert not any(left_out in content for _, content, _ in found(text, rules_only=False)), text


def test_what_hangs_on_the_writer_s_own_words_is_no_one_s() -> None:
    """Neither the tagger's clause under "only time will tell" nor an act the writer guesses at
    ("it's safe to say she's referring to X") is an attribution."""
    text = ("The harbour board lost another vote, according to the Norvale Post. Only time will tell if the new "
            "quota will survive the winter. Given her past comments, it’s safe to say she’s referring to the "
            "closure of the north pier.")
    for rules_only in (True, False):
        contents = [content for _, content, _ in found(text, rules_only=rules_only)]
        assert not any("the new quota will survive" in content or "the north pier" in content for content in contents)
        assert any("The harbour board lost another vote" in content for content in contents)


def test_the_speaker_s_next_act_is_no_position() -> None:
    """The tagger may take the participle after a cue ("asked, turning the question into ...")
    for a stance's content: it is what the speaker did next."""
    text = "“The bad ones, the smugglers?” Quist asked, turning the question into an audience participation game."
    assert [(kind, speaker) for kind, _, speaker in found(text, rules_only=False)] == [("direct", "Quist")]


@pytest.mark.parametrize(("other_sense", "look_alike", "kind", "content"), [
    ("The two ferry operators called off a $40 million merger after the harbour board issued new rules.",
     "The fishermen's union called for a full inquiry into the merger.", "stance", "a full inquiry into the merger"),
    ("In 2010 the Norvale Yacht Club charged a $90,000 initiation fee, most of it refundable.",
     "The harbour master charged that the yacht club had hidden its accounts.", "indirect",
     "the yacht club had hidden its accounts"),
    ("Mr. Brandt assumed his post in November, two months after the harbour vote.",
     "Mr. Brandt assumed his rival would drop out before the harbour vote.", "belief",
     "his rival would drop out before the harbour vote"),
    ("A Norvale judge denied bail to the skipper charged in the harbour fire.",
     "The skipper denied the charges on Tuesday.", "stance", "the charges"),
])
def test_a_cue_verb_in_a_sense_that_says_nothing(other_sense: str, look_alike: str, kind: str, content: str) -> None:
    """"called off a merger", "charged a fee", "assumed his post" (lexicon [senses]): no act of
    saying or thinking, neither in the rules nor in the tagger; the same verbs framing a position,
    a clause or a thought stay."""
    for rules_only in (True, False):
        assert found(other_sense, rules_only=rules_only) == []
        kept = [(found_kind, text) for found_kind, text, _ in found(look_alike, rules_only=rules_only)]
        assert (kind, content) in kept


def test_a_headline_s_label_verb_is_no_one_s_saying() -> None:
    """"Revealed: Here Are ..." opens a headline with a label; "The mayor revealed: ..." is hers."""
    assert found("Revealed: Here Are The Senators The Party Has Quietly Dropped For Saying THIS.") == []
    assert found("The harbour master revealed: the north pier will reopen in May.") == [
        ("indirect", "the north pier will reopen in May", "harbour master")]
