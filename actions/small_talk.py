"""Greetings, thanks, yes/no answers to the bot's offers, and messages that fit nothing."""
from abc import ABC, abstractmethod
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (demo_seed, fresh_slot, host, intent_of, persona, say, text_of,
                            topic_of, user_texts)
from actions.common import expect, offer_yes
from bot.dialogue import Expecting, Offer, offered_start, start_offer
from actions.grow import decided, grow_in_progress, resume_or_offer, start_grow_events
from actions.mentor_answers import (mentor_answer, mentor_follow_up,
                                    wants_more_advice)
from actions.mentoring import as_mentor
from actions.personas import switch_to
from bot.personas import coach
from bot.personas.recommend import BOTH, recommend


class ActionGreet(Action):
    def name(self) -> Text:
        return "action_greet"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        returning = persona(tracker) is not None
        if returning and persona(tracker) == "coach" and not grow_in_progress(tracker):
            # A coaching client comes back: the coach opens on the last agreed step.
            goal = last_coach_goal(tracker)
            if goal is not None and not checkin_just_shown(tracker, goal):
                say(dispatcher, coach.return_opening(goal, seed=demo_seed(tracker, "return")))
                return [expect(Expecting.STEP_FOLLOWUP), SlotSet("last_goal_id", float(goal["id"]))]
        say(dispatcher, host().greeting(returning, active_goal_texts(tracker) if returning else []))
        return []


def checkin_just_shown(tracker: Tracker, goal) -> bool:
    """Whether a check-in on this goal was shown within the hour: it already asked how the
    step went (the channel delivers it, so the tracker does not hold it)."""
    from datetime import datetime, timedelta, timezone

    from bot.store import StoreUnavailable, get_store

    try:
        shown = get_store().list_followups(tracker.sender_id, statuses=("delivered",))
    except StoreUnavailable:
        return False
    now = datetime.now(timezone.utc)
    for followup in shown:
        when = followup.get("delivered_at")
        if followup.get("goal_id") != goal["id"] or not when:
            continue
        moment = datetime.fromisoformat(when)
        moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
        if now - moment < timedelta(hours=1):
            return True
    return False


def last_coach_goal(tracker: Tracker):
    """The person's newest active coaching goal, or None (also when the store is down)."""
    from bot.store import StoreUnavailable, get_store

    try:
        goals = get_store().list_goals(tracker.sender_id)
    except StoreUnavailable:
        return None
    active = [g for g in goals if g.get("status") == "active" and (g.get("persona") or "coach") == "coach"]
    return active[-1] if active else None


def active_goal_texts(tracker: Tracker) -> List[str]:
    """The person's active goals, oldest first; none when the store cannot be reached (a
    greeting must not fail for that)."""
    from bot.store import StoreUnavailable, get_store

    try:
        goals = get_store().list_goals(tracker.sender_id)
    except StoreUnavailable:
        return []
    return [goal["text"] for goal in goals if goal.get("status") == "active"]


class _HostLine(Action, ABC):
    """An action that says one host line and changes nothing."""

    line = ""

    @abstractmethod
    def name(self) -> Text:
        ...

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        say(dispatcher, getattr(host(), self.line)())
        return []


class ActionThank(_HostLine):
    line = "thanks"

    def name(self) -> Text:
        return "action_thank"


class ActionBotChallenge(_HostLine):
    line = "bot_challenge"

    def name(self) -> Text:
        return "action_bot_challenge"


class ActionCapabilities(_HostLine):
    line = "capabilities"

    def name(self) -> Text:
        return "action_capabilities"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        follow_up = mentor_follow_up(dispatcher, tracker)
        if follow_up is not None:
            return follow_up
        # "What else?" right after advice is read as this intent, without confidence.
        if wants_more_advice(tracker):
            return mentor_answer(dispatcher, tracker, "advice")
        return super().run(dispatcher, tracker, domain)


class ActionDefaultFallback(_HostLine):
    line = "fallback"

    def name(self) -> Text:
        return "action_default_fallback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        follow_up = mentor_follow_up(dispatcher, tracker)
        if follow_up is not None:
            return follow_up
        return super().run(dispatcher, tracker, domain)


class ActionGoodbye(Action):
    def name(self) -> Text:
        return "action_goodbye"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        say(dispatcher, host().goodbye())
        # A GROW in progress is paused, never lost: its answers stay in the slots.
        return [ActiveLoop(None), SlotSet("requested_slot", None), expect(None)]


class ActionAffirm(Action):
    """'Yes' to whatever the bot last offered."""

    def name(self) -> Text:
        return "action_affirm"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        return decided(self._answer(dispatcher, tracker))

    def _answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        offer = fresh_slot(tracker, "offer") or ""
        if offer in (Offer.MENTOR, Offer.COACH):
            return switch_to(dispatcher, tracker, offer)
        if offered_start(offer):
            return switch_to(dispatcher, tracker, offered_start(offer))
        if offer == Offer.MORE_DIFFERENCE:
            say(dispatcher, host().difference(detail=True))
            return [offer_yes(None)]
        if offer == Offer.RESUME:
            return resume_or_offer(dispatcher, tracker)
        if offer == Offer.MORE_ADVICE:
            return mentor_answer(dispatcher, tracker, "advice")
        say(dispatcher, host().affirm_ack())
        return []


class ActionDeny(Action):
    def name(self) -> Text:
        return "action_deny"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        follow_up = mentor_follow_up(dispatcher, tracker)
        if follow_up is not None:
            return follow_up
        say(dispatcher, host().deny_ack())
        return [offer_yes(None)]


class ActionInform(Action):
    """A statement that is not a request: read in the light of the current role."""

    def name(self) -> Text:
        return "action_inform"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        return decided(self._answer(dispatcher, tracker))

    def _answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        role, text = persona(tracker), text_of(tracker)
        if role == "coach":
            if grow_in_progress(tracker):
                return resume_or_offer(dispatcher, tracker)
            if coach.classify_answer(text, "grow_goal") == "ok":
                return start_grow_events(text, topic_of(tracker))
            reply, _ = coach.outside_grow("opening", topic_of(tracker), text, tracker.get_slot("asked_questions") or [],
                                         seed=demo_seed(tracker, "opening"))
            say(dispatcher, reply)
            return [expect(Expecting.COACH_GOAL)]
        if role == "mentor":
            return mentor_answer(dispatcher, tracker, "advice")
        if intent_of(tracker) == "inform" and coach.classify_answer(text, "grow_goal") == "ok":
            return self._pick_role(dispatcher, tracker, text)
        say(dispatcher, host().fallback())
        return []

    @staticmethod
    def _pick_role(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> List[EventType]:
        """Someone who opens with their situation gets help with it at once: the role the
        recommender picks (the coach when the cues do not settle it, since questions are
        how a situation becomes a goal), said plainly with how to change it."""
        recommendation = recommend(user_texts(tracker))
        if recommendation.role == BOTH:
            # A situation that calls for both roles: say how to split the work, then the
            # person chooses where to start (a "yes" starts the suggested role).
            say(dispatcher, recommendation.reply)
            return [expect(None), offer_yes(start_offer(recommendation.start))]
        role = recommendation.start or "coach"
        reason = recommendation.reason_key or "situation"
        if role == "mentor":
            return as_mentor(dispatcher, tracker, reason) + mentor_answer(dispatcher, tracker, "advice")
        say(dispatcher, host().auto_role_announcement("coach", reason))
        return [SlotSet("persona", "coach")] + start_grow_events(text, topic_of(tracker))
