"""Conversation sessions: they end after an hour of silence (domain.yml,
session_expiration_time), and the person notices nothing.

Why sessions end at all: Rasa loads, replays and turns into dialogue states every event
of the current session on every turn, so a session that never ends makes each turn
slower the longer someone uses the bot (docs/performance.md). Goals and check-ins live in
our own store, and slots carry over into the new session (carry_over_slots_to_new_session).

Two changes to Rasa's own session start:
- It leaves the active form behind: someone who answers the GROW question after lunch
  would have the answer read as a new request. We carry the active loop over as well, so
  the form picks up exactly where it was.
- It copies every SlotSet event of the old session into the new one (each session then
  starts longer than the last). We keep only the last event of each slot: the same values.
  `expecting` and `offer` mean something only when the bot's last turn set them
  (bot/policies/override_policy.py, fresh_value): they carry over only in that case, so a
  stale "what is your goal?" cannot come back to life in the new session. A practise
  round (`practice_state`) does not carry over either: after an hour of silence the
  person's "hello" is not a line to the coachee.

Applied once, when Rasa imports this project's channels (bot/channels/__init__.py).
"""
from typing import Any, List, Set

TURN_SCOPED_SLOTS = ("expecting", "offer")
# Slots that end with the session (bot/practice: an abandoned practise round).
SESSION_SCOPED_SLOTS = ("practice_state",)
_applied = False


def last_slot_events(events: List[Any]) -> List[Any]:
    """The events with only the last SlotSet of each slot kept (at its own position)."""
    from rasa.shared.core.events import SlotSet

    last = {event.key: index for index, event in enumerate(events) if isinstance(event, SlotSet)}
    return [event for index, event in enumerate(events)
            if not isinstance(event, SlotSet) or last[event.key] == index]


def set_in_bots_last_turn(tracker: Any) -> Set[str]:
    """Slots set since the person's last message. The session starts before the new
    message is logged, so these are the ones the bot's last turn set."""
    from rasa.shared.core.events import SlotSet, UserUttered

    keys = set()
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, SlotSet):
            keys.add(event.key)
    return keys


def handed_over(events: List[Any], tracker: Any) -> List[Any]:
    """Rasa's session-start events for `tracker`, as the new session should begin."""
    from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet

    stale = (set(TURN_SCOPED_SLOTS) - set_in_bots_last_turn(tracker)) | set(SESSION_SCOPED_SLOTS)
    events = [event for event in last_slot_events(events)
              if not (isinstance(event, SlotSet) and event.key in stale)]
    loop = tracker.active_loop_name
    if loop and events and isinstance(events[-1], ActionExecuted):
        # After the carried-over slots, before the closing action_listen.
        events.insert(len(events) - 1, ActiveLoop(loop))
    return events


def patch_session_start() -> None:
    from rasa.core.actions.action import ActionSessionStart

    original = ActionSessionStart.run

    async def run(self: Any, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> List[Any]:
        return handed_over(await original(self, output_channel, nlg, tracker, domain), tracker)

    ActionSessionStart.run = run


def apply() -> None:
    global _applied
    if not _applied:
        patch_session_start()
        _applied = True
