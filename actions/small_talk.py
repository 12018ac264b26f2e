"""Greetings, thanks, yes/no answers to the bot's offers, and messages that fit nothing."""
from abc import ABC, abstractmethod
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import fresh_slot, host, persona, say, text_of, topic_of
from actions.grow import decided, grow_in_progress, resume_or_offer, start_grow_events
from actions.mentor_answers import MORE_ADVICE_OFFER, mentor_answer, wants_more_advice
from actions.personas import switch_to
from bot.personas import coach


class ActionGreet(Action):
    def name(self) -> Text:
        return "action_greet"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        say(dispatcher, host().greeting(returning=persona(tracker) is not None))
        return []


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
        # "What else?" right after advice is read as this intent, without confidence.
        if wants_more_advice(tracker):
            return mentor_answer(dispatcher, tracker, "advice")
        return super().run(dispatcher, tracker, domain)


class ActionDefaultFallback(_HostLine):
    line = "fallback"

    def name(self) -> Text:
        return "action_default_fallback"


class ActionGoodbye(Action):
    def name(self) -> Text:
        return "action_goodbye"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        say(dispatcher, host().goodbye())
        # A GROW in progress is paused, never lost: its answers stay in the slots.
        return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("expecting", None)]


class ActionAffirm(Action):
    """'Yes' to whatever the bot last offered."""

    def name(self) -> Text:
        return "action_affirm"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        return decided(self._answer(dispatcher, tracker))

    def _answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        offer = fresh_slot(tracker, "offer") or ""
        if offer in ("mentor", "coach"):
            return switch_to(dispatcher, tracker, offer)
        if offer.startswith("start:"):
            return switch_to(dispatcher, tracker, offer.split(":", 1)[1])
        if offer == "more_difference":
            say(dispatcher, host().difference(detail=True))
            return [SlotSet("offer", None)]
        if offer == "resume":
            return resume_or_offer(dispatcher, tracker)
        if offer == MORE_ADVICE_OFFER:
            return mentor_answer(dispatcher, tracker, "advice")
        say(dispatcher, host().affirm_ack())
        return []


class ActionDeny(Action):
    def name(self) -> Text:
        return "action_deny"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        say(dispatcher, host().deny_ack())
        return [SlotSet("offer", None)]


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
            reply, _ = coach.outside_grow("opening", topic_of(tracker), text, tracker.get_slot("asked_questions") or [])
            say(dispatcher, reply)
            return [SlotSet("expecting", "coach_goal")]
        if role == "mentor":
            return mentor_answer(dispatcher, tracker, "advice")
        say(dispatcher, host().fallback())
        return []
