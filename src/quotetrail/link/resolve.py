"""Speaker resolution: from the words that name a speaker to one entity.

Written by hand because no offline coreference model exists for spaCy 3.8:
names, short names, pronouns and role descriptions are resolved by rules
over the parse and the article's entities, in reading order.
"""
from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..attribute.frames import (SHARE_LABELS, direct_subject, is_cue, mention_bounds, names_someone,
                               relative_antecedent, subject_of)
from ..attribute.labels import line_label
from ..lexicon import lexicon
from ..model import Span
from .entities import TYPE_OF_LABEL, EntityRecord, Registry, clean_name
from .names import name_key, strip_article


NAME_LINKS = ("compound", "dobj", "appos", "flat", "amod", "nmod")
TITLE_LINKS = ("compound", "det", "amod", "nmod", "poss")
RELATIVE_PRONOUNS = ("who", "that", "which")
SUBJECT_DEPS = ("nsubj", "nsubjpass")
REFLEXIVES = {"himself": "male", "herself": "female"}
# Documents that speak for whoever issued them: "the statement read" is the company that issued it.
ISSUED_NOUNS = ("statement", "letter", "message", "announcement", "declaration", "post", "tweet")  # "Rafferty himself said": which Rafferty
# Things whose words are read as someone's: "It says" after "a 2001 memorandum", "a sign", "the ad"
# (a decision or a policy "sends a message" but says nothing).
SPEAKING_THINGS = ISSUED_NOUNS + ("memo", "memorandum", "report", "sign", "banner", "placard", "ad", "advert",
                                  "advertisement", "email", "note", "notice", "document", "bill", "order", "ruling",
                                  "lawsuit", "complaint", "filing", "indictment", "survey", "poll", "study",
                                  "book", "article", "editorial", "column", "website", "site", "page", "headline",
                                  "video", "transcript", "petition", "resolution", "platform", "manifesto")
# Verbs by which someone puts out a thing that then speaks for them: "He released a letter that
# says", "a speech Mrs. Clinton delivered", "the statement issued by the ministry".
ISSUING_VERBS = ("release", "issue", "publish", "post", "send", "unveil", "launch", "air", "tweet", "file",
                 "circulate", "distribute", "deliver", "give", "write", "pen", "sign", "put", "run")
ISSUED_THINGS = SPEAKING_THINGS + ("speech", "data")  # what such a verb puts out
# How far back (in sentences) a pronoun looks for the people just mentioned.
ANTECEDENT_SENTENCES = 4
PLURAL_TAGS = ("NNS", "NNPS")
# Whole-article salience: a person named this often in the whole piece (who it is about) stays
# a candidate for "he" or "she" however far back they were last named, and each doubling of
# their mentions lowers the cost, up to a cap.
PROMINENT_MENTIONS = 5
# ... or quoted this often, and at least this share of all quotations so far.
PROMINENT_SPEECHES = 3
PROMINENT_SHARE = 0.4
PROMINENCE_PER_DOUBLING = 0.33
PROMINENCE_MAX = 2.0
# A candidate whose gender the article never showed (a description such as "the manager", or a
# name met once) against one known to match.
UNKNOWN_GENDER_COST = 1.0
# Turn-taking: the one quoted last holds the floor ("says Owen Radley, ... He describes").
TURN_BONUS = 1.0
# "While the campaign did not appeal to Joanna Pell, she said ...": named in a clause with a
# subject of its own that leads into the pronoun's sentence (a clause without one, "After
# meeting X, she said", shares the pronoun's subject, which then is not X). Decisive, as in
# Hobbs's search, which reads the pronoun's own sentence before the ones before it.
SAME_SENTENCE_BONUS = 10.0
# Centering: "The manager told her they had nothing. She described ..." - the one already
# referred to by a pronoun, here the object, is who the next pronoun most likely continues.
OBJECT_PRONOUN_COST = 1.5
UNKNOWN_GENDER_DESCRIPTION_COST = 1.5
# Named inside the very quotation being attributed: "“Alan gave me the part,” he said" is not Alan.
NAMED_IN_OWN_QUOTE_COST = 3.0
APPOSITIVE_MAX_TOKENS = 10
PRONOUN_FOLLOWS_WORDS = 3  # "Teresa Hayden at her office": how near a pronoun shows a name's gender
# Organisations a bare head noun names by itself: "the Government hopes" is not the union named before.
INSTITUTIONS = ("government", "police", "army", "military", "navy", "parliament", "congress", "senate",
                "cabinet", "kremlin", "presidency", "court", "administration")
PEOPLE_NOUNS = ("people", "family", "families", "relative", "colleague", "expert", "protester", "critic")
# Words for someone whom the text describes only by what they are identified as.
UNDESCRIBED_PEOPLE = ("person", "man", "woman", "individual", "someone")
# A transcript's speaker label at a line's start: "WALLACE: Let's start ...", "“PENCE: Well, ...".
TRANSCRIPT_LABEL = re.compile(r"^[ \t\"“'‘]*([A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,2}):[ \t]", re.MULTILINE)
# What may stand between a line's label (attribute/labels.py) and the quotation it names the speaker of.
QUOTE_OPENING = re.compile(r"[ \t]*[\"“‘']?")
# Someone who declares they/them pronouns: "Jordan Achterberg, who uses they/them pronouns, said".
THEY_THEM = re.compile(r"\bthey\s*/\s*them\b", re.IGNORECASE)
THEY = "they"  # the gender of someone who uses they/them pronouns
# Numbers that never count people ("the two said" may: a CARDINAL).
NOT_PEOPLE_NUMBERS = ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY")
# Times, which the parse sometimes takes for a speaker ("said Wednesday"), and how far before
# the time phrase the name that speaks may stand ("who Beck on Wednesday called").
TIMES = ("DATE", "TIME")
TIME_NAME_DISTANCE = 3
# The words of a time: a name in a date's span ("Last week Stumpf appeared") is still a name.
TIME_WORDS = ("today", "yesterday", "tonight", "morning", "afternoon", "evening", "night", "day", "week",
              "weekend", "month", "year", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
              "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december")
# Numbers of any kind: an age or a date set off beside a name names no one ("Herrera, 44, told").
NUMERIC_LABELS = (*NOT_PEOPLE_NUMBERS, "CARDINAL", "ORDINAL")
# Pronouns for unnamed people, who speak as what they are called: "someone in the audience shouted".
INDEFINITE_SPEAKERS = ("someone", "somebody", "everyone", "everybody", "all")
# The writer's own pronouns, and whom they name: "we" is the writer with others, or the outlet
# ("We asked our readers which candidate won").
WRITERS = {"i": "the writer", "we": "the writers"}
# Pronouns for people named before, or by the words after them ("those surveyed say").
GROUP_PRONOUNS = ("those", "these", "both")
QUANTIFIERS = ("some", "many", "others", "several", "most", "one", "another", "few")


def transcript_labels(text: str) -> dict[int, tuple[str, int, int]]:
    """Line start -> (label, start, end) of each speaker label of a transcript. A label counts
    only when it heads at least two lines: a transcript names each speaker at every turn,
    while a one-off "UPDATE:" or "WATCH:" names no one."""
    found = [(match.start(), match.group(1), match.start(1), match.end(1)) for match in TRANSCRIPT_LABEL.finditer(text)]
    turns = Counter(label for _, label, _, _ in found)
    return {line: (label, start, end) for line, label, start, end in found if turns[label] >= 2}


@dataclass
class Resolution:
    name: str
    mention: str
    start: int
    end: int
    resolved_by: str
    record: EntityRecord | None

    @property
    def is_media(self) -> bool:
        return self.record is not None and self.record.is_media


class SpeakerResolver:
    """Resolves subject mentions in reading order, remembering who was the
    subject of recent sentences so that "he" and "the leader" can point back."""

    def __init__(self, doc: Doc, registry: Registry, entity_at: dict[int, SpacySpan],
                 paragraph_of: Callable[[int], int], speaker_tokens: set[int] | None = None,
                 quoted: Callable[[int], bool] | None = None,
                 quote_of: dict[int, tuple[int, int]] | None = None, text: str | None = None) -> None:
        self.doc = doc
        self.speaker_tokens = set(speaker_tokens or ())  # grows: a relative pronoun's noun speaks too
        # Whether an offset lies inside a quotation's own words: a person named there is
        # mentioned by the speaker, not a candidate for the narrator's "he".
        self.quoted = quoted or (lambda offset: False)
        # Speaker token -> the quotation it speaks: its words name people who are not its speaker.
        self.quote_of = quote_of or {}
        self.speakers: Counter[int] = Counter()  # id() of record -> speeches so far: the salient ones
        # (id() of the record that spoke last, where): who holds the floor
        self.turn: tuple[int, int] | None = None
        self.main_subjects: set[int] = set()  # offsets of subjects of a sentence's main verb
        self.registry = registry
        self.entity_at = entity_at
        self.paragraph_of = paragraph_of
        # (character offset, paragraph, resolution) of every resolved subject, in reading order
        self.history: list[tuple[int, int, Resolution]] = []
        self._sentence_starts: list[int] | None = None
        self._token_at = {token.idx: token for token in doc}
        # Last token of a name found beside a description that NER did not tag -> its token range
        self._unlabelled_names: dict[int, tuple[int, int]] = {}
        # (offset, head noun, person) of each role description: "the doctor" after "A doctor on the scene"
        self._descriptions: list[tuple[int, str, EntityRecord]] = []
        self.text = doc.text if text is None else text  # the text beside the Doc: Doc.text rebuilds it
        self._mark_they_them(self.text)

    def resolve(self, token: Token) -> Resolution | None:
        """Resolve tokens in reading order: pronouns look back at what came before."""
        resolution = self._resolve(token)
        if resolution is not None and resolution.record is not None and not resolution.record.is_media:
            self.history.append((token.idx, self.paragraph_of(token.idx), resolution))
            if token.i in self.speaker_tokens or self._speech_subject(token):
                self.speakers[id(resolution.record)] += 1
                self.turn = (id(resolution.record), token.idx)
            if token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ == "ROOT":
                self.main_subjects.add(token.idx)
        return resolution

    def _mark_they_them(self, text: str) -> None:
        """A person whose sentence says they use they/them pronouns is never "he" or "she", and
        is whom a "they" right after means: the person named last before the words, in that sentence."""
        for found in THEY_THEM.finditer(text):
            words = self.doc.char_span(found.start(), found.end(), alignment_mode="expand")
            if words is None:
                continue
            sentence = words.sent
            person = next((self.entity_at[token.i] for token in reversed(self.doc[sentence.start : words.start])
                           if token.i in self.entity_at and self.entity_at[token.i].label_ == "PERSON"), None)
            record = self.registry.lookup_at(clean_name(person), person.start_char) if person is not None else None
            if record is not None:
                record.gender = THEY

    def _they_person(self, pronoun: Token) -> EntityRecord | None:
        """The person who uses they/them pronouns, when they are the person named last in the
        last few sentences."""
        here = self._sentence_index(pronoun.idx)
        floor = self._sentence_starts[max(0, here - ANTECEDENT_SENTENCES + 1)]  # type: ignore[index]
        latest = max(((mention.start, record) for record in self.registry.people() for mention in record.mentions
                      if floor <= mention.start < pronoun.idx and not self.quoted(mention.start)),
                     key=lambda found: found[0], default=None)
        return latest[1] if latest is not None and latest[1].gender == THEY else None

    def labelled(self, label: str, start: int, end: int) -> Resolution:
        """The speaker a transcript's label names: a person of the article whose name holds it
        ("PENCE" -> Mike Pence), else the label as a name of its own."""
        name = label.title()
        record = self.registry.lookup(name) or self.registry.person_by_name_part(name, start)
        if record is None:
            record = self.registry.add(name, "PERSON")
        return Resolution(record.name, label, start, end, "transcript", record)

    def line_label(self, line: int, quote_start: int) -> Resolution | None:
        """The speaker a label before the colon opening a quotation's line names ("Kasich: ‘…’"):
        someone the article names, by name, by name without its titles ("Dr. Ben Carson") or by
        short name; in the first line (a headline) also someone named nowhere else."""
        found = line_label(self.text, line)
        if found is None or found.end() > quote_start:
            return None
        # A headline's label may also head a summary that holds the quotation: "Sanders: Clinton needs to ‘…’".
        if not (QUOTE_OPENING.fullmatch(self.text, found.end(), quote_start)
                or line == 0 and found.end() < quote_start and self.text[found.end()] in " \t"):
            return None
        name, start, end = found.group(1), found.start(1), found.end(1)
        lex = lexicon()
        titles = lex.roles | lex.male_honorifics | lex.female_honorifics
        words = name.split()
        # leading titles and abbreviated ones ("Dr.", "Sen.")
        while len(words) > 1 and (words[0].lower() in titles or words[0].endswith(".") and len(words[0]) <= 5):
            words = words[1:]
        untitled = " ".join(words)
        record = self.registry.lookup(name) or self.registry.lookup(untitled) or (
            self.registry.person_by_name_part(untitled, start) if len(words) == 1 else None)
        if record is not None and record.type in ("PERSON", "ORG", "GROUP"):
            how = "named" if name_key(name) == name_key(record.name) else "alias"
            return Resolution(record.name, name, start, end, how, record)
        if line != 0:
            return None
        record = self.registry.add(name, "PERSON")
        return Resolution(record.name, name, start, end, "description", record)

    def _speech_subject(self, token: Token) -> bool:
        """The subject of a speech verb, also where the parse missed it: "This system, says
        Owen Radley, an immunologist, helps ..." (the parser may hang the name on "helps")."""
        lex = lexicon()
        if lex.is_cue_lemma(token.head.lemma_):
            return True
        start = mention_bounds(token, self.entity_at)[0]
        return start > 0 and self.doc[start - 1].pos_ == "VERB" and lex.is_cue_lemma(self.doc[start - 1].lemma_)

    def last_subject(self, before: int, types: tuple[str, ...], paragraph: int | None = None) -> tuple[int, Resolution] | None:
        """The latest resolved subject of one of `types` before an offset; of that sentence's
        subjects, the main verb's ("Arlow is angered by the new rota, with pilots being
        fined" -> Arlow, not the pilots)."""
        found: tuple[int, Resolution] | None = None
        for offset, where, resolution in reversed(self.history):
            if offset >= before or resolution.record is None or resolution.record.type not in types:
                continue
            if paragraph is not None and where != paragraph:
                break
            if found is None:
                found = (offset, resolution)
            elif self._sentence_index(offset) != self._sentence_index(found[0]):
                break
            if offset in self.main_subjects:
                return offset, resolution
        return found

    def _span(self, start: int, end: int) -> tuple[str, int, int]:
        first, last = self.doc[start], self.doc[end - 1]
        return self.doc[start:end].text, first.idx, last.idx + len(last.text)

    def _titled_start(self, entity: SpacySpan) -> int:
        """Where the words naming someone start: with the title, role and article the
        parse hangs on the name ("Homeland Security Secretary Jeh Johnson", "Mr. Kamin",
        "the FBI"), as a reader, and PolNeAR, reads the speaker's mention."""
        start = entity.start
        for child in reversed([child for child in entity.root.lefts if child.i < entity.start]):
            if child.dep_ not in TITLE_LINKS or child.right_edge.i != start - 1:
                break
            words = self.doc[child.left_edge.i : start]
            if any(word.is_punct or word.is_space or word.pos_ in ("VERB", "AUX") for word in words):
                break
            start = child.left_edge.i
        return start

    def _appositive_end(self, entity: SpacySpan) -> int:
        """Where the words naming someone end: after an appositive set off by commas
        ("Peter Lindqvist, a lawyer for the union, said"), as PolNeAR's Source spans end
        (84 of 87 on its dev split; they also keep the closing comma, which a mention does not)."""
        doc, end = self.doc, entity.end
        if end >= len(doc) or doc[end].text != ",":
            return end
        appositive = next((child for child in entity.root.rights if child.dep_ == "appos" and child.left_edge.i == end + 1), None)
        if appositive is None:
            return end
        end = appositive.right_edge.i + 1
        if end - entity.end > APPOSITIVE_MAX_TOKENS * 2 or any(word.is_space for word in doc[entity.end:end]):
            return entity.end
        return end

    def _named_below(self, token: Token) -> Token | None:
        """A name the parser hung under a mis-tagged subject ("Harbour chief Maria
        Delgado said", with "Harbour" read as a verb), reached without prepositions."""
        stack = list(token.children)
        while stack:
            child = stack.pop()
            if child.dep_ not in NAME_LINKS:
                continue
            entity = self.entity_at.get(child.i)
            # Only a person: "Crestwick board member" is not Crestwick.
            if entity is not None and entity.label_ == "PERSON":
                return entity.root
            stack.extend(child.children)
        return None

    def _named_group(self, named: Token) -> Resolution | None:
        """"The company's longest-serving members, retired teachers Elaine and Maurice Cotter,
        have appeared": people joined by "and" under a plural noun speak as a group, under the
        names as written."""
        words = list(named.subtree)
        members = list(dict.fromkeys(self.entity_at[word.i] for word in words if word.i in self.entity_at
                                     and self.entity_at[word.i].label_ == "PERSON"))
        if len(members) < 2 or not any(word.dep_ == "cc" and word.lower_ == "and" for word in words):
            return None
        mention, start, end = self._span(members[0].start, members[-1].end)
        record = self.registry.add(mention, "GROUP")
        return Resolution(record.name, mention, start, end, "named", record)

    def _comma_appositive(self, token: Token, end: int) -> Token | None:
        """A name set off by commas right after a description ("The company that
        runs the show, Dick Clark Productions, denies"); the parser often hangs
        it on the wrong noun."""
        doc = self.doc
        # Step over a relative clause or a prepositional tail of the description.
        for child in token.rights:
            if child.dep_ in ("relcl", "acl", "prep") and child.left_edge.i == end:
                # up to its first comma: the parser may hang the name itself on the clause
                end = next((t.i for t in child.subtree if t.text == ","), child.right_edge.i + 1)
                break
        if end >= len(doc) or doc[end].text != ",":
            return None
        entity = self.entity_at.get(end + 1)
        unlabelled = self._unlabelled_name(end + 1)
        if unlabelled is not None and (entity is None or entity.end < unlabelled.i + 1):
            return unlabelled
        if entity is None:
            # "said another witness, a nurse at the clinic, Jane Okafor": past one more description.
            stop = min(len(doc), end + 1 + APPOSITIVE_MAX_TOKENS)
            comma = next((i for i in range(end + 1, stop) if doc[i].text == ","), None)
            if comma is None or any(doc[i].pos_ in ("VERB", "AUX") for i in range(end + 1, comma)):
                return None
            entity = self.entity_at.get(comma + 1)
            end = comma
        if entity is not None and entity.start == end + 1 and (
                entity.label_ in ("PERSON", "ORG") or (len(entity) >= 2 and all(t.pos_ == "PROPN" for t in entity))) and (
                entity.end >= len(doc) or doc[entity.end].text in (",", ".", ";") or doc[entity.end].is_space):
            # A two-word proper name after a person's role is that person, whatever NER called it.
            return entity.root
        return None

    def _unlabelled_name(self, first: int) -> Token | None:
        """A name set off by commas that the tagger missed or cut short: "The group that owns
        her music, Silver Anchor, says"; "The company that runs the show, Walt Perrin Productions,
        denies". Its last token, the range kept in _unlabelled_names."""
        doc, last = self.doc, first
        while last < len(doc) and doc[last].pos_ == "PROPN" and doc[last].is_title:
            last += 1
        if last == first or last >= len(doc) or doc[last].text not in (",", ".", ";"):
            return None
        self._unlabelled_names[last - 1] = (first, last)
        return doc[last - 1]

    def _resolve(self, token: Token) -> Resolution | None:
        lex = lexicon()
        if self._is_time(token) and token.i in self.speaker_tokens:
            # "said Wednesday", "who Beck on Wednesday called": a day never speaks; the parse
            # gave it the subject's place, and the subject is beside it.
            stand_in = self._subject_beside_time(token)
            return self._resolve(stand_in) if stand_in is not None else None
        group = self._coordinated(token)
        if group is not None:
            return group
        named = self._role_and_name(token)
        if named is not None:
            found = self._resolve(named)
            if found is not None:  # the evidence is the whole phrase, roles and name
                found.start = min(found.start, self.doc[token.left_edge.i].idx)
                found.mention = self.text[found.start:found.end]
            return found
        entity = self.entity_at.get(token.i)
        misread = next((child for child in token.lefts if child.dep_ == "compound" and child.pos_ == "NOUN"
                        and any(word.dep_ == "det" for word in child.children)), None) if entity is None else None
        if misread is not None:
            # "The company flat-out denied": the parse took the adverb for the subject and the noun
            # for its compound; the determiner still marks the noun that heads the phrase.
            token = misread
        if (entity is None or entity.label_ != "PERSON") and token.pos_ != "PRON":
            named = self._named_below(token)
            group = self._named_group(named) if named is not None and token.tag_ in PLURAL_TAGS else None
            if group is not None:
                return group
            if named is not None:
                token, entity = named, self.entity_at[named.i]
        owner = entity.root if entity is not None else token
        if owner.dep_ == "poss" and owner.head.lemma_.lower() in lex.roles and owner.head.dep_ in ("nsubj", "nsubjpass"):
            # "Swift's rep told Fox News": someone who speaks for the person named, not that person.
            mention, start, end = self._span(entity.start if entity is not None else token.left_edge.i, owner.head.i + 1)
            record = self.registry.add(mention, "PERSON")
            return Resolution(record.name, mention, start, end, "description", record)
        if entity is not None and entity.label_ in ("ORG", "GPE", "NORP"):
            spokesperson = self._role_after(entity)
            if spokesperson is not None:  # "A Ministry of Transport spokesperson said"
                record = self.registry.add(strip_article(self._span(entity.start, spokesperson.i + 1)[0]), "PERSON")
                mention, start, end = self._span(entity.start, spokesperson.i + 1)
                return Resolution(record.name, mention, start, end, "description", record)
        if entity is not None and entity.label_ in TYPE_OF_LABEL:
            reflexive = next((child.lower_ for child in entity.root.children if child.lower_ in REFLEXIVES), None)
            # The words as written first ("Lady Bunny" is not "Bugs Bunny"'s short name), then the name.
            written = self.registry.lookup(entity.text) if len(entity) > 1 else None
            record = written or self.registry.lookup_at(clean_name(entity), entity.start_char, REFLEXIVES.get(reflexive or ""))
            if record is not None and record.type == "PERSON":
                record = self._namesake(entity, record)
            if record is not None:
                how = "named" if name_key(entity.text) == name_key(record.name) else "alias"
                mention, start, end = self._span(self._titled_start(entity), self._appositive_end(entity))
                if record.type == "PERSON" and record.gender is None:
                    # "His daughter, Niamh Rafferty": the kinship word she stands beside
                    kin = self._gender_of_word(entity.root.head.lower_) if entity.root.dep_ == "appos" else None
                    record.gender = kin or self._gender_in_sentence(entity)
                return Resolution(record.name, mention, start, end, how, record)
        lower = token.lower_
        if token.pos_ == "PROPN":
            named = self._proper_name(token)
            if named is not None:
                return named
        issuer = self._issuer_of(token)
        if issuer is not None:
            found = self._resolve(issuer)
            if found is not None and issuer.i > token.i:
                # "the poll, released by the Public Policy Institute", "a speech Mrs. Clinton
                # delivered": the evidence is the whole phrase, thing and issuer.
                found.start = self.doc[token.left_edge.i].idx
                found.end = max(found.end, issuer.idx + len(issuer.text))
                found.mention = self.text[found.start:found.end]
            return found
        antecedent = relative_antecedent(token) if token.i in self.speaker_tokens else None
        if antecedent is not None:
            issuer = self._issuer_of(antecedent)
            if issuer is not None:  # "He released a letter that says": he speaks, through the letter
                return self._resolve(issuer)
            # "Ruth Okafor, who testified that ...": the relative clause speaks for its noun, and the
            # evidence runs from the noun to the pronoun that speaks. The noun is a speaker as any
            # subject is: "those who said", "four in 10 who said" are the people so called.
            if self._is_time(antecedent):
                return None  # "her records in July, which showed": the month is no one
            self.speaker_tokens.add(antecedent.i)
            found = self._resolve(antecedent)
            if found is not None and found.start < token.idx:
                found.end = token.idx + len(token.text)
                found.mention = self.doc.text[found.start:found.end]
            return found
        if lower in QUANTIFIERS and token.i in self.speaker_tokens and any(
                child.dep_ == "prep" and child.lower_ == "in" for child in token.children):
            return self._share_of_people(token)  # "One in three said"
        if lower in QUANTIFIERS and token.i in self.speaker_tokens and (
                token.i not in self.entity_at or self.entity_at[token.i].label_ == "CARDINAL"):
            return self._part_of_group(token)
        if token.pos_ == "NOUN" and token.ent_type_ in SHARE_LABELS and token.i in self.speaker_tokens:
            return self._share_of_people(token)  # "42% say", "Less than a third agreed"
        if token.pos_ == "NUM" and token.i in self.speaker_tokens and token.ent_type_ not in NOT_PEOPLE_NUMBERS:
            if self.doc[token.left_edge.i].dep_ == "det":
                return self._the_pair(token)  # "the two said": the people named before
            return self._share_of_people(token)
        if lower in INDEFINITE_SPEAKERS and token.i in self.speaker_tokens:
            return self._unnamed(token)
        if lower in GROUP_PRONOUNS and token.i in self.speaker_tokens:
            if any(child.dep_ in ("acl", "prep", "relcl", "amod", "advmod") for child in token.children):
                # "those surveyed", "Those over 60", "those around him": named by their own words
                end = next((word.i for word in self.doc[token.i + 1 : token.right_edge.i + 1] if word.is_punct),
                           token.right_edge.i + 1)
                # "those who said …", "those who question …": the clause that speaks names them up to its verb
                clause = next((child for child in token.children if child.dep_ == "relcl"), None)
                if clause is not None:
                    end = min(end, clause.i + 1)
                first = next(word.i for word in self.doc[token.left_edge.i : token.i + 1] if word.dep_ != "mark")
                return self._called(first, min(end, token.i + 2 * APPOSITIVE_MAX_TOKENS))
            return self._part_of_group(token)  # "Both have promised": the pair just named
        if token.pos_ == "PRON":
            if lower in lex.first_person:
                return self._writer(token)
            record = self._antecedent(lower, token)
            if record is None:
                return None
            return Resolution(record.name, token.text, token.idx, token.idx + len(token.text), "pronoun", record)
        for child in token.children:  # "The summit host, Minister Helena Varga, said"
            # an age or a date beside a name ("Herrera, 44, told") names no one
            if child.dep_ == "appos" and child.i in self.entity_at and self.entity_at[child.i].label_ not in NUMERIC_LABELS:
                resolution = self._resolve(child)
                if resolution is not None and resolution.record is not None and resolution.record.gender is None:
                    resolution.record.gender = self._gender_of_word(token.lower_)  # "His daughter, Niamh ..."
                return resolution
        head = token.lemma_.lower()
        start, end = mention_bounds(token, self.entity_at)
        role = self._identified_as(token) if head in UNDESCRIBED_PEOPLE else None
        if role is not None:
            # "A person identified in media interviews as a paramedic claimed": the paramedic.
            words = [t for t in role.lefts if t.dep_ in ("amod", "compound") and t.i == role.i - 1] + [role]
            record = self.registry.add(" ".join(word.text for word in words), "PERSON")
            record.gender = record.gender or self._gender_of_word(head)
            self._descriptions.append((token.idx, role.lemma_.lower(), record))
            mention, char_start, char_end = self._span(start, end)
            return Resolution(record.name, mention, char_start, char_end, "description", record)
        if head in ISSUED_NOUNS and self.doc[token.left_edge.i].lower_ == "the":
            issuer = self._issuer(token, head)
            if issuer is not None:  # "Big Machine issued a statement ... The statement read"
                mention, char_start, char_end = self._span(start, end)
                return Resolution(issuer.name, mention, char_start, char_end, "description", issuer)
        if head in lex.roles or lower in lex.roles:
            holder = self._named_before_comma(start)
            if holder is not None and not self._subjects_of_two_verbs(holder, token):  # "said Mara Quist, the regional official leading the inquiry": Quist
                return self._resolve(holder)
        named = self._comma_appositive(token, end)
        if named is not None and named.i in self._unlabelled_names:
            first, last = self._unlabelled_names[named.i]
            type_ = "ORG" if head in lex.organisation_heads or head in lex.organisation_descriptors else "PERSON"
            name, name_start, name_end = self._span(first, last)
            record = self.registry.lookup(name) or self.registry.add(name, type_)
            record.type = type_  # the description says what it is: "The company that runs the show, X"
            if type_ == "PERSON":  # "According to his aunt, Jane Starner": and the gender
                record.gender = record.gender or self._gender_of_word(lower)
            return Resolution(record.name, name, name_start, name_end, "named", record)
        named_label = self.entity_at[named.i].label_ if named is not None else None
        if named is not None and named_label != "ORG" and (
                head in lex.roles or lower in lex.roles or named_label == "PERSON"):
            # "Her editor at Grey Fern Books, Tobias Lindqvist, says"
            resolution = self._resolve(named)
            if resolution is not None and resolution.record is not None:
                resolution.record.type = "PERSON"
                # "According to his aunt, Jane Starner": the kinship word gives her gender, before
                # a later "he" could be read as her.
                resolution.record.gender = resolution.record.gender or self._gender_of_word(lower)
            return resolution
        if named is not None and named_label == "ORG" and (
                head in lex.organisation_heads or head in lex.organisation_descriptors):
            return self._resolve(named)  # "The company that runs the show, Acme Productions, said"
        while end + 1 < len(self.doc) and self.doc[end].text == "-" and not self.doc[end - 1].whitespace_ \
                and not self.doc[end].whitespace_:
            end += 2  # "her brother-in-law", which the tokenizer splits at each hyphen
        mention, char_start, char_end = self._span(start, end)
        # A description's name drops articles and counts: "Two people familiar ..." -> "people familiar ..."
        first = start
        while first < token.i and (self.doc[first].dep_ in ("det", "predet") or self.doc[first].tag_ == "CD"):
            first += 1
        phrase = strip_article(self._span(first, end)[0])
        if not phrase:
            return None
        modifiers = {t.lower_ for t in self.doc[start:end] if t.i != token.i and t.dep_ not in ("det", "poss", "case") and not t.is_punct}
        definite = self.doc[token.left_edge.i].lower_ == "the"
        if definite and self.doc[token.left_edge.i : token.i + 1].text.endswith("year-old"):  # "the 19-year-old said"
            found = self.last_subject(token.idx, ("PERSON",))
            if found is not None and found[1].record is not None:
                return Resolution(found[1].name, mention, char_start, char_end, "description", found[1].record)
        if definite and head in UNDESCRIBED_PEOPLE and all(child.dep_ == "det" for child in token.children):
            # "A person identified as a paramedic claimed ... The man made other claims": a bare
            # "the man" names no one new; it is the person just spoken of, if the gender fits.
            record = self._recent_subject_person(token, self._gender_of_word(head))
            if record is not None:
                record.gender = record.gender or self._gender_of_word(head)
                return Resolution(record.name, mention, char_start, char_end, "description", record)
        if definite and (head in lex.organisation_heads or head in lex.organisation_descriptors):
            # "the company said": the organisation named last, or one whose name holds the word;
            # one that was the subject of a recent sentence first. "The government" or "the police"
            # is that institution, never another organisation met before.
            record = self.registry.latest_organisation(token.idx, head) or (
                None if modifiers or head in INSTITUTIONS else self._recent_organisation(token)
                or self.registry.latest_organisation(token.idx))
            if record is not None:
                return Resolution(record.name, mention, char_start, char_end, "organisation", record)
        if (head in lex.roles or lower in lex.roles) and token.tag_ in PLURAL_TAGS:
            # "Local officials said": a group, which neither "he" nor a title can mean.
            record = self.registry.add(phrase, "GROUP")
            return Resolution(record.name, mention, char_start, char_end, "description", record)
        if head in lex.roles or lower in lex.roles:
            record = self._titled(head, lower, modifiers)
            if record is not None:
                self.registry.alias(record, phrase)
                return Resolution(record.name, mention, char_start, char_end, "title", record)
            record = (self._described(head, token.idx) if definite else None) or self.registry.add(phrase, "PERSON")
            record.gender = record.gender or self._gender_of_word(head)
            self._descriptions.append((token.idx, head, record))
            return Resolution(record.name, mention, char_start, char_end, "description", record)
        if self._gender_of_word(head) and token.tag_ not in PLURAL_TAGS:
            # "The woman who filmed the attack", "her brother-in-law": a person, whom "she" or
            # "he" can mean later on.
            record = self.registry.add(phrase, "PERSON")
            record.gender = record.gender or self._gender_of_word(head)
            return Resolution(record.name, mention, char_start, char_end, "description", record)
        if head in lex.organisation_heads or lower in lex.organisation_heads:
            record = self.registry.add(phrase, "ORG")
            return Resolution(record.name, mention, char_start, char_end, "organisation", record)
        # "according to the RealClearPolitics polling average": a word the tagger took for an
        # adjective, in a noun's place
        nominal = token.pos_ in ("NOUN", "PROPN") or token.pos_ == "ADJ" and token.dep_ == "pobj"
        if nominal or token.is_title:
            record = self.registry.lookup(phrase) or self.registry.person_by_name_part(phrase, token.idx)
            if record is not None:
                return Resolution(record.name, mention, char_start, char_end, "alias", record)
            if not nominal:
                return None
            if definite and token.tag_ not in PLURAL_TAGS:
                # "the ayatollah" after "Ayatollah Ruhani": a word of the person's name or title.
                record = self._person_called(head, token.idx)
                if record is not None:
                    self.registry.alias(record, phrase)
                    return Resolution(record.name, mention, char_start, char_end, "title", record)
            # Plural groups ("critics", "residents") can be "they" later on, but
            # are not entities of the article unless they speak.
            group = EntityRecord(phrase, "GROUP") if token.tag_ in ("NNS", "NNPS") else None
            return Resolution(phrase, mention, char_start, char_end, "description", group)
        return None

    @staticmethod
    def _is_time(token: Token) -> bool:
        """A day, a month or a time of day; not an age ("the 43-year-old asked") nor a name inside
        a date's span, which a tagger also calls a date."""
        is_age = any(word.lower_ == "old" for word in token.doc[token.i + 1 : token.i + 3])  # "19-year-old"
        return token.ent_type_ in TIMES and token.lower_ in TIME_WORDS and not is_age

    def _subject_beside_time(self, time: Token) -> Token | None:
        """Who speaks where the parse took a time for the speaker: the verb's own subject ("an
        official who spoke anonymously said Wednesday"), else a name just before the time
        phrase ("who Beck on Wednesday called"); none where there is neither."""
        phrase = time.head if time.dep_ == "pobj" and time.head.dep_ == "prep" else time
        verb = phrase.head
        if verb.pos_ in ("VERB", "AUX"):
            subject = next((child for child in verb.children if child.dep_ in ("nsubj", "nsubjpass")
                            and not self._is_time(child)), None)
            if subject is not None:
                return subject
        floor = max(time.sent.start, phrase.i - TIME_NAME_DISTANCE)
        return next((word for word in reversed(self.doc[floor:phrase.i])
                     if word.ent_type_ in ("PERSON", "ORG", "NORP") and not self.quoted(word.idx)), None)

    def _unnamed(self, token: Token) -> Resolution:
        """"Then someone in the audience asked", "all agreed": an unnamed speaker, named by the
        pronoun and the phrase right after it that says where they were."""
        end = token.i + 1
        place = next((child for child in token.rights if child.dep_ == "prep" and child.i == end), None)
        if place is not None and place.right_edge.i - token.i <= APPOSITIVE_MAX_TOKENS:
            end = place.right_edge.i + 1
        return self._called(token.i, end)

    def _share_of_people(self, token: Token) -> Resolution:
        """"Six in 10 say", "Nine in 10 Democratic registered voters say": a poll's share of
        people, a group named by the whole phrase (up to a comma or a clause of its own)."""
        end = token.right_edge.i + 1
        for word in self.doc[token.i + 1 : end]:
            if word.is_punct or word.dep_ in ("relcl", "acl", "appos") or word.tag_ in ("WP", "WDT"):
                end = word.i
                break
        return self._called(token.left_edge.i, end)

    def _called(self, first: int, end: int) -> Resolution:
        """Unnamed people, a group named by what the text calls them: tokens first..end."""
        mention, start, stop = self._span(first, end)
        return Resolution(mention, mention, start, stop, "description", EntityRecord(mention, "GROUP"))

    def _writer(self, token: Token) -> Resolution | None:
        """"“Your Honor,” I said": an "I" of the narrative, outside any quotation, is the writer,
        who is no entity of the article ("he" never means them). Inside a quotation, "I" is its
        speaker's, which the quote's own frame gives."""
        if token.lower_ not in WRITERS or self.quoted(token.idx):
            return None
        return Resolution(WRITERS[token.lower_], token.text, token.idx, token.idx + len(token.text), "writer", None)

    @staticmethod
    def _identified_as(token: Token) -> Token | None:
        """The role in "a person identified (or described) as a paramedic"."""
        for clause in token.children:
            if clause.dep_ != "acl" or clause.lemma_.lower() not in ("identify", "describe"):
                continue
            for preposition in clause.children:
                if preposition.dep_ == "prep" and preposition.lower_ == "as":
                    role = next((child for child in preposition.children if child.dep_ == "pobj"), None)
                    if role is not None and role.lemma_.lower() in lexicon().roles:
                        return role
        return None

    def _role_after(self, entity: SpacySpan) -> Token | None:
        """The role noun right after an organisation's name, which speaks for it: "Home Office
        spokesman", "Acme board member"."""
        if entity.end >= len(self.doc):
            return None
        following = self.doc[entity.end]
        if following.head.i not in range(entity.start, entity.end) and entity.root.head != following:
            return None
        return following if following.pos_ == "NOUN" and following.lemma_.lower() in lexicon().roles else None

    def _honorific(self, entity: SpacySpan) -> Token | None:
        """A gendered honorific just before a name or opening it ("Mr. Holt", "Lady Bunny")."""
        words = ([self.doc[entity.start - 1]] if entity.start > 0 else []) + list(entity)
        return next((word for word in words[:2] if self._gender_of_word(word.lower_)), None)

    def _namesake(self, entity: SpacySpan, record: EntityRecord) -> EntityRecord:
        """"Mr. Holt" after "Anna Holt ... she", "Lady Bunny" beside a "Bugs Bunny" known as "he":
        a short name whose honorific contradicts the person's known gender is someone else."""
        honorific = self._honorific(entity)
        gender = self._gender_of_word(honorific.lower_) if honorific is not None else None
        if gender is None or record.gender == gender:
            return record
        if record.gender is None:
            record.gender = gender
            return record
        # "Mr. Trump" where a Donald J. and an Ivana Trump (his wife) are named: the other one.
        namesake = self.registry.lookup_at(clean_name(entity), entity.start_char, gender)
        if namesake is not None and namesake is not record and namesake.gender in (gender, None):
            namesake.gender = gender
            return namesake
        name = f"{honorific.text} {clean_name(entity)}"  # type: ignore[union-attr]
        other = self.registry.lookup(name) or self.registry.add(name, "PERSON")
        other.gender = gender
        return other

    def _issuer(self, token: Token, noun: str) -> EntityRecord | None:
        """Who issued "the statement": the subject of the last clause that holds one ("Acme
        issued a statement", "the company denied it in a statement")."""
        for offset, _, resolution in reversed(self.history):
            subject = self._token_at.get(offset)
            if offset >= token.idx or subject is None or resolution.record is None:
                continue
            if resolution.record.type in ("PERSON", "ORG", "GROUP") and any(
                    word.lemma_.lower() == noun and word.i > subject.i for word in subject.head.subtree):
                return resolution.record
        return None

    @staticmethod
    def _issuer_of(thing: Token) -> Token | None:
        """Who put out a document that speaks: the subject of "released a letter", the agent of
        "the statement issued by X", the subject of "a speech Mrs. Clinton delivered"."""
        if thing.pos_ != "NOUN" or thing.lemma_.lower() not in ISSUED_THINGS:
            return None
        if thing.dep_ == "dobj" and thing.head.lemma_.lower() in ISSUING_VERBS:
            subject = subject_of(thing.head)
            return subject if names_someone(subject) else None
        for clause in thing.children:
            if clause.lemma_.lower() not in ISSUING_VERBS:
                continue
            if clause.dep_ == "relcl":
                subject = direct_subject(clause)
                if names_someone(subject) and subject.lower_ not in RELATIVE_PRONOUNS:
                    return subject
            if clause.dep_ == "acl" and clause.tag_ == "VBN":
                agent = next((child for child in clause.children if child.dep_ == "agent"), None)
                named = next((child for child in agent.children if child.dep_ == "pobj"), None) if agent else None
                if names_someone(named):
                    return named
        return None

    def _recent_subject_person(self, token: Token, gender: str | None) -> EntityRecord | None:
        """The person who was the subject of one of the last few sentences, of a gender that
        does not clash."""
        found = self.last_subject(token.idx, ("PERSON",))
        if found is None or found[1].record is None:
            return None
        record = found[1].record
        near = self._sentence_index(token.idx) - self._sentence_index(found[0]) < ANTECEDENT_SENTENCES
        return record if near and (gender is None or record.gender in (None, gender)) else None

    def _described(self, head: str, before: int) -> EntityRecord | None:
        """The person last described with this head noun: "the doctor" is "a doctor on the scene"."""
        return next((record for offset, word, record in reversed(self._descriptions)
                     if word == head and offset < before), None)

    def _named_before_comma(self, start: int) -> Token | None:
        """The person named just before ", the regional official ...": the role is theirs."""
        if start < 2 or self.doc[start - 1].text != ",":
            return None
        entity = self.entity_at.get(start - 2)
        if entity is None or entity.label_ != "PERSON" or entity.end != start - 1:
            return None
        return entity.root

    @staticmethod
    def _subjects_of_two_verbs(name: Token, role: Token) -> bool:
        """"Mr. Obama, officials said, has become …": the role speaks its own aside, the name is
        the subject of the verb after it, what they said; not one person named twice."""
        return (name.dep_ in SUBJECT_DEPS and role.dep_ in SUBJECT_DEPS and name.head.i != role.head.i
                and name.head.i > role.i)

    def _role_and_name(self, token: Token) -> Token | None:
        """"GOP presidential contender and former neurosurgeon Ben Carson responded": two roles of
        one person, the name closing the second; not "the senator and Ann Lee" (two people)."""
        if (token.pos_ != "NOUN" or token.tag_ in PLURAL_TAGS
                or any(child.dep_ in ("det", "poss") for child in token.children)):
            return None
        joined = [child for child in token.children if child.dep_ == "conj"]
        if len(joined) != 1 or joined[0].i not in self.entity_at or self.entity_at[joined[0].i].label_ != "PERSON":
            return None
        return joined[0] if self.doc[joined[0].left_edge.i].dep_ not in ("det", "poss") else None

    def _coordinated(self, token: Token) -> Resolution | None:
        """"Fenwick and Lyle replied", "Okoro, Hale, and Brandt reported": named people
        joined by "and" speak as a group, not as the first of them."""
        if token.pos_ != "PROPN" or token.dep_ not in ("nsubj", "nsubjpass") or token.i not in self.speaker_tokens:
            return None
        members = [token]
        stack = [child for child in token.children if child.dep_ == "conj"]
        while stack:
            member = stack.pop()
            if member.pos_ != "PROPN":
                return None
            members.append(member)
            stack.extend(child for child in member.children if child.dep_ == "conj")
        if len(members) < 2 or not any(child.lower_ in ("and", "&") for m in members for child in m.children):
            return None
        start = min(mention_bounds(member, self.entity_at)[0] for member in members)
        end = max(mention_bounds(member, self.entity_at)[1] for member in members)
        mention, char_start, char_end = self._span(start, end)
        record = self.registry.add(mention, "GROUP")
        return Resolution(record.name, mention, char_start, char_end, "named", record)

    def _proper_name(self, token: Token) -> Resolution | None:
        """A name the entity tagger missed or ran into the next word ("Martha Ilves
        explained", "Carol Pemberley, 63, told ..."): its run of proper nouns, looked up; a speaker's
        unknown two- or three-word name becomes a person."""
        lex = lexicon()
        first = last = token.i
        while first > token.sent.start and self.doc[first - 1].pos_ == "PROPN" and self.doc[first - 1].is_title:
            first -= 1
        while last + 1 < token.sent.end and self.doc[last + 1].pos_ == "PROPN" and self.doc[last + 1].is_title:
            last += 1
        mention, char_start, char_end = self._span(first, last + 1)
        record = self.registry.lookup_at(mention, char_start)
        if record is not None:
            how = "named" if name_key(mention) == name_key(record.name) else "alias"
            return Resolution(record.name, mention, char_start, char_end, how, record)
        words = {word.lower() for word in mention.split()}
        if (token.i not in self.speaker_tokens or not 2 <= last + 1 - first <= 3 or token.i in self.entity_at
                or words & (lex.organisation_heads | lex.media_name_parts | lex.roles)):
            return None
        record = self.registry.add(mention, "PERSON")
        record.mentions.append(Span(char_start, char_end, mention))
        return Resolution(record.name, mention, char_start, char_end, "named", record)

    @staticmethod
    def _gender_of_word(word: str) -> str | None:
        lex = lexicon()
        return "male" if word in lex.male_honorifics else "female" if word in lex.female_honorifics else None

    def _gender_in_sentence(self, entity: SpacySpan) -> str | None:
        """"Niamh Rafferty said she ...": a lone person's sentence shows their gender."""
        lex = lexicon()
        verb = entity.root.head
        if entity.root.dep_ != "nsubj":
            return None
        # Only the subject of the clause the person's own verb reports: "X said she would".
        for clause in verb.children:
            if clause.dep_ != "ccomp":
                continue
            for token in clause.children:
                if token.dep_ in ("nsubj", "nsubjpass") and token.lower_ in lex.male_pronouns:
                    return "male"
                if token.dep_ in ("nsubj", "nsubjpass") and token.lower_ in lex.female_pronouns:
                    return "female"
        return None

    def _antecedent(self, pronoun: str, token: Token) -> EntityRecord | None:
        lex = lexicon()
        paragraph = self.paragraph_of(token.idx)
        records = [resolution.record for _, _, resolution in reversed(self.history) if resolution.record is not None]
        if pronoun in lex.male_pronouns or pronoun in lex.female_pronouns:
            gender = "male" if pronoun in lex.male_pronouns else "female"
            found = self._kin_owner(token) or self._recent_person(token, gender)
            if found is None:
                found = next((record for record in records
                              if record.type == "PERSON" and record.gender in (None, gender)), None)
            if found is None:
                found = self._only_person_of(token.idx, gender)
            if found is not None:
                found.gender = gender
            return found
        if pronoun in lex.plural_pronouns:
            declared = self._they_person(token)
            if declared is not None:
                return declared
            # Singular "they": within one paragraph, the person just named; but the subject of the
            # verb that reports it only when no group is named ("She said they asked her").
            reporting = {child.idx for ancestor in token.ancestors for child in ancestor.children
                         if child.dep_ in ("nsubj", "nsubjpass")}
            same_paragraph = records and self.history[-1][1] == paragraph and records[0].type != "PLACE"
            singular = records[0] if same_paragraph else None
            if singular is not None and self.history[-1][0] not in reporting:
                return singular
            named = self._plural_named(token)
            if named is not None:
                return named
            # With no group to mean, the reporting subject stays the likeliest.
            return next((record for record in records if record.type in ("ORG", "GROUP")), singular)
        if pronoun != "it":
            return None
        here = self._sentence_index(token.idx)
        near = next((resolution.record for offset, _, resolution in reversed(self.history)
                     if offset < token.idx and here - self._sentence_index(offset) < ANTECEDENT_SENTENCES
                     and resolution.record is not None and resolution.record.type in ("ORG", "PLACE")), None)
        return near or self._thing_subject(token) or next(
            (record for record in records if record.type in ("ORG", "PLACE")), None)

    def _thing_subject(self, pronoun: Token) -> EntityRecord | None:
        """What "it" means when no organisation was named lately: a thing that speaks, subject or
        object of the sentence before ("The post showed … It says: …", "Ruiz cited a 2001
        memorandum. It says …"), an outlet ("“…,” the newspaper admitted. “…,” it added"), or an
        organisation the parse named there."""
        speaking = SPEAKING_THINGS + tuple(lexicon().media_nouns)
        here = self._sentence_index(pronoun.idx)
        if here == 0:
            return None
        previous = self.doc.char_span(self._sentence_starts[here - 1], pronoun.idx,  # type: ignore[index]
                                      alignment_mode="expand")
        for word in previous or []:
            if word.i >= pronoun.i or word.sent == pronoun.sent:
                break
            named = self.entity_at.get(word.i)
            if (word.dep_ in ("nsubj", "nsubjpass", "dobj") and word.tag_ not in PLURAL_TAGS and not self.quoted(word.idx)
                    and (named.label_ == "ORG" if named is not None else word.lemma_.lower() in speaking)):
                start, end = mention_bounds(word, self.entity_at)
                phrase = strip_article(self._span(start, end)[0])
                return self.registry.lookup(phrase) or EntityRecord(phrase, "ORG" if word.i in self.entity_at else "THING")
        return None

    def _kin_owner(self, pronoun: Token) -> EntityRecord | None:
        """“My mother is 87,” he said, after "The mother of Labour MP Grahame Morris tried ...": the
        speaker's kin ("my mother") is the kin the narrative just gave a person ("the mother of X",
        "X's mother"), so X speaks, whatever the tagger made of the name."""
        lex = lexicon()
        quote = self.quote_of.get(pronoun.i)
        words = self.doc.char_span(quote[0], quote[1], alignment_mode="expand") if quote else None
        kin = {word.lower_ for word in words or [] if word.lower_ in lex.male_honorifics | lex.female_honorifics
               and any(child.lower_ == "my" for child in word.children)}
        if not kin or quote is None:
            return None
        here = self._sentence_index(quote[0])
        before = self.doc.char_span(self._sentence_starts[max(0, here - 1)], quote[0],  # type: ignore[index]
                                    alignment_mode="contract")
        for word in reversed(list(before or [])):
            if word.lower_ not in kin:
                continue
            owner = next((child for child in word.children if child.dep_ == "poss" and child.pos_ == "PROPN"), None)
            of = next((child for child in word.children if child.dep_ == "prep" and child.lower_ == "of"), None)
            owner = owner or next((child for child in (of.children if of is not None else [])
                                   if child.dep_ == "pobj" and child.pos_ == "PROPN"), None)
            if owner is None:
                continue
            first, last = mention_bounds(owner, self.entity_at)
            # "Labour MP Grahame Morris": the name after the last role or abbreviation.
            name_start = max([first] + [t.i + 1 for t in self.doc[first:last] if t.lower_ in lex.roles or t.is_upper])
            name, start, end = self._span(name_start, last) if name_start < last else self._span(first, last)
            record = self.registry.lookup_at(name, start) or self.registry.add(name, "PERSON")
            record.type = "PERSON"
            if all(mention.start != start for mention in record.mentions):
                record.mentions.append(Span(start, end, name))
            return record
        return None

    def _plural_named(self, pronoun: Token) -> EntityRecord | None:
        """Whom "they" means when its own or the previous sentence names them, latest first:
        people joined by "and" ("… two politicians: Senator Ann Lee and Mayor Bo Park. They
        criticised …"), or a plural subject, also one inside reported words ("She said that police
        sources were pressing her. She said they asked her …")."""
        here = self._sentence_index(pronoun.idx)
        start = self.doc.char_span(self._sentence_starts[max(0, here - 1)], pronoun.idx,  # type: ignore[index]
                                   alignment_mode="expand")
        for token in reversed(list(start or [])):
            if token.i >= pronoun.i or self.quoted(token.idx):
                continue
            entity = self.entity_at.get(token.i)
            if entity is not None and entity.label_ == "PERSON" and token == entity.root:
                # (the tagger often misses the second name: "congresswoman Bea Park" as a place)
                members = [entity] + [self.entity_at[child.i] for child in token.children
                                      if child.dep_ == "conj" and child.i in self.entity_at and (
                                          self.entity_at[child.i].label_ == "PERSON"
                                          or any(left.lower_ in lexicon().roles for left in child.lefts))]
                if len(members) > 1:
                    record = self.registry.add(" and ".join(clean_name(member) for member in members), "GROUP")
                    return record
            if token.dep_ in ("nsubj", "nsubjpass") and token.tag_ in PLURAL_TAGS and (
                    token.lemma_.lower() in lexicon().roles or token.lemma_.lower() in PEOPLE_NOUNS
                    or token.ent_type_ in ("ORG", "NORP")):  # people, not "huge savings"
                found = self._resolve(token)
                if found is not None and found.record is not None and found.record.type in ("GROUP", "ORG"):
                    return found.record
        return None

    def _person_called(self, word: str, before: int) -> EntityRecord | None:
        """The person named last before an offset whose name or title holds the word."""
        best: tuple[int, EntityRecord] | None = None
        for record in self.registry.people():
            words = record.title_words | {part.lower() for name in record.aliases for part in name.split()}
            if word not in words:
                continue
            latest = max((mention.start for mention in record.mentions if mention.start < before), default=-1)
            if latest >= 0 and (best is None or latest > best[0]):
                best = (latest, record)
        return best[1] if best else None

    def _the_pair(self, token: Token) -> Resolution:
        """"Ann Lee and Bo Park … The two admit": the people just joined by "and", else a group
        called by the words ("the two"), never a share of those polled."""
        start, end = mention_bounds(token, self.entity_at)
        mention, char_start, char_end = self._span(start, end)
        record = self._plural_named(token) or self.registry.add(strip_article(mention), "GROUP")
        return Resolution(record.name, mention, char_start, char_end, "description", record)

    def _part_of_group(self, token: Token) -> Resolution | None:
        """"Some of the residents said", "“…,” one wrote" (after "readers wrote in"),
        "Others said": a group, or someone from the group just mentioned."""
        of = next((child for child in token.children if child.dep_ == "prep" and child.lower_ == "of"), None)
        member = next((child for child in of.children if child.dep_ == "pobj"), None) if of is not None else None
        if member is not None:
            found = self._resolve(member)
            if found is not None:
                return found
        here = self._sentence_index(token.idx)
        for offset, _, resolution in reversed(self.history):
            if here - self._sentence_index(offset) >= ANTECEDENT_SENTENCES:
                break
            if offset < token.idx and resolution.record is not None and resolution.record.type == "GROUP":
                return Resolution(resolution.name, token.text, token.idx, token.idx + len(token.text),
                                  "description", resolution.record)
        if token.lower_ in ("one", "another"):
            # "One says there are 2,400, another says 1,800": someone unnamed, called by the word
            return self._called(token.i, token.i + 1)
        record = self.registry.add(token.text, "GROUP")
        return Resolution(record.name, token.text, token.idx, token.idx + len(token.text), "description", record)

    def _recent_organisation(self, token: Token) -> EntityRecord | None:
        """The organisation that was the subject of one of the last few sentences."""
        here = self._sentence_index(token.idx)
        for offset, _, resolution in reversed(self.history):
            if offset >= token.idx:
                continue
            if here - self._sentence_index(offset) >= ANTECEDENT_SENTENCES:
                return None
            record = resolution.record
            if record is not None and record.type == "ORG" and not record.is_media:
                return record
        return None

    def _sentence_index(self, offset: int) -> int:
        if self._sentence_starts is None:
            self._sentence_starts = [sentence.start_char for sentence in self.doc.sents]
        return bisect.bisect_right(self._sentence_starts, offset) - 1

    def _recent_person(self, pronoun: Token, gender: str) -> EntityRecord | None:
        """The person "he" or "she" most likely means: near, a subject, of the right gender, not
        named inside the quotation being attributed, and salient over the whole article (someone
        who has spoken, the more often the better) beats a bystander named once in passing."""
        here = self._sentence_index(pronoun.idx)
        floor = self._sentence_starts[max(0, here - ANTECEDENT_SENTENCES + 1)]  # type: ignore[index]
        own_quote = self.quote_of.get(pronoun.i)
        best: dict[int, tuple[float, int, EntityRecord]] = {}  # id(record) -> (cost, offset, record)
        for offset, record, subject in self._people_named(floor, pronoun.idx):
            if record.gender not in (None, gender):
                continue
            named_before = sum(1 for mention in record.mentions if mention.start < pronoun.idx)
            unknown = UNKNOWN_GENDER_DESCRIPTION_COST if not record.mentions else UNKNOWN_GENDER_COST
            agrees = (record.gender == gender or (subject and self._possessive_beside(offset, gender))
                      or (not subject and self._pronoun_follows(offset, gender)))
            holds_floor = self.turn is not None and self.turn[0] == id(record) and self.turn[1] >= floor
            cost = (min(here - self._sentence_index(offset), ANTECEDENT_SENTENCES)
                    + (0 if subject else 1.0)
                    - (0.5 if offset in self.main_subjects else 0)
                    + (0 if agrees else unknown)
                    - (SAME_SENTENCE_BONUS if self._in_clause_before(offset, pronoun)
                       or self._reports_pronoun(offset, pronoun) else 0)
                    - (1.0 if self.speakers[id(record)] else 0)
                    - (TURN_BONUS if holds_floor else 0)
                    - self._prominence(record)
                    + (OBJECT_PRONOUN_COST if subject and self._pronoun_object_beside(offset, gender) else 0)
                    + (1.0 if named_before <= 1 and not subject else 0)
                    + (NAMED_IN_OWN_QUOTE_COST if own_quote and self._named_within(record, *own_quote) else 0))
            if id(record) not in best or (cost, -offset) < (best[id(record)][0], -best[id(record)][1]):
                best[id(record)] = (cost, offset, record)
        if not best:
            return None
        # Ties go to the one named last.
        return min(best.values(), key=lambda entry: (entry[0], -entry[1]))[2]

    def _only_person_of(self, before: int, gender: str) -> EntityRecord | None:
        """Where no one nearer or spoken of as a subject fits, the one person named anywhere before
        (outside a quotation) who can be "he" or "she": the only one of that gender, else, with none
        shown, the only one whose gender the text has not shown ("… between Hillary Clinton and
        Donald Trump. [four sentences on their styles, 'his' for Trump] She says he is unqualified")."""
        named = {id(record): record for record in self.registry.people() if record.gender in (None, gender)
                 and any(mention.start < before and not self.quoted(mention.start) for mention in record.mentions)}
        agreeing = [record for record in named.values() if record.gender == gender]
        candidates = agreeing or list(named.values())
        return candidates[0] if len(candidates) == 1 else None

    def _prominent(self, record: EntityRecord) -> bool:
        """Who the piece is about: named often, or quoted more than anyone else so far."""
        speeches = self.speakers[id(record)]
        return len(record.mentions) >= PROMINENT_MENTIONS or (
            speeches >= PROMINENT_SPEECHES and speeches >= PROMINENT_SHARE * sum(self.speakers.values()))

    @staticmethod
    def _prominence(record: EntityRecord) -> float:
        return min(PROMINENCE_MAX, PROMINENCE_PER_DOUBLING * math.log2(len(record.mentions))) if record.mentions else 0.0

    def _possessive_beside(self, offset: int, gender: str) -> bool:
        """"Quist had admitted that her figures were wrong": a possessive of `gender` in the clause
        the subject at `offset` governs agrees with it, though the article never said so."""
        lex = lexicon()
        pronouns = lex.male_pronouns if gender == "male" else lex.female_pronouns
        subject = self._token_at.get(offset)
        if subject is None or subject.dep_ not in ("nsubj", "nsubjpass"):
            return False
        return any(token.dep_ == "poss" and token.lower_ in pronouns for token in subject.head.subtree)

    def _pronoun_follows(self, offset: int, gender: str) -> bool:
        """"visited his editor Teresa Hayden at her office": a pronoun of `gender` a few words after
        the name, with no other name between, agrees with it."""
        lex = lexicon()
        token = self._token_at.get(offset)
        if token is None:
            return False
        entity = self.entity_at.get(token.i)
        after = entity.end if entity is not None else token.i + 1
        for word in self.doc[after : min(after + PRONOUN_FOLLOWS_WORDS, token.sent.end)]:
            if word.i in self.entity_at and self.entity_at[word.i].label_ == "PERSON":
                return False
            if word.lower_ in lex.male_pronouns or word.lower_ in lex.female_pronouns:
                return word.lower_ in (lex.male_pronouns if gender == "male" else lex.female_pronouns)
        return False

    def _in_clause_before(self, offset: int, pronoun: Token) -> bool:
        """Whether the mention at `offset` lies in a clause that leads into the pronoun's own verb."""
        mention = self._token_at.get(offset)
        if mention is None or mention.sent != pronoun.sent or mention.i > pronoun.i:
            return False
        return any(ancestor.dep_ == "advcl" and ancestor.head == pronoun.head
                   and any(child.dep_ in ("nsubj", "nsubjpass") for child in ancestor.children)
                   for ancestor in mention.ancestors)

    def _reports_pronoun(self, offset: int, pronoun: Token) -> bool:
        """"with Senator Marsh telling reporters on Thursday he viewed Wilson as ...": the subject of a
        cue whose complement the pronoun opens speaks of themself."""
        mention = self._token_at.get(offset)
        while mention is not None and mention.dep_ in TITLE_LINKS and mention.head.i > mention.i:
            mention = mention.head  # "Senator Paul Marsh": the name's head
        if mention is None or mention.dep_ not in SUBJECT_DEPS or pronoun.dep_ not in SUBJECT_DEPS:
            return False
        verb = mention.head
        if not is_cue(verb) or mention.i > pronoun.i:
            return False
        # The parse may hang the complement higher up; it still starts right after the cue's words.
        clause = pronoun.head
        right_after = clause.dep_ in ("ccomp", "advcl", "conj") and pronoun.left_edge.i == verb.right_edge.i + 1
        return right_after or clause.dep_ == "ccomp" and clause.head == verb

    def _pronoun_object_beside(self, offset: int, gender: str) -> bool:
        """Whether the verb of the subject at `offset` has an object pronoun of `gender` ("The
        manager told her ..."): someone else, already a pronoun, whom the next "she" continues."""
        lex = lexicon()
        pronouns = lex.male_pronouns if gender == "male" else lex.female_pronouns
        subject = self._token_at.get(offset)
        if subject is None:
            return False
        return any(child.dep_ in ("dobj", "dative", "iobj") and child.lower_ in pronouns
                   for child in subject.head.children)

    @staticmethod
    def _named_within(record: EntityRecord, start: int, end: int) -> bool:
        return any(start <= mention.start < end for mention in record.mentions)

    def _people_named(self, floor: int, before: int) -> list[tuple[int, EntityRecord, bool]]:
        """(offset, person, whether a subject there) for each mention between two offsets, but
        not inside a quotation; and the latest subject mention of each salient speaker, however
        far back."""
        found = [(mention.start, record, False) for record in self.registry.people()
                 for mention in record.mentions if floor <= mention.start < before and not self.quoted(mention.start)]
        latest: dict[int, tuple[int, EntityRecord]] = {}
        for offset, _, resolution in self.history:
            record = resolution.record
            if offset >= before or record is None or record.type != "PERSON":
                continue
            if offset >= floor:
                found.append((offset, record, True))
            elif self._prominent(record):
                latest[id(record)] = (offset, record)
        found += [(offset, record, True) for offset, record in latest.values()]
        return found

    def _titled(self, head: str, lower: str, modifiers: set[str]) -> EntityRecord | None:
        """"the Belarusian leader" -> the person introduced as "Belarusian President"."""
        lex = lexicon()
        candidates = []
        for record in self.registry.people():
            words = record.title_words
            if not words:
                continue
            role_fits = head in words or lower in words or (head in lex.generic_roles and words & lex.roles)
            if role_fits and modifiers <= words | lex.generic_roles:
                candidates.append(record)
        if not candidates:
            return None
        for _, _, resolution in reversed(self.history):
            if resolution.record in candidates:
                return resolution.record
        return candidates[0]
