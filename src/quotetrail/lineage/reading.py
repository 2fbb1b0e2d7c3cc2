"""A Copy from an extracted article and quotation.

One repair: an outlet is never a quotation's speaker in a lineage. When the
extractor credits a quotation to an outlet, it read the relay's frame ("…,
the Riverbend Herald reported") as the speech; the words it took are then the
person's own frame and words ("Delgado said the checkpoint would stay …").
The person's frame is taken off where a person the article names opens the
words with a speech verb; otherwise the copy counts as naming no speaker.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ..lexicon import lexicon
from ..link.entities import is_media_name
from ..link.names import name_key
from ..model import Article, Quote
from .records import Copy

# Past tenses the -ed rule does not make.
_IRREGULAR = {"say": "said", "tell": "told", "write": "wrote", "speak": "spoke", "swear": "swore"}
_FRAME = re.compile(r"^\s*(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)\s+(?P<verb>[a-z]+)\s+(?:that\s+)?")
_QUOTE_MARK = re.compile(r"[“”\"]")


@lru_cache(maxsize=1)
def speech_forms() -> frozenset[str]:
    """The written forms of the speech verbs: "say", "says", "said", "warned"."""
    lex = lexicon()
    forms = set()
    for lemma in lex.speech_verbs | lex.that_clause_verbs:
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        forms.update({lemma, lemma + "s", stem + "ed", _IRREGULAR.get(lemma, lemma)})
    return frozenset(forms)


def is_outlet(name: str | None, article: Article, outlets: Iterable[str] = ()) -> bool:
    """Whether a name is an outlet's: a known outlet, one the article treats as one, or one that reads so."""
    if not name:
        return False
    key = name_key(name)
    return (is_media_name(name) or any(name_key(outlet) == key for outlet in outlets)
            or any(name_key(source.name) == key for source in article.sources)
            or any(entity.is_media and name_key(entity.name) == key for entity in article.entities))


def _person(article: Article, name: str, offset: int) -> str:
    """The canonical name of the person named at offset: the entity with that mention, or
    with that name; else the name as written."""
    key = name_key(name)
    for entity in article.entities:
        if entity.type == "PERSON" and (any(mention.start == offset for mention in entity.mentions)
                                        or key in {name_key(alias) for alias in (entity.name, *entity.aliases)}):
            return entity.name
    return name


def entity_names(article: Article) -> tuple[list[str], list[str]]:
    """The names and aliases of the people an article names, and of its organisations and
    outlets, as a copy lists them (Copy.person_names, Copy.organisations)."""
    return ([name for entity in article.entities if entity.type == "PERSON" and not entity.is_media
             for name in (entity.name, *entity.aliases)],
            [name for entity in article.entities if entity.type == "ORG" or entity.is_media
             for name in (entity.name, *entity.aliases)])


def extracted_copy(article: Article, quote: Quote, *, quote_id: str | int, article_id: str | int,
                   outlet: str | None, date: str | None,
                   names: tuple[list[str], list[str]] | None = None) -> Copy:
    """The copy of a quotation as extracted, its speaker as credited. names: entity_names(article),
    where the caller has them (one article, many quotations)."""
    person_names, organisations = names if names is not None else entity_names(article)
    return Copy(quote_id=quote_id, article_id=article_id, outlet=outlet, date=date,
                speaker=quote.speaker.name if quote.speaker else None, quote=quote.text, kind=quote.kind,
                start=quote.start, text=article.text, sources=list(article.sources),
                reported_by=list(quote.reported_by), person_names=person_names, organisations=organisations)


def copy_of(article: Article, quote: Quote, *, quote_id: str | int, article_id: str | int,
            outlet: str | None, date: str | None, outlets: Iterable[str] = ()) -> Copy:
    """outlets: outlet names the corpus knows, so that a quotation credited to one is read as relayed."""
    copy = extracted_copy(article, quote, quote_id=quote_id, article_id=article_id, outlet=outlet, date=date)
    if is_outlet(copy.speaker, article, outlets):
        copy.speaker = None
        frame = _FRAME.match(quote.text)
        if frame is not None and frame.group("verb") in speech_forms() and not is_outlet(
                frame.group("name"), article, outlets):
            copy.speaker = _person(article, frame.group("name"), quote.start + frame.start("name"))
            copy.start, copy.quote = quote.start + frame.end(), quote.text[frame.end():]
            # 'the army “will send engineers …”': quoted words in a reported clause, as the extractor's mixed.
            copy.kind = "mixed" if _QUOTE_MARK.search(copy.quote) else "indirect"
    return copy
