"""Quote lineage (quotetrail.lineage): variants, speakers, parents, verdicts, matching,
on invented quotations and articles."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotetrail.lineage import (Copy, Statement, build, claim_review, classify, match, related, same_speaker, statement, verdict,
                                verify)
from quotetrail.lineage.words import numbers, same_words, token_words, tokens
from quotetrail.model import Source, Span

ORIGINAL = "We would never hand the port to foreign investors, not in 2025 and not for 12 billion."


def copy(words: str, kind: str = "direct", **fields) -> Copy:
    values = {"quote_id": 1, "article_id": 1, "outlet": "Example Daily", "date": "2025-11-24",
              "speaker": "Alexander Voronin", "quote": words, "kind": kind, **fields}
    return Copy(**values)


def variant_of(text: str, kind: str = "direct", original: str = ORIGINAL, original_kind: str = "direct"):
    return classify(copy(original, original_kind), copy(text, kind, quote_id=2))


@pytest.mark.parametrize("text, kind, meaning", [
    ("we would NEVER hand the port to foreign investors - not in 2025, and not for 12 billion", "verbatim", []),
    ("We would never hand the port to foreign investors", "trimmed", []),
    ("not in 2025 and not for 12 billion", "trimmed", []),
    ("We would never hand the port … not for 12 billion.", "trimmed", []),
    ("Frankly, we would never hand the port to foreign investors, not in 2025 and not for 12 billion.", "extended", []),
    ("We would never sell the port to foreign buyers, not in 2025 and not for 12 billion.", "reworded", []),
    ("We would never hand the port to investors, not in 2025 and not for 12 billion.", "reworded", []),
    ("We would hand the port to foreign investors, not in 2025 and not for 12 billion.", "meaning_changed", ["negation"]),
    ("We would never hand the port to foreign investors, not in 2025 and not for 21 billion.", "meaning_changed", ["number"]),
    ("We would never hand the port to foreign investors, not in 2026 and not for 12 billion.", "meaning_changed", ["date"]),
    ("We will never hand the port to foreign investors, not in 2025 and not for 12 billion.", "meaning_changed", ["modal"]),
    ("We would never hand the port to Chinese investors, not in 2025 and not for 12 billion.", "reworded", []),
])
def test_variant_of_a_direct_copy(text, kind, meaning):
    found = variant_of(text)
    assert (found.kind, found.meaning) == (kind, meaning)


def test_a_cut_word_before_what_is_kept_that_was_a_negation_changes_the_meaning():
    found = variant_of("hand the port to foreign investors", original="We will not hand the port to foreign investors")
    assert (found.kind, found.meaning) == ("meaning_changed", ["negation"])


def test_contractions_spelt_out_are_the_same_words():
    found = variant_of("I will not play on clay, my knee cannot take it", original="I won't play on clay, my knee can't take it")
    assert found.kind == "verbatim"


def test_a_name_swapped_for_another_changes_the_meaning():
    found = variant_of("Oslo and Vilnius have agreed to share the costs", original="Oslo and Riga have agreed to share the costs")
    assert (found.kind, found.meaning) == ("meaning_changed", ["name"])


def test_indirect_speech_shifts_pronouns_and_tense_without_changing_the_meaning():
    found = variant_of("his government would never hand the port to foreign investors", "indirect",
                       original="We will never hand the port to foreign investors")
    assert (found.kind, found.meaning) == ("paraphrased", [])
    negated = variant_of("his government would hand the port to foreign investors", "indirect",
                         original="We will never hand the port to foreign investors")
    assert (negated.kind, negated.meaning) == ("meaning_changed", ["negation"])


def test_must_reported_as_had_to_is_the_same_modality():
    found = variant_of("every school had to have heating before the frost", "indirect",
                       original="Every school must have heating before the frost")
    assert found.kind == "paraphrased"


def test_changes_carry_words_and_offsets_into_each_article():
    earliest = copy("We will not raise the fuel tax", start=100)
    later = copy("We will raise the fuel tax", quote_id=2, start=40)
    [change] = classify(earliest, later).changes
    assert (change.op, change.old, change.new) == ("delete", "not", "")
    assert (change.old_start, change.old_end) == (108, 111)  # into the earliest copy's article: its quote starts at 100
    assert change.new_start == change.new_end == 47  # where the words would sit in this copy's article


def test_numbers_written_in_words_are_values():
    assert numbers([token.word for token in tokens("three hundred nurses and 2.5 million euros, 12 21")]) == \
        [300, 2_500_000, 12, 21]
    assert variant_of("We will hire three hundred nurses", original="We will hire 300 nurses").kind == "reworded"


@pytest.mark.parametrize("first, second, same", [
    ("Alexander Lukashenko", "Lukashenko", True),
    ("Alexander Lukashenko", "Aleksandr Lukashenko", True),
    ("Anna Kovac", "A. Kovac", True),
    ("Chidi Okafor", "Dr Okafor", True),
    ("Prime Minister Helena Varga", "Helena Varga", True),
    ("presidential chief of staff Maxim Ryzhov", "Alexander Voronin", False),
    ("presidential chief of staff Maxim Ryzhov", "Maxim Ryzhov", True),
    ("Anna Kovac", "Ivan Kovac", False),
    ("Alexander Lukashenko", "Maxim Ryzhenkov", False),
    ("Jan Berg", "the Foreign Ministry", False),
    ("the Kremlin", "Kremlin", True),
])
def test_same_speaker_compares_names_sensibly(first, second, same):
    assert same_speaker(first, second) is same


def test_an_unknown_speaker_is_neither_the_same_nor_another():
    assert same_speaker("Anna Kovac", None) is None
    assert same_speaker("Anna Kovac", "the singer") is None  # a description may be anyone
    assert same_speaker("Yuri Bakhtin", "spokesman for Bakhtin's militia") is None
    assert same_speaker("Ma Xiaowei", "China's health chiefs") is None
    assert same_speaker("Tomas Brandt", "Brandt told") is True  # a cue the extractor left on the name


def article_copy(text: str, fragment: str, **fields) -> Copy:
    start = text.index(fragment)
    return copy(fragment, start=start, text=text, **fields)


@pytest.mark.parametrize("text, chain", [
    ("“We would never hand the port over,” Voronin said, according to Baltic Wire, which cited his interview "
     "with Newsline Europe.", [("Baltic Wire", "relay"), ("Newsline Europe", "origin")]),
    ("“We would never hand the port over,” Voronin said, Kestrel News Agency reported, citing the Pinewood Journal.",
     [("Kestrel News Agency", "relay"), ("Pinewood Journal", "upstream")]),
    ("“We would never hand the port over,” Voronin told the Harbour Gazette.", [("Harbour Gazette", "origin")]),
    ("“We would never hand the port over,” Voronin said, as reported by the Eastport Tribune.",
     [("Eastport Tribune", "relay")]),
    ("“We would never hand the port over,” Voronin told reporters in Tarrow.", []),
    ("According to Voice of Brask radio, Voronin said: “We would never hand the port over.”",
     [("Voice of Brask", "relay")]),
])
def test_the_outlets_an_article_names_for_a_quotation(text, chain):
    said = statement(article_copy(text, "We would never hand the port over", outlet="Valley Courier",
                                  organisations=["Newsline Europe"]))  # as NER tags it
    assert [(named.outlet, named.role) for named in said.chain] == chain
    for named in said.chain:
        assert text[named.evidence.start:named.evidence.end] == named.evidence.text
        assert named.outlet in named.evidence.text


def test_an_origin_named_inside_the_quotation_is_what_was_said_not_a_source():
    text = "Mayor Ida Lund said: “I told the Daily Meridian last year that the tram would be late.”"
    fragment = "I told the Daily Meridian last year that the tram would be late."
    start = text.index("told the Daily")
    found = article_copy(text, fragment, sources=[Source("Daily Meridian", ["origin"],
                                                         evidence=[Span(start, start + 25, text[start:start + 25])])])
    assert statement(found).chain == []


def test_the_extractors_relay_credits_a_quotation_whose_paragraph_names_no_outlet():
    text = "According to the Ridge Chronicle, the fire spread.\n\n“The blaze is contained,” Lindgren said."
    evidence = Span(0, 32, text[0:32])
    found = article_copy(text, "The blaze is contained", reported_by=["Ridge Chronicle"],
                         sources=[Source("Ridge Chronicle", ["relay"], evidence=[evidence])])
    [named] = statement(found).chain
    assert (named.outlet, named.role, named.evidence) == ("Ridge Chronicle", "relay", evidence)


CHAIN = [
    ("Example Daily", "2025-11-24", "Alexander Voronin",
     "President Alexander Voronin said in an interview with Newsline Europe that “we would never hand the port to "
     "foreign investors.”"),
    ("Harbour Gazette", "2025-11-25", "Aleksandr Voronin",
     "“We would never hand the port to foreign investors,” Aleksandr Voronin said, according to Example Daily."),
    ("Eastport Tribune", "2025-11-26", "Maxim Ryzhov",
     "“We would never hand the port to foreign investors,” chief of staff Maxim Ryzhov said, TVP World reported."),
    ("Capital Bulletin", "2025-11-27", "Voronin",
     "“We would not hand the port to foreign investors,” Voronin said."),
]


def chain_copies() -> list[Copy]:
    found = []
    for number, (outlet, date, speaker, text) in enumerate(CHAIN):
        start = text.lower().index("we would")
        end = text.index("investors") + len("investors")
        found.append(Copy(quote_id=number, article_id=number, outlet=outlet, date=date, speaker=speaker,
                          quote=text[start:end], kind="mixed" if number == 0 else "direct", start=start, text=text,
                          organisations=["Newsline Europe"] if number == 0 else []))  # as NER tags it
    return list(reversed(found))  # the order they come in does not matter: dates do


def test_lineage_of_a_chain():
    lineage = build(chain_copies())
    got = [(item.copy.outlet, item.variant.kind, item.speaker_differs,
            item.parent and (item.parent.outlet, item.parent.how, item.parent.quote_id)) for item in lineage.appearances]
    assert got == [
        ("Example Daily", "original", False, ("Newsline Europe", "stated", None)),
        ("Harbour Gazette", "verbatim", False, ("Example Daily", "stated", 0)),
        ("Eastport Tribune", "verbatim", True, ("TVP World", "stated", None)),
        ("Capital Bulletin", "reworded", False, ("Example Daily", "inferred", 0)),
    ]
    assert "closest wording" in lineage.appearances[3].parent.why
    assert lineage.edges() == [(None, "Newsline Europe", 0, "stated"), (0, "Example Daily", 1, "stated"),
                               (None, "TVP World", 2, "stated"), (0, "Example Daily", 3, "inferred")]
    assert lineage.origin.name == "Newsline Europe"
    assert sorted(lineage.outside) == ["Newsline Europe", "TVP World"]


def test_statements_kept_from_ingest_stand_in_for_the_article_text():
    said = {copy.quote_id: Statement.from_list(json.loads(json.dumps(statement(copy).to_list())))
            for copy in chain_copies()}  # kept as JSON, read back
    stored = [Copy(copy.quote_id, copy.article_id, copy.outlet, copy.date, copy.speaker, copy.quote, copy.kind,
                   copy.start) for copy in chain_copies()]  # no article text
    parents = [item.parent and (item.parent.outlet, item.parent.how) for item in build(stored, statements=said).appearances]
    assert parents == [("Newsline Europe", "stated"), ("Example Daily", "stated"), ("TVP World", "stated"),
                       ("Example Daily", "inferred")]


def test_verdict_json_and_line():
    answer = verdict("we would never hand the port", build(chain_copies()), speaker="Voronin")
    assert answer["found"] is True
    assert answer["verdict"].startswith("first published by Example Daily on 2025-11-24 "
                                        "(origin: interview with Newsline Europe), "
                                        "credited to Alexander Voronin in 3 of 4 copies; one copy credits Maxim Ryzhov")
    assert answer["earliest"] == {"outlet": "Example Daily", "date": "2025-11-24", "article_id": 0, "quote_id": 0}
    assert answer["speakers"] == [{"name": "Alexander Voronin", "appearances": 3}, {"name": "Maxim Ryzhov", "appearances": 1}]
    assert answer["origin"]["outlet"] == "Newsline Europe"
    last = answer["appearances"][-1]
    assert last["variant"] == "reworded" and last["changes"][0]["op"] == "replace"
    assert last["parent"]["how"] == "inferred"
    json.dumps(answer)  # plain JSON all through


def test_verdict_names_a_meaning_change():
    copies = chain_copies()
    copies[0].quote = copies[0].quote.replace("would not", "would")  # the last copy now drops a negation
    copies[0].quote = "We would hand the port to foreign investors"
    line = verdict("hand the port", build(copies))["verdict"]
    assert "one (Capital Bulletin) drops 'never'" in line


def test_verdict_when_nothing_is_found():
    answer = verdict("no such words", None)
    assert (answer["found"], answer["appearances"]) == (False, [])
    assert claim_review(answer, "Example Check")["reviewRating"]["alternateName"] == "No record of this quotation"


def test_claim_review_json_ld():
    review = claim_review(verdict("we would never hand the port", build(chain_copies())), "Example Check",
                          url="https://check.example/port", date="2025-12-01")
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["reviewRating"]["alternateName"] == "Misattributed in 1 of 4 copies"
    assert review["itemReviewed"]["firstAppearance"]["publisher"]["name"] == "Example Daily"
    assert len(review["itemReviewed"]["appearance"]) == 3
    assert review["itemReviewed"]["author"]["name"] == "Alexander Voronin"


CANDIDATES = [(1, "We would never hand the port to foreign investors."),
              (2, "The port will stay open through the holidays."),
              (3, "Foreign investors are welcome in every other sector.")]


@pytest.mark.parametrize("query", [
    "we would never hand the port to foreign investors",  # exact
    "never hand the port to foreign",  # partial
    "We would never give the port to foreign investors",  # a word wrong
    "we wuold never hand the prot to foreign investors",  # typos
])
def test_match_finds_a_quotation_from_partial_or_slightly_wrong_words(query):
    assert [found.id for found in match(query, CANDIDATES)][:1] == [1]


def test_match_does_not_find_what_was_not_said():
    assert match("the harbour authority raised its fees", CANDIDATES) == []
    assert match("the port", CANDIDATES) == []  # two words find only a quotation of those two words
    assert [found.id for found in match("No comment.", [(4, "no comment"), (5, "No comment on the port.")])] == [4]


def test_related_joins_trims_and_paraphrases_only():
    assert related("We would never hand the port to foreign investors.", "never hand the port to foreign investors")
    assert related("I never signed that contract, and I never will.", "she had never signed the contract and never would")
    assert not related("We would never hand the port to foreign investors.", "Foreign investors are welcome in every other sector.")


SET = Path(__file__).resolve().parent / "lineage-set"


def test_the_lineage_set_is_well_formed():
    chains = [json.loads(path.read_text("utf-8")) for path in sorted(SET.glob("*.json"))]
    assert len(chains) >= 30
    kinds = {"original", "verbatim", "trimmed", "extended", "reworded", "meaning_changed", "paraphrased"}
    for chain in chains:
        articles = chain["articles"]
        assert len(articles) >= 4 and len({article["outlet"] for article in articles}) == len(articles)
        assert [article["date"] for article in articles] == sorted(article["date"] for article in articles)
        assert articles[0]["gold"]["variant"] == "original"
        for article in articles:
            assert article["quote"] in article["text"]
            assert article["gold"]["variant"] in kinds


def test_a_quotation_the_extractor_credits_to_the_relaying_outlet_is_read_as_relayed(extract):
    text = ("Checkpoint stays\n\nDelgado said the checkpoint on the ring road would stay in place until the end of "
            "the month, the Riverbend Herald reported.\n")
    article = extract(text)
    copies = [Copy.of(article, quote, quote_id=n, article_id=1, outlet="Coastline Radio", date="2025-03-16",
                      outlets=["Riverbend Herald"]) for n, quote in enumerate(article.quotes)]
    found = next(copy for copy in copies if "checkpoint" in copy.quote)
    assert found.speaker == "Delgado"
    assert found.quote.startswith("the checkpoint on the ring road")
    assert text[found.start:found.start + len(found.quote)] == found.quote
    assert [(named.outlet, named.role) for named in statement(found).chain] == [("Riverbend Herald", "relay")]


def test_lineage_of_extracted_articles(extract):
    articles = [
        ("Granite Times", "2025-02-17", "Reactors offline\n\nEnergy Minister Paul Okoro said: “Two of the four "
         "reactors will be offline for repairs until June.”\n"),
        ("Daily Meridian", "2025-02-19", "Reactor repairs\n\n“Three of the four reactors will be offline for repairs "
         "until June,” Okoro said, Coastline Radio reported.\n"),
        ("Coastline Radio", "2025-02-18", "Repairs until June\n\n“Two of the four reactors will be offline for repairs "
         "until June,” Okoro said, according to the Granite Times.\n"),
    ]
    copies = []
    for number, (outlet, date, text) in enumerate(articles):
        article = extract(text)
        copies += [Copy.of(article, quote, quote_id=f"{number}.{n}", article_id=number, outlet=outlet, date=date)
                   for n, quote in enumerate(article.quotes)]
    lineage = build(copies)
    got = [(item.copy.outlet, item.variant.kind, item.variant.meaning, item.parent and item.parent.outlet)
           for item in lineage.appearances]
    assert got == [("Granite Times", "original", [], None),
                   ("Coastline Radio", "verbatim", [], "Granite Times"),
                   ("Daily Meridian", "meaning_changed", ["number"], "Coastline Radio")]
    assert lineage.appearances[2].parent.quote_id == "2.0"


def test_verdict_line_counts_copies_that_make_the_same_change():
    copies = chain_copies()
    base = copies[-1]  # the earliest
    negated = [Copy(quote_id=10 + n, article_id=10 + n, outlet=f"Outlet {n}", date=f"2025-12-0{n + 1}",
                    speaker="Voronin", quote="We would not never hand the port to foreign investors")
               for n in range(3)]
    line = verdict("hand the port", build([base, *negated]))["verdict"]
    assert "three copies insert 'not'" in line


def test_verify_answers_for_the_cluster_a_slightly_wrong_wording_belongs_to():
    clusters = {"port": chain_copies(), "holidays": [copy("The border posts will stay open through the holidays",
                                                          quote_id=9, speaker="Lars Eklund")]}
    candidates = [(item.quote_id, item.quote, name) for name, items in clusters.items() for item in items]
    answer = verify("we would never give the port to foreign investors", candidates, clusters.__getitem__,
                    speaker="Maxim Ryzhov")
    assert answer["found"] and answer["cluster"] == "port" and answer["also"] == []
    assert answer["verdict"].startswith("Maxim Ryzhov is credited in 1 of 4 copies; first published by Example Daily")
    assert verify("the harbour authority raised its fees", candidates, clusters.__getitem__)["found"] is False


def test_verdict_when_the_copies_credit_different_people_and_the_first_none():
    copies = [copy("We will withdraw from the town by Friday", quote_id=n, article_id=n, outlet=f"Outlet {n}",
                   date=f"2027-05-0{n + 1}", speaker=speaker)
              for n, speaker in enumerate([None, "Yuri Bakhtin", "Oleg Sirko"])]
    lineage = build(copies)
    assert [item.speaker_differs for item in lineage.appearances] == [False, False, False]  # no one to differ from
    line = verdict("withdraw from the town", lineage)["verdict"]
    assert line == ("first published by Outlet 0 on 2027-05-01; one copy credits Yuri Bakhtin; "
                    "one copy credits Oleg Sirko; one copy names no speaker")


@pytest.mark.parametrize("text, other", [
    ("We will rebuild the bridge.", "we WILL rebuild … the bridge!"),
    ("We won't sell the port", "We will not sell the port"),
    ("the 12TH vote", "the 12th vote"),
    ("Lukashenko’s men", "Lukashenko's men"),
    ("Café Olé opens", "cafe ole opens"),
    ("twelve billion", "12 billion"),
])
def test_same_words_is_equal_token_words(text, other):
    """The quick check classify() asks first says what comparing token_words() says."""
    assert same_words(text, other) == (token_words(text) == token_words(other))
