"""Dialogue act and control request of a message, by the phrase patterns in
data/understanding/acts.yml (first match in file order wins)."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import List, Optional, Pattern, Tuple

from bot.understanding.details import load

# Short answers that are answers, not filler, when the bot has just asked something.
_SHORT_ANSWERS = re.compile(r"^(yes|no|yeah|yep|yup|nope|nah|sure|ok(ay)?|fine|maybe|not sure|"
                            r"i guess|dunno|idk|right|alright|correct|exactly|definitely|absolutely)\W*$")


_GOODBYE = re.compile(r"\b(bye|goodbye|see you|see ya|good night|ttyl|talk (to you )?(later|soon|tomorrow))\b")
# A whole message that only takes leave ("thanks, bye", "gotta go", "that's it for today"):
# unlike a goodbye word inside an answer ("see you soon" to "when will you talk to her?").
_LEAVE_TAKING = re.compile(
    r"(?:(?:ok(?:ay)?|k|thanks?|thank you|thx|ty|cheers|great|cool|right|alright|anyway|sorry)[\s,.!]*)*"
    r"(?:bye(?: for now)?|goodbye|see (?:you|ya)(?: later| tomorrow| next time)?|good ?night|ttyl|"
    r"(?:i )?(?:gotta|got to|have to|need to|must) (?:go|run|leave)(?: now)?|"
    r"(?:that's|that is|thats) (?:it|all|enough) for (?:today|now)|talk (?:to you )?later)"
    r"(?:[\s,.!]+(?:for now|then|thanks?|thank you|bye))*[\s,.!]*")


_LAST_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def leave_taking(text: str) -> bool:
    """The message takes leave: all of it, or its last sentence after a few words of thanks
    ("Thank you. That helped. Bye.")."""
    low = (text or "").strip().lower().replace("\u2019", "'")
    if _LEAVE_TAKING.fullmatch(low):
        return True
    sentences = _LAST_SENTENCE.split(low)
    return len(sentences) > 1 and len(low.split()) <= 12 and bool(_LEAVE_TAKING.fullmatch(sentences[-1]))


_CHOOSING = re.compile(r"\b(whether|which (one|is|do|should|would)|should i (get|have|talk)|"
                       r"(coach|mentor) or (a |the )?(coach|mentor))\b")


def normalise(text: str) -> str:
    text = (text or "").replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


@lru_cache(maxsize=1)
def _compiled() -> Tuple[List[Tuple[str, List[Pattern]]], List[Tuple[str, List[Pattern]]]]:
    data = load("acts")
    feelings = sorted((w.lower() for w in load("details")["feelings"]), key=len, reverse=True)
    feeling_alt = "|".join(re.escape(w) for w in feelings)
    controls = [(name, [re.compile(p) for p in patterns]) for name, patterns in data["controls"].items()]
    acts = [(name, [re.compile(p.replace("FEELING", feeling_alt)) for p in patterns])
            for name, patterns in data["acts"].items()]
    return controls, acts


def find_control(norm: str) -> Optional[Tuple[str, re.Match]]:
    controls, _ = _compiled()
    for name, patterns in controls:
        if name == "stop" and _GOODBYE.search(norm):
            continue  # "that's all for today, bye" takes leave
        if name in ("switch_coach", "switch_mentor") and _CHOOSING.search(norm):
            continue  # "not sure whether I need a coach or a mentor" asks which
        for pattern in patterns:
            match = pattern.search(norm)
            if match:
                return name, match
    return None


def find_act(norm: str, bot_asked: Optional[str]) -> Tuple[str, float]:
    _, acts = _compiled()
    words = len(norm.split())
    if bot_asked and _SHORT_ANSWERS.match(norm):
        return "answer", 0.8
    for name, patterns in acts:
        for pattern in patterns:
            if not pattern.search(norm):
                continue
            if name == "social" and words > 6:
                continue  # "hi, can you help me with my manager" is more than a greeting
            if name == "question" and bot_asked and not norm.endswith("?") and words > 8:
                continue  # a long reply opening with "is"/"do" is an answer
            if name == "request" and bot_asked and not pattern.pattern.startswith("\\b(can|could"):
                continue  # "I want to cut the budget slide" answers the bot's question
            return name, (0.9 if name in ("filler", "correction", "complaint") else 0.8)
    if bot_asked:
        return "answer", 0.75
    return "answer", 0.5
