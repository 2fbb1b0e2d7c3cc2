"""The accurate tier: a fine-tuned transformer tagger (ONNX Runtime + tokenizers)
producing the fast tagger's records (see tagger.py and docs/accurate.md)."""
