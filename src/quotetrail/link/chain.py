"""The reporting chain: which outlets relay a statement, where it came from,
and the article's own source list."""
from __future__ import annotations

import bisect
import heapq
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from spacy.attrs import LEMMA, LOWER, ORTH
from spacy.tokens import Doc, Span as SpacySpan, Token

from ..attribute.frames import according_source, is_according_to, token_strings
from ..lexicon import lexicon
from ..model import Article, Attribution, Source, Span
from .entities import Registry, clean_name, is_media_name
from .names import name_key
from .resolve import Resolution

ORIGIN_PREPOSITIONS = ("with", "to", "on", "by")
LEAD_IN_MAX_WORDS = 8
FRAME_MAX_CHARS = 200
# Nouns that say a sentence reports the speech event itself ("made the comments").
SPEECH_EVENT_NOUNS = ("comment", "remark", "statement", "interview", "claim")


@dataclass
class Relay:
    """An outlet's relay of the quotes after `start` up to `end` (a section or sentence)."""

    outlet: str
    start: int
    end: int
    evidence: Span | None = None


def _describes_speech_event(doc: Doc, attribution: Attribution) -> bool:
    span = doc.char_span(attribution.start, attribution.end, alignment_mode="expand")
    if span is None:
        return False
    lex = lexicon()
    return any(token.lemma_.lower() in SPEECH_EVENT_NOUNS or token.lemma_.lower() in lex.origin_nouns
               for token in span)


def apply_relays(doc: Doc, attributions: list[Attribution], speakers: dict[int, Resolution],
                 section_of: Callable[[int], tuple[int, int]],
                 outlet_relays: list[Relay]) -> tuple[list[Attribution], list[Relay]]:
    """Turn outlet-as-speaker frames into relays of the quotes they carry.

    An outlet's relay reaches past its own sentence across the section (the
    text between two headings): "According to X, ..." opening a sentence
    covers what follows; "..., X reports." closing one covers what came before.

    speakers maps id(attribution) -> resolved speaker. Returns the attributions
    that remain quotations and the relays found.
    """
    lex = lexicon()
    relays: list[Relay] = list(outlet_relays)
    dropped: set[int] = set()
    by_start = _ByOffset(attributions, lambda other: other.start)
    by_cue = _ByOffset(attributions, lambda other: other.cue.start if other.cue is not None else None)
    same_span: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, other in enumerate(attributions):
        same_span[other.start, other.end].append(index)
    for position, attribution in enumerate(attributions):
        speaker = speakers.get(id(attribution))
        if speaker is None or not speaker.is_media or attribution.cue is None or attribution.cue_token is None:
            continue
        relay_cue = attribution.cue.lemma in lex.relay_verbs or attribution.cue.lemma == "according to"
        if not relay_cue:
            continue
        carried = [attributions[index] for index in sorted(
            set(by_cue.between(attribution.start, attribution.end)) | set(same_span[attribution.start, attribution.end]))
            if index != position]
        sentence = doc[attribution.cue_token].sent
        in_sentence = [attributions[index] for index in by_start.between(sentence.start_char, sentence.end_char)
                       if index != position]
        if attribution.kind == "direct" and attribution.first_person:
            # "“I think …,” TVPWorld notes": the outlet relays the last speaker's words.
            attribution.inherits_speaker = True
            attribution.relays.append(speaker.name)
            speakers.pop(id(attribution))
            continue
        if not carried and not (attribution.cue.lemma == "according to" and in_sentence):
            if attribution.cue.lemma == "according to" and _describes_speech_event(doc, attribution):
                dropped.add(id(attribution))
                relays.append(Relay(speaker.name, sentence.start_char, section_of(sentence.start_char)[1],
                                    _frame(doc, attribution, speaker)))
            continue
        dropped.add(id(attribution))
        for other in carried + in_sentence:
            other.relays.append(speaker.name)
        relays.append(Relay(speaker.name, sentence.start_char, sentence.start_char, _frame(doc, attribution, speaker)))
        if attribution.cue.lemma == "according to" and attribution.cue_token == sentence.start:
            relays.append(Relay(speaker.name, sentence.start_char, section_of(sentence.start_char)[1]))
        elif attribution.cue.lemma != "according to" and attribution.start < attribution.cue.start:
            relays.append(Relay(speaker.name, section_of(sentence.start_char)[0], sentence.end_char))
    kept = [attribution for attribution in attributions if id(attribution) not in dropped]
    for attribution, outlets in zip(kept, _covering_outlets(relays, [attribution.start for attribution in kept])):
        own_outlet = speakers.get(id(attribution)) is not None and speakers[id(attribution)].is_media
        if not own_outlet:
            attribution.relays.extend(outlet for outlet in outlets if outlet not in attribution.relays)
    return kept, relays


class _ByOffset:
    """Indices of attributions by an offset of theirs, for range lookups by bisection."""

    def __init__(self, attributions: list[Attribution], offset: Callable[[Attribution], int | None]) -> None:
        self._entries = sorted((value, index) for index, attribution in enumerate(attributions)
                               if (value := offset(attribution)) is not None)

    def between(self, start: int, end: int) -> list[int]:
        """Indices whose offset is in start..end, in the attributions' order."""
        first = bisect.bisect_left(self._entries, (start, -1))
        last = bisect.bisect_left(self._entries, (end, -1))
        return sorted(index for _, index in self._entries[first:last])


def _covering_outlets(relays: list[Relay], offsets: list[int]) -> list[list[str]]:
    """For each offset, the outlets of the relays covering it, each once, ordered by the
    first of its relays that covers it. A sweep per outlet: an "according to" relay covers
    the rest of its section, so checking every relay against every quote is quadratic."""
    found: list[list[tuple[int, str]]] = [[] for _ in offsets]
    order = sorted(range(len(offsets)), key=offsets.__getitem__)
    by_outlet: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for number, relay in enumerate(relays):
        if relay.start < relay.end:
            by_outlet[relay.outlet].append((relay.start, relay.end, number))
    for outlet, spans in by_outlet.items():
        spans.sort()
        active: list[tuple[int, int]] = []  # (relay number, end): a heap, earliest relay first
        following = 0
        for index in order:
            offset = offsets[index]
            while following < len(spans) and spans[following][0] <= offset:
                heapq.heappush(active, (spans[following][2], spans[following][1]))
                following += 1
            while active and active[0][1] <= offset:  # offsets only grow: an ended relay stays ended
                heapq.heappop(active)
            if active:
                found[index].append((active[0][0], outlet))
    return [[outlet for _, outlet in sorted(pairs)] for pairs in found]


def _frame(doc: Doc, attribution: Attribution, speaker: Resolution) -> Span | None:
    """The words that name the outlet and its cue ("TVPWorld notes"), as evidence."""
    if attribution.cue is None:
        return None
    start, end = min(attribution.cue.start, speaker.start), max(attribution.cue.end, speaker.end)
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or end - start > FRAME_MAX_CHARS:
        return None
    return Span(span.start_char, span.end_char, span.text)


def find_outlet_relays(doc: Doc, content_tokens: set[int], registry: Registry, entity_at: dict[int, SpacySpan],
                       section_of: Callable[[int], tuple[int, int]]) -> list[Relay]:
    """Outlets named as the channel of what a sentence reports, wherever the
    parse hangs them: "according to AP reporting", "according to a Reuters
    report" (that sentence, or the section when the sentence opens with it),
    and a lead-in line "From the Saltmere Post:" / "The Saltmere Post reported:"
    (the section after it)."""
    relays: list[Relay] = []
    heads = lexicon().source_first_heads
    texts, lowers = token_strings(doc, ORTH), token_strings(doc, LOWER)
    for index in sorted(content_tokens):
        if texts[index] != ":" and lowers[index] not in heads:
            continue  # neither branch below takes it
        token = doc[index]
        if is_according_to(token):
            sentence = token.sent  # built on demand: Token.sent walks the sentence
            source = according_source(token)
            record = _outlet_at(source, registry, entity_at) if source is not None else None
            if record is None or source is None:
                continue
            end = source.head.i + 1 if source.head.lemma_ in ("report", "reporting") else source.i + 1
            evidence = doc[token.i : max(end, entity_at[source.i].end if source.i in entity_at else end)]
            reach = section_of(sentence.start_char)[1] if token.i == sentence.start else sentence.end_char
            relays.append(Relay(record.name, sentence.start_char, reach,
                                Span(evidence.start_char, evidence.end_char, evidence.text)))
        elif token.text == ":" and token.i + 1 < len(doc) and "\n" in doc[token.i + 1].text_with_ws + token.whitespace_:
            # A line of its own ending in a colon: "From X:" or "X reported:".
            line = doc.char_span(doc.text.rfind("\n", 0, token.idx) + 1, token.idx, alignment_mode="expand")
            if line is None:
                continue
            words = [t for t in line if not t.is_space]
            if not words or len(words) > LEAD_IN_MAX_WORDS:
                continue
            first = words[0]
            cue = next((t for t in words if t.lemma_ in lexicon().relay_verbs and t.pos_ == "VERB"), None)
            if first.lower_ != "from" and cue is None:
                continue
            outlet = next((entity_at[t.i] for t in words if t.i in entity_at), None)
            record = _outlet_at(outlet.root, registry, entity_at) if outlet is not None else None
            name = " ".join(t.text for t in words if t.pos_ == "PROPN")
            if record is None and name and is_media_name(name):
                # NER often misses a small outlet's name: "PJ Media reported:".
                record = registry.add(name, "ORG")
                record.is_media = True
            if record is None:
                continue
            relays.append(Relay(record.name, token.idx, section_of(token.idx)[1],
                                Span(line.start_char, token.idx + 1, doc[line.start : token.i + 1].text)))
    return relays


def _outlet_at(token: Token, registry: Registry, entity_at: dict[int, SpacySpan]):
    entity = entity_at.get(token.i)
    record = registry.lookup(clean_name(entity)) if entity is not None else registry.lookup(token.text)
    return record if record is not None and record.is_media else None


def find_origins(doc: Doc, content_tokens: set[int], registry: Registry,
                 entity_at: dict[int, SpacySpan]) -> list[tuple[str, Span]]:
    """"in an interview with US outlet Newsmax", "told the Daily Meridian"."""
    lex = lexicon()
    origins: list[tuple[str, Span]] = []
    lemmas = token_strings(doc, LEMMA)
    for index in sorted(content_tokens):
        if lemmas[index] != "tell" and lemmas[index].lower() not in lex.origin_nouns:
            continue  # neither branch below takes it
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
        add_role(source(relay.outlet), "relay", relay.evidence)
    for attribution in relayed:
        for outlet in attribution.relays:
            add_role(source(outlet), "relay", None)
    for span in listed:
        add_role(source(span.text), "listed", span)
    return list(sources.values())


# How far a cue may sit before its addressee for "told the Herald" to be the origin's evidence.
TOLD_GAP_CHARS = 40


def add_setting_origins(article: Article) -> None:
    """The outlets the describe stage found the words were said to or in an interview with ("in
    an interview with Newsmax", "told the Saltmere Herald", "told reporters on CNN"): origins of
    the reporting chain, added to the article's sources and its meta's origins with their words as
    evidence, where the parse above (find_origins) missed them. A person interviewing, or words
    told to reporters or a committee, name no outlet."""
    entities = {name_key(entity.name): entity for entity in article.entities}

    def outlet(name: str, interview: bool) -> bool:
        entity = entities.get(name_key(name))
        if entity is not None and (entity.is_media or interview and entity.type == "ORG"):
            return True
        return name[:1].isupper() and is_media_name(name)  # "the press" is nobody in particular

    found: list[tuple[str, Span]] = []
    for quote in article.quotes:
        setting, addressee = quote.setting, quote.addressee
        if setting is not None and setting.kind == "interview" and setting.outlet and outlet(setting.outlet, True):
            found.append((setting.outlet, Span(setting.start, setting.end, setting.text)))
        elif addressee is not None and outlet(told := _told(addressee.entity, addressee.text), False):
            cue = quote.cue
            start = cue.start if cue is not None and 0 <= addressee.start - cue.end <= TOLD_GAP_CHARS else addressee.start
            found.append((told, Span(start, addressee.end, article.text[start:addressee.end])))
    stated = article.meta.setdefault("origin", [])
    for name, evidence in found:
        if any(name_key(str(origin.get("outlet"))) == name_key(name) and origin.get("start", 0) < evidence.end
               and evidence.start < origin.get("end", 0) for origin in stated):
            continue  # the same words, found already
        stated.append({"outlet": name, "evidence": evidence.text, "start": evidence.start, "end": evidence.end})
        source = next((source for source in article.sources if name_key(name) in
                       {name_key(spelling) for spelling in (source.name, *source.aliases)}), None)
        if source is None:
            entity = entities.get(name_key(name))
            source = Source(name=name, roles=[], aliases=list(entity.aliases) if entity else [])
            article.sources.append(source)
        if "origin" not in source.roles:
            source.roles.insert(0, "origin")
        if evidence not in source.evidence:
            source.evidence.append(evidence)


def _told(entity: str | None, words: str) -> str:
    """The outlet words were told to: the entity they name, else the words without their article
    ("the Saltmere Herald": an outlet the NER missed, or one it cut wrong: "Associated Press that")."""
    if entity and entity.lower() in words.lower():
        return entity
    first, _, rest = words.partition(" ")
    return rest if rest and first.lower() in ("the", "a", "an") else words
