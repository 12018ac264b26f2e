"""How the mentor answers a request (advice, resources, a story, an assignment), with or
without a topic, and the state that keeps it from repeating itself: the `advice_given`
slot (items already given) and `offer` (what a "yes" or "what else?" would continue).
Shared by actions/mentoring.py, personas.py and small_talk.py."""
import threading
from typing import List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (confidence_of, earlier_texts, fresh_slot, persona, say, text_of,
                            topic_of)
from actions.common import expect, offer_yes, mentor_kind
from bot.dialogue import Expecting, GENERAL, MENTOR_KIND_SLOT, Offer, SURE
from bot.personas import mentor, situation_mentor, situations

# The situation matcher is trained when the action server starts, not on the first message.
threading.Thread(target=situation_mentor.warm, daemon=True).start()

# kind -> how the mentor answers it on a known topic, given the topic and the message.
# Advice is not here: advise_on() also reads and writes the advice_given slot.
TOPIC_ANSWERS = {
    "resource": lambda topic, text: mentor.resources(topic, text),
    "story": lambda topic, text: [mentor.story(topic)],
    "assignment": lambda topic, text: [mentor.assignment(topic)],
}
ANSWER_KINDS = {"advice", *TOPIC_ANSWERS}
# `mentor_kind` after an answer in general (dialogue.GENERAL): a button under it (Resources,
# A story...) without a topic gets the general one too, instead of "which area?" again.
# `offer` after advice with items left (Offer.MORE_ADVICE): "yes" or an unsure "what else?"
# asks for more.


def advise_on(tracker: Tracker, topic: str, text: str) -> mentor.AdviceTurn:
    """Advice on a topic that fits the person's recent words and skips what was given."""
    return mentor.advise(topic, text, earlier_texts(tracker, mentor.ADVICE_EARLIER_TURNS),
                         tracker.get_slot("advice_given") or [])


def mentor_without_topic(dispatcher: CollectingDispatcher, tracker: Tracker,
                         kind: str) -> List[EventType]:
    """No topic: ask which area. When the bot's last turn asked this very question, or
    answered in general, the mentor answers in general rather than repeat itself. A
    different question is fine (a story after "which situation?" asks which story), and
    "more advice" after general advice asks which area again: not twice in a row."""
    last_kind = fresh_slot(tracker, MENTOR_KIND_SLOT)
    asked = fresh_slot(tracker, "expecting") == Expecting.MENTOR_TOPIC and last_kind == kind
    after_general = last_kind == GENERAL
    if asked or (after_general and kind != "advice"):
        say(dispatcher, mentor.in_general(kind, text_of(tracker)))
        return [expect(None), offer_yes(None), mentor_kind(GENERAL)]
    say(dispatcher, mentor.clarify(kind))
    return [expect(Expecting.MENTOR_TOPIC), offer_yes(None), mentor_kind(kind)]


def named_topic(tracker: Tracker):
    """A topic this message names itself (a non-generic topic entity or a button's topic)."""
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == "topic" and entity.get("value") and not entity.get("role"):
            return entity["value"]
    return None


def situation_turn(dispatcher: CollectingDispatcher, tracker: Tracker,
                   kind: str) -> Optional[List[EventType]]:
    """The mentor's answer from the situation library (bot/personas/situation_mentor.py),
    or None when it has nothing to say (a button for a topic with no situation open)."""
    turn = situation_mentor.respond(text_of(tracker),
                                    earlier_texts(tracker, mentor.ADVICE_EARLIER_TURNS),
                                    tracker.get_slot("mentor_state"), kind, named_topic(tracker))
    if not turn.replies:
        return None
    say(dispatcher, turn.replies)
    # "Yes" or an unsure "what else?" after advice with steps left brings the next ones.
    offer = Offer.MORE_ADVICE if situation_mentor.has_more(turn.state) else None
    events: List[EventType] = [SlotSet("mentor_state", turn.state), expect(None),
                               offer_yes(offer)]
    situation = situations.get(turn.state.get("situation"))
    if situation:
        events.append(SlotSet("topic", situation["topic"]))
    return events


def describes_situation(tracker: Tracker) -> bool:
    """The message describes a situation of the library clearly enough to advise on."""
    text = text_of(tracker)
    return not text.startswith("/") and situations.match(text).verdict == "sure"


def mentor_follow_up(dispatcher: CollectingDispatcher,
                     tracker: Tracker) -> Optional[List[EventType]]:
    """A follow-up to the mentor's advice ("why?", "what should I actually say?", "what if
    they say no?", "A or B?", "what else?", "I'm not changing careers") that the classifier
    read as something else: answered by the mentor when a situation or a "which is
    closer?" question is open. None otherwise."""
    if persona(tracker) != "mentor":
        return None
    state = tracker.get_slot("mentor_state") or {}
    if not (state.get("situation") or state.get("pending") or state.get("asked_open")):
        return None
    text = text_of(tracker)
    waiting = state.get("pending") or state.get("asked_open")
    if text.startswith("/") or (situation_mentor.follow_up_kind(text) is None and not waiting):
        return None
    return situation_turn(dispatcher, tracker, "advice")


def mentor_answer(dispatcher: CollectingDispatcher, tracker: Tracker, kind: str) -> List[EventType]:
    events = situation_turn(dispatcher, tracker, kind)
    if events is not None:
        return events
    topic, text = topic_of(tracker), text_of(tracker)
    if topic is None:
        return mentor_without_topic(dispatcher, tracker, kind)
    events: List[EventType] = [SlotSet("topic", topic), expect(None)]
    if kind != "advice":
        say(dispatcher, TOPIC_ANSWERS[kind](topic, text))
        return events + [offer_yes(None)]
    turn = advise_on(tracker, topic, text)
    say(dispatcher, turn.replies)
    return events + [SlotSet("advice_given", turn.given),
                     offer_yes(Offer.MORE_ADVICE if turn.more else None)]


def wants_more_advice(tracker: Tracker) -> bool:
    """An unsure guess ("what else?" read as a question about the bot) right after advice
    that has more to give: the person wants the rest."""
    return (persona(tracker) == "mentor" and fresh_slot(tracker, "offer") == Offer.MORE_ADVICE
            and confidence_of(tracker) < SURE)
