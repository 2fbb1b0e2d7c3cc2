"""The worker-side stage before the pipeline: a raw page becomes article text
and metadata, then the language gate decides whether the pipeline reads it."""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Document, Item
from ..sanitize import clean_item
from . import html, language


@dataclass(frozen=True)
class Preparer:
    """Frozen and small: it travels to worker processes with every chunk."""

    languages: frozenset[str] | None = frozenset({"en"})  # None: every language

    def __call__(self, document: Document) -> Item:
        if document.html is not None:
            extracted = clean_item(html.extract(document))  # page metadata (JSON-LD) may hold surrogates
            if not isinstance(extracted, Document):
                return extracted
            document = extracted
        return language.gate(document, self.languages)
