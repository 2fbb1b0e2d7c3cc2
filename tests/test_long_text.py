"""One long line of news text: the attribute and link stages look spans up by bisection and
sweeps (comparing every quotation with every other is quadratic). These tests check the
lookups against the plain comparisons they replace, and the pipeline on a long line.
Timings are printed by bench/long_text.py, not asserted here."""
from hypothesis import given, settings
from hypothesis import strategies as st

from quotetrail.attribute import _Found, _overlap
from quotetrail.link import _Union
from quotetrail.link.chain import Relay, _covering_outlets
from quotetrail.model import Attribution

spans = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 30)).map(lambda pair: (pair[0], pair[0] + pair[1])),
                 max_size=25)
fast = settings(max_examples=150, deadline=None, derandomize=True)


@fast
@given(spans, st.lists(st.integers(-2, 95), max_size=30))
def test_union_holds_an_offset_exactly_when_some_span_does(reported, offsets):
    union = _Union(reported)
    for offset in offsets:
        assert (offset in union) == any(start <= offset < end for start, end in reported)


@fast
@given(st.lists(st.tuples(st.sampled_from("ABC"), st.integers(0, 60), st.integers(0, 40)), max_size=20),
       st.lists(st.integers(0, 100), max_size=20))
def test_covering_outlets_equal_checking_every_relay(relay_specs, offsets):
    relays = [Relay(outlet, start, start + length) for outlet, start, length in relay_specs]
    expected = []
    for offset in offsets:
        outlets: list[str] = []
        for relay in relays:
            if relay.start <= offset < relay.end and relay.outlet not in outlets:
                outlets.append(relay.outlet)
        expected.append(outlets)
    assert _covering_outlets(relays, offsets) == expected


def _attribution(span: tuple[int, int]) -> Attribution:
    return Attribution(kind="direct", start=span[0], end=span[1], paragraph=0)


@fast
@given(spans, st.lists(st.tuples(st.booleans(), spans.filter(bool).map(lambda found: found[0])), max_size=15))
def test_found_quotes_equal_a_plain_list(initial, steps):
    """Adding, removing and looking up overlaps as the attribute stage does, against a list."""
    quotes = [_attribution(span) for span in initial]
    found = _Found(list(quotes))
    for remove, span in steps:
        overlapping = [q for q in quotes if _overlap(q.start, q.end, *span) > 0]
        assert found.overlapping(*span) == overlapping
        assert found.has_span(*span) == any((q.start, q.end) == span for q in quotes)
        if remove and overlapping:
            quotes = [quote for quote in quotes if quote is not overlapping[0]]
            found.remove(overlapping[0])
        else:
            quotes.append(_attribution(span))
            found.add(quotes[-1])
    assert found.in_order() == sorted(quotes, key=lambda quote: (quote.start, quote.end))


PEOPLE = ("Ilona Varga", "Tobias Lindqvist", "Kofi Mensah")


def test_a_long_line_keeps_every_speaker_and_relay(extract):
    sentences = []
    for number in range(60):
        person = PEOPLE[number % len(PEOPLE)]
        sentences.append(f"“We will reopen depot {number} next week,” {person} said.")
        if number % 10 == 9:
            sentences.append(f"According to the Harbour Gazette, {person} said the council would review "
                             f"plan {number} before the vote.")
    article = extract(" ".join(sentences))
    direct = [quote for quote in article.quotes if quote.kind == "direct"]
    assert [quote.text for quote in direct] == [f"We will reopen depot {n} next week" for n in range(60)]
    assert [quote.speaker.name for quote in direct] == [PEOPLE[n % len(PEOPLE)] for n in range(60)]
    reviewed = [quote for quote in article.quotes if "would review plan" in quote.text]
    assert len(reviewed) == 6
    assert all(quote.reported_by == ["Harbour Gazette"] for quote in reviewed)
