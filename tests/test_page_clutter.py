"""Real-page clutter and metadata: widgets removed before extraction, page
metadata checked for plausibility. Pages written for these tests."""
from __future__ import annotations

import pytest

import quotetrail
from quotetrail.inputs import html
from quotetrail.inputs.html import author_names, clean_title, plausible_sitename
from quotetrail.model import Document

PAGE = """<html lang="{lang}"><head><title>Harbour strike ends | Saltmere Gazette</title>
<meta property="og:site_name" content="Hosted"><meta name="author" content="Tomas ReyesSenior Reporter"></head><body>
<article><h1>Harbour strike ends after nine days</h1>
<p>The dock workers of Saltmere voted on Monday to end their strike, after the port operator raised its pay offer.</p>
<figure><img src="a.jpg"><figcaption>Credit: Jo Lee/Getty Images</figcaption></figure>
<p>“We have won what we came for,” union leader Kwame Osei told reporters outside the hall.
<a href="/x">MORE: Port traffic slumps in strike week</a> The vote was 412 to 88.</p>
<p>Read <a href="/r">Ana Ruiz's review of the strike film</a> here.</p>
<div class="related-links"><a href="/1">Ferry fares rise again</a> <a href="/2">Council closes the old pier</a></div>
<p>Swipe left to view more</p>
<p>Port chief executive Maria Delgado said the deal would cost the port three million pounds a year, but that the
harbour could now plan for the winter season and the cruise ships.</p>
<p>“Nobody wins a strike, but today we can all go back to work,” Delgado said. The agreement runs for three years.</p>
<div class="newsletter-box"><p>Sign up for our morning newsletter and get the news in your inbox.</p></div>
</article></body></html>"""


def _extracted(lang: str = "en") -> Document:
    result = html.extract(html.page("page.html", PAGE.format(lang=lang).encode(), {}))
    assert isinstance(result, Document)
    return result


def test_widgets_credits_and_inline_links_are_removed_before_extraction():
    text = _extracted().text
    for clutter in ("Credit:", "MORE:", "Read Ana Ruiz", "Ferry fares", "Swipe left", "newsletter"):
        assert clutter not in text
    assert "told reporters outside the hall. The vote was 412 to 88." in " ".join(text.split())
    assert "Nobody wins a strike" in text


def test_quotes_of_a_cluttered_page_keep_their_speakers():
    document = _extracted()
    article = quotetrail.extract(document.text)
    speakers = {quote.text: quote.speaker.name for quote in article.quotes if quote.speaker}
    assert speakers["We have won what we came for"] == "Kwame Osei"
    assert speakers["Nobody wins a strike, but today we can all go back to work"] == "Maria Delgado"


def test_page_metadata_is_cleaned():
    meta = _extracted().meta
    assert "sitename" not in meta  # "Hosted" names the platform, not the outlet
    assert meta["author"] == "Tomas Reyes" and meta["bylines"] == ["Tomas Reyes"]


def test_a_confident_language_guess_overrides_a_wrong_declaration():
    assert _extracted(lang="de").meta["language"] == "en"


@pytest.mark.parametrize("name,plausible", [
    ("Saltmere Gazette", True), ("Hosted", False), ("Your trusted source for news, views and more.", False),
])
def test_sitename_plausibility(name, plausible):
    assert (plausible_sitename(name) is not None) is plausible


def test_title_suffix_and_author_debris():
    assert clean_title("Harbour strike ends | Saltmere Gazette", None) == "Harbour strike ends"
    assert clean_title("Harbour strike ends - Saltmere Gazette", "Saltmere Gazette") == "Harbour strike ends"
    assert clean_title("Talks stall - what comes next", None) == "Talks stall - what comes next"
    assert author_names("The Saltmere Gazette https; Www.saltmeregazette.com; Ana Ruiz", "The Saltmere Gazette") == ["Ana Ruiz"]
    assert author_names("Ana Ruiz, Staff Writer and Tomas Reyes", None) == ["Ana Ruiz", "Tomas Reyes"]


def test_speaker_names_built_from_link_text_are_cut_back(extract):
    article = extract("“We have waited an hour for the ferry,” said commuter Tomas ReyesTomas.")
    assert article.quotes[0].speaker.name == "Tomas Reyes"
