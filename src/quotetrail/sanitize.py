"""The one boundary where outside text becomes pipeline text, and the checks
for text handed to the Python API.

Python lets a str hold lone surrogates (a non-UTF-8 byte in a file name read
with surrogateescape, a "\\ud800" escape in JSON, JSON-LD in a page), but no
UTF-8 file, terminal or SQLite column takes them: one such character used to
end the whole batch when the result was written. Everything readers yield
passes through `clean_item`, which replaces each lone surrogate with U+FFFD:
one character for one, so offsets into the text still hold.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, TypeVar

from .model import Document, Failure, Skipped

# spaCy refuses longer texts (its error E088); no news article comes close.
MAX_CHARS = 1_000_000
# Work in the parse, the attribution stages and the result grows with the quotation marks:
# a news article has tens, a long report a few hundred. Past this a text is refused whole
# (100,000 short quotations in 400 KB took over 4 GB) rather than taking minutes and gigabytes.
MAX_QUOTE_MARKS = 10_000
# Double marks of every style and opening single ones; a closing single mark is also an apostrophe.
QUOTE_MARKS = re.compile('["“”„‟«»‹›「」『』‘‚]')
REPLACEMENT = "\ufffd"
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Characters that would break a one-line message (an error line, a log line).
CONTROL = re.compile("[\x00-\x1f\x7f\u2028\u2029]")
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

T = TypeVar("T")


class TextError(ValueError):
    """Text the pipeline cannot take: too long, too many quotation marks, or holding lone surrogates."""


def has_surrogates(text: str) -> bool:
    return not text.isascii() and LONE_SURROGATE.search(text) is not None


def clean_text(text: str) -> str:
    """text with each lone surrogate replaced by U+FFFD (same length, so offsets hold)."""
    return LONE_SURROGATE.sub(REPLACEMENT, text) if has_surrogates(text) else text


def clean_value(value: T) -> T:
    """Strings inside dicts, lists and tuples cleaned; other values as they are."""
    if isinstance(value, str):
        return clean_text(value)  # type: ignore[return-value]
    if isinstance(value, dict):
        return {clean_value(key): clean_value(item) for key, item in value.items()}  # type: ignore[return-value]
    if isinstance(value, (list, tuple)):
        return type(value)(clean_value(item) for item in value)  # type: ignore[return-value]
    return value


def clean_item(item: T) -> T:
    """A reader's document, failure or skip with every text field cleaned."""
    if isinstance(item, Document):
        return replace(item, id=clean_text(item.id), text=clean_text(item.text), meta=clean_value(item.meta))  # type: ignore[return-value]
    if isinstance(item, (Failure, Skipped)):
        return replace(item, id=clean_text(item.id), reason=clean_text(item.reason))  # type: ignore[return-value]
    return item


def text_problem(text: Any) -> str | None:
    """Why the pipeline cannot take this text, or None."""
    if not isinstance(text, str):
        return f"text must be str, not {type(text).__name__}"
    if len(text) > MAX_CHARS:
        return f"text too long: {len(text):,} characters (limit {MAX_CHARS:,})"
    if (marks := sum(1 for _ in QUOTE_MARKS.finditer(text))) > MAX_QUOTE_MARKS:
        return f"too many quotation marks: {marks:,} (limit {MAX_QUOTE_MARKS:,}); not an article to read whole"
    if has_surrogates(text):
        found = LONE_SURROGATE.search(text)
        assert found is not None
        return (f"text holds a lone surrogate U+{ord(found.group()):04X} at offset {found.start()}: not valid "
                "Unicode (decode bytes with errors='replace', or pass it through quotetrail.sanitize.clean_text)")
    return None


def check_text(text: Any) -> str:
    """text itself, or a TextError saying why the pipeline cannot take it."""
    problem = text_problem(text)
    if problem is not None:
        raise TextError(problem)
    return text


def one_line(text: str) -> str:
    """text fit for one line of a message: control characters shown escaped."""
    return CONTROL.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), clean_text(text))


def spreadsheet_safe(value: T) -> T:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula: a
    leading ' (what spreadsheets themselves use to mark text) before = + - @ tab CR."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value  # type: ignore[return-value]
    return value
