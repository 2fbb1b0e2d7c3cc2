"""The pipeline: read → clean → analyse → attribute → link."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from .attribute import find_attributions
from .clean import clean
from .link import link
from .model import Article
from .nlp import load_nlp
from .sanitize import check_text

BATCH_SIZE = 32


def extract(text: str, nlp: Language | None = None) -> Article:
    """Extract the quotations, speakers, entities and reporting chain of one article.
    Raises quotetrail.TextError for text over 1,000,000 characters or with lone surrogates."""
    return next(extract_many([text], nlp))


def extract_many(texts: Iterable[str], nlp: Language | None = None) -> Iterator[Article]:
    """Stream articles through the pipeline; spaCy parses them in batches.
    Raises quotetrail.TextError, as extract does, when it reaches a text it cannot take."""
    nlp = nlp or load_nlp()
    # Carry the text beside its Doc: Doc.text rebuilds the string on every call.
    for doc, text in nlp.pipe(((check_text(text), text) for text in texts), batch_size=BATCH_SIZE, as_tuples=True):
        yield analyse(doc, text)


def analyse(doc: Doc, text: str) -> Article:
    """Everything after the parse, for one article: clean, attribute, link."""
    cleaned = clean(text)
    return link(doc, cleaned, find_attributions(doc, cleaned))
