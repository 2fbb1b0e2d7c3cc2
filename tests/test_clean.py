from quotetrail.clean import clean

ARTICLE = """Harbour talks collapse after night session
By Tomas Reyes and Ana Lima, Coastal Desk
The union said the offer was unacceptable.
Also read:
Advertisement
Share this article
Subscribe to our newsletter
What happens next
Talks will resume on Monday, officials said.
Sources: Daily Meridian, Coastline Radio and Port Weekly
"""


def kinds(text):
    return [(block.kind, block.text) for block in clean(text).blocks]


def test_lines_are_classified():
    assert kinds(ARTICLE) == [
        ("title", "Harbour talks collapse after night session"),
        ("byline", "By Tomas Reyes and Ana Lima, Coastal Desk"),
        ("paragraph", "The union said the offer was unacceptable."),
        ("furniture", "Also read:"),
        ("furniture", "Advertisement"),
        ("furniture", "Share this article"),
        ("furniture", "Subscribe to our newsletter"),
        ("heading", "What happens next"),
        ("paragraph", "Talks will resume on Monday, officials said."),
        ("sources", "Sources: Daily Meridian, Coastline Radio and Port Weekly"),
    ]


def test_source_list_names_with_offsets():
    cleaned = clean(ARTICLE)
    assert [span.text for span in cleaned.sources] == ["Daily Meridian", "Coastline Radio", "Port Weekly"]
    for span in cleaned.sources:
        assert ARTICLE[span.start:span.end] == span.text


def test_offsets_survive_indentation_and_crlf():
    text = "  Intro line of the story, with a comma.\r\n   Read more \r\nBody text goes here."
    for block in clean(text).blocks:
        assert text[block.start:block.end] == block.text
    assert [b.kind for b in clean(text).blocks] == ["paragraph", "furniture", "paragraph"]


def test_sentences_and_quotes_are_not_headings():
    text = "First paragraph of the story.\nHe said yes.\n“We will win”\nthe lower-case line\nA line that ends with a colon:"
    assert [b.kind for b in clean(text).blocks] == ["paragraph"] * 5


def test_furniture_needs_the_whole_line():
    text = "Opening paragraph here.\nRead more about the strike in our explainer, the union urged members."
    assert [b.kind for b in clean(text).blocks] == ["paragraph", "paragraph"]
