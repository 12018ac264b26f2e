"""Requests a work coach or mentor must not answer, each referred to the right
professional: the referral comes first and the conversation carries on with the work part."""
from functools import lru_cache
from typing import Dict, List, Optional, Pattern

from bot.content import load
from bot.reply import Reply
from bot.safety import lexicon
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
    """The kind of professional question the text asks, or None."""
    clean = fold(text)
    for kind, patterns in _patterns().items():
        if any(pattern.search(clean) for pattern in patterns) and \
                not any(pattern.search(clean) for pattern in _unless().get(kind, [])):
            return kind
    return None


def scope_reply(kind: Optional[str]) -> Reply:
    """A short honest referral and what the person can still work on here; a request the
    bot is not for, with no professional kind, gets the general line."""
    texts = load("safety")["replies"]["scope"]
    key = kind or "general"
    if key not in texts:
        raise ValueError(f"unknown scope kind {kind!r}; expected one of {SCOPE_KINDS}")
    return host_reply(texts[key])
