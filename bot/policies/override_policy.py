"""A deterministic policy that outranks rules and forms for the few things that must win.

1. Safety: bot.safety reads the risk of every message, on its full text (before any
   truncation) and with the person's recent messages (a crisis split over two or three
   messages), in every context. A crisis runs `action_safety`, even inside a form or a
   role-play; so does a confident `express_distress` intent in a message with a word of
   harm, death or despair. Low mood without words of harm gets the gentle question
   (`action_safety_concern`), once a session. A work idiom the classifier mistook for
   distress is treated as a statement. Questions for a doctor, lawyer, accountant,
   immigration adviser or counsellor get the scope referral.
2. An open safety check (checked first): every message goes to `action_safety_check` until the person
   says they are safe.
3. An active role-play: every message goes to `action_roleplay_turn`; an active practise
   round (the person plays the coach) to `action_practice_turn`.
4. "Yes" to the offer the bot just made goes to `action_affirm`, even inside GROW.
5. An expected answer: when an action asked a question whose answer it must consume
   (slot `expecting`), the next message goes back to that action, unless the person
   clearly changes course (switch persona, stop, delete data, ...).

6. The one way into GROW: after an action that may start or resume it
   (GROW_ENTRY_ACTIONS) and set `grow_requested`, the form. After this policy's own
   actions a running form comes back.

The state it reads (`expecting`, `offer`, the thresholds, the interrupt intents) is
defined in bot/dialogue.py; README "How the next action is chosen" lists the branches in
order, and tests/unit/test_override_policy.py tests each one.

After any other action that no rule continues, it ends the turn (action_listen at 0.5,
above RulePolicy's core fallback at 0.3, below every rule at 1.0).

Its predictions are marked `is_no_user_prediction` so they compete with, and beat,
RulePolicy's active-loop predictions (see rasa/core/policies/ensemble.py).
"""
import re
from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot import dialogue, safety
from bot.dialogue import (CONTROL_SURE, ESCAPE_INTENTS, EXPECTATIONS, SITUATION_EXPECTATIONS, SURE,
                          Expecting)
from bot.safety.text import FULL_TEXT_KEY
from bot.understanding.acts import leave_taking

SAFETY_ACTION = "action_safety"
SAFETY_CHECK_ACTION = "action_safety_check"
ROLEPLAY_ACTION = "action_roleplay_turn"
PRACTICE_ACTION = "action_practice_turn"
# Control requests that leave a practise round (the person's data); every other one is a
# line to the coachee.
PRACTICE_ESCAPES = {"delete_data", "export_data"}
SCOPE_ACTION = "action_out_of_scope"
CONCERN_ACTION = "action_safety_concern"
CONCERN_ANSWER_ACTION = "action_safety_concern_answer"
GROW_FORM = "grow_form"
INFORM_ACTION = "action_inform"
AFFIRM_ACTION = "action_affirm"
STOP_ACTION = "action_stop_flow"
ADVICE_ACTION = "action_ask_advice"

EXPECTATION_ACTIONS = {name: expectation.action for name, expectation in EXPECTATIONS.items()}
# Enough to tell that "in two weeks" answers "when shall I check in?" whatever the intent.
TIME_WORDS = re.compile(
    r"\b(today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"next|week|weeks|month|months|days?|hours?|morning|afternoon|evening|\d{1,2}(:\d\d)?\s*(am|pm)|"
    r"\d{4}-\d\d-\d\d|\d{1,2}/\d{1,2})\b", re.IGNORECASE)

# Control requests win in every context (after safety): mid-GROW, mid-mentoring, in an
# expected answer and in a role-play. The reading (bot/understanding, parse data `reading`)
# names them from the person's phrasing; these the policy answers itself, the others
# (switch, stop, keep working, delete, export) go through their intents, which the
# reading settled (bot/understanding/arbiter.py) and which escape expectations and GROW.
CONTROL_ACTION = "action_control"
UNDO_ACTION = "action_undo"
CONTROL_ACTIONS = {
    "schedule_checkin": "action_request_followup",
    "list_goals": "action_list_goals",
    "compare": "action_compare_answers",
    "start_over": CONTROL_ACTION,
    "change_topic": CONTROL_ACTION,
    "undo": UNDO_ACTION,
}
# Controls the coach answers itself inside GROW (as it does complaints and corrections).
COACH_HANDLES = {"start_over", "change_topic"}
# A complaint about the conversation or a correction is not coaching material.
REPAIR_ACTS = {"complaint", "correction"}

# After these the turn ends: nothing resumes after a safety reply.
SAFETY_REPLIES = {SAFETY_ACTION, SAFETY_CHECK_ACTION, CONCERN_ACTION, CONCERN_ANSWER_ACTION}
OVERRIDE_ACTIONS = {*SAFETY_REPLIES, ROLEPLAY_ACTION, PRACTICE_ACTION, SCOPE_ACTION, AFFIRM_ACTION,
                    INFORM_ACTION, STOP_ACTION, *CONTROL_ACTIONS.values(),
                    *EXPECTATION_ACTIONS.values()}
# The actions that may start or resume GROW. Each sets the featurized slot grow_requested
# (true: the form comes next, the one way into GROW; false: the turn ends).
GROW_REQUESTED = "grow_requested"
GROW_ENTRY_ACTIONS = {"action_set_goal", "action_request_persona", "action_continue_flow",
                      AFFIRM_ACTION, INFORM_ACTION}


def fresh_value(tracker: DialogueStateTracker, slot: Text = "expecting") -> Any:
    """A turn-scoped slot's value if the bot's last turn set it (bot/dialogue.py, fresh)."""
    return dialogue.fresh(((dialogue.USER, None, None) if isinstance(event, UserUttered)
                           else (dialogue.SLOT, event.key, event.value) if isinstance(event, SlotSet)
                           else (None, None, None) for event in reversed(tracker.events)), slot)


def full_text(message: Optional[UserUttered]) -> Text:
    """The whole message: the channel hands over the untruncated text of a long one."""
    if message is None:
        return ""
    extra = (message.metadata or {}).get(FULL_TEXT_KEY)
    return extra if isinstance(extra, str) and extra else (message.text or "")


def _newest_first(tracker: DialogueStateTracker):
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            yield "user", full_text(event)
        elif isinstance(event, ActionExecuted):
            yield "action", event.action_name


def read_risk(tracker: DialogueStateTracker) -> "safety.Risk":
    """The risk of the latest message, read with the person's recent messages."""
    return safety.assess(full_text(tracker.latest_message),
                         safety.earlier_texts(_newest_first(tracker)))


def reading_of(tracker: DialogueStateTracker) -> Dict[Text, Any]:
    """The reading the NLU pipeline made of the latest message (empty if none)."""
    message = tracker.latest_message
    reading = (message.parse_data or {}).get("reading") if message is not None else None
    return reading if isinstance(reading, dict) else {}


def sure_control(tracker: DialogueStateTracker) -> Optional[Text]:
    """A control request read from the person's own phrasing, sure enough to win."""
    reading = reading_of(tracker)
    if (reading.get("act") == "control" and reading.get("control_source", "phrase") == "phrase"
            and float(reading.get("confidence") or 0.0) >= CONTROL_SURE):
        return reading.get("control")
    return None


def concern_asked_this_session(tracker: DialogueStateTracker) -> bool:
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted):
            if event.action_name == CONCERN_ACTION:
                return True
            if event.action_name == "action_session_start":
                return False
    return False


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT], is_trainable=False
)
class OverridePolicy(Policy):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The risk classifier trains from the project's data in a second or two: do it
        # while the model loads, not on the first person's message.
        safety.warm_up()

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"priority": 7, "distress_threshold": 0.5, "end_turn_confidence": 0.5}

    def train(
        self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        return self._resource

    def _crisis(self, tracker: DialogueStateTracker, risk: "safety.Risk") -> bool:
        message = tracker.latest_message
        if message is None:
            return False
        if risk.crisis:
            return True
        intent = message.intent or {}
        text = (message.text or "").strip()
        if intent.get("name") == "express_distress" and (not text or text.startswith("/")):
            return True  # the intent itself was sent (a payload, a test story): no words to doubt
        # The classifier alone also needs a word of harm, death or despair in the message:
        # it is sometimes nearly certain about plain work talk.
        return (
            intent.get("name") == "express_distress"
            and (intent.get("confidence") or 0.0) >= self.config["distress_threshold"]
            and not safety.is_lookalike(message.text or "")
            and safety.has_distress_cue(message.text or "")
        )

    @staticmethod
    def _part_of_the_work(tracker: DialogueStateTracker, reading: Dict[Text, Any], coaching: bool) -> bool:
        """A message the classifier calls an everyday request that is really part of the
        conversation: in GROW anything but a question or request ("I could do the reading
        on my phone in bed"), and while the mentor has a situation open, a follow-up
        question ("should I put her on a PIP now or wait until after the launch?"). Evaluators
        got "That's outside what I'm for" for both."""
        act = reading.get("act")
        if coaching:
            return act not in ("question", "request")
        state = tracker.get_slot("mentor_state")
        return (tracker.get_slot("persona") == "mentor" and isinstance(state, dict)
                and bool(state.get("situation")) and act == "question")

    @staticmethod
    def _scope(tracker: DialogueStateTracker) -> bool:
        return safety.classify_scope(full_text(tracker.latest_message)) is not None

    def _choose(self, tracker: DialogueStateTracker) -> Optional[Text]:
        if tracker.latest_action_name != ACTION_LISTEN_NAME:
            # After an action. Nothing resumes after a safety reply. Into GROW when the
            # action asked for it (grow_requested): the one way into GROW. After this
            # policy's own actions the running form also comes back (an interruption was
            # answered, as after the interruption rules in data/rules/grow.yml), else the
            # turn ends. After any other action the rules continue.
            latest = tracker.latest_action_name
            if latest in SAFETY_REPLIES:
                return ACTION_LISTEN_NAME
            if latest in OVERRIDE_ACTIONS:
                if tracker.get_slot(GROW_REQUESTED) or tracker.active_loop_name == GROW_FORM:
                    return GROW_FORM
                return ACTION_LISTEN_NAME
            if latest in GROW_ENTRY_ACTIONS and tracker.get_slot(GROW_REQUESTED):
                return GROW_FORM
            return None
        if tracker.latest_message is None:
            return None
        if tracker.get_slot("safety_check"):
            # The open check reads every answer itself (a new crisis expression included);
            # the classifier's guess at "yes, I'm safe" must not restart it.
            return SAFETY_CHECK_ACTION
        risk = read_risk(tracker)
        if self._crisis(tracker, risk):
            return SAFETY_ACTION
        intent = (tracker.latest_message.intent or {}).get("name")
        if fresh_value(tracker) == Expecting.CONCERN_ANSWER:
            return CONCERN_ANSWER_ACTION
        if risk.level == safety.CONCERN and not concern_asked_this_session(tracker):
            return CONCERN_ACTION
        # In a practise round every message is a line to a made-up coachee ("maybe see a
        # therapist?", "let's start over", "can we change the topic?"): only a crisis (above),
        # "stop" and a request about the person's data (their rules answer) leave the round.
        practising = bool(tracker.get_slot("practice_state"))
        if self._scope(tracker) and not practising:
            return SCOPE_ACTION
        control = sure_control(tracker)
        if control == "schedule_checkin" and fresh_value(tracker) in SITUATION_EXPECTATIONS:
            # Asked to describe their situation (to recommend a role, to compare), "I need
            # someone to check in with me every week" is part of the answer: a recommendation
            # never schedules a check-in.
            control = None
        in_scene = bool(tracker.get_slot("roleplay_state") or tracker.get_slot("practice_state"))
        # In GROW the coach itself repairs, re-contracts and starts afresh (issue 18:
        # actions/grow.py, bot/personas/listen.py): the form reads these messages.
        coaching = tracker.active_loop_name == GROW_FORM
        if control in CONTROL_ACTIONS and not (coaching and control in COACH_HANDLES) and not practising:
            return CONTROL_ACTIONS[control]
        if control == "stop" and in_scene:
            # The role-play and the practise round end themselves on "stop" (with feedback).
            return ROLEPLAY_ACTION if tracker.get_slot("roleplay_state") else PRACTICE_ACTION
        if control is not None and not (practising and control not in PRACTICE_ESCAPES):
            # Switch, stop, keep working, delete, export: their intents' rules answer.
            return None
        if coaching and leave_taking(tracker.latest_message.text or ""):
            # "thanks, bye" mid-GROW ends it, answers kept (it was read as the next answer:
            # "bye" -> "When exactly will you take that step?").
            return STOP_ACTION
        reading = reading_of(tracker)
        confidence = (tracker.latest_message.intent or {}).get("confidence") or 0.0
        if intent == "ask_out_of_scope" and confidence >= SURE and not in_scene:
            if self._part_of_the_work(tracker, reading, coaching):
                # The GROW answer, or the mentor's follow-up (the rule would refuse it).
                return GROW_FORM if coaching else ADVICE_ACTION
            # An everyday request the bot is not for gets its one line in every context
            # (never a GROW answer, never a data change).
            return SCOPE_ACTION
        if (reading.get("act") in REPAIR_ACTS and float(reading.get("confidence") or 0.0) >= CONTROL_SURE
                and not in_scene and not coaching):
            return CONTROL_ACTION
        if tracker.get_slot("roleplay_state"):
            return ROLEPLAY_ACTION
        if tracker.get_slot("practice_state") and fresh_value(tracker) not in EXPECTATIONS:
            # A practise round (bot/practice): every message is the person's next line as the
            # coach, after the safety checks above (and unless a data request that escaped
            # the round asked something, e.g. "delete everything?").
            return PRACTICE_ACTION
        confidence = (tracker.latest_message.intent or {}).get("confidence") or 0.0
        if intent == "affirm" and confidence >= SURE and fresh_value(tracker, "offer"):
            # "Yes" to what the bot just offered (e.g. the mentor), even in the middle of GROW.
            return AFFIRM_ACTION
        expecting = fresh_value(tracker)
        if expecting in EXPECTATIONS:
            action, answers = EXPECTATIONS[expecting].action, EXPECTATIONS[expecting].answers
            if answers is None:
                return None if intent in ESCAPE_INTENTS and confidence >= SURE else action
            if intent in answers or confidence < SURE:
                return action
            if expecting == Expecting.FOLLOWUP_WHEN and TIME_WORDS.search(tracker.latest_message.text or ""):
                return action
        if intent == "express_distress":
            # The classifier saw distress in a work idiom ("this deadline is killing me") or
            # in plain feeling ("things just feel off at work"), and the risk reading found
            # nothing: treat it as a statement, and inside GROW as the answer (data/rules'
            # express_distress rule would otherwise start the crisis protocol there).
            return tracker.active_loop_name or INFORM_ACTION
        return None

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        action = self._choose(tracker)
        probabilities = self._default_predictions(domain)
        if action is not None and action in domain.action_names_or_texts:
            probabilities[domain.index_for_action(action)] = 1.0
            return self._prediction(probabilities, is_no_user_prediction=True)
        if tracker.latest_action_name not in (ACTION_LISTEN_NAME, None):
            # Safety net: a turn that no rule continues ends by listening, instead of
            # RulePolicy's core fallback (confidence 0.3) repeating itself.
            probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = self.config["end_turn_confidence"]
        return self._prediction(probabilities)
