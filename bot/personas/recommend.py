"""Recommends the coach or the mentor from what the person has said so far.

Cues (weighted words and phrases) and all wording live in data/content/recommend.yml.
The score is deliberately simple and explainable: the strongest cue group of the winning
role becomes the reason we give the person. When the cues are weak or pull both ways, we
ask one clarifying question instead of guessing. Some situations call for both roles (a
new first-time manager; imposter feelings after a promotion): then the answer is "both",
with what each role takes on, and the role to start with.
"""
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, List, Optional, Sequence, Tuple

from bot.content import load
from bot.reply import Reply, button

ROLES = ("coach", "mentor")
BOTH = "both"
PAYLOADS = {"coach": "/request_coach", "mentor": "/request_mentor"}
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@dataclass
class Recommendation:
    role: Optional[str]          # "coach", "mentor", "both", or None when we need to ask first
    reason_key: Optional[str]    # the cue group or "both" situation that decided it (recommend.yml)
    reply: Reply
    scores: Dict[str, float] = field(default_factory=dict)
    start: Optional[str] = None  # the role a "yes" starts with (the role itself unless "both")


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
    """The plain-words reason for a cue group or a "both" situation, or None for an
    unknown key."""
    for role in ROLES:
        group = load("recommend")["roles"][role].get(reason_key or "")
        if group:
            return group["reason"]
    situation = load("recommend")["both"]["situations"].get(reason_key or "")
    return situation["reason"] if situation else None


def _contains(words: Sequence[str], phrase: Tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(tuple(words[i:i + size]) == phrase for i in range(len(words) - size + 1))


def both_situation(texts: Sequence[str], decided_by: Optional[str] = None) -> Optional[str]:
    """The key of a situation that calls for both roles, if the person's last messages
    describe one: every list under its `needs` has a phrase in one of them, and the usual
    score was not decided by a cue group the situation gives way to (`unless`)."""
    both = load("recommend")["both"]
    recent = [tokens(text) for text in list(texts)[-int(both["window"]):]]
    for key, situation in both["situations"].items():
        if decided_by in (situation.get("unless") or []):
            continue
        if all(any(_contains(words, tuple(tokens(phrase))) for words in recent for phrase in needed)
               for needed in situation["needs"]):
            return key
    return None


def _both_reply(key: str) -> Reply:
    both = load("recommend")["both"]
    situation = both["situations"][key]
    start = situation["start_role"]
    other = "mentor" if start == "coach" else "coach"
    text = both["text"].format(intro=situation["intro"], coach=situation["coach"],
                               mentor=situation["mentor"], start=situation["start"])
    buttons = [button(both["start_button"].format(role=start), PAYLOADS[start]),
               button(both["other_button"].format(role=other), PAYLOADS[other])]
    return Reply(text, "host", "recommendation", buttons)


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
    """Coach, mentor, both or None (ask first), from everything said so far, most recent
    last."""
    settings = load("recommend")["settings"]
    by_reason = score(texts)
    totals = {role: sum(v for (r, _), v in by_reason.items() if r == role) for role in ROLES}
    leader, runner_up = sorted(ROLES, key=lambda role: -totals[role])
    decided = totals[leader] >= settings["min_score"] and \
        totals[leader] - totals[runner_up] >= settings["margin"]
    reason_key = max((key for key in by_reason if key[0] == leader), key=by_reason.get)[1] \
        if decided else None
    both = both_situation(texts, reason_key)
    if both is not None:
        start = load("recommend")["both"]["situations"][both]["start_role"]
        return Recommendation(BOTH, both, _both_reply(both), totals, start)
    if not decided:
        return Recommendation(None, None, clarify(), totals)
    return Recommendation(leader, reason_key, _recommend_reply(leader, reason_key), totals, leader)
