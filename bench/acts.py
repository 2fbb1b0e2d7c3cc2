"""Score the describe stage (quotetrail.acts) against the hand annotation in tests/acts-gold.

Runs the real pipeline (parse, attribute, link, describe) on each annotated article, matches
each gold attribution to the predicted quotation whose content span overlaps it most, and
prints, over the matched ones:
  act accuracy; addressee, setting and target precision / recall / F1 (a party is right when
  its span overlaps the gold span; a setting when its kind is the gold kind and its span
  overlaps the gold span; "kind only" ignores the span);
and the seed example check: the Newsmax interview as the setting of Lukashenko's statements.

Four sets, scored apart: "dev" (tests/dev-set and the seed example, used while building),
"held-out" (the real pages of tests/realnews-dev: scored once when the stage was built, then
used to improve it), "fresh" (real pages outside tests/realnews-dev, annotated after that) and
"targets" (real pages picked for their accusations, warnings and demands, annotated in full
before the stage's output on them was seen, to measure targets on more cases).
Real pages are read from ../shared as `quotetrail eval` reads them: quotetrail's own HTML
extraction, gold located tolerantly.

    python bench/acts.py [--set dev|held-out|fresh|targets|all] [--errors]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from quotetrail.acts import Description, describe, interview_outlets  # noqa: E402
from quotetrail.evaluate.adapters.realpages import Locator, extracted_text, reference_body  # noqa: E402
from quotetrail.model import Article  # noqa: E402
from quotetrail.nlp import load_nlp  # noqa: E402
from quotetrail.pipeline import analyse  # noqa: E402

GOLD = ROOT / "tests" / "acts-gold"
SHARED = ROOT.parent / "shared"
PAGES = SHARED / "eval" / "realnews" / "pages"
SEED = "000_ae956351d3660448"
FIELDS = ("addressee", "setting", "target")


def _text_and_spans(data: dict, name: str) -> tuple[str, dict | None] | None:
    """The text the pipeline reads, and for a real page a Locator for the gold spans (offsets
    into the page's reference body); None when the page is absent."""
    if data.get("page") is None:
        for folder in (ROOT / "tests" / "dev-set", SHARED / "examples"):
            if (folder / f"{name}.txt").is_file():
                return (folder / f"{name}.txt").read_text("utf-8"), None
        return None
    page = PAGES / data["page"]
    if not page.is_file():
        return None
    truth = json.loads((PAGES.parent / "truth.json").read_text("utf-8"))
    body = reference_body(truth[data["page"].removesuffix(".gz")])
    return extracted_text(page), {"body": body}


def _moved(item: dict | None, body: str | None, locator: Locator | None, near: tuple[int, int]) -> dict | None:
    """A gold span in the scored text: as is for our own texts; for a real page, the occurrence
    of its words nearest the located quotation, before or after it ("Reuters" in the byline is
    not the one told); as tests/acts-gold/build.py places it in the page's reference body."""
    if item is None or locator is None or body is None:
        return item
    needle, taken, best = body[item["start"]:item["end"]], set(), None
    for _ in range(200):
        found = locator.find(needle, 0, taken)
        if found is None or found[0] in taken:
            break
        taken.add(found[0])
        if best is None or _gap(found, near) < _gap(best, near):
            best = found
    return None if best is None else {**item, "start": best[0], "end": best[1]}


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    return max(0, b[0] - a[1], a[0] - b[1])


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _predicted(description: Description, field: str) -> dict | None:
    value = getattr(description, field)
    if value is None:
        return None
    return {"start": value.start, "end": value.end, "text": value.text, "type": getattr(value, "kind", None)}


class Score:
    def __init__(self) -> None:
        self.gold_total = self.matched = self.act_right = 0
        self.counts = {field: Counter() for field in (*FIELDS, "setting kind")}
        self.acts = Counter()
        self.errors: list[str] = []

    def field(self, name: str, gold: dict | None, guess: dict | None, right: bool, where: str) -> None:
        counts = self.counts[name]
        if gold and guess and right:
            counts["tp"] += 1
            return
        if guess:
            counts["fp"] += 1
        if gold:
            counts["fn"] += 1
        if gold or guess:
            self.errors.append(f"  {where} {name}: gold {gold and (gold.get('type'), gold['text'])} "
                               f"got {guess and (guess.get('type'), guess['text'])}")

    def report(self, label: str) -> None:
        print(f"{label}: {self.gold_total} gold attributions, {self.matched} matched by a predicted quotation")
        if self.matched:
            print(f"  act accuracy {self.act_right / self.matched:.1%} ({self.act_right}/{self.matched})")
        for name, counts in self.counts.items():
            tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
            precision = tp / (tp + fp) if tp + fp else 0.0
            recall = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            print(f"  {name:<14} P {precision:6.1%}  R {recall:6.1%}  F1 {f1:6.1%}  (tp {tp}, fp {fp}, fn {fn})")
        print("  gold acts: " + ", ".join(f"{act} {count}" for act, count in self.acts.most_common()))


def score_article(nlp, name: str, data: dict, score: Score) -> tuple[Article, list[Description]] | None:
    loaded = _text_and_spans(data, name)
    if loaded is None:
        print(f"skipping {name}: its text is not in ../shared", file=sys.stderr)
        return None
    text, real = loaded
    body = real["body"] if real else None
    locator = Locator(text) if real else None
    doc = nlp(text)
    article = analyse(doc, text)
    descriptions = describe(doc, article)
    spans = [(quote.start, quote.end) for quote in article.quotes]
    for entry in data["attributions"]:
        score.gold_total += 1
        score.acts[entry["act"]] += 1
        quote = _moved(entry["quote"], body, locator, (entry["quote"]["start"], entry["quote"]["end"]))
        if quote is None:
            score.errors.append(f"  {name}: gold quote not in the extracted text: {entry['quote']['text']!r}")
            continue
        overlaps = [_overlap((quote["start"], quote["end"]), span) for span in spans]
        best = max(range(len(spans)), key=overlaps.__getitem__, default=None)
        if best is None or overlaps[best] == 0:
            score.errors.append(f"  {name}: no predicted quotation for {entry['quote']['text']!r}")
            continue
        score.matched += 1
        description = descriptions[best]
        where = f"{name} {entry['quote']['text'][:40]!r}"
        if description.act == entry["act"]:
            score.act_right += 1
        else:
            score.errors.append(f"  {where} act: gold {entry['act']} got {description.act} ({description.act_by},"
                                f" cue {article.quotes[best].cue and article.quotes[best].cue.text!r})")
        for field in FIELDS:
            gold = _moved(entry[field], body, locator, (quote["start"], quote["end"]))
            guess = _predicted(description, field)
            right = bool(gold and guess and _overlap((gold["start"], gold["end"]), (guess["start"], guess["end"])))
            if field == "setting":
                kind_right = bool(gold and guess and gold["type"] == guess["type"])
                score.field("setting kind", gold, guess, kind_right, where)
                right = right and kind_right
            score.field(field, gold, guess, right, where)
    return article, descriptions


def seed_check(article: Article, descriptions: list[Description]) -> None:
    theirs = [(quote, description) for quote, description in zip(article.quotes, descriptions)
              if quote.speaker and quote.speaker.name == "Alexander Lukashenko"]
    interview = [d for _, d in theirs if d.setting and d.setting.kind == "interview" and d.setting.outlet == "Newsmax"]
    print(f"seed example: {len(interview)} of {len(theirs)} statements by Alexander Lukashenko have the setting "
          f"'interview' with Newsmax; interviewing outlets: {interview_outlets(descriptions)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=("dev", "held-out", "fresh", "targets", "all"), default="dev")
    parser.add_argument("--errors", action="store_true", help="list each disagreement")
    args = parser.parse_args()
    nlp = load_nlp()
    sets = {"dev": Score(), "held-out": Score(), "fresh": Score(), "targets": Score()}
    for file in sorted(GOLD.glob("*.acts.json")):
        data = json.loads(file.read_text("utf-8"))
        label = data["set"]
        if args.set not in (label, "all"):
            continue
        name = file.name.removesuffix(".acts.json")
        result = score_article(nlp, name, data, sets[label])
        if name == SEED and result:
            seed_check(*result)
    for label, score in sets.items():
        if args.set in (label, "all"):
            score.report(label)
            if args.errors:
                print("\n".join(score.errors))


if __name__ == "__main__":
    main()
