"""The accurate tier against the fast one: tagger-alone accuracy on PolNeAR dev
and speed on its real news text.

Accuracy: per-role (Source, Cue, Content) exact span P/R/F1 of each tagger
alone, on the fast tagger's own gold (train/polnear.py: one paragraph per
line, spans as whole spaCy tokens) -- the figures spaCy reports for the fast
tagger at training time (meta.json), so both tiers are scored alike.

Speed: each tier in a fresh process over the dev articles' text, CPU seconds
of the timed loop (all threads, so ONNX Runtime's count too): bare spaCy
(the pipeline the tool parses with), spaCy + the fast tagger, spaCy + the
accurate tagger; words per CPU-second and peak RSS.

    python bench/accurate.py [--polnear ../shared/eval/polnear] [--model DIR] [--tiers spacy fast accurate]
                             [--articles N] [--skip-speed] [--skip-accuracy]
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def accuracy(polnear: Path, model: Path | None, tiers: tuple[str, ...]) -> dict[str, dict]:
    import spacy

    from quotetrail.nlp import load_accurate_tagger, load_attribution_model
    from quotetrail.train.accurate import read_split, role_scores, snap

    articles = read_split(polnear / "dev", spacy.blank("en").tokenizer)
    figures = {}
    if "fast" in tiers:
        fast = load_attribution_model()
        paragraphs = [para for article in articles for para in article.paragraphs]
        tagged = fast.pipe([fast.make_doc(para.doc.text) for para in paragraphs], batch_size=256)
        figures["fast"] = role_scores((para.gold, {(ent.label_, ent.start, ent.end) for ent in doc.ents})
                                      for para, doc in zip(paragraphs, tagged))
    if "accurate" not in tiers:
        return figures
    accurate = load_accurate_tagger(model)
    found = accurate.spans([article.text for article in articles])
    figures["accurate"] = role_scores((para.gold, spans) for article, article_spans in zip(articles, found)
                                      for para, spans in zip(article.paragraphs, snap(article, article_spans)))
    return figures


def paragraphs_of(doc) -> list[range]:
    """Token ranges between line breaks."""
    cuts = [token.i for token in doc if "\n" in token.text]
    bounds = [-1, *cuts, len(doc)]
    return [range(a + 1, b) for a, b in zip(bounds, bounds[1:]) if b > a + 1]


def speed(tier: str, polnear: Path, model: Path | None, limit: int | None) -> dict[str, float]:
    from quotetrail.attribute.learned import tag
    from quotetrail.nlp import load_accurate_tagger, load_attribution_model, load_nlp

    texts = [path.read_text(encoding="utf-8") for path in sorted((polnear / "dev" / "text").glob("*.txt"))[:limit]]
    nlp = load_nlp()
    fast = load_attribution_model() if tier == "fast" else None
    accurate = load_accurate_tagger(model) if tier == "accurate" else None
    if accurate is not None:
        accurate.spans(["Warm-up: the agency said it would wait."])
    nlp("Warm-up: the agency said it would wait.")
    started, cpu = time.perf_counter(), time.process_time()
    words = 0
    for doc in nlp.pipe(texts, batch_size=16):
        words += sum(1 for token in doc if not token.is_space and not token.is_punct)
        if fast is not None:
            tag(fast, [(doc, paragraphs_of(doc))])
        if accurate is not None:
            accurate.tag([(doc, paragraphs_of(doc))])
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"tier": tier, "articles": len(texts), "words": words, "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
            "words_per_cpu_s": round(words / cpu),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polnear", type=Path, default=ROOT.parent / "shared" / "eval" / "polnear")
    parser.add_argument("--model", type=Path, default=None, help="accurate model directory (default: the shipped one)")
    parser.add_argument("--tiers", nargs="+", choices=("spacy", "fast", "accurate"),
                        default=["spacy", "fast", "accurate"])
    parser.add_argument("--articles", type=int, default=None, help="time the first N dev articles only")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--tier", choices=("spacy", "fast", "accurate"), help=argparse.SUPPRESS)  # one speed run
    args = parser.parse_args()
    if args.tier:
        print(json.dumps(speed(args.tier, args.polnear, args.model, args.articles)))
        return
    if not args.skip_accuracy:
        for tier, figures in accuracy(args.polnear, args.model, tuple(args.tiers)).items():
            print(f"{tier:9s} dev per-role exact F1 (P/R): " + "  ".join(
                f"{role} {f['f']} ({f['p']}/{f['r']})" for role, f in figures.items()), flush=True)
    if not args.skip_speed:
        for tier in args.tiers:
            command = [sys.executable, __file__, "--polnear", str(args.polnear), "--tier", tier]
            if args.articles:
                command += ["--articles", str(args.articles)]
            if args.model:
                command += ["--model", str(args.model)]
            result = subprocess.run(command, capture_output=True, text=True, check=True)
            print(result.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
