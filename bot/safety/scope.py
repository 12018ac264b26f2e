"""Requests a work coach or mentor must not answer, each referred to the right
professional: the referral comes first and the conversation carries on with the work part."""
import re
from functools import lru_cache
from typing import Dict, List, Optional, Pattern

from bot.content import load
from bot.reply import Reply
from bot.safety import lexicon, scope_model
from bot.safety.replies import host_reply
from bot.safety.text import fold

# First kind that matches wins: the more specific referrals come first.
SCOPE_KINDS = ("medication", "diagnosis", "grief_trauma", "therapy", "immigration", "tax",
               "investment", "contract_law")


@lru_cache(maxsize=None)
def _patterns() -> Dict[str, List[Pattern]]:
    scope = load("safety")["scope"]
    return {kind: [lexicon.compile_pattern(p) for p in scope[kind]] for kind in SCOPE_KINDS}


@lru_cache(maxsize=None)
def _unless() -> Dict[str, List[Pattern]]:
    return {kind: [lexicon.compile_pattern(p) for p in pats]
            for kind, pats in (load("safety").get("scope_unless") or {}).items()}


def classify_scope(text: str) -> Optional[str]:
    """The kind of professional question the text asks, or None: the patterns first,
    then the referral classifier for wordings they miss (only when it is sure)."""
    clean = fold(text)
    for kind, patterns in _patterns().items():
        if any(pattern.search(clean) for pattern in patterns) and \
                not any(pattern.search(clean) for pattern in _unless().get(kind, [])):
            return kind
    # The classifier only reads questions: "my therapist suggested I work with a coach"
    # or "I work in tax compliance" are statements about work, not questions for a
    # professional.
    kind = scope_model.classify(clean) if _QUESTION.search(clean) else None
    if kind and not any(pattern.search(clean) for pattern in _unless().get(kind, [])):
        return kind
    return None


_QUESTION = re.compile(r"\?|^(?:how|what|which|should|can|could|is|are|do|does|will|would|why|when|where|"
                       r"am i|any idea|any advice)\b|\b(?:should i|can i|could i|do i|is it|is this|"
                       r"are they|will i|would it|how (?:do|can|much|long|many))\b")


def scope_reply(kind: Optional[str]) -> Reply:
    """A short honest referral and what the person can still work on here; a request the
    bot is not for, with no professional kind, gets the general line."""
    texts = load("safety")["replies"]["scope"]
    key = kind or "general"
    if key not in texts:
        raise ValueError(f"unknown scope kind {kind!r}; expected one of {SCOPE_KINDS}")
    return host_reply(texts[key])
