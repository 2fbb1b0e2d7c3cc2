"""Text folding shared by speaker names, quote clustering and topic words.

anyascii (ISC licence, no dependencies) transliterates every script to ASCII,
so "Александр Лукашенко", "Aleksandr Lukashenko" and "Nicolás Maduro" become
comparable words. unidecode does the same job but is GPL-licensed, which does
not sit well inside an Apache-2.0 package.
"""
from __future__ import annotations

import re

from anyascii import anyascii

_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """ASCII, lower case: the form every comparison in the corpus uses."""
    return text.lower() if text.isascii() else anyascii(text).lower()  # anyascii walks every character


def words(text: str) -> list[str]:
    """The words of text, folded; punctuation, case, accents and ellipses drop out."""
    # Elisions an outlet writes into a relayed quote ("…", "[...]") are not words anyway;
    # "…" goes first only so that an otherwise ASCII text skips anyascii.
    return _WORD.findall(fold(text.replace("…", " ")))
