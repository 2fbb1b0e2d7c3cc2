"""Reporting chain: relays, origin, source list, entities."""
import pytest

from helpers import quote_with

ARTICLE = (
    "Union leader Kwame Osei said in an interview with the regional broadcaster Coastline Radio "
    "that the strike would continue.\n"
    "According to the Daily Meridian, Osei said the union had rejected a private meeting.\n"
    "“I will not sign anything in a back room,” DailyMeridian notes.\n"
    "The port authority has accused the union of blocking the terminal, the Daily Meridian reports.\n"
    "Port Weekly reports that a mediator has been appointed.\n"
    "Sources: Daily Meridian, Coastline Radio\n"
)


def test_outlet_framing_first_person_quote_is_a_relay(extract):
    quote = quote_with(extract(ARTICLE), "I will not sign anything")
    assert quote.speaker.name == "Kwame Osei"
    assert quote.speaker.resolved_by == "relay-continuation"
    assert quote.reported_by == ["Daily Meridian"]


def test_according_to_outlet_relays_the_sentence(extract):
    quote = quote_with(extract(ARTICLE), "the union had rejected a private meeting")
    assert quote.speaker.name == "Kwame Osei" and quote.reported_by == ["Daily Meridian"]


def test_outlet_reports_relays_the_embedded_attribution(extract):
    article = extract(ARTICLE)
    quote = quote_with(article, "blocking the terminal")
    assert quote.speaker.name == "port authority" and quote.reported_by == ["Daily Meridian"]
    assert not any(q.speaker and q.speaker.name == "Daily Meridian" for q in article.quotes)


def test_outlet_reporting_its_own_news_is_the_speaker(extract):
    quote = quote_with(extract(ARTICLE), "a mediator has been appointed")
    assert quote.speaker.name == "Port Weekly" and quote.reported_by == []


def test_sources_merge_spelling_variants_and_roles(extract):
    sources = {source.name: source for source in extract(ARTICLE).sources}
    assert set(sources["Daily Meridian"].roles) == {"relay", "listed"}
    assert "DailyMeridian" in sources["Daily Meridian"].aliases
    assert set(sources["Coastline Radio"].roles) == {"origin", "listed"}


def test_entities_with_titles_aliases_and_media_flags(extract):
    entities = {entity.name: entity for entity in extract(ARTICLE).entities}
    osei = entities["Kwame Osei"]
    assert osei.type == "PERSON" and "Osei" in osei.aliases and osei.titles == ["Union leader"]
    assert all(ARTICLE[m.start:m.end] == m.text for m in osei.mentions)
    assert entities["Daily Meridian"].is_media and entities["Coastline Radio"].is_media
    assert not osei.is_media


def test_trailing_outlet_relay_covers_its_section_only(extract):
    text = ("The strike goes on\n"
            "Union leader Kwame Osei said the strike would go on for a third week.\n"
            "He added that talks with the port had failed again, Port Weekly reports.\n"
            "The bridge reopens\n"
            "Mayor Ilse Brandt said the bridge would reopen on Monday.\n")
    article = extract(text)
    assert quote_with(article, "the strike would go on").reported_by == ["Port Weekly"]
    assert quote_with(article, "talks with the port had failed").reported_by == ["Port Weekly"]
    assert quote_with(article, "the bridge would reopen").reported_by == []


def _relay_evidence(article, outlet):
    return [span.text for source in article.sources if source.name == outlet and "relay" in source.roles
            for span in source.evidence]


def test_according_to_an_outlets_report_is_a_relay_with_evidence(extract):
    article = extract("Minister Ilse Brandt said the fuel subsidy would end in May, according to a Saltmere Post report.")
    assert article.quotes[0].speaker.name == "Ilse Brandt"
    assert article.quotes[0].reported_by == ["Saltmere Post"]
    assert _relay_evidence(article, "Saltmere Post") == ["according to a Saltmere Post report"]


@pytest.mark.parametrize("lead_in", ["From the Saltmere Post:", "The Saltmere Post reported:"])
def test_a_lead_in_line_naming_an_outlet_relays_what_follows(extract, lead_in):
    text = (f"The minister spoke to farmers on Monday.\n{lead_in}\n"
            "“We will cut the subsidy in May,” Minister Ilse Brandt said.")
    article = extract(text)
    quote = article.quotes[0]
    assert quote.speaker.name == "Ilse Brandt" and quote.reported_by == ["Saltmere Post"]
    assert _relay_evidence(article, "Saltmere Post") == [lead_in]


def test_a_lead_in_line_names_an_outlet_that_ner_missed(extract):
    text = ("The senator spoke at length on Sunday.\nKelvin Media reported:\n"
            "“We will not back down,” Senator Ilse Brandt said.")
    article = extract(text)
    assert article.quotes[0].reported_by == ["Kelvin Media"]
    assert _relay_evidence(article, "Kelvin Media") == ["Kelvin Media reported:"]
