"""Hostile documents under the default limits, each in a fresh process (what one extract
or ingest worker holds): peak memory and time.

    python bench/hostile.py [--only quotes|line|chunk] [--doc-timeout SECONDS]

quotes: a 400 KB text of 100,000 short quotations; line: a 1 MB text on one line (news
prose, every fourth sentence quoted); chunk: 32 documents of which the first is slow
(a 400 KB line), with --doc-timeout 5 unless given. Prints, per case: its size, the
outcome (articles or the per-document error), wall seconds and the child's peak RSS
(ru_maxrss). Goals: at most 1.5 GB each; the chunk within 2 x the limit.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

NAMES = ("Ilona Varga", "Tobias Lindqvist", "Mireille Achterberg", "Kofi Mensah", "Renata Oyelaran")
OUTLETS = ("the Harbour Gazette", "Radio Kestrel", "the Valley Courier")
STORY = ("Harbour chief Maria Delgado said the port would reopen on Monday after a week of talks.\n"
         "“We have the cranes back and the crews are ready,” Delgado said.\n")


def one_line(size: int) -> str:
    """News prose of about size characters without a line break; every fourth sentence quoted."""
    sentences = []
    length = 0
    while length < size:
        number = len(sentences)
        name, outlet = NAMES[number % len(NAMES)], OUTLETS[number % len(OUTLETS)]
        sentence = (f"“We will reopen depot {number} next week,” {name} said." if number % 4 == 0 else
                    f"According to {outlet}, {name} said the council would review plan {number} before the vote.")
        sentences.append(sentence)
        length += len(sentence) + 1
    return " ".join(sentences)[:size]


def texts(kind: str) -> list[str]:
    if kind == "quotes":
        return ['"a" ' * 100_000]  # 400,000 characters, 200,000 quotation marks
    if kind == "line":
        return [one_line(999_000)]
    return [one_line(400_000)] + [STORY.replace("Monday", f"day {number}") for number in range(31)]


def child(kind: str, doc_timeout: float) -> None:
    from quotetrail import batch
    from quotetrail.model import Document
    from quotetrail.nlp import load_nlp, load_tagger
    from quotetrail.settings import analysis_from_environment

    load_nlp(), load_tagger(analysis_from_environment())  # the models, outside the time below
    documents = [Document(f"{kind}{number}", text, {}) for number, text in enumerate(texts(kind))]
    started = time.monotonic()
    outcomes = list(batch.run(documents, doc_timeout=doc_timeout))
    seconds = time.monotonic() - started
    articles = [outcome.article for outcome in outcomes if outcome.article is not None]
    errors = sorted({(outcome.failure or outcome.skipped).reason for outcome in outcomes  # type: ignore[union-attr]
                     if outcome.article is None})
    print(f"{len(articles)} articles ({sum(len(article.quotes) for article in articles)} quotations)"
          + (f", errors: {'; '.join(errors)}" if errors else "") + f", in {seconds:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=("quotes", "line", "chunk"))
    parser.add_argument("--doc-timeout", type=float)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.doc_timeout)
        return
    for kind in [args.only] if args.only else ["quotes", "line", "chunk"]:
        limit = args.doc_timeout or (5.0 if kind == "chunk" else 30.0)
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, __file__, "--child", kind, "--doc-timeout", str(limit)],
                                   stdout=subprocess.PIPE, text=True)
        output = process.stdout.read().strip()  # type: ignore[union-attr]
        _, status, usage = os.wait4(process.pid, 0)
        size = sum(map(len, texts(kind)))
        print(f"{kind}: {size:,} chars in {len(texts(kind))} documents, limit {limit:g} s: "
              f"{output or f'exit status {status}'} ({time.monotonic() - started:.1f} s with start-up); "
              f"peak RSS {usage.ru_maxrss / 1024 ** 2:.2f} GB")


if __name__ == "__main__":
    main()
