"""The model's lemmatizer with its word index as sets: the same lemmas, far faster; and
the lemmas of a few cue verbs it gets wrong, set right (VERB_LEMMA_FIXES).

spaCy's rule lemmatizer checks each candidate lemma against the model's lemma_index
table, which the model ships as lists (57,528 verbs): `form in index` scanned a list
for every word the rules reach, about a millisecond each, which made the lemmatizer
cost a tenth of en_core_web_sm's time on real news. The lemmatizer only tests
membership (and truth) of these entries, so sets of the same words change nothing.
"""
from __future__ import annotations

import numpy
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.strings import hash_string
from spacy.tokens import Doc


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
