"""GROW coaching: starting it, validating answers, asking questions, finishing it."""
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (confidence_of, demo_seed, fresh_slot, host, intent_of, now_utc,
                            person_timezone, say, text_of, topic_of)
from bot import safety
from bot.personas import coach, explain
from bot.personas.recommend import recommend

FORM = "grow_form"
# A turn around GROW rather than a GROW answer (the contract, staying with a feeling,
# readiness, repair...): asked through this slot while coach_state has a move queued.
EXPLORE = "grow_explore"
# The coach's own memory of the conversation (bot/personas/listen.py decides the moves):
# {"queue": [moves still to ask], "key": words to stay with, "turn": coach turns so far,
#  "reflected_at": the turn of the last reflection, "contract", "takeaway", "notes",
#  "goal_probes", "confirm": a detail to confirm}.
STATE = "coach_state"
# A featurized flag: rules continue into the form when an action sets it (data/rules/grow.yml).
GROW_REQUESTED = "grow_requested"
# A plea for advice or for the mentor, too unsure to interrupt GROW, is still a plea; but
# short answers to "what could you do?" ("talk to him directly") can read as requests at
# 0.5-0.6, so the classifier alone must be fairly sure (coach.is_plea catches the rest).
ADVICE_INTENTS = {"ask_advice", "ask_resource", "request_mentor"}
PLEA_CONFIDENCE = 0.7
# Intents that interrupt GROW instead of answering the coach (see data/rules/grow.yml),
# and how sure the classifier must be: "I'll coach Sam" is an answer, not a request.
# (goodbye is not one: "soon" reads as "see you soon"; the person can always say stop.)
FORM_INTERRUPTS = {"stop_flow", "request_mentor", "request_coach", "ask_technique",
                   "ask_difference", "delete_data", "list_goals", "ask_capabilities",
                   "export_data", "compare_answers"}
INTENT_CONFIDENCE = 0.8


def asks_to_switch(intent: Optional[str], text: str) -> bool:
    """An unmistakable switch request (data/content/switching.yml) backing the classifier."""
    import re

    from bot.content import load

    key = {"request_mentor": "to_mentor", "request_coach": "to_coach"}.get(intent or "")
    low = text.lower()
    return bool(key) and any(re.search(pattern, low) for pattern in load("switching")[key])


def decided(events: List[EventType]) -> List[EventType]:
    """Actions that may lead into GROW always say whether they do (rules branch on it)."""
    if any(e.get("event") == "slot" and e.get("name") == GROW_REQUESTED and e.get("value") for e in events):
        return events
    return events + [SlotSet(GROW_REQUESTED, False)]


def grow_values(tracker: Tracker) -> Dict[str, Any]:
    return {slot: tracker.get_slot(slot) for slot in coach.GROW_SLOTS}


def grow_in_progress(tracker: Tracker) -> bool:
    """A GROW conversation was started and not yet recorded (it may have started from a
    situation, with the goal still to come)."""
    return bool(tracker.get_slot("grow_goal") or tracker.get_slot("grow_reality"))


def start_grow_events(opening: str, topic: Optional[str]) -> List[EventType]:
    """GROW from the person's opening words: a goal ("I want to delegate more") fills the
    Goal; a situation ("my boss takes credit for my work") fills the Reality, and the coach
    then asks what they want instead, since a problem is not yet a goal."""
    slot = "grow_reality" if coach.describes_situation(opening) else "grow_goal"
    events: List[EventType] = [SlotSet(other, None) for other in coach.GROW_SLOTS if other != slot]
    return events + [
        SlotSet(slot, opening),
        SlotSet("grow_last_answer", opening),
        SlotSet("grow_last_slot", slot),
        SlotSet("grow_retry", None),
        SlotSet("topic", topic),
        SlotSet(STATE, {"queue": ["contract"], "turn": 0, "reflected_at": -9}),
        SlotSet(EXPLORE, None),
        SlotSet(GROW_REQUESTED, True),
    ]


def coach_state(tracker: Tracker) -> Dict[str, Any]:
    state = tracker.get_slot(STATE)
    return dict(state) if isinstance(state, dict) else {"queue": [], "turn": 0, "reflected_at": -9}


def reading_of(tracker: Tracker) -> Any:
    """The understanding reading of the latest message (NLU parse data), if any."""
    data = (tracker.latest_message or {}).get("reading")
    if not data:
        return None
    try:
        from bot.understanding.reading import Reading
        return Reading.from_dict(data) if isinstance(data, dict) else data
    except Exception:  # the reading is optional; the coach's own patterns still apply
        return None


def _topic_in(text: Optional[str]) -> Optional[str]:
    """The topic the person's own words name (topics.yml phrases), else None: their words
    outrank the classifier, and when they name none the coach does not guess."""
    import re

    from bot.topics import topic_phrases

    low = (text or "").lower()
    for topic, phrases in topic_phrases().items():
        if any(re.search(r"(?<![a-z])" + re.escape(p.lower()) + r"(?![a-z])", low) for p in phrases):
            return topic
    return None


class ActionSetGoal(Action):
    """A goal or challenge: the coach starts GROW, the mentor makes it concrete."""

    def name(self) -> Text:
        return "action_set_goal"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        from actions.goals import record_goal

        text, topic = text_of(tracker), topic_of(tracker)
        events: List[EventType] = []
        role = tracker.get_slot("persona")
        if role is None:
            recommendation = recommend([text])
            role = recommendation.role or "coach"
            say(dispatcher, host().auto_role_announcement(role, recommendation.reason_key or "set_goal"))
            events.append(SlotSet("persona", role))
        if role == "coach":
            return events + start_grow_events(text, topic)
        events.append(SlotSet(GROW_REQUESTED, False))
        say(dispatcher, _mentor().goal_setting(text, topic))
        goal = record_goal(dispatcher, tracker, text=text, topic=topic, persona="mentor")
        if goal is not None:
            events.append(SlotSet("last_goal_id", goal["id"]))
        return events + [SlotSet("topic", topic)]


def _mentor():
    from bot.personas import mentor

    return mentor


class ValidateGrowForm(FormValidationAction):
    """Keeps real answers; turns vague ones, "I don't know" and advice pleas into a re-ask."""

    def name(self) -> Text:
        return "validate_grow_form"


    def _extract(self, slot: str, tracker: Tracker) -> Dict[Text, Any]:
        """The whole message answers the coach's question unless it confidently asks for
        something else; then nothing is extracted and the form lets the rules answer."""
        if tracker.get_slot("requested_slot") != slot:
            return {}
        intent = intent_of(tracker)
        if intent in FORM_INTERRUPTS and (confidence_of(tracker) >= INTENT_CONFIDENCE
                                          or asks_to_switch(intent, text_of(tracker))):
            return {}
        if safety.classify_scope(text_of(tracker)):
            # A question for a doctor, lawyer or adviser got its referral; the coach's
            # question comes back unanswered.
            return {}
        return {slot: text_of(tracker)}

    def _check(self, slot: str, value: Any, tracker: Tracker) -> Dict[Text, Any]:
        text = value if isinstance(value, str) else ("" if value is None else str(value))
        intent = intent_of(tracker)
        if (intent in ADVICE_INTENTS and confidence_of(tracker) >= PLEA_CONFIDENCE) or coach.is_plea(text):
            count = int(tracker.get_slot("advice_requests") or 0) + 1
            retry = "advice_plea" if count < 2 else "advice_plea_repeat"
            # The repeated plea offers the mentor; "yes" then switches (OverridePolicy).
            return {slot: None, "grow_retry": retry, "advice_requests": float(count),
                    "offer": "mentor" if count >= 2 else None}
        if intent == "set_goal" and slot != "grow_goal":
            new_topic = topic_of(tracker)
            if new_topic and new_topic != tracker.get_slot("topic"):
                # A change of topic: start GROW again on the new goal.
                cleared = {s: None for s in coach.GROW_SLOTS}
                return {**cleared, "grow_goal": text, "topic": new_topic,
                        "grow_last_answer": text, "grow_last_slot": "grow_goal"}
        if coach.says_carry_on(text, offered=bool(fresh_slot(tracker, "offer"))):
            return {slot: None, "grow_retry": "carry_on", "offer": None}
        kind = coach.classify_answer(text, slot)
        if kind in ("vague", "empty"):
            return {slot: None, "grow_retry": "vague"}
        if kind == "dont_know":
            return {slot: None, "grow_retry": "dont_know"}
        if slot == "grow_commitment":
            score = coach.parse_scale(text)
            if score is None:
                return {slot: None, "grow_retry": "vague"}
            text = str(score)
        return {slot: text, "grow_retry": None, "grow_last_answer": text, "grow_last_slot": slot}

    def __getattr__(self, attribute: str) -> Any:
        # extract_<slot> and validate_<slot> for every GROW slot, through one method each.
        kind, _, slot = attribute.partition("_")
        if slot not in coach.GROW_SLOTS:
            raise AttributeError(attribute)
        if kind == "extract":
            def extract_slot(dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
                return self._extract(slot, tracker)

            return extract_slot
        if kind == "validate":
            def validate_slot(value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
                return self._check(slot, value, tracker)

            return validate_slot
        raise AttributeError(attribute)


class AskGrowSlot(Action, ABC):
    """Asks for one GROW slot with a question from the bank, reflecting the last answer."""

    @abstractmethod
    def slot_name(self) -> str:
        ...

    def name(self) -> Text:
        return f"action_ask_{self.slot_name()}"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        slot = self.slot_name()
        asked = list(tracker.get_slot("asked_questions") or [])
        retry = tracker.get_slot("grow_retry")
        last_slot = tracker.get_slot("grow_last_slot")
        previous = tracker.get_slot("grow_last_answer")
        new_stage = last_slot and (last_slot == "grow_goal" or coach.STAGE_OF.get(last_slot) != coach.STAGE_OF[slot])
        commitment = coach.parse_scale(tracker.get_slot("grow_commitment") or "")
        reply, question_id = coach.ask(
            slot, tracker.get_slot("topic"), asked,
            previous_answer=previous if (new_stage and not retry) else None,
            retry=retry, commitment=commitment, seed=demo_seed(tracker, slot),
        )
        say(dispatcher, explain.tag_halves(reply, slot, question_id))
        if question_id:
            asked.append(question_id)
        return [SlotSet("asked_questions", asked), SlotSet("grow_retry", None),
                SlotSet("grow_last_answer", None), SlotSet("grow_last_slot", None),
                SlotSet(GROW_REQUESTED, False)]


for _slot in coach.GROW_SLOTS:
    _cls = type(f"AskGrow_{_slot}", (AskGrowSlot,), {"slot_name": lambda self, s=_slot: s})
    globals()[_cls.__name__] = _cls


class ActionGrowComplete(Action):
    """Records the goal, sums up in the person's words and offers a check-in."""

    def name(self) -> Text:
        return "action_grow_complete"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        from actions.goals import record_goal
        from bot.timeparse import parse_deadline

        values = grow_values(tracker)
        deadline = None
        if values.get("grow_deadline"):
            deadline = parse_deadline(values["grow_deadline"], now_utc(), person_timezone(tracker))
        goal = record_goal(
            dispatcher, tracker, text=values["grow_goal"], topic=tracker.get_slot("topic"),
            persona="coach", measure=values.get("grow_measure"),
            first_step=values.get("grow_first_step"), deadline=deadline,
            deadline_text=values.get("grow_deadline"),
            commitment=coach.parse_scale(values.get("grow_commitment") or ""),
        )
        if goal is None:  # store unavailable: keep every answer so "continue" can retry
            return [SlotSet(GROW_REQUESTED, False)]
        say(dispatcher, coach.summary(values, seed=demo_seed(tracker, "summary")))
        return [SlotSet(slot, None) for slot in coach.GROW_SLOTS] + [
            SlotSet("last_goal_id", float(goal["id"])), SlotSet("expecting", "followup_when"),
            SlotSet("advice_requests", 0.0), SlotSet(GROW_REQUESTED, False),
        ]


class ActionStopFlow(Action):
    """stop/cancel: leaves GROW or a role-play, keeping every answer given so far."""

    def name(self) -> Text:
        return "action_stop_flow"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        say(dispatcher, host().stop_confirmation())
        return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("expecting", None),
                SlotSet(GROW_REQUESTED, False),
                SlotSet("offer", "resume" if grow_in_progress(tracker) else None)]


class ActionContinueFlow(Action):
    """"let's continue": picks GROW up where it stopped, or says what can be done."""

    def name(self) -> Text:
        return "action_continue_flow"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        return decided(resume_or_offer(dispatcher, tracker))


def resume_or_offer(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    if grow_in_progress(tracker):
        events: List[EventType] = [SlotSet("grow_retry", "resume"), SlotSet("offer", None)]
        if tracker.get_slot("persona") != "coach":
            say(dispatcher, host().switch_announcement("coach", tracker.get_slot("topic")))
            events.append(SlotSet("persona", "coach"))
        return events + [SlotSet(GROW_REQUESTED, True)]
    say(dispatcher, host().capabilities())
    return [SlotSet("offer", None)]
