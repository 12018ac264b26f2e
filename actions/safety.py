"""Crisis path, the gentle low-mood question, and scope referrals. Safety stops everything
else; bot.safety decides, these actions read the tracker and dispatch."""
from typing import Any, Dict, Iterator, List, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import message_metadata, person_timezone, say, text_of
from bot import safety
from bot.safety import replies
from bot.safety.text import FULL_TEXT_KEY

# Ready before the first message reaches the action server.
safety.warm_up()


def _full_text(event_or_message: Dict[str, Any]) -> str:
    extra = (event_or_message.get("metadata") or {}).get(FULL_TEXT_KEY)
    return extra if isinstance(extra, str) and extra else (event_or_message.get("text") or "")


def _newest_first(tracker: Tracker) -> Iterator[Tuple[str, str]]:
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            yield "user", _full_text(event)
        elif event.get("event") == "action":
            yield "action", event.get("name") or ""


def read(tracker: Tracker) -> Tuple["safety.Risk", Tuple[str, ...]]:
    """The risk of the latest message with the recent ones, as the policy read it."""
    earlier = safety.earlier_texts(_newest_first(tracker))
    return safety.assess(_full_text(tracker.latest_message or {}), earlier), earlier


def region(tracker: Tracker) -> str:
    locale = message_metadata(tracker).get("locale")
    return safety.region_for(person_timezone(tracker), locale if isinstance(locale, str) else None)


def _stop_everything(tracker: Tracker) -> List[EventType]:
    """Leave GROW and role-play, and drop a GROW answer this message filled: a crisis or a
    referral is not an answer."""
    text = text_of(tracker)
    cleared = [SlotSet(name, None) for name, value in tracker.current_slot_values().items()
               if name.startswith("grow_") and value == text]
    return cleared + [ActiveLoop(None), SlotSet("requested_slot", None)]


class ActionSafety(Action):
    def name(self) -> Text:
        return "action_safety"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        risk, _ = read(tracker)
        say(dispatcher, safety.crisis_replies(risk.categories, region(tracker)))
        return _stop_everything(tracker) + [
            SlotSet("safety_check", True), SlotSet("safety_misunderstood", 0.0),
            SlotSet("roleplay_state", None), SlotSet("practice_state", None),
            SlotSet("expecting", None), SlotSet("offer", None),
        ]


class ActionSafetyCheck(Action):
    """Stays on 'are you safe?' until the person clearly says they are."""

    def name(self) -> Text:
        return "action_safety_check"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        count = int(tracker.get_slot("safety_misunderstood") or 0)
        _, earlier = read(tracker)
        answer, resolved, count = safety.safety_check(
            _full_text(tracker.latest_message or {}), count, earlier, region(tracker))
        say(dispatcher, answer)
        return [SlotSet("safety_check", not resolved), SlotSet("safety_misunderstood", float(count))]


class ActionSafetyConcern(Action):
    """Low mood without words of harm: a gentle, direct question, not the full protocol."""

    def name(self) -> Text:
        return "action_safety_concern"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        risk, _ = read(tracker)
        say(dispatcher, replies.concern(likely=risk.source == "classifier", region=region(tracker)))
        return _stop_everything(tracker) + [SlotSet("expecting", "concern_answer"),
                                            SlotSet("roleplay_state", None),
                                            SlotSet("practice_state", None)]


def _last_bot_text(tracker: Tracker) -> str:
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return event.get("text") or ""
    return ""


class ActionSafetyConcernAnswer(Action):
    """Any yes, hedge or risk in the answer starts the protocol; a clear no is thanked."""

    def name(self) -> Text:
        return "action_safety_concern_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        _, earlier = read(tracker)
        text = _full_text(tracker.latest_message or {})
        answer = safety.concern_answer(text, earlier)
        where = region(tracker)
        if answer == "crisis":
            risk = safety.assess(text, earlier)
            say(dispatcher, safety.crisis_replies(risk.categories, where))
            return [SlotSet("expecting", None), SlotSet("safety_check", True),
                    SlotSet("safety_misunderstood", 0.0)]
        if answer == "no":
            say(dispatcher, replies.concern_no(where, likely=replies.asked_as_likely(_last_bot_text(tracker))))
            return [SlotSet("expecting", None)]
        # Unclear ("can we talk about my deck?"): the question once more, gently; what
        # comes next is read as usual, so no one is held in a loop.
        say(dispatcher, replies.concern())
        return [SlotSet("expecting", None)]


class ActionOutOfScope(Action):
    def name(self) -> Text:
        return "action_out_of_scope"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        kind = safety.classify_scope(_full_text(tracker.latest_message or {}))
        say(dispatcher, safety.scope_reply(kind))
        text = text_of(tracker)
        return [SlotSet(name, None) for name, value in tracker.current_slot_values().items()
                if name.startswith("grow_") and value == text]
