"""Safety: crisis detection by risk category, the graded response, the safety check that
only a clear "I'm safe" closes, and the scope referrals. One module per concern:

text.py        folding text so the lexicon reads any spelling the same way
lexicon.py     the crisis lexicon and look-alikes (data/content/safety_lexicon.yml)
classifier.py  a small scikit-learn risk classifier beside the lexicon
risk.py        one reading of risk for a message and the recent messages
check.py       the open safety check and the answer to the low-mood question
replies.py     what the host says, with helplines for where the person is
scope.py       questions for a doctor, lawyer, accountant, adviser or counsellor
"""
from bot.safety.check import concern_answer, safety_check
from bot.safety.lexicon import (CATEGORIES, categories_in, crisis_patterns, exclusion_patterns,
                                has_distress_cue, is_lookalike)
from bot.safety.replies import crisis_replies, region_for
from bot.safety.risk import CONCERN, CRISIS, NONE, Risk, assess, assess_text, earlier_texts, recent
from bot.safety.scope import SCOPE_KINDS, classify_scope, scope_reply
from bot.safety.text import fold, normalise

PERSONA, TECHNIQUE = "host", "safety"


def crisis_kind(text: str):
    """The most urgent crisis category in one message, or None."""
    found = categories_in(text)
    return found[0] if found else None


def warm_up() -> None:
    """Compile the lexicon and train the classifier now (server start-up)."""
    assess_text("warm up")
    classify_scope("warm up?")


def detect_crisis(text: str) -> bool:
    return assess_text(text).crisis


__all__ = [
    "CATEGORIES", "CONCERN", "CRISIS", "NONE", "PERSONA", "Risk", "SCOPE_KINDS", "TECHNIQUE",
    "assess", "assess_text", "earlier_texts", "categories_in", "classify_scope", "concern_answer", "crisis_kind",
    "crisis_patterns", "crisis_replies", "detect_crisis", "exclusion_patterns", "fold",
    "has_distress_cue", "is_lookalike", "normalise", "recent", "region_for", "safety_check",
    "scope_reply", "warm_up",
]
