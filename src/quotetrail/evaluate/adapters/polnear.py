"""PolNeAR (Newell, Margolin and Ruths, LREC 2018): brat standoff attributions.

Reads a split folder (text/ and attributions/) or a root holding split
folders (all of them, in name order). Each attribution becomes a gold quote,
its kind set by evaluate/kinds.py's rule (cue and content shape):
its Content is the quote (a discontinuous Content spans its first to last
piece), its Source words the speaker (mention-based), its Cue the cue.
Where several annotators marked an article, the annotator file first in
alphabetical order is used, always, for the quotes; the per-role span scores
(evaluate/roles.py) read every annotator file. Discard and Discuss spans,
which the annotators set aside or left undecided, become optional quotes.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..gold import GoldArticle, GoldQuote
from ..kinds import GoldKind, classify_contents, is_non_response, is_thought_cue, quotation_shape

NAME = "polnear"
_OPTIONAL_TYPES = ("Discard", "Discuss")
_ROLE = re.compile(r"^([A-Za-z-]+?)\d*$")  # "Content2" is a second Content piece
_APPOSITIVE = re.compile(r"\s*[,(]")


@dataclass(frozen=True)
class _TextBound:
    type: str
    pieces: tuple[tuple[int, int], ...]
    text: str


def _is_split(path: Path) -> bool:
    return (path / "text").is_dir() and (path / "attributions").is_dir()


def _splits(path: Path) -> list[Path]:
    if not path.is_dir():
        return []
    if _is_split(path):
        return [path]
    return sorted(child for child in path.iterdir() if _is_split(child))


def accepts(path: Path) -> bool:
    return bool(_splits(path))


def _parse(lines: list[str]) -> tuple[dict[str, _TextBound], list[dict[str, list[str]]]]:
    bounds: dict[str, _TextBound] = {}
    events: list[dict[str, list[str]]] = []
    for line in lines:
        fields = line.rstrip("\n").split("\t")
        if line.startswith("T") and len(fields) == 3:
            kind, _, offsets = fields[1].partition(" ")
            pieces = tuple(sorted(
                (int(start), int(end))
                for start, end in (piece.split() for piece in offsets.split(";"))
            ))
            bounds[fields[0]] = _TextBound(kind, pieces, fields[2])
        elif line.startswith("E") and len(fields) == 2:
            roles: dict[str, list[str]] = defaultdict(list)
            for argument in fields[1].split():
                role, _, target = argument.partition(":")
                match = _ROLE.match(role)
                roles[match.group(1) if match else role].append(target)
            events.append(roles)
    return bounds, events


def _words(bounds: list[_TextBound]) -> str | None:
    return " ".join(bound.text for bound in bounds) or None


def _name_before_appositive(speaker: str | None) -> tuple[str, ...]:
    """PolNeAR's Source runs through appositives and parentheses ("Flynn, a top Trump
    surrogate,", "Sen. Claire McCaskill (D-Mo.)"); the name is what comes before them."""
    name = _APPOSITIVE.split(speaker or "", maxsplit=1)[0].strip()
    return (name,) if name and name != speaker else ()


def _quote(text: str, pieces: tuple[tuple[int, int], ...], shown: str,
           sources: list[_TextBound], cues: list[_TextBound], kind: GoldKind) -> GoldQuote:
    cue = _words(cues)
    speaker = _words(sources)
    return GoldQuote(
        kind=kind,
        text=shown,
        start=pieces[0][0],
        end=max(end for _, end in pieces),
        speaker=speaker,
        speaker_aliases=_name_before_appositive(speaker),
        cue=cue,
        fragments=pieces if len(pieces) > 1 else (),
        speaker_spans=tuple(piece for source in sources for piece in source.pieces),
        cue_spans=tuple(piece for bound in cues for piece in bound.pieces),
        thought=is_thought_cue(cue),
    )


ROLE_TYPES = {"Source": "source", "Cue": "cue", "Content": "content"}


def role_pieces(ann: str) -> dict[str, frozenset[tuple[int, int]]]:
    """role -> every piece of every Source, Cue and Content span of one .ann text."""
    bounds, _ = _parse(ann.splitlines())
    roles: dict[str, set[tuple[int, int]]] = {role: set() for role in ROLE_TYPES.values()}
    for bound in bounds.values():
        if bound.type in ROLE_TYPES:
            roles[ROLE_TYPES[bound.type]].update(bound.pieces)
    return {role: frozenset(pieces) for role, pieces in roles.items()}


def _article(name: str, text: str, ann: str, all_anns: tuple[str, ...] = ()) -> GoldArticle:
    """Kinds come from evaluate/kinds.py's rule. An attribution with no Content
    is kept only when its cue is a non-response ("declined to comment"): a
    no_comment whose span is its cue, as the rule for that kind has it."""
    bounds, events = _parse(ann.splitlines())
    found: list[tuple[tuple[tuple[int, int], ...], str, list[_TextBound], list[_TextBound]]] = []
    for roles in events:
        contents = [bounds[target] for target in roles.get("Content", []) if target in bounds]
        cues = [bounds[target] for target in roles.get("Cue", []) if target in bounds]
        if not contents:
            if not cues or not is_non_response(_words(cues)):
                continue  # nothing attributed: no attribution to find
            contents = cues
        pieces = tuple(sorted(piece for content in contents for piece in content.pieces))
        found.append((pieces, _words(contents) or "",
                      [bounds[target] for target in roles.get("Source", []) if target in bounds], cues))
    kinds = classify_contents([(_words(cues), quotation_shape(text, pieces), shown)
                               for pieces, shown, _, cues in found])
    quotes = [_quote(text, pieces, shown, sources, cues, kind)
              for (pieces, shown, sources, cues), kind in zip(found, kinds)]
    optional = [_quote(text, bound.pieces, bound.text, [], [], quotation_shape(text, bound.pieces))
                for bound in bounds.values() if bound.type in _OPTIONAL_TYPES]
    quotes.sort(key=lambda quote: (quote.start, quote.end))
    return GoldArticle(name=name, corpus=NAME, text=text, quotes=tuple(quotes),
                       optional_quotes=tuple(optional), furniture=None,
                       role_spans=tuple(role_pieces(each) for each in all_anns or (ann,)))


def annotations(folder: Path) -> dict[str, list[Path]]:
    """Article name -> its annotator files in alphabetical order."""
    found: dict[str, list[Path]] = {}
    for ann in sorted(folder.glob("*.ann")):
        found.setdefault(ann.stem.rsplit("_", 1)[0], []).append(ann)
    return found


def load(path: Path) -> list[GoldArticle]:
    articles: list[GoldArticle] = []
    for split in _splits(path):
        for name, anns in sorted(annotations(split / "attributions").items()):
            text_path = split / "text" / f"{name}.txt"
            if not text_path.exists():
                raise FileNotFoundError(f"{anns[0]}: no text file {text_path}")
            texts = tuple(ann.read_text(encoding="utf-8") for ann in anns)
            articles.append(_article(name, text_path.read_text(encoding="utf-8"), texts[0], texts))
    return articles
