"""Time the attribute and link stages on one long line of text (no newline): many short
quoted sentences with "said" frames, then an "according to" chain. Both stages should grow
near-linearly with the length.

    python bench/long_text.py [--sizes 50000,100000,250000] [--profile]
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import time

NAMES = ("Ilona Varga", "Tobias Lindqvist", "Mireille Achterberg", "Kofi Mensah", "Renata Oyelaran")
OUTLETS = ("the Harbour Gazette", "Radio Kestrel", "the Valley Courier")


def long_line(size: int) -> str:
    """One paragraph of about size characters: quoted sentences with cues, then reported chains."""
    parts: list[str] = []
    length, number = 0, 0
    while length < size:
        name = NAMES[number % len(NAMES)]
        outlet = OUTLETS[number % len(OUTLETS)]
        if number % 3 == 2:
            sentence = (f"According to {outlet}, {name} said the council would review plan {number} "
                        f"before the vote, according to a report by {OUTLETS[(number + 1) % len(OUTLETS)]}.")
        else:
            sentence = f"“We will reopen depot {number} next week,” {name} said."
        parts.append(sentence)
        length += len(sentence) + 1
        number += 1
    return " ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="50000,100000,250000")
    parser.add_argument("--profile", action="store_true", help="print the top functions of the largest size")
    args = parser.parse_args()
    from quotetrail.attribute import find_attributions
    from quotetrail.clean import clean
    from quotetrail.link import link
    from quotetrail.nlp import load_nlp

    nlp = load_nlp()
    print(f"{'characters':>10} {'parse s':>8} {'attribute s':>12} {'link s':>8} {'quotes':>7}")
    for size in (int(value) for value in args.sizes.split(",")):
        text = long_line(size)
        cleaned = clean(text)
        started = time.perf_counter()
        doc = nlp(text)
        parsed = time.perf_counter()
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        attributions = find_attributions(doc, cleaned)
        attributed = time.perf_counter()
        article = link(doc, cleaned, attributions)
        linked = time.perf_counter()
        if profiler:
            profiler.disable()
        print(f"{len(text):>10,} {parsed - started:>8.1f} {attributed - parsed:>12.2f} {linked - attributed:>8.2f} "
              f"{len(article.quotes):>7,}", flush=True)
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
