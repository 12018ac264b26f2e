"""Control requests and repairs the reading found (bot/understanding/control.py decides)."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import host, now_utc, persona, say, topic_of
from bot.personas import coach
from bot.store import StoreUnavailable, get_store
from bot.understanding import control


def reading(tracker: Tracker) -> Dict[str, Any]:
    data = (tracker.latest_message or {}).get("reading")
    return data if isinstance(data, dict) else {}


class ActionControl(Action):
    """Start over, change the topic, or repair after a complaint or a correction."""

    def name(self) -> Text:
        return "action_control"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        read = reading(tracker)
        grow_slots = list(coach.GROW_SLOTS)
        in_grow = tracker.active_loop.get("name") == "grow_form" if tracker.active_loop else False
        if read.get("control") == "start_over":
            outcome = control.start_over(grow_slots)
        elif read.get("control") == "change_topic":
            outcome = control.change_topic(read.get("new_topic"), persona(tracker), grow_slots)
        else:
            # A correction of the mentor's situation ("I'm not changing careers, I want to
            # learn SQL") is answered by the mentor, who rules that situation out.
            from actions.mentor_answers import mentor_follow_up

            follow_up = mentor_follow_up(dispatcher, tracker)
            if follow_up is not None:
                return follow_up
            outcome = control.repair(read.get("act") or "complaint", in_grow)
        say(dispatcher, outcome.replies)
        events: List[EventType] = []
        if outcome.end_form:
            events.append(ActiveLoop(None))
        events += [SlotSet(slot, None) for slot in outcome.clear]
        if outcome.start_from:
            from actions.grow import start_grow_events

            events += start_grow_events(outcome.start_from, topic_of(tracker))
        elif outcome.end_form:
            events.append(SlotSet("grow_requested", False))
        return events


class ActionUndo(Action):
    """"undo": puts the last dropped or edited goal back as it was (for UNDO_MINUTES)."""

    def name(self) -> Text:
        return "action_undo"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        record = control.undoable(tracker.get_slot("last_goal_change"), now_utc())
        if record is None:
            say(dispatcher, control.undo_nothing())
            return []
        try:
            goal = get_store().update_goal(tracker.sender_id, record["goal_id"], **record["before"])
        except StoreUnavailable:
            say(dispatcher, host().store_unavailable())
            return []
        except (KeyError, ValueError, LookupError):
            say(dispatcher, control.undo_nothing())
            return [SlotSet("last_goal_change", None)]
        say(dispatcher, control.undo_done(goal["number"], goal["text"]))
        return [SlotSet("last_goal_change", None)]
