"""Real saved pages: one NAME.gold.json per page, naming its page ("page":
"NAME.html.gz") in a pages folder kept outside the repository.

Gold quotes are annotated on the benchmark's reference main text (truth.json
beside the pages folder) and must be exact substrings of it. The text scored
is what quotetrail's own HTML extraction makes of the page, so each gold quote
is located there tolerantly (whitespace, quote-mark and dash styles); one the
extraction lost stays in the gold as a miss, marked not located.
"""
from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

from ...inputs import html
from ...model import Document
from ..gold import GoldArticle, GoldQuote, check_kind, is_thought_cue, locate

NAME = "realpages"
SUFFIX = ".gold.json"
PAGES_BELOW = Path("shared") / "eval" / "realnews" / "pages"
TRUTH = "truth.json"

# Characters that vary between the reference text and an extraction of the same page.
_FOLD = {**dict.fromkeys("“”„‟″«»", '"'), **dict.fromkeys("‘’‚‛′", "'"), **dict.fromkeys("‐‑‒–—―", "-"),
         "…": "...", "\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": ""}


class PagesUnavailable(FileNotFoundError):
    """The pages folder is absent: the corpus is skipped, not failed."""


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path] if path.name.endswith(SUFFIX) else []
    return sorted(path.glob("*" + SUFFIX))


def _names_a_page(file: Path) -> bool:
    try:
        return "page" in json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False


def accepts(path: Path) -> bool:
    files = _files(path)
    return bool(files) and _names_a_page(files[0])


def default_pages(gold: Path) -> Path | None:
    """shared/eval/realnews/pages beside the gold folder or any folder above it."""
    for folder in [gold.resolve(), *gold.resolve().parents]:
        if (folder / PAGES_BELOW).is_dir():
            return folder / PAGES_BELOW
    return None


def fold(text: str, drop_spaces: bool) -> tuple[str, list[int]]:
    """`text` with the varying characters folded and whitespace runs made one
    space (or dropped), and for each folded character its offset in `text`."""
    chars: list[str] = []
    origins: list[int] = []
    for offset, char in enumerate(text):
        if char.isspace():
            if drop_spaces or (chars and chars[-1] == " "):
                continue
            char = " "
        for part in _FOLD.get(char, char):
            chars.append(part)
            origins.append(offset)
    return "".join(chars), origins


class Locator:
    """Finds reference-text quotes in an extracted text: exactly, then with
    characters folded, then also ignoring whitespace (an extraction may join
    or split words at inline markup); offsets map back into the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = [fold(text, drop_spaces) for drop_spaces in (False, True)]

    def find(self, needle: str, after: int, taken: set[int]) -> tuple[int, int] | None:
        position = locate(self.text, needle, after, taken)
        if position >= 0:
            return position, position + len(needle)
        for drop_spaces, (folded, origins) in zip((False, True), self.folded):
            wanted = fold(needle, drop_spaces)[0].strip()
            if not wanted:
                continue
            start_after = next((i for i, origin in enumerate(origins) if origin >= after), len(origins))
            folded_taken = {i for i, origin in enumerate(origins) if origin in taken}
            position = locate(folded, wanted, start_after, folded_taken)
            if position >= 0:
                return origins[position], origins[position + len(wanted) - 1] + 1
        return None


def reference_body(entry: dict[str, Any]) -> str:
    """A truth.json body: one string, or (fundus pages) a list of paragraphs."""
    body = entry["body"]
    return "\n\n".join(body) if isinstance(body, list) else body


def _check_in_body(body: str, items: list[dict[str, Any]], where: str) -> None:
    for number, item in enumerate(items):
        text = item.get("text", "")
        if not text or text not in body:
            raise ValueError(f"{where}: quote {number} is not in the page's truth.json body: {text!r}")
        if "\n" in text:
            raise ValueError(f"{where}: quote {number} runs over a paragraph break; split it: {text!r}")


def check_against_truth(data: dict[str, Any], truth: dict[str, Any], where: str) -> None:
    """Raise ValueError unless every quote of a gold file is in its page's reference body."""
    reference = truth.get(str(data.get("page", "")).removesuffix(".gz"))
    if reference is None:
        raise ValueError(f"{where}: page {data.get('page')!r} has no body in {TRUTH}")
    for field in ("quotes", "optional_quotes"):
        _check_in_body(reference_body(reference), data.get(field, []), where)


def _quotes(locator: Locator, items: list[dict[str, Any]], aliases: dict[str, tuple[str, ...]],
            where: str) -> tuple[GoldQuote, ...]:
    quotes: list[GoldQuote] = []
    previous = 0
    for number, item in enumerate(items):
        taken = {quote.start for quote in quotes if quote.located}
        found = locator.find(item["text"], previous, taken)
        speaker, reported = item.get("speaker"), item.get("reported_by")
        start, end = found or (0, 0)
        if found:
            previous = start
        quotes.append(GoldQuote(
            kind=check_kind(item["kind"], f"{where}: quote {number}"),
            text=locator.text[start:end] if found else item["text"],
            start=start,
            end=end,
            speaker=speaker,
            cue=item.get("cue"),
            reported_by=None if reported is None else tuple(reported),
            speaker_aliases=aliases.get(speaker, ()) if speaker else (),
            thought=is_thought_cue(item.get("cue")),
            located=found is not None,
        ))
    return tuple(quotes)


def extracted_text(page: Path) -> str:
    """The article text quotetrail's HTML extraction makes of a saved page; ""
    when it finds none (every gold quote is then a miss)."""
    data = page.read_bytes()
    if page.name.endswith(".gz"):
        data = gzip.decompress(data)
    result = html.extract(html.page(page.name, data, {}))
    return result.text if isinstance(result, Document) else ""


def load_article(file: Path, pages: Path, truth: dict[str, Any]) -> GoldArticle | None:
    """The scored article of one gold file; None (with a message) when its page is absent."""
    data = json.loads(file.read_text(encoding="utf-8"))
    where = str(file)
    page = pages / data["page"]
    check_against_truth(data, truth, where)
    if not page.is_file():
        print(f"skipping {file.name}: no page {page}", file=sys.stderr)
        return None
    locator = Locator(extracted_text(page))
    aliases = {entity: tuple(info.get("aliases", ())) for entity, info in data.get("entities", {}).items()}
    return GoldArticle(
        name=file.name.removesuffix(SUFFIX),
        corpus=NAME,
        text=locator.text,
        quotes=_quotes(locator, data.get("quotes", []), aliases, where),
        optional_quotes=_quotes(locator, data.get("optional_quotes", []), aliases, where),
        furniture=None,
    )


def load(path: Path, pages: Path | None = None) -> list[GoldArticle]:
    folder = pages or default_pages(path if path.is_dir() else path.parent)
    if folder is None or not folder.is_dir():
        raise PagesUnavailable(f"{path}: the saved pages are not at {folder or PAGES_BELOW} (see --pages)")
    truth_path = folder.parent / TRUTH
    if not truth_path.is_file():
        raise PagesUnavailable(f"{path}: no {TRUTH} beside the pages at {folder}")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    articles = [load_article(file, folder, truth) for file in _files(path)]
    return [article for article in articles if article is not None]
