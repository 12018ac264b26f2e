"""Reads a progress report: the goal is done, a step was taken, or it has not happened yet.

The words live in data/content/goals.yml (progress_words). Only "done" closes the goal
and cancels its check-ins, so a finished first step ("I did the first step") is progress
on the goal, not the end of it.
"""
import re
from functools import lru_cache
from typing import Dict, Pattern, Tuple

from bot.content import load

DONE, PROGRESS, NOT_YET = "done", "progress", "not_yet"


@lru_cache(maxsize=None)
def _patterns() -> Dict[str, Tuple[Pattern[str], ...]]:
    words = load("goals")["progress_words"]
    return {kind: tuple(re.compile(p, re.IGNORECASE) for p in words[kind])
            for kind in ("not_yet", "done", "part_only")}


def progress_kind(text: str) -> str:
    """DONE, PROGRESS or NOT_YET for what the person reported."""
    low = (text or "").replace("\u2019", "'")
    patterns = _patterns()
    if any(p.search(low) for p in patterns["not_yet"]):
        return NOT_YET
    if any(p.search(low) for p in patterns["done"]) \
            and not any(p.search(low) for p in patterns["part_only"]):
        return DONE
    return PROGRESS
