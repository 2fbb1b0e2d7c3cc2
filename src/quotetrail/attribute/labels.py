"""A line that opens with a name and a colon, a headline's or a transcript turn's convention:
the name frames what follows ("Kasich: ‘We Are Going To Go All The Way’", "SANDERS: We will
win", "Gillibrand on the Speeches: ‘I Think She Will’"). One definition for the tagger's
attributions (learned.py: the colon is their cue) and for their speakers (link/resolve.py)."""
from __future__ import annotations

import re

# One to four capitalised words, none "On", then maybe a topic ("on the Debate"), then the colon.
_LABEL = re.compile(r"[ \t]*((?:(?!On\b)[A-Z][\w.’'\-]*[ \t]+){0,3}(?!On\b)[A-Z][\w.’'\-]*)"
                    r"(?:[ \t]+[Oo]n[ \t][^:\n]{1,80})?:")


def line_label(text: str, line: int) -> re.Match[str] | None:
    """The label that opens the line starting at offset `line`, if it opens with one: group 1
    is the name ("Dr. Ben Carson" of "Dr. Ben Carson on the Debate:"); the match ends after
    the colon, the line's first."""
    return _LABEL.match(text, line)
