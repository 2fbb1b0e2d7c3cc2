"""The pipeline: read → clean → analyse → attribute (rules + learned) → link → describe (acts)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc

from .accurate import admission
from .acts import describe
from .attribute import find_attributions
from .attribute.learned import Tagged, model_attributions, tag
from .attribute.merge import CALIBRATION_KEY, calibrate, merge
from .clean import CleanText, clean
from .limits import time_limit
from .link import link
from .link.chain import add_setting_origins
from .model import KINDS, QUOTATIONS, Article, Attribution, QuoteKind, parse_kinds
from .nlp import load_nlp, load_tagger
from .parse import ANY_WIDE_SPACE, parse, parse_many
from .sanitize import check_text
from .settings import Analysis, analysis_from_environment, check_tier

BATCH_SIZE = 32


def _tag(tagger, articles: list[tuple[Doc, list[range]]]) -> list[list[Tagged]]:
    # The fast tier's spaCy tagger reads paragraphs (attribute.learned.tag); the accurate
    # tier's reads each article whole and gives the same records.
    return tag(tagger, articles) if isinstance(tagger, Language) else tagger.tag(articles)


def _merge(tagger, doc: Doc, text: str, rules: list[Attribution], spans: list[Tagged]) -> list[Attribution]:
    # The accurate tier weighs its tagger's own confidence (accurate/admission.py).
    if isinstance(tagger, Language):
        return merge(text, rules, model_attributions(doc, text, spans))
    return admission.merge(doc, text, rules, spans)


def extract(text: str, nlp: Language | None = None, rules_only: bool | None = None,
            kinds: str | Iterable[str] | None = None, timeout: float | None = None,
            model: str | None = None) -> Article:
    """Extract the attributions (quotations, stances, beliefs, refusals to comment), speakers,
    entities and reporting chain of one article. kinds picks which attributions to keep
    (model.parse_kinds: "all", the default, "quotations", or names such as "stance,belief").
    model picks the attribution tagger: "fast" (the default) or "accurate" (a transformer,
    slower; needs quotetrail[accurate], see docs/accurate.md).
    Raises quotetrail.TextError for text over 1,000,000 characters, with over 10,000 quotation
    marks or with lone surrogates, ValueError for a kind or model it does not know,
    ModelMissingError when the model asked for is not installed; with timeout
    (seconds), quotetrail.DocumentTimeout (a TimeoutError) when it runs over."""
    return next(extract_many([text], nlp, rules_only, kinds, timeout=timeout, model=model))


def extract_many(texts: Iterable[str], nlp: Language | None = None, rules_only: bool | None = None,
                 kinds: str | Iterable[str] | None = None, analysis: Analysis | None = None,
                 timeout: float | None = None, model: str | None = None) -> Iterator[Article]:
    """Stream articles through the pipeline; spaCy parses them in batches, and the
    attribution tagger reads each batch's paragraphs in one pass. analysis: which models
    (default: from the environment, see quotetrail.settings); rules_only (default: the
    analysis's, else $QUOTETRAIL_RULES_ONLY == "1") leaves the tagger out; kinds and model
    as for extract (default: the analysis's, else all kinds and the fast tier). Raises
    quotetrail.TextError, as extract does, when it reaches a text it cannot take. timeout:
    seconds for each text, which is then parsed alone (a batch's time is not any one text's)."""
    wanted = parse_kinds(kinds if kinds is not None or analysis is None else analysis.kinds)  # fails before any model loads
    analysis = analysis_from_environment(rules_only) if analysis is None else (
        analysis if rules_only is None else replace(analysis, rules_only=rules_only))
    analysis = replace(analysis, kinds=",".join(sorted(wanted)), tier=check_tier(model or analysis.tier))
    nlp = nlp or load_nlp(analysis.model)
    if timeout is not None:
        for text in texts:
            with time_limit(timeout):
                article = analyse(parse(nlp, check_text(text)), text, analysis)
            yield article  # outside the limit: the caller's time is not the text's
        return
    tagger = load_tagger(analysis)
    # Carry the text beside its Doc: Doc.text rebuilds the string on every call.
    parsed = parse_many(nlp, ((check_text(text), text) for text in texts), BATCH_SIZE)
    while chunk := list(islice(parsed, BATCH_SIZE)):
        cleaned = [clean(text) for _, text in chunk]
        tagged = (_tag(tagger, [(doc, found.paragraph_tokens(doc)) for (doc, _), found in zip(chunk, cleaned)])
                  if tagger is not None else [None] * len(chunk))
        for (doc, text), found, spans in zip(chunk, cleaned, tagged):
            yield _attribute_and_link(doc, text, found, spans, tagger, wanted)


def analyse(doc: Doc, text: str, analysis: Analysis | None = None) -> Article:
    """Everything after the parse, for one article: clean, attribute, link, describe. The batch
    engine's entry (CLI, corpus, web). analysis: which tagger, if any, and which kinds of
    attribution to keep (default: from the environment, every kind)."""
    analysis = analysis or analysis_from_environment()
    wanted = parse_kinds(analysis.kinds)
    tagger = load_tagger(analysis)
    cleaned = clean(text)
    spans = _tag(tagger, [(doc, cleaned.paragraph_tokens(doc))])[0] if tagger is not None else None
    return _attribute_and_link(doc, text, cleaned, spans, tagger, wanted)


def _attribute_and_link(doc: Doc, text: str, cleaned: CleanText, spans: list[Tagged] | None,
                        tagger, kinds: frozenset[QuoteKind]) -> Article:
    attributions = find_attributions(doc, cleaned)
    if spans is not None:
        attributions = _merge(tagger, doc, text, attributions, spans)
    article = link(doc, cleaned, attributions)
    if tagger is not None:
        calibrate(article.quotes, attributions, tagger.meta.get(CALIBRATION_KEY, {}))
    for quote, found in zip(article.quotes, describe(doc, article)):
        quote.act, quote.plover = found.act, found.plover
        quote.addressee, quote.setting, quote.target = found.addressee, found.setting, found.target
    add_setting_origins(article)  # the interviewing outlet, or the outlet told, is the chain's origin
    # A stance, belief or refusal nobody holds is no attribution (a quotation without a
    # speaker still shows words someone said). Kinds are chosen after linking: a left-out
    # attribution still frames its neighbours' speakers.
    article.quotes = [quote for quote in article.quotes if quote.speaker is not None or quote.kind in QUOTATIONS]
    if ANY_WIDE_SPACE.search(text):  # a search, not a second translated copy of the text
        _in_the_users_words(article, text)
    return article if len(kinds) == len(KINDS) else article.of_kinds(kinds)


def _in_the_users_words(article: Article, text: str) -> None:
    """The parser read wide spaces as plain ones (parse.WIDE_SPACES), and the words of a span
    built from its tokens show them so: each span shows the user's own text again, where its
    offsets point."""
    for quote in article.quotes:
        if quote.cue is not None:
            quote.cue.text = text[quote.cue.start:quote.cue.end]
        if quote.speaker is not None:
            quote.speaker.mention = text[quote.speaker.start:quote.speaker.end]
        quote.addressee, quote.setting, quote.target = (
            None if part is None else replace(part, text=text[part.start:part.end])
            for part in (quote.addressee, quote.setting, quote.target))
    for entity in article.entities:
        entity.mentions = [replace(mention, text=text[mention.start:mention.end]) for mention in entity.mentions]
    for source in article.sources:
        source.evidence = [replace(span, text=text[span.start:span.end]) for span in source.evidence]
    for origin in article.meta.get("origin", ()):
        origin["evidence"] = text[origin["start"]:origin["end"]]
