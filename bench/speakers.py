"""Who is credited with each quotation, on annotated sets: speaker accuracy on matched quotations,
the wrong-speaker cases with how the speaker was found, and the quotations credited to someone who
never speaks in the piece (a predicted speaker that matches no gold speaker of the article: the
drama teacher named once, the housing development, the royal named inside a quotation).

    python bench/speakers.py [GOLD_DIR ...] [--errors]     (default: tests/realnews-long)
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from quotetrail import extract_many
from quotetrail.evaluate import load_gold
from quotetrail.evaluate.scorer import _match, _Words, join_split_quotes, names_match, parse_quote, speaker_matches

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SETS = [ROOT / "tests" / "realnews-long"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path, default=DEFAULT_SETS)
    parser.add_argument("--errors", action="store_true", help="list every wrong speaker")
    args = parser.parse_args()
    articles = [article for path in args.sets if path.exists() for article in load_gold(str(path))]
    if not articles:
        print("no annotated articles found", file=sys.stderr)
        return 1
    right = total = never_speaking = 0
    wrong_by_path: Counter[str] = Counter()
    for article, predicted in zip(articles, extract_many(article.text for article in articles)):
        words = _Words(article.text)
        quotes = join_split_quotes(article.quotes, [parse_quote(q) for q in predicted.to_dict(include_text=True)["quotes"]])
        pairs = _match(article.text, words, article.quotes, quotes, "overlap")
        speakers = {name for quote in (*article.quotes, *article.optional_quotes) if quote.speaker
                    for name in (quote.speaker, *quote.speaker_aliases)}
        for g, p in sorted(pairs.items()):
            gold, pred = article.quotes[g], quotes[p].quote
            total += 1
            if speaker_matches(gold, pred.speaker):
                right += 1
                continue
            how = pred.speaker.resolved_by if pred.speaker else "none"
            wrong_by_path[how] += 1
            silent = pred.speaker is not None and not any(names_match(pred.speaker.name, name) for name in speakers)
            never_speaking += silent
            if args.errors:
                said = f"{pred.speaker.name} ({how}{', never speaks' if silent else ''})" if pred.speaker else "none"
                print(f"{article.name}  gold {gold.speaker!s:30.30}  got {said:50.50}  {gold.text[:60]!r}")
    print(f"\n{len(articles)} articles: speaker right on {right}/{total} matched quotations "
          f"({100 * right / max(total, 1):.1f}%); credited to someone who never speaks: {never_speaking}")
    print("wrong speakers by resolution path: " + ", ".join(f"{how} {n}" for how, n in wrong_by_path.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
