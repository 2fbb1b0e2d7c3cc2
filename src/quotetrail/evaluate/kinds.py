"""The kind of a GOLD attribution, read from the gold itself: its cue and the
shape of its content, never from what a tool predicted.

The rule, first that applies:
1. `no_comment`: the cue is a non-response ("declined to comment", "did not
   respond", "could not be reached", "no comment"...), or a bare "declined"
   or "refused" whose content is the answer refused ("to comment"); see
   is_non_response. Refusing to act ("refused to endorse him") is not one.
2. `belief`: the cue is a thought, expectation or intention ("believes",
   "expects", "fears", "hopes", "wants", "plans"); see THOUGHT_LEMMAS.
3. `direct` / `mixed`: the content is quoted words: one pair of double marks
   around the whole content, or marks inside it (kind_of).
4. `indirect`: the content is a clause: it opens with a complementiser
   ("that" parsed as one, "whether", a wh-word), or a sentence of it has a verb for root
   that is finite or has a subject, auxiliary or infinitival "to"
   ("the plan was dead", "to cut taxes", "him to resign").
5. `stance`: anything else: a noun phrase or a gerund ("the allegations",
   "an inquiry into the crash", "taking the money").

Hand-made gold (tests/dev-set, tests/realnews-dev) states its kinds, set by
the same rule by the annotator; corpora without kinds (PolNeAR) are
classified here, the content shape read by spaCy's parse (content_is_clause).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal, get_args

GoldKind = Literal["direct", "mixed", "indirect", "stance", "belief", "no_comment"]
KINDS: tuple[GoldKind, ...] = get_args(GoldKind)
# Someone's words: the heart of the product and of the real-page target.
QUOTATION_KINDS: frozenset[str] = frozenset({"direct", "mixed", "indirect"})

OPEN_DOUBLE = "“\"«‹"
CLOSE_DOUBLE = "”\"»›"
# Single marks count only as a ‘pair’: a lone ’ is far more often an apostrophe.
_SINGLE_PAIR = re.compile(r"(?<!\w)‘\w.*?’(?!\w)", re.DOTALL)

# Cues that attribute a thought, wish, expectation or plan rather than speech.
THOUGHT_LEMMAS = frozenset(
    "believe belief think thought want hope expect expectation fear feel know knowledge plan "
    "intend intention seem appear wish worry suspect suspicion assume assumption doubt "
    "consider guess imagine understand realize realise suppose aim prefer desire view opinion wonder".split()
)
_IRREGULAR = {"knew": "know", "known": "know", "felt": "feel", "understood": "understand"}

# Saying nothing: the verbs a refusal or a negation turns into a non-response.
_ANSWERING = (r"(?:comment|discuss|answer|elaborat|respond|repl|specify|say|speak|confirm|disclos|name|detail"
              r"|identify|reveal|state|give|provide|return|reach|available)")
# A cue saying that someone did not answer: declined or refused to comment (to
# say, to name...), a negated answer, reply or comment, no comment.
NON_RESPONSE = re.compile(
    r"\b(?:declin|refus)\w*\b.*\b" + _ANSWERING
    + r"|\bno(?:t|n)?[ -]?comment|(?:\bnot|n['’]t|\bnever)\b.*\b" + _ANSWERING
    + r"|\bunavailable\b|\bwithout comment\b",
    re.IGNORECASE,
)
# A bare "declined" or "refused" whose content says what was refused ("to comment").
_BARE_REFUSAL = re.compile(r"\b(?:declin|refus)\w*\s*$", re.IGNORECASE)
_REFUSED_ANSWER = re.compile(r"^\W*(?:\w+\s+){0,3}?to\s+" + _ANSWERING, re.IGNORECASE)
# Thought cues of more than one word.
_THOUGHT_PHRASES = re.compile(r"\bwould (?:like|love|prefer)\b|\bcount\w* on\b", re.IGNORECASE)

# Content openers that make it a clause whatever the parse says ("that" only
# where the parser reads it as a complementiser, not in "that characterization").
_COMPLEMENTISERS = frozenset("whether if how why what when where who whom which".split())
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
_CLAUSE_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl", "aux", "auxpass", "mark"})


def cue_words(cue: str) -> list[str]:
    return re.findall(r"\w+", cue.casefold())


def _base_forms(word: str) -> set[str]:
    """Crude inflection stripping: enough to tell 'believes', 'planned' or
    'worried' from 'said' without a tagger."""
    forms = {word, _IRREGULAR.get(word, word)}
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""),
                                ("ed", "e"), ("d", ""), ("ing", ""), ("ing", "e")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)] + replacement
            forms.add(stem)
            if len(stem) > 2 and stem[-1] == stem[-2]:  # planned, planning
                forms.add(stem[:-1])
    return forms


def is_thought_cue(cue: str | None) -> bool:
    return cue is not None and (any(_base_forms(word) & THOUGHT_LEMMAS for word in cue_words(cue))
                                or _THOUGHT_PHRASES.search(cue) is not None)


def is_non_response(cue: str | None, content: str = "") -> bool:
    """The cue is a non-response, or a bare refusal whose content is an answer
    refused ("declined" + "to comment"); refusing to act ("refused to endorse")
    is not one."""
    if cue is None:
        return False
    return NON_RESPONSE.search(cue) is not None or (
        _BARE_REFUSAL.search(cue) is not None and _REFUSED_ANSWER.search(content) is not None)


def kind_of(text: str, start: int, end: int) -> Literal["direct", "mixed", "indirect"]:
    """'direct' when one pair of double marks encloses the whole span (a mark
    just outside the span counts: annotators often leave it out), 'mixed' when
    the span holds quote marks, else 'indirect'."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:!?"):
        end -= 1
    if start > 0 and text[start - 1] in OPEN_DOUBLE and text[start] not in OPEN_DOUBLE:
        start -= 1
    after = end  # a closing mark after the span's own trailing punctuation ("We will win,” he said)
    while after < len(text) and text[after] in ".,;:!?":
        after += 1
    if after < len(text) and text[after] in CLOSE_DOUBLE and text[end - 1] not in CLOSE_DOUBLE:
        end = after + 1
    span = text[start:end]
    if len(span) >= 2 and span[0] in OPEN_DOUBLE and span[-1] in CLOSE_DOUBLE:
        closing = CLOSE_DOUBLE[OPEN_DOUBLE.index(span[0])]
        if closing not in span[1:-1]:
            return "direct"
    if any(mark in span for mark in OPEN_DOUBLE + CLOSE_DOUBLE) or _SINGLE_PAIR.search(span):
        return "mixed"
    return "indirect"


def quotation_shape(text: str, pieces: Sequence[tuple[int, int]]) -> Literal["direct", "mixed", "indirect"]:
    """kind_of over a content's pieces; pieces split only by whitespace (a
    quote running over paragraphs) read as one."""
    runs: list[tuple[int, int]] = []
    for start, end in pieces:
        if runs and not text[runs[-1][1]:start].strip():
            runs[-1] = (runs[-1][0], max(end, runs[-1][1]))
        else:
            runs.append((start, end))
    kinds = {kind_of(text, start, end) for start, end in runs}
    if kinds == {"direct"}:
        return "direct"
    return "indirect" if kinds == {"indirect"} else "mixed"


def content_is_clause(doc) -> bool:  # doc: a spaCy Doc of the content alone (rule 4)
    words = [token for token in doc if not token.is_punct and not token.is_space]
    if not words:
        return False
    if words[0].lower_ in _COMPLEMENTISERS or (words[0].lower_ == "that" and words[0].dep_ == "mark"):
        return True
    for sentence in doc.sents:
        root = sentence.root
        if root.pos_ not in ("VERB", "AUX"):
            continue
        if root.tag_ in _FINITE_TAGS or any(child.dep_ in _CLAUSE_DEPS for child in root.children):
            return True
    return False


def classify(cue: str | None, shape: str, is_clause: bool | None, content: str = "") -> GoldKind:
    """The rule above, given the cue words, quotation_shape() of the content and,
    for unquoted content, whether it is a clause (None: not known, taken as one)."""
    if is_non_response(cue, content):
        return "no_comment"
    if is_thought_cue(cue):
        return "belief"
    if shape in ("direct", "mixed"):
        return shape  # type: ignore[return-value]
    return "stance" if is_clause is False else "indirect"


def classify_contents(items: Sequence[tuple[str | None, str, str]]) -> list[GoldKind]:
    """Kinds of many gold attributions at once: (cue, quotation shape, content
    words). Only unquoted contents whose cue does not decide are parsed, in one
    batch (spaCy's parser; deterministic)."""
    need_parse = [number for number, (cue, shape, words) in enumerate(items)
                  if shape == "indirect" and not is_non_response(cue, words) and not is_thought_cue(cue)]
    clauses: dict[int, bool] = {}
    if need_parse:
        from ..nlp import load_nlp  # the one place that loads models

        nlp = load_nlp()
        unneeded = [name for name in ("ner",) if name in nlp.pipe_names]
        docs = nlp.pipe((items[number][2] for number in need_parse), disable=unneeded, batch_size=256)
        clauses = {number: content_is_clause(doc) for number, doc in zip(need_parse, docs)}
    return [classify(cue, shape, clauses.get(number), words) for number, (cue, shape, words) in enumerate(items)]


__all__ = ["KINDS", "QUOTATION_KINDS", "GoldKind", "THOUGHT_LEMMAS", "classify", "classify_contents",
           "content_is_clause", "cue_words", "is_non_response", "is_thought_cue", "kind_of",
           "quotation_shape"]
