"""Confidence: calibrated per way of finding the speaker, and --min-confidence
on extract, ingest and search."""
import json

from quotetrail.cli import main
from quotetrail.link.confidence import confidence

ARTICLE = ("Harbour chief Maria Delgado said the port would reopen on Monday.\n"
           "“We have put a fair offer on the table,” Delgado said.\n"
           "Some residents were unhappy. “The noise never stops,” one complained at the meeting, "
           "and the council promised that it would act.\n")


def test_named_direct_quotes_rank_above_descriptions_and_unresolved_ones():
    assert confidence("named", "direct") > confidence("description", "indirect") > confidence(None, "direct")


def test_min_confidence_filters_extract_output(tmp_path, capsys):
    path = tmp_path / "port.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert main(["extract", str(path)]) == 0
    everything = json.loads(capsys.readouterr().out)["quotes"]
    assert main(["extract", str(path), "--min-confidence", "0.9"]) == 0
    confident = json.loads(capsys.readouterr().out)["quotes"]
    assert confident and len(confident) < len(everything)
    assert all(quote["confidence"] >= 0.9 for quote in confident)
    assert {quote["text"] for quote in confident} < {quote["text"] for quote in everything}


def test_min_confidence_on_ingest_and_search(tmp_path, capsys):
    path = tmp_path / "port.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    everything, confident = tmp_path / "all.db", tmp_path / "confident.db"
    assert main(["ingest", str(path), "--db", str(everything)]) == 0
    assert main(["ingest", str(path), "--db", str(confident), "--min-confidence", "0.9"]) == 0
    capsys.readouterr()

    def found(db, *options):
        assert main(["search", "--db", str(db), "--format", "json", *options]) == 0
        return [hit["confidence"] for hit in json.loads(capsys.readouterr().out)]

    stored = found(everything)
    assert min(stored) < 0.9 and len(found(confident)) < len(stored)
    assert all(value >= 0.9 for value in found(confident))
    assert sorted(found(everything, "--min-confidence", "0.9")) == sorted(value for value in stored if value >= 0.9)
