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
    advice = [m["text"] for m in messages if m["metadata"]["technique"] == "advice"]
    return [line.split(". ", 1)[1] for line in advice[0].splitlines()[1:]] if advice else []


def test_asking_again_on_a_topic_gives_new_items_until_none_are_left():
    talk = Conversation()
    first = _steps(talk.turn(ActionAskAdvice(), GIVING, topic="feedback"))
    assert len(first) == 4 and talk.slots["offer"] == "more_advice"
    second = _steps(talk.turn(ActionAskAdvice(), "more advice"))
    assert len(second) == 4 and not set(first) & set(second)
    assert len(talk.slots["advice_given"]) == 8 and talk.slots["offer"] is None
    third = talk.turn(ActionAskAdvice(), "how do I give feedback?", topic="feedback")
    assert _techniques(third) == ["guidance"] and "all 8" in third[0]["text"]


def test_what_else_after_advice_is_more_advice_unless_the_classifier_is_sure():
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
    assert len(_steps(more)) == 4 and not set(first) & set(_steps(more))


def test_no_topic_twice_gets_general_advice_not_the_same_question():
    talk = Conversation()
    ask = talk.turn(ActionAskAdvice(), "I need some advice")
    assert ask[0]["text"] == mentor.clarify("advice").text
    general = talk.turn(ActionMentorClarified(), "it's complicated, just work stuff",
                        intent="inform", confidence=0.5)
    assert _techniques(general) == ["advice", "introduction"]
    assert general[0]["text"] != ask[0]["text"]
    assert _steps(general) == [item["text"] for item in
                               mentor._text()["general"]["advice"]]
    titles = [b["title"] for b in general[-1]["buttons"]]
    assert titles == ["Resources", "A story", "An assignment"]
    assert talk.slots["expecting"] is None
    # Its buttons carry no topic, and still get an answer rather than "which area?".
    story = talk.turn(ActionAskStory(), "/ask_story", intent="ask_story", confidence=1.0)
    assert _techniques(story) == ["story"]
    assert mentor._text()["general"]["story"] in story[0]["text"]


def test_asking_for_advice_twice_without_a_topic_never_repeats_the_question():
    talk = Conversation()
    first = talk.turn(ActionAskAdvice(), "give me advice")
    second = talk.turn(ActionAskAdvice(), "just give me advice!")
    assert first[0]["text"] != second[0]["text"]
    assert "advice" in _techniques(second)
    # Later, with general advice in between, asking again may ask which area once more.
    third = talk.turn(ActionAskAdvice(), "more advice")
    assert third[0]["text"] == first[0]["text"]


def test_it_depends_twice_in_the_mentor_does_not_repeat_the_question():
    talk = Conversation()
    talk.turn(ActionAskAdvice(), "give me advice")
    reply = talk.turn(ActionItDepends(), "it depends", intent="it_depends")
    assert "advice" in _techniques(reply)


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
