"""Practise coaching without Rasa: scenarios, the coachee's replies, the round and the feedback."""
import re

import pytest

from bot.content import load
from bot.practice import coachee, feedback, round as practice_round
from bot.reply import TECHNIQUES

SCENARIOS = coachee.scenarios()


def test_at_least_eight_scenarios_each_complete():
    assert len(SCENARIOS) >= 8
    for key, scenario in SCENARIOS.items():
        for depth in coachee.DEPTHS:
            assert scenario["disclosures"][depth], (key, depth)
        for kind in ("closed_question", "leading_question", "advice", "other"):
            assert scenario["guarded"][kind], (key, kind)
        for kind in feedback.REPHRASE_ORDER:
            better = scenario["open_versions"][kind]
            assert better.endswith("?") and re.match(r"(What|How)\b", better), (key, better)
        assert scenario["opening"] and scenario["setup"] and scenario["after_core"]
        assert not [text for text in _strings(scenario) if "{" in text or "}" in text], key


def _strings(value):
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [text for item in value for text in _strings(item)]


def test_the_scenarios_cover_the_issue_s_situations():
    names = " ".join(s["name"] for s in SCENARIOS.values()).lower()
    for words in ("promotion", "decision", "hard conversation", "delegate", "burning out",
                  "career change", "harsh feedback", "conflict"):
        assert words in names, words


@pytest.mark.parametrize("request_text, expected", [
    ("I want to practise coaching someone who wants a promotion", "promotion"),
    ("practise coaching a new manager who can't delegate", "delegation"),
    ("let me practise coaching someone who is burning out", "burnout"),
    ("practise coaching a team lead with a conflict", "team_conflict"),
    ("practise coaching someone after harsh feedback", "harsh_feedback"),
    ("I want to practise coaching a peer stuck on a decision", "decision"),
])
def test_a_scenario_named_in_the_request_is_chosen(request_text, expected):
    assert coachee.choose_scenario(request_text) == expected


def test_without_a_named_scenario_each_round_meets_the_next_coachee():
    keys = [coachee.choose_scenario("I want to practise coaching", n) for n in range(len(SCENARIOS))]
    assert sorted(keys) == sorted(SCENARIOS)


def test_start_gives_the_brief_then_the_coachee_s_opening():
    replies, state = practice_round.start("I want to practise coaching someone who wants a promotion")
    brief, opening = replies
    assert "you are the coach" in brief.text.lower() and "Priya" in brief.text
    assert opening.text.startswith("Priya: ")
    assert all(r.persona == "host" and r.technique == "practice" for r in replies)
    assert state["scenario"] == "promotion" and state["told"] == 0


def test_open_questions_and_reflections_open_the_coachee_up_layer_by_layer():
    _, state = practice_round.start("practise coaching someone who wants a promotion")
    told = coachee.disclosures(SCENARIOS["promotion"])
    depths = []
    for text in ["What's on your mind?", "It sounds like you feel overlooked.",
                 "What would being ready mean to you?", "What scares you about that?",
                 "So you wait to be noticed. What do you want instead?", "What's next for you?"]:
        replies, state = practice_round.turn(state, text)
        reply = replies[0]
        assert reply.metadata["practice_label"] in coachee.OPENING_MOVES
        depths.append(reply.metadata["practice_depth"])
        assert told[len(depths) - 1][1] in reply.text
    assert depths == ["surface", "surface", "deeper", "deeper", "core", "core"]


def test_closed_and_leading_questions_and_advice_get_guarded_replies_and_release_nothing():
    _, state = practice_round.start("practise coaching someone who wants a promotion")
    scenario = SCENARIOS["promotion"]
    for text, label in [("Did you talk to your manager?", "closed_question"),
                        ("Have you thought about asking for feedback?", "leading_question"),
                        ("You should just ask for it.", "advice")]:
        replies, state = practice_round.turn(state, text)
        reply = replies[0]
        assert reply.metadata["practice_label"] == label
        assert "practice_depth" not in reply.metadata
        said = reply.text[len(scenario["prefix"]):]
        if label == "advice":
            # Advice comes back in the coachee's words, with a "but".
            assert said.startswith("I guess I could just ask for it... but "), said
            assert said[len("I guess I could just ask for it... "):] in scenario["advice_buts"]
        else:
            assert said in scenario["guarded"][label]
    assert state["told"] == 0


def test_guarded_replies_rotate_instead_of_repeating():
    _, state = practice_round.start("practise coaching someone who wants a promotion")
    texts = []
    for _ in range(3):
        replies, state = practice_round.turn(state, "Did you ask?")
        texts.append(replies[0].text)
    assert len(set(texts)) == 3


@pytest.mark.parametrize("text", ["stop", "Stop.", "end practice", "give me feedback",
                                  "ok, how did I do?", "feedback please", "let's end the round",
                                  "ok let's stop there", "Okay, that's it for now.", "Thanks, we can stop here"])
def test_stop_words_end_the_round(text):
    assert practice_round.is_stop(text)


@pytest.mark.parametrize("text", ["What would you stop doing?", "What's your feedback on the review?",
                                  "When did you feel done with it?", "What would make you stop there?",
                                  "Is that all for now, or is there more?", "How would it end?"])
def test_coaching_lines_that_mention_stop_or_feedback_do_not_end_it(text):
    assert not practice_round.is_stop(text)


def _round(lines, scenario_request="practise coaching someone who wants a promotion"):
    _, state = practice_round.start(scenario_request)
    for text in lines:
        replies, state = practice_round.turn(state, text)
        assert state is not None
    replies, end = practice_round.turn(state, "give me feedback")
    assert end is None and len(replies) == 1
    return replies[0], state


def test_feedback_quotes_the_best_question_and_a_line_to_rephrase_with_icf_markers():
    reply, state = _round(["Did you talk to your manager?", "What's going on for you?",
                           "You should just ask for the promotion.",
                           "It sounds like you feel overlooked.",
                           "What would being ready mean to you?"])
    assert reply.persona == "host" and reply.technique == "practice_feedback"
    assert reply.technique in TECHNIQUES["host"]
    text = reply.text
    assert 'Your best question: "What would being ready mean to you?"' in text
    assert 'One line to rephrase: "You should just ask for the promotion."' in text
    assert SCENARIOS["promotion"]["open_versions"]["advice"] in text
    assert "Open questions: 2 of 5 (40%)" in text
    assert "Advice or telling: 1 time" in text
    assert re.search(r"Talking: you \d+ words, Priya \d+ words\. Priya did most of the talking", text)
    for marker in ("7.6", "7.5", "7.8", "7.1"):
        assert f"ICF PCC marker {marker}" in text, marker


def test_a_round_of_advice_says_so_and_who_talked_most():
    reply, _ = _round(["You should just ask your manager for the promotion, tell her what you have "
                       "delivered over the last three years and make sure you bring numbers.",
                       "Try writing down your wins every week and sending them to your manager before "
                       "each one-to-one, that's what I did and it worked for me.",
                       "Maybe you could also ask HR what the promotion panel looks for.",
                       "And honestly, if I were in your position I would also start mentoring one of "
                       "the juniors, because the panel always asks about leadership and you need "
                       "an example ready before the next round in March."])
    assert "Open questions: 0 of 4 (0%)" in reply.text
    assert "Advice or telling: 4 times" in reply.text
    assert "You did most of the talking" in reply.text
    assert "No open question or reflection yet" in reply.text


def test_feedback_on_an_empty_round():
    _, state = practice_round.start("practise coaching")
    replies, end = practice_round.turn(state, "stop")
    assert end is None and "nothing to give feedback on" in replies[0].text
    assert replies[0].metadata["practice_label"] == "other"


def test_the_round_ends_by_itself_after_max_turns_with_closing_and_feedback():
    _, state = practice_round.start("practise coaching")
    for n in range(load("practice")["max_turns"] - 1):
        replies, state = practice_round.turn(state, "What else?")
        assert state is not None and len(replies) == 1
    replies, state = practice_round.turn(state, "What else is there?")
    assert state is None
    assert [r.technique for r in replies] == ["practice", "practice", "practice_feedback"]
    assert all(r.metadata["practice_label"] == "open_question" for r in replies)


def test_a_broken_state_is_repaired():
    replies, state = practice_round.turn({"scenario": "nonexistent"}, "What's on your mind?")
    assert state["scenario"] in SCENARIOS and replies[0].metadata["practice_label"] == "open_question"


def test_every_line_is_free_of_placeholders_once_filled():
    for key in SCENARIOS:
        replies, state = coachee.start(key.replace("_", " "))
        for text in ["What matters to you?", "Did you?", "You should try.", "It sounds hard.",
                     "So, to sum up: a, b and c.", "ok"]:
            reply, state, _ = coachee.reply_to(state, text)
            replies.append(reply)
        replies.append(feedback.feedback(state))
        for reply in replies:
            assert "{" not in reply.text and "}" not in reply.text, reply.text


@pytest.mark.parametrize("line, label, better", [
    ("Have you tried talking to HR?", "leading_question", "What have you tried so far?"),
    ("Do you want the promotion?", "closed_question", "What do you want?"),
    ("Did you talk to your manager?", "closed_question",
     "Who have you talked to about this so far, and how did it go?"),
    ("Are you ready for it?", "closed_question", "How ready are you, and what makes it that much?"),
    ("Why not just ask?", "leading_question", SCENARIOS["promotion"]["open_versions"]["leading_question"]),
    ("You should ask.", "advice", SCENARIOS["promotion"]["open_versions"]["advice"]),
])
def test_the_open_version_is_built_from_the_line_when_it_can_be(line, label, better):
    assert feedback.open_version(line, label, SCENARIOS["promotion"]) == better


def test_feedback_rephrases_a_closed_question_from_its_own_words():
    reply, _ = _round(["Do you want the promotion?", "What's going on for you?"])
    assert 'One line to rephrase: "Do you want the promotion?" (a closed question). ' \
           'A more open version: "What do you want?"' in reply.text


@pytest.mark.parametrize("advice, action", [
    ("You should talk to HR.", "talk to HR"),
    ("I think you should just tell your boss how you feel.", "just tell my boss how I feel"),
    ("Maybe you could ask Sam to take the report.", "ask Sam to take the report"),
    ("Make sure you bring numbers.", "make sure I bring numbers"),
    ("Research shows that written goals help.", None),
])
def test_advice_is_given_back_in_the_coachee_s_words(advice, action):
    assert coachee.advised_action(advice) == action
