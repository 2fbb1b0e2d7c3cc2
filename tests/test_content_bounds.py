"""Where a reported content starts and ends (attribute/indirect.py, attribute/merge.py), on
sentences written for these tests: the annotators' whole clause, not the parser's cut."""
import pytest

from helpers import quote_with, texts


@pytest.mark.parametrize("sentence,content", [
    # a verb the parser joins to the cue, in the content's tense (a modal), continues the content
    ("Several councillors said they had misgivings about the mayor, but could not bear to insult the governor.",
     "they had misgivings about the mayor, but could not bear to insult the governor"),
    # a second that-clause of the same cue
    ("The harbour master said the pier needs new pilings and a wider ramp, but that he would not support "
     "closing it for the summer.",
     "the pier needs new pilings and a wider ramp, but that he would not support closing it for the summer"),
    # a bare verb joined to the content's own is part of it, not a second act of the speaker's
    ("Some party elders said the senator still has time to step up and show that she is worthy of their support.",
     "the senator still has time to step up and show that she is worthy of their support"),
    # "according to" reports every clause joined to the one it hangs on
    ("The charity fed 3,000 families last year, and it has trained 400 volunteers, according to its annual report.",
     "The charity fed 3,000 families last year, and it has trained 400 volunteers"),
    # words before an interrupting frame with no subject of the content are the writer's link
    ("And yet, the minister's aides say, the bridge remains a priority for her.",
     "the bridge remains a priority for her"),
    # a particle cue governs its clause as any verb of saying
    ("Councillor Rhys Moran fired back that the plan was a disgrace to the town.",
     "the plan was a disgrace to the town"),
])
def test_the_whole_reported_clause(extract, sentence, content):
    for rules_only in (True, False):  # the rules' clause, and what the merge keeps of it
        quote = quote_with(extract(sentence, rules_only=rules_only), content.split(",")[0])
        assert quote.text == content
        assert quote.kind == "indirect"


@pytest.mark.parametrize("sentence,content,act", [
    ("The senator announced that he was undergoing therapy and vowed to focus on being a better father.",
     "he was undergoing therapy", "to focus on being a better father"),
    ("Mayor Ines Ward said that the budget was balanced and vowed to cut the bus fares.",
     "the budget was balanced", "to cut the bus fares"),
])
def test_the_speakers_next_act_is_not_what_was_said(extract, sentence, content, act):
    article = extract(sentence, rules_only=True)
    assert content in texts(article)
    assert quote_with(article, act).text == act  # an attribution of its own


def test_the_speakers_own_act_after_the_cue_is_left_out(extract):
    # "walked out" is in the cue's tense, with no modal: what she did, not what she said
    article = extract("The harbour master said the pier was unsafe, and walked out of the meeting before the vote.",
                      rules_only=True)
    assert quote_with(article, "pier").text == "the pier was unsafe"


def test_quoted_words_carry_the_clause_past_the_sentence_they_open(extract):
    text = ("Analyst Omar Reyes said he believes “there may be a few officers who are beating their chests. "
            "But those who are involved are confident the plan is sound.”")
    quote = quote_with(extract(text), "beating their chests")
    assert quote.kind == "mixed"
    assert quote.text.startswith("he believes “there may be")
    assert quote.text.endswith("the plan is sound.")


@pytest.mark.parametrize("sentence,outer,inner", [
    # a speaker's words in a relative clause inside what another speaker reports
    ("Pastor Ines Varga said the valley had lost a voice that said “kindness is stronger than fear.”",
     ("the valley had lost a voice that said", "Ines Varga"), ("kindness is stronger than fear", "voice")),
    ("Senator Olu Bakare said at a rally that the port had lost a manager who always said the dredging "
     "would pay for itself.",
     ("the port had lost a manager who always said the dredging would pay for itself", "Olu Bakare"),
     ("the dredging would pay for itself", "manager")),
])
def test_an_attribution_nested_in_another_keeps_both(extract, sentence, outer, inner):
    """The outer attribution's content is the whole clause, the inner one's frame included."""
    article = extract(sentence)
    by_text = {quote.text.strip("“”. "): quote for quote in article.quotes}
    outer_quote = next(quote for text, quote in by_text.items() if text.startswith(outer[0]))
    inner_quote = by_text[inner[0]]
    assert outer[1] in outer_quote.speaker.name
    assert inner[1] in inner_quote.speaker.name


@pytest.mark.parametrize("sentence,fragment,content", [
    # a naming cue's content runs from what it names through the name (docs/output.md)
    ("Mayor Ines Dobbs called the ferry plan “a costly folly” at a meeting on Tuesday.",
     "costly folly", "the ferry plan “a costly folly”"),
    ("Several fishermen described the new harbour fees as “a tax on honest work.”",
     "honest work", "the new harbour fees as “a tax on honest work.”"),
    # "as" names what the cue's object is called wherever the parse hangs it, whatever the cue
    ("Mayor Ines Ward has repeatedly pointed to the ferry case as the epitome of the “rigged system.”",
     "rigged system", "the ferry case as the epitome of the “rigged system.”"),
    ("Governor Lea Brown described the board during an interview as “a remnant of another period.”",
     "remnant", "the board during an interview as “a remnant of another period.”"),
    # quoted fragments of one cue in one run are one attribution spanning them
    ("The bishop praised a “tragic protest against hunger” and a “fiery stand for peace.”",
     "tragic protest", "a “tragic protest against hunger” and a “fiery stand for peace.”"),
    # a fragment inside the cue's clause is that clause's content
    ("Councillor Rhys Moran said that skipping the audit made the treasurer “clever.”",
     "clever", "skipping the audit made the treasurer “clever.”"),
])
def test_a_mixed_quotation_is_its_whole_content(extract, sentence, fragment, content):
    for rules_only in (True, False):
        article = extract(sentence, rules_only=rules_only)
        holding = [quote for quote in article.quotes if fragment in quote.text]
        assert len(holding) == 1, texts(article)
        assert holding[0].text.rstrip(".”") == content.rstrip(".”")
        assert holding[0].kind == "mixed"


@pytest.mark.parametrize("text,content,speaker", [
    ("“You squeezed the tenants to the breaking point” to drive up the rents and your bonus, Councillor Ines "
     "Ward said at the hearing.",
     "“You squeezed the tenants to the breaking point” to drive up the rents and your bonus", "Ines Ward"),
    ("\"Many would consider that a defeat for the mayor\" if she won by fewer than ten votes, said Dana Ruiz, "
     "an analyst at the Harbour Institute.",
     "\"Many would consider that a defeat for the mayor\" if she won by fewer than ten votes", "Dana Ruiz"),
])
def test_quoted_words_opening_the_reported_clause_are_part_of_it(extract, text, content, speaker):
    for rules_only in (True, False):
        quote = quote_with(extract(text, rules_only=rules_only), "breaking point" if "breaking" in text else "defeat")
        assert (quote.text, quote.kind) == (content, "mixed")
        assert speaker in quote.speaker.name


@pytest.mark.parametrize("text,words", [
    ("“We will rebuild the pier before the summer,” Mayor Ines Ward said on Tuesday.",
     "We will rebuild the pier before the summer"),
    # the sentence around an interrupting frame is no clause the quote opens
    ("«Nous reconstruirons la jetée», Mayor Ines Ward added, which translates as: we will rebuild the pier.",
     "Nous reconstruirons la jetée"),
    # words after a quote handed over with a comma are the writer's
    ("“I have said many times that closing the depot was a mistake,” but in fact Mayor Ines Ward closed two.",
     "I have said many times that closing the depot was a mistake"),
])
def test_a_direct_quote_stays_the_words_inside_the_marks(extract, text, words):
    quote = quote_with(extract(text), words[:20])
    assert (quote.text, quote.kind) == (words, "direct")


@pytest.mark.parametrize("text,fragment,content", [
    ("Councillor Rhys Moran told a town hall in Ashford on Monday that the new levy is “peanuts,” compared to "
     "what the harbour board is charging.",
     "peanuts", "the new levy is “peanuts,” compared to what the harbour board is charging"),
    ("Several outlets reported on Wednesday the harbour board had “more than one conversation” with the mayor "
     "or her staff about the levy.",
     "more than one conversation",
     "the harbour board had “more than one conversation” with the mayor or her staff about the levy"),
])
def test_a_fragment_takes_the_taggers_clause_around_it(extract, text, fragment, content):
    quote = quote_with(extract(text, rules_only=False), fragment)
    assert (quote.text, quote.kind) == (content, "mixed")

