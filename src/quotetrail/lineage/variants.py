"""How a copy of a quotation differs from the earliest copy (docs/lineage.md).

The word sequences are aligned with difflib's SequenceMatcher (standard
library, longest matching blocks first): its opcodes are exactly the
insert/delete/replace list a reader needs, and quotations are short.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher

from .records import Change, Copy, MeaningChange, Variant
from .words import Token, ellipses, lists, numbers, same_words, token_words, tokens

# A four-digit number in this range is a year: changing it changes a date.
YEARS = range(1800, 2200)


def is_direct(kind: str) -> bool:
    """A mixed quotation quotes its words directly, as a direct one does."""
    return kind != "indirect"


def classify(earliest: Copy, copy: Copy) -> Variant:
    """The variant of copy against the earliest copy, with its word-level changes."""
    paraphrase = is_direct(earliest.kind) != is_direct(copy.kind)
    if same_words(earliest.quote, copy.quote):  # most copies: nothing to align (the matcher would say: no change, ratio 1)
        return Variant("paraphrased" if paraphrase else "verbatim", [], [], 1.0)
    old_words, new_words = token_words(earliest.quote), token_words(copy.quote)
    old, new = tokens(earliest.quote), tokens(copy.quote)
    opcodes, matched, ratio = _align(old_words, new_words)
    changes = [_change(op, old, new, i1, i2, j1, j2, earliest, copy) for op, i1, i2, j1, j2 in opcodes]
    similarity = round(ratio, 3)
    if not opcodes:  # the same words, but said in another mode ("x", he said / he said that x) is a paraphrase
        return Variant("paraphrased" if paraphrase else "verbatim", [], [], similarity)
    if not matched:  # no word in common: nothing to compare
        return Variant("paraphrased" if paraphrase else "reworded", changes, [], similarity)
    # Words cut or added at either end are a trim or an extension, and words a copy marks as
    # left out ("…") a trim: what is kept reads the same, unless the word cut right before it
    # was a negation ("will not | give up").
    cuts = [code for code in opcodes if (_at_edge(code, len(old), len(new)) and (
                code[0] != "replace" or (not paraphrase and _unequal(code))))
            or (code[0] == "delete" and _marked_cut(copy.quote, new, code[3]))]
    inner = [code for code in opcodes if code not in cuts]
    meaning = _meaning(old, new, inner, paraphrase)
    if any(op == "delete" and i1 == 0 and i2 < len(old) and old[i2 - 1].word in lists().negations
           for op, i1, i2, _, _ in opcodes) and "negation" not in meaning:
        meaning.insert(0, "negation")
    if meaning:
        return Variant("meaning_changed", changes, meaning, similarity)
    if paraphrase:
        return Variant("paraphrased", changes, [], similarity)
    if all(code in cuts and code[0] == "delete" for code in opcodes):
        return Variant("trimmed", changes, [], similarity)
    if all(code in cuts and code[0] == "insert" for code in opcodes):
        return Variant("extended", changes, [], similarity)
    return Variant("reworded", changes, [], similarity)


def _align(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[list[tuple[str, int, int, int, int]], bool, float]:
    """The opcodes other than equal, whether any word matched, and the ratio, as
    SequenceMatcher(None, old, new, autojunk=False) gives them. A copy whose words are one
    contiguous run of the other's (a trim at the ends, an extension: most that differ) is
    aligned without the matcher: the run is its longest match (the first, where it repeats),
    and the words around it are all that differ."""
    for part, whole, op in ((new, old, "delete"), (old, new, "insert")):
        at = _run_at(part, whole)
        if at is None:
            continue
        size, length = len(part), len(whole)
        edges = [(0, at), (at + size, length)]
        if op == "delete":
            codes = [(op, low, high, (low > 0) * size, (low > 0) * size) for low, high in edges if low < high]
        else:
            codes = [(op, (low > 0) * size, (low > 0) * size, low, high) for low, high in edges if low < high]
        return codes, True, 2.0 * size / (len(old) + len(new))
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    return ([code for code in matcher.get_opcodes() if code[0] != "equal"],
            any(size for _, _, size in matcher.get_matching_blocks()), matcher.ratio())


def _run_at(part: tuple[str, ...], whole: tuple[str, ...]) -> int | None:
    """Where part first stands in whole as a contiguous run, when shorter and not empty."""
    if not part or len(part) >= len(whole):
        return None
    at, last = -1, len(whole) - len(part)
    while True:
        try:
            at = whole.index(part[0], at + 1, last + 1)
        except ValueError:
            return None
        if whole[at:at + len(part)] == part:
            return at


def _unequal(code: tuple[str, int, int, int, int]) -> bool:
    """A replacement at an edge so lopsided it is a cut with other framing words ("While
    scientists have not yet detected liquid water, we've found | the next best thing" ->
    "is | the next best thing"): what was cut is not compared for meaning. (Not in a
    paraphrase, which moves clauses about: "if the vote is rigged, we will fill the
    squares" -> "they would fill the squares if the vote was rigged".)"""
    _, i1, i2, j1, j2 = code
    shorter, longer = sorted((i2 - i1, j2 - j1))
    return longer > 2 * shorter and longer - shorter > 3


def _at_edge(code: tuple[str, int, int, int, int], old_length: int, new_length: int) -> bool:
    _, i1, i2, j1, j2 = code
    return (i1 == 0 and j1 == 0) or (i2 == old_length and j2 == new_length)


def _marked_cut(text: str, new: Sequence[Token], at: int) -> bool:
    """Whether the copy marks the words it left out at token `at` with an ellipsis."""
    low = new[at - 1].end if at > 0 else 0
    high = new[at].start if at < len(new) else len(text)
    return any(low <= start and end <= high for start, end in ellipses(text))


def _meaning(old: Sequence[Token], new: Sequence[Token], codes: list[tuple[str, int, int, int, int]],
             paraphrase: bool) -> list[MeaningChange]:
    """What the changed words change of the statement. Counts are compared over all
    changed stretches together, so a negation moved within the quotation is no change."""
    if not codes:  # a trim or an extension: nothing changed within
        return []
    table = lists()
    before = [token for _, i1, i2, _, _ in codes for token in old[i1:i2]]
    after = [token for _, _, _, j1, j2 in codes for token in new[j1:j2]]
    found: list[MeaningChange] = []

    def count(items: Sequence[Token], keep) -> Counter:
        return Counter(value for token in items if (value := keep(token)) is not None)

    negation = lambda token: token.word if token.word in table.negations else None  # noqa: E731
    if sum(count(before, negation).values()) != sum(count(after, negation).values()):
        found.append("negation")
    old_numbers = Counter(value for _, i1, i2, _, _ in codes for value in numbers([token.word for token in old[i1:i2]]))
    new_numbers = Counter(value for _, _, _, j1, j2 in codes for value in numbers([token.word for token in new[j1:j2]]))
    if old_numbers != new_numbers:
        differing = {value for value in old_numbers | new_numbers if old_numbers[value] != new_numbers[value]}
        found.append("date" if all(value == int(value) and int(value) in YEARS for value in differing) else "number")
    date = lambda token: token.word if token.word in table.dates else None  # noqa: E731
    if count(before, date) != count(after, date) and "date" not in found:
        found.append("date")
    # Indirect speech shifts tense back ("will" -> "would"): only a paraphrase is let off that.
    # A paraphrase also says a repeated modal once ("we will fill … we will stay" -> "would fill … and stay").
    old_modals = Counter(modals(old, codes, 1, paraphrase))
    new_modals = Counter(modals(new, codes, 3, paraphrase))
    if (set(old_modals) != set(new_modals)) if paraphrase else old_modals != new_modals:
        found.append("modal")
    for op, i1, i2, j1, j2 in codes:
        names_before = {token.word for token in old[i1:i2] if token.capitalised}
        names_after = {token.word for token in new[j1:j2] if token.capitalised}
        if op == "replace" and names_before and names_after and names_before != names_after:
            found.append("name")
            break
    return found


def modals(items: Sequence[Token], codes: list[tuple[str, int, int, int, int]], side: int, paraphrase: bool) -> list[str]:
    """The modal verbs of the changed stretches on one side (1: the earliest copy's, 3: this
    copy's), "had to" read as "must"; shifted back to their past forms in a paraphrase."""
    table = lists()
    found = []
    for code in codes:
        words = [token.word for token in items[code[side]:code[side + 1]]]
        for position, word in enumerate(words):
            modal = table.semi_modals.get(tuple(words[position:position + 2])) or (word if word in table.modals else None)
            if modal is not None:
                found.append(table.backshift.get(modal, modal) if paraphrase else modal)
    return found


def _change(op: str, old: Sequence[Token], new: Sequence[Token], i1: int, i2: int, j1: int, j2: int,
            earliest: Copy, copy: Copy) -> Change:
    def where(items: Sequence[Token], first: int, last: int, text: str) -> tuple[str, int, int]:
        if first == last:  # nothing on this side: the point between its neighbours
            point = items[first - 1].end if first > 0 else (items[0].start if items else 0)
            return "", point, point
        start, end = items[first].start, items[last - 1].end
        return text[start:end], start, end

    old_text, old_start, old_end = where(old, i1, i2, earliest.quote)
    new_text, new_start, new_end = where(new, j1, j2, copy.quote)
    return Change(op, old_text, new_text, earliest.start + old_start, earliest.start + old_end,  # type: ignore[arg-type]
                  copy.start + new_start, copy.start + new_end)
