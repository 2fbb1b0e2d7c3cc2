"""The accurate tier: a fine-tuned transformer tagger (ONNX Runtime + tokenizers)
producing the fast tagger's records (see tagger.py and docs/accurate.md).

This module imports nothing heavy: the command line checks, before any work,
that what the tier needs is there (require)."""
from __future__ import annotations

import importlib.util
from importlib import resources
from pathlib import Path

from ..errors import ModelMissingError
from ..settings import analysis_from_environment

SHIPPED = "accurate_model"  # under quotetrail/data/
MODEL_FILES = ("model.onnx", "tokenizer.json", "labels.json")
RUNTIME = ("onnxruntime", "tokenizers")  # the [accurate] extra's import names
EXTRA = "pip install 'quotetrail[accurate]'"


def model_directory(requested: str | None = None) -> Path:
    """requested, else $QUOTETRAIL_ACCURATE_MODEL, else the model shipped in the package."""
    requested = requested or analysis_from_environment().accurate_model
    return Path(requested) if requested else Path(str(resources.files("quotetrail") / "data" / SHIPPED))


def missing_runtime(name: str) -> ModelMissingError:
    return ModelMissingError(f"the accurate tier needs {name}, which is not installed: {EXTRA}",
                             setting="accurate_model")


def require(directory: Path) -> None:
    """Raise ModelMissingError naming the first thing the tier lacks: a model file in
    directory, or a run-time package. Loads nothing."""
    missing = [name for name in MODEL_FILES if not (directory / name).is_file()]
    if missing:
        raise ModelMissingError(
            f"accurate model incomplete at {directory}: missing {', '.join(missing)}; reinstall quotetrail, "
            f"or train one with `make model-accurate`", setting="accurate_model")
    for name in RUNTIME:
        if importlib.util.find_spec(name) is None:
            raise missing_runtime(name)


__all__ = ["MODEL_FILES", "RUNTIME", "EXTRA", "model_directory", "require", "missing_runtime"]
