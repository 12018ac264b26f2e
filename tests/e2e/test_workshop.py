"""Workshop mode over REST: demos word for word, comparisons, recommendations that use
both roles, and explanations for the room."""
import uuid

import pytest

from bot import demos
from tests.e2e.servers import personas, techniques, texts


def _run(bot, demo, sender):
    """Every line of a demo script, as the page's demo runner sends it; the replies."""
    said = []
    for line in demo["lines"]:
        replies = bot.say(sender, line["text"], metadata=demos.metadata(demo, line))
        said.append([(m["metadata"]["persona"], m["metadata"]["technique"], m["text"]) for m in replies])
    return said


@pytest.mark.parametrize("demo_id", [d["id"] for d in demos.demos()])
def test_a_demo_with_its_seed_is_word_for_word_the_same_twice(bot, demo_id):
    demo = demos.demo(demo_id)
    first = _run(bot, demo, f"demo-{uuid.uuid4().hex[:10]}")
    second = _run(bot, demo, f"demo-{uuid.uuid4().hex[:10]}")
    assert all(first), first
    assert first == second


def test_every_demo_runs_and_each_line_gets_an_answer(bot):
    for demo in demos.demos():
        for replies in _run(bot, demo, f"demo-{uuid.uuid4().hex[:10]}"):
            assert replies and all(persona in ("coach", "mentor", "host") for persona, _, _ in replies)


def test_compare_with_the_situation_keeps_the_persona_and_tags_the_parts(bot, sender):
    bot.say(sender, "coach me")
    situation = "two people on my team keep arguing in meetings and I don't know how to step in"
    reply = bot.say(sender, '/compare_answers{"situation": "%s"}' % situation)
    parts = [m["metadata"].get("compare") for m in reply]
    assert parts[:4] == ["intro", "coach", "mentor", "debrief"], reply
    assert situation in reply[0]["text"]
    assert techniques(reply)[2] == "advice" and reply[1]["text"].endswith("?")
    assert bot.tracker(sender)["slots"]["persona"] == "coach"


def test_a_compare_button_without_a_situation_uses_the_message_before(bot, sender):
    bot.say(sender, "mentor me")
    bot.say(sender, "my manager rewrites every report I send her")
    reply = bot.say(sender, "/compare_answers")
    assert personas(reply)[:4] == ["host", "coach", "mentor", "host"]
    assert "rewrites every report" in reply[0]["text"]
    assert bot.tracker(sender)["slots"]["persona"] == "mentor"


@pytest.mark.parametrize("question", [
    "I'm a new first-time manager. Should I get a coach or a mentor?",
    "I got promoted last month and feel like an imposter. Which would help me more, coaching or mentoring?",
    "I was just promoted and I feel like an imposter, do I need a coach or a mentor?",
])
def test_both_is_recommended_in_one_turn_and_schedules_nothing(bot, sender, question):
    reply = bot.say(sender, question)
    assert personas(reply) == ["host"] and techniques(reply) == ["recommendation"], reply
    assert "- The coach: " in reply[0]["text"] and "- The mentor: " in reply[0]["text"]
    started = bot.say(sender, "yes")
    assert "coach" in personas(started)
    events = bot.tracker(sender)["events"]
    assert not [e for e in events if e.get("event") == "slot" and e.get("name") == "last_followup_id"
                and e.get("value")]
    assert not any("check in" in t.lower() and "scheduled" in t.lower() for t in texts(reply + started))


def test_why_did_you_ask_that_quotes_the_person_and_recap_sums_up_the_mentor(bot, sender):
    bot.say(sender, "coach me")
    bot.say(sender, "I want to get better at giving difficult feedback to my team")
    answer = "right now I put it off for weeks because I hate conflict"
    asked = bot.say(sender, answer)
    assert personas(asked)[-1] == "coach"
    why = bot.say(sender, "why did you ask that?")
    # The explanation, then (mid-GROW) the coach's question again.
    assert personas(why)[0] == "host" and "The coach's" in why[0]["text"]
    assert "hate conflict" in why[0]["text"], why[0]["text"]
    situation = "I've been asked to lead a project with people more senior than me"
    bot.say(sender, '/compare_answers{"situation": "%s"}' % situation)
    recap = bot.say(sender, "what did the mentor tell me?")
    assert personas(recap)[0] == "host"
    assert recap[0]["text"].startswith("In short, the mentor told you:")
    assert recap[0]["text"].count("\n- ") >= 2
    why = bot.say(sender, "why did they answer like that?")
    assert "The coach's" in why[0]["text"] and "The mentor's advice" in why[0]["text"]
    assert "lead a project with people more senior" in why[0]["text"]  # quoted, cut at 12 words
