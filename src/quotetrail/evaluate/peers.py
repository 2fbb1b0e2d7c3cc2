"""The tools an evaluation can run: quotetrail itself and peer extractors.

Each tool is built once (imports, model load) and then maps an article's text
to the predicted dict the scorer reads, the shape of Article.to_dict(). Peers
run on quotetrail's own spaCy pipeline so that only the quote logic differs.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from types import ModuleType
from typing import Any, Protocol

from ..model import Cue, Quote, Speaker

Extractor = Callable[[str], dict[str, Any]]
PEERS_INSTALL = "pip install quotetrail[peers]"


class PeerMissingError(RuntimeError):
    """A peer tool's package is not installed; the other tools can still run."""


@dataclass(frozen=True)
class Tool:
    name: str
    build: Callable[[], Extractor]


class _Token(Protocol):  # the parts of a spaCy Token the conversion reads
    i: int
    lemma_: str
    pos_: str
    doc: Any


class _Triple(Protocol):  # textacy's DQTriple and sayswho's copy of it
    speaker: Sequence[_Token]
    cue: Sequence[_Token]
    content: Any  # a spaCy Span


def _import_peer(module: str, package: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise PeerMissingError(
            f"the {package!r} package is needed for this tool ({error}); "
            f"install the benchmark extra: {PEERS_INSTALL}"
        ) from error


def _token_range(tokens: Sequence[_Token]) -> tuple[int, int, str]:
    first = min(tokens, key=lambda token: token.i)
    last = max(tokens, key=lambda token: token.i)
    span = first.doc[first.i : last.i + 1]
    return span.start_char, span.end_char, span.text


def _quote(triple: _Triple) -> Quote:
    """A (speaker tokens, cue tokens, content span) triple as a direct Quote;
    these peers resolve no pronouns, so the mention is the name."""
    s_start, s_end, s_text = _token_range(triple.speaker)
    c_start, c_end, c_text = _token_range(triple.cue)
    pronoun = all(token.pos_ == "PRON" for token in triple.speaker)
    content = triple.content
    return Quote(
        kind="direct",
        text=content.text,
        start=content.start_char,
        end=content.end_char,
        speaker=Speaker(name=s_text, mention=s_text, start=s_start, end=s_end,
                        resolved_by="pronoun" if pronoun else "named"),
        cue=Cue(text=c_text, lemma=" ".join(token.lemma_ for token in triple.cue),
                start=c_start, end=c_end),
    )


def _prediction(triples: Iterable[_Triple]) -> dict[str, Any]:
    # No "furniture" key: these peers do not look for it, so it is not scored.
    return {"quotes": [asdict(_quote(triple)) for triple in triples]}


def _nlp() -> Any:
    from ..nlp import load_nlp

    return load_nlp()


def _build_quotetrail() -> Extractor:
    import quotetrail

    _nlp()  # load the model now, so that throughput counts extraction only
    return lambda text: quotetrail.extract(text).to_dict()


def _build_textacy() -> Extractor:
    triples = _import_peer("textacy.extract.triples", "textacy")
    nlp = _nlp()
    return lambda text: _prediction(triples.direct_quotations(nlp(text)))


def _build_sayswho() -> Extractor:
    # Only sayswho's quote finder: its coreference step needs a model that is
    # fetched from outside any package registry.
    finder = _import_peer("sayswho.quote_finder", "sayswho")
    nlp = _nlp()
    return lambda text: _prediction(finder.quote_finder(nlp(text)))


TOOLS: dict[str, Tool] = {
    tool.name: tool
    for tool in (
        Tool("quotetrail", _build_quotetrail),
        Tool("textacy", _build_textacy),
        Tool("sayswho", _build_sayswho),
    )
}


def build_tool(name: str) -> Extractor:
    """Raises PeerMissingError when a peer's package is absent."""
    if name not in TOOLS:
        raise ValueError(f"unknown tool {name!r}; known tools: {', '.join(TOOLS)}")
    return TOOLS[name].build()
