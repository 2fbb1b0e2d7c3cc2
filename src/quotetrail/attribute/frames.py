"""Reading attribution frames off a spaCy parse: cues, subjects, mentions."""
from __future__ import annotations

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..lexicon import lexicon
from ..model import Cue

NAME_PARTS = ("compound", "flat", "nummod")
DESCRIPTION_PARTS = ("prep", "amod", "acl")
MAX_DESCRIPTION_TAIL = 12  # "a second person briefed on last weekend's trade phone call"
NAME_LABELS = ("GPE", "ORG", "LOC", "FAC")
IMPERSONAL_SUBJECTS = ("it", "which", "that", "this", "suffice")
GENERIC_SUBJECTS = ("one", "you")
EDITING_VERBS = ("update", "correct", "amend", "edit", "revise", "change")  # "has been updated to note that"
AUXILIARY_DEPS = ("aux", "auxpass", "neg")
CUE_PREPOSITIONS = ("about", "against")  # with any cue verb ("talked about", "argued against")
QUOTING_VERBS = ("quote", "cite")  # "quoted X as saying"
PERSONAL_OBJECTS = ("him", "her", "them")  # "a video of him saying"
SHOWING_VERBS = ("show", "feature", "capture", "catch", "hear", "see", "depict")  # "shows him saying"


def is_cue(token: Token) -> bool:
    lex = lexicon()
    if token.pos_ in ("VERB", "AUX"):
        return (lex.is_cue_lemma(token.lemma_.lower()) or _particle_cue(token)) and not is_author_voice(token)
    # The tagger sometimes reads "X notes" / "X reports" after a quote as a noun.
    return token.dep_ == "ROOT" and lex.is_cue_lemma(token.lemma_.lower())


def _particle_cue(verb: Token) -> bool:
    """"shot back", "fired back": a cue only with its particle right after it (the parse
    calls it a particle or an adverb)."""
    particles = lexicon().particle_cues.get(verb.lemma_.lower())
    return particles is not None and any(
        child.i == verb.i + 1 and child.lower_ in particles and child.dep_ in ("prt", "advmod", "prep")
        for child in verb.children)


def is_author_voice(verb: Token) -> bool:
    """The writer's own turn of phrase, not anyone's speech: "which is not to
    say that", "it is fair to say", "it is too soon to say whether", "needless to say",
    "one would say", "it should be noted that", "all told", "that said", "there's no denying",
    "only time will tell", an editor's note ("has been updated to note that", not "is correct to
    note that"), speech that did not happen ("should have said"), or the reader told what to do
    ("Ask yourself: ...")."""
    children, lex = list(verb.children), lexicon()
    before = verb.doc[verb.i - 1] if verb.i > 0 else None
    if before is not None and (before.lower_, verb.lower_) in (("all", "told"), ("that", "said")) and (
            before.i == verb.sent.start):
        return True  # "All told, up to 5 million people could be eligible", "That said, ..."
    if any(child.dep_ == "aux" and child.lower_ in lex.counterfactual_modals for child in children) and any(
            child.dep_ == "aux" and child.lemma_ == "have" for child in children):
        return True  # "you should have said ...": speech that did not happen
    if verb.head.pos_ == "VERB" and verb.head.lemma_.lower() in EDITING_VERBS and any(
            child.dep_ == "aux" and child.lower_ == "to" for child in children):
        return True  # "This story has been updated to note that ...": the editor's note
    if any(child.dep_ == "auxpass" for child in children) and any(
            child.dep_ in ("nsubjpass", "expl") and child.lower_ == "it" for child in children) and any(
            child.dep_ == "aux" and child.lower_ in lex.impersonal_modals for child in children):
        return True  # "it should be noted that", "it could be argued that"
    if verb.tag_ == "VB" and verb.dep_ == "ROOT" and not any(child.dep_ in ("nsubj", "expl", "aux", "auxpass")
                                                             for child in children):
        return True  # an imperative: the writer to the reader
    if verb.tag_ == "VBG" and any(child.dep_ == "det" and child.lower_ == "no" for child in children):
        return True  # "there's no denying he had a run", "there is no telling whether"
    if verb.lemma_ == "tell" and any(child.dep_ == "nsubj" and child.lemma_ == "time" for child in children):
        return True  # "only time will tell if"
    if verb.tag_ == "VB" and any(child.dep_ == "aux" and child.lower_ == "to" for child in children):
        head = verb.head
        # "’s" is read as the lemma "’" ("it’s safe to say")
        if head is not verb and (head.lemma_ in ("be", "suffice", "’") or head.pos_ in ("ADJ", "ADV")):
            # ... unless a person is the one "quick to say that".
            holders = [head, head.head] if head.pos_ in ("ADJ", "ADV") else [head]
            subjects = [child for holder in holders for child in holder.children if child.dep_ in ("nsubj", "expl")]
            return all(subject.lower_ in IMPERSONAL_SUBJECTS for subject in subjects)
    subject = next((child for child in children if child.dep_ == "nsubj"), None)
    return subject is not None and subject.lower_ in GENERIC_SUBJECTS and any(
        child.dep_ == "aux" and child.lower_ in lex.generic_modals for child in children)


def names_without_namer(cue: Token) -> bool:
    """A passive naming with no one doing it, of no one named ("what is often called “regenerative
    medicine”", "places that are labeled “forgotten America”", "a collection called “Yuge!”"): a
    name in the writer's voice, no one's words; not "it was labeled “Mostly True”", whose namer
    the text around it names."""
    lex, lemma = lexicon(), cue.lemma_.lower()
    if not (lemma in lex.naming_verbs or lex.prepositional_cues.get(lemma) == "as") or any(
            child.dep_ == "agent" for child in cue.children):
        return False
    if cue.tag_ == "VBN" and cue.dep_ == "acl":
        return True
    subject = next((child for child in cue.children if child.dep_ == "nsubjpass"), None)
    return any(child.dep_ == "auxpass" for child in cue.children) and (
        subject is None or subject.tag_ in ("WDT", "WP"))


def token_strings(doc: Doc, attr: int) -> list[str]:
    """One attribute of every token, as strings, read as an array: cheaper than a
    Token object per word for a loop that only needs it to pass most words by."""
    strings = doc.vocab.strings
    return [strings[value] for value in doc.to_array(attr).tolist()]


def is_according_to(token: Token) -> bool:
    """A source-first phrase ("according to X"): its head word with the preposition below it."""
    lower, lex = token.lower_, lexicon()
    return lower in lex.source_first_heads and any(
        lower == head and any(child.lower_ == preposition for child in token.children)
        for head, preposition in lex.source_first_phrases)


def according_source(token: Token) -> Token | None:
    prepositions = {preposition for _, preposition in lexicon().source_first_phrases}
    for child in token.children:
        if child.lower_ in prepositions:
            objects = [grand for grand in child.children if grand.dep_ == "pobj"]
            if objects:
                source = objects[0]
                # "according to reporting by X": the source is X.
                if source.lemma_ in ("report", "reporting"):
                    for grand in source.children:
                        if grand.lower_ == "by":
                            agents = [g for g in grand.children if g.dep_ == "pobj"]
                            if agents:
                                return agents[0]
                    # "according to AP reporting", "according to a Reuters report": the outlet.
                    named = [grand for grand in source.children
                             if grand.dep_ in ("compound", "poss", "nmod", "amod") and grand.pos_ == "PROPN"]
                    if named:
                        return named[-1]
                return source
    return None


def make_cue(cue: Token) -> Cue:
    """The cue phrase of a cue word, with the cue word's lemma."""
    tokens = cue_tokens(cue)
    first, last = tokens[0], tokens[-1]
    text = first.doc[first.i : last.i + 1].text  # Doc.text rebuilds the whole text: avoid it
    lemma = " ".join(token.lower_ for token in tokens) if is_according_to(cue) else cue.lemma_.lower()
    return Cue(text=text, lemma=lemma, start=first.idx, end=last.idx + len(last.text))


def cue_tokens(token: Token) -> list[Token]:
    if is_according_to(token):
        return [token, token.nbor(1)] if token.i + 1 < len(token.doc) else [token]
    # A verb's auxiliaries, negation and the adverbs right before it belong to its cue ("has
    # said", "is demanding", "did not say", "also noted", "repeatedly denied"), as PolNeAR
    # annotates it (an adverb right before the cue: in it 583 times in 663 on the train split);
    # infinitival "to" does not.
    first = token.i
    for child in reversed(list(token.lefts)):
        adverb = child.dep_ == "advmod" and child.pos_ == "ADV" and child.i == first - 1
        if not adverb and child.dep_ not in AUXILIARY_DEPS or child.lower_ == "to":
            break
        between = token.doc[child.i + 1 : first]
        if not all(word.dep_ in AUXILIARY_DEPS or word.pos_ == "ADV" for word in between):
            break
        first = child.i
    # phrasal cues: "pointed out", and the preposition that opens what was said
    # right after the verb ("called for", "warned of", "talked about", "spoke of", "pointed to"),
    # as PolNeAR marks them
    lex, lemma = lexicon(), token.lemma_.lower()
    own = (lex.prepositional_cues.get(lemma), lex.directive_prepositions.get(lemma), *CUE_PREPOSITIONS,
           *lex.topic_verbs.get(lemma, ()), *(lex.stance_nouns.get(lemma, ()) if token.pos_ == "NOUN" else ()))
    particles = [child for child in token.children if child.i == token.i + 1 and (
        child.dep_ == "prt" or child.lower_ in lex.particle_cues.get(lemma, ())
        or child.dep_ == "prep" and child.lower_ in own
        and not any(grand.ent_type_ in ("DATE", "TIME") for grand in child.children))]
    return [*token.doc[first : token.i + 1], *particles]


def direct_subject(cue: Token) -> Token | None:
    if is_according_to(cue):
        return according_source(cue)
    # Two subjects on one verb is a misparse ("BUFFALO, N.Y. — ..., coach X said"):
    # the one nearest the verb is the speaker.
    # ("42% say": the tokenizer counts "%" as punctuation)
    subjects = [child for child in cue.children if child.dep_ in ("nsubj", "csubj")
                and (not child.is_punct or child.ent_type_ in SHARE_LABELS)]
    if subjects:
        subject = min(subjects, key=lambda child: abs(child.i - cue.i))
        # "Majorities of voters going to the polls said": a participle read as a clausal
        # subject, whose own subject is the noun it describes.
        own = next((child for child in subject.children if child.dep_ == "nsubj" and child.i < subject.i), None)
        if subject.dep_ == "csubj" and subject.tag_ == "VBG" and own is not None:
            return own
        if subject.pos_ == "ADP":  # "Of Carson, Levine, who ..., said": the preposition read as the subject
            return next((child for child in subject.children if child.dep_ == "pobj"), subject)
        if subject.pos_ == "ADJ":  # "Current and former officials said": the adjective read as the subject
            return next((child for child in subject.children if child.dep_ == "conj" and child.pos_ == "NOUN"), subject)
        if _quoted_title(subject, cue):
            return _subject_before_title(subject)
        return _name_set_off_before(subject, cue) or subject
    for child in cue.children:
        if child.dep_ == "agent":  # "was told by X"
            objects = [grand for grand in child.children if grand.dep_ == "pobj"]
            if objects:
                return objects[0]
    return None


def _quoted_title(subject: Token, cue: Token) -> bool:
    """"trashed Comey on MSNBC’s “Morning Joe,” calling it ...": a name in quotation marks right
    before a participle is a title (a programme, a book) the parse made the participle's subject."""
    if cue.tag_ != "VBG" or subject.i > cue.i:
        return False
    return subject.doc[_opening_mark(subject)].tag_ == "``" and any(
        token.tag_ == "''" for token in subject.doc[subject.i + 1 : cue.i])


def _opening_mark(title: Token) -> int:
    """The first opening quotation mark in a title's phrase before its head, else the head."""
    return next((token.i for token in title.doc[title.left_edge.i : title.i] if token.tag_ == "``"), title.i)


def _subject_before_title(title: Token) -> Token | None:
    """The subject of the clause a quoted title closes ("Giuliani trashed Comey on “Morning Joe,”"),
    when it can speak."""
    opening = _opening_mark(title)
    if opening == 0 or title.doc[opening - 1].is_sent_end or title.doc[opening - 1].text in (".", "!", "?"):
        return None
    before = title.doc[opening - 1]
    for verb in (before, *before.ancestors):
        if verb.pos_ in ("VERB", "AUX") and verb.i < opening:
            subject = direct_subject(verb)
            return subject if _agentive(subject) else None
    return None


def _name_set_off_before(subject: Token, cue: Token) -> Token | None:
    """"One pastor supporting Mr. Cruz, Darran Whiting of Liberty Baptist Church, said": a common
    noun's description closed by a name set off by commas right before the cue; the parse hangs the
    name on the nearest noun, but the name says who the described person is."""
    if subject.pos_ != "NOUN" or subject.ent_type_ or cue.i < 2 or cue.doc[cue.i - 1].text != ",":
        return None
    doc = cue.doc
    for token in doc[subject.i + 1 : cue.i - 1]:
        if (token.dep_ == "appos" and token.pos_ == "PROPN" and token.right_edge.i == cue.i - 2
                and doc[token.left_edge.i - 1].text == "," and subject.is_ancestor(token)
                and token.ent_type_ in ("", "PERSON")):
            return token
    return None


def speaks_for_its_noun(subject: Token, verb: Token) -> bool:
    """"the Times, which endorsed Clinton", "the group that backed him": a relative pronoun subject
    of the verb's relative clause, which speaks for the noun before it (link resolves it) when
    that noun can speak ("the look of their body, which explained ..." is no one's act)."""
    its_clause = subject.dep_ == "nsubj" and subject.head.i == verb.i and verb.dep_ == "relcl"
    noun = relative_antecedent(subject) if its_clause else None
    return noun is not None and subject.lower_ in ("which", "that", "who") and (subject.lower_ == "who" or names_someone(noun))


def subject_of(cue: Token) -> Token | None:
    """The speaker of a cue; participles and conjuncts borrow their subject
    from the clause they hang on ("..., insisting no plan ...")."""
    subject = direct_subject(cue)
    if subject is not None:
        return subject
    if any(child.dep_ in ("nsubjpass", "expl") for child in cue.children):
        # "... when it was revealed that she had used ...", "Sanders has been criticized for ...":
        # a passive with a subject of its own and no agent says nothing of who spoke.
        return None
    if cue.dep_ not in ("advcl", "xcomp", "conj", "acl", "ccomp", "pcomp", "relcl"):
        opened = _subject_after_opening_participle(cue)
        if opened is not None:
            return opened
        bare = _bare_name_before(cue)
        return bare if bare is not None else _subject_before_aside(cue)
    quoted = _quoted_as_saying(cue)
    if quoted is not None:
        return quoted
    if cue.dep_ == "xcomp" and cue.tag_ == "VBD" and not any(child.lower_ == "to" for child in cue.children):
        # "When someone shouted, “Cruz,” Beck joked, ...": a past tense is no complement; the parse
        # lost the name before it.
        bare = _bare_name_before(cue)
        if bare is not None:
            return bare
    controller = _object_controller(cue)
    if controller is not None:
        return controller
    before = cue.doc[cue.i - 1] if cue.i > 0 else None
    if cue.tag_ == "VBG" and before is not None and _shown_speaking(before):
        return before
    if cue.tag_ == "VBG" and before is not None and before.dep_ == "pobj" and before.head.lower_ == "with":
        return before  # "... with Kilmeade stating:": the one "with" names speaks
    ancestors = list(cue.ancestors)
    if cue.dep_ == "conj" and cue.tag_ == "VBG" and cue.head.tag_ != "VBG":
        # "saying that the bill was waylaid by voter mistrust - and arguing ...": a participle goes
        # on from the participle above, wherever the parse hung it.
        partner = next((ancestor for ancestor in ancestors[1:] if ancestor.tag_ == "VBG" and ancestor.pos_ == "VERB"),
                       None)
        if partner is not None:
            return subject_of(partner)
    if cue.dep_ == "conj" and cue.head.pos_ in ("VERB", "AUX") and direct_subject(cue.head) is not None:
        # "the employee, who identified as a supervisor and told investigators that ...": a
        # conjunct shares its first verb's subject, before any cue further up; unless the parse
        # hung it inside what a cue above reports and that subject is a thing ("He says the
        # obvious response was to X and says Y": his, both).
        subject = direct_subject(cue.head)
        outer = next((ancestor for ancestor in ancestors[1:] if (is_cue(ancestor) or ancestor.pos_ == "VERB" and
                      ancestor.lemma_.lower() in lexicon().belief_cues) and direct_subject(ancestor) is not None), None)
        if not _agentive(subject):
            # "And it wasn't an accident — Brendan Buck, a spokesman for Ryan, told POLITICO that"
            aside = _subject_before_aside(cue)
            if aside is not None:
                return aside
            if outer is not None:
                return direct_subject(outer)
        telling = _telling_verb_above(cue, ancestors[1:])
        return subject if telling is None else direct_subject(telling)
    for ancestor in ancestors:
        if is_cue(ancestor) and direct_subject(ancestor) is not None:
            return direct_subject(ancestor)
    for ancestor in ancestors:
        subject = direct_subject(ancestor)
        if subject is not None:
            before = _outer_speaker(cue, ancestor) if _agentive(subject) else _speaker_before_participle(cue)
            return before if before is not None else subject
    return _bare_name_before(cue)


def _outer_speaker(cue: Token, clause: Token) -> Token | None:
    """"Ortega rejected the idea that the developer would hurt the ticket, saying …": a participle
    after a comma that the parse hung on a clause inside what another clause holds (a "that"
    clause, a relative clause) goes on from the outermost clause, when its subject can speak."""
    if cue.tag_ != "VBG" or cue.dep_ != "advcl" or cue.i == 0 or cue.doc[cue.i - 1].text != ",":
        return None
    embedded = clause
    while embedded.dep_ not in EMBEDDING_DEPS and embedded.head is not embedded:
        if embedded.dep_ != "conj":
            return None
        embedded = embedded.head
    if embedded.dep_ not in EMBEDDING_DEPS:
        return None
    outer = [verb for verb in embedded.ancestors if verb.pos_ in ("VERB", "AUX") and verb.i < cue.i]
    subject = direct_subject(outer[-1]) if outer else None
    return subject if _agentive(subject) else None


def _subject_after_opening_participle(cue: Token) -> Token | None:
    """"Noting that the policy failed, Trump reminded voters ...": a participle that opens its
    sentence, which the parse made the root, is spoken by the subject of the main clause after it,
    the first subject that follows a comma and comes before its own finite verb."""
    if cue.tag_ != "VBG" or cue.dep_ != "ROOT" or cue.i != cue.sent.start:
        return None
    for token in cue.doc[cue.i + 1 : cue.sent.end]:
        if (token.dep_ == "nsubj" and cue.doc[token.left_edge.i - 1].text == ","
                and token.head.tag_ in FINITE_TAGS and token.head.i > token.i):
            return token if _agentive(token) else None
    return None


def _speaker_before_participle(cue: Token) -> Token | None:
    """"It was a potent punch, as Mrs. Clinton echoed the criticism, saying …", "The first incident
    came during a speech, when protesters interrupted her, shouting “…”": a participle after a comma
    that the parse hung on a clause whose subject cannot speak goes on from the nearest verb before
    it whose subject is a name or a noun that can (a pronoun there may be the first subject again)."""
    if cue.tag_ != "VBG" or cue.i == 0 or cue.doc[cue.i - 1].text != ",":
        return None
    for verb in reversed(cue.doc[cue.sent.start : cue.i]):
        subject = direct_subject(verb) if verb.pos_ in ("VERB", "AUX") else None
        if subject is not None and subject.pos_ in ("NOUN", "PROPN") and _agentive(subject):
            return subject
    return None


def _telling_verb_above(cue: Token, outer: list[Token]) -> Token | None:
    """"De Blasio said the move was made by Bratton and said, “…”", "Spicer said the party was not
    in a crisis, and urged ...", "Sanders said contractors can be costly and cited ...": a simple
    past or present cue the parse conjoined to a verb of what another verb reports, where that verb
    has another form (an auxiliary, a modal, a passive, "be") and the verb above has the cue's:
    the verb above is the one the cue goes on from."""
    head = cue.head
    if cue.tag_ not in ("VBD", "VBZ", "VBP") or any(child.dep_ in AUXILIARY_DEPS for child in cue.children):
        return None
    same_form = head.tag_ == cue.tag_ and head.lemma_ != "be" and not any(
        child.dep_ in AUXILIARY_DEPS for child in head.children)
    if same_form:
        return None
    return next((verb for verb in outer if verb.pos_ == "VERB" and verb.tag_ == cue.tag_ and verb.i < cue.i
                 and _agentive(direct_subject(verb))), None)


def relative_antecedent(pronoun: Token) -> Token | None:
    """The noun a relative pronoun stands for, through conjoined clauses: "Kingson, who is
    running and who worked the crowd", "DFA - which was founded ... and which has endorsed"."""
    if pronoun.lower_ not in RELATIVE_SUBJECTS:
        return None
    clause = pronoun.head
    while clause.dep_ == "conj" and clause.head is not clause:
        clause = clause.head
    return clause.head if clause.dep_ == "relcl" and clause.head.i < pronoun.i else None


def _agentive(subject: Token | None) -> bool:
    """A subject that can say something: one that names someone, a pronoun or a quantity of
    people ("some of her followers"), or a relative pronoun standing for one of them."""
    if subject is None:
        return False
    antecedent = relative_antecedent(subject)
    if antecedent is not None:
        return subject.lower_ in ("who", "whom") or _agentive(antecedent)
    if subject.pos_ in ("PRON", "DET", "NUM"):
        return subject.lower_ not in IMPERSONAL_SUBJECTS
    lemma = subject.lemma_.lower()
    return names_someone(subject) or (subject.pos_ == "NOUN" and lemma.endswith(PEOPLE_ENDINGS)
                                      and not lemma.endswith(THING_ENDINGS))


RELATIVE_SUBJECTS = ("who", "whom", "which", "that")
EMBEDDING_DEPS = ("ccomp", "acl", "relcl")  # clauses another clause or a noun holds
FINITE_TAGS = ("VBD", "VBZ", "VBP", "MD")
# Verbs that bring their object to speak ("led Republicans to say", "forced Stumpf to admit"); not
# those that tell it to ("encouraged his supporters to ask": the encourager's words) or promise it.
CAUSING_VERBS = ("lead", "prompt", "force", "cause", "push", "drive", "spur", "move", "compel", "provoke",
                 "inspire", "get", "leave", "help", "allow", "enable", "pressure")
SHARE_LABELS = ("PERCENT", "CARDINAL")  # "42% say", "a third agreed": a share of the people asked
# How words for people end ("employee", "voter", "activist", "resident", "spokesman", "staff"): a
# subject so named may speak though the lexicon does not list it as a role.
PEOPLE_ENDINGS = ("ee", "er", "or", "ist", "ant", "ent", "ian", "man", "woman", "person", "people", "folk",
                  "staff", "public", "crowd", "audience", "community", "family", "team", "group", "panel")
# Endings inside those that name things or events ("statement", "incident", "accident", "event").
THING_ENDINGS = ("ment", "cident", "vent")
AGENT_NAMES = ("PERSON", "ORG", "NORP", "GPE")  # the entities that may hold a position: who, not what
PERSONAL_PRONOUNS = frozenset("i we you he she they".split())


def names_someone(subject: Token | None) -> bool:
    """A subject that can commit to something: a name, a personal pronoun, a role or an
    organisation ("the mayor", "the council"); not "high winds" or "the debate"."""
    if subject is None:
        return False
    lex = lexicon()
    lemma = subject.lemma_.lower()
    return (subject.ent_type_ in AGENT_NAMES or subject.pos_ == "PROPN" or subject.lower_ in PERSONAL_PRONOUNS
            or lemma in lex.roles or lemma in lex.generic_roles or lemma in lex.organisation_heads)


def is_happening(subject: Token | None) -> bool:
    """"A look at the fleet suggests", "the victory confirmed": an event or the writer's own
    looking for subject (lexicon happenings), no one who says anything."""
    return subject is not None and subject.pos_ == "NOUN" and subject.lemma_.lower() in lexicon().happening_nouns


def commits(cue: Token) -> bool:
    """A commissive cue ("vowed to", "threatened to") whose subject can commit (names_someone, for
    the verbs that also say what a thing risks doing, lexicon agents_only, and for any whose
    to-clause is "to be")."""
    lex, lemma = lexicon(), cue.lemma_.lower()
    if lemma not in lex.commissive_verbs:
        return False
    if names_someone(subject_of(cue)):
        return True
    # "the debate promised to be a crucial moment": what a thing is bound to be, no one's promise
    forecast = any(child.dep_ == "xcomp" and child.lemma_ == "be" for child in cue.children)
    return lemma not in lex.agent_commissives and not forecast


def _shown_speaking(person: Token) -> bool:
    """"footage of Hillary Clinton asking, “…”", "the video shows him saying": the person a
    recording is of, or that it shows, speaks the participle right after them, however the
    parse hangs it ("posted on Twitter accusing …", "praised Obama, saying" do not)."""
    if person.ent_type_ != "PERSON" and person.lower_ not in PERSONAL_OBJECTS:
        return False
    if person.dep_ == "pobj":
        return person.head.lower_ == "of"
    return person.dep_ == "dobj" and person.head.lemma_.lower() in SHOWING_VERBS


def _object_controller(cue: Token) -> Token | None:
    """"The timing led Republicans to say", "a win that led her to declare", "That prompted Rubio
    to make a joke and call Trump …", "Trump was prompted to say": an infinitive after a verb's
    object (or its passive subject) is that object's words
    (object control), where the object can speak ("used the speech to say" is the user's) and the
    verb brings it to speak (CAUSING_VERBS: "urged voters to ask" is the urger's)."""
    clause = cue
    # "to make a joke and call", not "urging voters to see … and promising"
    while (clause.dep_ == "conj" and clause.tag_ == "VB" and clause.head.pos_ in ("VERB", "AUX")
           and clause.head.i < clause.i):
        clause = clause.head
    if clause.dep_ != "xcomp" or not any(child.lower_ == "to" and child.dep_ == "aux" for child in clause.children):
        return None
    verb = clause.head
    if verb.lemma_.lower() not in CAUSING_VERBS:
        return None
    # "Mr. Trump was prompted to say": in the passive, the subject is the one brought to speak
    controller = next((child for child in verb.children if child.dep_ in ("dobj", "nsubjpass") and child.i < clause.i),
                      None)
    return controller if _agentive(controller) else None


def _quoted_as_saying(cue: Token) -> Token | None:
    """"the Times quoted the sister as saying she ...", "citing officials as saying": the one
    quoted speaks, not the one who quotes."""
    preposition = cue.head
    if cue.dep_ != "pcomp" or preposition.lower_ != "as" or preposition.head.lemma_.lower() not in QUOTING_VERBS:
        return None
    return next((child for child in preposition.head.children if child.dep_ == "dobj"), None)


def _surname_read_as_a_word(token: Token, cue: Token) -> bool:
    """"Citing the attack, Will urged": a capitalised word inside the sentence, right before a
    past-tense cue, that the tagger read as a modal (no modal comes right before a past tense or
    participle) is a surname (George Will)."""
    return (token.i == cue.i - 1 and token.i > cue.sent.start and token.is_title and token.is_alpha
            and cue.tag_ in ("VBD", "VBN") and token.tag_ == "MD")


def _bare_name_before(cue: Token) -> Token | None:
    """"..., but Early still says": a surname the tagger read as another word
    class, left without a subject arc. Only a capitalised word inside the
    sentence, right before the cue (adverbs aside)."""
    index, sentence_start, doc = cue.i - 1, cue.sent.start, cue.doc
    while index >= sentence_start and (doc[index].pos_ == "ADV" and doc[index].is_lower
                                       or doc[index].dep_ == "aux" and doc[index].head == cue
                                       and not _surname_read_as_a_word(doc[index], cue)):
        index -= 1
    # "Sen. Elizabeth Warren (D-MA) said", "two members, Ileana Ros-Lehtinen and Carlos Curbelo, have
    # said": a person's name closes the phrase the parse hung elsewhere, before a party tag or a comma.
    if index > sentence_start and doc[index].text == ")":
        opening = next((i for i in range(index - 1, max(sentence_start, index - 6), -1) if doc[i].text == "("), None)
        index = opening - 1 if opening is not None and doc[opening - 1].ent_type_ == "PERSON" else index
    if (index > sentence_start and doc[index].text == "," and doc[index - 1].ent_type_ in ("PERSON", *SHARE_LABELS)
            and doc[index - 1].dep_ in ("appos", "conj")):  # not "..., who gave money to Rubio, said"
        index -= 1
    if index <= sentence_start:
        return None
    token = doc[index]
    if token.is_title and not token.is_stop and token.pos_ not in ("PRON", "DET") and token.is_alpha:
        return token
    if _surname_read_as_a_word(token, cue):
        return token
    # A poll's share of people the parse hung elsewhere: "Less than a third agreed", "about two-thirds,
    # 67 percent, say".
    if token.pos_ == "NOUN" and token.ent_type_ in SHARE_LABELS and token.dep_ in ("npadvmod", "appos"):
        return token
    return None


ASIDE_MARKS = (",", "-", "—", "–", "--")
ASIDE_HOLDERS = ("nsubj", "nsubjpass", "ROOT", "appos", "dep", "npadvmod")  # not an object: "met Jones, a former aide,"


def _subject_before_aside(cue: Token) -> Token | None:
    """A finite cue whose subject the parse lost behind an aside: "Patrick Kennedy, the
    undersecretary for management, wrote", "Donald Trump - who previously said ... - said", "an
    official who spoke anonymously to discuss strategy said". The person named right before the
    aside's opening mark, or the noun the relative clause that ends at the cue describes."""
    if cue.tag_ not in ("VBD", "VBZ", "VBP"):
        return None
    index, sentence_start, doc = cue.i - 1, cue.sent.start, cue.doc
    while index > sentence_start and (doc[index].pos_ == "ADV" and doc[index].is_lower
                                      or doc[index].dep_ == "aux" and doc[index].head == cue):
        index -= 1
    if index <= sentence_start:
        return None
    mark = doc[index]
    if mark.text in ASIDE_MARKS:
        closing = "," if mark.text == "," else None
        for token in reversed(doc[sentence_start : index - 1]):
            after = doc[token.i + 1]
            if (token.ent_type_ == "PERSON" and after.ent_type_ != "PERSON" and token.dep_ in ASIDE_HOLDERS
                    and (after.text == closing or closing is None and after.text in ASIDE_MARKS[1:])):
                return token
        return None
    clause = next((token.head for token in reversed(doc[sentence_start:index]) if token.lower_ == "who"
                   and token.dep_ == "nsubj" and token.head.dep_ == "relcl"), None)
    if clause is not None and clause.right_edge.i == index and _agentive(clause.head):
        return clause.head
    return None


def mention_bounds(token: Token, entity_at: dict[int, SpacySpan]) -> tuple[int, int]:
    """Token range [start, end) of the noun phrase a subject token heads."""
    entity = entity_at.get(token.i)
    if entity is not None:
        return entity.start, entity.end
    if token.pos_ == "PRON":
        return token.i, token.i + 1
    start = token.i
    for child in token.lefts:
        if child.dep_ in ("det", "amod", "compound", "poss", "nmod", "nummod", "quantmod", "case"):
            start = min(start, child.left_edge.i)
    end = token.i + 1
    for child in token.rights:
        if child.dep_ in NAME_PARTS and child.i == end:
            end = child.i + 1
        # "people familiar with the matter", "a senior official at the ministry"
        elif (token.pos_ == "NOUN" and child.dep_ in DESCRIPTION_PARTS and child.left_edge.i == end
              # an acl of a noun the parse made the sentence's root is its misread main verb
              and (child.dep_ != "acl" or token.dep_ != "ROOT" and child.tag_ in ("VBN", "VBG"))):
            # stop at a comma: what follows is an appositive, not the description
            comma = next((t.i for t in child.subtree if t.text == "," and not _inside_place(t)), None)
            tail_end = comma if comma is not None else child.right_edge.i + 1
            if tail_end - token.i <= MAX_DESCRIPTION_TAIL:
                end = tail_end
            break
    while start < token.i and token.doc[start].is_punct:
        start += 1
    return start, end


def _inside_place(comma: Token) -> bool:
    """A comma between two parts of one place's name: "the Hutchinson County, Texas Office"."""
    doc = comma.doc
    return (0 < comma.i < len(doc) - 1 and doc[comma.i - 1].ent_type_ in NAME_LABELS
            and doc[comma.i + 1].ent_type_ in NAME_LABELS and doc[comma.i + 1].pos_ == "PROPN")


def entity_index(doc: Doc) -> dict[int, SpacySpan]:
    """Token index -> entity span. NER sometimes runs one name into the next
    across a comma ("the Daily Meridian, Osei"); names have no commas, so split."""
    index: dict[int, SpacySpan] = {}
    for ent in doc.ents:
        start = ent.start
        for token in ent:
            if token.text == ",":
                if token.i > start:
                    piece = SpacySpan(doc, start, token.i, label=ent.label_)
                    index.update((i, piece) for i in range(start, token.i))
                start = token.i + 1
        if start < ent.end:
            piece = ent if start == ent.start else SpacySpan(doc, start, ent.end, label=ent.label_)
            index.update((i, piece) for i in range(start, ent.end))
    return index


def entity_spans(entity_at: dict[int, SpacySpan]) -> list[SpacySpan]:
    """The distinct entity spans of an index, in text order."""
    return sorted({(span.start, span.end): span for span in entity_at.values()}.values(), key=lambda s: s.start)
