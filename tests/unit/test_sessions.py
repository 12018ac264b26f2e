"""bot/sessions.py: a new session starts with the same slots and the same active form."""
import asyncio

from rasa.core.actions.action import ActionSessionStart
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted, ActiveLoop, SessionStarted, SlotSet, UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot import sessions
from bot.paths import PROJECT_ROOT

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))
sessions.apply()


def start_new_session(tracker):
    events = asyncio.run(ActionSessionStart().run(None, None, tracker, DOMAIN))
    for event in events:
        tracker.update(event)
    return events


def mid_grow():
    tracker = DialogueStateTracker("ana", DOMAIN.slots)
    for event in [ActionExecuted("action_listen"), UserUttered("coach me", {"name": "request_coach"}),
                  ActionExecuted("action_request_persona"), SlotSet("persona", "coach"),
                  SlotSet("grow_goal", "first draft"), SlotSet("grow_goal", "delegate the report"),
                  ActionExecuted("grow_form"), ActiveLoop("grow_form"),
                  SlotSet("requested_slot", "grow_measure"), ActionExecuted("action_listen")]:
        tracker.update(event)
    return tracker


def test_new_session_keeps_the_form_and_every_slot_value():
    tracker = mid_grow()
    before = tracker.current_slot_values()
    events = start_new_session(tracker)
    assert isinstance(events[0], SessionStarted)
    assert isinstance(events[-1], ActionExecuted) and events[-1].action_name == "action_listen"
    assert tracker.active_loop_name == "grow_form"
    assert tracker.current_slot_values() == before
    assert tracker.get_slot("requested_slot") == "grow_measure"


def test_each_slot_is_carried_over_once_with_its_last_value():
    events = start_new_session(mid_grow())
    carried = [e for e in events if isinstance(e, SlotSet)]
    keys = [e.key for e in carried]
    assert len(keys) == len(set(keys))
    assert SlotSet("grow_goal", "delegate the report") in carried


def test_no_form_no_active_loop_event():
    tracker = DialogueStateTracker("ben", DOMAIN.slots)
    tracker.update(ActionExecuted("action_listen"))
    events = start_new_session(tracker)
    assert not any(isinstance(e, ActiveLoop) for e in events)
    assert tracker.active_loop_name is None


def test_last_slot_events_keeps_order_and_other_events():
    events = [SlotSet("a", 1), ActionExecuted("x"), SlotSet("b", 2), SlotSet("a", 3)]
    assert sessions.last_slot_events(events) == events[1:]


def test_what_the_bot_asked_carries_over_only_if_its_last_turn_asked_it():
    tracker = mid_grow()  # the bot's last turn asked a GROW question, not for a goal
    tracker.update(UserUttered("my measure", {"name": "inform"}))
    tracker.update(ActionExecuted("action_inform"))
    tracker.update(SlotSet("expecting", "coach_goal"))  # stale by the next user message
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("something else", {"name": "inform"}))
    tracker.update(ActionExecuted("action_inform"))
    tracker.update(SlotSet("offer", "mentor"))  # asked in the bot's last turn: still open
    tracker.update(ActionExecuted("action_listen"))
    events = start_new_session(tracker)
    carried = {e.key: e.value for e in events if isinstance(e, SlotSet)}
    assert "expecting" not in carried and tracker.get_slot("expecting") is None
    assert carried["offer"] == "mentor"
