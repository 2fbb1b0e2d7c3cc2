"""What kind of attribution a content is, from its shape and its cue.

One decision for every proposer (rule frames and the learned tagger):
- no_comment: a refusal of speech ("declined to comment", "refused to say
  whether ...", "did not say when ...") or an unanswered request ("did not
  respond to a request for comment", "could not be reached"); the content is
  what went unanswered, or the refusal itself when nothing is named;
- belief: a cue of thought, expectation or intention ("believes", "expects",
  "fears", "wants", "plans", "would like to"), or of knowing with a clause
  ("realized that ..."), whatever the content holds (as the gold rule reads it:
  a thought in the speaker's own words is still a thought);
- direct / mixed / indirect: a content that is a finite clause or holds quoted
  words (quote_kind);
- stance: any other content of a speech act, a noun phrase, gerund or
  prepositional complement ("denied the allegations", "called for an inquiry").
"""
from __future__ import annotations

from spacy.tokens import Span, Token

from ..lexicon import lexicon
from ..model import QuoteKind
from .direct import ADDRESSEE_CUES, encloses_title
from .frames import AGENT_NAMES, FINITE_TAGS, is_author_voice

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
    # a title's marks hold no one's words: "pointed to the report “Tides of Change”"
    return any(token.text in DOUBLE_MARKS and not encloses_title(token) for token in (*content, *around))


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


def is_nominal(content: Span) -> bool:
    """A stance's content: a noun phrase or gerund ("being unfair to her": an auxiliary's
    gerund too), not a pronoun, "which", a stray adverbial ("For example"), a bare name
    ("..., Okoro said, Coastline Radio reported": whom or which outlet, not what) or a source
    ("citing an anonymous government source": whose words are relayed)."""
    if content[0].is_punct or content.root.pos_ not in NOMINAL_HEADS and content.root.tag_ != "VBG":
        return False
    if content.root.lemma_.lower() == "source":
        return False
    words = [token for token in content if not token.is_punct]
    return not (words and all(token.ent_type_ in AGENT_NAMES for token in words))


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
        (lex.is_cue_lemma(lemma) or lemma in lex.speech_nouns) and lemma not in lex.belief_cues
        for lemma in lemmas) and not is_passive(cue)


QUESTION_WORDS = frozenset("whether if how why what when where who whom which".split())


def is_knowing_belief(cue: Span | list[Token], content: Span) -> bool:
    """"realized that the mice carried it", "knows the shutdown could hurt him": a verb of
    knowing with a clause; not with a noun phrase ("knew far less about ...") or a question
    ("don't yet know what they sense")."""
    words = [token for token in content if not token.is_punct]
    return (any(lemma in lexicon().knowing_verbs for lemma in _lemmas(cue)) and not is_passive(cue)
            and bool(words) and words[0].lower_ not in QUESTION_WORDS and _is_clause(content.root))


def is_wish(cue: Span | list[Token], content: Span) -> bool:
    """"would like to see", "would love to": a wish through "would", with a to-clause."""
    wishes = [token for token in cue if token.lemma_.lower() in lexicon().wishing_verbs]
    return bool(wishes) and _is_infinitive(content.root) and any(
        token.lower_ in ("would", "'d", "’d") for wish in wishes for token in (*cue, *wish.children))


def is_belief(cue: Span | list[Token], content: Span) -> bool:
    return is_belief_cue(cue) or is_knowing_belief(cue, content) or is_wish(cue, content)


def _negated(tokens: list[Token]) -> bool:
    return any(token.dep_ == "neg" or token.lower_ in ("not", "n't", "never") for token in tokens)


def _own_negation(verb: Token, negation: Token) -> bool:
    """A negation of the verb's own clause: before it with only words between ("did not
    immediately respond"), not one the parse hangs on it from quoted words ("“Absolutely
    not,” Clinton responded")."""
    return negation.i > verb.i or not any(token.is_punct for token in verb.doc[negation.i + 1 : verb.i])


def is_no_comment(cue: Span | list[Token], content: Span | None) -> bool:
    """A refusal of speech or an unanswered request: "declined to comment", "refused
    to say whether ...", "did not respond to questions", "could not be reached", "had no
    comment", or information withheld: "did not give a date for the launch"."""
    lex = lexicon()
    lemmas = set(_lemmas(cue))
    words = list(cue)
    if words:
        root = words[0].doc[min(t.i for t in words):max(t.i for t in words) + 1].root
        words = [*words, *(child for child in root.children if child.dep_ == "neg" and _own_negation(root, child))]
    negated = _negated(words)
    unanswered = lemmas & lex.unanswered_verbs
    if unanswered and negated:
        if unanswered <= lex.unanswered_passive and not is_passive(cue):
            return False  # "did not reach a deal"
        if is_passive(cue) and not unanswered <= lex.unanswered_passive:
            return False  # "details have not been disclosed": no one named who kept them back
        if unanswered <= lex.answer_requests:  # "did not return calls", not "did not return to the game"
            return content is not None and len(content) > 0 and content.root.lemma_.lower() in lex.request_nouns
        return True
    if lemmas & lex.no_answer_nouns and any(token.lower_ == "no" for token in cue):
        return True
    if lemmas & lex.withholding_verbs and negated:
        return content is not None and len(content) > 0 and content.root.lemma_.lower() in lex.withheld_nouns
    if not lemmas & lex.refusal_verbs:
        return False
    if content is None or not len(content):
        return True
    # What was refused is speech: "to comment", "to say whether", "to discuss the case",
    # "to state when" (which the tagger may read as a noun).
    refused = content.root.lemma_.lower()
    if refused in lex.silence_objects or lex.is_cue_lemma(refused):
        return True
    verb = next((token for token in content if token.pos_ in ("VERB", "AUX") or token.lemma_.lower() in lex.silence_objects), None)
    lemma = verb.lemma_.lower() if verb is not None else ""
    return lemma in lex.silence_objects or lex.is_cue_lemma(lemma)


def in_other_sense(verb: Token) -> bool:
    """"called off the deal", "charged a $100 fee", "assumed his post", "pledged delegates": a verb
    of saying or thinking in a sense that reports nothing, told by its particle, its object's head
    or the noun it describes as a participle (lexicon other_senses). Not "called for a deal",
    "charged that the fee was illegal", "assumed his rival would win"."""
    words = lexicon().other_senses.get(verb.lemma_.lower())
    if not words:
        return False
    if verb.dep_ == "amod" and verb.head.lemma_.lower() in words:
        return True
    return any(child.dep_ in ("prt", "dobj") and child.lemma_.lower() in words for child in verb.children)


def _is_addressee(cue: Token, content: Span) -> bool:
    """"asked the contender if he was ready", "warning followers on social media that ...":
    the object of a verb of telling or asking with what was told or asked after it is whom it
    was said to, not a position taken on it."""
    root = content.root
    if cue.lemma_.lower() not in ADDRESSEE_CUES or root.dep_ != "dobj" or root.head.i != cue.i or (
            content[0].lower_ in QUESTION_WORDS):
        return False
    # up to the cue's own next clause ("asked X, but the campaign refused to answer")
    end = min((child.i for child in cue.children if child.dep_ in ("cc", "conj") and child.i > root.i),
              default=cue.right_edge.i + 1)
    after = cue.doc[root.right_edge.i + 1 : end]
    return any(token.dep_ in ("ccomp", "xcomp", "advcl") and token.head.i == cue.i
               or token.dep_ == "mark" and token.lower_ in ("that", "if", "whether")
               or token.dep_ == "aux" and token.lower_ == "to" for token in after)


def _names_no_act(cue: Span | list[Token], content: Span) -> bool:
    """"has not endorsed a candidate", "didn't offer an alternative": a negated act on something
    indefinite took no position on anything (not "did not deny the report", nor "did not mention
    any consequences": a position on a thing named, or on all of a kind)."""
    words = [token for token in content if not token.is_punct]
    if not words or words[0].lower_ not in ("a", "an") or words[0].head.i != content.root.i:
        return False
    heads = [token for token in cue if token.pos_ in ("VERB", "AUX")]
    return _negated([*cue, *(child for head in heads for child in head.children if child.dep_ == "neg")])


def takes_no_position(cue: Token, cue_words: Span | list[Token], content: Span) -> bool:
    """A stance's object that is no position taken: whom it was said to ("asked [the contender]
    if ..."), or a negated act on something indefinite ("has not endorsed [a candidate]"). The
    rules and the tagger alike."""
    return _is_addressee(cue, content) or _names_no_act(cue_words, content)


def is_asserted(verb: Token) -> bool:
    """Whether a stance or belief verb reports an act or thought that took place, rather than
    a purpose, a possibility or a question: not "sending troops to defend Ukraine", "investors may
    want to think twice", "would they prefer a moderate?", "what can a
    friend do to support her", "would allow leaders to claim victory", "depends on whether he
    believes", "better than expected results". "went on to thank" and "took to Twitter to slam"
    are asserted."""
    if verb.tag_ == "VBN" and not any(child.dep_ in ("aux", "auxpass", "nsubj") for child in verb.children):
        return False  # a participle read as an adjective
    lex = lexicon()
    if any(child.dep_ == "aux" and child.lower_ in lex.possibility_modals for child in verb.children):
        return False
    subject = next((child for child in verb.children if child.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is not None and verb.sent.text.rstrip().endswith("?") and any(
            child.dep_ in ("aux", "auxpass") and child.i < subject.i for child in verb.children):
        return False  # "Would they prefer an Obama nominee?": a question
    if any(child.dep_ == "dobj" and any(grand.tag_ in ("WDT", "WP") for grand in child.children)
           for child in verb.children):
        return False  # "what price he'll demand for his support"
    if any(child.dep_ == "dobj" and child.tag_ in ("WP", "WDT") for child in verb.children):
        return False  # "what they want to pin on him": the object is a question
    if any(child.dep_ == "aux" and child.lower_ == "to" for child in verb.children):
        head = verb.head
        helpers = [child for child in head.children if child.dep_ in ("aux", "auxpass")]
        if head.i == verb.i or head.pos_ not in ("VERB", "AUX") or any(child.lower_ in lex.hypothetical_modals for child in helpers):
            return False
        if any(child.dep_ == "dobj" and child.i < verb.i for child in head.children):
            return False  # "sent wardens to defend the wall": the wardens' errand, not the council's position
        if lex.is_cue_lemma(head.lemma_.lower()):
            return False  # "said on a call to announce the move": what was said is the head's
        if head.tag_ not in FINITE_TAGS and not any(child.tag_ in FINITE_TAGS for child in helpers):
            return False
    for token in (verb, *verb.ancestors):
        if any(child.dep_ == "mark" and child.lower_ in ("whether", "if") for child in token.children):
            return False
        if token is not verb and is_author_voice(token) and lex.is_cue_lemma(token.lemma_.lower()):
            return False  # "it's safe to say he's referring to X": the writer's guess at his act
    return True


TIME_PREPOSITIONS = frozenset({"after", "before", "during", "since", "until", "amid", "following"})


def _verb_adverbial(token: Token, inside: set[int]) -> bool:
    """When the verb's act took place, hung on the verb: "after trading places", "while
    speaking to NBC", "as it was sailing through" (from the clause's first word)."""
    if token.head.i in inside or token.head.pos_ not in ("VERB", "AUX"):
        return False
    if token.dep_ == "prep":
        return token.lower_ in TIME_PREPOSITIONS
    if token.dep_ == "advcl":
        return any(child.dep_ == "mark" and child.i < token.i for child in token.children)
    return False


def _setting(token: Token) -> bool:
    """"in a statement", "at a rally", "on Monday": where or when, not what."""
    lex = lexicon()
    if token.dep_ != "prep" or token.lower_ not in lex.setting_prepositions:
        return False
    place = next((child for child in token.children if child.dep_ == "pobj"), None)
    return place is not None and (place.lemma_.lower() in lex.setting_nouns or place.ent_type_ in ("DATE", "TIME"))


def without_setting(tokens: list[Token]) -> list[Token]:
    """A stance's content up to where or when the act took place: "denied the allegations [in a
    statement]", "praised the reporter [at a press conference]", "the plan [on Monday]",
    "reaffirmed those sentiments [immediately after the trade]" (an adverbial of the verb)."""
    if not tokens:
        return tokens
    inside = {token.i for token in tokens}
    cuts = [token.left_edge.i for token in tokens[1:] if _verb_adverbial(token, inside) or _setting(token)]
    cut = min((at for at in cuts if at > tokens[0].i), default=None)
    if cut is None:
        return tokens
    kept = [token for token in tokens if token.i < cut]
    while kept and (kept[-1].is_punct or kept[-1].is_space):
        kept = kept[:-1]
    return kept


def _after_that(content: Span) -> bool:
    first = content[0] if content[0].lower_ == "that" else content.doc[content.start - 1] if content.start else None
    return first is not None and first.lower_ == "that" and first.dep_ == "mark"


def kind_of(content: Span, cue: Span | list[Token] | None, text: str) -> QuoteKind:
    """The kind of one attribution (module docstring); text is the content's characters."""
    quoted = holds_quoted_words(content)
    if cue is not None and len(cue):
        if not quoted and is_no_comment(cue, content):
            return "no_comment"
        if is_belief(cue, content):
            return "belief"
    # "According to X, ...": what X reports, whatever shape the parse gives it; "mentioned that
    # ...": a that-clause, however the parser cut it.
    if is_statement(content) or _after_that(content) or cue is not None and any(token.lower_ in lexicon().source_first_heads for token in cue):
        return quote_kind(text)
    return "stance"


__all__ = ["kind_of", "quote_kind", "is_statement", "is_bare_infinitive", "is_nominal", "is_passive", "is_belief_cue",
           "is_belief", "is_knowing_belief", "is_wish", "is_no_comment", "without_setting", "is_asserted",
           "takes_no_position", "in_other_sense"]
