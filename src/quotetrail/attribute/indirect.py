"""Indirect speech: a cue governing a content clause, read off the parse."""
from __future__ import annotations

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Token

from ..lexicon import lexicon
from ..model import QUOTATIONS, Attribution
from .direct import TITLE_LEAD_TOKENS, names_a_work
from .frames import (QUOTING_VERBS, according_source, commits, cue_tokens, direct_subject, is_according_to, is_cue,
                     is_happening, make_cue, names_someone, names_without_namer, speaks_for_its_noun, subject_of, token_strings)
from .kinds import (FINITE_TAGS, QUESTION_WORDS, SUBJECTS, in_other_sense, is_asserted, is_belief_cue,
                    is_knowing_belief, is_no_comment, is_nominal, is_passive, is_wish, kind_of, takes_no_position,
                    without_setting)

EDGE_TRIM = {"punct", "cc", "mark"}
# What opens a clause of when or why, which the parser sometimes hangs on a cue as its content.
ADVERBIAL_MARKS = frozenset({"as", "when", "while", "because", "after", "before", "since", "until", "although",
                             "though"})
IMPERSONAL_SUBJECTS = ("it", "which", "that", "this", "there", "what", "one", "you")
# Frames of their own, left out of a content; not a relative clause ("lost a voice that said X"):
# the content reports it whole (PolNeAR's nested attributions), and it is an attribution too.
NESTED_CUE_DEPS = ("advcl", "conj", "ccomp", "parataxis")
FINITE = tuple(tag for tag in FINITE_TAGS if tag != "MD")  # a finite verb of its own, not a modal


def _has_that(clause: Token) -> bool:
    return any(child.dep_ == "mark" and child.lower_ == "that" for child in clause.children)


def _finite(verb: Token) -> bool:
    return verb.tag_ in FINITE_TAGS or any(
        child.dep_ in ("aux", "auxpass") and child.lower_ != "to" for child in verb.children)


def _clause_after(cue: Token, child: Token) -> bool:
    """A clause after the cue that it governs: with "that" or a subject of its own (not a word the
    parser misread as a verb, "told the daily Jornal [do] Cais")."""
    return child.dep_ == "ccomp" and child.i > cue.i and (_has_that(child) or any(
        grand.dep_ in SUBJECTS for grand in child.children))


def _frames_before(cue: Token) -> bool:
    """Whether a cue may frame a clause before it ("X, the mayor said"): not a passive ("Nobody
    opposed him — he was confirmed 92 to 0": what was confirmed is its subject), nor a clause of
    its own after "so" or "and" ("X needed to know, so he dubbed ...")."""
    return not is_passive([cue]) and not any(
        child.i < cue.i and (child.dep_ == "cc" or child.lower_ == "so") for child in cue.children)


def _framed_content(cue: Token) -> list[Token] | None:
    """Content that comes before or around its frame: "X, a source said." and
    "X, he said, Y." The parser splits such sentences unreliably, so the frame
    is read off the commas instead: the content is the sentence around it."""
    # "..., which described it as X": a relative clause frames nothing before its noun, nor
    # does a subordinate one ("..., while the US maintains tariffs").
    if direct_subject(cue) is None or cue.dep_ == "relcl" or not _frames_before(cue) or any(
            child.dep_ == "mark" and child.lower_ != "that" for child in cue.children):
        return None
    clause = next((child for child in cue.children if child.dep_ == "ccomp"), None)
    if clause is not None and clause.i > cue.i or any(_clause_after(cue, child) for child in cue.rights):
        return None  # "Smith, who sits ..., said that X": a clause after the cue is its content
    skip = {token.i for token in clause.subtree} if clause is not None else set()
    frame = [token.i for token in cue.subtree if token.i not in skip and not token.is_punct]
    start, end = frame[0], frame[-1]
    sentence = cue.sent
    doc = cue.doc
    if start <= sentence.start or doc[start - 1].text != ",":
        return None
    rest = [token for token in doc[end + 1 : sentence.end] if not (token.is_punct or token.is_space)]
    before = doc[sentence.start : start - 1]
    if rest and doc[end + 1].text == ",":  # the frame interrupts the content
        # "And yet, aides say, X", "With rebels gaining ground, they said, X": words before the
        # frame with no subject of a finite clause (theirs or the one after the frame) are an
        # adverbial of the sentence, not part of the content; unless they are quoted words this
        # frame frames ("«…», he added, which translates as …"); a relative clause after the
        # frame is the writer's.
        after = doc[end + 2 : sentence.end]
        if not any(token.dep_ in SUBJECTS and (not before.start <= token.head.i < before.end or _finite(token.head))
                   or token.is_quote for token in before):
            return list(after) if len(after) and after[0].tag_ not in ("WDT", "WP", "WP$") else None
        return list(sentence)
    return list(before)


DECIDING_VERBS = ("determine", "establish")  # "help determine who succeeds him": what is yet to be decided
LEARNING_VERBS = ("learn", "find")  # "if they learned who he was", "to find out who sent it": what is yet to be known


def _open_question(cue: Token, clause: Token) -> bool:
    """An open question after a verb of finding or showing, not something found or shown to be so:
    "will show if a senator can win", "to determine which files were taken", "to find out who sent
    it" (a verb of deciding or learning with any question word); "shows how companies sheltered
    profits" tells how it was."""
    first = clause.left_edge.lower_
    lemma = cue.lemma_.lower()
    learning = lemma in LEARNING_VERBS and (lemma != "find" or any(
        child.dep_ == "prt" and child.lower_ == "out" for child in cue.children))
    return first in ("whether", "if") or (lemma in DECIDING_VERBS or learning) and first in QUESTION_WORDS


def _main_clause_after(cue: Token, clause: Token) -> bool:
    """A clause after a comma that follows a cue in a subordinate clause of its own ("since he
    announced his candidacy, [here we are]"): the sentence the subordinate clause opens."""
    doc = cue.doc
    after_comma = "," in (clause.left_edge.text, doc[max(clause.left_edge.i - 1, 0)].text)
    return clause.i > cue.i and after_comma and any(
        child.dep_ == "mark" and child.lower_ in ADVERBIAL_MARKS and child.i < cue.i for child in cue.children)


def _colon_between(first: Token, last: Token) -> bool:
    """A colon from first up to last: what comes after it is a sentence of its own."""
    return any(token.text == ":" for token in first.doc[first.i : last.i])


def _relative_clause(cue: Token, clause: Token) -> bool:
    """"reports [that track spending]": a clause whose subject is a relative "that" (the parse reads the
    noun before it as a cue verb)."""
    return clause.i > cue.i and any(child.dep_ == "nsubj" and child.tag_ == "WDT" and child.lower_ == "that"
                                    and child.i == clause.left_edge.i for child in clause.children)


def _content_root(cue: Token) -> tuple[Token | None, list[Token]]:
    """The head of what the cue reports, plus tokens to leave out of it."""
    lex = lexicon()
    if names_without_namer(cue):
        return None, []
    # A clause after the cue before one before it, which is often a misread relative clause
    # of the speaker's ("Smith, who sits on no board, said that X").
    for child in sorted(cue.children, key=lambda child: not _clause_after(cue, child)):
        if child.dep_ == "ccomp" and child.i > cue.i and any(grand.i == child.left_edge.i and grand.dep_ == "mark"
                                                             and grand.lower_ in ADVERBIAL_MARKS for grand in child.children):
            continue  # "he said as some in the crowd booed": when, not what
        if child.dep_ == "ccomp" and _main_clause_after(cue, child):
            continue  # "since he announced his candidacy, here we are": the sentence the clause opens
        if child.dep_ == "ccomp" and child.i < cue.i and (
                not _frames_before(cue) or _colon_between(child.right_edge, cue)):
            continue  # "The deal came together: a ballot initiative threatened to ...": the frame's own sentence
        if child.dep_ == "ccomp" and _relative_clause(cue, child):
            return None, []  # "Commission reports that track spending": a noun and its relative clause, read as a verb
        if child.dep_ == "ccomp":
            if cue.lemma_.lower() in lex.that_clause_verbs and (not (
                    _has_that(child) or any(grand.dep_ in ("nsubj", "nsubjpass") for grand in child.children))
                    or any(grand.dep_ == "nsubj" and grand.lower_.endswith(("self", "selves"))
                           for grand in child.children)  # "found himself playing defense"
                    or _open_question(cue, child)
                    or any(grand.dep_ == "aux" and grand.lower_ in lex.hypothetical_modals for grand in cue.children)):
                # "voters would find it hard": a guess at what they would conclude.
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
    if commits(cue):
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
    # Not one with an object of its own ("Recalling the pitfalls of 2012, the RNC began ...").
    head = cue.head
    if cue.dep_ == "advcl" and cue.tag_ == "VBG" and head.i > cue.i and head.pos_ in ("VERB", "AUX") and (
            head.sent == cue.sent and all(child.dep_ in ("mark", "advmod", "neg", "aux", "punct") for child in cue.children)):
        return head, [token for token in head.subtree if token.i <= cue.i]
    return None, []


def _speakers_next_act(root: Token, verb: Token, cue: Token) -> bool:
    """"announced that he was in therapy [and vowed to ...]", "pressed X to sign [- and lobbied
    for ...]": a verb the parser joined to the content's own, with no subject of its own, that
    is the speaker's next act: after a clause with a subject of its own, a verb of saying or of
    taking a position in the cue's tense (a thought, "... and wanted a change", is more often
    still what was reported), or any verb in the cue's tense that is not the content's ("has
    said she wants X [and has expressed support for Y]", "insists he will fight on [and
    refuses to ...]"), unless it is an alternative ("or"); after a to-clause, any finite verb
    (none continues one)."""
    if verb.dep_ != "conj" or verb.i < root.i or verb.pos_ not in ("VERB", "AUX"):
        return False
    if any(child.dep_ in SUBJECTS for child in verb.children):
        return False
    # Not an alternative ("would either not vote [or are unsure ...]"): that is still what was reported.
    alternative = any(child.dep_ == "cc" and child.lower_ in ("or", "nor") for child in verb.head.children)
    cues_tense = not alternative and _tense(verb) is not None and _tense(verb) == _tense(_finite_head(cue)) != _tense(root)
    if verb.head.i != root.i:
        # "has said she wants [to establish X] and has expressed ...": a finite verb in the
        # cue's tense continues no to-clause of the content's
        to_clause = verb.head.dep_ == "xcomp" and verb.head.tag_ == "VB" and _finite_head(verb.head).i == root.i
        return to_clause and cues_tense
    if any(child.dep_ in ("nsubj", "nsubjpass") for child in root.children):
        lemma = verb.lemma_.lower()
        same_tense = verb.tag_ == cue.tag_ == "VBD" or verb.tag_ in ("VBZ", "VBP") and cue.tag_ in ("VBZ", "VBP")
        # "continues to insist he will fight on [and refuses to ...]": the cue's tense, not the content's
        return same_tense and (is_cue(verb) or lemma in lexicon().stance_frames) or cues_tense
    return root.tag_ == "VB" and verb.tag_ in FINITE


def _finite_head(verb: Token) -> Token:
    """The verb that carries the tense of a chain of to-clauses: "[continues] to insist"."""
    while verb.dep_ == "xcomp" and verb.head.pos_ in ("VERB", "AUX"):
        verb = verb.head
    return verb


def _tense(verb: Token) -> str | None:
    """A verb's tense, coarsely: with a modal, in the perfect, past or present; None when the
    form says none (an infinitive, a bare participle)."""
    helpers = [child for child in verb.children if child.dep_ in ("aux", "auxpass")]
    if any(child.tag_ == "MD" for child in helpers):
        return "modal"
    if any(child.lemma_ == "have" for child in helpers):
        return "perfect"
    tag = next((child.tag_ for child in helpers if child.tag_ in FINITE), verb.tag_)
    return {"VBD": "past", "VBZ": "present", "VBP": "present"}.get(tag)


def _content_tokens(root: Token, excluded: list[Token], cue: Token) -> list[Token]:
    skip = {token.i for token in excluded}
    for token in root.subtree:
        if token is root or token.i in skip:
            continue
        # A bare verb joined to the content's own ("has time to step up and show that ...") is
        # part of what was reported, not a second act of the speaker's ("... but did not say").
        bare = token.dep_ == "conj" and token.tag_ == "VB" and not any(child.dep_ in ("aux", "neg") for child in token.children)
        nested = (is_cue(token) and token.dep_ in NESTED_CUE_DEPS and not bare
                  and (token.tag_ == "VBG" or any(child.dep_ == "ccomp" for child in token.children)))
        nested = nested or is_according_to(token)
        # ", comparing it to ...": a trailing participle adds the speaker's
        # manner, not the content.
        trailing_participle = token.dep_ == "advcl" and token.tag_ == "VBG" and token.nbor(-1).text == ","
        nested = nested or trailing_participle or _speakers_next_act(root, token, cue)
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


def _continued(cue: Token, content: list[Token]) -> list[Token]:
    """"told Fox that polls could be “way off,” [and have been unreliable]": a verb the parser
    joined to the cue instead of to the content's own, with no subject of its own, right after
    the content, continues what was reported, as does a clause of its own after "that" ("said X,
    but that Y"); without one, when its tense is the content's (a modal or a
    perfect: "said they had misgivings, [but could not bear to ...]"; the present after a past
    cue), not the cue's ("said the bridge was safe [and left]"), and when it is no act of the
    speaker's own (a cue: "... and added that", "... but declined to comment")."""
    if not content:
        return content
    lex, doc, end = lexicon(), cue.doc, content[-1].i
    for verb in (child for child in cue.rights if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX") and child.i > end):
        between = doc[end + 1 : verb.left_edge.i]
        if not all(token.is_punct or token.is_space or token.dep_ == "cc" for token in between) or not between:
            return content
        # "said X, but that Y": a second clause the cue reports, with a subject of its own.
        if not (_has_that(verb) and any(child.dep_ in SUBJECTS for child in verb.children)):
            if any(child.dep_ in SUBJECTS or child.dep_ == "ccomp" for child in verb.children):
                return content
            if any(is_cue(token) or token.lemma_.lower() in lex.other_kind_cues for token in verb.subtree):
                return content
            reported_tense = any(child.dep_ in ("aux", "auxpass") and (child.tag_ == "MD" or child.lemma_ in ("have", "be"))
                                 for child in verb.children) or cue.tag_ == "VBD" and verb.tag_ in ("VBZ", "VBP")
            if not reported_tense:
                return content
        return _trim(list(doc[content[0].i : verb.right_edge.i + 1]))
    return content


def _across_frame(content: list[Token], clause: Token, frame: Token) -> list[Token]:
    """A clause that an "according to" frame interrupts before its verb: the content run stops at
    the frame. Words before it with the clause's subject start the content, which runs on past the
    frame ("[Fundraising, according to the campaign, has surged]"); words before it without one
    are an adverbial of the sentence, and the content is what follows the frame ("In addition,
    according to the department, [nine million more workers will be protected]")."""
    doc = clause.doc
    first, last = frame.left_edge.i, frame.right_edge.i
    before = content[-1].i + 1 if content else clause.left_edge.i  # "But, according to ...": nothing kept
    if clause.i < last or before > first or any(token.dep_ not in EDGE_TRIM and not token.is_space
                                                 for token in doc[before:first]):
        return content
    if any(token.dep_ in SUBJECTS and token.head.i == clause.i for token in content):
        return _trim(list(doc[content[0].i : clause.right_edge.i + 1]))
    return _trim(list(doc[last + 1 : clause.right_edge.i + 1]))


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
        return direct_subject(noun.head) or _participle_speaker(noun.head)
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and (
            borrowed := _participle_speaker(noun.head.head)) is not None:  # "..., referring to reports that"
        return borrowed
    # "Awad says in a statement that ...": the parse hangs the clause on the noun; whoever speaks in it
    if noun.dep_ == "pobj" and noun.head.lower_ == "in" and is_cue(noun.head.head):
        return direct_subject(noun.head.head)
    # "experts are of the view that ...": whose view, the copula's subject
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lemma_ == "be":
        return direct_subject(noun.head.head)
    return None


def _participle_speaker(verb: Token) -> Token | None:
    """"Mr. Morrison said, referring to reports that ...", "showed no sign of backing down,
    releasing a statement that ...": a participle's noun is the claim of whoever the participle
    borrows its subject from, when that subject names someone."""
    if verb.tag_ != "VBG" or verb.pos_ != "VERB":
        return None
    subject = subject_of(verb)
    return subject if names_someone(subject) else None


# Passive to-clauses that ask for anonymity ("did not want to be named", "declined to be identified").
ANONYMITY_VERBS = ("name", "identify", "quote")
# Stance verbs that, given someone as indirect object, keep a thing from them: "denied him a victory".
WITHHOLDING_SENSES = ("deny",)
STANCE_PREPOSITIONS = ("for", "against", "to")  # "pushed for a ban", "railed against", "referred to"


def _is_gerund_object(child: Token) -> bool:
    """"denied being unfair to her", "suggests refraining from advice": a gerund with no
    subject of its own, which the parser hangs on the verb as a clause."""
    return child.dep_ in ("xcomp", "ccomp") and child.tag_ == "VBG" and not any(
        grand.dep_ in SUBJECTS for grand in child.children)


def _object(verb: Token, prepositions: tuple[str, ...] | frozenset[str] = (), objects: bool = True) -> Token | None:
    """The verb's direct object (a noun phrase or a gerund) after it, or the object of one
    of `prepositions` after it ("spoke at length about", "weighed in on": particles between);
    objects=False: the preposition's object only, hung on the verb or, for a verb that
    addresses its object, on that ("questioned [a panel of executives about] the coverage")."""
    if not objects:
        addresses = verb.lemma_.lower() in lexicon().addressing_verbs
        holders = [verb, *(child for child in verb.rights if child.dep_ == "dobj" and addresses)]
        for child in sorted((child for holder in holders for child in holder.rights), key=lambda child: child.i):
            if child.dep_ == "prep" and child.lower_ in prepositions:
                return next((grand for grand in child.children if grand.dep_ in ("pobj", "pcomp")), None)
        return None
    for child in verb.rights:
        if objects and (child.dep_ == "dobj" or _is_gerund_object(child)):
            return child
        if child.dep_ == "prep" and child.lower_ in prepositions:
            return next((grand for grand in child.children if grand.dep_ in ("pobj", "pcomp")), None)
    return None


def _topic_prepositions(verb: Token) -> frozenset[str]:
    """The prepositions that open what a speech act is about (lexicon topic_verbs and
    topic_prepositions): "spoke of", "complained about", "railed against"."""
    lex, lemma = lexicon(), verb.lemma_.lower()
    own = lex.topic_verbs.get(lemma, frozenset())
    # Not a verb of finding out ("the more Democrats learn about Sanders"): knowing, no position.
    speech = (lex.is_cue_lemma(lemma) or lemma in lex.stance_verbs or lemma in lex.topic_verbs) and (
        lemma not in lex.that_clause_verbs)
    return own | lex.topic_prepositions if speech and lemma not in lex.plain_saying else own


# Whom a senate or board confirms in office: "had confirmed 68 judicial nominees" is an appointment.
APPOINTEES = frozenset({"judge", "nominee", "appointee", "justice", "ambassador", "nomination", "pick"})
# A pointer to what follows, not a position: "tweeting the following:".
POINTERS = (["the", "following"], ["this"], ["these"])


def _names_a_position(cue: Token, content: list[Token]) -> bool:
    """Whether a stance verb's object says what the position is on: not a relative or question
    word ("which her campaign refers to as a firewall": its antecedent), a handle or a link
    ("he tweets @pmorici1"), a pointer to words that follow, a time ("have voted Democratic for
    decades"), nor whom a body confirmed in office."""
    words = [token for token in content if not token.is_punct]
    if not words:
        return False
    if len(words) == 1 and (words[0].tag_ in ("WDT", "WP") or words[0].text.startswith(("@", "http", "www."))):
        return False
    inside = {token.i for token in content}
    head = next(token for token in content if token.head.i not in inside or token.head is token)
    if [token.lower_ for token in words] in POINTERS or head.ent_type_ in ("DATE", "TIME"):
        return False
    return not (cue.lemma_.lower() == "confirm" and content[-1].lemma_.lower() in APPOINTEES)


def _noun_phrase(tokens: list[Token]) -> list[Token]:
    """A stance's noun phrase up to where the sentence moves on: a comma before a finite verb
    the parser hung on it ("asked about the Brotherhood, called Omar a ..."; a noun takes a
    finite clause only through a relative word), a comma before a description of the whole
    phrase ("endorsed his campaign, the latest chapter in ..."; a relative clause after a comma
    stays: "paid tribute to X, who was killed ..."), an adverbial clause ("condemned the launch
    while Pyongyang fired ...") or a verb joined to the noun ("promised a veto and attempted to ...")."""
    inside = {token.i for token in tokens}
    root = next((token for token in tokens if token.head.i not in inside), None)
    for number, token in enumerate(tokens[1:], 1):
        after_comma = tokens[number - 1].text == ","
        if token.dep_ in ("acl", "relcl") and token.tag_ in ("VBD", "VBZ", "VBP") and after_comma:
            return _trim(tokens[:number])
        if root is None or token.head.i != root.i:
            continue  # a clause inside the phrase's own modifiers ("responders who tended ... and helped ...")
        opens_after_comma = token.left_edge.i > 0 and token.doc[token.left_edge.i - 1].text == ","
        if (token.dep_ == "advcl" or token.dep_ == "conj" and token.pos_ in ("VERB", "AUX")
                or opens_after_comma and token.dep_ in ("acl", "appos")):
            first = token.left_edge.i if token.dep_ != "conj" else token.i
            kept = [kept_token for kept_token in tokens[:number] if kept_token.i < first]
            return _trim(kept[:-1] if kept and kept[-1].dep_ == "cc" else kept)
    return tokens


def _reason(verb: Token, what: Token) -> Token | None:
    """"criticized Rubio [for opposing ...]", "blasted Trump on Monday [over his stance]": the
    preposition saying why an evaluative verb judges its object (lexicon reason_prepositions),
    which the annotators keep with the object. Hung on the verb after the object, or on a name
    or pronoun object (which takes no such phrase of its own)."""
    lex = lexicon()
    if verb.lemma_.lower() not in lex.evaluative_verbs:
        return None
    holders = [verb, what] if what.pos_ in ("PRON", "PROPN") else [verb]
    return min((child for holder in holders for child in holder.rights if child.dep_ == "prep"
                and child.lower_ in lex.reason_prepositions and child.i > what.i and child.sent == what.sent),
               key=lambda child: child.i, default=None)


def _light_object(verb: Token) -> Token | None:
    """"paid tribute to X", "took umbrage at X" (lexicon light_verbs): X, the preposition's
    object, hung on the verb or on its noun."""
    pairs = lexicon().light_verbs.get(verb.lemma_.lower())
    if not pairs:
        return None
    for noun in (child for child in verb.children if child.dep_ == "dobj"):
        wanted = {preposition for lemma, preposition in pairs if lemma == noun.lemma_.lower()}
        for preposition in (child for holder in (verb, noun) for child in holder.children
                            if child.dep_ in ("prep", "dative") and child.lower_ in wanted and child.i > noun.i):
            found = next((grand for grand in preposition.children if grand.dep_ in ("pobj", "pcomp")), None)
            if found is not None:
                return found
    return None


def _no_answer(noun: Token) -> Token | None:
    """"had no comment", "offered no immediate response": the verb whose object is an
    answer with "no" (a refusal with nothing named)."""
    lex = lexicon()
    if noun.dep_ != "dobj" or noun.head.pos_ not in ("VERB", "AUX") or noun.lemma_.lower() not in lex.no_answer_nouns:
        return None
    return noun.head if any(child.dep_ == "det" and child.lower_ == "no" for child in noun.children) else None


def _infinitive(verb: Token) -> Token | None:
    """"declined to comment", "expects to win", "expects fees to rise": the to-clause after the verb."""
    for child in verb.rights:
        if child.dep_ in ("xcomp", "ccomp") and any(grand.dep_ == "aux" and grand.lower_ == "to" for grand in child.children):
            return child
    return None


def _withheld(cue: Token) -> bool:
    """Speech that did not happen: "declined to say when", "did not say whether", "left
    without saying": a refusal (no_comment) or nothing, not a quotation."""
    lex = lexicon()
    if any(child.dep_ == "neg" for child in cue.children):
        return True
    if cue.dep_ == "pcomp" and cue.head.lower_ == "without":
        return True  # "ended the summit without agreeing who would pay"
    return cue.dep_ == "xcomp" and cue.head.lemma_.lower() in lex.refusal_verbs


JUDGED = ("oprd", "acomp", "advmod")  # "considers the plan [a mistake]", "viewed him [favorably]"


def _judgement(verb: Token) -> list[Token] | None:
    """"considers the plan a mistake", "view the levy as unfair", "viewed him favorably" (lexicon
    judging): what is judged and the judgement, a view the subject holds. Not a bare object
    ("is considering a bid", "viewed the damage"): a deliberation or a look, no view."""
    if is_passive([verb]):
        return None
    doc = verb.doc
    for child in verb.rights:
        # "consider Clinton honest": the parse makes the object and its judgement a clause
        if child.dep_ == "ccomp" and any(grand.dep_ in ("nsubj", "nsubjpass") for grand in child.children):
            # not a question weighed: "is considering what he had dismissed", "whether to run"
            return None if child.left_edge.tag_ in ("WP", "WDT", "WRB", "IN") else list(child.subtree)
        if child.dep_ == "dobj":
            judgement = next((other for other in verb.rights if other.i > child.right_edge.i and (
                other.dep_ in JUDGED or other.dep_ == "prep" and other.lower_ == "as")), None)
            if judgement is None:
                judgement = next((other for other in child.rights if other.dep_ == "prep" and other.lower_ == "as"), None)
            if judgement is None:
                return None
            return list(doc[child.left_edge.i : judgement.right_edge.i + 1])
    return None


def _unanswered(cue: Token, cue_words: list[Token], action: Token | None, clause: Token | None) -> list[Token] | None:
    """What a refusal or an unanswered request left unsaid ("declined to comment [on the case]",
    "did not respond [to questions]"; [] when nothing is named), or None when the verb is no
    refusal: "confirmed the meeting", "revealed the plan" are positions taken (a stance, below)."""
    lex, lemma = lexicon(), cue.lemma_.lower()
    content: list[Token] = []
    if lemma in lex.refusal_verbs or lemma in lex.unanswered_verbs or lemma in lex.withholding_verbs:
        what = action or clause or _object(cue, ("to", "for", "on", "about"))
        content = list(what.subtree) if what is not None else []
    elif not is_no_comment(cue_words, None):
        return None
    if not content and {token.lemma_.lower() for token in cue_words} & lex.refusal_verbs:
        return None  # "the rate would decline": a refusal names what it refuses
    refusal = cue.doc[content[0].i : content[-1].i + 1] if content else None
    return content if is_no_comment(cue_words, refusal) else None


def _other_kind(cue: Token, doc: Doc, paragraph: int) -> Attribution | None:
    """A stance, belief or refusal read off a verb and what it governs (attribute/kinds.py):
    "declined to comment", "did not respond to questions", "expects fees to rise",
    "believes the plan will fail", "denied the allegations". Only with a speaker in the
    sentence: without one the frame is too often the writer's own."""
    if cue.pos_ != "VERB" or in_other_sense(cue):
        return None  # "called off the deal", "assumed his post": no act of saying or thinking
    subject = direct_subject(cue) or next((child for child in cue.children if child.dep_ == "nsubjpass"), None)
    if subject is None and cue.dep_ in ("xcomp", "conj", "advcl"):
        subject = subject_of(cue)
    lex, lemma, cue_words = lexicon(), cue.lemma_.lower(), cue_tokens(cue)
    action = _infinitive(cue)
    if action is not None and action.lemma_.lower() in ANONYMITY_VERBS and is_passive([action]) and not any(
            child.dep_ in ("oprd", "attr", "dobj", "xcomp", "ccomp") for child in action.children):
        return None  # "who declined to be identified": the article's sourcing, not a refusal to answer
    clause = next((child for child in cue.rights if child.dep_ == "ccomp"), None)
    answers = _unanswered(cue, cue_words, action, clause)
    # "It did not say when": a company or agency that did not answer is often "it".
    impersonal = ("which", "that", "this", "there", "what", "one", "you") if answers is not None else IMPERSONAL_SUBJECTS
    if subject is None or subject.lower_ in impersonal and not speaks_for_its_noun(subject, cue) or (
            subject.lemma_.lower() in lex.evidence_nouns or is_happening(subject)):
        return None  # "data pointing to a slowdown": evidence, not a position
    own_voice = subject.head.i == cue.i and any(token.lower_ in lex.first_person for token in subject.subtree)
    if answers is None and (not is_asserted(cue) or own_voice):
        return None  # a purpose, a possibility or a question; "Part of me believes": the writer's own voice
    content: list[Token] = []
    if answers is not None:
        content, kind = answers, "no_comment"
    elif lemma in lex.judging_verbs and (judged := _judgement(cue)) is not None:
        content, kind = judged, "belief"
    elif lemma in lex.knowing_verbs or lemma in lex.wishing_verbs and lemma not in lex.belief_frames:
        what = clause if lemma in lex.knowing_verbs else action
        content = _content_tokens(what, [], cue) if what is not None else []
        if not content or not (is_knowing_belief(cue_words, doc[content[0].i : content[-1].i + 1])
                               or is_wish(cue_words, doc[what.left_edge.i : what.right_edge.i + 1])):
            return None
        kind = "belief"
    elif lemma in lex.belief_frames and is_belief_cue(cue_words):
        if clause is not None:
            content = _content_tokens(clause, [], cue)
        elif action is not None:
            # "expects fees to rise": the to-clause's own subject, parsed as the verb's object, belongs to it.
            before = next((child for child in cue.rights if child.dep_ == "dobj" and child.i < action.i), None)
            first = before.left_edge.i if before is not None else action.left_edge.i
            content = list(doc[first : action.right_edge.i + 1])
        else:
            what = _object(cue)
            # "Such a move could alienate his backers, Clinton allies believe.": the thought before its frame
            framed = _framed_content(cue) if what is None else None
            content = list(what.subtree) if what is not None else _trim(framed) if framed else []
        kind = "belief"
    elif lemma in lex.stance_frames and is_passive([cue]) and subject.dep_ == "pobj" and subject.head.dep_ == "agent":
        # "was endorsed by dozens of papers": the agent took a position on the passive's subject;
        # not a thing ("valuations supported by a combination of factors"): a name, a pronoun, a
        # role or an organisation ("by the commission"), or a plural (groups of people far more
        # often than one abstract noun).
        if not (names_someone(subject) or subject.pos_ == "PRON" or subject.tag_ == "NNS"):
            return None
        what = next((child for child in cue.children if child.dep_ == "nsubjpass"), None)
        if what is None or (what.pos_ == "PRON" or what.ent_type_ in ("PERSON", "NORP", "GPE")) and lemma not in lex.evaluative_verbs:
            return None
        if what.tag_ in ("WDT", "WP"):
            return None  # "Kloppenburg, who was backed by liberals": a relative word names no position
        content = without_setting(_noun_phrase(_trim(list(what.subtree))))
        kind = "stance"
    elif (lemma in lex.stance_frames or _topic_prepositions(cue) or _light_object(cue)) and not is_passive([cue]) and not any(
            child.dep_ == "ccomp" and not _is_gerund_object(child) for child in cue.children):
        # "questioned executives about the coverage", "paid tribute to the victims": the topic, not
        # whom; a topic verb's own object ("spoke English") is no position.
        what = _light_object(cue) or _object(cue, _topic_prepositions(cue), objects=False)
        if what is None and lemma in lex.stance_frames:
            what = _object(cue, STANCE_PREPOSITIONS)
        if what is None:
            return None
        if lemma in WITHHOLDING_SENSES and any(child.dep_ == "dative" for child in cue.children):
            return None  # "denying him a first-ballot victory": kept from him, not denied as untrue
        if lemma in QUOTING_VERBS and names_someone(what):
            return None  # "citing an anonymous government source": whose words are relayed, no position
        after = next((token for token in doc[what.right_edge.i + 1 : cue.sent.end] if not token.is_punct), None)
        if after is not None and after.lower_ == "as":
            return None  # "referred to him as “Satanyahu”": a naming, which the quotation frames read
        reason = _reason(cue, what)
        if what.dep_ == "dobj" and (what.pos_ == "PRON" or what.ent_type_ in ("PERSON", "NORP", "GPE")) and (
                lemma not in lex.evaluative_verbs or what.lower_.endswith(("self", "selves")) and reason is None):
            return None  # "thanked them for", "defended himself": whom, not what ("praised him" is a position)
        if any(child.dep_ in ("acl", "ccomp") and _has_that(child) for child in what.children):
            return None  # "expressed alarm that ...": the clause is what was said
        content = without_setting(_noun_phrase(_trim(list(what.subtree))))
        if reason is not None and content:
            content = list(doc[content[0].i : reason.right_edge.i + 1])
        if any(token.is_quote for token in content):
            return None  # quoted words: the quotation frames (direct.py) read them
        if not _names_a_position(cue, content):
            return None
        if lemma in lex.topic_verbs and lemma not in lex.stance_frames and [token.lower_ for token in content] in (["it"], ["this"], ["that"]):
            return None  # "voted against it": what was voted on is named elsewhere
        kind = "stance"
    else:
        return None
    content = _trim(content)
    if kind == "stance" and content and takes_no_position(cue, cue_words, doc[content[0].i : content[-1].i + 1]):
        return None  # "asked the contender if ...": whom; "has not endorsed a candidate": no act
    if kind != "no_comment" and len(content) < 2 and not (content and (
            content[0].pos_ in ("NOUN", "PROPN") or kind == "stance" and content[0].pos_ == "PRON")):
        return None
    # A refusal with nothing named ("could not be reached", "didn't answer directly"): the
    # refusal itself is the evidence, as the real-page gold marks it.
    first, last = (content[0], content[-1]) if content else (cue_words[0], cue_words[-1])
    if not content:
        last = max((child for child in cue.rights if child.dep_ == "advmod"), key=lambda child: child.i, default=last)
    return Attribution(kind=kind, start=first.idx, end=last.idx + len(last.text),
                       paragraph=paragraph, cue=make_cue(cue), cue_token=cue.i, subject_token=subject.i)


NO_HOLDERS = frozenset({"your", "one", "whose"})  # "your call for", "one's support for": nobody named


def _stance_noun(noun: Token, paragraph: int) -> Attribution | None:
    """"Brekke's call for an inquiry", "her denial of the allegations", "his criticism of the
    council" (lexicon stance_nouns): a position its possessor took, on the object of the noun's
    preposition. Without a possessor ("calls for calm", "criticism of the plan") no one is named."""
    prepositions = lexicon().stance_nouns.get(noun.lemma_.lower())
    holder = next((child for child in noun.children if child.dep_ == "poss"), None)
    if not prepositions or holder is None or holder.lower_ in NO_HOLDERS or holder.lemma_.lower() in NO_HOLDERS:
        return None
    return _stance_on_object(noun, prepositions, holder, paragraph)


def _stance_on_object(cue: Token, prepositions: frozenset[str], holder: Token, paragraph: int) -> Attribution | None:
    """The holder's stance on the object of the cue's preposition, one of `prepositions`."""
    preposition = next((child for child in cue.rights if child.dep_ == "prep" and child.lower_ in prepositions), None)
    what = next((child for child in preposition.children if child.dep_ in ("pobj", "pcomp")), None) if preposition else None
    if what is None:
        return None
    content = without_setting(_noun_phrase(_trim(list(what.subtree))))
    if not content or any(token.is_quote for token in content):
        return None  # quoted words: the quotation frames (direct.py) read them
    return Attribution(kind="stance", start=content[0].idx, end=content[-1].idx + len(content[-1].text),
                       paragraph=paragraph, cue=make_cue(cue), cue_token=cue.i, subject_token=holder.i)


def _stance_adjective(adjective: Token, paragraph: int) -> Attribution | None:
    """"Brekke was critical of the plan", "is supportive of the bill" (lexicon stance_adjectives): a
    position the copula's subject took on the object of the adjective's preposition."""
    prepositions = lexicon().stance_adjectives.get(adjective.lemma_.lower())
    verb = adjective.head
    if not prepositions or adjective.dep_ != "acomp" or not is_asserted(verb):
        return None
    subject = direct_subject(verb)
    if subject is None or subject.lower_ in IMPERSONAL_SUBJECTS:
        return None
    return _stance_on_object(adjective, prepositions, subject, paragraph)


def _held_view(noun: Token) -> tuple[Token, Token] | None:
    """"In Brandt's view, the pier is safe": the possessor of a view (lexicon opinion_nouns) opening
    the clause, and the clause's verb; not "in my view", the writer's own, nor a view inside the
    clause ("the ferry, in his view, is slow": the clause around it is cut in two)."""
    lex = lexicon()
    preposition = noun.head
    holder = next((child for child in noun.children if child.dep_ == "poss"), None)
    if (noun.lemma_.lower() not in lex.opinion_nouns or noun.dep_ != "pobj" or preposition.lower_ != "in"
            or preposition.head.pos_ not in ("VERB", "AUX") or preposition.i != preposition.head.left_edge.i
            or holder is None
            or holder.lower_ in lex.first_person or holder.lower_ in NO_HOLDERS):
        return None
    return holder, preposition.head


# What makes a poll a particular one: a name, a date or a description ("the latest CNN poll", "a
# survey released Monday", "polls taken in December"); "in the polls" is the race's standing, and
# so is "in most polls", "in many Iowa polls".
PARTICULAR_POLL_DEPS = ("compound", "amod", "nmod", "acl", "poss", "nummod", "npadvmod")
POLL_QUANTIFIERS = ("most", "many", "several", "some", "all", "few", "both")


def _found_in_poll(noun: Token) -> tuple[Token, Token] | None:
    """"Trump leads Cruz by nine points in the latest Fox News poll", "In a CNN survey released Monday,
    50 percent chose Clinton", "in the RealClearPolitics average of recent polls" (lexicon polls): a
    particular poll that the clause it opens or closes was found in; the poll's noun phrase and the
    clause's verb. Not a verb of saying or thinking ("in the poll said"): its speakers are the respondents."""
    lex = lexicon()
    if noun.lemma_.lower() not in lex.poll_nouns or noun.dep_ != "pobj":
        return None
    found_in = noun.head.head if noun.head.lower_ == "of" and noun.head.head.dep_ == "pobj" else noun
    preposition, verb = found_in.head, found_in.head.head
    subject = next((child for child in verb.children if child.dep_ in SUBJECTS), None)
    if (preposition.lower_ != "in" or preposition.dep_ != "prep" or verb.pos_ not in ("VERB", "AUX")
            or subject is None or subject.tag_ in ("WP", "WDT")  # "Rubio, who is third in many polls"
            or is_cue(verb) or verb.lemma_.lower() in lex.other_kind_cues):
        return None
    if any(child.lower_ in POLL_QUANTIFIERS for child in found_in.children) or found_in is noun and not any(
            child.dep_ in PARTICULAR_POLL_DEPS for child in found_in.children):
        return None
    return found_in, verb


def _from_subject(content: list[Token], verb: Token) -> list[Token]:
    """A clause from its subject on: what a poll found leaves out the time and the place set off
    before it ("By Jan. 18, [Obama was winning by 28 points] in the same poll")."""
    subject = next((child for child in verb.children if child.dep_ in SUBJECTS), None)
    if subject is None or not any(token.text == "," and token.i < subject.left_edge.i for token in content):
        return content
    return [token for token in content if token.i >= subject.left_edge.i]


def _names_as_judgement(cue: Token) -> bool:
    """"JP Morgan had called the ruling a landmark judgment": someone's naming, a position
    (a finite verb with a subject of its own), not a participle giving a thing its name."""
    finite = cue.tag_ in ("VBD", "VBZ", "VBP") or any(child.dep_ == "aux" for child in cue.children)
    return finite and direct_subject(cue) is not None and not is_passive([cue])


def _no_comment_noun(noun: Token, paragraph: int) -> list[Attribution]:
    """"The ministry had no comment": the refusal phrase is the evidence, its subject who refused."""
    verb = _no_answer(noun)
    subject = direct_subject(verb) if verb is not None else None
    if verb is None or subject is None or subject.lower_ in ("which", "that", "this", "there", "what", "one", "you"):
        return []
    words = [*cue_tokens(verb), *noun.doc[verb.i + 1 : noun.i + 1]]
    first, last = min(words, key=lambda token: token.i), noun
    cue = make_cue(verb)
    cue = type(cue)(text=noun.doc[first.i : last.i + 1].text, lemma=cue.lemma, start=first.idx, end=last.idx + len(last.text))
    return [Attribution(kind="no_comment", start=first.idx, end=last.idx + len(last.text), paragraph=paragraph,
                        cue=cue, cue_token=verb.i, subject_token=subject.i)]


def _kicker(cue: Token) -> bool:
    """"Revealed: Here Are The ...", "Confirmed: ...": a headline's label that opens its sentence
    with a colon, no one's act of saying."""
    return cue.i == cue.sent.start and cue.i + 1 < len(cue.doc) and cue.nbor(1).text == ":"


def only_a_title(content: list[Token]) -> bool:
    """"said on the podcast “Here’s the Thing.”": a clause the parse reads in the name of a work
    or programme in quotation marks (direct.names_a_work), none of the speaker's words."""
    doc = content[0].doc
    opening = content[0] if content[0].is_quote else doc[content[0].i - 1] if content[0].i else None
    closing = next((token for token in doc[content[-1].i + 1 : content[-1].i + 3] if token.is_quote), None)
    if opening is None or not opening.is_quote or closing is None and not content[-1].is_quote:
        return False
    inner = doc[opening.i + 1 : closing.i if closing is not None else content[-1].i]
    lead = doc[max(opening.sent.start, opening.i - TITLE_LEAD_TOKENS) : opening.i]
    return names_a_work(lead.text, inner.text.rstrip(".,;:!? "))


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
        if lowers[index] not in lex.source_first_heads and lemma not in lex.speech_nouns and not lex.is_cue_lemma(
                lemma) and lemma not in lex.other_kind_cues and lemma not in lex.particle_cues and (  # "fired back that"
                lemma not in lex.poll_nouns):  # "in the latest CNN poll"
            continue  # none of the branches below takes it
        token = doc[index]
        if is_according_to(token):
            clause = token.head
            if clause is token:
                continue
            # "A, and B, according to X": X reports both clauses, not only the one it hangs on.
            while clause.dep_ == "conj" and clause.pos_ in ("VERB", "AUX") and clause.head.pos_ in ("VERB", "AUX"):
                clause = clause.head
            subject = according_source(token)
            if clause.i not in according_content:
                according_content[clause.i] = _content_tokens(clause, list(token.subtree), token)
            content = _across_frame(according_content[clause.i], clause, token)
            if content and content[-1].i < token.i and _colon_between(content[-1], token):
                continue  # "it hasn't gone unnoticed: According to polls, ...": the frame's own sentence
        elif token.pos_ == "NOUN" and (held := _stance_noun(token, paragraph_of[token.i])) is not None:
            found.append(held)
            continue
        elif token.pos_ == "ADJ" and (held := _stance_adjective(token, paragraph_of[token.i])) is not None:
            found.append(held)
            continue
        elif token.pos_ == "NOUN" and _no_answer(token) is not None:
            found.extend(_no_comment_noun(token, paragraph_of[token.i]))
            continue
        elif token.pos_ == "NOUN" and (held := _held_view(token)) is not None:
            subject, clause = held
            content = _content_tokens(clause, list(token.head.subtree), token)
        elif token.pos_ == "NOUN" and (finding := _found_in_poll(token)) is not None:
            subject, clause = finding
            token = subject.head  # "in" is the cue, as "according to" is
            content = _from_subject(_content_tokens(clause, list(token.subtree), token), clause)
        elif token.pos_ == "NOUN" and (token.lemma_.lower() in lex.speech_nouns or token.lemma_.lower() in lex.belief_cues):
            that_clause = next((child for child in token.children
                                if child.dep_ in ("acl", "ccomp") and _has_that(child)), None)
            if that_clause is None:
                continue
            subject = _noun_speaker(token)
            content = _content_tokens(that_clause, [], token)
        else:
            content, subject = [], None
            if is_cue(token) and not _withheld(token) and not _kicker(token):
                subject = subject_of(token)
                if is_happening(subject):
                    continue  # "A look at the fleet suggests that ...": no one's words
                framed = _framed_content(token)
                if framed is not None:
                    content = _trim(framed)
                else:
                    root, excluded = _content_root(token)
                    if root is not None:
                        content = _content_tokens(root, excluded, token)
                        if root.dep_ == "ccomp":
                            content = _continued(token, content)
            if len(content) < 2:
                other = _other_kind(token, doc, paragraph_of[token.i])
                if other is not None:
                    found.append(other)
                continue
        if len(content) < 2 or only_a_title(content) or in_other_sense(token):
            continue
        start = content[0].idx
        end = content[-1].idx + len(content[-1].text)
        span = doc[content[0].i : content[-1].i + 1]
        kind = kind_of(span, cue_tokens(token), span.text)
        if kind == "stance" and (not is_asserted(token) or takes_no_position(token, cue_tokens(token), span)):
            continue  # "what the staffers describe as X": the writer's words, hedged
        if kind == "stance" and (span.root.dep_ == "oprd" and not _names_as_judgement(token) or not is_nominal(span)):
            continue  # "a cell type called a tuft cell": a name, not a position
        if kind == "stance" and span.root.dep_ == "oprd":
            # "called [the ruling a landmark judgment]": what was named, and the name
            named = next((child for child in token.children if child.dep_ == "dobj" and child.i < span.root.i), None)
            start = doc[named.left_edge.i].idx if named is not None else start
        found.append(Attribution(
            # A clause the frames found stays indirect; mixed is decided against the marked spans.
            kind="indirect" if kind in QUOTATIONS else kind, start=start, end=end, paragraph=paragraph_of[token.i],
            cue=make_cue(token), cue_token=token.i,
            subject_token=subject.i if subject is not None else None,
        ))
    return found
