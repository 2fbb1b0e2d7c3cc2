"""The pipeline: read → clean → analyse → attribute (rules + learned) → link."""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc

from .attribute import find_attributions
from .attribute.learned import Tagged, model_attributions, tag
from .attribute.merge import CALIBRATION_KEY, calibrate, merge
from .clean import CleanText, clean
from .limits import time_limit
from .link import link
from .model import Article
from .nlp import load_attribution_model, load_nlp
from .parse import parse, parse_many
from .sanitize import check_text

BATCH_SIZE = 32
# "1": the hand-written rules alone, without the learned attribution tagger
# (faster; figures for both in the README and MODEL_CARD.md).
RULES_ONLY_ENV = "QUOTETRAIL_RULES_ONLY"


def rules_only_default() -> bool:
    return os.environ.get(RULES_ONLY_ENV, "") == "1"


def _tagger(rules_only: bool | None) -> Language | None:
    if rules_only is None:
        rules_only = rules_only_default()
    return None if rules_only else load_attribution_model()


def extract(text: str, nlp: Language | None = None, rules_only: bool | None = None,
            timeout: float | None = None) -> Article:
    """Extract the quotations, speakers, entities and reporting chain of one article.
    Raises quotetrail.TextError for text over 1,000,000 characters, with over 10,000 quotation
    marks or with lone surrogates;
    with timeout (seconds), quotetrail.DocumentTimeout (a TimeoutError) when it runs over."""
    return next(extract_many([text], nlp, rules_only, timeout))


def extract_many(texts: Iterable[str], nlp: Language | None = None,
                 rules_only: bool | None = None, timeout: float | None = None) -> Iterator[Article]:
    """Stream articles through the pipeline; spaCy parses them in batches, and the
    attribution tagger reads each batch's paragraphs in one pass. rules_only
    (default: $QUOTETRAIL_RULES_ONLY == "1", else off) leaves the tagger out.
    Raises quotetrail.TextError, as extract does, when it reaches a text it cannot take.
    timeout: seconds for each text, which is then parsed alone (a batch's time is not
    any one text's)."""
    nlp = nlp or load_nlp()
    if timeout is not None:
        for text in texts:
            with time_limit(timeout):
                article = analyse(parse(nlp, check_text(text)), text, rules_only)
            yield article  # outside the limit: the caller's time is not the text's
        return
    tagger = _tagger(rules_only)
    # Carry the text beside its Doc: Doc.text rebuilds the string on every call.
    parsed = parse_many(nlp, ((check_text(text), text) for text in texts), BATCH_SIZE)
    while chunk := list(islice(parsed, BATCH_SIZE)):
        cleaned = [clean(text) for _, text in chunk]
        tagged = (tag(tagger, [(doc, found.paragraph_tokens(doc)) for (doc, _), found in zip(chunk, cleaned)])
                  if tagger is not None else [None] * len(chunk))
        for (doc, text), found, spans in zip(chunk, cleaned, tagged):
            yield _attribute_and_link(doc, text, found, spans, tagger)


def analyse(doc: Doc, text: str, rules_only: bool | None = None) -> Article:
    """Everything after the parse, for one article: clean, attribute, link."""
    tagger = _tagger(rules_only)
    cleaned = clean(text)
    spans = tag(tagger, [(doc, cleaned.paragraph_tokens(doc))])[0] if tagger is not None else None
    return _attribute_and_link(doc, text, cleaned, spans, tagger)


def _attribute_and_link(doc: Doc, text: str, cleaned: CleanText, spans: list[Tagged] | None,
                        tagger: Language | None) -> Article:
    attributions = find_attributions(doc, cleaned)
    if spans is not None:
        attributions = merge(text, attributions, model_attributions(doc, text, spans))
    article = link(doc, cleaned, attributions)
    if tagger is not None:
        calibrate(article.quotes, attributions, tagger.meta.get(CALIBRATION_KEY, {}))
    return article
