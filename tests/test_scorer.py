"""Scorer figures on a hand-made article, each expected value worked out by hand."""
from __future__ import annotations

from typing import Any

import pytest

from quotetrail.evaluate.gold import GoldArticle, GoldQuote
from quotetrail.evaluate.scorer import Score, cue_matches, names_match, score_article, speaker_matches
from quotetrail.model import Cue, QuoteKind, Span, Speaker

TEXT = (
    "Ann Lee said the plan was dead. "
    '"We will not go back," Bob Marsh said. '
    "Critics say taxes rose sharply last year. "
    "Officials hinted that talks may resume.\n"
    "Also read\n"
)


def gold_quote(quote: str, kind: QuoteKind, speaker: str, cue: str, **extra: Any) -> GoldQuote:
    start = TEXT.index(quote)
    fields: dict[str, Any] = {"reported_by": (), **extra}
    return GoldQuote(kind=kind, text=quote, start=start, end=start + len(quote),
                     speaker=speaker, cue=cue, **fields)


PLAN = gold_quote("the plan was dead", "indirect", "Ann Lee", "said")
BACK = gold_quote("We will not go back", "direct", "Bob Marsh", "said")
TAXES = gold_quote("taxes rose sharply last year", "indirect", "Critics", "say")
TALKS = gold_quote("talks may resume", "indirect", "Officials", "hinted")


def article(*quotes: GoldQuote, optional: tuple[GoldQuote, ...] = ()) -> GoldArticle:
    line = TEXT.index("Also read")
    return GoldArticle(name="hand", corpus="test", text=TEXT, quotes=quotes or (PLAN, BACK, TAXES),
                       optional_quotes=optional, furniture=(Span(line, line + 9, "Also read"),))


def pred(quote: str, kind: QuoteKind = "indirect", speaker: str | None = None, cue: str = "said",
         reported_by: tuple[str, ...] = ()) -> dict[str, Any]:
    start = TEXT.index(quote)
    mention = TEXT.find(speaker) if speaker else -1
    return {
        "kind": kind, "text": quote, "start": start, "end": start + len(quote),
        "speaker": None if speaker is None else {
            "name": speaker, "mention": speaker, "start": mention, "end": mention + len(speaker),
            "resolved_by": "named"},
        "cue": {"text": cue, "lemma": cue, "start": 0, "end": 0},
        "reported_by": list(reported_by), "confidence": 0.9,
    }


PERFECT = [
    pred("the plan was dead", speaker="Ann Lee"),
    # quote marks and the comma inside them are stripped before the exact comparison
    pred('"We will not go back,"', "direct", "Bob Marsh"),
    pred("taxes rose sharply last year", speaker="Critics", cue="say"),
]


def figures(score: Score, name: str) -> tuple[float | None, float | None, float | None]:
    detection = getattr(score, name)
    return detection.precision, detection.recall, detection.f1


def test_perfect_prediction_scores_one_everywhere() -> None:
    score = score_article(article(), {"quotes": PERFECT})
    for name in ("exact", "overlap", "end_to_end"):
        assert figures(score, name) == (1.0, 1.0, 1.0)
    for accuracy in (score.speaker, score.cue, score.reported_by, score.kind):
        assert accuracy.value == 1.0
    assert score.errors == []


def test_missing_quote() -> None:
    score = score_article(article(), {"quotes": PERFECT[:2]})
    # 2 of 3 gold found, both predictions right: P=1, R=2/3, F1=2*(2/3)/(5/3)=0.8
    assert (score.overlap.gold, score.overlap.found, score.overlap.predicted) == (3, 2, 2)
    assert figures(score, "overlap") == pytest.approx((1.0, 2 / 3, 0.8))
    assert figures(score, "exact") == pytest.approx((1.0, 2 / 3, 0.8))
    assert [(error.category, error.text) for error in score.errors] == [("missed", TAXES.text)]


def test_wrong_speaker_fails_end_to_end_only() -> None:
    predictions = [PERFECT[0], pred('"We will not go back,"', "direct", "Ann Lee"), PERFECT[2]]
    score = score_article(article(), {"quotes": predictions})
    assert figures(score, "overlap") == (1.0, 1.0, 1.0)
    assert score.speaker.value == pytest.approx(2 / 3)
    assert figures(score, "end_to_end") == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    [error] = score.errors
    assert (error.category, error.gold_speaker) == ("wrong_speaker", "Bob Marsh")
    assert error.predicted_speaker == "Ann Lee"


def test_short_form_of_the_gold_name_is_the_right_speaker() -> None:
    predictions = [PERFECT[0], pred('"We will not go back,"', "direct", "Marsh"), PERFECT[2]]
    assert score_article(article(), {"quotes": predictions}).speaker.value == 1.0


def test_partial_span_passes_overlap_and_fails_exact() -> None:
    # 3 of the gold quote's 5 words: 3/5 >= 1/2
    predictions = [*PERFECT[:2], pred("taxes rose sharply", speaker="Critics")]
    score = score_article(article(), {"quotes": predictions})
    assert figures(score, "overlap") == (1.0, 1.0, 1.0)
    assert figures(score, "exact") == pytest.approx((2 / 3, 2 / 3, 2 / 3))


def test_overlap_needs_half_the_words_of_the_longer_span() -> None:
    # 2 of 5 words: no match, so one miss and one false positive
    predictions = [*PERFECT[:2], pred("taxes rose", speaker="Critics")]
    score = score_article(article(), {"quotes": predictions})
    assert figures(score, "overlap") == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert sorted(error.category for error in score.errors) == ["false_positive", "missed"]


def test_prediction_over_optional_quote_is_neither_rewarded_nor_penalised() -> None:
    predictions = [*PERFECT, pred("talks may resume", speaker="Officials"), pred("Bob Marsh said")]
    with_optional = score_article(article(optional=(TALKS,)), {"quotes": predictions})
    # the optional one is ignored; "Bob Marsh said" is still a false positive: P = 3/4
    assert (with_optional.overlap.predicted, with_optional.overlap.correct) == (4, 3)
    assert figures(with_optional, "overlap") == pytest.approx((0.75, 1.0, 6 / 7))
    without = score_article(article(), {"quotes": predictions})
    assert without.overlap.precision == pytest.approx(3 / 5)


def test_kind_breakdown() -> None:
    predictions = [
        PERFECT[0],                                              # indirect, right
        pred('"We will not go back,"', "mixed", "Bob Marsh"),   # gold direct, labelled mixed
        pred("Bob Marsh said", "direct"),                       # false positive labelled direct
    ]
    score = score_article(article(), {"quotes": predictions})
    direct, indirect, mixed = (score.by_kind[kind] for kind in ("direct", "indirect", "mixed"))
    # recall goes by gold kind, precision by predicted kind
    assert (direct.precision, direct.recall, direct.f1) == (0.0, 1.0, 0.0)
    assert (indirect.precision, indirect.recall, indirect.f1) == pytest.approx((1.0, 0.5, 2 / 3))
    assert (mixed.precision, mixed.recall, mixed.f1) == (1.0, None, None)
    assert score.kind.value == 0.5


def test_scores_add_up_micro_averaged() -> None:
    first, second = (score_article(article(), {"quotes": quotes}) for quotes in (PERFECT, PERFECT[:2]))
    total = Score() + first + second
    assert (total.articles, total.overlap.gold, total.overlap.found, total.overlap.predicted) == (2, 6, 5, 5)
    assert total.overlap.recall == pytest.approx(5 / 6)
    assert len(total.errors) == 1


def test_recall_without_thought_cues_leaves_them_out() -> None:
    thought = gold_quote("taxes rose sharply last year", "indirect", "Critics", "believe", thought=True)
    score = score_article(article(PLAN, BACK, thought), {"quotes": PERFECT[:2]})
    assert score.overlap.recall == pytest.approx(2 / 3)
    assert score.recall_without_thought.value == 1.0


def test_reported_by_compares_outlets_ignoring_spacing_and_case() -> None:
    relayed = gold_quote("the plan was dead", "indirect", "Ann Lee", "said", reported_by=("TVP World",))
    right = pred("the plan was dead", speaker="Ann Lee", reported_by=("tvpworld",))
    assert score_article(article(relayed), {"quotes": [right]}).reported_by.value == 1.0
    wrong = pred("the plan was dead", speaker="Ann Lee")
    assert score_article(article(relayed), {"quotes": [wrong]}).reported_by.value == 0.0


def test_discontinuous_gold_counts_only_its_pieces() -> None:
    text = '"We will not go back," Bob Marsh said, "nor will we stop."'
    first = (0, text.index(" Bob"))
    second = (text.index('"nor'), len(text))
    gold = GoldQuote(kind="direct", text="", start=0, end=len(text), speaker="Bob Marsh", cue="said",
                     fragments=(first, second))
    doc = GoldArticle(name="split", corpus="test", text=text, quotes=(gold,))
    half = {"kind": "direct", "text": "", "start": first[0], "end": first[1], "speaker": None, "cue": None}
    # 5 of the 9 gold words; the 3 words between the pieces do not count
    assert score_article(doc, {"quotes": [half]}).overlap.found == 1
    assert score_article(doc, {"quotes": [dict(half, end=len(text))]}).exact.found == 1


def test_furniture_lines() -> None:
    line = TEXT.index("Also read")
    predicted = {"quotes": PERFECT, "furniture": [{"text": "Also read", "start": line, "end": line + 10},
                                                   {"text": "Ann Lee", "start": 0, "end": 7}]}
    furniture = score_article(article(), predicted).furniture
    assert furniture is not None and (furniture.precision, furniture.recall) == (0.5, 1.0)
    assert score_article(article(), {"quotes": PERFECT}).furniture is None


@pytest.mark.parametrize(("first", "second", "expected"), [
    ("Lukashenko", "Alexander Lukashenko", True),
    ("ALEXANDER LUKASHENKO", "alexander lukashenko", True),
    ("the Post", "Post", True),
    ("Trump's", "Donald Trump", True),
    ("FBI", "Federal Bureau of Investigation", True),
    ("Alexander", "Alexander Lukashenko", False),
    ("Trump", "the Trump campaign", False),
    ("Mr. Putin", "Vladimir V. Putin", True),
    ("Mrs. Clinton", "Hillary Rodham Clinton", True),
    ("Mr. Clinton", "Mrs. Clinton", False),
    ("Dr.", "Dr. Ben Carson", False),
    ("he", "he", False),
])
def test_names_match(first: str, second: str, expected: bool) -> None:
    assert names_match(first, second) is expected


def test_mention_based_speaker_matches_by_span_or_name() -> None:
    text = "Bob Marsh spoke. He said the plan was dead."
    at = text.index("He")
    gold = GoldQuote(kind="indirect", text="the plan was dead", start=text.index("the"), end=len(text) - 1,
                     speaker="He", cue="said", speaker_spans=((at, at + 2),))
    assert speaker_matches(gold, Speaker("Bob Marsh", "He", at, at + 2, "pronoun"))
    assert not speaker_matches(gold, Speaker("Bob Marsh", "Bob Marsh", 0, 9, "named"))
    named = GoldQuote(kind="indirect", text="x", start=0, end=1, speaker="longtime pollster Bob Marsh",
                      cue=None)
    assert speaker_matches(named, Speaker("Marsh", "Marsh", 0, 5, "named"))
    assert speaker_matches(GoldQuote("indirect", "x", 0, 1, None, None), None)


def test_cue_matches_words_or_span() -> None:
    said = GoldQuote(kind="indirect", text="x", start=0, end=1, speaker=None, cue="issued warnings")
    assert cue_matches(said, Cue("issued", "issue", 40, 46))
    assert not cue_matches(said, Cue("said", "say", 40, 44))
    spanned = GoldQuote(kind="indirect", text="x", start=0, end=1, speaker=None, cue="told",
                        cue_spans=((10, 14),))
    assert cue_matches(spanned, Cue("tell", "tell", 10, 14))


def test_parts_of_a_split_quote_score_as_one():
    # Gold annotates “Ann Lee said the plan was dead. "We will not go back,"” as one
    # discontinuous quote (pieces), as PolNeAR does; the tool returns its two parts.
    first, second = TEXT.index("the plan was dead"), TEXT.index("We will not go back")
    split = GoldQuote(kind="direct", text="the plan was dead ... We will not go back", start=first,
                      end=second + len("We will not go back"), speaker="Ann Lee", cue="said",
                      reported_by=(), fragments=((first, first + 17), (second, second + 19)))
    parts = [pred("the plan was dead", speaker="Ann Lee"), pred("We will not go back", "direct", "Ann Lee")]
    score = score_article(article(split), {"quotes": parts})
    assert (score.overlap.gold, score.overlap.predicted, score.overlap.correct) == (1, 1, 1)
    assert score.end_to_end.f1 == 1.0
    # parts with different speakers are different quotations: no joining
    mixed = [pred("the plan was dead", speaker="Ann Lee"), pred("We will not go back", "direct", "Bob Marsh")]
    assert score_article(article(split), {"quotes": mixed}).overlap.predicted == 2


def test_joined_parts_count_only_their_own_words():
    # A long frame between the parts ("said Bob Marsh, ...") is neither the gold's words nor the parts'.
    text = ('"We will not go back," said Bob Marsh, who led the port workers through three long strikes '
            'in the years after the old harbour company was sold. "Never."')
    first, second = (1, text.index(',"')), (text.rindex('"Never') + 1, len(text) - 2)
    gold = GoldQuote(kind="direct", text="", start=first[0], end=second[1], speaker="Bob Marsh", cue="said",
                     fragments=(first, second))
    doc = GoldArticle(name="split", corpus="test", text=text, quotes=(gold,))
    parts = [{"kind": "direct", "text": text[a:b], "start": a, "end": b, "cue": None,
              "speaker": {"name": "Bob Marsh", "mention": "Bob Marsh", "start": 0, "end": 0, "resolved_by": "named"}}
             for a, b in (first, second)]
    score = score_article(doc, {"quotes": parts})
    assert (score.overlap.predicted, score.overlap.correct, score.end_to_end.correct) == (1, 1, 1)


KINDS_TEXT = ("The port authority denied the allegations on Monday. Ida Brekke said the port would reopen. "
              "The mayor declined to comment.")


def kinds_gold(words: str, kind: str, speaker: str, cue: str) -> GoldQuote:
    start = KINDS_TEXT.index(words)
    return GoldQuote(kind=kind, text=words, start=start, end=start + len(words), speaker=speaker, cue=cue,
                     reported_by=())  # type: ignore[arg-type]


def kinds_pred(words: str, kind: str, speaker: str, cue: str, confidence: float = 0.9,
               empty: bool = False) -> dict[str, Any]:
    start, at, said = KINDS_TEXT.index(words), KINDS_TEXT.index(speaker), KINDS_TEXT.index(cue)
    return {"kind": kind, "text": "" if empty else words, "start": start, "end": start if empty else start + len(words),
            "speaker": {"name": speaker, "mention": speaker, "start": at, "end": at + len(speaker),
                        "resolved_by": "named"},
            "cue": {"text": cue, "lemma": cue, "start": said, "end": said + len(cue)}, "confidence": confidence}


KINDS_ARTICLE = GoldArticle(name="kinds", corpus="test", text=KINDS_TEXT, quotes=(
    kinds_gold("the allegations", "stance", "The port authority", "denied"),
    kinds_gold("the port would reopen", "indirect", "Ida Brekke", "said"),
    kinds_gold("declined to comment", "no_comment", "The mayor", "declined to comment"),
))


def test_a_match_across_kinds_is_found_in_the_gold_row_and_correct_in_the_predicted_row() -> None:
    predictions = [kinds_pred("the allegations", "indirect", "The port authority", "denied"),
                   kinds_pred("the port would reopen", "indirect", "Ida Brekke", "said"),
                   # a non-response stating no question: empty content, matched by its cue
                   kinds_pred("declined to comment", "no_comment", "The mayor", "declined", empty=True)]
    score = score_article(KINDS_ARTICLE, {"quotes": predictions})
    assert figures(score, "end_to_end") == (1.0, 1.0, 1.0)  # the whole score ignores kind
    stance, indirect, silent = (score.by_kind[kind] for kind in ("stance", "indirect", "no_comment"))
    assert (stance.gold, stance.found, stance.predicted, stance.recall, stance.precision) == (1, 1, 0, 1.0, None)
    assert (indirect.gold, indirect.found, indirect.predicted, indirect.correct) == (1, 1, 2, 2)
    assert (silent.precision, silent.recall) == (1.0, 1.0)
    quotations = score.figures()["quotations_quote_and_speaker"]
    assert (quotations["gold"], quotations["found"], quotations["predicted"], quotations["correct"]) == (1, 1, 2, 2)
    assert score.kind.value == pytest.approx(2 / 3)


def test_a_bare_cue_matches_only_a_gold_no_comment_it_lies_in() -> None:
    wrong_place = kinds_pred("Ida Brekke said", "no_comment", "Ida Brekke", "said", empty=True)
    score = score_article(KINDS_ARTICLE, {"quotes": [wrong_place]})
    assert (score.overlap.found, score.overlap.predicted) == (0, 1)


def test_by_kind_speaker_rows_and_expected_calibration_error() -> None:
    predictions = [kinds_pred("the allegations", "stance", "The port authority", "denied", 0.9),
                   kinds_pred("the port would reopen", "indirect", "The mayor", "said", 0.9)]  # wrong speaker
    score = score_article(KINDS_ARTICLE, {"quotes": predictions})
    assert score.by_kind_end_to_end["stance"].f1 == 1.0
    assert (score.by_kind["indirect"].f1, score.by_kind_end_to_end["indirect"].f1) == (1.0, 0.0)
    # one bucket, mean confidence 0.9, half right
    assert score.figures()["expected_calibration_error"] == pytest.approx(0.4)
