"""A line that opens with a name and a colon, a headline's or a transcript turn's convention:
the name frames what follows ("Kasich: ‘We Are Going To Go All The Way’", "SANDERS: We will
win", "Gillibrand on the Speeches: ‘I Think She Will’"). One definition for the tagger's
attributions (learned.py: the colon is their cue), for the rules' (label_attributions) and for
their speakers (link/resolve.py)."""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from ..model import Attribution
from .frames import make_cue
from .kinds import SUBJECTS, quote_kind

# One to four capitalised words, none "On", then maybe a topic ("on the Debate"), then the colon.
_LABEL = re.compile(r"[ \t]*((?:(?!On\b)[A-Z][\w.’'\-]*[ \t]+){0,3}(?!On\b)[A-Z][\w.’'\-]*)"
                    r"(?:[ \t]+[Oo]n[ \t][^:\n]{1,80})?:")
# What ends a labelled line but is no part of what the named said.
_LINE_END = " \t\n.;,"


def line_label(text: str, line: int) -> re.Match[str] | None:
    """The label that opens the line starting at offset `line`, if it opens with one: group 1
    is the name ("Dr. Ben Carson" of "Dr. Ben Carson on the Debate:"); the match ends after
    the colon, the line's first."""
    return _LABEL.match(text, line)


def _named_words(doc: Doc) -> set[str]:
    """The words of the people and organisations the article names."""
    return {token.lower_ for entity in doc.ents if entity.label_ in ("PERSON", "ORG") for token in entity}


def _labels_a_speaker(name: Span, capitals: int, named: set[str], headline: bool) -> bool:
    """A transcript's or an interview's turn: a label in capitals where more than one line opens
    with one ("Q:", "A:", "KATE BOULDUAN:", "CLINTON:"). Else only a headline's label, which the
    parse reads as a name or the article names elsewhere (the parse of a headline often takes
    "Trump:" for a noun): in the body a label in capitals alone is a kicker ("CORRECTION:") and
    one in lower case heads a section ("Thunder: Diallo missed his third game")."""
    if name.text.isupper() and capitals >= 2:
        return True
    return headline and not name.text.isupper() and (name[-1].lower_ in named or any(
        token.pos_ == "PROPN" or token.ent_type_ in ("PERSON", "ORG") for token in name))


def _a_clause(content: Span) -> bool:
    """What follows the label holds a verb with a subject of its own ("Trump: My plans aren't set in
    stone", a headline's "Issa: Clinton’s ‘Honesty Is In Question’", which the parse hangs on the
    label): a list's items ("Rubio: Finish second.", "Carson: A miracle.") and a section's title
    ("The Ninth Circle: The Hellish View") name no one's words."""
    return any(verb.pos_ in ("VERB", "AUX") and any(child.dep_ in SUBJECTS and child.i >= content.start
                                                   for child in verb.children) for verb in content)


def label_attributions(doc: Doc, text: str, paragraphs: list[tuple[int, int]]) -> list[Attribution]:
    """An unquoted or partly quoted line after a name's label ("Obama: I'm optimistic voters will
    say no", "Q: How did things go for you?"): what the named said, the colon its cue."""
    labels = [(number, line_label(text, start)) for number, (start, _) in enumerate(paragraphs)]
    found_labels = [found.group(1) for _, found in labels if found is not None]
    capitals = sum(label.isupper() for label in found_labels)
    named = _named_words(doc) if found_labels else set()
    attributions = []
    for number, found in labels:
        if found is None:
            continue
        end = len(text[:paragraphs[number][1]].rstrip(_LINE_END))
        start = len(text) - len(text[found.end():].lstrip())
        name = doc.char_span(found.start(1), found.end(1), alignment_mode="contract")
        content = doc.char_span(start, end, alignment_mode="contract") if start < end else None
        colon = doc.char_span(found.end() - 1, found.end())
        if name is None or content is None or colon is None or not _labels_a_speaker(
                name, capitals, named, headline=not text[:paragraphs[number][0]].strip()):
            continue
        kind = quote_kind(text[start:end])
        if kind == "direct" or not _a_clause(content):
            continue  # a quotation whole is the quote-mark rules' (direct.py)
        attributions.append(Attribution(kind=kind, start=start, end=end, paragraph=number, cue=make_cue(colon[0]),
                                        cue_token=colon[0].i, subject_token=name.root.i))
    return attributions
