"""Entities of one article: NER mentions grouped into people, organisations
and places, with aliases, titles, gender cues and outlet (media) flags."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..lexicon import lexicon
from ..model import Entity, Span
from .names import name_key, strip_article

TYPE_OF_LABEL = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE", "NORP": "NORP"}
TITLE_DEPS = ("compound", "amod", "nmod", "poss")
LINK_WORDS = frozenset({"read", "watch", "see", "listen", "click", "more", "related", "view"})
# A name's final period that belongs to it: "James P. Kennedy Jr.", "Acme Co."
ABBREVIATION_END = re.compile(r"\b(?:Jr|Sr|Co|Inc|Corp|Ltd|St|[A-Z])\.$")


@dataclass
class EntityRecord:
    name: str
    type: str
    aliases: dict[str, None] = field(default_factory=dict)  # ordered set
    titles: dict[str, None] = field(default_factory=dict)
    title_words: set[str] = field(default_factory=set)
    gender: str | None = None
    is_media: bool = False
    mentions: list[Span] = field(default_factory=list)

    def to_entity(self) -> Entity:
        return Entity(name=self.name, type=self.type,
                      aliases=[alias for alias in self.aliases if alias != self.name],
                      titles=list(self.titles), is_media=self.is_media, mentions=self.mentions)


def clean_name(ent: SpacySpan) -> str:
    """The name without article, punctuation, or a title NER swept into it ("President X")."""
    lex = lexicon()
    tokens = list(ent)
    if ent.label_ == "PERSON":
        honorifics = lex.male_honorifics | lex.female_honorifics
        # "Read Ana Ruiz's review": words of a link's call to action are not the name.
        while len(tokens) > 1 and (tokens[0].lower_ in lex.roles or tokens[0].lower_ in honorifics
                                   or tokens[0].lower_ in LINK_WORDS or tokens[0].tag_ == "VBG"):
            tokens.pop(0)
        # "Jessica Trent of Fairmile Research": the affiliation is not the name; a capitalised
        # "From" that ends it is a surname ("Al From").
        cut = next((i for i, token in enumerate(tokens) if i and token.lower_ in ("of", "from")
                    and (token.is_lower or i < len(tokens) - 1)), None)
        tokens = tokens[:cut] if cut else tokens
    elif ent.label_ == "ORG":
        descriptor = next((i for i, token in enumerate(tokens[:-1]) if token.is_lower
                           and token.lemma_ in lex.organisation_descriptors | lex.organisation_heads), None)
        if descriptor is not None and tokens[descriptor + 1].pos_ == "PROPN":
            tokens = tokens[descriptor + 1 :]
    text = ent.doc[tokens[0].i : tokens[-1].i + 1].text
    first, last = tokens[0].text, tokens[-1].text
    if len(tokens) > 1 and last.endswith(first) and len(last) > len(first):
        # Link texts run together ("Ana RuizAna"): the name is the part before the repeat.
        text = text[: -len(first)]
    return strip_article(text.strip(" ,;:\n").removesuffix(".") if not ABBREVIATION_END.search(text) else text.strip(" ,;:\n"))


def _title_tokens(ent: SpacySpan) -> list[Token]:
    """Words before a name that belong to it as a title: "Belarusian President"."""
    lex = lexicon()
    inside = set(range(ent.start, ent.end))
    tokens: list[Token] = []
    index, sentence_start = ent.start - 1, ent.sent.start
    while index >= sentence_start:
        token = ent.doc[index]
        attached = token.head.i in inside or token.head.i in {t.i for t in tokens}
        if token.dep_ in TITLE_DEPS and attached and not token.is_punct:
            tokens.insert(0, token)
            index -= 1
            continue
        if token.lower_ in lex.roles and attached:
            tokens.insert(0, token)
            index -= 1
            continue
        break
    return tokens


def _appositive_title(ent: SpacySpan) -> list[Token]:
    """"Maria Delgado, the port's chief executive, ..." gives a title too."""
    lex = lexicon()
    for child in ent.root.children:
        if child.dep_ == "appos" and child.lemma_.lower() in lex.roles:
            return [token for token in child.subtree if token.dep_ != "det" and not token.is_punct]
    if ent.root.dep_ != "appos":
        return []
    # "the town's mayor, Étienne Morel"; the parser may hang the name on the
    # last noun instead: "the commissioner of the delta region, Paolo Ferrante".
    head = ent.root.head
    for _ in range(3):
        if head.lemma_.lower() in lex.roles:
            return [token for token in head.lefts if token.dep_ in TITLE_DEPS and not token.is_punct] + [head]
        if head.dep_ not in ("pobj", "prep") or head.head is head:
            break
        head = head.head
    return []


class Registry:
    """Every entity of the article, findable by any of its names."""

    def __init__(self) -> None:
        self.records: list[EntityRecord] = []
        self._by_key: dict[str, EntityRecord] = {}
        self.ambiguous: dict[str, list[EntityRecord]] = {}  # short name key -> people sharing it

    def lookup(self, name: str) -> EntityRecord | None:
        return self._by_key.get(name_key(name))

    def add(self, name: str, type_: str) -> EntityRecord:
        record = self.lookup(name)
        if record is None:
            record = EntityRecord(name=name, type=type_)
            self.records.append(record)
        self.alias(record, name)
        return record

    def alias(self, record: EntityRecord, name: str) -> None:
        record.aliases.setdefault(name, None)
        self._by_key.setdefault(name_key(name), record)

    def lookup_at(self, name: str, offset: int, gender: str | None = None) -> EntityRecord | None:
        """A name's entity; a short name two people share goes to the one named last before
        offset, of the given gender where the text shows it ("Rafferty himself")."""
        candidates = self.ambiguous.get(name_key(name))
        if candidates is None:
            return self.lookup(name)
        if gender:
            candidates = ([record for record in candidates if record.gender == gender]
                          or [record for record in candidates if record.gender is None] or candidates)
        return max(candidates, key=lambda record: max(
            (mention.start for mention in record.mentions if mention.start < offset), default=-1))

    def person_by_name_part(self, name: str, offset: int) -> EntityRecord | None:
        """"Lind" outside any NER span: the person whose first or last name it is."""
        matches = [record for record in self.people()
                   if len(record.name.split()) > 1 and name in (record.name.split()[0], record.name.split()[-1])]
        if len(matches) > 1:
            self.ambiguous.setdefault(name_key(name), matches)
            return self.lookup_at(name, offset)
        return matches[0] if matches else None

    def latest_organisation(self, before: int, containing: str | None = None) -> EntityRecord | None:
        """The organisation mentioned last before an offset ("the company" points back at it)."""
        best: tuple[int, EntityRecord] | None = None
        for record in self.records:
            if record.type != "ORG" or record.is_media:
                continue
            if containing and containing not in record.name.lower():
                continue
            starts = [mention.start for mention in record.mentions if mention.start < before]
            if starts and (best is None or max(starts) > best[0]):
                best = (max(starts), record)
        return best[1] if best else None

    def people(self) -> list[EntityRecord]:
        return [record for record in self.records if record.type == "PERSON"]

    def entities(self) -> list[Entity]:
        return [record.to_entity() for record in self.records]


def is_media_name(name: str) -> bool:
    lex = lexicon()
    words = {word.lower() for word in name.replace("-", " ").split()}
    return bool(words & lex.media_name_parts) and not words & lex.organisation_heads


def _media_context(ent: SpacySpan) -> bool:
    """"US outlet Newsmax", "the broadcaster X", "reporting by X"."""
    lex = lexicon()
    root = ent.root
    neighbours = [child for child in root.children if child.dep_ in ("compound", "appos", "amod")]
    if root.dep_ == "appos":
        neighbours.append(root.head)
    if any(token.lemma_.lower() in lex.media_nouns for token in neighbours):
        return True
    if ent.start > 0:
        before = ent.doc[ent.start - 1]
        if before.lemma_.lower() in lex.media_nouns:
            return True
    if root.dep_ == "pobj" and root.head.lower_ == "by" and root.head.head.lemma_ in ("report", "reporting"):
        return True
    return False


def build_registry(doc: Doc, entity_spans: list[SpacySpan], content_tokens: set[int],
                   listed_sources: list[Span]) -> Registry:
    registry = Registry()
    mentions = [ent for ent in entity_spans if ent.label_ in TYPE_OF_LABEL and ent.start in content_tokens]
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for ent in mentions:
        votes[name_key(clean_name(ent))][TYPE_OF_LABEL[ent.label_]] += 1
    for source in listed_sources:
        votes[name_key(source.text)]["ORG"] += 2

    def type_of(name: str) -> str:
        return votes[name_key(name)].most_common(1)[0][0]

    # Longest person names first, so "Lukashenko" finds "Alexander Lukashenko".
    names = {clean_name(ent) for ent in mentions}
    full_names = {name for name in names if type_of(name) == "PERSON" and len(name.split()) > 1}
    relatives = _relatives_untagged(doc, mentions, content_tokens, full_names)
    for name, spans in relatives.items():
        votes[name_key(name)]["PERSON"] += 2 * len(spans)  # over a tagger that called it something else
    names |= set(relatives)
    full_names |= set(relatives)
    short_forms = {part for name in full_names for part in (name.split()[0], name.split()[-1])}
    # NER often tags a bare surname as ORG or GPE; the full name decides.
    people = sorted({name for name in names if type_of(name) == "PERSON" or name in short_forms},
                    key=lambda name: (-len(name.split()), name))  # name: the same order in every process
    for name in people:
        record = registry.lookup(name)
        if record is None:
            parts = name.split()
            matches = [r for r in registry.people() if len(parts) == 1 and (
                r.name.split()[-1] == name or r.name.split()[0] == name)]
            if len(matches) > 1:  # "Rafferty" for father and daughter: decided per mention
                registry.ambiguous[name_key(name)] = matches
                continue
            record = matches[0] if matches else registry.add(name, "PERSON")
        registry.alias(record, name)
    for source in listed_sources:
        registry.add(source.text, "ORG").is_media = True
    tagged_starts = {ent.start_char for ent in mentions}
    for name, spans in relatives.items():  # where the tagger saw no entity at all
        record = registry.lookup(name)
        if record is None:  # "White House" beside a "Karen House": the votes kept it a place
            continue
        record.mentions.extend(span for span in spans if span.start not in tagged_starts)
    for ent in mentions:
        name = clean_name(ent)
        if not name:
            continue
        record = registry.lookup_at(name, ent.start_char)
        honorific = _honorific(doc, ent)
        short = len(name.split()) == 1
        if short and honorific and registry.lookup(f"{honorific.text} {name}") is not None:
            name = f"{honorific.text} {name}"
            record = registry.lookup(name)
        elif record is not None and record.type == "PERSON" and short and honorific and not record.mentions:
            # "Lady Bunny" before any "Bugs Bunny": an honorific and a short name met before the
            # full name are someone else's name, not a later namesake's short form.
            name = f"{honorific.text} {name}"
            record = registry.lookup(name)
        if record is None:
            record = registry.add(name, type_of(name) if not honorific else "PERSON")
        if name_key(name) not in registry.ambiguous:
            registry.alias(record, name)
        record.mentions.append(Span(ent.start_char, ent.end_char, ent.text))
        if record.type == "ORG" and (is_media_name(name) or _media_context(ent)):
            record.is_media = True
        if record.type == "PERSON":
            _learn_title(record, ent)
            # A short name's honorific says the gender only of a one-word person: "Mr. Holt" may
            # be the husband of "Anna Holt", which the resolver tells apart once she is "she".
            gender = _gender_of(honorific) if honorific is not None and (not short or len(record.name.split()) == 1) else None
            # "his first wife, Ivana Trump": the kin word a full name is set beside says it too,
            # so that a later "Mr. Trump" is not taken for her.
            kin = _gender_of(ent.root.head) if ent.root.dep_ == "appos" and not short else None
            record.gender = gender or kin or record.gender
    return registry


def _honorific(doc: Doc, ent: SpacySpan) -> Token | None:
    """A gendered honorific or kinship word just before a name or at its start ("Mr. Holt")."""
    candidates = ([doc[ent.start - 1]] if ent.start > 0 else []) + [ent[0]]
    return next((token for token in candidates if _gender_of(token)), None)


def _gender_of(token: Token) -> str | None:
    lex = lexicon()
    word = token.lower_
    return "male" if word in lex.male_honorifics else "female" if word in lex.female_honorifics else None


def _relatives_untagged(doc: Doc, mentions: list[SpacySpan], content_tokens: set[int],
                        full_names: set[str]) -> dict[str, list[Span]]:
    """Full names that share a surname with a tagged person but that the tagger missed ("When
    Callum Rafferty first rowed ..." beside "His daughter, Niamh Rafferty"), with where they
    occur: without them the bare "Rafferty" would merge father and daughter into one person."""
    lex = lexicon()
    surnames = {name.split()[-1]: name for name in full_names}
    # Tokens tagged as a person, and the spans of other entities (which the tagger may have
    # called an organisation: "Callum Rafferty" as ORG): (start, end) -> entity.
    people = {i for ent in mentions if ent.label_ == "PERSON" for i in range(ent.start, ent.end)}
    others = {(ent.start, ent.end) for ent in mentions if ent.label_ != "PERSON"}
    untagged = set(range(len(doc))) - {i for ent in mentions for i in range(ent.start, ent.end)}
    not_first_names = lex.roles | lex.male_honorifics | lex.female_honorifics
    found: dict[str, list[Span]] = defaultdict(list)
    for token in doc[1:]:
        first = doc[token.i - 1]
        if (token.text not in surnames or token.i in people or first.i in people or token.i not in content_tokens
                or first.pos_ != "PROPN" or not first.is_title or first.lower_ in not_first_names):
            continue
        whole = {token.i, first.i} <= untagged or (first.i, token.i + 1) in others
        name = f"{first.text} {token.text}"
        if whole and name not in full_names and not surnames[token.text].startswith(first.text):
            found[name].append(Span(first.idx, token.idx + len(token.text), name))
    return found


def _learn_title(record: EntityRecord, ent: SpacySpan) -> None:
    lex = lexicon()
    tokens = _title_tokens(ent) or _appositive_title(ent)
    if not tokens or not any(token.lower_ in lex.roles or token.lemma_.lower() in lex.roles for token in tokens):
        return
    title = " ".join(token.text for token in tokens)
    record.titles.setdefault(title, None)
    record.title_words.update(token.lower_ for token in tokens)
    record.title_words.update(token.lemma_.lower() for token in tokens)
    gendered = {token.lower_ for token in tokens}
    if gendered & lex.male_honorifics:
        record.gender = "male"
    elif gendered & lex.female_honorifics:
        record.gender = "female"
