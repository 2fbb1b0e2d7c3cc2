"""Describe each attribution after the link stage: its act, addressee, setting and target,
read off the dependency parse of the sentence holding its cue (the article's one Doc).

Rules, not a model: no annotated data of this kind exists for training, and the parse
already says who was told, where and about whom ("told reporters", "in a statement",
"accused the agency of"). The word lists are data/acts.toml; conventions in docs/acts.md.
"""
from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from spacy.attrs import LEMMA
from spacy.tokens import Doc, Span as SpacySpan, Token

from ..attribute.frames import token_strings
from ..lexicon import lexicon
from ..model import QUOTATIONS, Article, Quote
from .records import PLOVER, TARGETED_ACTS, Description, Party, Setting
from .words import ActWords, act_words

NOUNS = ("NOUN", "PROPN", "PRON")
OBJECTS = ("dobj", "dative")
# A phrase ends before these children: "officials, who ..." is "officials".
PHRASE_ENDS = ("relcl", "acl", "appos", "punct", "advcl", "cc", "conj", "ccomp")
# Participles whose phrases say where the words were said: "Speaking at a news conference, ...".
SETTING_PARTICIPLES = ("speak", "talk", "write", "appear", "address")
WRITTEN = ("statement", "letter", "report", "social_post", "book")
CONTENT_NOT_CLAUSE = ("ccomp", "xcomp", "advcl")
# Prepositions that open a setting ("in a statement", "at a news conference", "before the
# committee"); not "for" or "of", which open what was said ("called for an inquiry").
SETTING_PREPOSITIONS = ("in", "at", "on", "during", "before", "via", "through", "to", "from")
# The prepositions of an occasion, where the parser hangs a setting away from the cue: opening the
# sentence ("In a statement to CNN, the body said") or on the cue's object ("denied the allegations
# in a statement"; not in a report or a book, which hold what was denied).
OCCASION_PREPOSITIONS = ("in", "at", "during")
OBJECT_SETTINGS = ("statement", "interview", "press_conference", "speech", "social_post", "letter")
# Nouns that are testimony only where the words were given before them ("testified before the
# committee", "told the inquiry", "at a Senate hearing"), not where a letter went to them.
HEARING_NOUNS = ("committee", "inquiry", "hearing")
# Settings one holds, gives or addresses ("told a rally", "gave a speech", "did an interview"),
# unlike a report or a paper ("told the paper" names a newspaper).
HELD_SETTINGS = ("interview", "speech", "press_conference", "testimony")
NEARBY_MENTIONS = 8
# Who takes part in a scene: "Ernst confronted him at a committee hearing".
PARTICIPANTS = ("nsubj", "nsubjpass", "dobj", "dative")
# Cues of plain speaking: "said on CNBC" is an appearance; "commented on Apple" is a topic.
SPEAKING = ("say", "tell", "speak", "talk", "add", "explain")
QUESTION_WORDS = ("how", "why", "what", "whether", "if", "who", "when", "where", "which")
DEMONSTRATIVES = ("this", "that", "these", "those")
# Entity types of a named subject whose deeds or nature the words judge ("said Trump is the worst ...").
JUDGED_ENTITIES = ("PERSON", "ORG", "GPE", "NORP")
# Prepositions that aim an act noun at its target: "paid tribute to X", "made threats against X".
AIMED_AT = ("to", "against", "at")
REFLEXIVE = ("himself", "herself", "themselves", "itself", "myself", "ourselves", "yourself", "oneself")


class _Entities:
    """Which of the article's entities a character range names: sorted mention starts, bisected."""

    def __init__(self, article: Article) -> None:
        mentions = sorted((mention.start, mention.end, entity.name, entity.is_media)
                          for entity in article.entities for mention in entity.mentions)
        self._starts = [start for start, *_ in mentions]
        self._mentions = mentions

    def named(self, start: int, end: int, media_only: bool = False) -> str | None:
        # Mentions are a few words long: one overlapping [start, end) is among the last few starting before end.
        index = bisect.bisect_left(self._starts, end)
        for mention_start, mention_end, name, is_media in reversed(self._mentions[max(0, index - NEARBY_MENTIONS):index]):
            if mention_start < end and start < mention_end and (is_media or not media_only):
                return name
        return None


def describe(doc: Doc, article: Article) -> list[Description]:
    """One Description per quotation of `article`, in the order of article.quotes.
    `doc` is the article's parse (the one the pipeline made from article.text)."""
    words = act_words()
    entities = _Entities(article)
    # Cue words of quotations: a participle among them reports words of its own ("said X,
    # warning that Y": Y is the warning, X a statement).
    reporting = frozenset(cue.i for quote in article.quotes if quote.kind in QUOTATIONS
                          and (cue := _cue_token(doc, quote)) is not None)
    found = [_describe_quote(doc, quote, words, entities, reporting) for quote in article.quotes]
    _carry_on(doc, article.text, article.quotes, found, words)
    _apply_article_frames(doc, article.quotes, found, words, entities)
    return found


def interview_outlets(descriptions: Iterable[Description]) -> list[str]:
    """The outlets that conducted the interviews the quotations come from, in first-seen order:
    origins for the reporting chain."""
    outlets: list[str] = []
    for description in descriptions:
        setting = description.setting
        if setting and setting.kind == "interview" and setting.outlet and setting.outlet not in outlets:
            outlets.append(setting.outlet)
    return outlets


def _cue_token(doc: Doc, quote: Quote) -> Token | None:
    cue = quote.cue
    if cue is None:
        return None
    span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    head_word = cue.lemma.split()[0]
    verb = next((token for token in span if token.pos_ in ("VERB", "AUX")), None)
    named = next((token for token in span if token.lemma_.lower() == head_word or token.lower_ == head_word), None)
    # A cue whose lemma is a noun of its phrase ("saying in a statement": "statement") acts by its verb.
    if named is not None and (named.pos_ in ("VERB", "AUX") or verb is None):
        return named
    return verb or named or span[0]


def _describe_quote(doc: Doc, quote: Quote, words: ActWords, entities: _Entities,
                    reporting: frozenset[int]) -> Description:
    cue = _cue_token(doc, quote)
    if cue is None:
        act, act_by = ("decline", "frame") if quote.kind == "no_comment" else ("state", "carried")
        return Description(act=act, act_by=act_by, plover=PLOVER.get(act))
    act, act_by = _act(doc, cue, quote, words, reporting)
    # Words inside the quotation marks are no frame of them ("From my interviews, ...").
    addressee = _outside(_addressee(cue, words, entities) or _reported_telling(cue, quote, words, entities), quote)
    if addressee is not None and quote.kind != "direct" and addressee.start < quote.end and quote.start < addressee.end:
        addressee = None  # "pointing to the persistent obstacle ...", "urged an end to ...": what was said, not a listener
    setting = _outside(_setting(cue, addressee, words, entities), quote)
    target = None
    if act in TARGETED_ACTS or cue.lemma_ in words.naming:
        target = _outside(_target(cue, act, quote, words, entities, reporting)
                          or _subject_judged(doc, quote, act, entities), quote)
    return Description(act=act, act_by=act_by, plover=PLOVER.get(act), addressee=addressee,
                       setting=setting, target=target)


def _outside(part: Party | Setting | None, quote: Quote) -> Party | Setting | None:
    inside = part is not None and quote.kind == "direct" and quote.start <= part.start < quote.end
    return None if inside else part


# --- act -------------------------------------------------------------------------------------------

def _has_child(token: Token, deps: Sequence[str], lemmas: Iterable[str] | None = None) -> Token | None:
    wanted = None if lemmas is None else set(lemmas)
    return next((child for child in token.children
                 if child.dep_ in deps and (wanted is None or child.lemma_.lower() in wanted or child.lower_ in wanted)),
                None)


def _to_infinitive(token: Token) -> Token | None:
    """The to-infinitive a verb governs: "asked the court to ..."."""
    return next((child for child in token.children if child.dep_ in ("xcomp", "ccomp")
                 and any(grand.dep_ == "aux" and grand.lower_ == "to" for grand in child.children)), None)


def _act(doc: Doc, cue: Token, quote: Quote, words: ActWords, reporting: frozenset[int]) -> tuple[str, str]:
    lemma = cue.lemma_.lower()
    # Non-responses: "declined to comment", "did not respond", the no_comment kind.
    if lemma in words.refusal_verbs and _has_child(cue, ("xcomp",), words.no_comment_verbs):
        return "decline", "frame"
    if lemma in words.no_comment_verbs and _has_child(cue, ("neg",)) or quote.kind == "no_comment":
        return "decline", "frame"
    # "called for an inquiry", "called on the minister to resign", "asked the court to ...".
    if lemma == "call" and _has_child(cue, ("prep",), ("for", "on")):
        return "demand", "frame"
    infinitive = _to_infinitive(cue) if lemma in words.directive_ask else None
    if infinitive is not None and (_has_child(cue, OBJECTS) or _has_child(cue, ("prep",), ("on",))) and (
            quote.start <= infinitive.idx < quote.end):  # not "telling them to X and that Y" for Y
        return "demand", "frame"
    # "questioned US claims" rejects them; "questioned whether ..." asks.
    if lemma == "question" and (obj := _has_child(cue, ("dobj",))) is not None and obj.pos_ in ("NOUN", "PROPN"):
        return "reject", "frame"
    # A participle of saying under a denial, rejection, criticism ...: "disputed that, saying ...".
    if cue.tag_ == "VBG" and cue.dep_ in ("advcl", "xcomp", "conj"):
        head_act = words.cue_act.get(cue.head.lemma_.lower())
        # only to a plain verb of saying: "scolded the label, accusing it of ..." stays an accusation
        if head_act in words.lends_act and words.cue_act.get(lemma, "state") == "state":
            return head_act, "frame"
    lending = _lending_clause(cue, words, reporting)
    if lending is not None:  # "said as he criticized the idea ..."
        return words.cue_act[lending.lemma_.lower()], "frame"
    if lemma in words.naming:
        polarity = _polarity(doc, quote, words)
        if polarity:
            return polarity, "content"
        return "state", "cue"
    act = words.cue_act.get(lemma, "state")
    if act == "state" and quote.cue is not None:
        # "repeated his accusation that ...", "issued a warning that ...": the noun of the cue
        # phrase, or the object noun of a plain cue verb
        phrase = [*(doc.char_span(quote.cue.start, quote.cue.end, alignment_mode="expand") or ()),
                  *(child for child in cue.children if child.dep_ == "dobj")]
        act = next((words.cue_act[token.lemma_.lower()] for token in phrase
                    if token.pos_ == "NOUN" and token.lemma_.lower() in words.cue_act), "state")
    if act == "demand" and quote.text.split(maxsplit=1)[:1] and quote.text.split()[0].lower() in QUESTION_WORDS:
        return "ask", "frame"  # "demanded how ...", "pressed him on whether ..."
    if act == "state":
        by_content = _content_act(doc, quote, words)
        if by_content:
            return by_content, "content"
    return act, "cue"


def _lending_clause(cue: Token, words: ActWords, reporting: frozenset[int]) -> Token | None:
    """A clause beside a plain verb of saying that says what the saying did, by the same speaker:
    "said as he criticized the idea ...", "said while praising the players". A clause that
    reports words of its own (a cue in `reporting`: "said X, warning that Y") is a second
    attribution, not what X did; unless it warns those told ("told Western countries they
    risked a war, warning that ...": one warning to them)."""
    if words.cue_act.get(cue.lemma_.lower(), "state") != "state":
        return None
    subject = _has_child(cue, ("nsubj",))
    told = cue.lemma_.lower() in words.addressee_object and bool(_objects(cue))
    for child in cue.children:
        if child.dep_ != "advcl" or child.pos_ != "VERB" or words.cue_act.get(child.lemma_.lower()) not in words.lends_act:
            continue
        if child.i in reporting and not told:
            continue
        theirs = _has_child(child, ("nsubj", "nsubjpass"))
        if theirs is None or theirs.pos_ == "PRON" or subject is not None and theirs.lower_ == subject.lower_:
            return child
    return None


def _content(doc: Doc, quote: Quote) -> SpacySpan | None:
    return doc.char_span(quote.start, quote.end, alignment_mode="expand")


def _content_act(doc: Doc, quote: Quote, words: ActWords) -> str | None:
    """The act a neutral cue takes from what was said: a denial ("the charges were false"),
    a rejection ("did not accept their account"), a non-response ("does not comment"), a
    judgement of a named subject ("Gleitze had faked it")."""
    content = _content(doc, quote)
    if content is None:
        return None
    negated = judging = False
    for token in content:
        lemma = token.lemma_.lower()
        if token.dep_ == "neg":
            negated = True
        judging = judging or lemma in words.wrongdoing or lemma in words.negative or lemma in words.positive
        if lemma in words.falsity and (token.dep_ in ("acomp", "attr", "advmod") or lemma == "wrongdoing" and negated):
            return "deny"
        if lemma in words.negated_truth and token.dep_ in ("acomp", "attr") and (
                _has_child(token, ("neg",)) or _has_child(token.head, ("neg",))):
            return "deny"  # "that is not true"
        if lemma in words.negated_acceptance and token.pos_ == "VERB" and _has_child(token, ("neg",)) \
                and _has_child(token, ("dobj",)) is not None and not _has_child(token, CONTENT_NOT_CLAUSE):
            return "reject"
        if lemma in words.no_comment and token.pos_ == "VERB" and _has_child(token, ("neg",)):
            return "decline"
    return _judgement(content, words) if judging else None  # the parse walked only where a judging word is


def _named_subject(verb: Token) -> Token | None:
    subject = _has_child(verb, ("nsubj",))
    return subject if subject is not None and subject.pos_ == "PROPN" and subject.ent_type_ in JUDGED_ENTITIES else None


def _judgement(content: SpacySpan, words: ActWords) -> str | None:
    """An accusation, criticism or praise of a named subject in what was said: "Gleitze had faked
    it" (a wrongdoing), "Trump is the worst and most reckless candidate" (what the subject is)."""
    root = content.root
    if _has_child(root, ("neg",)) or _named_subject(root) is None:
        return None
    deeds = [root, *(child for child in root.children if child.dep_ == "conj" and child.pos_ == "VERB")]
    if any(deed.pos_ == "VERB" and deed.lemma_.lower() in words.wrongdoing for deed in deeds):
        return "accuse"
    if root.lemma_ != "be":
        return None
    lemmas = [word.lemma_.lower() for child in root.children if child.dep_ in ("attr", "acomp") for word in child.subtree]
    positive = sum(lemma in words.positive for lemma in lemmas)
    negative = sum(lemma in words.negative for lemma in lemmas)
    return "criticize" if negative > positive else "praise" if positive > negative else None


def _polarity(doc: Doc, quote: Quote, words: ActWords) -> str | None:
    """Praise or criticism by the words of a name ("called the plan a disaster")."""
    content = _content(doc, quote)
    if content is None:
        return None
    lemmas = [token.lemma_.lower() for token in content]
    positive = sum(lemma in words.positive for lemma in lemmas)
    negative = sum(lemma in words.negative for lemma in lemmas)
    if positive > negative:
        return "praise"
    if negative > positive:
        return "criticize"
    return None


# --- parties ---------------------------------------------------------------------------------------

def _phrase(token: Token, frame_preposition: str | None = None) -> SpacySpan:
    """The noun phrase headed by `token`, up to its first clause, apposition or comma
    ("the weekly Kystposten, which ..." is "the weekly Kystposten"), and before the cue's
    own preposition ("accused the agency of ..." gives "the agency")."""
    end = token.i
    for word in token.doc[token.i + 1:token.right_edge.i + 1]:
        if word.head.i == token.i and word.dep_ == "prep" and word.lower_ == frame_preposition:
            break
        # a clause's words before its verb end the phrase too: "a post at the time [she described]"
        if any(above.dep_ in PHRASE_ENDS for above in _path_below(word, token)):
            break
        end = word.i
    return token.doc[token.left_edge.i:end + 1]


def _path_below(word: Token, top: Token) -> Iterable[Token]:
    """`word` and its ancestors below `top`."""
    while word.i != top.i:
        yield word
        if word.head.i == word.i:
            return
        word = word.head


def _party(token: Token, entities: _Entities, frame_preposition: str | None = None) -> Party:
    phrase = _phrase(token, frame_preposition)
    return Party(text=phrase.text, start=phrase.start_char, end=phrase.end_char,
                 entity=entities.named(token.idx, token.idx + len(token.text)) or entities.named(
                     phrase.start_char, phrase.end_char))


def _objects(token: Token) -> list[Token]:
    # a demonstrative object whatever the tagger made of it: "calling that an insult"
    return [child for child in token.children if child.dep_ in OBJECTS and (child.pos_ in NOUNS or child.lower_ in DEMONSTRATIVES)
            and child.lower_ not in REFLEXIVE]


def _pobjs(token: Token, prepositions: Iterable[str]) -> list[Token]:
    wanted = set(prepositions)
    return [grand for child in token.children if child.dep_ in ("prep", "agent") and child.lower_ in wanted
            for grand in child.children if grand.dep_ == "pobj" and grand.pos_ in NOUNS and grand.lower_ not in REFLEXIVE]


def _participles(cue: Token) -> list[Token]:
    """Participles beside the cue that carry its circumstances: "Speaking to reporters, X said",
    "Asked by an analyst whether ..., X said"; for a noun cue, those of its verb ("Addressing
    lawmakers, Putin repeated his accusation that ...")."""
    verb = cue.head if cue.pos_ == "NOUN" and cue.dep_ in OBJECTS and cue.head.pos_ == "VERB" else cue
    return [child for child in verb.children if child.dep_ in ("advcl", "prep") and child.tag_ in ("VBG", "VBN")
            and child.lemma_.lower() in (*SETTING_PARTICIPLES, "ask")]


def _addressee(cue: Token, words: ActWords, entities: _Entities) -> Party | None:
    lemma = cue.lemma_.lower()
    if lemma in words.addressee_object:
        # "told a news conference": the occasion is the setting (_setting_nouns), not whom
        objects = [token for token in _objects(cue) if token.lower_ not in ("what", "it", "this", "that")
                   and token.lemma_.lower() not in words.occasions]
        # a name right after the verb that the parser took for something else: "told Ruptly that ..."
        objects += [child for child in cue.children if child.i == cue.i + 1 and child.text[:1].isupper() and not child.ent_type_
                    and child.pos_ in ("PROPN", "NOUN", "ADV") and child.dep_ in ("advmod", "npadvmod", "attr", "oprd", "dep")]
        if objects:
            return _party(objects[0], entities)
        told = _passive_subject(cue)  # "Biden has been warned that ..."
        if told is not None:
            return _party(told, entities)
    if lemma not in words.to_not_addressee:
        objects = _pobjs(cue, ("to",))
        if objects and objects[0].ent_type_ not in ("DATE", "TIME", "PERCENT", "MONEY", "CARDINAL") and (
                objects[0].lemma_.lower() not in words.not_addressees):  # "did not respond to a request"
            return _party(objects[0], entities)
    for holder in _setting_nouns(cue, words):
        # "a letter to the committee", "a statement read to the court"
        objects = _pobjs(holder, ("to",)) or [obj for child in holder.children if child.dep_ == "acl"
                                              for obj in _pobjs(child, ("to",))]
        objects = [obj for obj in objects if not _names_platform(obj, words)]  # "shared to its website"
        if objects:
            return _party(objects[0], entities)
        if holder.lemma_.lower() not in ("interview",):
            with_objects = _pobjs(holder, ("with",))
            if with_objects and not entities.named(with_objects[0].idx, with_objects[0].idx + 1, media_only=True):
                return _party(with_objects[0], entities)
    for participle in _participles(cue):
        if participle.lemma_ == "ask":
            askers = _pobjs(participle, ("by",))
            if askers:
                return _party(askers[0], entities)
        else:
            objects = _pobjs(participle, ("to",)) or (_objects(participle) if participle.lemma_ == "address" else [])
            if objects:  # "Speaking to reporters", "Addressing lawmakers"
                return _party(objects[0], entities)
    return None


def _passive_subject(cue: Token) -> Token | None:
    """Who was told, warned or accused when the cue is passive; not "it was said that"."""
    subject = _has_child(cue, ("nsubjpass",))
    return subject if subject is not None and subject.pos_ in NOUNS and subject.lower_ not in ("it", "this", "that") else None


def _reported_telling(cue: Token, quote: Quote, words: ActWords, entities: _Entities) -> Party | None:
    """"'...,' he said he told them": the words quoted were told to them."""
    clause = cue
    for _ in range(2):
        clause = next((child for child in clause.children if child.dep_ == "ccomp"
                       and not quote.start <= child.idx < quote.end), None)
        if clause is None:
            return None
        if clause.lemma_.lower() in words.addressee_object:
            return _addressee(clause, words, entities)
    return None


# --- setting ---------------------------------------------------------------------------------------

def _holders(cue: Token) -> list[Token]:
    """The words whose prepositions may say where the cue's words were said: the cue, a participle
    beside it ("Speaking at a rally, X said"), the verb a participle cue hangs from ("posted on
    Twitter accusing ..."), the verb a conjoined cue shares its circumstances with ("took to
    social media and accused ...")."""
    holders = [cue, *_participles(cue)]
    if cue.lower_ == "according":
        return [cue]
    if cue.tag_ == "VBG" and cue.dep_ in ("advcl", "acl", "xcomp", "conj", "pcomp"):
        governor = next((above for above in cue.ancestors if above.pos_ in ("VERB", "AUX")), None)
        if governor is not None:
            holders.append(governor)
    elif cue.dep_ == "conj" and cue.head.pos_ == "VERB":
        holders.append(cue.head)
    return holders


def _setting_nouns(cue: Token, words: ActWords) -> list[Token]:
    """Nouns near the cue that may name its setting, nearest first: objects of its prepositions
    (and of its holders'), its subject ("a statement said"), the object of "told", a setting
    misattached to the cue's object ("denied the allegations in a statement"), and a setting
    phrase the cue's clause hangs from ("In a Tumblr post at the time she described ...")."""
    holders = _holders(cue)
    found = [grand for holder in holders for child in holder.children
             if child.dep_ == "prep" and (child.lower_ in SETTING_PREPOSITIONS or holder.lower_ == "according")
             for grand in _setting_objects(child, words)]
    found += [child for child in cue.children if child.dep_ == "nsubj" and child.lemma_.lower() in words.setting_noun
              or child.dep_ == "dobj" and words.setting_noun.get(child.lemma_.lower()) in HELD_SETTINGS]
    # "said as he began his news conference", "said while giving a speech"
    found += [grand for child in cue.children if child.dep_ == "advcl" and child.lemma_.lower() in words.holding_verbs
              for grand in child.children if grand.dep_ == "dobj" and grand.lemma_.lower() in words.setting_noun]
    if cue.lemma_.lower() not in words.naming:
        found += [grand for obj in _objects(cue) for child in obj.children
                  if child.dep_ == "prep" and child.lower_ in OCCASION_PREPOSITIONS
                  for grand in _setting_objects(child, words)
                  if words.setting_noun[grand.lemma_.lower()] in OBJECT_SETTINGS]
    # "In a statement to CNN after the school sued, the body said ...": a setting opening the cue's
    # sentence, wherever the parser hung it.
    opener = cue.sent[0]
    if opener.i < cue.i and opener.dep_ == "prep" and opener.lower_ in OCCASION_PREPOSITIONS:
        found += _setting_objects(opener, words)
    # Up the clause the cue sits in, not into the clause of another speaker's words.
    above = cue
    while above.dep_ not in ("ccomp", "xcomp", "parataxis", "ROOT") and above.head is not above:
        above = above.head
        if (above.dep_ == "prep" or above.pos_ == "ADP") and above.lower_ in SETTING_PREPOSITIONS:
            found += _setting_objects(above, words)
        elif above.pos_ in ("VERB", "AUX") and above not in holders:
            found += [grand for child in above.children if child.dep_ == "prep" and child.lower_ in SETTING_PREPOSITIONS
                      and child.i < cue.i for grand in _setting_objects(child, words)]
    return found


def _setting_objects(preposition: Token, words: ActWords) -> list[Token]:
    return [grand for grand in preposition.children if grand.dep_ == "pobj" and grand.lemma_.lower() in words.setting_noun
            and (preposition.lower_ != "before" or grand.lemma_.lower() in HEARING_NOUNS)]  # not "before the interview"


def _speech_place(participle: Token, words: ActWords) -> Token | None:
    """Whom a speech was addressed to ("Addressing lawmakers") or where it was given ("Speaking on
    the steps of Downing Street", "Speaking from the podium"): a place, not a topic or a phone."""
    lemma = participle.lemma_.lower()
    if lemma == "address":
        objects = _objects(participle)
        return objects[0] if objects and objects[0].pos_ != "PRON" else None
    if lemma != "speak":
        return None
    return next((place for place in _pobjs(participle, ("at", "on", "from", "outside"))
                 if place.lemma_.lower() in words.speaking_places or place.ent_type_ == "FAC"), None)


def _outlet(token: Token, entities: _Entities) -> str | None:
    """The outlet or platform a phrase names: the article's entity if it is one, else its proper nouns."""
    phrase = _phrase(token)
    named = entities.named(phrase.start_char, phrase.end_char, media_only=True) or entities.named(
        phrase.start_char, phrase.end_char)
    if named:
        return named
    for entity in phrase.ents:
        if entity.label_ in ("ORG", "PERSON", "GPE", "WORK_OF_ART", "PRODUCT", "NORP"):
            return entity.text
    proper = [word for word in phrase if word.pos_ == "PROPN"]
    return " ".join(word.text for word in proper) if proper else phrase.text


def _platform(token: Token, words: ActWords) -> Token | None:
    """The platform a word is on: "wrote on X", "a message on Telegram", "took to Facebook"."""
    for place in _pobjs(token, ("on", "to") if token.lemma_.lower() == "take" else ("on",)):
        if _names_platform(place, words):
            return place
    return None


def _names_platform(place: Token, words: ActWords) -> bool:
    phrase = _phrase(place)
    key = " ".join(word.lower_ for word in phrase if word.dep_ not in ("det", "poss")).rstrip(".")
    return key in words.platforms or place.lower_.rstrip(".") in words.platforms


def _kind_of(noun: Token, words: ActWords) -> str | None:
    kind = words.setting_noun.get(noun.lemma_.lower())
    modifiers = {child.lower_ for child in noun.children if child.dep_ in ("compound", "amod", "poss", "nmod")}
    if kind == "press_conference" and noun.lemma_ == "conference" and not modifiers & words.conference_words:
        return "speech"  # "told a climate conference"
    if kind == "press_conference" and noun.lemma_ == "call":
        askers = {obj.lemma_.lower() for obj in _pobjs(noun, ("with",))}
        if modifiers & words.interview_call_words and noun.dep_ == "pobj" and noun.head.lower_ in ("on", "in", "during"):
            return "interview"  # "said on a Zoom call", "in a phone call" (with the writer)
        if not (modifiers & words.call_words or askers & words.call_with):
            return None  # a phone call with someone is no press conference
    if kind == "report" and noun.lemma_ in ("document", "documents") and not modifiers:
        return None
    if noun.lemma_.lower() in HEARING_NOUNS and not (
            modifiers & words.testimony_words or noun.head.lower_ in ("before", "at", "during")
            or noun.dep_ == "dobj" and noun.head.lemma_ in ("tell", "testify")):
        return None
    if kind in ("letter", "interview", "speech") and _platform(noun, words) is not None:
        return "social_post"  # "a message on Telegram"; a statement stays a statement wherever it was posted
    return kind


def _setting_of(noun: Token, kind: str, addressee: Party | None, words: ActWords,
                entities: _Entities) -> Setting:
    """The setting a noun names, with the interviewing outlet ("an interview with the BBC",
    "a Newsmax interview", else the outlet the words were told to) or the post's platform."""
    # "with" belongs to an interview or a call ("with Newsmax", "with analysts"), not to a hearing
    # ("confronted him at a hearing with figures from ...")
    phrase = _phrase(noun, None if kind in ("interview", "press_conference") else "with")
    outlet = None
    if kind == "interview":
        sources = [*_pobjs(noun, ("with", "on", "by")),
                   *(child for child in noun.children if child.dep_ in ("compound", "poss") and child.pos_ == "PROPN"
                     and noun.lemma_ != "call")]  # "a Zoom call": Zoom is no outlet
        if sources:
            outlet = _outlet(sources[0], entities)
        elif addressee is not None:
            outlet = entities.named(addressee.start, addressee.end, media_only=True) or addressee.entity or addressee.text
    elif kind == "social_post":
        platform = _platform(noun, words) or next(
            (child for child in noun.children if child.dep_ == "compound" and child.lower_ in words.platforms), None)
        outlet = _phrase(platform).text.rstrip(".") if platform is not None else None  # "on X", "a Tumblr post"
    return Setting(kind=kind, text=phrase.text, start=phrase.start_char, end=phrase.end_char, outlet=outlet)  # type: ignore[arg-type]


def _setting(cue: Token, addressee: Party | None, words: ActWords, entities: _Entities) -> Setting | None:
    for noun in _setting_nouns(cue, words):
        kind = _kind_of(noun, words)
        if kind is not None:
            return _setting_of(noun, kind, addressee, words, entities)
    for participle in _participles(cue):
        place = _speech_place(participle, words)
        if place is not None:  # "Addressing lawmakers, ...", "Speaking on the steps of Downing Street, ..."
            end = _phrase(place).end_char
            return Setting(kind="speech", text=cue.doc.text[participle.idx:end], start=participle.idx, end=end)
    lemma = cue.lemma_.lower()
    platform = next((found for holder in _holders(cue) if (found := _platform(holder, words)) is not None), None)
    if lemma in words.setting_verb or platform is not None:
        kind = words.setting_verb.get(lemma, "social_post")
        if platform is not None:
            kind, where = "social_post", _phrase(platform)
            return Setting(kind=kind, text=where.text, start=where.start_char, end=where.end_char,
                           outlet=where.text.rstrip("."))
        outlet = "Twitter" if lemma == "tweet" else None
        return Setting(kind=kind, text=cue.text, start=cue.idx, end=cue.idx + len(cue.text), outlet=outlet)
    # "told reporters on CNN", "said on Fox News Sunday", "said on CNBC's Trading Nation": an
    # appearance on a named outlet or programme (not "commented on Apple's results").
    for place in _pobjs(cue, ("on",)):
        phrase = _phrase(place)
        outlet = entities.named(phrase.start_char, phrase.end_char, media_only=True)
        if outlet is None and lemma in SPEAKING and place.pos_ == "PROPN":
            # a named programme: "CNBC's Trading Nation", "Fox's Sunday Morning Futures" (not "Capitol Hill")
            owner = _has_child(place, ("poss",))
            outlet = owner.text if owner is not None and owner.ent_type_ == "ORG" else next(
                (entity.text for entity in phrase.ents if entity.label_ == "WORK_OF_ART"), None)
        if outlet:
            return Setting(kind="interview", text=phrase.text, start=phrase.start_char, end=phrase.end_char,
                           outlet=outlet)
    return None


# --- target ----------------------------------------------------------------------------------------

def _target(cue: Token, act: str, quote: Quote, words: ActWords, entities: _Entities,
            reporting: frozenset[int]) -> Party | None:
    lemma = cue.lemma_.lower()
    preposition = "as" if lemma in words.naming else prepositional_cues().get(lemma)
    if lemma == "call" and act == "demand":
        objects = _pobjs(cue, ("on",))
        return _party(objects[0], entities) if objects else None
    if lemma in words.target_object or act == "demand" and lemma in words.directive_ask:
        objects = _objects(cue)
        if act == "demand":  # "urged an end to the violence": what was urged, not whom
            objects = [obj for obj in objects if not quote.start <= obj.idx < quote.end]
        if objects and objects[0].tag_ not in ("WDT", "WP"):  # not "whom he described as", but "calling that an insult"
            return _party(objects[0], entities, preposition)
        # "Maduro, whom he described as ...", "a decision she now calls ...".
        if cue.dep_ in ("relcl", "acl") and cue.head.pos_ in NOUNS:
            return _party(cue.head, entities)
        # "with the union accusing management of ...": a participle the parser read as an
        # adjective of its own object
        if cue.dep_ == "amod" and cue.tag_ == "VBG" and cue.head.i > cue.i and cue.head.pos_ in NOUNS:
            accused = _phrase(cue.head, preposition)
            accused = accused.doc[cue.i + 1:accused.end]  # its words after the participle
            return Party(text=accused.text, start=accused.start_char, end=accused.end_char,
                         entity=entities.named(accused.start_char, accused.end_char))
        # "Biden has been warned that ...", "the agency was accused of ..."
        sufferer = _passive_subject(cue)
        if sufferer is not None:
            return _party(sufferer, entities)
    # "paid tribute to X", "made threats against X": the act's noun aimed at its target.
    if any(words.cue_act.get(obj.lemma_.lower()) == act for obj in _objects(cue)):
        aimed = [grand for holder in (cue, *_objects(cue)) for child in holder.children
                 if child.dep_ in ("prep", "dative") and child.lower_ in AIMED_AT
                 for grand in child.children if grand.dep_ == "pobj" and grand.pos_ in NOUNS]
        if aimed:
            return _party(aimed[0], entities)
    # "said as he criticized the idea ...": the clause's object; "told Western countries they risked
    # a war, warning that ...": a warning about those told.
    lending = _lending_clause(cue, words, reporting)
    if lending is not None:
        judged = _objects(lending) if lending.lemma_.lower() in words.target_object else []
        if not judged and act in ("warn", "threaten") and lemma == "tell":
            judged = _objects(cue)
        if judged:
            return _party(judged[0], entities, prepositional_cues().get(judged[0].head.lemma_.lower()))
    if act == "demand":
        # "demanding the FBI summon him": the one the demand is made of, the subject of what was demanded
        for clause in cue.children:
            subject = _has_child(clause, ("nsubj",)) if clause.dep_ == "ccomp" else None
            if subject is not None and subject.pos_ in ("NOUN", "PROPN"):
                return _party(subject, entities)
    if act == "deny":
        # "denied the senator's claims": whose claims.
        for obj in _objects(cue):
            owner = _has_child(obj, ("poss",))
            if owner is not None and owner.pos_ in ("PROPN", "NOUN"):
                return _party(owner, entities)
    # "praised the players, saying ...": the participle's act is about the verb's object; so is a
    # warning or threat to those told ("told Western countries ..., warning that ...").
    governor = cue.head
    if act in ("warn", "threaten") and governor.dep_ == "ccomp" and governor.head.lemma_ == "tell":
        governor = governor.head  # the participle hung from what was told
    head = governor.lemma_.lower()
    if cue.tag_ == "VBG" and cue.dep_ in ("advcl", "xcomp", "conj") and (
            head in words.target_object or act in ("warn", "threaten") and head == "tell"):
        objects = _objects(governor)
        if objects:
            return _party(objects[0], entities, prepositional_cues().get(head))
    return None


def _subject_judged(doc: Doc, quote: Quote, act: str, entities: _Entities) -> Party | None:
    """Whom an accusation, criticism or praise without an object is about: the subject of what was
    said ("repeated his accusation that the West was bent on ..." is about the West; "said Trump
    is the worst candidate"); a name, not "we"."""
    content = _content(doc, quote) if act in ("accuse", "criticize", "praise") else None
    if content is None or not len(content):
        return None
    subject = _has_child(content.root, ("nsubj", "nsubjpass"))
    if subject is None or subject.pos_ != "PROPN" or not content.start <= subject.i < content.end:
        return None
    return _party(subject, entities)


def prepositional_cues() -> dict[str, str]:
    """The preposition that opens what was said after a cue ("accused X of"), from cues.toml."""
    return lexicon().prepositional_cues


# --- across quotations -----------------------------------------------------------------------------

def _same_speaker(a: Quote, b: Quote) -> bool:
    return a.speaker is not None and b.speaker is not None and a.speaker.name == b.speaker.name


def _continues(text: str, previous: Quote, quote: Quote) -> bool:
    """`quote` is the next part of the same words: in the same paragraph, or the next
    paragraph of a quotation running over paragraphs."""
    between = text[previous.end:quote.start]
    return "\n" not in between or previous.kind == "direct" and not between.strip(" \n\"'“”‘’«»")


def _carry_on(doc: Doc, text: str, quotes: Sequence[Quote], found: list[Description], words: ActWords) -> None:
    """A quotation without its own cue, or one that "added", carries on the one before it
    by the same speaker; quotations whose cues share a sentence share its setting and addressee."""
    sentence_of = {}
    for index, quote in enumerate(quotes):
        if quote.cue is not None:
            token = doc.char_span(quote.cue.start, quote.cue.end, alignment_mode="expand")
            if token is not None and len(token):
                sentence_of[index] = (token[0].sent.start, quote.speaker.name if quote.speaker else None)
    by_sentence: dict[tuple, list[int]] = {}
    for index, key in sentence_of.items():
        if key[1] is not None:
            by_sentence.setdefault(key, []).append(index)
    for members in by_sentence.values():
        setting = next((found[i].setting for i in members if found[i].setting), None)
        # "told shareholders that A, though she said B": B was told to them too; not so after "urged X to".
        addressee = next((found[i].addressee for i in members if found[i].addressee
                          and quotes[i].cue and quotes[i].cue.lemma == "tell"), None)
        for i in members:
            found[i] = _with(found[i], setting=found[i].setting or setting, addressee=found[i].addressee or addressee)
    for index in range(1, len(quotes)):
        quote, previous = quotes[index], quotes[index - 1]
        if not _same_speaker(quote, previous):
            continue
        mine, before = found[index], found[index - 1]
        lemma = quote.cue.lemma if quote.cue else None
        if lemma is None:
            continued = _continues(text, previous, quote)
            # the same words go on: the same act about the same target
            found[index] = _with(mine, act=before.act if continued else mine.act, act_by="carried",
                                 addressee=before.addressee, setting=before.setting,
                                 target=before.target if continued else mine.target)
        elif lemma in words.continuing:
            found[index] = _with(mine, addressee=mine.addressee or before.addressee,
                                 setting=mine.setting or before.setting)
        elif lemma == "write" and mine.setting is None and before.setting and before.setting.kind in WRITTEN:
            found[index] = _with(mine, setting=before.setting)


def _with(description: Description, **changes: object) -> Description:
    changed = replace(description, **changes)
    return replace(changed, plover=PLOVER.get(changed.act)) if "act" in changes else changed


def _apply_article_frames(doc: Doc, quotes: Sequence[Quote], found: list[Description], words: ActWords,
                          entities: _Entities) -> None:
    """A sentence that says where a speaker's remarks were made ("Lukashenko made the comments
    in an interview with US outlet Newsmax") is the setting of that speaker's quotations that
    have none of their own, across the article."""
    if not quotes:
        return
    lemmas = token_strings(doc, LEMMA)
    starts = [quote.start for quote in quotes]
    cue_words = {token.i for quote in quotes if quote.cue is not None
                 for token in doc.char_span(quote.cue.start, quote.cue.end, alignment_mode="expand") or ()}
    for i, lemma in enumerate(lemmas):
        if lemma.lower() not in words.setting_noun:
            continue
        noun = doc[i]
        if any(quote.kind == "direct" and quote.start <= noun.idx < quote.end for quote in quotes):
            continue  # words inside quotation marks
        frame = _frame_of(noun, words)
        kind = _kind_of(noun, words)
        if kind is None:
            continue
        if frame is None:
            _apply_scene(noun, kind, quotes, found, starts, cue_words, words, entities)
            continue
        subject, remark = frame
        speakers = {_framed_speaker(subject, remark, quotes, starts, entities)}
        if remark is None and kind == "interview":
            # "X did an interview with Y": the interviewer's questions come from it too
            speakers |= {entities.named(other.left_edge.idx, other.right_edge.idx + len(other.right_edge.text))
                         for other in _pobjs(noun, ("with",))}
        speakers.discard(None)
        if not speakers:
            continue
        setting = _setting_of(noun, kind, None, words, entities)
        spoken_by = _spoken_by(speakers)
        for index, quote in enumerate(quotes):
            if found[index].setting is None and spoken_by(quote):
                found[index] = _with(found[index], setting=setting)


def _spoken_by(speakers: set[str]) -> Callable[[Quote], bool]:
    """Whether a quotation's speaker is one of speakers, by surname too: the link stage may keep
    "Novelist Helena Varga" and "Varga" apart."""
    surnames = {name.split()[-1] for name in speakers}
    return lambda quote: quote.speaker is not None and (
        quote.speaker.name in speakers or quote.speaker.name.split()[-1] in surnames)


def _apply_scene(noun: Token, kind: str, quotes: Sequence[Quote], found: list[Description], starts: list[int],
                 cue_words: set[int], words: ActWords, entities: _Entities) -> None:
    """A sentence of its own that sets people in a held setting ("Sen. Ernst confronted him at a
    committee hearing", "In an interview ..., Maitlis pressed Andrew") is the setting of their
    quotations after it that have none of their own."""
    if kind not in HELD_SETTINGS or noun.dep_ != "pobj" or noun.head.lower_ not in ("in", "at", "during"):
        return
    verb = noun.head.head
    sentence = noun.sent
    # not an attribution ("told reporters at a news conference that ..." sets its own words only)
    lemma = verb.lemma_.lower()
    if verb.pos_ not in ("VERB", "AUX") or verb.dep_ not in ("ROOT", "conj") or verb.i in cue_words or (
            lemma in lexicon().speech_verbs or lemma in words.cue_act or lemma in words.addressee_object):
        return
    inside = range(noun.left_edge.i, noun.right_edge.i + 1)  # "an interview about his friendship with Epstein"
    people = [token for token in verb.subtree if token.i not in inside and token.pos_ in ("PROPN", "PRON")
              and (token.dep_ in PARTICIPANTS or token.dep_ == "conj" and token.head.dep_ in PARTICIPANTS)]
    speakers = {_framed_speaker(person, None, quotes, starts, entities) for person in people}
    speakers.discard(None)
    if not speakers:
        return
    setting = _setting_of(noun, kind, None, words, entities)
    spoken_by = _spoken_by(speakers)
    for index, quote in enumerate(quotes):
        told = found[index].addressee
        if told is not None and told.entity is not None:
            continue  # "told GAO investigators": said to others, elsewhere
        if quote.start >= sentence.start_char and found[index].setting is None and spoken_by(quote):
            found[index] = _with(found[index], setting=setting)


def _frame_of(noun: Token, words: ActWords) -> tuple[Token, Token | None] | None:
    """The subject and remark noun of a sentence placing someone's remarks: "X made the
    comments in an interview", "his remarks came in a speech", "X was speaking at a rally";
    or of one naming the setting itself as what someone did: "X did an interview with Y",
    "X gave a speech"."""
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep":
        verb = noun.head.head
        object_is_setting = False
    elif noun.dep_ == "dobj" and words.setting_noun.get(noun.lemma_.lower()) in HELD_SETTINGS:
        verb, object_is_setting = noun.head, True
    else:
        return None
    verbs = words.holding_verbs if object_is_setting else words.framing_verbs
    # A sentence of its own ("X made the comments in ..."), not a clause of another attribution.
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in verbs or verb.dep_ not in ("ROOT", "conj"):
        return None
    subject = _has_child(verb, ("nsubj", "nsubjpass"))
    if subject is None:
        return None
    if object_is_setting:
        return subject, None
    remark = _has_child(verb, ("dobj",), words.remark_nouns) or (
        subject if subject.lemma_.lower() in words.remark_nouns else None)
    if remark is None and verb.lemma_.lower() not in ("speak", "talk", "appear"):
        return None
    return subject, remark


def _framed_speaker(subject: Token, remark: Token | None, quotes: Sequence[Quote], starts: list[int],
                    entities: _Entities) -> str | None:
    """Whose remarks a framing sentence places: its subject's entity, or, for a pronoun or
    "his remarks", the speaker of the quotation just before it."""
    holder = subject
    if remark is not None and remark.i == subject.i:
        owner = _has_child(subject, ("poss",))
        if owner is None:
            return None
        holder = owner
    named = entities.named(holder.idx, holder.idx + len(holder.text))
    if named:
        return named
    if holder.pos_ == "PRON":
        before = bisect.bisect_left(starts, holder.idx) - 1
        if before >= 0 and quotes[before].speaker is not None:
            return quotes[before].speaker.name
    for quote in quotes:
        if quote.speaker and quote.speaker.start <= holder.idx < quote.speaker.end:
            return quote.speaker.name
    return None


