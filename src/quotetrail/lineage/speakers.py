"""Whether two copies credit the same speaker, by name alone.

The corpus resolves speakers across articles (corpus/speakers.py); a lineage
compares two names it is handed, so it uses the same identity keys: surnames
equal and first names, where both are given, equal after romanisation
("Alexander Lukashenko", "Aleksandr Lukashenko", "Lukashenko", "A. Lukashenko"), after
titles are taken off ("President Lukashenko", "Dr Okafor").
"""
from __future__ import annotations

from functools import lru_cache

from ..corpus.speakers import PARTICLES, identity
from ..corpus.text import words
from ..lexicon import lexicon
from .words import lists


def same_speaker(first: str | None, second: str | None) -> bool | None:
    """True or False when both names are known, None when either is not."""
    if not first or not second:
        return None
    first, second = bare_name(first), bare_name(second)
    one, other = identity(first, "PERSON"), identity(second, "PERSON")
    if one is None or other is None:  # not a person's name ("the ministry"): the words must agree
        return _group(first) == _group(second)
    if one.key == other.key:
        return True
    bare = [found for found in (one, other) if found.surname is not None]
    if not bare:
        return False
    full = other if bare[0] is one else one
    surname = bare[0].surname
    if full.surname is not None:  # two bare surnames with different keys
        return False
    first_name, last_name = full.key.removeprefix("p:").split(" ", 1)
    return last_name == surname and (not bare[0].initials or first_name.startswith(bare[0].initials[0]))


@lru_cache(maxsize=4096)
def bare_name(name: str) -> str:
    """The name without titles before it ("Dr Okafor", "Prime Minister Helena Varga") or
    lower-case words after it (a cue an extractor left on: "Brandt told")."""
    lex, table = lexicon(), lists()
    titles = table.titles | lex.male_honorifics | lex.female_honorifics | {
        word for role in lex.roles for word in role.split()}
    written = name.split()
    while len(written) > 1 and written[0].lower().rstrip(".") in titles:
        written.pop(0)
    while len(written) > 1 and written[-1][:1].islower() and written[-1] not in PARTICLES:
        written.pop()
    return " ".join(written)


def _group(name: str) -> list[str]:
    folded = words(name)
    return folded[1:] if folded[:1] == ["the"] else folded
