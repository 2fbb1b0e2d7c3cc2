"""Attribution kinds: quotations (direct, mixed, indirect), stances, beliefs and
refusals to comment, found by the rules and the tagger, labelled, filtered,
calibrated and rendered."""
from __future__ import annotations

import json

import pytest

import quotetrail
from quotetrail.attribute.merge import calibrate, merge
from quotetrail.model import KINDS, QUOTATIONS, Article, Attribution, Cue, Quote, parse_kinds
from quotetrail.render import render_html, render_json, render_table

ARTICLE = """Harbour pay talks stall

The port authority denied the allegations in a statement on Monday. Union leader Mara Quist called for a full inquiry into the contract.
Analysts at Keel Partners expect fees to rise next year. Quist believes the strike will spread to Wellmouth.
The shipping firm Norvale declined to comment. Harbour master Ivo Brandt could not be reached.
“We are ready for a long fight,” Quist told reporters.
"""


@pytest.fixture(scope="module")
def rules_article() -> Article:
    return quotetrail.extract(ARTICLE, rules_only=True)


def found(article: Article) -> dict[str, tuple[str, str | None]]:
    """content -> (kind, speaker name)"""
    return {quote.text: (quote.kind, quote.speaker.name if quote.speaker else None) for quote in article.quotes}


def test_parse_kinds_reads_names_groups_and_lists():
    assert parse_kinds(None) == parse_kinds("all") == frozenset(KINDS)
    assert parse_kinds("quotations") == QUOTATIONS == {"direct", "mixed", "indirect"}
    assert parse_kinds("stance, Belief") == {"stance", "belief"}
    assert parse_kinds(["quotations", "no_comment"]) == QUOTATIONS | {"no_comment"}
    with pytest.raises(ValueError, match="unknown kind 'stances'"):
        parse_kinds("stances")
    with pytest.raises(ValueError, match="no kind named"):
        parse_kinds(" , ")


def test_rules_find_and_label_every_kind(rules_article):
    kinds = found(rules_article)
    assert kinds["We are ready for a long fight"] == ("direct", "Mara Quist")
    assert kinds["the strike will spread to Wellmouth"] == ("belief", "Mara Quist")
    assert kinds["fees to rise next year"][0] == "belief"
    assert kinds["a full inquiry into the contract"] == ("stance", "Mara Quist")
    assert any(text.startswith("the allegations") and kind == "stance" for text, (kind, _) in kinds.items())
    assert kinds["to comment"] == ("no_comment", "Norvale")


def test_a_refusal_with_nothing_named_is_its_own_evidence(rules_article):
    quote = next(quote for quote in rules_article.quotes if quote.cue and quote.cue.text == "could not be reached")
    assert (quote.kind, quote.text, quote.speaker.name) == ("no_comment", "could not be reached", "Ivo Brandt")


def test_speech_that_did_not_happen_is_a_refusal_not_a_quotation():
    article = quotetrail.extract("Ferry operator Ola Rask declined to say when the crossing would reopen. "
                                 "Harbour master Ivo Brandt did not say whether the pier was safe.", rules_only=True)
    assert [quote.kind for quote in article.quotes] == ["no_comment", "no_comment"]
    declined, silent = article.quotes
    assert declined.text.endswith("when the crossing would reopen") and declined.speaker.name.startswith("Ola")
    assert (silent.text, silent.speaker.name) == ("whether the pier was safe", "Ivo Brandt")


def test_a_belief_inside_reported_speech_is_part_of_it():
    article = quotetrail.extract("Mayor Tova Lind said that voters want lower harbour fees.", rules_only=True)
    assert [(quote.kind, quote.text) for quote in article.quotes] == [("indirect", "voters want lower harbour fees")]


def test_a_refusal_of_something_other_than_speech_is_no_no_comment():
    article = quotetrail.extract("Ferry captain Ola Rask refused to sail in the storm.", rules_only=True)
    assert not any(quote.kind == "no_comment" for quote in article.quotes)


def test_kinds_filter_keeps_the_same_speakers(rules_article):
    quotations = quotetrail.extract(ARTICLE, rules_only=True, kinds="quotations")
    assert {quote.kind for quote in quotations.quotes} <= QUOTATIONS
    assert found(quotations) == {text: value for text, value in found(rules_article).items() if value[0] in QUOTATIONS}
    only = quotetrail.extract(ARTICLE, rules_only=True, kinds="no_comment")
    assert {quote.kind for quote in only.quotes} == {"no_comment"}
    assert rules_article.of_kinds({"stance"}).quotes == [q for q in rules_article.quotes if q.kind == "stance"]
    with pytest.raises(ValueError):
        quotetrail.extract(ARTICLE, kinds="quotes")


def test_hybrid_labels_the_same_kinds():
    kinds = found(quotetrail.extract(ARTICLE))
    assert kinds["We are ready for a long fight"] == ("direct", "Mara Quist")
    assert kinds["to comment"] == ("no_comment", "Norvale")
    assert kinds["a full inquiry into the contract"] == ("stance", "Mara Quist")
    assert kinds["the strike will spread to Wellmouth"][0] == "belief"


def test_a_course_weighed_is_a_belief():
    # The tagger marks "considered" and what was weighed; a stance without the lexicon's "consider".
    kinds = found(quotetrail.extract("Mayor Ilse Brandt considered selling the old ferry to pay for repairs."))
    assert kinds["selling the old ferry to pay for repairs"] == ("belief", "Ilse Brandt")


def test_json_carries_the_kind_and_reads_back(rules_article):
    data = json.loads(render_json([rules_article]))
    assert {quote["kind"] for quote in data["quotes"]} == {"direct", "stance", "belief", "no_comment"}
    again = Article.from_dict(data)
    assert [quote.kind for quote in again.quotes] == [quote.kind for quote in rules_article.quotes]


def test_table_and_html_label_each_kind(rules_article):
    table = render_table([rules_article], width=140)
    assert "1 quotation, 2 stances, 2 beliefs, 2 no comments" in table
    assert "[s] the allegations" in table and "[b] the strike will spread" in table
    assert "[n] could not be reached" in table and "[d] We are ready" in table
    page = render_html([rules_article])
    assert 'class="quote stance"' in page and 'class="quote belief"' in page
    assert '<span class="quote no_comment" style="background:' in page
    assert 'title="Mara Quist (belief; ' in page  # the kind, then the act


def attribution(start, end, kind, method):
    return Attribution(kind=kind, start=start, end=end, paragraph=0, method=method)


def test_merge_admits_a_model_stance_only_where_no_quotation_holds_it_and_joins_it_to_a_rule_stance():
    text = " " * 200
    rules = [attribution(10, 60, "indirect", "rules"), attribution(100, 130, "stance", "rules")]
    model = [attribution(30, 50, "stance", "model"), attribution(100, 128, "stance", "model"),
             attribution(150, 170, "belief", "model")]
    merged = merge(text, rules, model)
    # The rule stance holds the tagger's shorter phrase, so it keeps its own span.
    assert [(found.start, found.end, found.kind, found.method) for found in merged] == [
        (10, 60, "indirect", "rules"), (100, 130, "stance", "both"), (150, 170, "belief", "model")]
    # A tagger phrase that reaches past the rule's is taken.
    longer = merge(text, [attribution(100, 120, "stance", "rules")], [attribution(100, 128, "stance", "model")])
    assert [(found.start, found.end, found.method) for found in longer] == [(100, 128, "both")]


def test_calibration_scales_each_kind_and_method_by_its_measured_share():
    table = {"model/belief": {"precision": 0.5, "mean_confidence": 0.8, "quotes": 40},
             "rules/indirect": {"precision": 0.8, "mean_confidence": 0.7, "quotes": 100},
             "model/indirect": {"precision": 0.4, "mean_confidence": 0.7, "quotes": 20}}
    quotes = [Quote("belief", "x", 0, 1, None, None, confidence=0.8),
              Quote("indirect", "y", 2, 3, None, None, confidence=0.8),
              Quote("indirect", "z", 4, 5, None, None, confidence=0.8)]
    calibrate(quotes, [attribution(0, 1, "belief", "model"), attribution(2, 3, "indirect", "model"),
                       attribution(4, 5, "indirect", "rules")], table)
    # A belief: its bucket's mean confidence becomes its share of right ones (shrunk by 5 pseudo-quotes).
    assert quotes[0].confidence == round(0.8 * (0.5 * 40 + 0.8 * 5) / (0.8 * 45), 2) == 0.53
    # A model-only quotation: relative to the rule-found quotations of its kind.
    assert quotes[1].confidence == 0.4
    # A rule quotation keeps link's rate.
    assert quotes[2].confidence == 0.8 and quotes[2].method == "rules"


def test_a_bare_name_is_no_stance_and_a_charge_against_an_object_stays_indirect():
    relayed = quotetrail.extract("“Two reactors will stay offline,” Okoro said, Coastline Radio reported.\n")
    assert [quote.kind for quote in relayed.quotes] == ["direct"]
    charged = quotetrail.extract("Campaigner Ilse Petrov accused the organisers of shutting observers out of the talks.",
                                 rules_only=True)
    assert [(quote.kind, quote.text) for quote in charged.quotes] == [
        ("indirect", "shutting observers out of the talks")]


def test_the_table_legend_names_the_other_kinds_only_when_present():
    plain = quotetrail.extract("“We are ready,” Quist said.", rules_only=True)
    assert "([d]irect [i]ndirect [m]ixed) ==" in render_table([plain], width=120)


def test_merge_keeps_a_clause_the_tagger_cut_at_a_coordination():
    text = "Police say he posed a deadly threat and refused to drop the gun."
    clause = attribution(text.index("he posed"), text.index("."), "indirect", "rules")
    tagged = attribution(text.index("he posed"), text.index(" and"), "indirect", "model")
    merged = merge(text, [clause], [tagged])
    assert [text[found.start:found.end] for found in merged] == ["he posed a deadly threat and refused to drop the gun"]


def test_merge_takes_the_tagger_clause_before_another_cue_without_its_dangling_and():
    text = "He said he would order a review of the defences and warned against hackers from abroad."
    clause = attribution(text.index("he would"), text.index("."), "indirect", "rules")
    warned = attribution(text.index("hackers"), text.index("."), "stance", "rules")
    warned.cue = Cue("warned", "warn", text.index("warned"), text.index("warned") + len("warned"))
    tagged = attribution(text.index("he would"), text.index(" warned"), "indirect", "model")
    merged = merge(text, [clause, warned], [tagged])
    assert text[merged[0].start:merged[0].end] == "he would order a review of the defences"
