"""Workshop mode without Rasa: demo scripts and seeds, recommendations that use both roles,
explanations tied to the person's words, recaps and the comparison's parts."""
import json
import random

import pytest

from bot import demos
from bot.personas import coach, explain, host
from bot.personas.recommend import BOTH, reason_text, recommend
from bot.reply import Reply


# --- demos ---------------------------------------------------------------------------------

def test_there_are_at_least_three_demos_the_issue_asks_for():
    found = {d["id"]: d for d in demos.demos()}
    assert {"difference", "coaching", "compare"} <= set(found)
    assert [d["order"] for d in demos.demos()] == sorted(d["order"] for d in demos.demos())
    for demo in found.values():
        assert demo["title"] and demo["note"] and demo["lines"]
        assert demos.turn_seed(demo["seed"], "", 0) is not None
    assert any(line["kind"] == "compare" for line in found["compare"]["lines"])
    assert any("why did you ask" in line["text"] for line in found["coaching"]["lines"])


def test_a_compare_line_sends_the_situation_as_an_entity_and_shows_the_words():
    line = next(line for line in demos.demo("compare")["lines"] if line["kind"] == "compare")
    assert line["text"].startswith(demos.COMPARE_INTENT + "{")
    assert json.loads(line["text"][len(demos.COMPARE_INTENT):]) == {"situation": line["display"]}
    assert demos.metadata(demos.demo("compare"), line) == {"demo_seed": "2003", "display": line["display"]}
    say = demos.demo("difference")["lines"][0]
    assert demos.metadata(demos.demo("difference"), say) == {"demo_seed": "2001"}


def test_turn_seed_is_stable_and_depends_on_everything_it_is_given():
    seed = demos.turn_seed("2002", "hello", 3, "grow_goal")
    assert seed == demos.turn_seed(2002, "hello", 3, "grow_goal")
    assert len({seed, demos.turn_seed("2002", "hello", 4, "grow_goal"),
                demos.turn_seed("2002", "hello!", 3, "grow_goal"),
                demos.turn_seed("2003", "hello", 3, "grow_goal"),
                demos.turn_seed("2002", "hello", 3, "grow_reality")}) == 5


@pytest.mark.parametrize("bad", [None, "", "   ", True, 1.5, {"a": 1}, ["x"], "x" * 65])
def test_no_or_bad_demo_seed_means_no_seed(bad):
    assert demos.turn_seed(bad, "hello", 1) is None


def test_a_seed_fixes_the_coach_s_wording():
    seed = demos.turn_seed("7", "I want to get better at delegating", 2, "grow_goal")
    first = coach.ask("grow_goal", "delegation", [], previous_answer="I want to get better at delegating",
                      seed=seed)
    for _ in range(5):
        again = coach.ask("grow_goal", "delegation", [], previous_answer="I want to get better at delegating",
                          seed=seed)
        assert again[0].text == first[0].text and again[1] == first[1]


def test_a_bad_demo_file_is_refused(tmp_path, monkeypatch):
    (tmp_path / "broken.yml").write_text("id: broken\ntitle: x\nnote: y\nseed: 1\nlines:\n  - say: ''\n")
    monkeypatch.setattr(demos, "DEMO_DIR", tmp_path)
    demos._all.cache_clear()
    try:
        with pytest.raises(demos.DemoError):
            demos.demos()
    finally:
        demos._all.cache_clear()


# --- recommendations that use both roles ----------------------------------------------------

@pytest.mark.parametrize("text, situation", [
    ("I'm a new first-time manager. Should I get a coach or a mentor?", "first_time_manager"),
    ("I've just been made a manager for the first time and have no idea what I'm doing. Coach or mentor?",
     "first_time_manager"),
    ("I was promoted last month and I feel like a fraud, like they'll find out I'm not good enough. "
     "Which would help?", "imposter_after_promotion"),
    ("Since my promotion to senior engineer I feel like an imposter. Do I need coaching or mentoring?",
     "imposter_after_promotion"),
])
def test_both_with_how_to_split_the_work(text, situation):
    result = recommend([text])
    assert result.role == BOTH and result.reason_key == situation and result.start == "coach"
    reply = result.reply
    assert reply.persona == "host" and reply.technique == "recommendation"
    assert "\n- The coach: " in reply.text and "\n- The mentor: " in reply.text
    assert reply.text.rstrip().endswith("?")
    assert [b["payload"] for b in reply.buttons] == ["/request_coach", "/request_mentor"]
    assert reason_text(situation)


def test_the_situation_may_come_over_two_messages():
    result = recommend(["I got promoted to team lead in March.",
                        "Honestly I feel like an impostor most days."])
    assert result.role == BOTH and result.reason_key == "imposter_after_promotion"


def test_a_new_team_lead_with_one_skill_problem_gets_the_coach():
    result = recommend(["I became a team lead three weeks ago and I still end up doing everything "
                        "myself, because handing work over feels slower than just doing it."])
    assert result.role == "coach" and result.start == "coach"


def test_imposter_feelings_without_a_promotion_are_not_a_both_case():
    assert recommend(["I feel like an imposter in meetings"]).role != BOTH


def test_a_single_role_recommendation_starts_with_that_role():
    result = recommend(["I'm thinking about a career change into data science, what's that world like?"])
    assert result.role == "mentor" and result.start == "mentor"


# --- explanations tied to the person's words ------------------------------------------------

def _events(*items):
    out = []
    for kind, text, metadata in items:
        if kind == "user":
            out.append({"event": "user", "text": text, "parse_data": metadata or {}})
        else:
            out.append({"event": "bot", "text": text, "metadata": {"metadata": metadata}})
    return out


def test_latest_turn_is_the_coach_s_turn_and_the_words_it_answered():
    events = _events(
        ("user", "coach me", None),
        ("bot", "What would you like to work on?", {"persona": "coach", "technique": "goal_setting"}),
        ("user", "I put off hard feedback because I hate conflict", None),
        ("bot", "So: you hate conflict. What would good look like?",
         {"persona": "coach", "technique": "reflection"}),
        ("user", "what technique was that?", None),
        ("bot", "The coach's last message was reflection.", {"persona": "host", "technique": "explanation"}),
        ("user", "why did you ask that?", None),
    )
    turn = explain.latest_turn(events)
    assert turn.words == "I put off hard feedback because I hate conflict"
    assert [m["technique"] for m in turn.metadata] == ["reflection"]
    assert explain.latest_turn(events[:1]).messages == []


def test_the_words_of_a_compare_button_are_its_situation():
    events = _events(
        ("user", '/compare_answers{"situation": "my team ignores the new process"}',
         {"entities": [{"entity": "situation", "value": "my team ignores the new process"}]}),
        ("bot", "Here is the same situation...", {"persona": "host", "technique": "explanation", "compare": "intro"}),
        ("bot", "What matters most?", {"persona": "coach", "technique": "powerful_question", "compare": "coach"}),
        ("bot", "Do this.", {"persona": "mentor", "technique": "advice", "compare": "mentor"}),
        ("user", "what did the mentor tell me?", None),
    )
    turn = explain.latest_turn(events)
    assert turn.words == "my team ignores the new process"
    assert turn.texts("mentor") == ["Do this."] and turn.texts("coach") == ["What matters most?"]


def test_why_names_both_halves_and_quotes_the_person():
    reply = explain.tag_halves(Reply("So: you hate conflict. What would you like to be different?",
                                     "coach", "reflection"), "grow_goal")
    assert [p["technique"] for p in reply.extra["parts"]] == ["reflection", "powerful_question"]
    assert "".join(p["text"] for p in reply.extra["parts"]).replace(" ", "") == reply.text.replace(" ", "")
    why = host.explain_why([reply.metadata], "I put off giving feedback because I hate conflict")
    lines = why.text.split("\n")
    assert why.persona == "host" and why.technique == "explanation"
    assert lines[0].startswith("The coach's reflection: it gives back \"I put off giving feedback")
    assert "hate conflict" in lines[0]
    assert lines[1].startswith("The coach's powerful question: ")
    assert "the goal is yours" in lines[1]  # a grow_goal question: the goal stage's reason


def test_why_after_a_comparison_explains_both_roles():
    why = host.explain_why([{"persona": "coach", "technique": "powerful_question", "grow_slot": "grow_goal"},
                            {"persona": "mentor", "technique": "advice"}], "my team ignores the new process")
    coach_line, mentor_line = why.text.split("\n")
    assert coach_line.startswith("The coach's powerful question:") and "my team ignores the new process" in coach_line
    assert mentor_line.startswith("The mentor's advice:") and "experience" in mentor_line


def test_a_message_that_only_asks_has_no_parts():
    reply = explain.tag_halves(Reply("What would you like to be different?", "coach", "powerful_question"),
                               "grow_goal")
    assert "parts" not in reply.extra and reply.extra["grow_slot"] == "grow_goal"


def test_why_with_nothing_to_explain_says_so():
    assert host.explain_why([], None).text == host._text()["why"]["nothing"]
    assert host.explain_why([{"persona": "host", "technique": "greeting"}], "hi").text == host._text()["why"]["nothing"]


def test_long_words_are_quoted_short():
    why = host.explain_why([{"persona": "coach", "technique": "reflection"}], "word " * 40)
    assert "word " * 12 not in why.text and "..." in why.text


@pytest.mark.parametrize("text, persona", [
    ("what did the mentor tell me?", "mentor"), ("What did the mentor just tell me", "mentor"),
    ("can you recap what the coach said?", "coach"), ("remind me what the mentor said", "mentor"),
    ("why did you ask that?", None), ("what technique was that?", None),
])
def test_recap_requests_are_told_apart_from_why(text, persona):
    assert host.recap_persona(text) == persona


def test_recap_gives_the_gist_of_each_step():
    advice = ('You said "my old team". Here is how I would approach it, step by step:\n'
              "1. Meet each former peer one to one in your first week. Ask what they need from you.\n"
              "2. Agree with your manager what decisions are now yours.")
    reply = host.recap("mentor", [advice])
    assert reply.text.split("\n") == ["In short, the mentor told you:",
                                      "- Meet each former peer one to one in your first week.",
                                      "- Agree with your manager what decisions are now yours."]
    assert host.recap("mentor", []).text == host._text()["recap"]["none"]["mentor"]


# --- the comparison's parts -------------------------------------------------------------------

def test_comparison_messages_are_tagged_in_order():
    intro, outro = host.compare_intro("my team ignores the new process"), host.compare_outro()
    assert intro.metadata["compare"] == "intro" and outro.metadata["compare"] == "debrief"
    assert "compare" not in host.compare_intro("").metadata  # a request for a situation, not a part
    tagged = host.compare_part(Reply("What matters?", "coach", "powerful_question"), "coach")
    assert tagged.metadata == {"compare": "coach", "persona": "coach", "technique": "powerful_question"}
    with pytest.raises(ValueError):
        host.compare_part(tagged, "sideways")


def test_no_seed_still_varies():
    texts = {coach.ask("grow_goal", None, [], seed=random.random())[0].text for _ in range(30)}
    assert len(texts) > 1


def test_why_after_an_explanation_is_about_the_turn_before_and_a_comparison_only_its_parts():
    events = _events(
        ("user", '/compare_answers{"situation": "my team ignores the new process"}',
         {"intent": {"name": "compare_answers"},
          "entities": [{"entity": "situation", "value": "my team ignores the new process"}]}),
        ("bot", "What matters most?", {"persona": "coach", "technique": "powerful_question", "compare": "coach"}),
        ("bot", "Do this.", {"persona": "mentor", "technique": "advice", "compare": "mentor"}),
        ("bot", "Back to your goal: what do you want?", {"persona": "coach", "technique": "goal_setting"}),
        ("user", "what did the mentor tell me?", {"intent": {"name": "ask_technique"}}),
        ("bot", "In short, the mentor told you: ...", {"persona": "host", "technique": "explanation"}),
        ("bot", "Back to your goal: what do you want?", {"persona": "coach", "technique": "goal_setting"}),
        ("user", "why did they answer like that?", {"intent": {"name": "ask_technique"}}),
    )
    turn = explain.latest_turn(events)
    assert turn.words == "my team ignores the new process"
    assert [m["technique"] for m in turn.metadata] == ["powerful_question", "advice"]
