"""The model's lemmatizer with its word index as sets and its pass over the tokens read as
arrays: the same lemmas, far faster; and the lemmas of a few cue verbs it gets wrong, set
right (VERB_LEMMA_FIXES).

spaCy's rule lemmatizer checks each candidate lemma against the model's lemma_index
table, which the model ships as lists (57,528 verbs): `form in index` scanned a list
for every word the rules reach, about a millisecond each, which made the lemmatizer
cost a tenth of en_core_web_sm's time on real news. The lemmatizer only tests
membership (and truth) of these entries, so sets of the same words change nothing.
"""
from __future__ import annotations

import numpy
from spacy.attrs import LEMMA, LOWER, MORPH, ORTH, POS
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.strings import hash_string
from spacy.tokens import Doc

LEMMAS_MAX = 200_000  # distinct (word, POS, morphology) whose lemma is remembered


def index_as_sets(nlp: Language, name: str = "lemmatizer") -> None:
    if name not in nlp.pipe_names or not isinstance(nlp.get_pipe(name), Lemmatizer):
        return
    lookups = nlp.get_pipe(name).lookups
    if "lemma_index" not in lookups:
        return
    index = lookups.get_table("lemma_index")
    for pos, words in list(index.items()):
        if isinstance(words, list):
            index[pos] = frozenset(words)


class ArrayLemmatizer(EnglishLemmatizer):
    """spaCy's English rule lemmatizer, each (word, POS, morphology) lemmatised once: its own
    pass made a Token object per word and lemmatised every singular noun and base verb
    anew (its cache skips them), about 5 microseconds a word. The lemma is a function of
    those three values and the tables, so remembering it changes nothing."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._lemma_of: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if self.mode != "rule" or self.overwrite:
            return super().__call__(doc)
        if not self._validated:
            self._validate_tables()
        remembered = self._lemma_of
        if len(remembered) >= LEMMAS_MAX:  # a long run meets ever more words: keep memory bounded
            remembered.clear()
        orths, tags, morphs, lemmas = doc.to_array([ORTH, POS, MORPH, LEMMA]).T.tolist()
        for i, lemma in enumerate(lemmas):
            if lemma:  # set before, by the attribute ruler's exceptions
                continue
            key = (orths[i], tags[i], morphs[i])
            if key not in remembered:
                remembered[key] = doc.vocab.strings.add(self.lemmatize(doc[i])[0])
            lemmas[i] = remembered[key]
        doc.from_array([LEMMA], numpy.array(lemmas, dtype=numpy.uint64).reshape(-1, 1))
        return doc


@Language.factory("quotetrail_lemmatizer", default_config={"mode": "rule", "overwrite": False})
def make_array_lemmatizer(nlp: Language, name: str, mode: str, overwrite: bool) -> ArrayLemmatizer:
    return ArrayLemmatizer(nlp.vocab, None, name, mode=mode, overwrite=overwrite)


def lemmatize_from_arrays(nlp: Language, name: str = "lemmatizer") -> None:
    """Swap the model's English rule lemmatizer for ArrayLemmatizer, with the same tables."""
    if name not in nlp.pipe_names or type(nlp.get_pipe(name)) is not EnglishLemmatizer:
        return
    lemmatizer = nlp.get_pipe(name)
    if lemmatizer.mode != "rule":
        return
    nlp.replace_pipe(name, "quotetrail_lemmatizer", config={"mode": "rule", "overwrite": lemmatizer.overwrite})
    nlp.get_pipe(name).initialize(lookups=lemmatizer.lookups)


# Cue verbs whose every inflection spaCy's rule lemmatizer gets wrong: of the candidate lemmas
# in its index it keeps the one its last rule made ("-ed" -> "" after "-ed" -> "e"), so
# "hopes", "hoped" and "hoping" all come out as "hop" and the belief cue "hope" never
# matched; its exception table cannot help (an exception already among the candidates keeps
# its place). Set after the lemmatizer instead, read as an array (a pass over Token objects
# would cost more than the look-up).
VERB_LEMMA_FIXES = {
    form: lemma for lemma, forms in {
        "hope": ("hopes", "hoped", "hoping"),
        "lambaste": ("lambastes", "lambasted", "lambasting"),
        "retweet": ("retweeted", "retweeting"),
    }.items() for form in forms
}


_FIXED_FORMS = numpy.array([hash_string(form) for form in VERB_LEMMA_FIXES], dtype=numpy.uint64)


@Language.component("quotetrail_lemma_fixes")
def fix_verb_lemmas(doc: Doc) -> Doc:
    for index in numpy.flatnonzero(numpy.isin(doc.to_array(LOWER), _FIXED_FORMS)).tolist():
        token = doc[index]
        if token.pos_ in ("VERB", "AUX"):
            token.lemma_ = VERB_LEMMA_FIXES[token.lower_]
    return doc
