"""One practise round: start it, answer each of the person's messages in character with that
message's label, and end it with feedback (on "stop", "give me feedback", ... or by itself
after `max_turns` messages). Safety is not handled here: the dialogue policy sends a crisis
message to the safety path before a round ever sees it."""
import re
from typing import Dict, List, Optional, Tuple

from bot.content import load
from bot.practice import coachee
from bot.practice.feedback import feedback
from bot.reply import Reply


def _normalise(text: str) -> str:
    text = (text or "").lower().replace("\u2019", "'")
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s'\-]", " ", text)).strip()


def is_stop(text: str) -> bool:
    """A whole-message stop ("stop", "feedback please") or a phrase such as "end practice"
    or "give me feedback" anywhere. A coaching line that merely contains "stop" ("what
    would you stop doing?") is not a stop."""
    stop = load("practice")["stop"]
    normalised = _normalise(text)
    whole = {_normalise(w) for w in stop["whole"]}
    lead_ins = sorted((_normalise(w) for w in stop["lead_in"]), key=len, reverse=True)
    candidates = {normalised}
    for lead_in in lead_ins:
        if normalised.startswith(lead_in + " "):
            candidates.add(normalised[len(lead_in) + 1:])
    if candidates & whole:
        return True
    return any(re.search(r"(?<![\w'])" + re.escape(_normalise(p)) + r"(?![\w'])", normalised)
               for p in stop["phrases"])


def start(text: str, rounds_done: int = 0) -> Tuple[List[Reply], Dict]:
    return coachee.start(text, rounds_done)


def turn(state: Dict, text: str, stop: bool = False) -> Tuple[List[Reply], Optional[Dict]]:
    """One of the person's messages in a round. Returns (replies, new state); the state is
    None when the round is over (the last reply is then the feedback). `stop`: the dialogue
    already read the message as a request to stop."""
    state = coachee.normalise_state(state)
    if stop or is_stop(text):
        return [_labelled(feedback(state), "other")], None
    reply, state, label = coachee.reply_to(state, text)
    if len(state["lines"]) >= load("practice")["max_turns"]:
        return [reply, coachee.closing(state, label), _labelled(feedback(state), label)], None
    return [reply], state


def _labelled(reply: Reply, label: str) -> Reply:
    """Every reply to a message in a round carries that message's label."""
    reply.extra["practice_label"] = label
    return reply


def after_safety() -> Reply:
    """Said instead of the coachee's next line when a safety message came in between."""
    return Reply(text=" ".join(load("practice")["after_safety"].split()), persona="host",
                 technique="practice")
