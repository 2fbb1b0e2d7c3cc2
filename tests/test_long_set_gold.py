"""The long-piece speaker set (tests/realnews-long): every quote is in its page's reference
body, names a speaker the file lists, and the pages are long."""
import json
from pathlib import Path

import pytest

from quotetrail.evaluate.adapters.realpages import check_against_truth, reference_body

LONG_SET = Path(__file__).parent / "realnews-long"


def test_every_long_set_quote_is_in_its_pages_body_with_a_listed_speaker(shared_dir):
    truth_path = shared_dir / "eval" / "realnews" / "truth.json"
    if not truth_path.is_file():
        pytest.skip(f"{truth_path} is absent")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    files = sorted(LONG_SET.glob("*.gold.json"))
    assert len(files) >= 3
    for file in files:
        data = json.loads(file.read_text(encoding="utf-8"))
        assert data["page"] == file.name.removesuffix(".gold.json") + ".html.gz"
        check_against_truth(data, truth, str(file))
        assert len(reference_body(truth[data["page"].removesuffix(".gz")]).split()) >= 3000
        for quote in data["quotes"]:
            assert quote["kind"] in ("direct", "mixed"), (file.name, quote["text"])
            assert quote["speaker"] is None or quote["speaker"] in data["entities"], (file.name, quote["speaker"])
