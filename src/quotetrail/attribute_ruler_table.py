"""The model's attribute ruler (tag -> POS and morphology, lemma exceptions), as
table look-ups: the same rules, the same results, a fraction of the time.

spaCy's AttributeRuler runs a general Matcher with every rule over every token,
about a seventh of en_core_web_sm's time on news text. Nearly all its rules test
one token's tag, lower form, dependency and whitespace, so the rules that hold
for a token depend only on those four values: worked out once per distinct
combination and cached, they leave a dict look-up per token. The few rules over
several tokens are checked where their first token matches. Rules using
anything else (other attributes or operators) keep spaCy's own matcher.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

# What a token is matched on: its (tag, lower form, dependency, is-space), as strings.
KEY_ATTRS = [TAG, LOWER, DEP, IS_SPACE]
KEY_FIELDS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
Key = tuple[str, str, str, bool]
# What the rules may set; read and written as arrays, as set_token_attrs would one token at a time.
SET_ATTRS = [POS, TAG, DEP, LEMMA, MORPH]
Test = Callable[[Key], bool]
CACHE_MAX = 50_000  # distinct (tag, lower, dep, is-space) values remembered


class UnsupportedRule(ValueError):
    pass


def _test(field: str, condition: Any) -> Test:
    """One token condition of a Matcher pattern, as spaCy's Matcher reads it."""
    if field not in KEY_FIELDS:
        raise UnsupportedRule(field)
    at = KEY_FIELDS[field]
    if not isinstance(condition, dict):
        return lambda key: key[at] == condition
    if len(condition) != 1:
        raise UnsupportedRule(str(condition))
    (operator, value), = condition.items()
    if operator == "IN":
        allowed = frozenset(value)
        return lambda key: key[at] in allowed
    if operator == "NOT_IN":
        refused = frozenset(value)
        return lambda key: key[at] not in refused
    if operator == "REGEX":
        pattern = re.compile(value)
        return lambda key: pattern.search(key[at]) is not None
    raise UnsupportedRule(operator)


def _anchor(token_pattern: dict[str, Any]) -> list[tuple[int, str]]:
    """The (field, value) pairs of which a token must hold one for the pattern to match: its
    LOWER's, else its TAG's, equality or IN; none when it tests neither so (checked always)."""
    for field in ("LOWER", "TAG"):
        condition = token_pattern.get(field)
        if isinstance(condition, str):
            return [(KEY_FIELDS[field], condition)]
        if isinstance(condition, dict) and list(condition) == ["IN"]:
            return [(KEY_FIELDS[field], value) for value in condition["IN"]]
    return []


def _token_test(token_pattern: dict[str, Any]) -> Test:
    if token_pattern.keys() - {*KEY_FIELDS, "OP"} or token_pattern.get("OP", "1") != "1":
        raise UnsupportedRule(str(token_pattern))
    tests = [_test(field, condition) for field, condition in token_pattern.items() if field != "OP"]
    return lambda key: all(test(key) for test in tests)


class TableAttributeRuler(AttributeRuler):
    """spaCy's AttributeRuler, applied through cached per-token look-ups when its
    rules allow it (see the module's docstring); otherwise exactly spaCy's."""

    _compiled = False

    def clear(self) -> None:
        super().clear()
        self._compiled = False

    def add(self, patterns: Any, attrs: dict, index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self._compiled = False

    def __call__(self, doc: Doc) -> Doc:
        if not self._compiled:
            self._compile()
        if not self._supported:
            return super().__call__(doc)
        if not len(doc):
            return doc
        # One look-up per distinct token key, then the rules' values set as arrays: a pass
        # over every token in Python cost more than the look-ups.
        keys, token_entry = numpy.unique(doc.to_array(KEY_ATTRS), axis=0, return_inverse=True)
        token_entry = token_entry.reshape(-1)
        entries = [self._cache.get(key) or self._cached(key) for key in map(tuple, keys.tolist())]
        extra: dict[int, set[int]] = {}  # token -> the rules over several tokens that set it
        may_start = numpy.array([bool(entry.first_of) for entry in entries])
        for start in numpy.flatnonzero(may_start[token_entry]).tolist():
            for rule, tests, index in entries[token_entry[start]].first_of:
                width = len(tests)
                if start + width <= len(doc) and all(
                        tests[j](entries[token_entry[start + j]].key) for j in range(1, width)):
                    extra.setdefault(start + index % width, set()).add(rule)
        setting = numpy.zeros((len(entries), len(SET_ATTRS)), dtype=numpy.uint64)
        setting_mask = numpy.zeros((len(entries), len(SET_ATTRS)), dtype=bool)
        for row, entry in enumerate(entries):
            for column, value in entry.settings:
                setting[row, column], setting_mask[row, column] = value, True
        before = doc.to_array(SET_ATTRS)
        values = numpy.where(setting_mask[token_entry], setting[token_entry], before)
        for i, rules in extra.items():
            values[i] = before[i]
            for column, value in self._settings({*entries[token_entry[i]].rules, *rules}):
                values[i, column] = value
        doc.from_array(SET_ATTRS, values)
        return doc

    def _compile(self) -> None:
        self._single: list[tuple[int, Test]] = []
        self._multi: list[tuple[int, list[Test], int]] = []
        self._cache: dict[tuple[int, ...], _Entry] = {}
        self._settings_of: dict[frozenset[int], tuple[tuple[int, int], ...]] = {}  # few distinct sets of rules
        # Which rules a token may match, by its tag or lower form (see _anchor): real news meets
        # tens of thousands of distinct words, and testing every rule on each cost more than
        # spaCy's own matcher.
        self._single_at: dict[tuple[int, str] | None, list[int]] = {}
        self._multi_at: dict[tuple[int, str] | None, list[int]] = {}
        self._compiled, self._supported = True, True
        try:
            for rule, entry in enumerate(self.patterns):
                if self.attrs[rule].keys() - set(SET_ATTRS):
                    raise UnsupportedRule(f"sets {entry['attrs']}")
                for pattern in entry["patterns"]:
                    tests = [_token_test(token) for token in pattern]
                    if not -len(tests) <= entry["index"] < len(tests):
                        raise UnsupportedRule(f"index {entry['index']}")  # spaCy's own error, then
                    if len(tests) == 1:
                        self._index(self._single_at, len(self._single), pattern[0])
                        self._single.append((rule, tests[0]))
                    else:
                        self._index(self._multi_at, len(self._multi), pattern[0])
                        self._multi.append((rule, tests, entry["index"]))
        except UnsupportedRule:
            self._supported = False

    @staticmethod
    def _index(at: dict[tuple[int, str] | None, list[int]], position: int, token_pattern: dict[str, Any]) -> None:
        for anchor in _anchor(token_pattern) or [None]:
            at.setdefault(anchor, []).append(position)

    @staticmethod
    def _candidates(at: dict[tuple[int, str] | None, list[int]], key: Key) -> list[int]:
        """The positions of the rules that key may match, in order."""
        return sorted({*at.get((0, key[0]), ()), *at.get((1, key[1]), ()), *at.get(None, ())})

    def _cached(self, hashes: tuple[int, ...]) -> _Entry:
        """What the rules make of a token with these (tag, lower, dep, is-space) values."""
        strings = self.vocab.strings
        tag, lower, dep, space = hashes
        key = (strings[tag], strings[lower], strings[dep], bool(space))
        if len(self._cache) >= CACHE_MAX:  # a long run meets ever more words: keep memory bounded
            self._cache.clear()
        rules = frozenset(self._single[i][0] for i in self._candidates(self._single_at, key) if self._single[i][1](key))
        first_of = tuple(self._multi[i] for i in self._candidates(self._multi_at, key) if self._multi[i][1][0](key))
        if rules not in self._settings_of:
            self._settings_of[rules] = self._settings(rules)
        self._cache[hashes] = _Entry(key, rules, self._settings_of[rules], first_of)
        return self._cache[hashes]

    def _settings(self, rules: Iterable[int]) -> tuple[tuple[int, int], ...]:
        """(column of SET_ATTRS, value) the rules leave. spaCy applies matches
        sorted by rule, so a later rule's value wins."""
        merged: dict[int, int] = {}
        for rule in sorted(rules):
            merged.update(self.attrs[rule])
        return tuple((SET_ATTRS.index(attr), value) for attr, value in merged.items())


class _Entry(NamedTuple):
    key: Key
    rules: frozenset[int]  # the single-token rules that hold
    settings: tuple[tuple[int, int], ...]
    first_of: tuple[tuple[int, list[Test], int], ...]  # multi-token rules whose first token this may be


@Language.factory("quotetrail_attribute_ruler", default_config={"validate": False})
def make_table_attribute_ruler(nlp: Language, name: str, validate: bool) -> TableAttributeRuler:
    return TableAttributeRuler(nlp.vocab, name, validate=validate)


def use_attribute_table(nlp: Language, name: str = "attribute_ruler") -> None:
    """Swap the pipeline's attribute ruler for the table-driven one, same rules."""
    if name not in nlp.pipe_names or not isinstance(nlp.get_pipe(name), AttributeRuler):
        return
    patterns = nlp.get_pipe(name).patterns
    nlp.replace_pipe(name, "quotetrail_attribute_ruler")
    nlp.get_pipe(name).add_patterns(patterns)
