"""The practise-coaching actions without Rasa: slots set and cleared, labels in metadata,
a sure 'stop' read by the understanding layer, and a round interrupted by safety."""
from typing import Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.practice import ActionPracticeStart, ActionPracticeTurn


class Round:
    """Plays turns through the actions as the Rasa server would: the user event, then the
    action's messages and slot events."""

    def __init__(self):
        self.slots: Dict = {}
        self.events: List[Dict] = []

    def turn(self, action, text: str, reading: Optional[Dict] = None) -> List[Dict]:
        latest = {"text": text, "intent": {"name": "inform", "confidence": 0.9}, "entities": []}
        if reading is not None:
            latest["reading"] = reading
        self.events.append({"event": "user", "text": text, "parse_data": latest})
        tracker = Tracker("trainer", dict(self.slots), latest, list(self.events), False, None, {},
                          "action_listen")
        dispatcher = CollectingDispatcher()
        for event in action.run(dispatcher, tracker, {}):
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
            self.events.append(event)
        for message in dispatcher.messages:
            self.events.append({"event": "bot", "text": message.get("text"),
                                "metadata": message.get("metadata") or {}})
        return dispatcher.messages

    def bot_says(self, text: str, technique: str) -> None:
        self.events.append({"event": "bot", "text": text,
                            "metadata": {"persona": "host", "technique": technique}})


def test_start_sets_the_round_and_turns_carry_labels():
    talk = Round()
    start = talk.turn(ActionPracticeStart(), "I want to practise coaching someone who can't delegate")
    assert [m["metadata"]["technique"] for m in start] == ["practice", "practice"]
    assert talk.slots["practice_state"]["scenario"] == "delegation"
    assert talk.slots["practice_rounds"] == 1.0 and talk.slots["grow_requested"] is False
    reply = talk.turn(ActionPracticeTurn(), "What's taking up your evenings?")
    assert reply[0]["metadata"]["practice_label"] == "open_question"
    assert reply[0]["metadata"]["practice_depth"] == "surface"
    assert talk.slots["practice_state"]["told"] == 1


def test_a_sure_stop_from_the_understanding_layer_ends_with_feedback():
    talk = Round()
    talk.turn(ActionPracticeStart(), "I want to practise coaching")
    talk.turn(ActionPracticeTurn(), "What would you like to focus on?")
    unsure = talk.turn(ActionPracticeTurn(), "pause for a second",
                       reading={"act": "control", "control": "stop", "confidence": 0.5})
    assert unsure[0]["metadata"]["technique"] == "practice"
    end = talk.turn(ActionPracticeTurn(), "pause for a second",
                    reading={"act": "control", "control": "stop", "confidence": 0.95})
    assert [m["metadata"]["technique"] for m in end] == ["practice_feedback"]
    assert talk.slots["practice_state"] is None


def test_the_next_round_meets_another_coachee():
    talk = Round()
    talk.turn(ActionPracticeStart(), "I want to practise coaching")
    first = talk.slots["practice_state"]["scenario"]
    talk.turn(ActionPracticeTurn(), "stop")
    talk.turn(ActionPracticeStart(), "I want to practise coaching")
    assert talk.slots["practice_state"]["scenario"] != first


def test_after_a_safety_message_the_round_is_not_picked_up_again():
    talk = Round()
    talk.turn(ActionPracticeStart(), "I want to practise coaching")
    talk.bot_says("Are you safe right now?", "safety")
    reply = talk.turn(ActionPracticeTurn(), "What's on your mind?")
    assert "left the practise round" in reply[0]["text"]
    assert "practice_label" not in reply[0]["metadata"]
    assert talk.slots["practice_state"] is None


def test_a_lost_round_state_ends_quietly():
    talk = Round()
    talk.slots["practice_state"] = "garbage"
    assert talk.turn(ActionPracticeTurn(), "What's up?") == []
    assert talk.slots["practice_state"] is None
