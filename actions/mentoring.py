"""Advice, resources, stories, assignments, role-play and plan feedback (and the coach's
refusal to advise)."""
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (demo_seed, earlier_texts, fresh_slot, host, persona, say, text_of,
                            topic_of)
from actions.common import expect, offer_yes
from bot.dialogue import MENTOR_KIND_SLOT, Offer
from actions.mentor_answers import ANSWER_KINDS, mentor_answer
from actions.personas import meet_mentor
from bot.personas import coach, roleplay, situation_mentor
from bot.personas.plan_review import review


def as_mentor(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> List[EventType]:
    """No role chosen yet: the mentor fits a request for advice; say so and how to change."""
    if persona(tracker) is not None:
        return []
    say(dispatcher, host().auto_role_announcement("mentor", reason))
    say(dispatcher, meet_mentor(tracker))
    return [SlotSet("persona", "mentor"), SlotSet("mentor_met", True)]


def _coach_turns_back(dispatcher: CollectingDispatcher, tracker: Tracker, plea: str) -> List[EventType]:
    """The coach answers a plea for advice with a question; the second time it offers the mentor."""
    count = int(tracker.get_slot("advice_requests") or 0) + 1
    kind = plea if count < 2 else "advice_plea_repeat"
    asked = list(tracker.get_slot("asked_questions") or [])
    reply, question_id = coach.outside_grow(kind, topic_of(tracker), text_of(tracker), asked,
                                            seed=demo_seed(tracker, kind))
    say(dispatcher, reply)
    events: List[EventType] = [SlotSet("advice_requests", float(count)),
                               SlotSet("asked_questions", asked + ([question_id] if question_id else []))]
    if count >= 2:
        events.append(offer_yes(Offer.MENTOR))
    return events


class ActionAskAdvice(Action):
    def name(self) -> Text:
        return "action_ask_advice"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if persona(tracker) == "coach":
            return _coach_turns_back(dispatcher, tracker, "advice_plea")
        return as_mentor(dispatcher, tracker, "ask_advice") + mentor_answer(dispatcher, tracker, "advice")


class ActionAskResource(Action):
    def name(self) -> Text:
        return "action_ask_resource"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if persona(tracker) == "coach":
            return _coach_turns_back(dispatcher, tracker, "resource_plea")
        return as_mentor(dispatcher, tracker, "ask_resource") + mentor_answer(dispatcher, tracker, "resource")


class ActionAskStory(Action):
    def name(self) -> Text:
        return "action_ask_story"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if persona(tracker) == "coach":
            return _coach_turns_back(dispatcher, tracker, "advice_plea")
        return as_mentor(dispatcher, tracker, "ask_story") + mentor_answer(dispatcher, tracker, "story")


class ActionAskAssignment(Action):
    def name(self) -> Text:
        return "action_ask_assignment"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if persona(tracker) == "coach":
            return _coach_turns_back(dispatcher, tracker, "advice_plea")
        return as_mentor(dispatcher, tracker, "ask_assignment") + mentor_answer(dispatcher, tracker, "assignment")


class ActionMentorClarified(Action):
    """The answer to the mentor's 'which area?' question: now give what was asked for."""

    def name(self) -> Text:
        return "action_mentor_clarified"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        asked = fresh_slot(tracker, MENTOR_KIND_SLOT)
        kind = asked if asked in ANSWER_KINDS else "advice"
        # Asked once already: no topic now gets a general answer, never the same question.
        return mentor_answer(dispatcher, tracker, kind)


class ActionRequestRoleplay(Action):
    """Role-play is a mentoring technique: the mentor takes over (and says so) if needed."""

    def name(self) -> Text:
        return "action_request_roleplay"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        from rasa_sdk.events import ActiveLoop

        events: List[EventType] = [ActiveLoop(None), SlotSet("requested_slot", None)]
        if persona(tracker) != "mentor":
            say(dispatcher, host().switch_announcement("mentor", topic_of(tracker)))
            say(dispatcher, meet_mentor(tracker))
            events += [SlotSet("persona", "mentor"), SlotSet("mentor_met", True)]
        text = text_of(tracker)
        last = _mentor_state(tracker).get(LAST_SCENE)
        if roleplay.is_rerun(text) and isinstance(last, dict):
            # "Let's run it again" after the feedback: the same scene, same person.
            replies, state = roleplay.restart(last)
        else:
            # "Role-play it" under advice: who to play and what's at stake are in what the
            # person said before.
            replies, state = roleplay.start(text, topic_of(tracker), earlier_texts(tracker, 3))
        say(dispatcher, replies)
        return events + [SlotSet("roleplay_state", state)]


# The finished scene is kept in mentor_state so "let's run it again" can restart it.
LAST_SCENE = "roleplay_last"


def _mentor_state(tracker: Tracker) -> dict:
    state = tracker.get_slot("mentor_state")
    return state if isinstance(state, dict) else {}


class ActionRoleplayTurn(Action):
    def name(self) -> Text:
        return "action_roleplay_turn"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        state = tracker.get_slot("roleplay_state")
        if not isinstance(state, dict):
            return [SlotSet("roleplay_state", None)]
        replies, state, finished = roleplay.turn(state, text_of(tracker))
        say(dispatcher, replies)
        events: List[EventType] = [SlotSet("roleplay_state", None if finished else state)]
        if finished:
            events.append(SlotSet("mentor_state", {**_mentor_state(tracker), LAST_SCENE: state}))
        return events


class ActionSharePlan(Action):
    """A plan: the mentor says what is strong, what is risky and one improvement."""

    def name(self) -> Text:
        return "action_share_plan"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if persona(tracker) == "coach":
            asked = list(tracker.get_slot("asked_questions") or [])
            reply, question_id = coach.outside_grow("plan_shared", topic_of(tracker), text_of(tracker), asked,
                                                    seed=demo_seed(tracker, "plan_shared"))
            say(dispatcher, reply)
            return [SlotSet("asked_questions", asked + ([question_id] if question_id else []))]
        events = as_mentor(dispatcher, tracker, "plan")
        text = text_of(tracker)
        # Only an explicit plan gets plan feedback; a plan with deception, going around a
        # manager, hiding a side business or conceding early gets a plain "don't" first.
        # Anything else is a description of a situation.
        warning = situation_mentor.plan_warning(text)
        if situation_mentor.is_explicit_plan(text) and warning is None:
            say(dispatcher, review(text, topic_of(tracker)))
            return events + [expect(None)]
        return events + mentor_answer(dispatcher, tracker, "advice")
