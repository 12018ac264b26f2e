"""Moved to bot/understanding/written_details.py (understanding has one home); this name
keeps the mentor's imports working."""
from bot.understanding.written_details import (  # noqa: F401
    COUNT, DEADLINE, DURATION, EVENTS, MONEY, NUMBER_WORDS, counts, durations, events, extract,
    merge, money, names, since,
)

__all__ = ["COUNT", "DEADLINE", "DURATION", "EVENTS", "MONEY", "NUMBER_WORDS", "counts", "durations",
           "events", "extract", "merge", "money", "names", "since"]
