"""Indirect speech: a cue governing a content clause, read off the parse."""
from __future__ import annotations

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Token

from ..lexicon import lexicon
from ..model import Attribution
from .frames import (according_source, direct_subject, is_according_to, is_cue, make_cue, subject_of,
                     token_strings)

EDGE_TRIM = {"punct", "cc", "mark"}
NESTED_CUE_DEPS = ("advcl", "relcl", "conj", "ccomp", "parataxis")


def _has_that(clause: Token) -> bool:
    return any(child.dep_ == "mark" and child.lower_ == "that" for child in clause.children)


def _framed_content(cue: Token) -> list[Token] | None:
    """Content that comes before or around its frame: "X, a source said." and
    "X, he said, Y." The parser splits such sentences unreliably, so the frame
    is read off the commas instead: the content is the sentence around it."""
    if direct_subject(cue) is None:
        return None
    clause = next((child for child in cue.children if child.dep_ == "ccomp"), None)
    if clause is not None and clause.i > cue.i:
        return None
    skip = {token.i for token in clause.subtree} if clause is not None else set()
    frame = [token.i for token in cue.subtree if token.i not in skip and not token.is_punct]
    start, end = frame[0], frame[-1]
    sentence = cue.sent
    doc = cue.doc
    if start <= sentence.start or doc[start - 1].text != ",":
        return None
    rest = [token for token in doc[end + 1 : sentence.end] if not (token.is_punct or token.is_space)]
    if rest and doc[end + 1].text == ",":  # the frame interrupts the content
        return list(sentence)
    return list(doc[sentence.start : start - 1])


def _content_root(cue: Token) -> tuple[Token | None, list[Token]]:
    """The head of what the cue reports, plus tokens to leave out of it."""
    lex = lexicon()
    for child in cue.children:
        if child.dep_ == "ccomp":
            if cue.lemma_.lower() in lex.that_clause_verbs and not (
                    _has_that(child) or any(grand.dep_ in ("nsubj", "nsubjpass") for grand in child.children)):
                return None, []
            root = child
            # "..., arguing that X, TVPWorld reports": a relay frame trailing its
            # content sits between the cue and the content; descend to the content.
            while is_cue(root) and direct_subject(root) is not None:
                inner = next((grand for grand in root.children if grand.dep_ == "ccomp"), None)
                if inner is None or inner.i > root.i:
                    break
                root = inner
            return root, []
    # "said in a statement that X": the parser hangs the clause on the noun.
    for prep in (child for child in cue.children if child.dep_ == "prep"):
        for noun in (grand for grand in prep.children if grand.dep_ == "pobj" and grand.lemma_ in lex.speech_nouns):
            for clause in noun.children:
                if clause.dep_ in ("acl", "ccomp") and any(m.lower_ == "that" and m.dep_ == "mark" for m in clause.children):
                    return clause, []
    # "urged North Korea to resume talks", "called on the council to act": whom, and what they were urged to do.
    through = lex.directive_prepositions.get(cue.lemma_.lower())
    if cue.lemma_.lower() in lex.directive_verbs or through:
        addressee = next((child for child in cue.children if child.dep_ in ("dobj", "dative")
                          or child.dep_ == "prep" and child.lower_ == through), None)
        action = next((child for child in cue.children if child.dep_ == "xcomp" and child.i > cue.i), None)
        if addressee is not None and action is not None:
            return action, []
    # "vowed to bring the jobs back": what the speaker committed to.
    if cue.lemma_.lower() in lex.commissive_verbs:
        action = next((child for child in cue.children if child.dep_ == "xcomp" and child.i > cue.i
                       and any(grand.dep_ == "aux" and grand.lower_ == "to" for grand in child.children)), None)
        if action is not None:
            return action, []
    # "called the plan “a disaster”": the object and what it was called.
    complement = next((child for child in cue.children if child.dep_ == "oprd"), None)
    if cue.lemma_ in lex.naming_verbs and complement is not None:
        return complement, [token for token in cue.subtree if token.i < cue.i or token.i > complement.right_edge.i]
    preposition = lex.prepositional_cues.get(cue.lemma_.lower())
    if preposition:
        # "accused X of Y": the parser may hang "of Y" on X instead of the verb.
        objects = [child for child in cue.children if child.dep_ == "dobj"]
        for child in [*cue.children, *(grand for obj in objects for grand in obj.children)]:
            if child.dep_ == "prep" and child.lower_ == preposition:
                objects = [grand for grand in child.children if grand.dep_ in ("pobj", "pcomp")]
                if objects:
                    return objects[0], []
    # The parser sometimes hangs a participle cue on the verb of its own
    # content ("while insisting no plan has been discussed").
    head = cue.head
    if cue.dep_ == "advcl" and cue.tag_ == "VBG" and head.i > cue.i and head.pos_ in ("VERB", "AUX") and head.sent == cue.sent:
        return head, [token for token in head.subtree if token.i <= cue.i]
    return None, []


def _content_tokens(root: Token, excluded: list[Token], cue: Token) -> list[Token]:
    skip = {token.i for token in excluded}
    for token in root.subtree:
        if token is root or token.i in skip:
            continue
        nested = (is_cue(token) and token.dep_ in NESTED_CUE_DEPS
                  and (token.tag_ == "VBG" or any(child.dep_ == "ccomp" for child in token.children)))
        nested = nested or is_according_to(token)
        # ", comparing it to ...": a trailing participle adds the speaker's
        # manner, not the content.
        trailing_participle = token.dep_ == "advcl" and token.tag_ == "VBG" and token.nbor(-1).text == ","
        nested = nested or trailing_participle
        if nested and token is not cue:
            skip.update(sub.i for sub in token.subtree)
    ordered = [token for token in root.subtree if token.i not in skip]
    if not ordered:
        return []
    # Keep one contiguous run: stop at the first gap left by a nested frame or
    # by words outside the clause; punctuation the parser hung elsewhere stays.
    kept = {token.i for token in ordered}
    doc = root.doc
    run = [ordered[0]]
    for index in range(ordered[0].i + 1, ordered[-1].i + 1):
        token = doc[index]
        if index in skip or (index not in kept and not (token.is_punct or token.is_space)):
            break
        run.append(token)
    while run and (run[0].dep_ in EDGE_TRIM or run[0].is_space) and run[0] is not root:
        run.pop(0)
    while run and (run[-1].dep_ in EDGE_TRIM or run[-1].is_space or run[-1].is_punct) and run[-1] is not root:
        if run[-1].is_quote and sum(token.is_quote for token in run) % 2 == 0:
            break  # the mark that closes a quoted fragment inside the content
        run.pop()
    return run


def _trim(tokens: list[Token]) -> list[Token]:
    """Drop spaces and punctuation at the edges, keeping quotation marks that
    enclose words inside the content."""
    while tokens and (tokens[0].is_space or tokens[0].is_punct and not tokens[0].is_quote):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_space or tokens[-1].is_punct and not tokens[-1].is_quote):
        tokens = tokens[:-1]
    return tokens


def _noun_speaker(noun: Token) -> Token | None:
    """Whose claim: "Trump's claim that", "a statement by the ministry that", "a warning from X that",
    "the ministry issued a warning that"."""
    for child in noun.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ == "prep" and child.lower_ in ("by", "from"):
            return next((grand for grand in child.children if grand.dep_ == "pobj"), None)
    if noun.dep_ == "dobj":
        return direct_subject(noun.head)
    return None


def indirect_attributions(doc: Doc, paragraph_of: dict[int, int], quoted: set[int]) -> list[Attribution]:
    """paragraph_of maps token index -> paragraph index for content tokens;
    quoted holds the indices of tokens inside quotation marks."""
    found: list[Attribution] = []
    # The content of an "according to" frame depends on its clause alone: every such
    # frame in the clause is left out of it. A chain of them on one clause shares one
    # search, which would otherwise scan the whole clause once per frame (quadratic).
    according_content: dict[int, list[Token]] = {}
    lex = lexicon()
    lowers, lemmas = token_strings(doc, LOWER), token_strings(doc, LEMMA)
    for index in paragraph_of:
        if index in quoted:
            continue
        lemma = lemmas[index].lower()
        if lowers[index] not in lex.source_first_heads and lemma not in lex.speech_nouns and not lex.is_cue_lemma(lemma):
            continue  # none of the branches below takes it
        token = doc[index]
        if is_according_to(token):
            clause = token.head
            if clause is token:
                continue
            subject = according_source(token)
            if clause.i not in according_content:
                according_content[clause.i] = _content_tokens(clause, list(token.subtree), token)
            content = according_content[clause.i]
        elif token.pos_ == "NOUN" and token.lemma_.lower() in lexicon().speech_nouns:
            that_clause = next((child for child in token.children
                                if child.dep_ in ("acl", "ccomp") and _has_that(child)), None)
            if that_clause is None:
                continue
            subject = _noun_speaker(token)
            content = _content_tokens(that_clause, [], token)
        elif is_cue(token):
            subject = subject_of(token)
            framed = _framed_content(token)
            if framed is not None:
                content = _trim(framed)
            else:
                root, excluded = _content_root(token)
                if root is None:
                    continue
                content = _content_tokens(root, excluded, token)
        else:
            continue
        if len(content) < 2:
            continue
        start = content[0].idx
        end = content[-1].idx + len(content[-1].text)
        found.append(Attribution(
            kind="indirect", start=start, end=end, paragraph=paragraph_of[token.i],
            cue=make_cue(token), cue_token=token.i,
            subject_token=subject.i if subject is not None else None,
        ))
    return found
