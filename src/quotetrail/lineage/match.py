"""Near-duplicate matching: a pasted wording against candidate quotations.

The corpus proposes candidates (corpus/trace.py: FTS words or MinHash bands
of word bigrams); trace keeps a candidate only when it holds every word of the
query, so a query with one wrong word or a typo finds nothing. Here a
candidate matches when most of the query's words occur in it in order
(difflib's matching blocks over words), after each query word missing from the
candidate is replaced by its closest spelling there (a typo, "Lukashenko" for
"Lukaschenko"). A partial query matches the whole quotation it came from.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from .words import lists, token_words

# Share of the query's words found in order in a candidate for it to match.
COVERAGE = 0.6
MIN_QUERY = 3
# A misspelt word stands for a candidate's word this close (difflib ratio).
SPELLING = 0.8
# Two quotations are one when this share of the shorter's word pairs occur in the longer
# (and at least MIN_SHARED pairs): a trim, a paraphrase with its pronouns shifted.
RELATED = 0.6
MIN_SHARED = 3
INFORMATIVE = 2


@dataclass(frozen=True)
class Match:
    id: Hashable
    text: str
    coverage: float  # share of the query's words found in order
    density: float  # those words over the stretch of the candidate they span: 1.0 when contiguous


def _words(text: str) -> list[str]:
    return list(token_words(text))


class _Spelling:
    """The closest spelling of a query word among a candidate's words, as difflib's
    get_close_matches(word, words, 1, SPELLING) picks it, with each pair of words scored once
    per query: a search proposes dozens of candidates sharing most of their words, and
    get_close_matches, which rebuilds its matcher per call, was most of a verify's time."""

    def __init__(self) -> None:
        self.scores: dict[tuple[str, str], float] = {}

    def _score(self, word: str, other: str) -> float:
        key = (word, other)
        if key not in self.scores:
            # get_close_matches's cheap upper bounds first, then the ratio itself.
            score = 0.0
            if 2 * min(len(word), len(other)) >= SPELLING * (len(word) + len(other)):
                matcher = SequenceMatcher(None, other, word)
                score = matcher.ratio() if matcher.quick_ratio() >= SPELLING else 0.0
            self.scores[key] = score
        return self.scores[key]

    def closest(self, word: str, vocabulary: set[str]) -> str:
        best = max(((score, other) for other in vocabulary if (score := self._score(word, other)) >= SPELLING),
                   default=None)
        return word if best is None else best[1]


def _aligned(query: list[str], candidate: list[str], spelling: _Spelling) -> tuple[int, int]:
    """Query words found in order in the candidate, and the candidate words their stretch spans."""
    vocabulary = set(candidate)
    spelt = [word if word in vocabulary or len(word) < 4 else spelling.closest(word, vocabulary) for word in query]
    blocks = [block for block in SequenceMatcher(None, spelt, candidate, autojunk=False).get_matching_blocks()
              if block.size]
    if not blocks:
        return 0, 0
    return sum(block.size for block in blocks), blocks[-1].b + blocks[-1].size - blocks[0].b


def match(query: str, candidates: Iterable[tuple[Hashable, str]], coverage: float = COVERAGE) -> list[Match]:
    """The candidates (id, text) the query is a near-duplicate of, best first. A query of
    fewer than MIN_QUERY words only finds a quotation of exactly those words ("No comment"):
    a word or two occur in too many quotations to say which one was meant."""
    wanted = _words(query)
    if not wanted:
        return []
    found = []
    spelling = _Spelling()
    for key, text in candidates:
        words = _words(text)
        if len(wanted) < MIN_QUERY:
            if words == wanted:
                found.append(Match(key, text, 1.0, 1.0))
            continue
        found_words, stretch = _aligned(wanted, words, spelling)
        share = found_words / len(wanted)
        if share >= coverage:
            found.append(Match(key, text, round(share, 3), round(found_words / stretch, 3) if stretch else 0.0))
    return sorted(found, key=lambda item: (-item.coverage, -item.density))


def related(first: str, second: str) -> bool:
    """Whether two quotations are copies of one: most word pairs of the shorter occur in the
    longer, counting all words (a trim) or only content words (a paraphrase: indirect speech
    changes pronouns, articles and auxiliaries, and may reorder clauses). Containment, not
    trace.same's Jaccard, so a heavy trim or an indirect paraphrase joins the quotation it
    came from; meant for pairs a candidate search (MinHash bands, FTS) has already proposed."""
    function_words = lists().function_words
    one, other = _words(first), _words(second)
    return _contained(one, other, function_words) or _contained(
        [word for word in one if word not in function_words], [word for word in other if word not in function_words],
        function_words)


def _contained(one: list[str], other: list[str], function_words: frozenset[str]) -> bool:
    """Most of the shorter's word pairs in the longer, and at least INFORMATIVE of the shared
    pairs holding a word that is no function word ("when I was in" ties nothing together)."""
    pairs, other_pairs = set(zip(one, one[1:])), set(zip(other, other[1:]))
    shorter, longer = (pairs, other_pairs) if len(pairs) <= len(other_pairs) else (other_pairs, pairs)
    shared = shorter & longer
    informative = sum(1 for pair in shared if not set(pair) <= function_words)
    return len(shared) >= MIN_SHARED and len(shared) >= RELATED * len(shorter) and informative >= INFORMATIVE
