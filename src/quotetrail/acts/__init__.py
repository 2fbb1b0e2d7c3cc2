"""Describe stage (after link): the act, addressee, setting and target of every attribution."""
from .describe import describe, interview_outlets
from .records import PLOVER, TARGETED_ACTS, Act, ActSource, Description, Party, Setting, SettingKind

__all__ = ["describe", "interview_outlets", "Description", "Party", "Setting", "Act", "ActSource",
           "SettingKind", "PLOVER", "TARGETED_ACTS"]
