"""The language gate: the pipeline reads English, so other documents are skipped
with reason `language=xx` instead of yielding nonsense quotes.

The page's own declaration (HTML lang, Content-Language, a feed's language)
is used when present; otherwise py3langid guesses from the text. py3langid
ships its model inside the wheel (nothing is downloaded at run time), needs
only numpy (already there for spaCy), is deterministic, takes well under a
millisecond per article, and is the detector trafilatura itself integrates."""
from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from ..model import Document, Skipped

SAMPLE_CHARS = 3000  # the opening of an article settles its language
# Below this probability the guess is a coin toss (e.g. a French lede in an English
# article); a document is only dropped when the detector is sure.
CONFIDENT = 0.9
UNDETERMINED = {"und", "mul", "zxx", "xx", "x-default"}


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def primary(tag: str | None) -> str | None:
    """'en-GB' → 'en', 'fr_FR, en' → 'fr'; None for missing or undetermined tags."""
    match = re.match(r"\s*([A-Za-z]{2,3})(?![A-Za-z])", tag or "")
    code = match.group(1).lower() if match else None
    return None if code in UNDETERMINED else code


def gate(document: Document, accepted: Collection[str] | None) -> Document | Skipped:
    """The document, with meta["language"] set when known, or why it is skipped.
    `accepted` None lets every language through."""
    language = primary(document.meta.get("language"))
    if language is None:
        guess, probability = _identifier().classify(document.text[:SAMPLE_CHARS])
        if probability < CONFIDENT:
            return document
        language = guess
    document.meta["language"] = language
    if accepted is None or language in accepted:
        return document
    return Skipped(document.id, f"language={language}")
