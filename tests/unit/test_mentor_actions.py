"""The mentor's actions over several turns, without Rasa: advice that is never repeated,
no clarifying question twice in a row, "what else?" and "yes" after advice, and which
topic a generic mention of the manager counts as."""
from typing import Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import topic_of
from actions.mentoring import ActionAskAdvice, ActionAskStory, ActionMentorClarified
from actions.personas import ActionItDepends
from actions.small_talk import ActionAffirm, ActionCapabilities
from bot.personas import mentor
from bot.topics import GENERIC_ROLE

GIVING = "I have to give feedback to a colleague who keeps missing deadlines"


class Conversation:
    """Plays turns through actions the way the Rasa server would: the user event first,
    the topic slot from a non-generic entity, then the action's messages and slot events."""

    def __init__(self, **slots):
        self.slots: Dict = {"persona": "mentor", "mentor_met": True, **slots}
        self.events: List[Dict] = []

    def turn(self, action, text: str, intent: str = "ask_advice", confidence: float = 0.95,
             topic: Optional[str] = None, generic: bool = False) -> List[Dict]:
        entities = []
        if topic:
            entities.append({"entity": "topic", "value": topic,
                             **({"role": GENERIC_ROLE} if generic else {})})
            if not generic:
                self.slots["topic"] = topic
        latest = {"text": text, "intent": {"name": intent, "confidence": confidence},
                  "entities": entities}
        self.events.append({"event": "user", "text": text, "parse_data": latest})
        tracker = Tracker("ana", dict(self.slots), latest, list(self.events), False, None, {},
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


def _techniques(messages):
    return [m["metadata"]["technique"] for m in messages]


def _steps(messages):
    """The numbered steps of the first advice message (their text, without the why)."""
    advice = [m["text"] for m in messages if m["metadata"]["technique"] == "advice"]
    if not advice:
        return []
    return [line.split(". ", 1)[1] for line in advice[0].splitlines()
            if line[:1].isdigit() and ". " in line]


# Issue 19 changed what these show: advice comes from the situation the person describes
# (bot/personas/situation_mentor.py), not from the topic's list, and when the steps run
# out the mentor says so and names who would know instead of "I've already given you
# all 8 of my steps"; a request that describes nothing is asked about once and then
# answered plainly, never with a general five-step list.

def test_asking_again_gives_new_steps_until_none_are_left_then_names_who_would_know():
    talk = Conversation()
    first = _steps(talk.turn(ActionAskAdvice(), GIVING, topic="feedback"))
    assert len(first) == 4 and talk.slots["offer"] == "more_advice"
    second = _steps(talk.turn(ActionAskAdvice(), "more advice"))
    assert second and not set(first) & set(second)
    third = talk.turn(ActionAskAdvice(), "more advice")
    assert _techniques(third) == ["guidance"]
    assert "already given you all" not in third[0]["text"] and "who'd know" in third[0]["text"]


def test_what_else_after_advice_is_more_advice_unless_it_asks_something_else():
    talk = Conversation()
    first = _steps(talk.turn(ActionAskAdvice(), GIVING, topic="feedback"))
    more = talk.turn(ActionCapabilities(), "what else?", intent="ask_capabilities", confidence=0.61)
    assert _techniques(more) == ["advice", "introduction"]
    assert not set(first) & set(_steps(more))
    sure = Conversation()
    sure.turn(ActionAskAdvice(), GIVING, topic="feedback")
    reply = sure.turn(ActionCapabilities(), "what can you do?", intent="ask_capabilities")
    assert reply[0]["metadata"]["persona"] == "host"


def test_yes_after_advice_gives_the_rest():
    talk = Conversation()
    first = _steps(talk.turn(ActionAskAdvice(), GIVING, topic="feedback"))
    more = talk.turn(ActionAffirm(), "yes please", intent="affirm")
    assert _steps(more) and not set(first) & set(_steps(more))


def test_no_situation_twice_gets_a_plain_answer_not_the_same_question_or_a_generic_list():
    talk = Conversation()
    ask = talk.turn(ActionAskAdvice(), "I need some advice")
    assert _techniques(ask) == ["guidance"] and "?" in ask[0]["text"]
    plain = talk.turn(ActionMentorClarified(), "it's complicated, just work stuff",
                      intent="inform", confidence=0.5)
    assert plain[0]["text"] != ask[0]["text"]
    assert "I can't tell yet which area" not in plain[0]["text"]
    assert not _steps(plain)


def test_asking_for_advice_twice_without_a_situation_never_repeats_the_question():
    talk = Conversation()
    first = talk.turn(ActionAskAdvice(), "give me advice")
    second = talk.turn(ActionAskAdvice(), "just give me advice!")
    assert first[0]["text"] != second[0]["text"]


def test_it_depends_twice_in_the_mentor_does_not_repeat_the_question():
    talk = Conversation()
    first = talk.turn(ActionAskAdvice(), "give me advice")
    reply = talk.turn(ActionItDepends(), "it depends", intent="it_depends")
    assert all(m["text"] != first[0]["text"] for m in reply)


def test_a_generic_mention_of_the_manager_never_replaces_the_topic():
    def tracker(slot_topic, *entities):
        latest = {"text": "x", "intent": {"name": "inform", "confidence": 1.0},
                  "entities": list(entities)}
        return Tracker("ana", {"topic": slot_topic}, latest, [], False, None, {}, "action_listen")

    generic = {"entity": "topic", "value": "managing_up", "role": GENERIC_ROLE}
    specific = {"entity": "topic", "value": "meetings"}
    assert topic_of(tracker(None, generic)) == "managing_up"
    assert topic_of(tracker("promotion", generic)) == "promotion"
    assert topic_of(tracker("promotion", generic, specific)) == "meetings"
    assert topic_of(tracker("promotion", {"entity": "topic", "value": "managing_up"})) == "managing_up"


def test_a_different_question_may_follow_but_never_the_same_one_twice():
    talk = Conversation()
    talk.turn(ActionAskAdvice(), "give me advice")
    which_story = talk.turn(ActionAskStory(), "tell me a story", intent="ask_story")
    assert which_story[0]["text"] == mentor.clarify("story").text
    story = talk.turn(ActionAskStory(), "any story really", intent="ask_story")
    assert _techniques(story) == ["story"] and story[0]["text"] != which_story[0]["text"]
