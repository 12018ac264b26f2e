"""The dialogue state that decides the next action, in one place (no Rasa imported here).

The override policy (bot/policies/override_policy.py), the GROW form's validator
(actions/grow.py) and the actions read and write these; nothing else defines them.

- `expecting`: the question the bot's last turn asked whose answer an action must consume
  (`Expecting`, and `EXPECTATIONS`: which action reads the answer, which intents count).
- `offer`: what a "yes" to the bot's last turn continues (`Offer`).
- `mentor_kind`: what the mentor's last turn answered or asked about (an answer kind while
  it asks "which area?", `GENERAL` after an answer in general). Not something "yes" takes up.
- `grow_retry`: how the coach's next GROW question is prefaced (`Retry`).

`expecting`, `offer` and `mentor_kind` are turn-scoped (`TURN_SCOPED_SLOTS`): a value
counts only when the bot's last turn set it (`fresh`), so "yes" answers the latest offer,
never one made several turns ago.

Values are str-valued enums: the slots hold the same plain strings as before, and a
member compares and hashes equal to its string (`Expecting.COACH_GOAL == "coach_goal"`,
`"coach_goal" in EXPECTATIONS`). Write `.value` into slots (actions/common.py does).
"""
from dataclasses import dataclass
from enum import Enum
from typing import Any, FrozenSet, Iterable, Mapping, Optional, Tuple


class _Value(str, Enum):
    """A str enum whose members hash and print as their value (Enum hashes by name)."""

    __hash__ = str.__hash__

    def __str__(self) -> str:
        return self.value


class Expecting(_Value):
    """What the bot's last turn asked, whose answer goes back to a given action."""

    COACH_GOAL = "coach_goal"                # "which goal would you like to explore?"
    FOLLOWUP_WHEN = "followup_when"          # "when shall I check in?"
    WHICH_GOAL = "which_goal"                # progress: "which goal was that?"
    MENTOR_TOPIC = "mentor_topic"            # the mentor's "which area?"
    STYLE_SITUATION = "style_situation"      # "describe your situation" (coach or mentor?)
    COMPARE_SITUATION = "compare_situation"  # "describe your situation" (compare the roles)
    DELETE_CONFIRM = "delete_confirm"        # "delete everything?"
    CONCERN_ANSWER = "concern_answer"        # the gentle question after low mood
    STEP_FOLLOWUP = "step_followup"          # a returning person: "how did the step go?"


class Offer(_Value):
    """What a "yes" continues (actions/small_talk.py, ActionAffirm). A suggested role to
    start with is `start_offer(role)` ("start:coach", "start:mentor")."""

    MENTOR = "mentor"                    # switch to the mentor
    COACH = "coach"                      # switch to the coach
    RESUME = "resume"                    # pick GROW up where it stopped
    MORE_DIFFERENCE = "more_difference"  # more on coaching vs mentoring
    MORE_ADVICE = "more_advice"          # the mentor's next steps


START_PREFIX = "start:"


def start_offer(role: str) -> str:
    """The offer to start with `role` (a recommendation that says "both")."""
    return f"{START_PREFIX}{role}"


def offered_start(offer: Optional[str]) -> Optional[str]:
    """The role a start offer names, else None."""
    return offer[len(START_PREFIX):] if offer and offer.startswith(START_PREFIX) else None


# The mentor's last answer kind (slot `mentor_kind`): the kinds are actions/mentor_answers.py's
# ANSWER_KINDS (advice, resource, story, assignment); after an answer in general, GENERAL.
MENTOR_KIND_SLOT = "mentor_kind"
GENERAL = "general"


class Retry(_Value):
    """How the coach prefaces its next GROW question (slot `grow_retry`; texts in
    data/content/coach*.yml, chosen in bot/personas/coach.py)."""

    VAGUE = "vague"
    DONT_KNOW = "dont_know"
    ADVICE_PLEA = "advice_plea"
    ADVICE_PLEA_REPEAT = "advice_plea_repeat"
    RESUME = "resume"
    CARRY_ON = "carry_on"
    SPACE = "space"
    TOPIC_CHANGE = "topic_change"
    REFOCUS = "refocus"
    START_OVER = "start_over"
    STEP_BACK = "step_back"
    DONT_KNOW_WANT = "dont_know_want"
    RESUME_GOAL = "resume_goal"


# --- thresholds --------------------------------------------------------------------------
# Below this the intent classifier's guess is not a change of course: it does not escape an
# expected answer, interrupt GROW, or outweigh what the bot just offered.
SURE = 0.8
# How sure the understanding reading (parse data `reading`) must be of a control request
# or a repair, in the person's own phrasing, before it wins.
CONTROL_SURE = 0.85
# A plea for advice or for the mentor inside GROW (short answers to "what could you do?"
# can read as requests at 0.5-0.6, so the classifier alone must be fairly sure).
PLEA_SURE = 0.7

# --- interrupt intents: one definition -----------------------------------------------------
# Requests answered in the middle of GROW, after which the coach's question comes back
# (the interruption rules in data/rules/grow.yml, one per intent).
GROW_ASIDES = frozenset({"ask_technique", "ask_difference", "list_goals", "ask_capabilities",
                         "export_data", "compare_answers"})
# Requests that change course: they end GROW through their own rules, answers kept.
COURSE_CHANGES = frozenset({"stop_flow", "request_mentor", "request_coach", "delete_data"})
# Intents that interrupt GROW instead of answering the coach, when sure (SURE): "I'll coach
# Sam" is an answer, not a request. (goodbye is not one: "soon" reads as "see you soon";
# the person can always say stop.)
INTERRUPT_INTENTS = GROW_ASIDES | COURSE_CHANGES
# Requests that win over the coach's own reading of a complaint or a hold ("stop asking
# questions and give me advice" switches to the mentor).
ALWAYS_INTERRUPT = COURSE_CHANGES | {"export_data"}
# Intents that mean "I'm doing something else now": they also leave a question whose
# answer can be anything (a sure greeting, goodbye or everyday request is not an answer).
ESCAPE_INTENTS = INTERRUPT_INTENTS | {"greet", "goodbye", "bot_challenge", "express_distress",
                                      "ask_out_of_scope"}


# --- the expectations ---------------------------------------------------------------------
@dataclass(frozen=True)
class Expectation:
    """`action` reads the answer. `answers`: the intents that count as the answer whatever
    the confidence (any intent counts below SURE); None: any message but a sure
    ESCAPE_INTENTS one."""

    action: str
    answers: Optional[FrozenSet[str]] = None


EXPECTATIONS: Mapping[Expecting, Expectation] = {
    # The coach asked "which goal would you like to explore?": the answer is the goal.
    Expecting.COACH_GOAL: Expectation("action_set_goal"),
    Expecting.FOLLOWUP_WHEN: Expectation("action_request_followup", frozenset(
        {"request_followup", "inform", "affirm", "deny", "nlu_fallback"})),
    Expecting.WHICH_GOAL: Expectation("action_report_progress", frozenset(
        {"report_progress", "inform", "nlu_fallback", "drop_goal"})),
    Expecting.MENTOR_TOPIC: Expectation("action_mentor_clarified", frozenset({"inform", "nlu_fallback"})),
    # Asked to describe their situation, whatever the person says next is that situation.
    Expecting.STYLE_SITUATION: Expectation("action_which_style"),
    Expecting.COMPARE_SITUATION: Expectation("action_compare_answers"),
    Expecting.DELETE_CONFIRM: Expectation("action_delete_data_confirmed"),
    # The gentle question after low mood: whatever comes next is its answer.
    Expecting.CONCERN_ANSWER: Expectation("action_safety_concern_answer"),
    # The coach asked a returning person how their step went: the answer is progress.
    Expecting.STEP_FOLLOWUP: Expectation("action_report_progress"),
}
# Expectations whose answer describes the person's situation (any message is the answer;
# "check in with me every week" is part of it, not a request).
SITUATION_EXPECTATIONS = frozenset({Expecting.STYLE_SITUATION, Expecting.COMPARE_SITUATION})

# --- turn-scoped slots --------------------------------------------------------------------
# Slots whose value means something only when the bot's last turn set it. They are read
# with `fresh`; a new session keeps them only if the bot's last turn set them
# (bot/sessions.py); their SlotSet events are never dropped as repeats, since the events
# say which turn set them (bot/rasa_speedups.py).
TURN_SCOPED_SLOTS: Tuple[str, ...] = ("expecting", "offer", MENTOR_KIND_SLOT)

USER, SLOT = "user", "slot"


def fresh(newest_first: Iterable[Tuple[Optional[str], Optional[str], Any]], slot: str) -> Any:
    """A turn-scoped slot's value if the bot's last turn (between the person's last two
    messages) set it, else None. `newest_first`: the events, newest first, each as
    (USER, None, None), (SLOT, name, value) or anything else for other events."""
    users_seen = 0
    for kind, name, value in newest_first:
        if kind == USER:
            users_seen += 1
            if users_seen == 2:
                return None
        elif kind == SLOT and name == slot and users_seen == 1:
            return value
    return None
