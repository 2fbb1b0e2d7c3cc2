"""The model's lemmatizer with every lemma remembered per (word, POS, morphology): the
same lemmas, a dict look-up per token.

spaCy's rule lemmatizer walks the Doc a Token object at a time in Python and remembers
only the words its suffix rules reach: base forms (most words) are worked out again at
each occurrence. A lemma depends on nothing but the word, its POS and its morphology
(Lemmatizer.rule_lemmatize), so each is asked of spaCy once and then looked up.
"""
from __future__ import annotations

import numpy
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.errors import Errors
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

CACHE_MAX = 100_000  # distinct (word, POS, morphology) remembered: memory stays bounded on long runs


class LemmaTable:
    """Wraps the pipeline's rule lemmatizer (use_lemma_table); anything else runs as it is."""

    def __init__(self, lemmatizer: Lemmatizer | None = None) -> None:
        self.lemmatizer = lemmatizer
        self._lemmas: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        lemmatizer = self.lemmatizer
        if lemmatizer is None or lemmatizer.mode != "rule":
            return lemmatizer(doc) if lemmatizer is not None else doc
        if not lemmatizer._validated:
            lemmatizer._validate_tables(Errors.E1004)  # what spaCy's __call__ checks first
        lemmas = self._lemmas
        strings = doc.vocab.strings
        found = []
        for i, (orth, pos, morph, lemma) in enumerate(doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()):
            if lemmatizer.overwrite or lemma == 0:
                key = (orth, pos, morph)
                lemma = lemmas.get(key)
                if lemma is None:
                    if len(lemmas) >= CACHE_MAX:
                        lemmas.clear()
                    lemma = lemmas[key] = strings.add(lemmatizer.lemmatize(doc[i])[0])
            found.append(lemma)
        if found:
            doc.from_array([LEMMA], numpy.array(found, dtype=numpy.uint64).reshape(-1, 1))
        return doc


@Language.factory("quotetrail_lemmatizer")
def make_lemma_table(nlp: Language, name: str) -> LemmaTable:
    return LemmaTable()


def use_lemma_table(nlp: Language, name: str = "lemmatizer") -> None:
    """Put the lemma table in front of the pipeline's lemmatizer, same tables, same lemmas."""
    if name not in nlp.pipe_names or not isinstance(nlp.get_pipe(name), Lemmatizer):
        return
    lemmatizer = nlp.get_pipe(name)
    nlp.replace_pipe(name, "quotetrail_lemmatizer")
    nlp.get_pipe(name).lemmatizer = lemmatizer
