"""Choosing, switching, recommending and explaining the two roles."""
from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (demo_seed, fresh_slot, host, intent_of, persona, say, text_of,
                            topic_of, user_texts)
from actions.common import expect, offer_yes
from bot.dialogue import Expecting, Offer, start_offer
from actions.grow import GROW_REQUESTED, grow_in_progress
from actions.mentor_answers import advise_on, mentor_follow_up, mentor_without_topic
from bot.personas import coach, explain, mentor
from bot.personas.recommend import recommend
from bot.topics import topic_in

# When no topic was recognised, the comparison still needs something concrete to show.
COMPARE_FALLBACK_TOPIC = "leadership"


def meet_mentor(tracker: Tracker) -> List:
    """The mentor's background, said once per person."""
    return [] if tracker.get_slot("mentor_met") else [mentor.introduction()]


def switch_to(dispatcher: CollectingDispatcher, tracker: Tracker, new: str) -> List[EventType]:
    """Changes the persona slot, says what changes, and carries the open topic or GROW over."""
    topic = topic_of(tracker)
    say(dispatcher, host().switch_announcement(new, topic))
    # Always leaves the form; the rules re-enter it when grow_requested is true.
    events: List[EventType] = [
        ActiveLoop(None), SlotSet("requested_slot", None), SlotSet(GROW_REQUESTED, False),
        SlotSet("persona", new), expect(None), offer_yes(None),
        SlotSet("advice_requests", 0.0), SlotSet("it_depends_count", 0.0), SlotSet("topic", topic),
    ]
    if new == "mentor":
        events.append(SlotSet("mentor_met", True))
        say(dispatcher, meet_mentor(tracker))
        if topic:
            say(dispatcher, mentor.continue_on_topic(topic))
            situation = (tracker.get_slot("grow_goal") or tracker.get_slot("grow_reality")
                         or text_of(tracker))
            turn = advise_on(tracker, topic, situation)
            say(dispatcher, turn.replies[0])
            events.append(SlotSet("advice_given", turn.given))
        else:
            events += mentor_without_topic(dispatcher, tracker, "advice")
        return events
    if grow_in_progress(tracker):
        return events + [SlotSet("grow_retry", "resume"), SlotSet(GROW_REQUESTED, True)]
    reply, question_id = coach.outside_grow("opening", topic, text_of(tracker),
                                            tracker.get_slot("asked_questions") or [],
                                            seed=demo_seed(tracker, "opening"))
    say(dispatcher, reply)
    asked = list(tracker.get_slot("asked_questions") or []) + ([question_id] if question_id else [])
    return events + [SlotSet("asked_questions", asked), expect(Expecting.COACH_GOAL)]


class ActionRequestPersona(Action):
    def name(self) -> Text:
        return "action_request_persona"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        return switch_to(dispatcher, tracker, "coach" if intent_of(tracker) == "request_coach" else "mentor")


class ActionDifference(Action):
    def name(self) -> Text:
        return "action_difference"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        roles = host().role_comparison(text_of(tracker))
        if roles is not None:
            say(dispatcher, roles)
            return []
        say(dispatcher, host().difference(detail=False))
        return [offer_yes(Offer.MORE_DIFFERENCE)]


class ActionWhichStyle(Action):
    """Recommends a role from what the person said; one clarifying question if needed."""

    def name(self) -> Text:
        return "action_which_style"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        already_asked = fresh_slot(tracker, "expecting") == Expecting.STYLE_SITUATION
        result = recommend(user_texts(tracker))
        say(dispatcher, result.reply)
        if result.role is None:
            return [expect(None if already_asked else Expecting.STYLE_SITUATION)]
        # "both" offers its starting role; "yes" begins there.
        return [expect(None), offer_yes(start_offer(result.start))]


class ActionExplainTechnique(Action):
    """"Why did you ask that?": the technique of the coach's or mentor's latest turn and
    why it was used on what the person said (both halves of a message that reflects and
    asks; both roles after a comparison). "What did the mentor tell me?": a recap."""

    def name(self) -> Text:
        return "action_explain_technique"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        # "Why?" after the mentor's steps asks for the step's reason, not the technique's.
        follow_up = mentor_follow_up(dispatcher, tracker)
        if follow_up is not None:
            return follow_up
        wanted = host().recap_persona(text_of(tracker))
        if wanted:
            turn = explain.latest_turn(tracker.events, [wanted])
            say(dispatcher, host().recap(wanted, turn.texts(wanted)))
            return []
        turn = explain.latest_turn(tracker.events)
        say(dispatcher, host().explain_why(turn.metadata, turn.words))
        return []


def _situation(tracker: Tracker) -> Optional[str]:
    """The situation to compare on: the one the page's Compare control sends with the
    request (entity `situation`), this message if it has one, else the one before. A
    button payload ("/compare_answers") is not a message of the person's, so then the
    situation is their message before it."""
    given = [e.get("value") for e in (tracker.latest_message or {}).get("entities") or []
             if e.get("entity") == "situation" and isinstance(e.get("value"), str)]
    if given and given[0].strip():
        return given[0].strip()
    texts = user_texts(tracker)
    if text_of(tracker).startswith("/"):
        return texts[-1] if texts else None
    current = texts[-1] if texts else ""
    if fresh_slot(tracker, "expecting") == Expecting.COMPARE_SITUATION:
        return current
    # The reading strips the request's framing ("coach vs mentor on this: ...") and keeps
    # the situation (bot/understanding); a request without one refers to the message
    # before, if that described something ("hi" does not).
    reading = (tracker.latest_message or {}).get("reading") or {}
    if reading.get("control") == "compare" and reading.get("control_source", "phrase") == "phrase":
        if reading.get("situation"):
            return reading["situation"]
    elif len(current.split()) > 12:
        return current
    previous = texts[-2] if len(texts) > 1 else None
    if previous and (len(previous.split()) < 4 or previous.startswith("/")):
        return None
    return previous


class ActionCompareAnswers(Action):
    """Shows how the coach and the mentor would each answer the same situation."""

    def name(self) -> Text:
        return "action_compare_answers"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        situation = _situation(tracker)
        if not situation:
            say(dispatcher, host().compare_intro(""))
            return [expect(Expecting.COMPARE_SITUATION)]
        # A situation sent with the request did not go through the NLU pipeline: its own
        # topic words count first.
        sent = text_of(tracker).startswith("/")
        topic = (topic_in(situation) if sent else None) or topic_of(tracker) or COMPARE_FALLBACK_TOPIC
        asked = list(tracker.get_slot("asked_questions") or [])
        say(dispatcher, host().compare_intro(situation))
        coach_reply, question_id = coach.ask("grow_goal", topic, asked, previous_answer=situation,
                                             seed=demo_seed(tracker, "compare"))
        turn = advise_on(tracker, topic, situation)
        # Tagged as parts of the comparison: the page shows them side by side, and they
        # do not change who the person is talking to (the persona slot stays as it was).
        say(dispatcher, host().compare_part(explain.tag_halves(coach_reply, "grow_goal", question_id), "coach"))
        say(dispatcher, host().compare_part(turn.replies[0], "mentor"))
        say(dispatcher, host().compare_outro())
        return [expect(None), SlotSet("advice_given", turn.given),
                SlotSet("asked_questions", asked + ([question_id] if question_id else []))]


class ActionItDepends(Action):
    """'It depends on what I want': the mentor offers the coach the second time."""

    def name(self) -> Text:
        return "action_it_depends"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        role = persona(tracker)
        if role == "coach":
            reply, _ = coach.outside_grow("it_depends", topic_of(tracker), text_of(tracker),
                                          tracker.get_slot("asked_questions") or [],
                                          seed=demo_seed(tracker, "it_depends"))
            say(dispatcher, reply)
            return []
        if role == "mentor":
            count = int(tracker.get_slot("it_depends_count") or 0) + 1
            if count >= 2:
                say(dispatcher, mentor.it_depends())
                return [SlotSet("it_depends_count", float(count)), offer_yes(Offer.COACH)]
            return ([SlotSet("it_depends_count", float(count))]
                    + mentor_without_topic(dispatcher, tracker, "advice"))
        result = recommend(user_texts(tracker))
        say(dispatcher, result.reply)
        return [offer_yes(start_offer(result.start))] if result.start else []
