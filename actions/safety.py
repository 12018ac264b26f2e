"""Crisis path and scope refusals. The crisis path stops everything else."""
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import say, text_of
from bot import safety


def _crisis_text_slots(tracker: Tracker) -> List[EventType]:
    """A crisis or out-of-scope message captured as a GROW answer is not an answer."""
    text = text_of(tracker)
    return [SlotSet(name, None) for name, value in tracker.current_slot_values().items()
            if name.startswith("grow_") and value == text]


class ActionSafety(Action):
    def name(self) -> Text:
        return "action_safety"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        say(dispatcher, safety.crisis_replies())
        return _crisis_text_slots(tracker) + [
            ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("safety_check", True),
            SlotSet("safety_misunderstood", 0.0), SlotSet("roleplay_state", None),
            SlotSet("expecting", None), SlotSet("offer", None),
        ]


class ActionSafetyCheck(Action):
    """Stays on 'are you safe?' until the person clearly says they are."""

    def name(self) -> Text:
        return "action_safety_check"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        count = int(tracker.get_slot("safety_misunderstood") or 0)
        replies, resolved, count = safety.safety_check(text_of(tracker), count)
        say(dispatcher, replies)
        return [SlotSet("safety_check", not resolved), SlotSet("safety_misunderstood", float(count))]


class ActionOutOfScope(Action):
    def name(self) -> Text:
        return "action_out_of_scope"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        kind = safety.classify_scope(text_of(tracker)) or "therapy"
        say(dispatcher, safety.scope_reply(kind))
        return _crisis_text_slots(tracker)
