"""The tools an evaluation can run: quotetrail itself and peer extractors.

Each tool is built once (imports, model load) and then maps an article's text
to the predicted dict the scorer reads, the shape of Article.to_dict(). Peers
run on quotetrail's own spaCy pipeline so that only the quote logic differs.
"""
from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from types import ModuleType
from typing import Any, Protocol

from ..model import Cue, Quote, Speaker

Extractor = Callable[[str], dict[str, Any]]
Finder = Callable[[Any], Iterable[Any]]  # spaCy Doc -> quote triples
PEERS_INSTALL = "pip install quotetrail[peers]"
# sayswho pins pytest<8 against quotetrail[test]'s pytest 9, so it stays out of the extra.
SAYSWHO_INSTALL = "pip install sayswho==0.1.4, in an environment without quotetrail[test]"


class PeerMissingError(RuntimeError):
    """A peer tool's package is not installed; the other tools can still run."""


class _Token(Protocol):  # the parts of a spaCy Token the conversion reads
    i: int
    lemma_: str
    pos_: str
    doc: Any


class _Triple(Protocol):  # textacy's DQTriple and sayswho's copy of it
    speaker: Sequence[_Token]
    cue: Sequence[_Token]
    content: Any  # a spaCy Span


_PARAGRAPH = re.compile(r"[^\n]+")
# How the peers give up on a text: textacy raises ValueError on unbalanced
# quote marks, sayswho's finder TypeError on a two-character quote token ('').
_REFUSALS = (ValueError, TypeError)


def _import_peer(module: str, package: str, install: str = PEERS_INSTALL) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError as error:
        message = f"the {package!r} package is needed for this tool ({error}); {install}"
        raise PeerMissingError(message) from error


def _token_range(tokens: Sequence[_Token], offset: int) -> tuple[int, int, str]:
    first = min(tokens, key=lambda token: token.i)
    last = max(tokens, key=lambda token: token.i)
    span = first.doc[first.i : last.i + 1]
    return span.start_char + offset, span.end_char + offset, span.text


def _quote(triple: _Triple, offset: int) -> Quote:
    """A (speaker tokens, cue tokens, content span) triple found in a doc that
    starts at `offset` in the article, as a direct Quote; these peers resolve
    no pronouns, so the mention is the name."""
    s_start, s_end, s_text = _token_range(triple.speaker, offset)
    c_start, c_end, c_text = _token_range(triple.cue, offset)
    pronoun = all(token.pos_ == "PRON" for token in triple.speaker)
    content = triple.content
    return Quote(
        kind="direct",
        text=content.text,
        start=content.start_char + offset,
        end=content.end_char + offset,
        speaker=Speaker(name=s_text, mention=s_text, start=s_start, end=s_end,
                        resolved_by="pronoun" if pronoun else "named"),
        cue=Cue(text=c_text, lemma=" ".join(token.lemma_ for token in triple.cue),
                start=c_start, end=c_end),
    )


def _prediction(found: Iterable[tuple[int, _Triple]]) -> dict[str, Any]:
    # No "furniture" key: these peers do not look for it, so it is not scored.
    return {"quotes": [asdict(_quote(triple, offset)) for offset, triple in found]}


def _per_paragraph(nlp: Any, find: Finder, text: str) -> list[tuple[int, _Triple]]:
    found: list[tuple[int, _Triple]] = []
    for paragraph in _PARAGRAPH.finditer(text):
        try:
            found += [(paragraph.start(), triple) for triple in find(nlp(paragraph.group()))]
        except _REFUSALS:  # the peer gives up on this paragraph, so it finds nothing there
            continue
    return found


def _nlp() -> Any:
    from ..nlp import load_nlp

    return load_nlp()


def _build_quotetrail(model: str = "fast") -> Extractor:
    import quotetrail
    from quotetrail.errors import ModelMissingError

    nlp = _nlp()
    # Load the tagger now, so that throughput counts extraction only.
    try:
        quotetrail.extract("Warm-up.", nlp, rules_only=False, model=model)
    except ModelMissingError as error:  # skipped, as a peer whose package is missing
        raise PeerMissingError(str(error)) from error
    return lambda text: quotetrail.extract(text, nlp, rules_only=False, model=model).to_dict()


def _build_quotetrail_accurate() -> Extractor:
    return _build_quotetrail("accurate")


def _build_quotetrail_rules() -> Extractor:
    import quotetrail

    nlp = _nlp()
    return lambda text: quotetrail.extract(text, nlp, rules_only=True).to_dict()


def _build_textacy() -> Extractor:
    find = _import_peer("textacy.extract.triples", "textacy").direct_quotations
    nlp = _nlp()

    def extract(text: str) -> dict[str, Any]:
        try:
            found = [(0, triple) for triple in find(nlp(text))]
        except ValueError:  # one unbalanced quote mark anywhere and textacy refuses the article
            found = _per_paragraph(nlp, find, text)
        return _prediction(found)

    return extract


def _build_sayswho() -> Extractor:
    # Only sayswho's quote finder: its coreference step needs a model that is
    # fetched from outside any package registry. Paragraph by paragraph, as
    # sayswho's own text preparation splits it (its finder also breaks on the
    # blank-line tokens between paragraphs).
    find = _import_peer("sayswho.quote_finder", "sayswho", SAYSWHO_INSTALL).quote_finder
    nlp = _nlp()
    return lambda text: _prediction(_per_paragraph(nlp, find, text))


TOOLS: dict[str, Callable[[], Extractor]] = {
    "quotetrail": _build_quotetrail,
    "quotetrail-accurate": _build_quotetrail_accurate,
    "quotetrail-rules": _build_quotetrail_rules,
    "textacy": _build_textacy,
    "sayswho": _build_sayswho,
}


def build_tool(name: str) -> Extractor:
    """Raises PeerMissingError when a peer's package is absent."""
    if name not in TOOLS:
        raise ValueError(f"unknown tool {name!r}; known tools: {', '.join(TOOLS)}")
    return TOOLS[name]()
