"""Switching, recommending and explaining the roles over REST."""
import yaml

from bot.paths import PROJECT_ROOT
from tests.e2e.coachee import CONTRACT
from tests.e2e.servers import personas, techniques, texts

CASES = yaml.safe_load((PROJECT_ROOT / "tests" / "data" / "recommend_cases.yml").read_text())


def slot(bot, sender, name):
    return bot.tracker(sender)["slots"][name]


def test_switch_mid_grow_to_mentor_and_back_resumes_the_stage(bot, sender):
    bot.say(sender, "coach me")
    bot.say(sender, "I want to get better at delegating to my team")
    bot.say(sender, CONTRACT)  # issue 18: the coach first agrees what would make it useful
    bot.say(sender, "my team would own the weekly report without me checking it")
    assert slot(bot, sender, "requested_slot") == "grow_reality"
    to_mentor = bot.say(sender, "stop asking questions and give me advice")
    assert slot(bot, sender, "persona") == "mentor"
    assert to_mentor[0]["metadata"] == {"persona": "host", "technique": "explanation"}
    assert "advice" in techniques(to_mentor), "the mentor continues on the same topic"
    assert any("delegat" in t.lower() for t in texts(to_mentor))
    back = bot.say(sender, "go back to coaching")
    assert slot(bot, sender, "persona") == "coach"
    assert personas(back)[-1] == "coach"
    assert slot(bot, sender, "requested_slot") == "grow_reality", "GROW picks up where it was"
    assert slot(bot, sender, "grow_measure")


def test_switch_phrases_both_ways(bot, sender):
    for phrase, expected in [("switch to mentor mode", "mentor"), ("put your coach hat on", "coach"),
                             ("I want a mentor", "mentor"), ("ask me questions instead", "coach")]:
        reply = bot.say(sender, phrase)
        assert slot(bot, sender, "persona") == expected, phrase
        assert reply[0]["metadata"]["persona"] == "host"


def test_first_contact_explains_both_roles_and_lets_choose(bot, sender):
    hello = bot.say(sender, "hello")
    choice = [m for m in hello if m.get("buttons")][0]
    assert {b["payload"] for b in choice["buttons"]} >= {"/request_coach", "/request_mentor"}
    chosen = bot.say(sender, "/request_coach")
    assert slot(bot, sender, "persona") == "coach" and personas(chosen)[-1] == "coach"


def test_goal_without_choosing_picks_coach_and_says_how_to_change(bot, sender):
    reply = bot.say(sender, "I want to get better at giving feedback to my team")
    assert reply[0]["metadata"] == {"persona": "host", "technique": "recommendation"}
    assert "switch to mentor" in reply[0]["text"].lower()
    assert slot(bot, sender, "persona") == "coach"


def test_second_advice_plea_offers_the_mentor_and_yes_switches(bot, sender):
    bot.say(sender, "coach me")
    bot.say(sender, "just tell me what to do")
    second = bot.say(sender, "what should I do then? just tell me")
    assert "mentor" in second[-1]["text"].lower()
    bot.say(sender, "yes")
    assert slot(bot, sender, "persona") == "mentor"


def test_it_depends_twice_in_mentor_mode_offers_the_coach(bot, sender):
    bot.say(sender, "switch to mentor mode")
    bot.say(sender, "it depends on what I want")
    second = bot.say(sender, "honestly it depends on what I want")
    assert "coach" in second[-1]["text"].lower()
    bot.say(sender, "yes please")
    assert slot(bot, sender, "persona") == "coach"


def test_which_style_recommendations(bot, sender):
    checked = 0
    for index, case in enumerate(CASES["cases"] if isinstance(CASES, dict) else CASES):
        expected = case.get("expected", case.get("role"))
        if expected not in ("coach", "mentor"):
            continue
        who = f"{sender}-{index}"
        if "texts" not in case:  # multi-message cases open with their own request
            bot.say(who, "should I get a coach or a mentor?")
        for text in case.get("texts") or [case["text"]]:
            reply = bot.say(who, text)
        assert reply[-1]["metadata"]["technique"] == "recommendation", case
        assert reply[-1]["buttons"][0]["payload"] == f"/request_{expected}", (case, reply[-1]["text"])
        checked += 1
    assert checked >= 10


def test_difference_short_then_more_and_other_roles(bot, sender):
    short = bot.say(sender, "what's the difference between coaching and mentoring?")
    assert techniques(short) == ["explanation"] and short[0]["text"].endswith("?")
    more = bot.say(sender, "yes")
    assert len(more[0]["text"]) > len(short[0]["text"])
    training = bot.say(sender, "and what about training?")
    assert "train" in training[0]["text"].lower()
    facilitator = bot.say(sender, "what's a facilitator?")
    assert "facilitat" in facilitator[0]["text"].lower()


def test_compare_both_answers_labelled(bot, sender):
    bot.say(sender, "My manager keeps giving me vague feedback and I never know where I stand")
    reply = bot.say(sender, "how would a coach and a mentor each answer this?")
    # The situation started coaching, so the coach's question comes back after the comparison.
    assert personas(reply) == ["host", "coach", "mentor", "host", "coach"]
    assert "vague feedback" in reply[0]["text"], "compares on the situation, not the request"
    assert reply[1]["text"].endswith("?") and reply[1]["text"] != reply[-1]["text"]
    assert techniques(reply)[2] == "advice"
    # Issue 18: after the situation the coach first agrees what would make it useful.
    assert bot.tracker(sender)["slots"]["requested_slot"] in ("grow_goal", "grow_explore")


def test_technique_after_a_comparison_names_both(bot, sender):
    bot.say(sender, "how would a coach and a mentor each answer this?")
    bot.say(sender, "my team ignores the new process and keeps doing things the old way")
    explained = bot.say(sender, "what technique was that?")[0]["text"]
    assert "coach's" in explained and "mentor's" in explained and "advice" in explained


def test_compare_before_any_situation_asks_for_one(bot, sender):
    reply = bot.say(sender, "how would a coach and a mentor each answer this?")
    assert personas(reply) == ["host"]
    shown = bot.say(sender, "my team ignores the new process and keeps doing things the old way")
    assert personas(shown) == ["host", "coach", "mentor", "host"]


def test_what_technique_was_that(bot, sender):
    bot.say(sender, "coach me")
    asked = bot.say(sender, "I want to get better at public speaking")
    technique = asked[-1]["metadata"]["technique"]
    explained = bot.say(sender, "what technique was that?")
    assert explained[0]["metadata"] == {"persona": "host", "technique": "explanation"}
    assert technique.replace("_", " ") in explained[0]["text"].lower()
    why = bot.say(sender, "why did you ask that?")
    assert why[0]["metadata"]["technique"] == "explanation"
