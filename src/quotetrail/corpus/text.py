"""Text folding shared by speaker names, quote clustering and topic words.

anyascii (ISC licence, no dependencies) transliterates every script to ASCII,
so "Александр Лукашенко", "Aleksandr Lukashenko" and "Nicolás Maduro" become
comparable words. unidecode does the same job but is GPL-licensed, which does
not sit well inside an Apache-2.0 package.
"""
from __future__ import annotations

import importlib.util
import re
import runpy
from functools import lru_cache
from pathlib import Path

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


@lru_cache(maxsize=1 << 16)
def folded_words(text: str) -> str:
    """words() joined by spaces: a writer folds each quotation it stores for its trace cluster
    and for its lineage (corpus/trace.py, corpus/lineages.py), once."""
    return " ".join(words(text))


@lru_cache(maxsize=1 << 16)
def word_pairs(folded: str) -> tuple[str, ...]:
    """The pairs of neighbouring words ("first second") of folded_words(), each once: the
    shingles of a quotation's trace bands and what its lineage compares, made once."""
    tokens = folded.split()
    return tuple({f"{first} {second}" for first, second in zip(tokens, tokens[1:])})


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's English stop words, for topic words. Read from spaCy's own list
    (spacy/lang/en/stop_words.py, which imports nothing) without importing spaCy:
    that costs a second of CPU, which reading a corpus never needs otherwise."""
    spacy = importlib.util.find_spec("spacy")  # finds the package without importing it
    if spacy is None or not spacy.submodule_search_locations:
        raise ModuleNotFoundError("spaCy is not installed (quotetrail depends on it)", name="spacy")
    listed = Path(spacy.submodule_search_locations[0]) / "lang" / "en" / "stop_words.py"
    return frozenset(runpy.run_path(str(listed))["STOP_WORDS"])


ARTICLES = ("the", "a", "an")


def party_key(name: str) -> str:
    """An addressee's folded words without a leading article: "the Saltmere Herald" and
    "Saltmere Herald", "Reporters" and "reporters" are one value to filter by."""
    folded = words(name)
    return " ".join(folded[1:] if len(folded) > 1 and folded[0] in ARTICLES else folded)
