"""Per-role exact span scoring (CofeNet-style) and the content alignment."""
from __future__ import annotations

from quotetrail.evaluate.gold import GoldArticle
from quotetrail.evaluate.roles import align_content, score_roles
from quotetrail.evaluate.scorer import score_article

TEXT = 'Mayor Ilse Varga said that "the bridge will reopen in May." Critics doubt it.'


def span(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


def article(*annotators) -> GoldArticle:
    return GoldArticle(name="bridge", corpus="test", text=TEXT, quotes=(), role_spans=annotators)


ANNOTATOR = {"source": frozenset({span("Mayor Ilse Varga")}), "cue": frozenset({span("said")}),
             "content": frozenset({span('that "the bridge will reopen in May."')})}
QUOTE = {"kind": "direct", "start": span("the bridge")[0], "end": span("in May")[1],
         "speaker": {"name": "Ilse Varga", "mention": "Mayor Ilse Varga", "start": 0, "end": 16,
                     "resolved_by": "named"},
         "cue": {"text": "said", "lemma": "say", "start": span("said")[0], "end": span("said")[1]}}


def test_exact_roles_need_the_same_span_and_alignment_forgives_marks_and_that():
    raw = score_roles(article(ANNOTATOR), {"quotes": [QUOTE]})
    assert raw == {"source": (1, 1, 1), "cue": (1, 1, 1), "content": (1, 1, 0)}
    aligned = score_roles(article(ANNOTATOR), {"quotes": [QUOTE]}, aligned=True)
    assert aligned["content"] == (1, 1, 1)
    assert TEXT[slice(*align_content(TEXT, *span('that "the bridge will reopen in May."')))] == \
        "the bridge will reopen in May"


def test_every_annotator_file_counts_and_carried_over_speakers_are_not_sources():
    second = dict(ANNOTATOR, source=frozenset({span("Ilse Varga")}))
    carried = dict(QUOTE, speaker=dict(QUOTE["speaker"], resolved_by="previous-sentence"))
    counts = score_roles(article(ANNOTATOR, second), {"quotes": [QUOTE]})
    assert counts["source"] == (2, 2, 1) and counts["cue"] == (2, 2, 2)
    assert score_roles(article(ANNOTATOR), {"quotes": [carried]})["source"] == (1, 0, 0)


def test_scores_carry_role_figures_and_reliability():
    figures = score_article(article(ANNOTATOR), {"quotes": [dict(QUOTE, confidence=0.83, method="both")]}).figures()
    assert figures["roles_exact"]["cue"]["f1"] == 1.0
    assert figures["roles_aligned"]["content"]["f1"] == 1.0
    assert figures["reliability_by_confidence"]["0.8-0.9"]["quotes"] == 1
    assert figures["reliability_by_method"]["both/direct"]["mean_confidence"] == 0.83
