from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import quotetrail

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def extract():
    return quotetrail.extract


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent")
    return SHARED


FUZZ_TALLY = pytest.StashKey[Counter]()


@pytest.fixture(scope="session")
def fuzz_tally(pytestconfig) -> Counter:
    """Generated cases and the seconds they took, summed over the fuzz tests (test_fuzz.py)."""
    return pytestconfig.stash.setdefault(FUZZ_TALLY, Counter())


def pytest_terminal_summary(terminalreporter, config) -> None:
    tally = config.stash.get(FUZZ_TALLY, None)
    if tally:
        terminalreporter.write_line(f"fuzz: {tally['cases']} generated cases in {tally['seconds']:.1f} s")
