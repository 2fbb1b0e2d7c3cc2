"""The table-driven attribute ruler, and the lemmatizer reading its index as sets and its tokens
as arrays, must leave exactly what spaCy's own AttributeRuler and Lemmatizer leave."""
import importlib

import pytest
from spacy.tokens import Doc

from quotetrail.attribute_ruler_table import TableAttributeRuler, use_attribute_table
from quotetrail.lemma_index import ArrayLemmatizer
from quotetrail.nlp import load_nlp, model_name

# Words the model's ruler has exceptions for: contractions, "gon na", "ai n't",
# "y' all", "There is", pronouns by dependency, "but" as an adverb, "that" as a pronoun.
TEXT = (
    "Ines Arvola said she ain't gon na sign it, and y'all know that. There is no deal,\n"
    "the union's Tomas Breck told the Harwick Ledger: \"I'm not going to let 'em win. "
    "Let's see what they've got. It was but a start, and I'd do it again.\"\n"
    "Which proposal did the council pick? That one, because it's cheaper, whereas ours isn't.\n\n"
    "  Some    spaces  \t and tabs   matter too."
)


def annotations(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


RULED = ("attribute_ruler", "lemmatizer")  # what the table ruler and the array lemmatizer stand in for


@pytest.fixture(scope="module")
def standard():
    """The model as spaCy loads it, with spaCy's own attribute ruler and lemmatizer."""
    return importlib.import_module(model_name()).load()


def ruled(nlp, doc):
    """doc after nlp's attribute ruler and lemmatizer alone, in nlp's vocabulary."""
    doc = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    for name in RULED:
        doc = nlp.get_pipe(name)(doc)
    return doc


def test_same_annotations_as_spacy(standard):
    """Both rulers read one parse (load_nlp's tagger and parser, as they run in quotetrail): what
    each tagger would make of a near tie with its own matrix products is not theirs to answer for."""
    table = load_nlp()
    assert isinstance(table.get_pipe("attribute_ruler"), TableAttributeRuler)
    assert isinstance(table.get_pipe("lemmatizer"), ArrayLemmatizer)
    upstream = table.pipe_names[:table.pipe_names.index(RULED[0])]
    assert table.pipe_names[len(upstream):len(upstream) + len(RULED)] == list(RULED)
    for text in (TEXT, TEXT.lower(), TEXT.upper()):
        with table.select_pipes(enable=upstream):
            parsed = table(text)
        assert annotations(ruled(table, parsed)) == annotations(ruled(standard, parsed))
    lemmas = {token.text: token.lemma_ for token in table(TEXT)}
    # Rules over two tokens: "ai n't", "gon na", "y' all", "Let 's".
    assert (lemmas["ai"], lemmas["gon"], lemmas["na"], lemmas["y'"]) == ("be", "go", "to", "you")


def test_rules_it_cannot_read_keep_spacys_matcher(standard):
    nlp = importlib.import_module(model_name()).load()
    nlp.get_pipe("attribute_ruler").add([[{"ORTH": "Arvola"}, {"IS_PUNCT": True, "OP": "?"}]], {"POS": "INTJ"})
    expected = [(token.text, token.pos_) for token in nlp(TEXT)]
    use_attribute_table(nlp)
    ruler = nlp.get_pipe("attribute_ruler")
    assert [(token.text, token.pos_) for token in nlp(TEXT)] == expected
    assert not ruler._supported and ("Arvola", "INTJ") in expected
