"""The two tiers side by side, whole pipeline: what a user choosing `--model fast` or
`--model accurate` gets.

Accuracy (`quotetrail eval --tool quotetrail --tool quotetrail-accurate`):
PolNeAR dev scored whole (every attribution: quote+speaker F1, per-role exact F1 of
Source, Cue and Content aligned) and the real-page dev set (quotations' quote+speaker
F1). Speed: bench/throughput.py over the real pages' main texts, one process, both
tiers against bare spaCy (words per CPU-second, peak RSS), each in a fresh process.

    python bench/tiers.py [--polnear ../shared/eval/polnear/dev] [--realnews tests/realnews-dev]
                          [--articles 60] [--skip-speed] [--skip-accuracy] [--report DIR]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval"
TOOLS = {"fast": "quotetrail", "accurate": "quotetrail-accurate"}


def percent(figure: dict) -> str:
    return f"{100 * figure['f1']:.1f}"


def accuracy(polnear: Path, realnews: Path, report: str | None) -> None:
    from quotetrail.evaluate import run_eval

    results = run_eval([str(polnear), str(realnews)], list(TOOLS.values()), report)
    if results["skipped_tools"]:
        print(f"skipped: {results['skipped_tools']}", file=sys.stderr)
    corpora = results["corpora"]
    polnear_name = next(name for name in corpora if "polnear" in name.lower())
    real_name = next(name for name in corpora if name != polnear_name)
    print("\n| tier | PolNeAR dev whole q+s F1 | Source | Cue | Content aligned | real-page dev quotations q+s F1 |")
    print("|---|---|---|---|---|---|")
    for tier, tool in TOOLS.items():
        if tool not in corpora[polnear_name]["tools"]:
            continue
        whole = corpora[polnear_name]["tools"][tool]["figures"]
        real = corpora[real_name]["tools"][tool]["figures"]
        print(f"| {tier} | {percent(whole['quote_and_speaker'])} | {percent(whole['roles_exact']['source'])} | "
              f"{percent(whole['roles_exact']['cue'])} | {percent(whole['roles_aligned']['content'])} | "
              f"{percent(real['quotations_quote_and_speaker'])} |")


def speed(articles: int) -> None:
    truth = SHARED / "realnews" / "truth.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "throughput.py"), "--real", str(truth), "--articles",
                    str(articles), "--processes", "1", "--model", "fast", "accurate"], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polnear", type=Path, default=SHARED / "polnear" / "dev")
    parser.add_argument("--realnews", type=Path, default=ROOT / "tests" / "realnews-dev")
    parser.add_argument("--articles", type=int, default=60, help="real-page bodies to time (default 60)")
    parser.add_argument("--report", metavar="DIR", help="also write eval's report.md and results.json here")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-accuracy", action="store_true")
    args = parser.parse_args()
    if not args.skip_accuracy:
        accuracy(args.polnear, args.realnews, args.report)
    if not args.skip_speed:
        speed(args.articles)


if __name__ == "__main__":
    main()
