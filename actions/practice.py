"""Practise coaching: the person plays the coach, the bot a coachee (bot/practice)."""
from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import last_bot_metadata, say, text_of
from actions.common import expect
from bot.dialogue import CONTROL_SURE
from bot.practice import labeller, round as practice_round

# The labeller trains on first use; start now so the first round's replies do not wait.
labeller.warm_up()


# As sure as the override policy must be before a control request wins (CONTROL_SURE).


def _control(tracker: Tracker) -> Optional[str]:
    """The control request ("stop", ...) the understanding layer read, sure, in the person's
    own phrasing; None otherwise. The policy sends a sure "stop" here during a round."""
    reading = (tracker.latest_message or {}).get("reading")
    if (isinstance(reading, dict) and reading.get("act") == "control"
            and reading.get("control_source", "phrase") == "phrase"
            and float(reading.get("confidence") or 0.0) >= CONTROL_SURE):
        return reading.get("control")
    return None


class ActionPracticeStart(Action):
    """'I want to practise coaching' (or the page's Practise button): a new round with a
    scenario named in the message, else the next one in turn. Any form or role-play stops."""

    def name(self) -> Text:
        return "action_practice_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        rounds = int(tracker.get_slot("practice_rounds") or 0)
        replies, state = practice_round.start(text_of(tracker), rounds)
        say(dispatcher, replies)
        return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("grow_requested", False),
                SlotSet("roleplay_state", None),
                expect(None), SlotSet("practice_state", state),
                SlotSet("practice_rounds", float(rounds + 1))]


class ActionPracticeTurn(Action):
    """Every message while a round runs (the override policy sends it here, after safety):
    the coachee answers in character, labelled with the message's label; "stop" or
    "give me feedback" ends the round with feedback. After a safety message the round ends."""

    def name(self) -> Text:
        return "action_practice_turn"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        state = tracker.get_slot("practice_state")
        if not isinstance(state, dict):
            return [SlotSet("practice_state", None)]
        if last_bot_metadata(tracker).get("technique") == "safety":
            # A crisis message interrupted the round: the person is not dropped back into it.
            say(dispatcher, practice_round.after_safety())
            return [SlotSet("practice_state", None)]
        replies, state = practice_round.turn(state, text_of(tracker), stop=_control(tracker) == "stop")
        say(dispatcher, replies)
        return [SlotSet("practice_state", state)]
