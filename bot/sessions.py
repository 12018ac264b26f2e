"""Conversation sessions: they end after an hour of silence (domain.yml,
session_expiration_time), and the person notices nothing.

Why sessions end at all: Rasa loads, replays and turns into dialogue states every event
of the current session on every turn, so a session that never ends makes each turn
slower the longer someone uses the bot (docs/performance.md). Goals and check-ins live in
our own store, and slots carry over into the new session.

How a new session begins is our own `action_session_start` (actions/sessions.py, listed in
domain.yml: Rasa's documented extension point; it runs on the action server, so `rasa
shell`, `rasa test` and `make run` start sessions the same way). It differs from Rasa's
default in three ways:
- It carries the active loop over as well: someone who answers the GROW question after
  lunch would otherwise have the answer read as a new request; now the form picks up
  exactly where it was.
- Rasa's default copies every SlotSet event of the old session (each session then starts
  longer than the last). We set each slot that differs from its initial value once, to its
  current value: the same values.
- `expecting` and `offer` mean something only when the bot's last turn set them
  (bot/policies/override_policy.py, fresh_value): they carry over only in that case, so a
  stale "what is your goal?" cannot come back to life in the new session. A practise
  round (`practice_state`) does not carry over either: after an hour of silence the
  person's "hello" is not a line to the coachee.

The functions read the tracker as the action server receives it (rasa_sdk's Tracker: event
dicts, the current slot values, the active loop) and return rasa_sdk event dicts.
"""
from typing import Any, Dict, List, Mapping, Optional, Set

from bot.dialogue import TURN_SCOPED_SLOTS  # expecting, offer, mentor_kind: defined once there
# Slots that end with the session (bot/practice: an abandoned practise round).
SESSION_SCOPED_SLOTS = ("practice_state",)


def set_in_bots_last_turn(events: List[Dict[str, Any]]) -> Set[str]:
    """Slots set since the person's last message. The session starts before the new
    message is logged, so these are the ones the bot's last turn set."""
    keys = set()
    for event in reversed(events):
        if event.get("event") == "user":
            break
        if event.get("event") == "slot":
            keys.add(event.get("name"))
    return keys


def initial_values(domain: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    """Each slot's initial value, from the domain the action server is sent."""
    slots = (domain or {}).get("slots") or {}
    return {name: (spec or {}).get("initial_value") for name, spec in slots.items()}


def handed_over(slots: Mapping[str, Any], events: List[Dict[str, Any]], active_loop: Optional[str],
                domain: Optional[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """The events that begin the new session: SessionStarted, one SlotSet for each slot
    that carries over, the active loop, then action_listen (as Rasa's default closes)."""
    from rasa_sdk.events import ActionExecuted, ActiveLoop, SessionStarted, SlotSet

    stale = (set(TURN_SCOPED_SLOTS) - set_in_bots_last_turn(events)) | set(SESSION_SCOPED_SLOTS)
    initial = initial_values(domain)
    carry_over = ((domain or {}).get("session_config") or {}).get("carry_over_slots_to_new_session", True)
    carried = [SlotSet(name, value) for name, value in slots.items()
               if carry_over and name not in stale and value != initial.get(name)]
    # The form's own slots (requested_slot) are among them; the loop itself comes after.
    loop = [ActiveLoop(active_loop)] if active_loop else []
    return [SessionStarted(), *carried, *loop, ActionExecuted("action_listen")]
