"""Whether a message that asks to drop or edit a goal is clear enough to act on (pure).

A change happens only when the message names the goal (by its number or its words), or
when there is only one active goal and the message is sure: it says "goal" (or "it" in a
short message) and the classifier is confident. Otherwise the bot asks, with buttons.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional

_NUMBER = re.compile(r"\b(?:goal|number|no\.?|#)\s*#?\s*(\d{1,3})\b|^\s*(\d{1,3})\s*$|\bdrop (\d{1,3})\b",
                     re.IGNORECASE)
_GOAL_WORD = re.compile(r"\b(goal|goals|objective|target|deadline|measure|first step)\b", re.IGNORECASE)
SURE = 0.8
SHORT = 14


def named_number(text: str) -> Optional[int]:
    match = _NUMBER.search(text or "")
    if not match:
        return None
    return int(next(g for g in match.groups() if g))


_COMMAND_WORDS = {"drop", "dropping", "delete", "remove", "change", "changing", "edit", "update",
                  "goal", "goals", "want", "wanna", "with", "that", "this", "from", "about", "please",
                  "deadline", "give", "giving", "abandon", "scrap", "cancel", "rename", "reword",
                  "move", "push", "should", "would", "could", "instead", "anymore", "longer",
                  "working", "pursue", "pursuing", "forget", "just", "really", "think", "then",
                  "measure", "first", "step", "date", "wording", "make", "into", "there", "they"}


def _content_words(text: str) -> List[str]:
    return [w for w in re.findall(r"[a-z]+", (text or "").lower())
            if len(w) >= 4 and w not in _COMMAND_WORDS]


def named_by_words(text: str, goals: List[Mapping[str, Any]]) -> Optional[Mapping[str, Any]]:
    """The one goal the message names by its words: two shared words (one for a goal of
    three words or fewer), and no other goal as close."""
    said = {w[:5] for w in _content_words(text)}
    scored = []
    for goal in goals:
        words = {w[:5] for w in _content_words(goal.get("text") or "")}
        if goal.get("topic"):
            words.update(w[:5] for w in str(goal["topic"]).split("_") if len(w) >= 4)
        shared = len(said & words)
        needed = 1 if len(words) <= 3 else 2
        if shared >= needed:
            scored.append((shared, goal))
    scored.sort(key=lambda row: -row[0])
    if not scored or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def target(text: str, goals: List[Mapping[str, Any]], intent_confidence: float) -> Optional[Mapping[str, Any]]:
    """The goal to change without asking, or None (then ask)."""
    number = named_number(text)
    if number is not None:
        return next((g for g in goals if g.get("number") == number), None)
    by_words = named_by_words(text, [g for g in goals if g.get("status") == "active"])
    if by_words is not None:
        return by_words
    active = [g for g in goals if g.get("status") == "active"]
    words = len((text or "").split())
    if (len(active) == 1 and intent_confidence >= SURE and words <= SHORT
            and _GOAL_WORD.search(text or "")):
        return active[0]
    return None


def as_dict(goal: Optional[Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    return dict(goal) if goal is not None else None
