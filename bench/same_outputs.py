"""Every extraction of the real news bodies, PolNeAR dev and our dev set, as JSON Lines: run
it before and after a speed-up and compare the files (an optimisation must not change one byte).

    python bench/same_outputs.py OUT.jsonl [--real ../shared/eval/realnews/truth.json]
        [--polnear ../shared/eval/polnear/dev] [--dev tests/dev-set] [--rules-only]

Runs through batch.run, as bench/throughput.py's timed loop does, with no time limit (a
busy machine must not turn a slow document into a difference)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from quotetrail import batch
from quotetrail.model import Document
from quotetrail.settings import Analysis

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import real_articles  # noqa: E402


def documents(real: Path | None, polnear: Path | None, dev: Path | None = None) -> list[Document]:
    found = []
    if real is not None:
        pages = json.loads(real.read_text("utf-8"))
        found += [Document(id=f"real/{i}", text=text) for i, text in enumerate(real_articles(real, len(pages)))]
    if polnear is not None:
        found += [Document(id=f"polnear/{path.stem}", text=path.read_text("utf-8"))
                  for path in sorted((polnear / "text").glob("*.txt"))]
    if dev is not None:
        found += [Document(id=f"dev/{path.stem}", text=path.read_text("utf-8")) for path in sorted(dev.glob("*.txt"))]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", type=Path)
    parser.add_argument("--real", type=Path, default=Path("../shared/eval/realnews/truth.json"))
    parser.add_argument("--polnear", type=Path, default=Path("../shared/eval/polnear/dev"))
    parser.add_argument("--dev", type=Path, default=Path(__file__).resolve().parents[1] / "tests" / "dev-set")
    parser.add_argument("--rules-only", action="store_true")
    args = parser.parse_args()
    analysis = Analysis(rules_only=args.rules_only)
    with args.output.open("w", encoding="utf-8") as out:
        for outcome in batch.run(documents(args.real, args.polnear, args.dev), analysis=analysis, doc_timeout=0):
            record = outcome.article.to_dict() if outcome.article else {"not": str(outcome.skipped or outcome.failure)}
            out.write(json.dumps({"id": outcome.id, **record}, ensure_ascii=False, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
