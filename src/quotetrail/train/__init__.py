"""Train the attribution tagger on PolNeAR: convert, train with spaCy, keep the best.

`quotetrail train` runs it; the config (attribution.cfg) sits beside this
module, seeds fixed, so a run is reproducible on CPU.
"""
from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

import spacy

from ..attribute.merge import CALIBRATION_KEY
from .polnear import convert

CONFIG = "attribution.cfg"


def config_path() -> Path:
    return Path(str(resources.files(__package__) / CONFIG))


def train(polnear: Path, output: Path, workdir: Path, max_steps: int | None = None,
          eval_frequency: int | None = None, patience: int | None = None) -> Path:
    """Train on polnear/train, pick the checkpoint best on polnear/dev, write it to output.

    workdir holds the converted corpora and spaCy's checkpoints (model-best,
    model-last); output receives model-best. Returns output.
    """
    from spacy.cli.train import train as spacy_train

    corpus = workdir / "corpus"
    tokenizer = spacy.blank("en").tokenizer  # the English rules en_core_web_sm tokenises with
    for split in ("train", "dev"):
        articles, docs = convert(polnear / split, corpus / f"{split}.spacy", tokenizer)
        print(f"{split}: {articles} articles, {docs} paragraphs -> {corpus / f'{split}.spacy'}", flush=True)
    overrides: dict[str, object] = {"paths.train": str(corpus / "train.spacy"),
                                    "paths.dev": str(corpus / "dev.spacy")}
    for key, value in (("training.max_steps", max_steps), ("training.eval_frequency", eval_frequency),
                       ("training.patience", patience)):
        if value is not None:
            overrides[key] = value
    run = workdir / "run"
    spacy_train(config_path(), run, overrides=overrides)
    if output.exists():
        shutil.rmtree(output)
    shutil.copytree(run / "model-best", output)
    return output


def calibrate_on(split: Path, model: Path) -> dict[str, Any]:
    """Run the hybrid pipeline with `model` over a PolNeAR split and store, in
    the model's meta.json, each "method/kind" bucket's share of right quotes
    (span and speaker) and mean uncalibrated confidence. Returns that table."""
    from ..evaluate.adapters.polnear import load
    from ..evaluate.scorer import Score, score_article
    from ..pipeline import extract_many
    from ..settings import Analysis

    meta_path = model / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.pop(CALIBRATION_KEY, None)  # measure the raw confidences
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    articles = load(split)
    found = extract_many((gold.text for gold in articles), analysis=Analysis(attribution_model=str(model)))
    score = sum((score_article(gold, article.to_dict()) for gold, article in zip(articles, found)), Score())
    return write_calibration(model, score.figures()["reliability_by_method"])


def write_calibration(model: Path, by_method: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Store a scorer's reliability_by_method figures (measured with the model
    uncalibrated) as the model's calibration table; returns the table."""
    table = {key: {"precision": round(bucket["precision"], 4),
                   "mean_confidence": round(bucket["mean_confidence"], 4), "quotes": bucket["quotes"]}
             for key, bucket in sorted(by_method.items()) if bucket["quotes"]}
    meta_path = model / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta[CALIBRATION_KEY] = table
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return table


__all__ = ["train", "config_path", "calibrate_on", "write_calibration"]
