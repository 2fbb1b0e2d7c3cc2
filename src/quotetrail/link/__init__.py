"""Link stage: entities, speakers and the reporting chain of one article."""
from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..model import QUOTATIONS, Article, Attribution, Quote, Span, Speaker
from .confidence import confidence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from ..clean import CleanText
    from .resolve import Resolution, SpeakerResolver

SUBJECT_DEPS = ("nsubj", "nsubjpass")


class _Union:
    """Character offsets covered by any of some spans: merged and sorted, so that a lookup
    is a bisection instead of a pass over every span (thousands in a long article)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(span for span in spans if span[0] < span[1]):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def __contains__(self, offset: int) -> bool:
        index = bisect.bisect_right(self._starts, offset) - 1
        return index >= 0 and offset < self._ends[index]


def _speaker(resolution: Resolution, resolved_by: str | None = None) -> Speaker:
    return Speaker(name=resolution.name, mention=resolution.mention, start=resolution.start,
                   end=resolution.end, resolved_by=resolved_by or resolution.resolved_by)


def link(doc: Doc, cleaned: CleanText, attributions: list[Attribution]) -> Article:
    # Imported here, not above: readers of a corpus import the package's light modules
    # (names, confidence), and these load spaCy (a second of CPU).
    from spacy.attrs import DEP, IS_ALPHA

    from ..attribute.frames import entity_index, entity_spans, token_strings
    from .chain import apply_relays, build_sources, find_origins, find_outlet_relays
    from .entities import build_registry, clean_name
    from .resolve import SpeakerResolver, transcript_labels

    text = cleaned.text
    paragraphs = cleaned.of_kind("paragraph")
    starts = [block.start for block in paragraphs]
    content_tokens = {i for tokens in cleaned.paragraph_tokens(doc) for i in tokens}
    entity_at = entity_index(doc)
    registry = build_registry(doc, entity_spans(entity_at), content_tokens, cleaned.sources)
    origins = find_origins(doc, content_tokens, registry, entity_at)

    def paragraph_of(offset: int) -> int:
        return bisect.bisect_right(starts, offset) - 1

    # Subjects of reported content ("said Maduro would be welcome") are not
    # the discourse's speakers; only the article's own sentences feed history.
    def relayed_by_outlet(attribution: Attribution) -> bool:
        entity = entity_at.get(attribution.subject_token) if attribution.subject_token is not None else None
        record = registry.lookup(clean_name(entity)) if entity is not None else None
        return record is not None and record.is_media

    reported = _Union((a.start, a.end) for a in attributions if not relayed_by_outlet(a))
    speaker_tokens = {a.subject_token for a in attributions if a.subject_token is not None}
    deps = token_strings(doc, DEP)
    subjects = sorted(speaker_tokens | {
        i for i in content_tokens if (deps[i] in SUBJECT_DEPS or deps[i] == "ROOT" and _misread_subject(doc, i))
        and doc[i].idx not in reported})
    direct = [a for a in attributions if a.kind == "direct"]
    resolver = SpeakerResolver(doc, registry, entity_at, paragraph_of, speaker_tokens,
                               quoted=_Union((a.start, a.end) for a in direct).__contains__,
                               quote_of=_quoted_by(direct), text=text)
    resolved = {index: found for index in subjects if (found := resolver.resolve(doc[index])) is not None}
    speakers = {id(a): resolved[a.subject_token] for a in attributions if a.subject_token in resolved}

    heading_starts = sorted(block.start for block in cleaned.of_kind("heading"))

    def section_of(offset: int) -> tuple[int, int]:
        following = bisect.bisect_right(heading_starts, offset)
        return (heading_starts[following - 1] if following else 0,
                heading_starts[following] if following < len(heading_starts) else len(text))

    outlet_relays = find_outlet_relays(doc, content_tokens, registry, entity_at, section_of)
    kept, relays = apply_relays(doc, attributions, speakers, section_of, outlet_relays)
    unnamed_asker = {id(a) for a in kept if _asked_of_subject(doc, a)}
    relative_ends = {id(a): end for a in kept if (end := _relative_pronoun_end(doc, a)) is not None}
    quotes = _inherit_and_build(text, kept, speakers, resolver, transcript_labels(text), unnamed_asker,
                                relative_ends)
    title = next((block.text for block in cleaned.blocks if block.kind == "title"), None)
    bylines = [block.text for block in cleaned.blocks if block.kind == "byline"]
    return Article(
        text=text,
        quotes=quotes,
        entities=registry.entities(),
        furniture=[Span(b.start, b.end, b.text) for b in cleaned.of_kind("furniture")],
        headings=[Span(b.start, b.end, b.text) for b in cleaned.of_kind("heading")],
        sources=build_sources(registry, relays, kept, origins, cleaned.sources),
        meta={"title": title, "bylines": bylines, "characters": len(text),
              "words": int(doc.to_array(IS_ALPHA).sum()),
              "paragraphs": len(paragraphs),
              "origin": [{"outlet": name, "evidence": span.text, "start": span.start, "end": span.end}
                         for name, span in origins]},
    )


ASKING_VERBS = ("ask", "press", "question")  # "Asked whether …", "When later pressed about …"


def _asked_of_subject(doc: Doc, attribution: Attribution) -> bool:
    """"Asked whether he would run, Trump said ...", "Blumenthal was asked, “If you had …”": the
    question is the words of someone unnamed, not of the person asked, whom the frame's subject names."""
    if attribution.cue_token is None:
        return False
    cue = doc[attribution.cue_token]
    if attribution.start < cue.idx:
        return False  # "“What difference does it make?” when questioned about …": the answer
    # "Asked what …, Devine replied" opening a sentence is often tagged a past tense: a participle
    # still, where it hangs on the clause without a subject of its own.
    participle = cue.tag_ == "VBN" or cue.tag_ == "VBD" and cue.dep_ == "advcl"
    if cue.lemma_.lower() not in ASKING_VERBS or not participle or any(child.dep_ == "agent" for child in cue.children):
        return False
    return any(child.dep_ == "auxpass" for child in cue.children) or not any(
        child.dep_ in ("nsubj", "aux") for child in cue.children)


def _relative_pronoun_end(doc: Doc, attribution: Attribution) -> int | None:
    """"Gov. John Kasich of Ohio, a Republican who has refused to endorse Mr. Trump": where the cue's
    own subject is a relative pronoun after the speaker's words, the evidence runs on to it, the
    word that speaks (as for "a campaign surrogate who said")."""
    from ..attribute.frames import relative_antecedent

    if attribution.cue_token is None or attribution.subject_token is None:
        return None
    verb = doc[attribution.cue_token]
    while verb.dep_ in ("xcomp", "conj") and verb.head.i < verb.i:  # "who has refused to endorse"
        verb = verb.head
    pronoun = next((child for child in verb.children
                    if child.dep_ in SUBJECT_DEPS and child.lower_ in ("who", "that", "which")), None)
    noun = relative_antecedent(pronoun) if pronoun is not None else None
    if noun is None or not _same_phrase(noun, doc[attribution.subject_token]):
        return None
    return pronoun.idx + len(pronoun.text)


def _same_phrase(noun: Token, subject: Token) -> bool:
    """The speaker's word itself, or a phrase set beside it ("Kasich, a Republican")."""
    return (noun.i == subject.i or noun.dep_ == "appos" and noun.head.i == subject.i
            or subject.dep_ == "appos" and subject.head.i == noun.i)


def _misread_subject(doc: Doc, index: int) -> bool:
    """"Another newsroom staffer chimed in to object …" parsed with the noun as the sentence's root
    and its verb as a clause hung on it: the noun is still the sentence's subject."""
    token = doc[index]
    following = doc[index + 1] if index + 1 < len(doc) else None
    return (token.pos_ == "NOUN" and following is not None and following.dep_ == "acl"
            and following.head.i == index and following.tag_ in ("VBD", "VBN"))


def _quoted_by(direct: list[Attribution]) -> dict[int, tuple[int, int]]:
    """Speaker token -> the stretch its direct quotes cover: one frame may speak two quotes
    ("“My mother is 87,” he told Parliament. “She did this out of desperation.”")."""
    stretch: dict[int, tuple[int, int]] = {}
    for attribution in direct:
        if attribution.subject_token is not None:
            start, end = stretch.get(attribution.subject_token, (attribution.start, attribution.end))
            stretch[attribution.subject_token] = (min(start, attribution.start), max(end, attribution.end))
    return stretch


def _inherited_speaker(attribution: Attribution, previous: tuple[Attribution, Speaker] | None,
                      resolver: SpeakerResolver) -> Speaker | None:
    """The speaker of a quote with no frame of its own, from its context."""
    def from_subject(found: tuple[int, Resolution] | None, how: str) -> Speaker | None:
        return _speaker(found[1], how) if found else None

    if attribution.cue is not None and attribution.relays:
        # An outlet framed a first-person quote: it relays the last person's words.
        return from_subject(resolver.last_subject(attribution.start, ("PERSON",)), "relay-continuation")
    if attribution.continues_previous and previous is not None:
        return _copy(previous[1], "continuation")
    subject = resolver.last_subject(attribution.start, ("PERSON", "ORG", "GROUP"), attribution.paragraph)
    if previous is not None and previous[0].paragraph == attribution.paragraph and (
            subject is None or previous[0].start > subject[0]):
        return _copy(previous[1], "previous-sentence")
    if subject is not None:
        return from_subject(subject, "previous-sentence")
    if previous is not None:
        return _copy(previous[1], "previous-paragraph")
    return None


def _copy(speaker: Speaker, resolved_by: str) -> Speaker:
    return Speaker(speaker.name, speaker.mention, speaker.start, speaker.end, resolved_by)


def _inherit_and_build(text: str, attributions: list[Attribution], speakers: dict[int, Resolution],
                       resolver: SpeakerResolver, labels: dict[int, tuple[str, int, int]],
                       unnamed_asker: set[int], relative_ends: dict[int, int]) -> list[Quote]:
    quotes: list[Quote] = []
    previous: tuple[Attribution, Speaker] | None = None
    for attribution in attributions:
        if id(attribution) in unnamed_asker:
            quotes.append(_build(text, attribution, None, unnamed_asker=True))
            continue
        resolution = speakers.get(id(attribution))
        if resolution is not None and resolution.resolved_by == "writer" and attribution.kind not in QUOTATIONS:
            resolution = None  # "I believe ...": the writer's own voice is no attribution
        label = labels.get(text.rfind("\n", 0, attribution.start) + 1) if labels else None
        if resolution is None and label is not None and attribution.start <= label[2] + 3:
            # A transcript's turn: its label, not the last speaker, says who speaks.
            resolution = resolver.labelled(*label)
        if resolution is None:
            resolution = resolver.line_label(text.rfind("\n", 0, attribution.start) + 1, attribution.start)
        if resolution is not None:
            speaker: Speaker | None = _speaker(resolution)
            source = attribution.source
            if source is not None and source[0] <= resolution.start and resolution.end <= source[1]:
                # The whole phrase that names the speaker is the evidence: "Union leader Mara Quist".
                speaker.mention, speaker.start, speaker.end = text[source[0]:source[1]], source[0], source[1]
            relative_end = relative_ends.get(id(attribution))
            if relative_end is not None and speaker.start < relative_end and speaker.end < relative_end:
                speaker.end, speaker.mention = relative_end, text[speaker.start:relative_end]
        elif attribution.inherits_speaker:
            speaker = _inherited_speaker(attribution, previous, resolver)
        else:
            speaker = None
        if speaker is not None:
            previous = (attribution, speaker)
        quotes.append(_build(text, attribution, speaker))
    return quotes


def _build(text: str, attribution: Attribution, speaker: Speaker | None, unnamed_asker: bool = False) -> Quote:
    return Quote(kind=attribution.kind, text=text[attribution.start:attribution.end], start=attribution.start,
                 end=attribution.end, speaker=speaker, cue=attribution.cue,
                 reported_by=list(dict.fromkeys(attribution.relays)),
                 confidence=confidence(speaker.resolved_by if speaker else None, attribution.kind, unnamed_asker))
