"""What kind of attribution a content is, from its shape and its cue.

One decision for every proposer (rule frames and the learned tagger):
- no_comment: a refusal of speech ("declined to comment", "refused to say
  whether ...", "did not say when ...") or an unanswered request ("did not
  respond to a request for comment", "could not be reached"); the content is
  what went unanswered, or the refusal itself when nothing is named;
- belief: a cue of thought, expectation or intention ("believes", "expects",
  "fears", "wants", "plans"), unless the content holds the speaker's own words
  in double marks (then it is a quotation);
- direct / mixed / indirect: a content that is a finite clause or holds quoted
  words (quote_kind);
- stance: any other content of a speech act, a noun phrase, gerund or
  prepositional complement ("denied the allegations", "called for an inquiry").
"""
from __future__ import annotations

from spacy.tokens import Span, Token

from ..lexicon import lexicon
from ..model import QuoteKind

FINITE_TAGS = ("VBD", "VBP", "VBZ", "MD")
SUBJECTS = ("nsubj", "nsubjpass", "expl", "csubj")
OPEN_MARKS = "\"“«„"
CLOSE_MARKS = "\"”»“"
DOUBLE_MARKS = frozenset({*OPEN_MARKS, *CLOSE_MARKS, "''", "``"})


def quote_kind(text: str) -> QuoteKind:
    """direct: one pair of double marks encloses the whole content; mixed: marks inside it."""
    core = text.strip().rstrip(".,;:!?")
    if len(core) >= 2 and core[0] in OPEN_MARKS and core[-1] in CLOSE_MARKS:
        if not any(mark in core[1:-1] for mark in OPEN_MARKS + CLOSE_MARKS):
            return "direct"
    return "mixed" if any(mark in core for mark in OPEN_MARKS + CLOSE_MARKS) else "indirect"


def _is_clause(head: Token) -> bool:
    return head.tag_ in FINITE_TAGS or any(child.dep_ in SUBJECTS for child in head.children)


def holds_quoted_words(content: Span) -> bool:
    """Double marks inside the content or right around it ("calls “the only good idea”":
    the frames' content runs inside the marks)."""
    doc = content.doc
    around = [doc[i] for i in (content.start - 1, content.end) if 0 <= i < len(doc)]
    return any(token.text in DOUBLE_MARKS for token in (*content, *around))


def _is_infinitive(head: Token) -> bool:
    """"urged the council to act", "vowed to rebuild": a clause whose subject is the
    verb's object or its speaker, reported as indirect speech."""
    return head.pos_ in ("VERB", "AUX") and any(child.dep_ == "aux" and child.lower_ == "to" for child in head.children)


def _is_charge(head: Token) -> bool:
    """"accused the label of trying to stop her", "blamed the board for cutting jobs": a
    gerund whose subject is the cue's object, a proposition reported as indirect speech."""
    preposition = head.head
    if not (head.tag_ == "VBG" and head.dep_ == "pcomp" and preposition.dep_ == "prep"):
        return False
    # The parser hangs "of Y" on the verb or on its object ("accused [the organisers of Y]").
    attached = preposition.head
    verb = attached.head if attached.dep_ == "dobj" else attached
    return (lexicon().prepositional_cues.get(verb.lemma_.lower()) == preposition.lower_
            and any(child.dep_ == "dobj" for child in verb.children))


def is_bare_infinitive(content: Span) -> bool:
    """A to-clause and nothing finite: "to complete the form", "to rebuild the pier"."""
    return _is_infinitive(content.root) and not _is_clause(content.root) and not holds_quoted_words(content)


NOMINAL_HEADS = ("NOUN", "PROPN", "VERB", "NUM", "X")  # a noun phrase or gerund ("VERB": the gerund)


NAMES = ("PERSON", "ORG", "NORP", "GPE")


def is_nominal(content: Span) -> bool:
    """A stance's content: a noun phrase or gerund, not a pronoun, "which", a stray
    adverbial ("For example") or a bare name ("..., Okoro said, Coastline Radio reported":
    whom or which outlet, not what)."""
    if content[0].is_punct or content.root.pos_ not in NOMINAL_HEADS:
        return False
    words = [token for token in content if not token.is_punct]
    return not (words and all(token.ent_type_ in NAMES for token in words))


def is_passive(cue: Span | list[Token]) -> bool:
    """"has been denied a vote", "were asked": the subject is not who took the position."""
    return any(token.dep_ == "auxpass" or any(child.dep_ == "auxpass" for child in token.children) for token in cue)


def is_statement(content: Span) -> bool:
    """A finite or infinitival clause, a charge ("accused X of lying"), or a phrase holding
    the speaker's own words in double marks ("called the plan “a costly folly”": mixed)."""
    root = content.root
    return _is_clause(root) or _is_infinitive(root) or _is_charge(root) or holds_quoted_words(content)


def _lemmas(tokens: Span | list[Token]) -> list[str]:
    return [token.lemma_.lower() for token in tokens]


def is_belief_cue(cue: Span | list[Token]) -> bool:
    """A cue of thought, expectation or intention: a word of it is a belief word and
    none a verb or noun of speech ("said he expects" is a belief through its cue
    "expects"; "expressed hope" through "hope"). Not a passive one: in "the deal is
    expected to pass" the subject is what is expected, and the holder unnamed."""
    lex = lexicon()
    lemmas = _lemmas(cue)
    return any(lemma in lex.belief_cues for lemma in lemmas) and not any(
        lex.is_cue_lemma(lemma) or lemma in lex.speech_nouns for lemma in lemmas) and not is_passive(cue)


def _negated(tokens: list[Token]) -> bool:
    return any(token.dep_ == "neg" or token.lower_ in ("not", "n't", "never") for token in tokens)


def is_no_comment(cue: Span | list[Token], content: Span | None) -> bool:
    """A refusal of speech or an unanswered request: "declined to comment", "refused
    to say whether ...", "did not respond to questions", "could not be reached"."""
    lex = lexicon()
    lemmas = set(_lemmas(cue))
    words = list(cue)
    if words:
        root = words[0].doc[min(t.i for t in words):max(t.i for t in words) + 1].root
        words = [*words, *(child for child in root.children if child.dep_ == "neg")]
    if lemmas & lex.unanswered_verbs and _negated(words):
        return True
    if not lemmas & lex.refusal_verbs:
        return False
    if content is None or not len(content):
        return True
    # What was refused is speech: "to comment", "to say whether", "to discuss the case".
    verb = next((token for token in content if token.pos_ in ("VERB", "AUX") or token.lemma_.lower() in lex.silence_objects), None)
    lemma = verb.lemma_.lower() if verb is not None else ""
    return lemma in lex.silence_objects or lex.is_cue_lemma(lemma)


def kind_of(content: Span, cue: Span | list[Token] | None, text: str) -> QuoteKind:
    """The kind of one attribution (module docstring); text is the content's characters."""
    quoted = holds_quoted_words(content)
    if cue is not None and len(cue) and not quoted:
        if is_no_comment(cue, content):
            return "no_comment"
        if is_belief_cue(cue):
            return "belief"
    # "According to X, ...": what X reports, whatever shape the parse gives it.
    if is_statement(content) or cue is not None and any(token.lower_ in lexicon().source_first_heads for token in cue):
        return quote_kind(text)
    return "stance"


__all__ = ["kind_of", "quote_kind", "is_statement", "is_bare_infinitive", "is_nominal", "is_passive", "is_belief_cue",
           "is_no_comment"]
