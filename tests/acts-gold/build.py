"""Build NAME.acts.json from the hand annotation in *.acts.txt (see docs/acts.md).

Each annotation line names its quote by position in the project's gold file
(tests/dev-set, tests/realnews-dev or ../shared/examples); this script only
locates the quote and the hand-written span strings in the text (exact
substrings, the occurrence nearest the quote) and writes offsets.

    python tests/acts-gold/build.py tests/acts-gold/dev-set.acts.txt ...
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED = ROOT.parent / "shared"
EXCERPT = 60
# Which scoring set each annotation file feeds (bench/acts.py --set).
SETS = {"dev-set": "dev", "realnews-dev": "held-out", "realnews-fresh": "fresh", "realnews-targets": "targets"}
LINE = re.compile(r"#(\d+)\s+(\w+)\s*\|\s*(.*?)\s*\|\s*(.*?)\s*\|\s*(.*?)\s*$")
# A page without a quotation gold file: the quotation named by an exact excerpt of its content.
EXCERPT_LINE = re.compile(r'"(.+?)"\s+(\w+)\s*\|\s*(.*?)\s*\|\s*(.*?)\s*\|\s*(.*?)\s*$')
SETTING = re.compile(r'(\w+):"(.+?)"(?:@(.+))?$')


def gold_and_body(name: str) -> tuple[dict, str, str | None]:
    if name.startswith("page:"):
        page = name.removeprefix("page:")
        truth = json.loads((SHARED / "eval" / "realnews" / "truth.json").read_text("utf-8"))
        body = truth[page.removesuffix(".gz")]["body"]
        return {"quotes": None}, "\n\n".join(body) if isinstance(body, list) else body, page + ".gz"
    for folder in (ROOT / "tests" / "dev-set", SHARED / "examples"):
        if (folder / f"{name}.gold.json").is_file():
            gold = json.loads((folder / f"{name}.gold.json").read_text("utf-8"))
            return gold, (folder / f"{name}.txt").read_text("utf-8"), None
    gold = json.loads((ROOT / "tests" / "realnews-dev" / f"{name}.gold.json").read_text("utf-8"))
    truth = json.loads((SHARED / "eval" / "realnews" / "truth.json").read_text("utf-8"))
    body = truth[gold["page"].removesuffix(".gz")]["body"]
    return gold, "\n\n".join(body) if isinstance(body, list) else body, gold["page"]


def distance(start: int, end: int, quote: tuple[int, int]) -> int:
    """Characters between a span and a quotation (0 when they touch or overlap)."""
    return max(0, quote[0] - end, start - quote[1])


def nearest(body: str, needle: str, quote: tuple[int, int]) -> tuple[int, int]:
    """The occurrence nearest the quotation, before or after it ("he said he told them" after
    the quotation, not "telling them" in the paragraph before)."""
    hits = [m.start() for m in re.finditer(re.escape(needle), body)]
    if not hits:
        raise ValueError(f"not in the text: {needle!r}")
    start = min(hits, key=lambda hit: distance(hit, hit + len(needle), quote))
    return start, start + len(needle)


def locate(body: str, quote: str, cue: str | None, after: int) -> int:
    """Where a gold quotation is: its first occurrence from `after` (gold quotations run in text
    order), else from the start; a short one ("that", "the allegations") only where its cue
    stands just before it ("disputed that"), since gold lists some attributions out of order."""
    if cue and len(quote) < 30:
        for hit in re.finditer(re.escape(quote), body):
            if cue in body[max(0, hit.start() - len(cue) - 5):hit.start()]:
                return hit.start()
    start = body.find(quote, after)
    return body.find(quote) if start < 0 else start


def span(body: str, needle: str, quote: tuple[int, int]) -> dict | None:
    if needle == "-":
        return None
    start, end = nearest(body, needle, quote)
    return {"start": start, "end": end, "text": body[start:end]}


def build(source: Path) -> None:
    name, entries, gold, body, page, after = None, [], {}, "", None, 0

    def flush() -> None:
        if name is not None:
            if gold["quotes"] is not None and len(entries) != len(gold["quotes"]):
                raise ValueError(f"{name}: {len(entries)} annotations for {len(gold['quotes'])} quotes")
            data = {"about": f"Hand annotation of {name} (see docs/acts.md); built from {source.name}.",
                    "set": SETS[source.name.removesuffix(".acts.txt")], "page": page, "attributions": entries}
            stem = name.removeprefix("page:").removesuffix(".html")
            (HERE / f"{stem}.acts.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")

    for raw in source.read_text("utf-8").splitlines():
        if raw.startswith("== "):
            flush()
            name, entries, after = raw[3:].strip(), [], 0
            gold, body, page = gold_and_body(name)
            continue
        match = LINE.match(raw) or EXCERPT_LINE.match(raw)
        if not match:
            continue
        number, act, addressee, setting, target = match.groups()
        item = None if match.re is EXCERPT_LINE else gold["quotes"][int(number)]
        quote = number if item is None else item["text"]
        start = locate(body, quote, item and item.get("cue"), after)
        if start < 0:
            raise ValueError(f"{name} #{number}: quote not in text")
        after = start
        where = (start, start + len(quote))
        entry = {"quote": {"start": start, "end": start + len(quote), "text": quote[:EXCERPT]},
                 "act": act, "addressee": span(body, addressee, where), "setting": None,
                 "target": span(body, target, where)}
        if setting != "-":
            kind, words, outlet = SETTING.match(setting).groups()
            entry["setting"] = {"type": kind, **span(body, words, where), "outlet": outlet}
        entries.append(entry)
    flush()


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        build(Path(argument))
