"""Whether two copies credit the same speaker, by name alone.

The corpus resolves speakers across articles (corpus/speakers.py); a lineage
compares two names it is handed, so it uses the same identity keys: surnames
equal and first names, where both are given, equal after romanisation
("Alexander Lukashenko", "Aleksandr Lukashenko", "Lukashenko", "A. Lukashenko"), after
titles are taken off ("President Lukashenko", "Dr Okafor").
"""
from __future__ import annotations

from functools import lru_cache

from ..corpus.speakers import PARTICLES, Identity, identity
from ..lexicon import lexicon
from .reading import speech_forms
from .words import lists


def same_speaker(first: str | None, second: str | None) -> bool | None:
    """True or False when both are names, None when either is missing or is a description
    ("the singer", "officials", "a spokesman"): a description may be anyone, the named
    speaker included, so it is never taken for someone else."""
    one, other = _identity(first), _identity(second)
    if one is None or other is None:
        return None
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


# Words that make a following name part of a description: "spokesman for X", "head of X".
_LINKS = frozenset({"for", "of", "at", "with", "to", "from", "by", "in"})


@lru_cache(maxsize=4096)
def bare_name(name: str) -> str:
    """The name without titles or descriptions before it ("Dr Okafor", "Prime Minister Helena
    Varga", "the Kremlin") or a speech verb after it (a cue an extractor left on: "Brandt told")."""
    titles = _titles()
    written = name.split()
    # A name starts at its first capitalised word that is no title ("presidential chief of staff Maxim Ryzhov"),
    # unless the words before tie it to a description ("spokesman for Bakhtin's militia": not Bakhtin).
    while len(written) > 1 and (written[0].lower().rstrip(".") in titles or not written[0][:1].isupper()) \
            and any(word[:1].isupper() for word in written[1:]):
        if written[0].lower() in _LINKS and written[1][:1].isupper():
            return name
        written.pop(0)
    if len(written) > 1 and written[-1] in speech_forms():
        written.pop()
    return " ".join(written)


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    lex = lexicon()
    return frozenset(lists().titles | lex.male_honorifics | lex.female_honorifics
                     | {word for role in lex.roles for word in role.split()})


def is_name(name: str | None) -> bool:
    """Whether a speaker is named ("Helena Varga", "the Kremlin"), not described ("the singer")."""
    return _identity(name) is not None


@lru_cache(maxsize=65536)  # a lineage compares each copy's speaker with its reference, batch after batch
def _identity(name: str | None) -> Identity | None:
    """The identity of a proper name ("Helena Varga", "the Foreign Ministry"), None for a description."""
    if not name:
        return None
    written = bare_name(name)
    written = written[4:] if written[:4].lower() == "the " else written
    # A name's words are capitalised, but for particles ("Charles de Gaulle"); "China's health
    # chiefs" describes someone.
    if any(not word[:1].isupper() and word not in PARTICLES for word in written.split()):
        return None
    return identity(written, "PERSON")
