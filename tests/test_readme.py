"""The README's tour shows what the commands print: each command block followed by an
output block is run, in order, on the bundled samples, and the output shown must appear
in what it prints (a shown excerpt may leave lines out, not change them)."""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
MAX_LINES = 250
# A command block directly followed by the output it prints.
EXAMPLE = re.compile(r"```sh\n(?P<command>[^\n]*)\n(?:[^`]*\n)?```\n\n```text\n(?P<output>.*?)```", re.S)


def _examples() -> list[tuple[str, list[str]]]:
    text = README.read_text(encoding="utf-8")
    return [(match["command"].split("#")[0].strip(), match["output"].splitlines())
            for match in EXAMPLE.finditer(text)]


def _in_order(shown: list[str], printed: list[str]) -> bool:
    lines = iter(line.rstrip() for line in printed)
    return all(any(line == want.rstrip() for line in lines) for want in shown)


def test_readme_is_short():
    assert len(README.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_tour_output_is_what_the_commands_print(tmp_path):
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    environment = {**os.environ, "COLUMNS": "100"}  # the width the README's tables are shown at
    environment.pop("QUOTETRAIL_DB", None)
    examples = _examples()
    assert [command.split()[1] for command, _ in examples] == ["extract", "ingest", "search", "trace", "verify"]
    for command, shown in examples:
        words = shlex.split(command)
        assert words[0] == "quotetrail"
        result = subprocess.run([sys.executable, "-m", "quotetrail.cli", *words[1:]], cwd=tmp_path,
                                capture_output=True, text=True, env=environment)
        assert result.returncode == 0, result.stderr
        printed = (result.stdout + result.stderr).splitlines()
        assert _in_order(shown, printed), f"{command}: README shows\n" + "\n".join(shown) + "\nit prints\n" + \
            "\n".join(printed)
