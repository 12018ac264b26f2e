"""GROW coaching: starting it, validating answers, asking questions, finishing it."""
from abc import ABC, abstractmethod
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (confidence_of, demo_seed, fresh_slot, host, intent_of, now_utc,
                            person_timezone, say, text_of, topic_of)
from actions.common import expect, offer_yes
from bot.dialogue import ALWAYS_INTERRUPT, INTERRUPT_INTENTS, PLEA_SURE, SURE, Expecting, Offer
from bot import safety
from bot.personas import coach, explain, listen
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
# A plea for advice or for the mentor, too unsure to interrupt GROW, is still a plea (when
# the classifier is PLEA_SURE; coach.is_plea catches the rest). Interruptions, thresholds
# and retry kinds: bot/dialogue.py (INTERRUPT_INTENTS, ALWAYS_INTERRUPT, SURE); a change of
# topic or a fresh start in the person's words still wins over ALWAYS_INTERRUPT.
ADVICE_INTENTS = {"ask_advice", "ask_resource", "request_mentor"}


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
    wanted = coach.wanted_part(opening) if slot == "grow_goal" and topic else None
    if wanted and _topic_in(opening) == topic and _topic_in(wanted) != topic:
        # "I want to exercise more, I work from home": the goal is not about remote work;
        # the person's want outranks a topic word said in passing (generic questions).
        topic = None
    events: List[EventType] = [SlotSet(other, None) for other in coach.GROW_SLOTS if other != slot]
    return events + [
        SlotSet(slot, opening),
        SlotSet("grow_last_answer", opening),
        SlotSet("grow_last_slot", slot),
        SlotSet("grow_retry", None),
        SlotSet("topic", topic),
        SlotSet(STATE, {"queue": ["contract"], "turn": 0, "reflected_at": -9,
                        "key": _as_dict(listen.situation_words(opening) if slot == "grow_reality"
                                        else listen.key_words(opening))}),
        SlotSet(EXPLORE, None),
        SlotSet(GROW_REQUESTED, True),
    ]


def _as_dict(key: Any) -> Optional[Dict[str, Any]]:
    return key.as_dict() if key is not None else None


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
        # "I want to ask for a raise to 148k" describes a situation the mentor knows:
        # advice for it, not a goal template (issue 19).
        from actions.mentor_answers import describes_situation, situation_turn

        from bot.understanding.arbiter import states_goal

        if describes_situation(tracker):
            events += situation_turn(dispatcher, tracker, "advice") or []
            if not (states_goal(text) or _FIRST_PERSON_GOAL.match(text)):
                return events
            # "my goal is to ... by <date>", "I want to get promoted this year" are also
            # recorded as goals (issue 17), after the mentor's advice on the situation.
            goal = record_goal(dispatcher, tracker, text=text, topic=topic, persona="mentor")
            return events + ([SlotSet("last_goal_id", goal["id"])] if goal is not None else [])
        say(dispatcher, _mentor().goal_setting(text, topic))
        goal = record_goal(dispatcher, tracker, text=text, topic=topic, persona="mentor")
        if goal is not None:
            events.append(SlotSet("last_goal_id", goal["id"]))
        return events + [SlotSet("topic", topic)]


_FIRST_PERSON_GOAL = re.compile(r"\W*(?:i (?:really )?(?:want|would like|'d like|need|aim|hope|plan) to|"
                                r"my (?:\w+ )?goal)\b", re.IGNORECASE)


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
        # A topic change, repair, hold, check-in, step back or fresh start in the person's
        # words takes effect here, in this same turn, whatever the classifier guessed.
        move = listen.move_of(text_of(tracker), reading_of(tracker)).kind
        listened = move in listen.IN_GROW_MOVES and (
            intent not in ALWAYS_INTERRUPT or move in ("topic_change", "start_over", "step_back"))
        if intent in INTERRUPT_INTENTS and not listened and (
                confidence_of(tracker) >= SURE or asks_to_switch(intent, text_of(tracker))):
            return {}
        if safety.classify_scope(text_of(tracker)):
            # A question for a doctor, lawyer or adviser got its referral; the coach's
            # question comes back unanswered.
            return {}
        return {slot: text_of(tracker)}

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        """GROW is a map, not a form: a queued move (stay with a feeling, readiness,
        repair...) is asked first, through grow_explore; otherwise the first GROW slot
        still empty. A slot the person already answered in passing is never asked."""
        order = [slot for slot in domain_slots if slot != EXPLORE]
        if coach_state(tracker).get("queue"):
            return [EXPLORE] + order
        return order

    async def next_requested_slot(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> Optional[EventType]:
        """Always names the next slot (rasa_sdk only does when the list differs from the
        domain's), so leaving grow_explore is never left to chance."""
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        return SlotSet("requested_slot", next((s for s in required if tracker.slots.get(s) is None), None))

    def _check(self, slot: str, value: Any, tracker: Tracker) -> Dict[Text, Any]:
        text = value if isinstance(value, str) else ("" if value is None else str(value))
        intent = intent_of(tracker)
        plea = (intent in ADVICE_INTENTS and confidence_of(tracker) >= PLEA_SURE) or coach.is_plea(text)
        if tracker.get_slot("requested_slot") != slot:
            # Set by an action (GROW starting, a fresh start), not an answer to this question;
            # only a plea that opened GROW ("just tell me what to do") counts as a plea.
            if not (plea and text and tracker.get_slot("requested_slot") is None
                    and slot in ("grow_goal", "grow_reality")):
                return {slot: value}
        state = coach_state(tracker)
        if plea:
            count = int(tracker.get_slot("advice_requests") or 0) + 1
            retry = "advice_plea" if count < 2 else "advice_plea_repeat"
            # The repeated plea offers the mentor; "yes" then switches (OverridePolicy).
            return {slot: None, "grow_retry": retry, "advice_requests": float(count),
                    "offer": Offer.MENTOR.value if count >= 2 else None}
        move = listen.move_of(text, reading_of(tracker))
        if move.kind == "repair":
            # "Thursday the 14th, I already said that.": a complaint that still answers the
            # date or the scale question is the answer (with the complaint left out).
            answer = self._answer_inside_complaint(slot, text, tracker)
            if answer:
                text, value, move = answer, answer, listen.Move("answer")
        if move.kind not in ("answer", "space") or (slot == EXPLORE and move.kind == "space"):
            if not (slot == EXPLORE and state.get("queue", [None])[0] in ("readiness_options", "readiness_will")
                    and listen.ready_to_move_on(text) is not None):
                return self._control(slot, move, state, tracker)
        if slot == EXPLORE:
            return self._explore_answer(text, move, state, tracker)
        if intent == "set_goal" and slot != "grow_goal":
            new_topic = topic_of(tracker)
            if new_topic and new_topic != tracker.get_slot("topic") and _topic_in(text) == new_topic:
                # A change of topic in the person's own words: start GROW again on it.
                cleared = {s: None for s in coach.GROW_SLOTS}
                return {**cleared, "grow_goal": text, "topic": new_topic,
                        "grow_last_answer": text, "grow_last_slot": "grow_goal",
                        STATE: {**state, "queue": []}}
        if coach.says_carry_on(text, offered=bool(fresh_slot(tracker, "offer"))):
            return {slot: None, "grow_retry": "carry_on", "offer": None}
        if move.kind == "space":
            return {slot: None, "grow_retry": "space"}
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
        queue = list(state.get("queue") or [])
        if slot == "grow_goal" and coach.describes_situation(text) and int(state.get("goal_probes") or 0) < 2:
            # Explore until the person states what they want: what is happening is Reality.
            reality = tracker.get_slot("grow_reality")
            return {slot: None, "grow_reality": f"{reality} {text}" if reality else text,
                    "grow_retry": None, "grow_last_answer": text, "grow_last_slot": "grow_reality",
                    STATE: {**state, "queue": ["explore_goal"] + queue,
                            "goal_probes": int(state.get("goal_probes") or 0) + 1,
                            "key": move.key.as_dict() if move.key else None}}
        filled = {slot: text, "grow_retry": None, "grow_last_answer": text, "grow_last_slot": slot}
        state["confirm"] = None
        if coach.STAGE_OF[slot] == "will":
            filled.update(self._given(slot, text, state, tracker))
        if move.key is not None:
            queue.append("stay")
            state["key"] = move.key.as_dict()
        if slot == "grow_reality" and not tracker.get_slot("grow_options"):
            queue.append("readiness_options")
        elif slot == "grow_options" and not tracker.get_slot("grow_first_step"):
            queue.append("readiness_will")
        values = {**grow_values(tracker), **{k: v for k, v in filled.items() if k in coach.GROW_SLOTS}}
        if all(values.get(s) for s in coach.GROW_SLOTS) and not state.get("took_away"):
            queue.append("takeaway")
        return {**filled, STATE: {**state, "queue": queue}}

    @staticmethod
    def _is_step(text: str, tracker: Tracker) -> bool:
        """A committed action with a time: "I'll ...", "I'm going to ..." and a date."""
        reading = reading_of(tracker)
        planned = getattr(reading, "act", None) == "plan" or bool(
            re.match(r"\s*(?:ok(?:ay)?,?\s*)?i(?:'ll| will| am going to|'m going to)\b", text, re.I))
        return planned and bool(listen.given_details(text, now_utc(), person_timezone(tracker)).get("when"))

    @staticmethod
    def _answer_inside_complaint(slot: str, text: str, tracker: Tracker) -> Optional[str]:
        """The parts of the message that are not the complaint, if they answer the date or
        the scale question; else None."""
        parts = [p.strip() for p in re.split(r"[,.;!]+\s*", text) if p.strip()]
        rest = ", ".join(p for p in parts if listen.move_of(p).kind != "repair")
        if not rest:
            return None
        if slot == "grow_deadline" and listen.given_details(rest, now_utc(), person_timezone(tracker)).get("when"):
            return rest
        if slot in ("grow_commitment", "grow_commitment_followup"):
            score = coach.parse_scale(rest)
            return str(score) if score is not None else None
        return None

    @staticmethod
    def _given(slot: str, text: str, state: Dict[str, Any], tracker: Tracker) -> Dict[Text, Any]:
        """A date or an obstacle the person already gave fills its slot, to be confirmed
        rather than asked again; a named person rules out "who..." questions."""
        details = listen.given_details(text, now_utc(), person_timezone(tracker), reading_of(tracker))
        filled: Dict[Text, Any] = {}
        confirm: Dict[str, str] = {}
        if details.get("when") and slot != "grow_deadline" and not tracker.get_slot("grow_deadline"):
            filled["grow_deadline"] = details["when"]
            confirm["when"] = details["when"]
        if details.get("obstacle") and slot != "grow_obstacle" and not tracker.get_slot("grow_obstacle"):
            filled["grow_obstacle"] = details["obstacle"]
        if details.get("person"):
            confirm["person"] = details["person"]
        state["confirm"] = confirm or None
        return filled

    def _control(self, slot: str, move: listen.Move, state: Dict[str, Any],
                 tracker: Tracker) -> Dict[Text, Any]:
        """Moves that are not an answer: each takes effect in this same turn."""
        queue = [m for m in state.get("queue") or [] if m == "takeaway"]
        cleared = {s: None for s in coach.GROW_SLOTS}
        base = {slot: None, "grow_last_answer": None, "grow_last_slot": None}
        if move.kind == "repair":
            return {**base, "grow_retry": None, EXPLORE: None,
                    STATE: {**state, "queue": ["repair"], "key": None}}
        if move.kind == "topic_change":
            focus = move.focus
            events = {**base, **cleared, EXPLORE: None, "grow_retry": "topic_change",
                      # the person's own words, not a classifier's guess: generic questions
                      "topic": None, "grow_last_answer": focus,
                      STATE: {**state, "queue": [], "key": None, "took_away": False,
                              "goal_probes": 1, "focus": focus}}
            if focus:
                events["grow_reality"] = focus
            return events
        if move.kind == "start_over":
            return {**base, **cleared, EXPLORE: None, "grow_retry": "start_over", "topic": None,
                    STATE: {**state, "queue": [], "key": None, "took_away": False, "goal_probes": 0}}
        if move.kind == "step_back":
            here = coach.STAGE_OF.get(slot) or coach.STAGE_OF.get(state.get("last_slot") or "", "reality")
            index = max(coach.STAGES.index(here) - 1, 0)
            back = [s for s in coach.GROW_SLOTS if coach.STAGES.index(coach.STAGE_OF[s]) >= index
                    and s != "grow_goal"]
            return {**base, **{s: None for s in back}, EXPLORE: None, "grow_retry": "step_back",
                    STATE: {**state, "queue": [], "key": None}}
        if move.kind == "dont_know_want":
            return {**base, "grow_goal": None, "grow_measure": None, EXPLORE: None,
                    "grow_retry": "dont_know_want", STATE: {**state, "queue": [], "key": None}}
        if move.kind == "hold":
            held = slot if slot != EXPLORE else state.get("held_at")
            follow = []
            if held and coach.STAGE_OF.get(held) == "options":
                follow = ["readiness_options"]
            elif held and coach.STAGE_OF.get(held) == "will":
                follow = ["readiness_will"]
            elif state.get("queue") and state["queue"][0] in ("readiness_options", "readiness_will"):
                follow = [state["queue"][0]]
            return {**base, EXPLORE: None, "grow_retry": None,
                    STATE: {**state, "queue": ["hold"] + follow + queue, "held_at": held,
                            "key": move.key.as_dict() if move.key else None}}
        if move.kind in ("checkin", "recap"):
            rest = [m for m in state.get("queue") or [] if m != move.kind]
            return {**base, EXPLORE: None, "grow_retry": None,
                    STATE: {**state, "queue": [move.kind] + rest}}
        # space
        return {**base, "grow_retry": "space"}

    def _explore_answer(self, text: str, move: listen.Move, state: Dict[str, Any],
                        tracker: Tracker) -> Dict[Text, Any]:
        queue = list(state.get("queue") or [])
        pending = queue.pop(0) if queue else None
        notes = list(state.get("notes") or [])[-8:]
        done = {EXPLORE: None, "grow_retry": None, "grow_last_answer": None, "grow_last_slot": None}
        if pending in ("readiness_options", "readiness_will") and self._is_step(text, tracker):
            # "I'll ask Sam at our 1:1 next Thursday": the step and its date, whatever else
            # the words say about moving on ("next").
            filled = {**done, "grow_first_step": text, "grow_last_answer": text,
                      "grow_last_slot": "grow_first_step"}
            if not tracker.get_slot("grow_options"):
                filled["grow_options"] = text  # the step chosen is the option taken
            filled.update(self._given("grow_first_step", text, state, tracker))
            return {**filled, STATE: {**state, "queue": [m for m in queue if m != "readiness_will"]}}
        if pending in ("readiness_options", "readiness_will"):
            ready = listen.ready_to_move_on(text)
            if ready is False:
                return {**done, STATE: {**state, "queue": ["hold", pending] + queue, "key": None}}
            if ready is None and coach.classify_answer(text) == "ok":
                # An answer with content: an option, or a step, already.
                slot = "grow_options" if pending == "readiness_options" else "grow_first_step"
                filled = {**done, slot: text, "grow_last_answer": text, "grow_last_slot": slot}
                if slot == "grow_options":
                    queue.insert(0, "readiness_will")
                else:
                    filled.update(self._given(slot, text, state, tracker))
                return {**filled, STATE: {**state, "queue": queue}}
            return {**done, STATE: {**state, "queue": queue, "key": None}}
        kind = coach.classify_answer(text)
        if pending == "contract" and kind in ("vague", "empty", "dont_know"):
            return {EXPLORE: None, "grow_retry": "vague" if kind != "dont_know" else "dont_know",
                    STATE: {**state, "queue": [pending] + queue}}
        if pending == "repair":
            if coach.says_carry_on(text, offered=True):
                return {**done, STATE: {**state, "queue": queue}}
            # A fresh start on what the person wants now, in their words.
            focus = move.focus if move.kind == "topic_change" else text
            cleared = {s: None for s in coach.GROW_SLOTS}
            slot = "grow_goal" if focus and not coach.describes_situation(focus) \
                and not listen.talks_about(focus) else "grow_reality"
            return {**done, **cleared, slot: focus, "topic": None, "grow_retry": "refocus",
                    "grow_last_answer": focus,
                    STATE: {**state, "queue": [], "key": None, "took_away": False,
                            "goal_probes": 1}}
        if pending == "explore_goal":
            if not coach.describes_situation(text) or int(state.get("goal_probes") or 0) >= 2:
                return {**done, "grow_goal": text, "grow_last_answer": text, "grow_last_slot": "grow_goal",
                        STATE: {**state, "queue": queue, "goal_probes": 2}}
            reality = tracker.get_slot("grow_reality")
            return {**done, "grow_reality": f"{reality} {text}" if reality else text,
                    STATE: {**state, "queue": ["explore_goal"] + queue,
                            "goal_probes": int(state.get("goal_probes") or 0) + 1}}
        update: Dict[str, Any] = {"queue": queue, "notes": notes + [text], "key": None}
        filled: Dict[str, Any] = {}
        if pending == "contract" and not tracker.get_slot("grow_goal") \
                and not coach.describes_situation(text):
            # A want stated in the contract ("I want to give feedback calmly") is the goal.
            filled = {"grow_goal": text, "grow_last_answer": text, "grow_last_slot": "grow_goal"}
        if pending == "contract":
            update["contract"] = text
            if move.key is not None:
                # "...even though I hate conflict": the feeling first, then the plan.
                update.update(queue=["stay"] + queue, key=move.key.as_dict(), stayed=1)
        elif pending == "takeaway":
            update["takeaway"] = text
            update["took_away"] = True
        elif pending in ("stay", "hold", "checkin", "recap") and move.key is not None \
                and move.key.as_dict() != state.get("key") and state.get("stayed", 0) < 1:
            # A new feeling or insight in the answer: stay with it once more.
            update.update(queue=["stay"] + queue, key=move.key.as_dict(), stayed=1)
        if pending != "stay" and "stayed" not in update:
            update["stayed"] = 0
        return {**done, **filled, STATE: {**state, **update}}

    # One extract_<slot> and validate_<slot> per slot the form asks (rasa_sdk calls them by
    # name): every one reads the message through _extract and checks it through _check.
    def extract_grow_explore(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        return self._extract("grow_explore", tracker)

    def validate_grow_explore(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        return self._check("grow_explore", value, tracker)

    def extract_grow_goal(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> Dict[Text, Any]:
        return self._extract("grow_goal", tracker)

    def validate_grow_goal(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                           domain: DomainDict) -> Dict[Text, Any]:
        return self._check("grow_goal", value, tracker)

    def extract_grow_measure(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        return self._extract("grow_measure", tracker)

    def validate_grow_measure(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        return self._check("grow_measure", value, tracker)

    def extract_grow_reality(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        return self._extract("grow_reality", tracker)

    def validate_grow_reality(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        return self._check("grow_reality", value, tracker)

    def extract_grow_options(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        return self._extract("grow_options", tracker)

    def validate_grow_options(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        return self._check("grow_options", value, tracker)

    def extract_grow_first_step(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> Dict[Text, Any]:
        return self._extract("grow_first_step", tracker)

    def validate_grow_first_step(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> Dict[Text, Any]:
        return self._check("grow_first_step", value, tracker)

    def extract_grow_deadline(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        return self._extract("grow_deadline", tracker)

    def validate_grow_deadline(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> Dict[Text, Any]:
        return self._check("grow_deadline", value, tracker)

    def extract_grow_commitment(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> Dict[Text, Any]:
        return self._extract("grow_commitment", tracker)

    def validate_grow_commitment(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> Dict[Text, Any]:
        return self._check("grow_commitment", value, tracker)

    def extract_grow_commitment_followup(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                         domain: DomainDict) -> Dict[Text, Any]:
        return self._extract("grow_commitment_followup", tracker)

    def validate_grow_commitment_followup(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                          domain: DomainDict) -> Dict[Text, Any]:
        return self._check("grow_commitment_followup", value, tracker)

    def extract_grow_obstacle(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        return self._extract("grow_obstacle", tracker)

    def validate_grow_obstacle(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> Dict[Text, Any]:
        return self._check("grow_obstacle", value, tracker)


class AskGrowSlot(Action, ABC):
    """Asks for one GROW slot with a question from the bank, reflecting the last answer."""

    slot: str  # the GROW slot it asks for; each subclass below names one

    @abstractmethod
    def name(self) -> Text:
        ...

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        slot = self.slot
        asked = list(tracker.get_slot("asked_questions") or [])
        retry = tracker.get_slot("grow_retry")
        previous = tracker.get_slot("grow_last_answer")
        state = coach_state(tracker)
        commitment = coach.parse_scale(tracker.get_slot("grow_commitment") or "")
        may_reflect = _may_reflect(state)
        reply, question_id = coach.ask(
            slot, tracker.get_slot("topic"), asked,
            previous_answer=previous if retry in (None, "resume") else None,
            retry=retry, commitment=commitment, seed=demo_seed(tracker, slot),
            confirm=state.get("confirm"), focus=(previous if retry in ("topic_change", "refocus")
               else tracker.get_slot("grow_goal") if retry == "resume_goal" else None),
            may_reflect=may_reflect,
        )
        say(dispatcher, explain.tag_halves(reply, slot, question_id))
        if question_id and retry not in ("topic_change", "refocus"):
            asked.append(question_id)
        return [SlotSet("asked_questions", asked), SlotSet("grow_retry", None),
                SlotSet("grow_last_answer", None), SlotSet("grow_last_slot", None),
                SlotSet(STATE, _after_turn(state, reply)),
                SlotSet(GROW_REQUESTED, False)]


def _may_reflect(state: Dict[str, Any]) -> bool:
    """At most one reflection in listening.reflect_every coach turns."""
    every = int(coach.load("coach")["listening"]["reflect_every"])
    return int(state.get("turn") or 0) - int(state.get("reflected_at") or -9) >= every


def _after_turn(state: Dict[str, Any], reply: Any) -> Dict[str, Any]:
    turn = int(state.get("turn") or 0) + 1
    updated = {**state, "turn": turn, "confirm": None}
    if reply.technique == "reflection":
        updated["reflected_at"] = turn
    return updated


class ActionAskGrowExplore(Action):
    """A turn around GROW (coach_state's queued move): the contract, staying with a feeling
    or an insight, holding, repair, readiness to move on, a check-in, the takeaway."""

    def name(self) -> Text:
        return "action_ask_grow_explore"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        state = coach_state(tracker)
        queue = state.get("queue") or []
        retry = tracker.get_slot("grow_retry")
        asked = list(tracker.get_slot("asked_questions") or [])
        if retry == "space":
            reply, question_id = coach.ask("grow_reality", None, [], retry="space",
                                           seed=demo_seed(tracker, EXPLORE))
        elif queue and queue[0] == "recap":
            reply, question_id = coach.recap(tracker.current_slot_values(),
                                             seed=demo_seed(tracker, EXPLORE)), None
        else:
            kind = queue[0] if queue else "hold"
            reply, question_id = coach.explore(
                kind, tracker.get_slot("topic"), asked,
                key=listen.KeyWords.from_dict(state.get("key")),
                seed=demo_seed(tracker, EXPLORE), may_reflect=_may_reflect(state),
                retry=retry)
        # What the turn is for, for "why did you ask that?" (host.yml why.slots / stages).
        kind = (queue[0] if queue else "hold") if retry != "space" else "hold"
        purpose = {"stay": "grow_reality", "hold": "grow_reality", "explore_goal": "grow_goal"}.get(kind, EXPLORE)
        say(dispatcher, explain.tag_halves(reply, purpose, question_id))
        if question_id:
            asked.append(question_id)
        return [SlotSet("asked_questions", asked), SlotSet("grow_retry", None),
                SlotSet(STATE, _after_turn(state, reply)), SlotSet(GROW_REQUESTED, False)]


class ActionAskGrowGoal(AskGrowSlot):
    slot = "grow_goal"

    def name(self) -> Text:
        return "action_ask_grow_goal"


class ActionAskGrowMeasure(AskGrowSlot):
    slot = "grow_measure"

    def name(self) -> Text:
        return "action_ask_grow_measure"


class ActionAskGrowReality(AskGrowSlot):
    slot = "grow_reality"

    def name(self) -> Text:
        return "action_ask_grow_reality"


class ActionAskGrowOptions(AskGrowSlot):
    slot = "grow_options"

    def name(self) -> Text:
        return "action_ask_grow_options"


class ActionAskGrowFirstStep(AskGrowSlot):
    slot = "grow_first_step"

    def name(self) -> Text:
        return "action_ask_grow_first_step"


class ActionAskGrowDeadline(AskGrowSlot):
    slot = "grow_deadline"

    def name(self) -> Text:
        return "action_ask_grow_deadline"


class ActionAskGrowCommitment(AskGrowSlot):
    slot = "grow_commitment"

    def name(self) -> Text:
        return "action_ask_grow_commitment"


class ActionAskGrowCommitmentFollowup(AskGrowSlot):
    slot = "grow_commitment_followup"

    def name(self) -> Text:
        return "action_ask_grow_commitment_followup"


class ActionAskGrowObstacle(AskGrowSlot):
    slot = "grow_obstacle"

    def name(self) -> Text:
        return "action_ask_grow_obstacle"


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
        say(dispatcher, coach.summary(values, seed=demo_seed(tracker, "summary"),
                                      takeaway=coach_state(tracker).get("takeaway")))
        return [SlotSet(slot, None) for slot in coach.GROW_SLOTS] + [
            SlotSet(STATE, None), SlotSet(EXPLORE, None),
            SlotSet("last_goal_id", float(goal["id"])), expect(Expecting.FOLLOWUP_WHEN),
            SlotSet("advice_requests", 0.0), SlotSet(GROW_REQUESTED, False),
        ]


class ActionStopFlow(Action):
    """stop/cancel: leaves GROW or a role-play, keeping every answer given so far."""

    def name(self) -> Text:
        return "action_stop_flow"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        say(dispatcher, host().stop_confirmation())
        return [ActiveLoop(None), SlotSet("requested_slot", None), expect(None),
                SlotSet(GROW_REQUESTED, False),
                offer_yes(Offer.RESUME if grow_in_progress(tracker) else None)]


class ActionContinueFlow(Action):
    """"let's continue": picks GROW up where it stopped, or says what can be done."""

    def name(self) -> Text:
        return "action_continue_flow"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        return decided(resume_or_offer(dispatcher, tracker))


def resume_or_offer(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    if grow_in_progress(tracker):
        events: List[EventType] = [SlotSet("grow_retry", "resume"), offer_yes(None)]
        if tracker.get_slot("persona") != "coach":
            say(dispatcher, host().switch_announcement("coach", tracker.get_slot("topic")))
            events.append(SlotSet("persona", "coach"))
        return events + [SlotSet(GROW_REQUESTED, True)]
    goal = _last_active_goal(tracker)
    if goal is not None and tracker.get_slot("persona") in (None, "coach"):
        # "Keep working on it": the existing goal, from where the person is now.
        events = start_grow_events(goal.get("text") or "", goal.get("topic"))
        events = [e for e in events if e.get("name") not in ("grow_goal", "grow_reality", STATE)]
        return events + [
            SlotSet("grow_goal", goal.get("text")), SlotSet("grow_measure", goal.get("measure")),
            SlotSet("persona", "coach"), offer_yes(None),
            SlotSet(STATE, {"queue": [], "turn": 0, "reflected_at": -9}),
            SlotSet("grow_retry", "resume_goal"),
        ]
    say(dispatcher, host().capabilities())
    return [offer_yes(None)]


def _last_active_goal(tracker: Tracker) -> Optional[Dict[str, Any]]:
    from bot.store import StoreUnavailable, get_store

    try:
        goals = get_store().list_goals(tracker.sender_id)
    except StoreUnavailable:
        return None
    active = [g for g in goals if g.get("status") == "active" and (g.get("persona") or "coach") == "coach"]
    return active[-1] if active else None
