"""One reading of risk for a message, with the conversation's recent messages.

Levels: "crisis" (the full protocol), "concern" (low mood without ideation: a gentle,
direct check-in question) or "none". Sources, strongest first:
1. the lexicon on the whole message (the untruncated text when a channel cut it);
2. the risk classifier: the full protocol when it is sure (classifier.FULL_THRESHOLD), a
   direct question first ("concern", source "classifier") when it finds a crisis likely;
3. the recent messages read together: cues that mean little alone ("i have a plan",
   "and a date", "i wrote letters to my kids") count when an earlier message showed low
   mood or another cue, so a crisis split over two or three messages is caught;
4. low mood alone: concern.
"""
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence, Tuple

from bot.safety import classifier, lexicon

NONE, CONCERN, CRISIS = "none", "concern", "crisis"
# A crisis read from the classifier or from the recent messages together has no category
# of its own; it is answered as active suicidal thoughts, the general protocol.
DEFAULT_CATEGORY = "active_ideation"


@dataclass(frozen=True)
class Risk:
    level: str
    categories: Tuple[str, ...] = ()
    source: str = ""

    @property
    def crisis(self) -> bool:
        return self.level == CRISIS

    @property
    def category(self) -> Optional[str]:
        return self.categories[0] if self.categories else None


def assess_text(text: str, use_classifier: bool = True) -> Risk:
    """The risk one message holds on its own. The open safety check reads its answers
    without the classifier: "I'm safe now" is safety talk, and the check has its own
    reading of hedges and plans."""
    found = lexicon.categories_in(text)
    if found:
        return Risk(CRISIS, tuple(found), "lexicon")
    read = classifier.tier(text) if use_classifier else None
    if read == classifier.CRISIS:
        return Risk(CRISIS, (DEFAULT_CATEGORY,), "classifier")
    if read == classifier.ASK:
        # Likely but not sure: ask directly before anything else, as a crisis line would.
        return Risk(CONCERN, (), "classifier")
    if lexicon.low_mood(text):
        return Risk(CONCERN, (), "low_mood")
    return Risk(NONE)


def _signals(text: str) -> int:
    return lexicon.window_cues(text) + (1 if lexicon.low_mood(text) else 0)


def assess(latest: str, earlier: Sequence[str] = (), use_classifier: bool = True) -> Risk:
    """The risk of the latest message read with the person's `earlier` messages (oldest
    first, only those since the last safety reply, a few at most)."""
    risk = assess_text(latest, use_classifier)
    if risk.crisis or not earlier:
        return risk
    together = " ".join([*earlier, latest])
    found = lexicon.categories_in(together)
    if found and not lexicon.categories_in(" ".join(earlier)):
        return Risk(CRISIS, tuple(found), "window")
    now = lexicon.window_cues(latest)
    before = sum(_signals(text) for text in earlier)
    # The latest message brings a cue and an earlier one showed low mood or a cue.
    if now and before:
        return Risk(CRISIS, (DEFAULT_CATEGORY,), "window")
    # The classifier on the messages together, when the latest brings a cue or a word of
    # harm: it must be sure ("i'm tired of fighting" / "my brain" / "every day it tells me
    # to end it").
    if use_classifier and (now or lexicon.has_distress_cue(latest)) and classifier.is_sure(together):
        return Risk(CRISIS, (DEFAULT_CATEGORY,), "window")
    return risk


def recent(texts: Iterable[str], limit: int = 3) -> Tuple[str, ...]:
    """The last `limit` of the person's earlier messages, oldest first."""
    kept = [text for text in texts if text]
    return tuple(kept[-limit:])


# The bot's safety replies: the recent messages read together start after the last one,
# so a crisis already answered (or a check already closed) is not counted again.
SAFETY_ACTIONS = frozenset({"action_safety", "action_safety_check", "action_safety_concern",
                            "action_safety_concern_answer", "action_session_start"})


def earlier_texts(newest_first: Iterable[Tuple[str, str]], limit: int = 3) -> Tuple[str, ...]:
    """The person's messages before the latest one, oldest first, back to the last safety
    reply or the session start. `newest_first` yields ("user", text) and ("action", name)
    pairs from the newest event back; the first user message is the latest one itself."""
    texts = []
    seen_latest = False
    for kind, value in newest_first:
        if kind == "action" and value in SAFETY_ACTIONS:
            break
        if kind == "user":
            if not seen_latest:
                seen_latest = True
                continue
            texts.append(value or "")
            if len(texts) == limit:
                break
    return tuple(reversed(texts))
