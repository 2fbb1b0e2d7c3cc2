"""Name keys shared by the linker: spelling variants collapse to one key."""
from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"[’']s?$")


def name_key(name: str) -> str:
    """'TVP World', 'TVPWorld' and 'the tvp-world' share one key."""
    folded = unicodedata.normalize("NFKD", strip_article(name)).encode("ascii", "ignore").decode()
    return _NOT_ALNUM.sub("", folded.lower())


def strip_article(phrase: str) -> str:
    return _POSSESSIVE.sub("", _LEADING_ARTICLE.sub("", phrase.strip()))
