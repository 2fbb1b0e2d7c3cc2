"""Input readers: what users hold (text and HTML files, URLs, RSS/Atom feeds,
WARC archives, JSONL dumps, directories and globs of them) as one stream of
Document | Failure | Skipped, one small module per kind; `discover` picks the reader."""
from .discover import InputOptions, read_inputs
from .jsonl import Fields
from .prepare import Preparer
from .web import Fetcher

__all__ = ["Fetcher", "Fields", "InputOptions", "Preparer", "read_inputs"]
