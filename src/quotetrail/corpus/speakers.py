"""One speaker across articles: name keys, surname matching, manual merges and splits.

Each article names its speakers its own way ("Alexander Lukashenko",
"Aleksandr Lukashenko", "Lukashenko"). A mention can only ever be linked to
mentions of its family (its surname, or a group's whole name) and to families
the user's merges join to it, so after an ingest only the families it touched
are resolved again, each from all of its mentions: the result does not depend
on the order articles arrived in. The user's merges and splits are stored by
folded name and replayed on every resolution.
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby

from . import recent
from .schema import CorpusError
from .text import words
from .unionfind import UnionFind

# Romanisations of one name. Keys are the spelling a key uses; suffix folding
# (see _token) runs first, so variants are listed after it ("dmitriy" → "dmitry").
VARIANTS = {
    "alexander": ("aleksandr", "aleksander", "alexandr", "alexandre", "aleksandar"),
    "alexei": ("aleksei", "alexey", "aleksey", "alexej", "aleksej"),
    "andrei": ("andrey", "andrej"),
    "dmitri": ("dmitry", "dmitrij"),
    "sergei": ("sergey", "sergej"),
    "nikolai": ("nikolay", "nikolaj"),
    "yevgeny": ("evgeny", "evgeni", "yevgeni"),
    "yuri": ("yury", "iury", "jurij"),
    "mikhail": ("mikhael", "michail"),
    "muhammad": ("mohammed", "mohamed", "mohammad", "mohamad", "muhammed", "muhamed", "mohamud"),
    "abdullah": ("abdulla", "abdallah"),
    "hussein": ("husein", "hussain", "husain"),
    "gaddafi": ("qaddafi", "gadhafi", "qadhafi", "kadhafi"),
}
# Name particles carry no identity on their own: "Bashar al-Assad" is "Assad".
PARTICLES = frozenset({"al", "el", "bin", "ibn", "von", "van", "der", "den", "de", "la", "le", "da", "di", "du",
                       "del", "dos", "das"})
# Slavic endings romanised several ways: -iy, -yy, -ii, -yi all become -y (Zelenskiy, Zelenskyy → Zelensky).
_SUFFIXES = ("iy", "yy", "ii", "yi")
# How many of a candidate's articles feed its context: enough to tell two namesakes apart.
CONTEXT_ARTICLES = 40


def _fold_suffix(word: str) -> str:
    return word[:-2] + "y" if len(word) > 4 and word.endswith(_SUFFIXES) else word


_CANONICAL = {_fold_suffix(variant): canonical for canonical, variants in VARIANTS.items() for variant in variants}


def _token(word: str) -> str:
    word = _fold_suffix(word)
    return _CANONICAL.get(word, word)


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The folded spelling: what two mentions must share to be 'the same written name'."""
    return " ".join(words(name))


@dataclass(frozen=True)
class Identity:
    """What a name alone says about who it is."""

    key: str  # p:first last | p:surname | g:words
    surname: str | None = None  # set for a bare surname, which context may attach to a full name
    initials: str = ""  # "A. Lukashenko" → "a"


@lru_cache(maxsize=65536)  # a corpus writes a few thousand names many times over
def identity(name: str, entity_type: str | None) -> Identity | None:
    """None for a description ("a senior official"): those are not tracked across articles."""
    letters = [char for char in name if char.isalpha()]
    if not letters or not letters[0].isupper() or not words(name):
        return None
    if entity_type != "PERSON":
        folded = words(name)
        return Identity("g:" + " ".join(folded[1:] if folded[0] == "the" and len(folded) > 1 else folded))
    tokens = [_token(word) for word in words(name) if word not in PARTICLES]
    initials = "".join(token for token in tokens if len(token) == 1)
    parts = [token for token in tokens if len(token) > 1]
    if not parts:
        return None
    if len(parts) == 1:
        return Identity("p:" + parts[0], surname=parts[0], initials=initials)
    # First and last name only: a middle name or patronymic is often left out.
    return Identity(f"p:{parts[0]} {parts[-1]}")


@lru_cache(maxsize=65536)
def family(name: str, entity_type: str | None) -> str | None:
    """The family a speaker mention is resolved within: its surname, or a group's key."""
    found = identity(name, entity_type)
    if found is None:
        return None
    return found.key if found.key.startswith("g:") else found.key.rsplit(" ", 1)[-1].removeprefix("p:")


@dataclass(frozen=True)
class Mention:
    """A speaker as one article names it (an entities row)."""

    entity_id: int
    article_id: int
    name: str
    entity_type: str | None


@dataclass(frozen=True)
class Assignment:
    own: str  # the identity the mention's name gives it
    speaker: str  # the speaker it belongs to, after the user's merges


def resolve(mentions: Iterable[Mention], context: Callable[[int], frozenset[str]],
            merges: Iterable[tuple[str, str]] = (), splits: Iterable[str] = ()) -> dict[int, Assignment]:
    """The speaker of each linkable mention (by entity id).

    context(article_id) gives the folded names and titles of an article's
    entities; it only decides between namesakes, so it is asked for lazily.
    """
    pinned = set(splits)
    own: dict[int, str] = {}  # entity id → identity key before merges
    bare: list[tuple[Mention, str, str]] = []  # mention, surname, initials
    full_names: dict[str, set[str]] = defaultdict(set)  # surname → full-name keys
    articles_of: dict[str, list[int]] = defaultdict(list)
    by_name: dict[str, list[int]] = defaultdict(list)  # name key → entity ids
    for mention in mentions:
        written = name_key(mention.name)
        found = identity(mention.name, mention.entity_type)
        if found is None:
            continue
        by_name[written].append(mention.entity_id)
        if written in pinned:
            own[mention.entity_id] = "s:" + written
        elif found.surname is not None:
            bare.append((mention, found.surname, found.initials))
        else:
            own[mention.entity_id] = found.key
            if found.key.startswith("p:"):
                full_names[found.key.rsplit(" ", 1)[-1]].add(found.key)
            articles_of[found.key].append(mention.article_id)

    contexts: dict[str, frozenset[str]] = {}

    def candidate_context(key: str) -> frozenset[str]:
        if key not in contexts:
            contexts[key] = frozenset().union(*(context(article) for article in articles_of[key][:CONTEXT_ARTICLES]))
        return contexts[key]

    candidates_of: dict[tuple[str, str], list[str]] = {}
    for mention, surname, initials in bare:
        if (surname, initials[:1]) not in candidates_of:
            candidates_of[surname, initials[:1]] = sorted(
                key for key in full_names.get(surname, ()) if key[2:].startswith(initials[:1]))
        candidates = candidates_of[surname, initials[:1]]
        if len(candidates) > 1:
            around = context(mention.article_id)
            scores = [(len(around & candidate_context(key)), key) for key in candidates]
            best = max(score for score, _ in scores)
            candidates = [key for score, key in scores if score == best] if best else []
        own[mention.entity_id] = candidates[0] if len(candidates) == 1 else "p:" + surname

    if not merges:
        return {entity: Assignment(key, key) for entity, key in own.items()}
    clusters = UnionFind[str]()
    for name, into in merges:
        targets = [own[entity] for entity in by_name.get(into, ())]
        for entity in by_name.get(name, ()):
            if targets:
                clusters.merge(own[entity], targets[0])
    return {entity: Assignment(key, clusters.find(key)) for entity, key in own.items()}


def _title_words(titles: Iterable[str]) -> frozenset[str]:
    return frozenset("t:" + word for title in titles for word in words(title))


def _best_name(names: Counter[tuple[bool, str]]) -> str:
    """Written forms of a speaker, counted, flagged when the mention is of the person merged into."""
    return max(names, key=lambda name: (name[0], len(words(name[1])) > 1, names[name], len(name[1]), name[1]))[1]


def display_names(mentions: Iterable[Mention], assigned: dict[int, Assignment]) -> dict[str, str]:
    """The name each speaker goes by: the most written full form among its mentions,
    and after a merge, among the mentions of the person merged into."""
    counts: dict[str, Counter[tuple[bool, str]]] = defaultdict(Counter)
    for mention in mentions:
        if (found := assigned.get(mention.entity_id)) is not None:
            counts[found.speaker][found.own == found.speaker, mention.name] += 1
    return {speaker: _best_name(names) for speaker, names in counts.items()}


def _context_reader(conn: sqlite3.Connection, articles: Iterable[int] = ()) -> Callable[[int], frozenset[str]]:
    """Contexts by article id; those of `articles` are read together on the first call,
    a query per 20,000 articles instead of one per article."""
    cache: dict[int, frozenset[str]] = {}
    ahead = sorted(set(articles))

    def read(wanted: list[int]) -> None:
        found: dict[int, list[tuple[str, str]]] = {article: [] for article in wanted}
        for article, key, titles in conn.execute(
                "SELECT article_id, name_key, titles FROM entities WHERE article_id IN (SELECT value FROM json_each(?))",
                (json.dumps(wanted),)):
            found[article].append((key, titles))
        for article, rows in found.items():
            cache[article] = frozenset(key for key, _ in rows) | _title_words(
                title for _, titles in rows if titles != "[]" for title in json.loads(titles))

    def context(article: int) -> frozenset[str]:
        if article not in cache:
            if ahead:
                for start in range(0, len(ahead), 20_000):
                    read(ahead[start:start + 20_000])
                ahead.clear()
            if article not in cache:
                read([article])
        return cache[article]
    return context


# Families resolved per transaction: short enough that an ingest waiting for the lock never gives up.
MENTIONS_PER_TRANSACTION = 20_000


def mark(conn: sqlite3.Connection, families: Iterable[str | None], whole: bool = False) -> None:
    """Leave families for the next writer: their new mentions to resolve, or (whole) all of them."""
    conn.executemany("INSERT INTO stale_families(family, whole) VALUES (?, ?) "
                     "ON CONFLICT DO UPDATE SET whole = max(whole, excluded.whole)",
                     [(name, int(whole)) for name in set(families) if name is not None])


def _linked(conn: sqlite3.Connection) -> UnionFind[str]:
    """Families joined by the user's merges: they are resolved together."""
    linked = UnionFind[str]()
    for name, into in conn.execute("SELECT name_key, into_key FROM speaker_merges"):
        families = [f for (f,) in conn.execute(
            """SELECT DISTINCT family FROM entities WHERE name_key IN (?, ?) AND family IS NOT NULL""", (name, into))]
        for other in families[1:]:
            linked.merge(other, families[0])
    return linked


UNKNOWN_OUTLET = "(unknown)"


def recount(conn: sqlite3.Connection, speakers: Iterable[int] | None = None) -> None:
    """Compute the profile figures of speakers (all when None) from their quotations:
    dates seen, quotations per outlet, mentions per written name."""
    where, params = (("e.speaker_id IS NOT NULL", ()) if speakers is None else
                     ("e.speaker_id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(set(speakers))),)))
    if speakers is None:
        conn.execute("DELETE FROM speaker_outlets")
        conn.execute("DELETE FROM speaker_names")
        conn.execute("UPDATE speakers SET first_seen = NULL, last_seen = NULL")
    else:
        for table in ("speaker_outlets", "speaker_names"):
            conn.execute(f"DELETE FROM {table} WHERE speaker_id IN (SELECT value FROM json_each(?))", params)
        conn.execute("UPDATE speakers SET first_seen = NULL, last_seen = NULL "
                     "WHERE id IN (SELECT value FROM json_each(?))", params)
    rows = conn.execute(f"""SELECT e.speaker_id, e.name, coalesce(a.outlet, '{UNKNOWN_OUTLET}'), a.published,
                                   (SELECT count(*) FROM quotations q WHERE q.entity_id = e.id)
                            FROM entities e JOIN articles a ON a.id = e.article_id WHERE {where}
                            ORDER BY e.speaker_id""", params)
    for speaker, group in groupby(rows, key=lambda row: row[0]):
        _add(conn, speaker, [row[1:] for row in group if row[4]])


def _add(conn: sqlite3.Connection, speaker: int, mentions: list[tuple[str, str, str | None, int]]) -> None:
    """Count mentions (written name, outlet, published, quotations) into a speaker's figures."""
    outlets: Counter[str] = Counter()
    for _, outlet, _, quotes in mentions:
        outlets[outlet] += quotes
    conn.executemany("INSERT INTO speaker_outlets(speaker_id, outlet, quotes) VALUES (?, ?, ?) "
                     "ON CONFLICT DO UPDATE SET quotes = quotes + excluded.quotes",
                     [(speaker, outlet, quotes) for outlet, quotes in outlets.items()])
    conn.executemany("INSERT INTO speaker_names(speaker_id, name, mentions) VALUES (?, ?, ?) "
                     "ON CONFLICT DO UPDATE SET mentions = mentions + excluded.mentions",
                     [(speaker, name, count) for name, count in Counter(name for name, _, _, _ in mentions).items()])
    dates = [published for _, _, published, _ in mentions if published is not None]
    if dates:  # min() and max() of SQL are NULL when either side is
        conn.execute("UPDATE speakers SET first_seen = coalesce(min(first_seen, ?1), ?1), "
                     "last_seen = coalesce(max(last_seen, ?2), ?2) WHERE id = ?3", (min(dates), max(dates), speaker))


def _resolve_families(conn: sqlite3.Connection, families: list[str]) -> None:
    """Reassign every speaker mention of families (closed under merges) to a speaker."""
    mentions = [Mention(*row) for row in conn.execute(
        """SELECT id, article_id, name, type FROM entities
           WHERE family IN (SELECT value FROM json_each(?))
             AND EXISTS (SELECT 1 FROM quotations q WHERE q.entity_id = entities.id)
           ORDER BY id""", (json.dumps(families),))]
    merges = conn.execute("SELECT name_key, into_key FROM speaker_merges ORDER BY id").fetchall()
    splits = [key for (key,) in conn.execute("SELECT name_key FROM speaker_splits")]
    assigned = resolve(mentions, _context_reader(conn, (mention.article_id for mention in mentions)), merges, splits)
    names = display_names(mentions, assigned)
    quotes = dict(conn.execute(
        "SELECT entity_id, count(*) FROM quotations WHERE entity_id IN (SELECT value FROM json_each(?)) "
        "GROUP BY entity_id", (json.dumps([mention.entity_id for mention in mentions]),)))
    counts: Counter[str] = Counter()
    written: dict[str, set[str]] = defaultdict(set)
    family_of: dict[str, str | None] = {}  # speaker key → its family
    for mention in mentions:
        if (found := assigned.get(mention.entity_id)) is not None:
            counts[found.speaker] += quotes.get(mention.entity_id, 0)
            written[found.speaker].add(mention.name)
            family_of.setdefault(found.speaker, family(mention.name, mention.entity_type))
    known = dict(conn.execute("SELECT key, id FROM speakers WHERE key IN (SELECT value FROM json_each(?))",
                              (json.dumps(list(names)),)))
    for key, name in names.items():
        values = (name, counts[key], json.dumps(sorted(written[key]), ensure_ascii=False), family_of[key])
        if key in known:
            conn.execute("UPDATE speakers SET name = ?, quotes = ?, written = ?, family = ? WHERE id = ?",
                         (*values, known[key]))
        else:
            known[key] = conn.execute("INSERT INTO speakers(key, name, quotes, written, family) "
                                      "VALUES (?, ?, ?, ?, ?) RETURNING id", (key, *values)).fetchone()[0]
    current = dict(conn.execute(
        "SELECT id, speaker_id FROM entities WHERE family IN (SELECT value FROM json_each(?)) "
        "AND speaker_id IS NOT NULL", (json.dumps(families),)))
    wanted = {entity: known[found.speaker] for entity, found in assigned.items()}
    changes = [(speaker, entity) for entity, speaker in wanted.items() if current.get(entity) != speaker]
    changes += [(None, entity) for entity in current.keys() - wanted.keys()]
    conn.executemany("UPDATE entities SET speaker_id = ? WHERE id = ?", changes)
    conn.execute("""DELETE FROM speakers WHERE id IN (SELECT value FROM json_each(?))
                    AND NOT EXISTS (SELECT 1 FROM entities e WHERE e.speaker_id = speakers.id)""",
                 (json.dumps(sorted(set(current.values()) - set(wanted.values()))),))
    # From scratch: a re-resolution may move any mention between these speakers.
    recount(conn, set(current.values()) | set(wanted.values()))
    # Those over their latest quotations (two milliseconds a speaker): where mentions moved.
    recent.store(conn, {speaker for mine, theirs in ((current, wanted), (wanted, current))
                        for entity, speaker in mine.items() if theirs.get(entity) != speaker})


def _resolve_new(conn: sqlite3.Connection, name: str) -> bool:
    """Resolve a family's new mentions on their own, when they cannot change how its older
    mentions resolve: no new full name (a new candidate for bare surnames) and no full name
    with fewer than CONTEXT_ARTICLES mentions (its context would grow). False: resolve it all."""
    if not conn.execute("SELECT 1 FROM speakers WHERE family = ? LIMIT 1", (name,)).fetchone():
        return False  # a family new to the corpus: all its mentions are new anyway
    new = [Mention(*row) for row in conn.execute(
        """SELECT id, article_id, name, type FROM entities WHERE family = ? AND speaker_id IS NULL
           AND EXISTS (SELECT 1 FROM quotations q WHERE q.entity_id = entities.id) ORDER BY id""", (name,))]
    full = dict(conn.execute("SELECT key, id FROM speakers WHERE family = ? AND key LIKE 'p:% %'", (name,)))
    found = {mention.entity_id: identity(mention.name, mention.entity_type) for mention in new}
    new_keys = {own.key for own in found.values() if own is not None and own.surname is None}
    if not new or new_keys - full.keys():
        return not new
    # The mentions bare surnames are resolved against: each full name's first CONTEXT_ARTICLES.
    firsts = []
    for key, speaker in full.items():
        count = 0
        for row in conn.execute("SELECT id, article_id, name, type FROM entities WHERE speaker_id = ? ORDER BY id",
                                (speaker,)):
            own = identity(row[2], row[3])
            if own is not None and own.key == key:
                firsts.append(Mention(*row))
                count += 1
                if count == CONTEXT_ARTICLES:
                    break
        if key in new_keys and count < CONTEXT_ARTICLES:
            return False
    assigned = resolve(sorted(firsts + new, key=lambda mention: mention.entity_id),
                       _context_reader(conn, (mention.article_id for mention in firsts + new)))
    quotes = dict(conn.execute(
        "SELECT entity_id, count(*) FROM quotations WHERE entity_id IN (SELECT value FROM json_each(?)) "
        "GROUP BY entity_id", (json.dumps(list(found)),)))
    published = {article: (outlet, date) for article, outlet, date in conn.execute(
        f"SELECT id, coalesce(outlet, '{UNKNOWN_OUTLET}'), published FROM articles "
        "WHERE id IN (SELECT value FROM json_each(?))", (json.dumps([mention.article_id for mention in new]),))}
    touched: dict[str, list[Mention]] = defaultdict(list)
    for mention in new:
        if mention.entity_id in assigned:
            touched[assigned[mention.entity_id].speaker].append(mention)
    counted = []
    for key, mentions in touched.items():
        row = conn.execute("SELECT id, written FROM speakers WHERE key = ?", (key,)).fetchone()
        speaker = row[0] if row else conn.execute(
            "INSERT INTO speakers(key, name, family) VALUES (?, '', ?) RETURNING id", (key, name)).fetchone()[0]
        conn.executemany("UPDATE entities SET speaker_id = ? WHERE id = ?",
                         [(speaker, mention.entity_id) for mention in mentions])
        _add(conn, speaker, [(mention.name, *published[mention.article_id], quotes.get(mention.entity_id, 0))
                             for mention in mentions])
        names: Counter[tuple[bool, str]] = Counter({(True, written): count for written, count in conn.execute(
            "SELECT name, mentions FROM speaker_names WHERE speaker_id = ?", (speaker,))})
        written = sorted(set(json.loads(row[1]) if row else []) | {mention.name for mention in mentions})
        conn.execute("UPDATE speakers SET name = ?, quotes = quotes + ?, written = ? WHERE id = ?",
                     (_best_name(names), sum(quotes.get(mention.entity_id, 0) for mention in mentions),
                      json.dumps(written, ensure_ascii=False), speaker))
        counted.append(speaker)
    recent.store(conn, counted)
    return True


def rebuild(conn: sqlite3.Connection) -> None:
    """Resolve every family at once (what the stale families add up to); call inside a transaction."""
    _resolve_families(conn, [f for (f,) in conn.execute("SELECT DISTINCT family FROM entities "
                                                         "WHERE family IS NOT NULL")])


def resolve_stale(conn: sqlite3.Connection, transaction: Callable[[], AbstractContextManager]) -> int:
    """Resolve the families left stale, a few per transaction; returns how many. Then count
    again the figures of speakers whose clusters changed (recent.py).

    Each transaction takes its families off the list under the write lock, so
    two writers never resolve the same family twice."""
    done = 0
    while True:
        with transaction():
            stale = conn.execute("SELECT family, whole FROM stale_families ORDER BY family LIMIT 1000").fetchall()
            if not stale:
                break
            linked = _linked(conn)
            members = set(linked.parent) | set(linked.parent.values())
            decided = members | {f for (f,) in conn.execute(
                "SELECT DISTINCT family FROM entities WHERE name_key IN (SELECT name_key FROM speaker_splits)")}
            finished: list[str] = []
            whole: dict[str, None] = {}  # families to resolve from all their mentions
            size = 0
            for name, everything in stale:
                if name in whole or name in finished:
                    continue
                if not everything and name not in decided and _resolve_new(conn, name):
                    finished.append(name)
                    size += 1000  # a few indexed lookups, counted so that a transaction stays short
                else:
                    group = [other for other in sorted(members) if linked.find(other) == linked.find(name)] or [name]
                    whole.update(dict.fromkeys(group))
                    size += conn.execute("SELECT count(*) FROM entities WHERE family IN "
                                         "(SELECT value FROM json_each(?))", (json.dumps(group),)).fetchone()[0]
                if size >= MENTIONS_PER_TRANSACTION:
                    break
            if whole:
                _resolve_families(conn, list(whole))
            finished += whole
            conn.execute("DELETE FROM stale_families WHERE family IN (SELECT value FROM json_each(?))",
                         (json.dumps(finished),))
            done += len(finished)
    # Then the speakers whose clusters changed (those resolved above are counted already).
    recent.store_stale(conn, transaction)
    return done


def fill_families(conn: sqlite3.Connection, transaction: Callable[[], AbstractContextManager], chunk: int = 20_000) -> None:
    """Compute the family of entities stored by a v1 corpus, and leave them to resolve."""
    after = 0
    while True:
        with transaction():
            rows = conn.execute("SELECT id, name, type FROM entities WHERE id > ? AND family IS NULL ORDER BY id "
                                "LIMIT ?", (after, chunk)).fetchall()
            if not rows:
                conn.execute("DELETE FROM stale WHERE what = 'families'")
                return
            found = [(family(name, entity_type), entity) for entity, name, entity_type in rows]
            conn.executemany("UPDATE entities SET family = ? WHERE id = ?",
                             [(name, entity) for name, entity in found if name is not None])
            mark(conn, (name for name, _ in found), whole=True)
            after = rows[-1][0]


def _require_speaker_name(conn: sqlite3.Connection, name: str) -> str:
    key = name_key(name)
    if not conn.execute("SELECT 1 FROM entities WHERE name_key = ? AND speaker_id IS NOT NULL LIMIT 1",
                        (key,)).fetchone():
        raise CorpusError(f"no speaker is named {name!r} in the corpus (see 'quotetrail speakers list')")
    return key


def _mark_names(conn: sqlite3.Connection, keys: list[str]) -> None:
    mark(conn, [f for (f,) in conn.execute("SELECT DISTINCT family FROM entities WHERE name_key IN "
                                            "(SELECT value FROM json_each(?))", (json.dumps(keys),))], whole=True)


def merge(conn: sqlite3.Connection, name: str, into: str) -> None:
    """Record that name is the same person as into; call inside a transaction."""
    source, target = _require_speaker_name(conn, name), _require_speaker_name(conn, into)
    conn.execute("INSERT INTO speaker_merges(name_key, into_key) VALUES (?, ?)", (source, target))
    _mark_names(conn, [source, target])


def split(conn: sqlite3.Connection, name: str) -> None:
    """Record that mentions written as name are their own speaker, and forget merges of it."""
    key = _require_speaker_name(conn, name)
    # The families its merges joined come apart: each is resolved again.
    _mark_names(conn, [key, *(other for row in conn.execute(
        "DELETE FROM speaker_merges WHERE name_key = ? OR into_key = ? RETURNING name_key, into_key", (key, key))
        for other in row)])
    conn.execute("INSERT OR IGNORE INTO speaker_splits(name_key) VALUES (?)", (key,))


def speaker_ids(conn: sqlite3.Connection, name: str) -> list[int]:
    """Speakers a user's name may mean: the same written name, the same identity, or,
    for a bare surname, everyone with that surname."""
    ids = {speaker for (speaker,) in conn.execute(
        "SELECT DISTINCT speaker_id FROM entities WHERE name_key = ? AND speaker_id IS NOT NULL", (name_key(name),))}
    capitalised = name[:1].upper() + name[1:]  # identity() ignores lower-case descriptions
    person, group = identity(capitalised, "PERSON"), identity(capitalised, None)
    keys = [found.key for found in (person, group) if found is not None]
    ids.update(speaker for (speaker,) in conn.execute(
        "SELECT id FROM speakers WHERE key IN (SELECT value FROM json_each(?))", (json.dumps(keys),)))
    if person is not None and person.surname is not None:
        ids.update(speaker for (speaker,) in conn.execute(
            "SELECT id FROM speakers WHERE family = ? AND key LIKE ?", (person.surname, f"p:% {person.surname}")))
    return sorted(ids)
