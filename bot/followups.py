"""Turns due follow-ups into check-in messages, for either delivery route.

Push channels get theirs from bot/scheduler.py through trigger_intent (action_followup_due);
everyone else gets them appended to the reply to their next message (bot/channels/turn.py).
Both routes claim rows atomically in the store, and the pushed route shows a check-in only
if it can move it to delivered (Store.mark_shown): a check-in is shown once, however many
times it is pushed.
"""
import os
import socket
from datetime import datetime
from typing import Any, Dict, List, Optional

from bot.goal_views import checkin
from bot.personas.reflect import reflect
from bot.reply import Reply
from bot.store import StoreUnavailable, get_store

WORKER_ID = f"next-message:{socket.gethostname()}:{os.getpid()}"


def _step_of(goal_text: Optional[str], first_step: Optional[str]) -> str:
    return reflect(first_step or goal_text or "work on your goal")


def _persona_of(goal: Optional[Dict[str, Any]]) -> str:
    return (goal or {}).get("persona") or "coach"


def checkins_due_at_next_message(sender_id: str, now: datetime) -> List[Reply]:
    store = get_store()
    replies = []
    for followup in store.claim_due_for_sender(sender_id, now, WORKER_ID):
        goal = None
        if followup.get("goal_id") is not None:
            try:
                goal = store.get_goal(sender_id, goal_id=followup["goal_id"])
            except LookupError:
                goal = None
        replies.append(checkin(_persona_of(goal), _step_of(followup.get("goal_text"), followup.get("goal_first_step"))))
        store.mark_delivered(followup["id"])
    return replies


def checkin_for_followup(sender_id: str, followup_id: Any) -> Optional[Reply]:
    """The check-in for a follow-up the scheduler claimed and pushed; None if not this
    person's, cancelled, or already shown (a push repeated after a lost answer, a second
    scheduler): the store marks it delivered here, once (Store.mark_shown)."""
    try:
        wanted = int(followup_id)
    except (TypeError, ValueError):
        return None
    followup = get_store().get_followup(sender_id, wanted)
    if not followup or followup.get("status") not in ("claimed", "pending"):
        return None
    if not get_store().mark_shown(sender_id, wanted):
        return None  # another push of the same check-in got there first
    goal = get_store().get_goal(sender_id, goal_id=followup["goal_id"]) if followup.get("goal_id") else None
    return checkin(_persona_of(goal), _step_of(followup.get("goal_text"), followup.get("goal_first_step")))


__all__ = ["checkins_due_at_next_message", "checkin_for_followup", "StoreUnavailable"]
