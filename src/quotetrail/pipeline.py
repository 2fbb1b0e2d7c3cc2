"""The pipeline: read → clean → analyse → attribute (rules + learned) → link."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
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
from .nlp import attribution_model_path, load_attribution_model, load_nlp
from .parse import parse, parse_many
from .sanitize import check_text
from .settings import Analysis, analysis_from_environment

BATCH_SIZE = 32


def _tagger(analysis: Analysis) -> Language | None:
    return None if analysis.rules_only else load_attribution_model(attribution_model_path(analysis.attribution_model))


def extract(text: str, nlp: Language | None = None, rules_only: bool | None = None,
            timeout: float | None = None) -> Article:
    """Extract the quotations, speakers, entities and reporting chain of one article.
    Raises quotetrail.TextError for text over 1,000,000 characters, with over 10,000 quotation
    marks or with lone surrogates; with timeout (seconds), quotetrail.DocumentTimeout (a
    TimeoutError) when it runs over."""
    return next(extract_many([text], nlp, rules_only, timeout=timeout))


def extract_many(texts: Iterable[str], nlp: Language | None = None, rules_only: bool | None = None,
                 analysis: Analysis | None = None, timeout: float | None = None) -> Iterator[Article]:
    """Stream articles through the pipeline; spaCy parses them in batches, and the
    attribution tagger reads each batch's paragraphs in one pass. analysis: which models
    (default: from the environment, see quotetrail.settings); rules_only (default: the
    analysis's, else $QUOTETRAIL_RULES_ONLY == "1") leaves the tagger out.
    Raises quotetrail.TextError, as extract does, when it reaches a text it cannot take.
    timeout: seconds for each text, which is then parsed alone (a batch's time is not
    any one text's)."""
    analysis = analysis_from_environment(rules_only) if analysis is None else (
        analysis if rules_only is None else replace(analysis, rules_only=rules_only))
    nlp = nlp or load_nlp(analysis.model)
    if timeout is not None:
        for text in texts:
            with time_limit(timeout):
                article = analyse(parse(nlp, check_text(text)), text, analysis)
            yield article  # outside the limit: the caller's time is not the text's
        return
    tagger = _tagger(analysis)
    # Carry the text beside its Doc: Doc.text rebuilds the string on every call.
    parsed = parse_many(nlp, ((check_text(text), text) for text in texts), BATCH_SIZE)
    while chunk := list(islice(parsed, BATCH_SIZE)):
        cleaned = [clean(text) for _, text in chunk]
        tagged = (tag(tagger, [(doc, found.paragraph_tokens(doc)) for (doc, _), found in zip(chunk, cleaned)])
                  if tagger is not None else [None] * len(chunk))
        for (doc, text), found, spans in zip(chunk, cleaned, tagged):
            yield _attribute_and_link(doc, text, found, spans, tagger)


def analyse(doc: Doc, text: str, analysis: Analysis | None = None) -> Article:
    """Everything after the parse, for one article: clean, attribute, link.
    analysis: which tagger, if any (default: from the environment)."""
    tagger = _tagger(analysis or analysis_from_environment())
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
