"""The words of a quotation as lineage compares them, each with its offsets.

corpus.text.words folds a quotation for clustering but drops where each word
sat; a change has to be shown in the copy's own text, so this tokeniser keeps
offsets. Contractions are expanded ("won't" -> "will not") so that spelling a
negation out is not taken for inserting one.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import NamedTuple
from importlib import resources

from ..corpus.text import fold

# A number (1,200 / 3.5 / 12th) or a word with inner apostrophes (wouldn't, Lukashenko's).
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*(?:st|nd|rd|th)?|[^\W\d_]+(?:['’][^\W\d_]+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_ELLIPSIS = re.compile(r"…|\.\s?\.\s?\.|\[\s*(?:…|\.\.\.)\s*\]")
# A word after one of these starts a sentence, so its capital says nothing about a name.
_SENTENCE_END = re.compile(r"[.!?:;\"“”‘(\[—–-]\s*$")


@dataclass(frozen=True)
class Words:
    """Lists for lineage, from quotetrail/data/lineage.toml."""

    negations: frozenset[str]
    modals: frozenset[str]
    backshift: dict[str, str]
    semi_modals: dict[tuple[str, str], str]
    titles: frozenset[str]
    function_words: frozenset[str]
    dates: frozenset[str]
    numbers: dict[str, float]
    contractions: dict[str, tuple[str, ...]]
    suffixes: dict[str, str]
    relay_verbs: frozenset[str]
    relay_phrases: tuple[str, ...]
    origin_phrases: tuple[str, ...]
    upstream_phrases: tuple[str, ...]


@lru_cache(maxsize=1)
def lists() -> Words:
    data = tomllib.loads(resources.files("quotetrail.data").joinpath("lineage.toml").read_text("utf-8"))
    meaning, contractions, parents = data["meaning"], dict(data["contractions"]), data["parents"]
    suffixes = contractions.pop("suffix")
    longest_first = lambda phrases: tuple(sorted(phrases, key=len, reverse=True))  # noqa: E731
    return Words(negations=frozenset(meaning["negations"]), modals=frozenset(meaning["modals"]),
                 backshift=dict(meaning["backshift"]), dates=frozenset(meaning["dates"]),
                 semi_modals={tuple(phrase.split()): modal for phrase, modal in meaning["semi_modals"].items()},
                 titles=frozenset(data["speakers"]["titles"]),
                 function_words=frozenset(data["match"]["function_words"]),
                 numbers={word: float(value) for word, value in meaning["numbers"].items()},
                 contractions={word: tuple(value.split()) for word, value in contractions.items()},
                 suffixes=dict(sorted(suffixes.items(), key=lambda item: -len(item[0]))),
                 relay_verbs=frozenset(parents["relay_verbs"]),
                 relay_phrases=longest_first(parents["relay_phrases"]),
                 origin_phrases=longest_first(parents["origin_phrases"]),
                 upstream_phrases=longest_first(parents["upstream_phrases"]))


class Token(NamedTuple):
    """One compared word: its folded form, and where the written word sits in the text."""

    word: str  # folded; a contraction gives two tokens on the same written word
    start: int
    end: int
    written: str
    capitalised: bool  # capitalised where a sentence does not start: a name


# A lineage compares the earliest copy with every other, where their words differ (same_words).
# Kept small: each Token is an object the garbage collector tracks.
@lru_cache(maxsize=1024)
def tokens(text: str) -> tuple[Token, ...]:
    # A tuple per word, each written word folded once a process: every copy a corpus stores
    # is tokenised when its lineage is built, so this is much of what lineage costs an ingest.
    found: list[Token] = []
    end = -1
    for match in _TOKEN.finditer(text):
        written, start = match.group(), match.start()
        # Whether a sentence starts here is asked only of a capital: it is all that says.
        capitalised = written[:1].isupper() and written != "I" and not (end < 0 or (
            start - end != 1 or text[end] != " ") and _SENTENCE_END.search(text, end, start) is not None)
        end = match.end()
        for word in _expanded(written):
            found.append(_token((word, start, end, written, capitalised)))
    return tuple(found)


_token = partial(tuple.__new__, Token)  # a Token without the Python frame of its __new__: a copy makes dozens


def same_words(text: str, other: str) -> bool:
    """Whether two texts have the same token_words(), told without them where both write their
    words in ASCII (whatever their quote marks and ellipses) and the same words up to case
    (most copies of a quotation): case is all folding does to ASCII, and a word's expansion
    follows from its folded form."""
    if text == other:
        return True
    written, other_written = " ".join(_TOKEN.findall(text)), " ".join(_TOKEN.findall(other))
    if written.isascii() and other_written.isascii() and written.lower() == other_written.lower():
        return True
    return token_words(text) == token_words(other)


@lru_cache(maxsize=4096)
def token_words(text: str) -> tuple[str, ...]:
    """The words tokens() gives, without where they sit: what comparing words needs (most copies
    of a quotation have its words, and need no offsets)."""
    return tuple(word for written in _TOKEN.findall(text) for word in _expanded(written))


@lru_cache(maxsize=65536)
def _expanded(written: str) -> tuple[str, ...]:
    return expand(fold(written).replace("’", "'"), lists())


def expand(folded: str, table: Words) -> tuple[str, ...]:
    if folded in table.contractions:
        return table.contractions[folded]
    for suffix, meaning in table.suffixes.items():
        if folded.endswith(suffix) and len(folded) > len(suffix):
            return (folded[: -len(suffix)], meaning)
    return (folded,)


def ellipses(text: str) -> list[tuple[int, int]]:
    """Where a copy marks words it left out ("…", "...", "[...]")."""
    return [match.span() for match in _ELLIPSIS.finditer(text)]


def numbers(words: list[str]) -> list[float]:
    """The values a run of words writes: "three hundred" is 300, "2.5 million" 2,500,000,
    "forty five" 45; "12" and "21" side by side are two values."""
    values: list[float] = []
    total = group = 0.0
    last: float | None = None  # the previous word's value; None after a word that is no number
    spelt = False  # whether the previous word was a number word (not digits)

    def close() -> None:
        if last is not None:
            values.append(total + group)

    for word in words:
        value = number(word)
        continues = last is not None and value is not None and (
            value >= 100 or (spelt and last >= 20 and last % 10 == 0 and last < 100 and value < 10)
            or (spelt and last >= 100 and value < last))  # "twelve thousand four hundred"
        if value is not None and not continues:
            close()
            total, group = 0.0, 0.0
        if value is None:
            close()
            total, group = 0.0, 0.0
        elif value >= 1000:
            total, group = total + (group or 1) * value, 0.0
        elif value >= 100:
            group = (group or 1) * value
        else:
            group += value
        last, spelt = value, value is not None and not word[:1].isdigit()
    close()
    return values


def number(word: str) -> float | None:
    """The value a word writes (12, 1,200, 3.5, twelve, 12th), or None."""
    table = lists()
    if word in table.numbers:
        return table.numbers[word]
    match = _NUMBER.match(word)
    if match is None:
        return None
    digits = match.group()
    # "1,200" groups thousands; "3,5" is a European decimal comma.
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", digits):
        digits = digits.replace(",", "")
    return float(digits.replace(",", "."))
