"""Behaviour of the mentor engine, the role-play state machine and plan review."""
import json
from datetime import date

import pytest

from bot.personas import mentor, plan_review, roleplay

RAISE_LINES = [
    "I'd like to talk about my salary.",
    "This year I led the billing migration that saved 200,000 and the market rate for my "
    "role is 15% higher than what I earn.",
    "I understand budgets are tight. Can we agree on 8% now and revisit it in six months?",
    "I'd like the 8% from the next pay cycle and the review date in writing by Friday.",
]
VAGUE_PLAN = "I will try to be more confident and maybe speak up more at some point."
SPECIFIC_PLAN = ("By Friday I will email my manager Sam to book a 30-minute meeting. I will "
                 "bring three examples of results with numbers. If she says no, I will ask "
                 "what it would take and revisit it in March.")


# --- advice, resources and the rest ---------------------------------------------------

def test_introduction_states_background_and_disclaimer():
    reply = mentor.introduction()
    assert (reply.persona, reply.technique) == ("mentor", "guidance")
    assert "25 years" in reply.text and "simulation" in reply.text


def test_negotiation_advice_is_two_messages_with_concrete_numbered_steps():
    replies = mentor.advice("negotiation", "My manager keeps postponing my raise")
    assert [r.technique for r in replies] == ["advice", "introduction"]
    steps = replies[0].text
    assert "negotiation" in steps
    assert "1. " in steps and "4. " in steps
    assert "walk-away" in steps and "market data" in steps
    assert "postponing my raise" in steps, "the person's words are reflected"
    assert all(r.persona == "mentor" for r in replies)


def test_advice_does_not_echo_a_bare_request():
    text = mentor.advice("negotiation", "I need some advice on negotiation")[0].text
    assert "You said" not in text and "You asked" not in text


def test_advice_without_topic_asks_one_clarifying_question():
    replies = mentor.advice(None, "I need help")
    assert len(replies) == 1
    assert replies[0].technique == "guidance" and "?" in replies[0].text
    assert replies[0].buttons and replies[0].buttons[0]["payload"].startswith("/ask_advice")


@pytest.mark.parametrize("kind, technique", [("advice", "advice"), ("resource", "resource"),
                                             ("story", "story"), ("assignment", "assignment")])
def test_general_answers_when_the_area_stays_unknown(kind, technique):
    replies = mentor.in_general(kind, "things at work are hard")
    assert replies[0].technique == technique and replies[0].persona == "mentor"
    assert all("{" not in r.text and "}" not in r.text for r in replies)
    assert replies[0].text != mentor.clarify(kind).text
    if kind == "advice":
        steps = [line for line in replies[0].text.splitlines() if line[:1].isdigit()]
        assert 4 <= len(steps) <= 6
        assert all(not b["payload"].startswith("/request_roleplay") for b in replies[-1].buttons)


def test_clarify_names_each_kind_with_its_own_buttons():
    assert mentor.clarify("resource").buttons[0]["payload"].startswith("/ask_resource")
    assert mentor.clarify("advice").buttons[0]["payload"].startswith("/ask_advice")
    assert "managing_up" in " ".join(b["payload"] for b in mentor.clarify("advice").buttons)


def test_negotiation_resources_name_real_titles_with_authors():
    replies = mentor.resources("negotiation", "")
    assert [r.technique for r in replies] == ["resource"]
    text = replies[0].text
    assert '"Getting to Yes" by Roger Fisher and William Ury' in text
    assert '"Never Split the Difference" by Chris Voss' in text


def test_resources_put_the_asked_for_kind_first():
    text = mentor.resources("negotiation", "any good courses?")[0].text
    first = text.splitlines()[1]
    assert "(course)" in first


def test_resources_without_topic_ask_which_area():
    replies = mentor.resources(None, "any books?")
    assert replies[0].technique == "guidance"
    assert replies[0].buttons[0]["payload"].startswith("/ask_resource")


@pytest.mark.parametrize("func, technique", [(mentor.story, "story"),
                                             (mentor.introductions, "introduction"),
                                             (mentor.assignment, "assignment")])
def test_single_reply_helpers(func, technique):
    reply = func("delegation")
    assert reply.technique == technique and "delegation" in reply.text
    assert func(None).technique == "guidance"


def test_goal_setting_keeps_the_persons_words_and_date():
    reply = mentor.goal_setting("get promoted to senior engineer by March", "promotion")
    assert reply.technique == "guidance"
    assert reply.text.startswith("Let's make that concrete")
    assert '"get promoted to senior engineer by March"' in reply.text
    assert "by March" in reply.text.split("Deadline:")[1]
    assert "Measure:" in reply.text and "First step:" in reply.text


def test_goal_setting_proposes_a_deadline_when_none_given():
    reply = mentor.goal_setting("speak up more in meetings", "confidence",
                                today=date(2025, 1, 6))
    assert "Monday 3 February" in reply.text


def test_progress_feedback_differs_for_done_progress_and_not_done():
    done = mentor.progress_feedback("email Sam", "sent it on Tuesday and he replied", "done")
    made = mentor.progress_feedback("email Sam", "I drafted the email", "progress")
    not_done = mentor.progress_feedback("email Sam", "no", "not_yet")
    assert done.technique == made.technique == not_done.technique == "feedback"
    assert "Well done" in done.text and "sent it on Tuesday" in done.text
    assert "next one" in made.text and "Not done" not in made.text
    assert "Not done" in not_done.text and "email Sam" in not_done.text


def test_continue_and_it_depends():
    assert "conflict" in mentor.continue_on_topic("conflict").text
    assert mentor.continue_on_topic(None).technique == "guidance"
    reply = mentor.it_depends()
    assert "coach" in reply.text
    assert {"/request_coach", "/request_mentor"} == {b["payload"] for b in reply.buttons}


# --- role-play ------------------------------------------------------------------------

# Issue 19: a role-play runs four turns (it was three), so the counterpart can respond to
# more of what was said.
def test_raise_roleplay_runs_four_turns_and_ends_with_feedback():
    replies, state = roleplay.start("can we role-play asking for a raise?", None)
    assert state["scenario"] == "raise"
    assert [r.technique for r in replies] == ["guidance", "role_play"]
    assert replies[1].text.startswith("(as your manager) ")
    json.dumps(state)  # must fit in a Rasa slot
    for number, line in enumerate(RAISE_LINES, start=1):
        replies, state, finished = roleplay.turn(state, line)
        json.dumps(state)
        assert finished is (number == 4)
        assert replies[0].technique == "role_play"
        assert replies[0].text.startswith("(as your manager) ")
    assert replies[-1].technique == "feedback"
    assert "What was strong" in replies[-1].text
    assert "One line to try next time" in replies[-1].text
    assert state["lines"] == RAISE_LINES


def test_counterpart_pushes_back_without_numbers_and_softens_on_acknowledgement():
    _, state = roleplay.start("role-play asking for a raise", None)
    replies, state, _ = roleplay.turn(state, "I'd like a raise please.")
    assert "Numbers help" in replies[0].text
    _, fresh = roleplay.start("role-play asking for a raise", None)
    replies, _, _ = roleplay.turn(fresh, "I understand budgets are tight, but I'd like a "
                                         "raise because I delivered the 2 big launches.")
    assert "I appreciate that you see the budget side" in replies[0].text
    assert "Numbers help" not in replies[0].text


def test_turn_does_not_modify_the_given_state():
    _, state = roleplay.start("role-play asking for a raise", None)
    snapshot = json.dumps(state, sort_keys=True)
    roleplay.turn(state, "I'd like a raise of 10%.")
    assert json.dumps(state, sort_keys=True) == snapshot


def test_early_stop_still_gives_feedback():
    _, state = roleplay.start("can we role-play asking for a raise?", None)
    _, state, finished = roleplay.turn(state, "I want more money.")
    assert not finished
    replies, state, finished = roleplay.turn(state, "stop")
    assert finished and len(replies) == 1
    assert replies[0].technique == "feedback"
    assert "stopped after 1 turn" in replies[0].text
    assert "example, date or number" in replies[0].text


def test_end_roleplay_before_any_turn_gives_an_opening_line():
    _, state = roleplay.start("practise saying no to a project", None)
    assert state["scenario"] == "say_no"
    replies, _, finished = roleplay.turn(state, "End role-play")
    assert finished and replies[-1].technique == "feedback"
    assert "One line to try next time" in replies[-1].text


def test_stop_inside_an_in_character_line_does_not_end_the_scene():
    _, state = roleplay.start("role-play giving negative feedback to my report", None)
    assert state["scenario"] == "negative_feedback"
    _, _, finished = roleplay.turn(state, "I need you to stop interrupting clients in calls.")
    assert not finished


def test_feedback_reflects_weak_versus_strong_performance():
    def run(lines):
        _, state = roleplay.start("role-play asking for a raise", None)
        for line in lines:
            replies, state, finished = roleplay.turn(state, line)
        assert finished
        return replies[-1].text

    strong = run(RAISE_LINES)
    weak = run(["hi", "this is ridiculous", "whatever", "fine"])
    assert "you backed it up with specifics or numbers" in strong
    assert "keep the tone neutral" in weak
    assert strong != weak


@pytest.mark.parametrize("text, topic, scenario", [
    ("can we practise asking for a pay rise", None, "raise"),
    ("I have to give negative feedback to my direct report", None, "negative_feedback"),
    ("help me say no to another project", None, "say_no"),
    ("can we role-play it", "conflict", "difficult_conversation"),
    ("can we role-play it", "negotiation", "raise"),
    ("can we role-play it", None, "difficult_conversation"),
])
def test_scenario_choice(text, topic, scenario):
    assert roleplay.choose_scenario(text, topic) == scenario


# --- plan review ----------------------------------------------------------------------

def _sections(text):
    lines = text.splitlines()
    return {line.split(":", 1)[0]: line for line in lines}


@pytest.mark.parametrize("plan", [VAGUE_PLAN, SPECIFIC_PLAN])
def test_plan_review_has_strong_risky_and_exactly_one_improvement(plan):
    reply = plan_review.review(plan, "promotion")
    assert (reply.persona, reply.technique) == ("mentor", "feedback")
    sections = _sections(reply.text)
    assert {"What's strong", "What's risky", "One improvement"} <= set(sections)
    assert reply.text.count("One improvement") == 1


def test_plan_review_differs_for_vague_and_specific_plans():
    vague = plan_review.review(VAGUE_PLAN, None).text
    specific = plan_review.review(SPECIFIC_PLAN, None).text
    assert vague != specific
    assert 'Replace "try"' in _sections(vague)["One improvement"]
    assert "it has a date" in _sections(specific)["What's strong"]
    assert "it has a date" not in vague


def test_plan_signals_are_explainable():
    vague = plan_review.analyse(VAGUE_PLAN)
    specific = plan_review.analyse(SPECIFIC_PLAN)
    assert vague["vague_words"][:2] == ["try", "maybe"]
    assert not vague["date"] and not vague["measure"] and not vague["people"]
    for key in ("date", "measure", "people", "first_step", "fallback"):
        assert specific[key], key
    assert specific["date_phrase"] == "By Friday"


def test_plan_with_too_many_items_gets_the_focus_improvement():
    plan = "\n".join(["- read a book on leadership", "- start running again",
                      "- learn to cook properly", "- call my old team", "- fix the budget",
                      "- get promoted this year", "- network a lot more"])
    assert plan_review.analyse(plan)["items"] == 7
    improvement = _sections(plan_review.review(plan, None).text)["One improvement"]
    assert "one item that matters most" in improvement


@pytest.mark.parametrize("func, intent", [(mentor.story, "ask_story"),
                                          (mentor.assignment, "ask_assignment")])
def test_story_and_assignment_without_topic_ask_which_and_keep_what_was_asked(func, intent):
    reply = func(None)
    assert reply.technique == "guidance" and "?" in reply.text
    assert all(b["payload"].startswith(f"/{intent}{{") for b in reply.buttons)


def test_quick_replies_after_advice_send_intent_and_topic():
    buttons = mentor.advice("negotiation", "")[-1].buttons
    payloads = {b["title"]: b["payload"] for b in buttons}
    assert payloads["A story"] == '/ask_story{"topic": "negotiation"}'
    assert payloads["An assignment"] == '/ask_assignment{"topic": "negotiation"}'
    assert payloads["Resources"] == '/ask_resource{"topic": "negotiation"}'


def test_run_it_again_restarts_and_the_feedback_quotes_the_persons_line():
    _, state = roleplay.start("role-play asking for a raise", None)
    _, state, _ = roleplay.turn(state, RAISE_LINES[0])
    replies, state, finished = roleplay.turn(state, "let's run it again")
    assert not finished and state["lines"] == [] and state["turn"] == 0
    assert [r.technique for r in replies] == ["guidance", "role_play"]
    for line in RAISE_LINES:
        replies, state, finished = roleplay.turn(state, line)
    assert finished
    assert "Your best line: \"" in replies[-1].text
    assert any(f'"{line}"' in replies[-1].text for line in RAISE_LINES)


def test_the_counterpart_is_who_the_person_asked_for():
    assert roleplay.counterpart("can you play a senior peer while I give feedback?") == "(as a senior peer) "
    assert roleplay.counterpart("be my new manager") == "(as your new manager) "
    assert roleplay.counterpart("act as the head of product called Dana, I need to say no") == \
        "(as Dana, the head of product) "
    replies, state = roleplay.start("play a senior peer while I give hard feedback", None)
    assert replies[1].text.startswith("(as a senior peer) ")
    replies, state, _ = roleplay.turn(state, "I'd like to talk about the design reviews.")
    assert replies[0].text.startswith("(as a senior peer) ")
