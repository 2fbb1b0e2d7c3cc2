"""The reporting chain: which outlets relay a statement, where it came from,
and the article's own source list."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..lexicon import lexicon
from ..model import Attribution, Source, Span
from .entities import Registry, clean_name
from .names import name_key
from .resolve import Resolution

ORIGIN_PREPOSITIONS = ("with", "to", "on", "by")
# Nouns that say a sentence reports the speech event itself ("made the comments").
SPEECH_EVENT_NOUNS = ("comment", "remark", "statement", "interview", "claim")


@dataclass
class Relay:
    """An outlet's relay of the quotes after `start` up to `end` (a section or sentence)."""

    outlet: str
    start: int
    end: int


def _describes_speech_event(doc: Doc, attribution: Attribution) -> bool:
    span = doc.char_span(attribution.start, attribution.end, alignment_mode="expand")
    if span is None:
        return False
    lex = lexicon()
    return any(token.lemma_.lower() in SPEECH_EVENT_NOUNS or token.lemma_.lower() in lex.origin_nouns
               for token in span)


def apply_relays(doc: Doc, attributions: list[Attribution], speakers: dict[int, Resolution],
                 section_of: Callable[[int], tuple[int, int]]) -> tuple[list[Attribution], list[Relay]]:
    """Turn outlet-as-speaker frames into relays of the quotes they carry.

    An outlet's relay reaches past its own sentence across the section (the
    text between two headings): "According to X, ..." opening a sentence
    covers what follows; "..., X reports." closing one covers what came before.

    speakers maps id(attribution) -> resolved speaker. Returns the attributions
    that remain quotations and the relays found.
    """
    lex = lexicon()
    relays: list[Relay] = []
    dropped: set[int] = set()
    for attribution in attributions:
        speaker = speakers.get(id(attribution))
        if speaker is None or not speaker.is_media or attribution.cue is None or attribution.cue_token is None:
            continue
        relay_cue = attribution.cue.lemma in lex.relay_verbs or attribution.cue.lemma == "according to"
        if not relay_cue:
            continue
        carried = [other for other in attributions if other is not attribution and (
            other.cue is not None and attribution.start <= other.cue.start < attribution.end
            or (other.start, other.end) == (attribution.start, attribution.end))]
        sentence = doc[attribution.cue_token].sent
        in_sentence = [other for other in attributions if other is not attribution
                       and sentence.start_char <= other.start < sentence.end_char]
        if attribution.kind == "direct" and attribution.first_person:
            # "“I think …,” TVPWorld notes": the outlet relays the last speaker's words.
            attribution.inherits_speaker = True
            attribution.relays.append(speaker.name)
            speakers.pop(id(attribution))
            continue
        if not carried and not (attribution.cue.lemma == "according to" and in_sentence):
            if attribution.cue.lemma == "according to" and _describes_speech_event(doc, attribution):
                dropped.add(id(attribution))
                relays.append(Relay(speaker.name, sentence.start_char, section_of(sentence.start_char)[1]))
            continue
        dropped.add(id(attribution))
        for other in carried + in_sentence:
            other.relays.append(speaker.name)
        if attribution.cue.lemma == "according to" and attribution.cue_token == sentence.start:
            relays.append(Relay(speaker.name, sentence.start_char, section_of(sentence.start_char)[1]))
        elif attribution.cue.lemma != "according to" and attribution.start < attribution.cue.start:
            relays.append(Relay(speaker.name, section_of(sentence.start_char)[0], sentence.end_char))
    kept = [attribution for attribution in attributions if id(attribution) not in dropped]
    for relay in relays:
        for attribution in kept:
            own_outlet = speakers.get(id(attribution)) is not None and speakers[id(attribution)].is_media
            if relay.start <= attribution.start < relay.end and relay.outlet not in attribution.relays and not own_outlet:
                attribution.relays.append(relay.outlet)
    return kept, relays


def find_origins(doc: Doc, content_tokens: set[int], registry: Registry,
                 entity_at: dict[int, SpacySpan]) -> list[tuple[str, Span]]:
    """"in an interview with US outlet Newsmax", "told the Daily Meridian"."""
    lex = lexicon()
    origins: list[tuple[str, Span]] = []
    for index in sorted(content_tokens):
        token = doc[index]
        objects: list[Token] = []
        if token.lemma_.lower() in lex.origin_nouns:
            for prep in token.children:
                if prep.dep_ == "prep" and prep.lower_ in ORIGIN_PREPOSITIONS:
                    objects.extend(child for child in prep.children if child.dep_ == "pobj")
        elif token.lemma_ == "tell":
            objects.extend(child for child in token.children if child.dep_ in ("dative", "dobj"))
        for target in objects:
            # "with the regional broadcaster Coastline Radio": the name may sit below the noun.
            names = [entity_at[t.i] for t in target.subtree if t.i in entity_at]
            records = [(entity, registry.lookup(clean_name(entity))) for entity in names]
            found = next(((entity, record) for entity, record in records if record and record.type == "ORG"), None)
            if found is None:
                continue
            entity, record = found
            if token.lemma_.lower() in lex.origin_nouns:
                record.is_media = True
            if record.is_media:
                origins.append((record.name, Span(token.idx, entity.end_char, doc[token.i:entity.end].text)))
    return origins


def build_sources(registry: Registry, relays: list[Relay], relayed: list[Attribution],
                  origins: list[tuple[str, Span]], listed: list[Span]) -> list[Source]:
    """One Source per outlet, spelling variants merged through the registry."""
    sources: dict[str, Source] = {}

    def source(name: str) -> Source:
        record = registry.lookup(name)
        canonical = record.name if record is not None else name
        key = name_key(canonical)
        if key not in sources:
            aliases = [alias for alias in record.aliases if alias != canonical] if record else []
            sources[key] = Source(name=canonical, roles=[], aliases=aliases)
        return sources[key]

    def add_role(entry: Source, role: str, evidence: Span | None) -> None:
        if role not in entry.roles:
            entry.roles.append(role)
        if evidence is not None and evidence not in entry.evidence:
            entry.evidence.append(evidence)

    for name, evidence in origins:
        add_role(source(name), "origin", evidence)
    for relay in relays:
        add_role(source(relay.outlet), "relay", None)
    for attribution in relayed:
        for outlet in attribution.relays:
            add_role(source(outlet), "relay", None)
    for span in listed:
        add_role(source(span.text), "listed", span)
    return list(sources.values())
