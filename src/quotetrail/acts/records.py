"""Typed records of the describe stage: what an attribution does, to whom, where, about whom.

Offsets are characters into the text the user gave, like every span of quotetrail.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..model import Act, Party, Setting, SettingKind
# How the act was decided: the cue word alone, its frame in the parse ("called for", "declined to
# comment", a participle under "disputed"), the reported content ("said the charges were false"),
# or the attribution it carries on (a quotation without a cue of its own).
ActSource = Literal["cue", "frame", "content", "carried"]
# Acts that have a target: whom the act is about.
TARGETED_ACTS: frozenset[str] = frozenset({"accuse", "deny", "criticize", "praise", "threaten", "warn", "demand"})

# PLOVER event type of an act, where one fits (docs/acts.md gives the reasons):
# the act of speech, not what the words say happened.
PLOVER: dict[str, str] = {
    "accuse": "ACCUSE", "criticize": "ACCUSE", "deny": "REJECT", "reject": "REJECT",
    "praise": "SUPPORT", "agree": "AGREE", "demand": "REQUEST", "threaten": "THREATEN",
}


@dataclass(frozen=True)
class Description:
    """The describe stage's answer for one quotation (article.quotes[i])."""

    act: Act
    act_by: ActSource
    plover: str | None = None
    addressee: Party | None = None
    setting: Setting | None = None
    target: Party | None = None
