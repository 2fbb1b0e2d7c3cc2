"""Did X really say this, and where first? The answer for a pasted wording, from the
candidate quotations a corpus proposes (its full-text or MinHash candidates) and the
copies of a cluster, both handed in: this module reads no storage."""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

from .build import build
from .match import match
from .records import Copy
from .speakers import same_speaker
from .verdict import verdict


def verify(query: str, candidates: Iterable[tuple[Hashable, str, Hashable]],
           copies_of: Callable[[Hashable], list[Copy]], speaker: str | None = None,
           outlets: Iterable[str] = ()) -> dict[str, Any]:
    """verdict()'s JSON for the cluster the query best matches. candidates: (quote id, text,
    cluster id) of stored quotations; copies_of(cluster id): that cluster's copies. The best
    cluster holds the best match (most of the query's words, then the most contiguous), and
    among equals the one with most copies; with a speaker, among equals those with a copy crediting
    them first. "also" lists the other clusters matched, best first."""
    rows = list(candidates)
    found = match(query, ((quote_id, text) for quote_id, text, _ in rows))
    if not found:
        return verdict(query, None)
    cluster_of = {quote_id: cluster_id for quote_id, _, cluster_id in rows}
    ranked: list[Hashable] = list(dict.fromkeys(cluster_of[item.id] for item in found))
    best_score = (found[0].coverage, found[0].density)
    tied = [cluster_of[item.id] for item in found if (item.coverage, item.density) == best_score]
    copies = {cluster_id: copies_of(cluster_id) for cluster_id in dict.fromkeys(tied)}
    credits = lambda cluster_id: bool(speaker) and any(  # noqa: E731
        same_speaker(speaker, copy.speaker) for copy in copies[cluster_id])
    chosen = max(copies, key=lambda cluster_id: (credits(cluster_id), len(copies[cluster_id])))
    answer = verdict(query, build(copies[chosen], outlets) if copies[chosen] else None, speaker)
    answer["cluster"] = chosen
    answer["also"] = [cluster_id for cluster_id in ranked if cluster_id != chosen]
    return answer
