"""The corpus's time buckets (day, week, month, year), in one module of their own: a search's
timeline (read/searching.py) and a speaker's quotations by month (recent.py) both count by
them, and the read layer imports what recent.py's writers do."""
from __future__ import annotations

from datetime import date, timedelta


def bucket_start(day: date, interval: str) -> date:
    if interval == "week":
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    if interval == "year":
        return day.replace(month=1, day=1)
    return day


def next_bucket(start: date, interval: str) -> date | None:
    """The following bucket's start; None past the last day there is."""
    try:
        if interval == "week":
            return start + timedelta(days=7)
        if interval == "month":
            return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
        if interval == "year":
            return start.replace(year=start.year + 1)
        return start + timedelta(days=1)
    except (OverflowError, ValueError):
        return None
