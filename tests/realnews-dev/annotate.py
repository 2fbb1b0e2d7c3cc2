"""Write hand annotations into a page's gold file, placing them by the exact
strings in the page's reference body (never by hand-typed offsets).

    python tests/realnews-dev/annotate.py show PAGE_STEM      the body, paragraph by paragraph, and its gold
    python tests/realnews-dev/annotate.py add PAGE_STEM SPEC  merge SPEC's lines into PAGE_STEM.gold.json
    python tests/realnews-dev/annotate.py add tests/dev-set/NAME.gold.json SPEC   the same for a dev-set
                                                              article (its text: NAME.txt beside it)

SPEC, one line each (blank lines and lines starting with # skipped):
    @about TEXT
    @source NAME | ROLE | ALIAS; ALIAS
    @entity NAME | TYPE | ALIAS; ALIAS
    @notquote TEXT
    KIND | SPEAKER | CUE | TEXT [| REPORTED_BY; ... [| NOTE]]     (SPEAKER or CUE "-": none)
    optional KIND | SPEAKER | CUE | TEXT [| REPORTED_BY [| NOTE]]
Every TEXT must occur in the body within one paragraph; a TEXT equal to an
optional quote's moves that entry into the quotes. Entries are then ordered by
where they occur in the body (repeated strings: the next occurrence), the
order the loader locates them in.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1].parent / "shared" / "eval" / "realnews"
sys.path.insert(0, str(HERE.parents[1] / "src"))

from quotetrail.evaluate.adapters.realpages import reference_body  # noqa: E402
from quotetrail.evaluate.kinds import KINDS  # noqa: E402


def body_of(stem: str) -> str:
    if stem.endswith(".gold.json"):  # a dev-set article: its text beside it
        return Path(stem.removesuffix(".gold.json") + ".txt").read_text(encoding="utf-8")
    truth = json.loads((SHARED / "truth.json").read_text(encoding="utf-8"))
    return reference_body(truth[stem + ".html"])


def gold_path(stem: str) -> Path:
    return Path(stem) if stem.endswith(".gold.json") else HERE / f"{stem}.gold.json"


def _place(body: str, items: list[dict[str, Any]], where: str) -> list[dict[str, Any]]:
    """Items sorted by offset in the body; each text's next free occurrence."""
    placed: list[tuple[int, int, dict[str, Any]]] = []
    taken: set[int] = set()
    for number, item in enumerate(items):
        text = item["text"]
        position = body.find(text)
        while position in taken:
            position = body.find(text, position + 1)
        if position < 0:
            raise SystemExit(f"{where}: not in the body: {text!r}")
        if "\n" in text:
            raise SystemExit(f"{where}: runs over a paragraph break: {text!r}")
        taken.add(position)
        placed.append((position, number, item))
    return [item for _, _, item in sorted(placed, key=lambda entry: (entry[0], entry[1]))]


def _fields(line: str) -> list[str]:
    return [part.strip() for part in line.split("|")]


def _quote(parts: list[str], where: str) -> dict[str, Any]:
    if len(parts) < 4 or parts[0] not in KINDS:
        raise SystemExit(f"{where}: want KIND | SPEAKER | CUE | TEXT, got {parts}")
    kind, speaker, cue, text = parts[:4]
    reported = [name.strip() for name in parts[4].split(";") if name.strip()] if len(parts) > 4 else []
    return {"kind": kind, "text": text, "speaker": None if speaker == "-" else speaker,
            "cue": None if cue == "-" else cue, "reported_by": reported,
            "note": parts[5] if len(parts) > 5 else ""}


def add(stem: str, spec: Path) -> None:
    path = gold_path(stem)
    data: dict[str, Any] = (json.loads(path.read_text(encoding="utf-8")) if path.exists() else
                            {"page": f"{stem}.html.gz", "about": "", "headings": [], "sources": {},
                             "entities": {}, "quotes": [], "not_quotes": [], "optional_quotes": []})
    for number, line in enumerate(spec.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{spec}:{number}"
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@about "):
            data["about"] = line.removeprefix("@about ").strip()
        elif line.startswith(("@source ", "@entity ")):
            name, second, aliases = (_fields(line.split(" ", 1)[1]) + ["", ""])[:3]
            table, key = ("sources", "role") if line.startswith("@source") else ("entities", "type")
            data.setdefault(table, {})[name] = {key: second, "aliases": [a.strip() for a in aliases.split(";") if a.strip()]}
        elif line.startswith("@notquote "):
            data.setdefault("not_quotes", []).append(_fields(line.removeprefix("@notquote "))[0])
        elif line.startswith("optional "):
            data.setdefault("optional_quotes", []).append(_quote(_fields(line.removeprefix("optional ")), where))
        else:
            quote = _quote(_fields(line), where)
            optional = data.get("optional_quotes", [])
            data["optional_quotes"] = [item for item in optional if item["text"] != quote["text"]]
            data["quotes"].append(quote)
    body = body_of(stem)
    data["quotes"] = _place(body, data["quotes"], str(path))
    data["optional_quotes"] = _place(body, data.get("optional_quotes", []), str(path))
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    counts = {kind: sum(item["kind"] == kind for item in data["quotes"]) for kind in KINDS}
    print(f"{path.name}: {counts}, {len(data['optional_quotes'])} optional")


def show(stem: str) -> None:
    for number, paragraph in enumerate(body_of(stem).split("\n")):
        if paragraph.strip():
            print(f"[{number}] {paragraph}")
    path = gold_path(stem)
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        for field in ("quotes", "optional_quotes"):
            for item in data.get(field, []):
                print(f"  {field[:3]} {item['kind']} | {item['speaker']} | {item['cue']} | {item['text'][:80]}")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "show":
        show(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "add":
        add(sys.argv[2], Path(sys.argv[3]))
    else:
        raise SystemExit(__doc__)
