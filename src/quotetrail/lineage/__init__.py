"""Quote lineage: every copy of a quotation, where each came from and what it changed
(docs/lineage.md).

    copies = [Copy.of(article, quote, quote_id=..., article_id=..., outlet=..., date=...), ...]
    lineage = build(copies)                 # earliest first, parents, variants
    answer = verdict("pasted words", lineage, speaker="Lukashenko")   # issue 20's JSON
    claim_review(answer, reviewer="Example Fact Check")                # schema.org JSON-LD
    match("pasted words", candidates)       # near-duplicates among (id, text) candidates
    verify("pasted words", candidates, copies_of, speaker="Lukashenko")  # match, then the best cluster's verdict
"""
from .build import build, reference_speaker, timeline
from .match import Match, match, related
from .parents import Reading, Statement, read, resolve, statement
from .records import Appearance, Change, Copy, Lineage, Parent, Variant
from .speakers import same_speaker
from .variants import classify
from .verdict import claim_review, line, verdict
from .verify import verify

__all__ = ["Appearance", "Change", "Copy", "Lineage", "Match", "Parent", "Reading", "Statement", "Variant", "build",
           "claim_review", "classify", "line", "match", "read", "reference_speaker", "related", "resolve",
           "same_speaker", "statement", "timeline", "verdict", "verify"]
