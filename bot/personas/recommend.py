"""Recommends the coach or the mentor from what the person has said so far.

Cues (weighted words and phrases) and all wording live in data/content/recommend.yml.
The score is deliberately simple and explainable: the strongest cue group of the winning
role becomes the reason we give the person. When the cues are weak or pull both ways, we
ask one clarifying question instead of guessing.
"""
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, List, Optional, Sequence, Tuple

from bot.content import load
from bot.reply import Reply, button

ROLES = ("coach", "mentor")
PAYLOADS = {"coach": "/request_coach", "mentor": "/request_mentor"}
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@dataclass
class Recommendation:
    role: Optional[str]          # "coach", "mentor", or None when we need to ask first
    reason_key: Optional[str]    # the cue group that decided it (see recommend.yml)
    reply: Reply
    scores: Dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class _Cue:
    words: Tuple[str, ...]
    weight: float
    role: str
    reason: str


def stem(word: str) -> str:
    """Light suffix stripping so cues match simple inflections (delegate, delegating,
    delegated, delegates); both cues and messages go through it, so it need only be
    consistent, not linguistically right."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            # planned -> plann -> plan; putting -> putt -> put (but not fall, miss, agree)
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
                word = word[:-1]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def tokens(text: str) -> List[str]:
    normalised = (text or "").lower().replace("\u2019", "'").replace("-", " ")
    return [stem(word) for word in _WORD.findall(normalised)]


@lru_cache(maxsize=None)
def _cues() -> Tuple[_Cue, ...]:
    cues = [
        _Cue(tuple(tokens(phrase)), float(weight), role, reason)
        for role in ROLES
        for reason, group in load("recommend")["roles"][role].items()
        for phrase, weight in group["cues"].items()
    ]
    # Longest phrases first, so they claim their words before single-word cues do.
    return tuple(sorted(cues, key=lambda cue: -len(cue.words)))


def _matches(text: str) -> List[_Cue]:
    """Cues found in one message; each cue counts once and no word counts twice."""
    words = tokens(text)
    claimed = [False] * len(words)
    found: List[_Cue] = []
    for cue in _cues():
        size = len(cue.words)
        for start in range(len(words) - size + 1):
            span = range(start, start + size)
            if tuple(words[start:start + size]) == cue.words and not any(claimed[i] for i in span):
                for i in span:
                    claimed[i] = True
                found.append(cue)
                break
    return found


def score(texts: Sequence[str]) -> Dict[Tuple[str, str], float]:
    """Weight per (role, reason); recent messages count more than older ones."""
    decay = float(load("recommend")["settings"]["decay"])
    totals: Dict[Tuple[str, str], float] = {}
    for age, text in enumerate(reversed(list(texts))):
        for cue in _matches(text):
            key = (cue.role, cue.reason)
            totals[key] = totals.get(key, 0.0) + cue.weight * decay ** age
    return totals


def reason_text(reason_key: Optional[str]) -> Optional[str]:
    """The plain-words reason for a cue group, or None for an unknown key."""
    for role in ROLES:
        group = load("recommend")["roles"][role].get(reason_key or "")
        if group:
            return group["reason"]
    return None


def clarify() -> Reply:
    """The one question we ask when the cues do not settle it."""
    return Reply(load("recommend")["texts"]["clarify"], "host", "recommendation")


def _recommend_reply(role: str, reason_key: str) -> Reply:
    texts = load("recommend")["texts"]
    other = "mentor" if role == "coach" else "coach"
    text = " ".join([texts["recommend"].format(role=role, reason=reason_text(reason_key)),
                     texts["offer"]])
    buttons = [button(texts["start_button"].format(role=role), PAYLOADS[role]),
               button(texts["other_button"].format(role=other), PAYLOADS[other])]
    return Reply(text, "host", "recommendation", buttons)


def recommend(texts: Sequence[str]) -> Recommendation:
    """Coach, mentor or None (ask first), from everything said so far, most recent last."""
    settings = load("recommend")["settings"]
    by_reason = score(texts)
    totals = {role: sum(v for (r, _), v in by_reason.items() if r == role) for role in ROLES}
    leader, runner_up = sorted(ROLES, key=lambda role: -totals[role])
    if totals[leader] < settings["min_score"] or \
            totals[leader] - totals[runner_up] < settings["margin"]:
        return Recommendation(None, None, clarify(), totals)
    reason_key = max((key for key in by_reason if key[0] == leader), key=by_reason.get)[1]
    return Recommendation(leader, reason_key, _recommend_reply(leader, reason_key), totals)
