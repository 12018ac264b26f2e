"""Every branch of OverridePolicy._choose, in the order the policy reads them, on trackers
built with DialogueStateTracker.from_events (no model, no server). The safety reading and
the scope classifier are stubbed per test: their own tests are tests/unit/test_safety*.py;
here only what the policy does with them is tested."""
from typing import Any, Dict, List, Optional

import pytest
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import dialogue, safety
from bot.dialogue import EXPECTATIONS, Expecting, Offer
from bot.policies import override_policy as op
from bot.policies.override_policy import OverridePolicy

NO_RISK = safety.Risk(safety.NONE)


@pytest.fixture
def policy(monkeypatch):
    """The policy without its start-up warm-up, with no risk and no scope question unless
    a test says otherwise."""
    monkeypatch.setattr(op, "read_risk", lambda tracker: NO_RISK)
    monkeypatch.setattr(op.safety, "classify_scope", lambda text: None)
    instance = OverridePolicy.__new__(OverridePolicy)
    instance.config = OverridePolicy.get_default_config()
    return instance


def user(text: str = "hello", intent: str = "inform", confidence: float = 0.95,
         reading: Optional[Dict[str, Any]] = None) -> UserUttered:
    parse = {"intent": {"name": intent, "confidence": confidence}}
    if reading is not None:
        parse["reading"] = reading
    return UserUttered(text, parse["intent"], parse_data=parse)


def bot_turn(action: str, *slots: SlotSet) -> List[Any]:
    """An earlier bot turn: the action, what it set, then listening."""
    return [ActionExecuted(action), *slots, ActionExecuted(ACTION_LISTEN_NAME)]


def tracker(*events: Any) -> DialogueStateTracker:
    """A conversation ending with the person's message (a user turn) unless the events end
    with an action."""
    return DialogueStateTracker.from_events("ana", [ActionExecuted(ACTION_LISTEN_NAME), *events])


def control(name: str, confidence: float = 0.9, **extra: Any) -> Dict[str, Any]:
    return {"act": "control", "control": name, "confidence": confidence, **extra}


# --- after an action -------------------------------------------------------------------------

@pytest.mark.parametrize("action", sorted(op.SAFETY_REPLIES))
def test_after_a_safety_reply_the_turn_ends_even_with_grow_requested(policy, action):
    t = tracker(user(), ActiveLoop(op.GROW_FORM), SlotSet("grow_requested", True), ActionExecuted(action))
    assert policy._choose(t) == ACTION_LISTEN_NAME


def test_after_an_override_action_that_asks_for_grow_the_form_comes(policy):
    t = tracker(user(), ActionExecuted(op.INFORM_ACTION), SlotSet("grow_requested", True))
    assert policy._choose(t) == op.GROW_FORM


def test_after_an_override_action_the_running_form_comes_back(policy):
    t = tracker(ActiveLoop(op.GROW_FORM), user(), ActionExecuted(op.SCOPE_ACTION))
    assert policy._choose(t) == op.GROW_FORM


def test_after_an_override_action_otherwise_the_turn_ends(policy):
    t = tracker(user(), ActionExecuted(op.AFFIRM_ACTION), SlotSet("grow_requested", False))
    assert policy._choose(t) == ACTION_LISTEN_NAME


@pytest.mark.parametrize("action", sorted(op.GROW_ENTRY_ACTIONS - op.OVERRIDE_ACTIONS))
def test_the_one_way_into_grow_after_an_action_that_asks_for_it(policy, action):
    t = tracker(user(), ActionExecuted(action), SlotSet("grow_requested", True))
    assert policy._choose(t) == op.GROW_FORM


@pytest.mark.parametrize("action", sorted(op.GROW_ENTRY_ACTIONS - op.OVERRIDE_ACTIONS))
def test_a_grow_entry_action_that_does_not_ask_for_grow_leaves_the_turn_to_the_rules(policy, action):
    t = tracker(user(), ActionExecuted(action), SlotSet("grow_requested", False))
    assert policy._choose(t) is None


def test_after_any_other_action_the_rules_continue(policy):
    t = tracker(ActiveLoop(op.GROW_FORM), user(), ActionExecuted("action_explain_technique"))
    assert policy._choose(t) is None


# --- after the person's message, in order -----------------------------------------------------

def test_without_a_message_nothing(policy):
    t = tracker(user())
    t.latest_message = None
    assert policy._choose(t) is None


def test_an_open_safety_check_reads_every_answer_before_anything_else(policy, monkeypatch):
    monkeypatch.setattr(op, "read_risk", lambda tracker: safety.Risk(safety.CRISIS, ("passive",)))
    t = tracker(SlotSet("safety_check", True), user("yes I'm safe", "affirm"))
    assert policy._choose(t) == op.SAFETY_CHECK_ACTION


def test_a_crisis_runs_the_protocol_even_in_a_role_play_or_grow(policy, monkeypatch):
    monkeypatch.setattr(op, "read_risk", lambda tracker: safety.Risk(safety.CRISIS, ("passive",)))
    t = tracker(ActiveLoop(op.GROW_FORM), SlotSet("roleplay_state", {"on": True}),
                user("whatever", "inform"))
    assert policy._choose(t) == op.SAFETY_ACTION


def test_a_confident_distress_intent_with_a_word_of_harm_runs_the_protocol(policy, monkeypatch):
    monkeypatch.setattr(op.safety, "is_lookalike", lambda text: False)
    monkeypatch.setattr(op.safety, "has_distress_cue", lambda text: True)
    assert policy._choose(tracker(user("...", "express_distress", 0.9))) == op.SAFETY_ACTION


def test_the_answer_to_the_gentle_question_goes_back_to_it(policy):
    t = tracker(user("meh", "inform"), *bot_turn(op.CONCERN_ACTION, SlotSet("expecting", "concern_answer")),
                user("hello", "greet"))
    assert policy._choose(t) == op.CONCERN_ANSWER_ACTION


def test_low_mood_gets_the_gentle_question_once_a_session(policy, monkeypatch):
    monkeypatch.setattr(op, "read_risk", lambda tracker: safety.Risk(safety.CONCERN))
    assert policy._choose(tracker(user("everything feels heavy"))) == op.CONCERN_ACTION
    asked = tracker(user("meh"), *bot_turn(op.CONCERN_ACTION), user("everything feels heavy"))
    assert policy._choose(asked) != op.CONCERN_ACTION


def test_a_question_for_a_professional_gets_the_referral_except_in_a_practise_round(policy, monkeypatch):
    monkeypatch.setattr(op.safety, "classify_scope", lambda text: "doctor")
    assert policy._choose(tracker(user("should I see a doctor?"))) == op.SCOPE_ACTION
    practising = tracker(SlotSet("practice_state", {"round": 1}), user("maybe see a doctor?"))
    assert policy._choose(practising) == op.PRACTICE_ACTION


def test_a_check_in_request_describing_a_situation_is_the_answer(policy):
    t = tracker(user("coach or mentor?", "ask_which_style"),
                *bot_turn("action_which_style", SlotSet("expecting", "style_situation")),
                user("I need someone to check in with me every week", "request_followup",
                     reading=control("schedule_checkin")))
    assert policy._choose(t) == "action_which_style"


@pytest.mark.parametrize("name", sorted(op.CONTROL_ACTIONS))
def test_a_sure_control_request_wins(policy, name):
    t = tracker(SlotSet("roleplay_state", {"on": True}), user("...", "inform", reading=control(name)))
    assert policy._choose(t) == op.CONTROL_ACTIONS[name]


def test_a_control_read_from_the_intent_or_unsure_does_not_win(policy):
    from_intent = control("list_goals", control_source="intent")
    assert policy._choose(tracker(user("...", "inform", reading=from_intent))) is None
    assert policy._choose(tracker(user("...", "inform", reading=control("list_goals", 0.6)))) is None


@pytest.mark.parametrize("name", sorted(op.COACH_HANDLES))
def test_in_grow_the_coach_handles_start_over_and_change_topic(policy, name):
    t = tracker(ActiveLoop(op.GROW_FORM), user("...", "inform", reading=control(name)))
    assert policy._choose(t) is None


def test_in_a_practise_round_a_control_request_is_a_line_to_the_coachee(policy):
    t = tracker(SlotSet("practice_state", {"round": 1}), user("...", "inform", reading=control("list_goals")))
    assert policy._choose(t) == op.PRACTICE_ACTION


@pytest.mark.parametrize("slot, action", [("roleplay_state", op.ROLEPLAY_ACTION),
                                          ("practice_state", op.PRACTICE_ACTION)])
def test_stop_in_a_scene_goes_to_the_scene_which_ends_itself(policy, slot, action):
    t = tracker(SlotSet(slot, {"on": True}), user("stop", "stop_flow", reading=control("stop")))
    assert policy._choose(t) == action


def test_other_control_requests_go_to_their_rules(policy):
    assert policy._choose(tracker(user("stop", "stop_flow", reading=control("stop")))) is None
    practising = tracker(SlotSet("practice_state", {"on": True}),
                         user("delete my data", "delete_data", reading=control("delete")))
    # A data request leaves the practise round through its rules... unless it is one of the
    # round's escapes by its control name.
    assert policy._choose(practising) == op.PRACTICE_ACTION
    escape = tracker(SlotSet("practice_state", {"on": True}),
                     user("export my data", "export_data", reading=control("export_data")))
    assert policy._choose(escape) is None


def test_a_sure_everyday_request_gets_the_out_of_scope_line_except_in_a_scene(policy):
    assert policy._choose(tracker(user("book me a flight", "ask_out_of_scope", 0.9))) == op.SCOPE_ACTION
    assert policy._choose(tracker(user("book me a flight", "ask_out_of_scope", 0.7))) is None
    in_scene = tracker(SlotSet("roleplay_state", {"on": True}), user("book me a flight", "ask_out_of_scope", 0.9))
    assert policy._choose(in_scene) == op.ROLEPLAY_ACTION


@pytest.mark.parametrize("act", sorted(op.REPAIR_ACTS))
def test_a_sure_complaint_or_correction_gets_the_repair_outside_grow_and_scenes(policy, act):
    reading = {"act": act, "confidence": 0.9}
    assert policy._choose(tracker(user("that's not what I said", reading=reading))) == op.CONTROL_ACTION
    coaching = tracker(ActiveLoop(op.GROW_FORM), user("that's not what I said", reading=reading))
    assert policy._choose(coaching) is None
    unsure = tracker(user("that's not what I said", reading={"act": act, "confidence": 0.6}))
    assert policy._choose(unsure) is None


def test_every_message_in_a_role_play_is_a_line(policy):
    t = tracker(SlotSet("roleplay_state", {"on": True}), user("I'd like a raise", "ask_advice"))
    assert policy._choose(t) == op.ROLEPLAY_ACTION


def test_every_message_in_a_practise_round_is_a_line_unless_a_question_is_open(policy):
    t = tracker(SlotSet("practice_state", {"on": True}), user("what do you want?", "ask_advice"))
    assert policy._choose(t) == op.PRACTICE_ACTION
    asked = tracker(SlotSet("practice_state", {"on": True}), user("delete my data", "delete_data"),
                    *bot_turn("action_delete_data", SlotSet("expecting", "delete_confirm")),
                    user("yes", "affirm"))
    assert policy._choose(asked) == "action_delete_data_confirmed"


def test_a_sure_yes_to_a_fresh_offer_goes_to_affirm_even_in_grow(policy):
    offered = [user("just tell me", "ask_advice"),
               *bot_turn("action_ask_grow_reality", SlotSet("offer", Offer.MENTOR.value))]
    assert policy._choose(tracker(ActiveLoop(op.GROW_FORM), *offered, user("yes", "affirm"))) == op.AFFIRM_ACTION
    assert policy._choose(tracker(*offered, user("yes", "affirm", 0.6))) is None
    stale = tracker(*offered, user("ok"), *bot_turn("action_inform"), user("yes", "affirm"))
    assert policy._choose(stale) is None


def _asked(expecting: Expecting) -> List[Any]:
    return [user("..."), *bot_turn("action_x", SlotSet("expecting", expecting.value))]


# (The gentle question's answer is read earlier, before the scope and control checks.)
@pytest.mark.parametrize("expecting", [e for e in Expecting if EXPECTATIONS[e].answers is None
                                       and e != Expecting.CONCERN_ANSWER])
def test_an_expected_answer_can_be_anything_but_a_sure_change_of_course(policy, expecting):
    action = EXPECTATIONS[expecting].action
    assert policy._choose(tracker(*_asked(expecting), user("anything", "ask_advice"))) == action
    assert policy._choose(tracker(*_asked(expecting), user("bye", "goodbye", 0.9))) is None
    assert policy._choose(tracker(*_asked(expecting), user("bye", "goodbye", 0.5))) == action


@pytest.mark.parametrize("expecting", [e for e in Expecting if EXPECTATIONS[e].answers is not None])
def test_an_expected_answer_is_one_of_its_intents_or_an_unsure_guess(policy, expecting):
    action = EXPECTATIONS[expecting].action
    answer = sorted(EXPECTATIONS[expecting].answers)[0]
    assert policy._choose(tracker(*_asked(expecting), user("this", answer, 0.99))) == action
    assert policy._choose(tracker(*_asked(expecting), user("this", "ask_story", 0.5))) == action
    assert policy._choose(tracker(*_asked(expecting), user("this", "ask_story", 0.9))) is None


def test_time_words_answer_when_to_check_in_whatever_the_intent(policy):
    t = tracker(*_asked(Expecting.FOLLOWUP_WHEN), user("in two weeks", "ask_story", 0.9))
    assert policy._choose(t) == "action_request_followup"


def test_a_stale_expectation_is_not_an_expectation(policy):
    t = tracker(*_asked(Expecting.COACH_GOAL), user("hi"), *bot_turn("action_greet"),
                user("anything", "ask_advice"))
    assert policy._choose(t) is None


def test_unsure_distress_outside_a_form_is_a_statement_inside_it_the_answer(policy, monkeypatch):
    monkeypatch.setattr(op.safety, "has_distress_cue", lambda text: False)
    monkeypatch.setattr(op.safety, "is_lookalike", lambda text: False)
    assert policy._choose(tracker(user("this deadline is killing me", "express_distress"))) == op.INFORM_ACTION
    in_form = tracker(ActiveLoop(op.GROW_FORM), user("this deadline is killing me", "express_distress"))
    # The form takes it as the answer: left to the rules, the express_distress rule started
    # the crisis protocol mid-GROW on "I don't know, things just feel off at work".
    assert policy._choose(in_form) == op.GROW_FORM


def test_the_distress_intent_sent_as_a_payload_runs_the_protocol(policy):
    assert policy._choose(tracker(user("/express_distress", "express_distress", 1.0))) == op.SAFETY_ACTION
    in_form = tracker(ActiveLoop(op.GROW_FORM), user("", "express_distress", 1.0))
    assert policy._choose(in_form) == op.SAFETY_ACTION


def test_anything_else_is_left_to_the_rules(policy):
    assert policy._choose(tracker(user("how do I negotiate a raise?", "ask_advice"))) is None


# --- the shared dialogue state ---------------------------------------------------------------

def test_fresh_reads_only_the_bots_last_turn():
    t = tracker(user(), *bot_turn("action_x", SlotSet("offer", "mentor")), user())
    assert op.fresh_value(t, "offer") == "mentor"
    t = tracker(user(), *bot_turn("action_x", SlotSet("offer", "mentor")), user(), *bot_turn("action_y"), user())
    assert op.fresh_value(t, "offer") is None


def test_the_enums_are_the_slot_strings():
    assert Expecting.COACH_GOAL == "coach_goal" and "coach_goal" in EXPECTATIONS
    assert {Offer.MENTOR} == {"mentor"} and str(Offer.MORE_ADVICE) == "more_advice"
    assert dialogue.offered_start(dialogue.start_offer("coach")) == "coach"
    assert dialogue.ESCAPE_INTENTS >= dialogue.INTERRUPT_INTENTS >= dialogue.ALWAYS_INTERRUPT


def test_every_expectation_action_is_in_the_domain():
    import yaml

    with open("domain.yml", encoding="utf-8") as handle:
        domain = yaml.safe_load(handle)
    actions = set(domain["actions"])
    assert {e.action for e in EXPECTATIONS.values()} <= actions
    assert set(dialogue.TURN_SCOPED_SLOTS) <= set(domain["slots"])


def test_the_grow_aside_rules_are_the_grow_asides():
    import yaml

    with open("data/rules/grow.yml", encoding="utf-8") as handle:
        rules = yaml.safe_load(handle)["rules"]
    asides = {step["intent"] for rule in rules for step in rule["steps"] if "intent" in step}
    assert asides == set(dialogue.GROW_ASIDES)


def test_taking_leave_mid_grow_ends_it_and_an_answer_with_goodbye_words_does_not(policy):
    for text in ("bye", "Thanks, bye.", "gotta go", "Thanks, that's it for today."):
        t = tracker(ActiveLoop(op.GROW_FORM), user(text, "goodbye", 0.95))
        assert policy._choose(t) == op.STOP_ACTION, text
    t = tracker(ActiveLoop(op.GROW_FORM), user("see you soon, I'll talk to Priya on Monday", "goodbye", 0.9))
    assert policy._choose(t) is None


def test_an_everyday_guess_that_is_part_of_the_conversation_is_not_out_of_scope(policy):
    answer = user("I could do the reading on my phone in bed", "ask_out_of_scope", 0.95,
                  reading={"act": "answer", "confidence": 0.75})
    assert policy._choose(tracker(ActiveLoop(op.GROW_FORM), answer)) == op.GROW_FORM
    weather = user("what's the weather in Lisbon?", "ask_out_of_scope", 0.95,
                   reading={"act": "question", "confidence": 0.8})
    assert policy._choose(tracker(ActiveLoop(op.GROW_FORM), weather)) == op.SCOPE_ACTION
    follow_up = user("should I put her on a PIP now or wait until after the launch?", "ask_out_of_scope", 0.95,
                     reading={"act": "question", "confidence": 0.8})
    mentoring = (SlotSet("persona", "mentor"), SlotSet("mentor_state", {"situation": "report_missing_deadlines"}))
    assert policy._choose(tracker(*mentoring, follow_up)) == op.ADVICE_ACTION
    assert policy._choose(tracker(SlotSet("persona", "mentor"), follow_up)) == op.SCOPE_ACTION
