"""Whether two copies credit the same speaker, by name alone.

The corpus resolves speakers across articles (corpus/speakers.py); a lineage
compares two names it is handed, so it uses the same identity keys: surnames
equal and first names, where both are given, equal after romanisation
("Alexander Lukashenko", "Aleksandr Lukashenko", "Lukashenko", "A. Lukashenko").
"""
from __future__ import annotations

from ..corpus.speakers import identity
from ..corpus.text import words


def same_speaker(first: str | None, second: str | None) -> bool | None:
    """True or False when both names are known, None when either is not."""
    if not first or not second:
        return None
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


def _group(name: str) -> list[str]:
    folded = words(name)
    return folded[1:] if folded[:1] == ["the"] else folded
