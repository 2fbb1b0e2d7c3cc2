"""The learned attribution tagger: PolNeAR conversion, the training path (a
two-step run on tiny self-written brat articles), the rules+model merge and
the hybrid pipeline with the shipped model."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

import quotetrail
from helpers import tagged_span
from quotetrail.attribute.learned import is_speech_cue, model_attributions
from quotetrail.attribute.merge import merge
from quotetrail.model import Attribution, Cue
from quotetrail.nlp import ModelMissingError, load_attribution_model, load_nlp
from quotetrail.settings import ATTRIBUTION_MODEL_ENV, RULES_ONLY_ENV
from quotetrail.train import calibrate_on, train
from quotetrail.train.polnear import labelled_pieces, paragraph_docs

# (text, [(role, words)]): each role's words are found in order in the text.
ARTICLES = [
    ("Harbour pay talks stall\n\nUnion leader Mara Quist said that the offer was an insult to dockers.\n\n"
     "The port authority expressed alarm that the strike could spread to Wellmouth.",
     [("Source", "Union leader Mara Quist"), ("Cue", "said"), ("Content", "that the offer was an insult to dockers"),
      ("Source", "The port authority"), ("Cue", "expressed alarm"),
      ("Content", "that the strike could spread to Wellmouth")]),
    ("Library plan divides council\n\nCouncillor Ben Oduya argued the new library would cost too much.\n\n"
     "“We cannot afford it,” he told reporters.",
     [("Source", "Councillor Ben Oduya"), ("Cue", "argued"), ("Content", "the new library would cost too much"),
      ("Content", "“We cannot afford it,”"), ("Source", "he"), ("Cue", "told")]),
]


def brat(text: str, roles: list[tuple[str, str]]) -> str:
    lines, after = [], 0
    for number, (role, words) in enumerate(roles, 1):
        start = text.index(words, after)
        after = start + len(words)
        lines.append(f"T{number}\t{role} {start} {after}\t{words}")
    return "\n".join(lines) + "\n"


def write_polnear(root: Path) -> Path:
    for split in ("train", "dev"):
        for folder in ("text", "attributions"):
            (root / split / folder).mkdir(parents=True)
        for number, (text, roles) in enumerate(ARTICLES):
            (root / split / "text" / f"story{number}.txt").write_text(text, encoding="utf-8")
            (root / split / "attributions" / f"story{number}_annotator1.ann").write_text(brat(text, roles),
                                                                                       encoding="utf-8")
    return root


def test_conversion_makes_one_doc_per_paragraph_with_role_entities():
    text, roles = ARTICLES[0]
    docs = list(paragraph_docs(text, labelled_pieces(brat(text, roles)), spacy.blank("en").tokenizer))
    assert [doc.text for doc in docs] == [line for line in text.split("\n") if line]
    assert [(ent.label_, ent.text) for ent in docs[1].ents] == [
        ("SOURCE", "Union leader Mara Quist"), ("CUE", "said"), ("CONTENT", "that the offer was an insult to dockers")]
    assert [ent.label_ for ent in docs[2].ents] == ["SOURCE", "CUE", "CONTENT"]


def test_conversion_cuts_spans_at_line_breaks_and_keeps_the_longest_of_overlapping_ones():
    text = "Ada Marr said the plan\nwould fail, Ada Marr added."
    pieces = [("CONTENT", 14, 33), ("SOURCE", 0, 8), ("SOURCE", 0, 3)]
    docs = list(paragraph_docs(text, pieces, spacy.blank("en").tokenizer))
    assert [(ent.label_, ent.text) for ent in docs[0].ents] == [("SOURCE", "Ada Marr"), ("CONTENT", "the plan")]
    assert [(ent.label_, ent.text) for ent in docs[1].ents] == [("CONTENT", "would fail")]


def test_training_path_runs_end_to_end_on_tiny_data(tmp_path):
    polnear = write_polnear(tmp_path / "polnear")
    model = train(polnear, tmp_path / "model", tmp_path / "work", max_steps=2, eval_frequency=1)
    tagger = spacy.load(model)
    assert set(tagger.get_pipe("ner").labels) == {"SOURCE", "CUE", "CONTENT"}
    table = calibrate_on(polnear / "dev", model)
    meta = json.loads((model / "meta.json").read_text(encoding="utf-8"))
    assert meta["quotetrail_calibration"] == table
    assert all(0 <= bucket["precision"] <= 1 for bucket in table.values())


def attribution(start, end, kind="indirect", method="rules", **extra):
    return Attribution(kind=kind, start=start, end=end, paragraph=0, method=method, **extra)


def test_merge_keeps_rule_attributions_and_adds_what_only_the_model_found():
    text = " " * 200
    direct = attribution(10, 30, kind="direct", cue_token=3)
    indirect = attribution(50, 70, cue_token=9, subject_token=8)
    rule_alone = attribution(150, 170)
    model = [attribution(8, 31, method="model"), attribution(45, 80, method="model", subject_token=1),
             attribution(100, 120, method="model")]
    merged = merge(text, [direct, indirect, rule_alone], model)
    assert [(found.start, found.end, found.method) for found in merged] == [
        (10, 30, "both"), (45, 80, "both"), (100, 120, "model"), (150, 170, "rules")]
    assert merged[1].subject_token == 8 and merged[1].cue_token == 9


def test_merge_gives_an_indirect_quote_the_model_span_but_keeps_its_frame():
    text = "Pell Ortsen told the board that the ferry, “a relic,” would be sold by spring, an aide said."
    clause = text.index("the ferry")
    rule = attribution(clause, text.index(", an aide"), cue_token=1, subject_token=0)
    rule.cue = Cue("told", "tell", 5, 9)
    # The model's span starts at "that" and holds the quoted words: a mixed quote.
    tagged = attribution(text.index("that the"), text.index(", an aide"), method="model", subject_token=5)
    merged = merge(text, [rule], [tagged])
    assert [(found.start, found.end, found.kind, found.method) for found in merged] == [
        (tagged.start, tagged.end, "mixed", "both")]
    assert merged[0].subject_token == 0 and merged[0].cue.text == "told"


def test_merge_keeps_the_clause_of_an_according_to_frame_that_a_model_phrase_lies_in():
    text = "An average of 81 percent of ferry users approve of the new timetable, according to Harbour Pollster."
    clause_end = text.index(", according")
    rule = attribution(0, clause_end, cue_token=14, subject_token=17)
    rule.cue = Cue("according to", "according to", clause_end + 2, clause_end + 14)
    phrase = attribution(text.index("the new timetable"), clause_end, method="model", subject_token=17)
    merged = merge(text, [rule], [phrase])
    assert [(found.start, found.end, found.method) for found in merged] == [(0, clause_end, "both")]
    # a clause the model cuts anywhere else still takes the model's span ("said [that ...]")
    said = attribution(20, clause_end, cue_token=3, subject_token=2)
    said.cue = Cue("said", "say", 10, 14)
    inner = attribution(text.index("the new timetable"), clause_end, method="model", subject_token=2)
    assert [(found.start, found.end) for found in merge(text, [said], [inner])] == [(inner.start, clause_end)]


def test_merge_keeps_the_rule_span_of_direct_quotes_and_of_clauses_the_model_splits():
    text = "x" * 120
    direct = attribution(10, 40, kind="direct")
    indirect = attribution(60, 110)
    model = [attribution(9, 41, method="model"), attribution(60, 80, method="model"),
             attribution(85, 110, method="model")]
    merged = merge(text, [direct, indirect], model)
    assert [(found.start, found.end, found.method) for found in merged] == [(10, 40, "both"), (60, 110, "both")]


def test_merge_gives_a_quoted_fragment_the_taggers_clause_around_it_but_not_only_its_marks():
    text = "Dobbs told the council that the ferry was “a costly folly,” compared to the bridge."
    fragment = attribution(text.index("a costly"), text.index(",”"), kind="mixed", cue_token=1, subject_token=0)
    fragment.cue = Cue("told", "tell", 6, 10)
    clause = attribution(text.index("the ferry"), text.index("."), method="model", subject_token=0)
    merged = merge(text, [fragment], [clause])
    assert [(found.start, found.end, found.kind, found.method) for found in merged] == [
        (clause.start, clause.end, "mixed", "both")]
    # a tagged span that adds only the marks leaves the fragment as the rules found it
    alone = attribution(text.index("a costly"), text.index(",”"), kind="mixed", cue_token=1, subject_token=0)
    marks = attribution(text.index("“a costly"), text.index(",”") + 2, method="model", subject_token=0)
    words = (alone.start, alone.end)
    assert [(found.start, found.end) for found in merge(text, [alone], [marks])] == [words]
    # nor the words called after "as", whose bounds the rules chose (docs/output.md)
    text = "Dobbs described the plan to sell the old ferry as “a costly folly” on Friday."
    called = attribution(text.index("a costly"), text.index("” on"), kind="mixed", cue_token=1, subject_token=0)
    named = attribution(text.index("the plan"), text.index(" on Friday"), method="model", subject_token=0)
    words = (called.start, called.end)
    assert [(found.start, found.end) for found in merge(text, [called], [named])] == [words]
    # nor the words after the cue's own preposition ("accused X of “…”")
    text = "The council accused the harbour board, its old ally, of “reckless neglect.”"
    charge = attribution(text.index("reckless"), text.index(".”") + 1, kind="mixed", cue_token=2, subject_token=1)
    charge.cue = Cue("accused", "accuse", 12, 19)
    accused = attribution(text.index("the harbour"), text.index("”") + 1, method="model", subject_token=1)
    words = (charge.start, charge.end)
    assert [(found.start, found.end) for found in merge(text, [charge], [accused])] == [words]


def test_merge_takes_the_taggers_whole_cue_and_source_but_not_a_span_holding_another_frame():
    text = "He added that the talks had failed, Quay Weekly reported on Friday."
    content = (text.index("the talks"), text.index(", Quay"))
    added = attribution(*content, cue_token=1, subject_token=0)
    added.cue = Cue("added", "add", 3, 8)
    relay = attribution(0, content[1], cue_token=9)
    relay.cue = Cue("reported", "report", text.index("reported"), text.index(" on Friday"))
    # One tagged content runs over both frames; its cue is the relay's, widened.
    tagged = attribution(content[0], len(text) - 1, method="model", source=(36, 47))
    tagged.cue = Cue("reported on Friday", "report", text.index("reported"), len(text) - 1)
    merged = merge(text, [relay, added], [tagged])
    assert [(found.start, found.end) for found in merged] == [(0, content[1]), content]
    assert merged[0].cue.text == "reported on Friday" and merged[0].cue.lemma == "report"
    assert merged[0].source == (36, 47) and merged[1].method == "rules"


def test_merge_gives_a_quote_without_a_frame_the_taggers_source_outside_it():
    text = "“The mill will close,” the foreman Ede Marsk told the crew. “Nobody here knew.”"
    inherited = attribution(1, 20, kind="direct", inherits_speaker=True)
    own = attribution(text.index("Nobody"), len(text) - 2, kind="direct", inherits_speaker=True)
    tagged = [attribution(0, 22, method="model", subject_token=7, source=(28, 48)),
              attribution(own.start - 1, len(text), method="model", subject_token=11,
                          source=(own.start, own.start + 6))]  # a "source" inside the quote itself
    merged = merge(text, [inherited, own], tagged)
    assert (merged[0].subject_token, merged[0].inherits_speaker) == (7, False)
    assert (merged[1].subject_token, merged[1].inherits_speaker) == (None, True)


@pytest.mark.parametrize("sentence,cue,speech", [
    ("Warden Osk Pellan said the gates would stay shut.", "said", True),
    ("Warden Osk Pellan expressed alarm that the gates would stay shut.", "expressed alarm", True),
    ("The gates will stay shut, according to Warden Osk Pellan.", "according to", True),
    ("Warden Osk Pellan saw that the gates would stay shut.", "saw", False),
    ("The report on the gates was titled “Shut”.", "was titled", False),
])
def test_only_cues_of_speech_make_a_model_quotation(sentence, cue, speech):
    doc = load_nlp()(sentence)
    start = sentence.index(cue)
    assert is_speech_cue(doc.char_span(start, start + len(cue))) is speech


@pytest.mark.parametrize("sentence,content,kind", [
    ("Councillor Rina Dobbs called the harbour plan “a costly folly” on Tuesday.",
     "the harbour plan “a costly folly”", "mixed"),
    ("Councillor Rina Dobbs said the harbour plan would fail.", "the harbour plan would fail", "indirect"),
    ("Councillor Rina Dobbs criticised the harbour plan on Tuesday.", "the harbour plan", "stance"),
    ("Councillor Rina Dobbs believes the harbour plan will fail.", "the harbour plan will fail", "belief"),
    ("Councillor Rina Dobbs declined to discuss the harbour plan.", "to discuss the harbour plan", "no_comment"),
])
def test_every_model_content_is_kept_and_labelled_by_kind(sentence, content, kind):
    doc = load_nlp()(sentence)
    cue = sentence.split()[3]
    spans = [tagged_span(doc, "SOURCE", "Councillor Rina Dobbs"), tagged_span(doc, "CUE", cue),
             tagged_span(doc, "CONTENT", content)]
    found = [(sentence[found.start:found.end], found.kind) for found in model_attributions(doc, sentence, spans)]
    assert found == [(content, kind)]


@pytest.mark.parametrize("cue", ["disavowed", "rebutted", "belittled", "trumpeted"])
def test_a_tagged_noun_phrase_after_a_speech_act_of_judging_is_a_stance(cue):
    sentence = f"Councillor Rina Dobbs {cue} the harbour plan on Tuesday."
    doc = load_nlp()(sentence)
    spans = [tagged_span(doc, "SOURCE", "Councillor Rina Dobbs"), tagged_span(doc, "CUE", cue),
             tagged_span(doc, "CONTENT", "the harbour plan")]
    found = [(sentence[found.start:found.end], found.kind) for found in model_attributions(doc, sentence, spans)]
    assert found == [("the harbour plan", "stance")]


@pytest.mark.parametrize("cue,stance", [
    ("laid out", True), ("singled out", True), ("was critical of", True), ("favored", True),
    ("laid off", False), ("was fond of", False),
])
def test_a_stance_verb_with_its_particle_or_a_stance_adjective_takes_a_position(cue, stance):
    sentence = f"Councillor Rina Dobbs {cue} the harbour staff on Tuesday."
    doc = load_nlp()(sentence)
    spans = [tagged_span(doc, "SOURCE", "Councillor Rina Dobbs"), tagged_span(doc, "CUE", cue),
             tagged_span(doc, "CONTENT", "the harbour staff")]
    found = [(sentence[found.start:found.end], found.kind) for found in model_attributions(doc, sentence, spans)]
    assert found == ([("the harbour staff", "stance")] if stance else [])


def test_a_tagged_stance_holds_the_that_clause_of_its_noun():
    sentence = "Councillor Rina Dobbs rejected the notion that the harbour plan had failed, aides said."
    doc = load_nlp()(sentence)
    spans = [tagged_span(doc, "SOURCE", "Councillor Rina Dobbs"), tagged_span(doc, "CUE", "rejected"),
             tagged_span(doc, "CONTENT", "the notion")]
    found = [(sentence[found.start:found.end], found.kind) for found in model_attributions(doc, sentence, spans)]
    assert found == [("the notion that the harbour plan had failed", "stance")]


@pytest.mark.parametrize("headline,source,cue,content,kind", [
    ("Harbour Chief Osk Pellan Defends Pier Levy", "Harbour Chief Osk Pellan", "Defends", "Pier Levy", "stance"),
    ("Harbour Chief Osk Pellan Hears About Pier Levy", "Harbour Chief Osk Pellan", "Hears About", "Pier Levy", None),
])
def test_a_headlines_verb_read_as_a_name_is_the_verb_it_inflects(headline, source, cue, content, kind):
    doc = load_nlp()(headline)
    spans = [tagged_span(doc, "SOURCE", source), tagged_span(doc, "CUE", cue), tagged_span(doc, "CONTENT", content)]
    found = [(headline[found.start:found.end], found.kind) for found in model_attributions(doc, headline, spans)]
    assert found == ([(content, kind)] if kind else [])


@pytest.mark.parametrize("sentence,source,content", [
    ("Councillor Rina Dobbs saw that the harbour plan would fail.", "Councillor Rina Dobbs",
     "that the harbour plan would fail"),
    # the verb's own object: unlike a stance verb's (below), a perception's stays out
    ("Admiral Lena Voss saw how her crews were ready for the storm season.", "Admiral Lena Voss",
     "how her crews were ready for the storm season"),
])
def test_a_model_content_cued_by_a_perception_is_nobodys_words(sentence, source, content):
    doc = load_nlp()(sentence)
    spans = [tagged_span(doc, "SOURCE", source), tagged_span(doc, "CUE", "saw"), tagged_span(doc, "CONTENT", content)]
    assert model_attributions(doc, sentence, spans) == []


@pytest.mark.parametrize("sentence,cue,content", [
    ("Councillor Rina Dobbs was adamant that the harbour plan would fail.", "was adamant",
     "that the harbour plan would fail"),
    ("Councillor Rina Dobbs implied that the harbour board had misled voters.", "implied",
     "that the harbour board had misled voters"),
    ("Councillor Rina Dobbs was adamant she would not resign.", "was adamant", "she would not resign"),
])
def test_a_tagged_clause_with_a_source_is_a_quotation_whatever_its_cue(sentence, cue, content):
    doc = load_nlp()(sentence)
    spans = [tagged_span(doc, "SOURCE", "Councillor Rina Dobbs"), tagged_span(doc, "CUE", cue),
             tagged_span(doc, "CONTENT", content)]
    found = [(sentence[found.start:found.end], found.kind) for found in model_attributions(doc, sentence, spans)]
    assert found == [(content.removeprefix("that "), "indirect")]


def test_quoted_words_in_a_tagged_position_are_the_sources_words():
    sentence = "Councillor Rina Dobbs bemoaned a harbour plan that is “a gift to the developers” on Tuesday."
    doc = load_nlp()(sentence)
    content = "a harbour plan that is “a gift to the developers”"
    spans = [tagged_span(doc, "SOURCE", "Councillor Rina Dobbs"), tagged_span(doc, "CUE", "bemoaned"),
             tagged_span(doc, "CONTENT", content)]
    found = [(sentence[found.start:found.end], found.kind) for found in model_attributions(doc, sentence, spans)]
    assert found == [(content, "mixed")]
    assert model_attributions(doc, sentence, spans[1:]) == []  # no source tagged: nobody's words


@pytest.mark.parametrize("content", ["the so-called “harbour reform”", "the “reform” of the harbour"])
def test_scare_quotes_in_a_tagged_position_are_nobodys_words(content):
    sentence = f"Councillor Rina Dobbs bemoaned {content} on Tuesday."
    doc = load_nlp()(sentence)
    spans = [tagged_span(doc, "SOURCE", "Councillor Rina Dobbs"), tagged_span(doc, "CUE", "bemoaned"),
             tagged_span(doc, "CONTENT", content)]
    assert model_attributions(doc, sentence, spans) == []


@pytest.mark.parametrize("sentence,cue,content,source", [
    ("Councillor Rina Dobbs discovered that the harbour plan had been shelved.", "discovered",
     "that the harbour plan had been shelved", "Councillor Rina Dobbs"),
    ("Councillor Rina Dobbs was persuaded that the harbour plan would fail.", "was persuaded",
     "that the harbour plan would fail", "Councillor Rina Dobbs"),
    ("Councillor Rina Dobbs was adamant that the harbour plan would fail.", "was adamant",
     "that the harbour plan would fail", None),
    ("The new ferry app lets passengers choose their own cabins.", "lets", "passengers choose their own cabins",
     "The new ferry app"),
    ("The harbour film explores how the fishing fleets were broken up.", "explores",
     "how the fishing fleets were broken up", "The harbour film"),
])
def test_a_tagged_clause_found_recalled_told_or_unsourced_is_left_out(sentence, cue, content, source):
    doc = load_nlp()(sentence)
    spans = [tagged_span(doc, "CUE", cue), tagged_span(doc, "CONTENT", content)]
    if source is not None:
        spans.insert(0, tagged_span(doc, "SOURCE", source))
    assert model_attributions(doc, sentence, spans) == []


@pytest.mark.parametrize("text,content,kept", [
    ("The ferry will run all winter, Councillor Rina Dobbs said. The harbour board met on Tuesday.",
     "The harbour board met on Tuesday", False),
    ("Councillor Rina Dobbs said this: the harbour board will meet on Tuesday.",
     "the harbour board will meet on Tuesday", True),
])
def test_a_tagged_clause_takes_no_cue_from_another_sentence_but_one_ending_in_a_colon(text, content, kept):
    doc = load_nlp()(text)
    spans = [tagged_span(doc, "SOURCE", "Councillor Rina Dobbs"), tagged_span(doc, "CUE", "said"),
             tagged_span(doc, "CONTENT", content)]
    found = [text[found.start:found.end] for found in model_attributions(doc, text, spans)]
    assert found == ([content] if kept else [])


def test_hybrid_finds_indirect_speech_beyond_the_rules_lexicon():
    text = ("Shipyard closure shocks town\n\n"
            "Mayor Ilse Varga expressed alarm that hundreds of families would lose their income. "
            "“This is a dark day for Brenholt,” Varga said.\n")
    hybrid = quotetrail.extract(text)
    rules = quotetrail.extract(text, rules_only=True)
    assert {quote.method for quote in rules.quotes} == {"rules"}
    found = [quote for quote in hybrid.quotes if "hundreds of families" in quote.text]
    assert found and found[0].method in ("model", "both") and found[0].speaker.name == "Ilse Varga"
    assert found[0].speaker.mention == "Mayor Ilse Varga"  # the tagger's whole source span
    assert not any("hundreds of families" in quote.text for quote in rules.quotes)
    direct = next(quote for quote in hybrid.quotes if quote.kind == "direct")
    assert direct.text == "This is a dark day for Brenholt" and direct.speaker.name == "Ilse Varga"
    assert all(0 <= quote.confidence <= 1 for quote in hybrid.quotes)
    assert hybrid.to_dict()["quotes"][0]["method"] in ("rules", "model", "both")


def test_the_tagger_is_on_unless_rules_only_is_asked_for(monkeypatch):
    text = "Mayor Ilse Varga expressed alarm that hundreds of families would lose their income.\n"
    monkeypatch.delenv(RULES_ONLY_ENV, raising=False)
    found = [quote for quote in quotetrail.extract(text).quotes if "hundreds of families" in quote.text]
    assert found and found[0].method in ("model", "both")
    monkeypatch.setenv(RULES_ONLY_ENV, "1")
    assert not any("hundreds of families" in quote.text for quote in quotetrail.extract(text).quotes)
    found = [quote for quote in quotetrail.extract(text, rules_only=False).quotes if "hundreds of families" in quote.text]
    assert found and found[0].method in ("model", "both")


def test_missing_attribution_model_names_the_path(tmp_path, monkeypatch):
    monkeypatch.setenv(ATTRIBUTION_MODEL_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(ModelMissingError, match="nowhere"):
        load_attribution_model()


def test_a_tagged_source_in_another_sentence_gives_way_to_the_cues_own_subject():
    text = "Most harbour pilots insist the new rota is unsafe. The port authority has long backed it."
    doc = load_nlp()(text)
    spans = [tagged_span(doc, "CUE", "insist"), tagged_span(doc, "CONTENT", "the new rota is unsafe"),
             tagged_span(doc, "SOURCE", "The port authority")]
    found = model_attributions(doc, text, spans)
    assert [doc[found.subject_token].text for found in found] == ["pilots"]


@pytest.mark.parametrize("sentence,cue,content", [
    ("Admiral Lena Voss talked about how her crews must stay ready for the storm season.", "talked about",
     "how her crews must stay ready for the storm season"),
    ("Councillor Rina Dobbs supports “fairer harbour fees,” her office said.", "supports", "“fairer harbour fees,”"),
])
def test_a_tagged_quotation_a_stance_verb_takes_is_the_sources_words(sentence, cue, content):
    doc = load_nlp()(sentence)
    source = sentence.split(" " + cue)[0]
    spans = [tagged_span(doc, "SOURCE", source), tagged_span(doc, "CUE", cue), tagged_span(doc, "CONTENT", content)]
    assert [sentence[found.start:found.end] for found in model_attributions(doc, sentence, spans)] == [content]


@pytest.mark.parametrize("sentence,cue,content,kept", [
    # an object pronoun is a stance's content only with what is said of it
    ("Councillor Rina Dobbs accused him of favouritism at the hearing.", "accused", "him of favouritism", True),
    ("Councillor Rina Dobbs compared her to a harbour pirate.", "compared", "her to a harbour pirate", True),
    ("Councillor Rina Dobbs urged him at the hearing.", "urged", "him", False),
    # a naming verb's object is one only with the label put on it
    ("Councillor Rina Dobbs called the harbour ruling unlawful.", "called", "the harbour ruling unlawful", True),
    ("Councillor Rina Dobbs called the harbour master.", "called", "the harbour master", False),
])
def test_a_tagged_object_is_a_stance_only_with_what_is_said_of_it(sentence, cue, content, kept):
    doc = load_nlp()(sentence)
    spans = [tagged_span(doc, "SOURCE", "Councillor Rina Dobbs"), tagged_span(doc, "CUE", cue),
             tagged_span(doc, "CONTENT", content)]
    found = [(sentence[found.start:found.end], found.kind) for found in model_attributions(doc, sentence, spans)]
    assert found == ([(content, "stance")] if kept else [])


def test_a_headline_stance_the_parse_split_off_its_verb_is_kept():
    sentence = "Harbour Chief Slams Ferry Plan After Storm"  # the parse reads "Slams" as part of a name
    doc = load_nlp()(sentence)
    spans = [tagged_span(doc, "SOURCE", "Harbour Chief"), tagged_span(doc, "CUE", "Slams"),
             tagged_span(doc, "CONTENT", "Ferry Plan After Storm")]
    found = [(sentence[found.start:found.end], found.kind) for found in model_attributions(doc, sentence, spans)]
    assert found == [("Ferry Plan After Storm", "stance")]


def test_an_answer_said_is_a_stance():
    sentence = "Councillor Rina Dobbs said no to the harbour plan."  # the parse hangs "no" on "to"
    doc = load_nlp()(sentence)
    spans = [tagged_span(doc, "SOURCE", "Councillor Rina Dobbs"), tagged_span(doc, "CUE", "said"),
             tagged_span(doc, "CONTENT", "no to the harbour plan")]
    found = [(sentence[found.start:found.end], found.kind) for found in model_attributions(doc, sentence, spans)]
    assert found == [("no to the harbour plan", "stance")]


def test_a_quantity_the_cue_takes_is_a_stance():
    sentence = "Councillor Rina Dobbs rebutted many of the harbour board's points."
    doc = load_nlp()(sentence)
    spans = [tagged_span(doc, "SOURCE", "Councillor Rina Dobbs"), tagged_span(doc, "CUE", "rebutted"),
             tagged_span(doc, "CONTENT", "many of the harbour board's points")]
    found = [(sentence[found.start:found.end], found.kind) for found in model_attributions(doc, sentence, spans)]
    assert found == [("many of the harbour board's points", "stance")]
