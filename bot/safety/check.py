"""The open safety check: only a clear "I'm safe" with nothing risky after it closes it.

An answer is read in this order: a new risk (lexicon, recent messages) or anything risky (a
plan, a decision, a time: "for now", "until tonight", "I've decided", the means), a
misunderstanding, not safe or unsure, unclear or hedged ("ok", "safe enough"), a clear
"safe" or yes with at most a couple of words that are neither reassurance nor filler.
"""
import re
from functools import lru_cache
from typing import Dict, List, Pattern, Sequence, Tuple

from bot.content import load
from bot.reply import Reply
from bot.safety import lexicon, replies
from bot.safety.risk import assess
from bot.safety.text import fold


@lru_cache(maxsize=None)
def _patterns() -> Dict[str, List[Pattern]]:
    return {name: [lexicon.compile_pattern(p) for p in pats]
            for name, pats in load("safety")["check"].items()
            if name not in ("function_words", "max_leftover", "max_leftover_safe")}


def _matches(name: str, clean: str) -> bool:
    return any(pattern.search(clean) for pattern in _patterns()[name])


def _without(names: Sequence[str], clean: str) -> str:
    for name in names:
        for pattern in _patterns()[name]:
            clean = pattern.sub(" ", clean)
    return clean


def _leftover(clean: str) -> List[str]:
    """The words of an answer that are neither a "safe", reassurance nor function words."""
    clean = _without(("safe", "ok_with_reassurance", "bare_yes", "reassuring"), clean)
    ignored = {str(word) for word in load("safety")["check"]["function_words"]}
    return [word for word in re.split(r"[^\w']+", clean) if word and word not in ignored]


def _clear(clean: str) -> bool:
    """Whether a "safe" or "yes" answer says nothing else that needs asking about. A spoken
    "I'm safe" ("not in danger", "I won't hurt myself") may come with what the person is
    doing or who is with them, in up to `max_leftover_safe` words, none of them worrying (a
    word of harm or despair, a wish, a "but", a later time); a bare "yes" with at most
    `max_leftover` words."""
    rules = load("safety")["check"]
    rest = _leftover(clean)
    if not _says_safe(clean):
        return len(rest) <= rules["max_leftover"]
    if len(rest) > rules["max_leftover_safe"]:
        return False
    # The worrying words are looked for in the answer less its "safe" and the reassuring
    # phrases that hold one ("the urge has gone"), function words kept: "i'm safe but i
    # won't be here much longer".
    said = re.sub(r"\b(?:safe|safely|safer)\b", " ",
                  _without(("safe", "ok_with_reassurance", "settled"), _without_means_away(clean)))
    return not (_matches("worrying", said) or _matches("away_for_now", said)
                or lexicon.has_distress_cue(said))


def _says_safe(clean: str) -> bool:
    """A spoken "safe" ("I'm safe", "not in danger", "I won't hurt myself"), or "I'm ok"
    beside reassurance ("I'm with my partner now, I'm okay")."""
    return _matches("safe", clean) or (_matches("ok_with_reassurance", clean)
                                       and _matches("reassuring", clean))


def _without_means_away(clean: str) -> str:
    for pattern in _patterns()["means_away"]:
        clean = pattern.sub(" ", clean)
    return clean


def safety_check(text: str, misunderstood_count: int = 0, earlier: Sequence[str] = (),
                 region: str = "") -> Tuple[List[Reply], bool, int]:
    """Read one answer while the safety check is open.

    Returns (replies, resolved, new misunderstood_count); the count is reset to 0 once
    resolved, so a later crisis starts afresh. A first "you misunderstood" never resolves:
    a person brushing it off gets one direct question before the check closes.
    """
    clean = fold(text)
    risk = assess(text, earlier, use_classifier=False)
    if risk.crisis or _matches("risky", _without_means_away(clean)):
        return replies.still_at_risk(risk.categories, region), False, misunderstood_count
    says_safe = _says_safe(clean) or _matches("bare_yes", clean)
    if _matches("misunderstood", clean) and not _matches("not_safe", clean):
        if misunderstood_count == 0 or not says_safe:
            key = "misunderstood_first" if misunderstood_count == 0 else "misunderstood_again"
            return [replies.ask(key)], False, misunderstood_count + 1
        return [replies.resolved(region)], True, 0
    if _matches("not_safe", clean) or (_matches("bare_no", clean) and not _matches("safe", clean)):
        return replies.not_safe(region), False, misunderstood_count
    if _matches("unclear", clean) or _matches("hedge", clean):
        return [replies.ask("unclear")], False, misunderstood_count
    if _says_safe(clean) or _matches("bare_yes", clean):
        if not _clear(clean):
            # "I'm safe" beside words that may say otherwise, or a bare "yes" beside more
            # than a couple of words: ask plainly rather than close on a guess.
            return [replies.ask("unclear")], False, misunderstood_count
        return [replies.resolved(region)], True, 0
    return [replies.ask("off_topic")], False, misunderstood_count


def concern_answer(text: str, earlier: Sequence[str] = ()) -> str:
    """The answer to the gentle question after low mood ("do you have thoughts of not
    wanting to be alive?"): "crisis" for any yes, hedge or risk, "no" for a clear no,
    else "unclear"."""
    clean = fold(text)
    if assess(text, earlier, use_classifier=False).crisis or _matches("risky", clean):
        return "crisis"
    if _matches("bare_no", clean) or _matches("denial", clean):
        return "no"
    if (_matches("bare_yes", clean) or _matches("not_safe", clean) or _matches("unclear", clean)
            or _matches("sometimes", clean)):
        return "crisis"
    return "unclear"
