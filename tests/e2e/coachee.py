"""A coachee over HTTP: answers what the coach actually asks (the tracker says which GROW
slot, or which move around it: contract, readiness, staying with a feeling, takeaway), so
tests no longer assume a fixed order of questions (issue 18: GROW is a map, not a form)."""
from typing import Dict, List, Optional

from tests.e2e.servers import DELEGATION_GROW

CONTRACT = "a clear first step I can take this week"
# The obstacle in the coachee's words. (DELEGATION_GROW[8], "I might take it back when I'm
# stressed, ...", is read as a crisis by the safety classifier since d2f92d6: a false alarm
# reported to the safety owner; these tests are about listening, so they say it this way.)
OBSTACLE = "when I'm stressed I grab the work back, so I'll block time to coach Sam instead"
# Answers by GROW slot, from the delegation conversation.
DELEGATION_BY_SLOT = dict(zip(
    ["grow_measure", "grow_reality", "grow_options", "grow_first_step", "grow_deadline",
     "grow_commitment", "grow_commitment_followup", "grow_obstacle"], DELEGATION_GROW[1:-1] + [OBSTACLE]))
# Answers to the moves around GROW.
EXPLORE_ANSWERS = {
    "contract": CONTRACT,
    "readiness_options": "let's look at options",
    "readiness_will": "I'm ready to choose a step",
    "stay": "it is mostly about trust",
    "hold": "I think it is about trust",
    "checkin": "it has been useful so far",
    "takeaway": "that I can let go a little",
    "explore_goal": "I want my team to own more of the work",
    "repair": "keep going",
}


def where(bot, sender) -> Dict[str, Optional[str]]:
    slots = bot.tracker(sender)["slots"]
    queue = (slots.get("coach_state") or {}).get("queue") or []
    return {"slot": slots.get("requested_slot"), "move": queue[0] if queue else None}


def answer_for(bot, sender, by_slot: Dict[str, str]) -> Optional[str]:
    """What this coachee says next, or None when the coach asks for nothing (GROW is over)."""
    now = where(bot, sender)
    if now["slot"] == "grow_explore":
        return EXPLORE_ANSWERS.get(now["move"] or "hold", "go on")
    if now["slot"] is None:
        return None
    return by_slot[now["slot"]]


def play(bot, sender, by_slot: Dict[str, str] = None, max_turns: int = 30) -> List[List[dict]]:
    """Answers until the summary comes; returns every reply (a list of messages each)."""
    by_slot = by_slot or DELEGATION_BY_SLOT
    replies = []
    for _ in range(max_turns):
        answer = answer_for(bot, sender, by_slot)
        if answer is None:
            break
        replies.append(bot.say(sender, answer))
        if any(m["metadata"].get("technique") == "summary" for m in replies[-1]):
            break
    return replies


# The delegation conversation as the coach now runs it (contract, readiness before options
# and before the step, the date in the step confirmed, a stay on the named stress, the
# takeaway); deterministic because the order of moves depends only on the answers.
DELEGATION_COACHING = [
    DELEGATION_GROW[0], CONTRACT, DELEGATION_GROW[1], DELEGATION_GROW[2], "let's look at options",
    DELEGATION_GROW[3], "I'm ready to choose a step", DELEGATION_GROW[4], "7", DELEGATION_GROW[7],
    OBSTACLE, "it is mostly about trust", "that I can let go a little",
]
