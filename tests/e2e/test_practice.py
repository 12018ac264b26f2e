"""Practise coaching over REST: the person plays the coach, the bot a coachee; every reply
carries the label of the person's message, good questions open the coachee up, and the
feedback quotes the person's own lines. Safety still comes first."""
from bot.practice import coachee
from tests.e2e.servers import personas, techniques, texts

PROMOTION = coachee.scenarios()["promotion"]
DISCLOSURES = dict((line, depth) for depth, line in coachee.disclosures(PROMOTION))

# A scripted participant: (what they say, the label it must get, opens the coachee up?)
SCRIPT = [
    ("Did you speak to your manager about it?", "closed_question", False),
    ("What's on your mind about it?", "open_question", True),
    ("You should just ask for it at your next review.", "advice", False),
    ("It sounds like you feel overlooked.", "reflection", True),
    ("Have you thought about asking for feedback?", "leading_question", False),
    ("What would being ready mean to you?", "open_question", True),
    ("So you wait to be noticed, and it hurts. What do you want instead?", "open_question", True),
]


def _disclosed(message):
    line = message["text"][len(PROMOTION["prefix"]):]
    return next((depth for text, depth in DISCLOSURES.items() if text in line), None)


def test_a_practise_round_labels_each_message_opens_up_and_gives_feedback(bot, sender):
    start = bot.say(sender, "I want to practise coaching someone who wants a promotion")
    assert techniques(start) == ["practice", "practice"] and personas(start) == ["host", "host"]
    assert "you are the coach" in start[0]["text"].lower()
    assert start[1]["text"].startswith("Priya: ")

    depths = []
    for text, label, opens_up in SCRIPT:
        reply = bot.say(sender, text)
        assert len(reply) == 1, texts(reply)
        message = reply[0]
        assert message["metadata"]["practice_label"] == label, (text, message)
        assert message["metadata"]["persona"] == "host" and message["metadata"]["technique"] == "practice"
        assert message["text"].startswith("Priya: ")
        disclosed = _disclosed(message)
        assert (disclosed is not None) == opens_up, (text, message["text"])
        assert message["metadata"].get("practice_depth") == disclosed
        if disclosed:
            depths.append(disclosed)
    # Good questions and reflections take the coachee deeper, in order.
    assert depths == ["surface", "surface", "deeper", "deeper"]

    end = bot.say(sender, "give me feedback")
    assert techniques(end) == ["practice_feedback"] and end[0]["metadata"]["practice_label"] == "other"
    feedback = end[0]["text"]
    assert 'Your best question: "What would being ready mean to you?"' in feedback
    assert 'One line to rephrase: "You should just ask for it at your next review."' in feedback
    assert PROMOTION["open_versions"]["advice"] in feedback
    assert "Open questions: 3 of 7 (43%)" in feedback
    assert "Advice or telling: 1 time" in feedback
    assert "Priya did most of the talking" in feedback
    assert "ICF PCC marker 7.6" in feedback and "ICF PCC marker 7.8" in feedback

    # The round is over: the bot is itself again and no reply carries a label.
    after = bot.say(sender, "hello")
    assert after and all("practice_label" not in m["metadata"] for m in after)
    assert bot.tracker(sender)["slots"]["practice_state"] is None


def test_the_page_button_text_starts_a_round_and_stop_ends_it(bot, sender):
    start = bot.say(sender, "I want to practise coaching")
    assert techniques(start) == ["practice", "practice"]
    reply = bot.say(sender, "What brings you here today?")
    assert reply[0]["metadata"]["practice_label"] == "open_question"
    assert reply[0]["metadata"]["practice_depth"] == "surface"
    end = bot.say(sender, "stop")
    assert techniques(end) == ["practice_feedback"]
    assert '"What brings you here today?"' in end[0]["text"]


def test_a_crisis_message_in_a_round_goes_to_the_safety_path(bot, sender):
    bot.say(sender, "I want to practise coaching")
    crisis = bot.say(sender, "I don't see the point anymore")
    assert set(techniques(crisis)) == {"safety"} and any("988" in t for t in texts(crisis))
    assert all("practice_label" not in m["metadata"] for m in crisis)
    # The round is over: the person is not dropped back into playing the coach.
    assert bot.tracker(sender)["slots"]["practice_state"] is None
    bot.say(sender, "yes, I'm safe")
    after = bot.say(sender, "What's on your mind?")
    assert after and all("practice_label" not in m["metadata"] for m in after)
    assert "practice" not in techniques(after)


def test_lines_to_the_coachee_that_sound_like_requests_stay_in_the_round(bot, sender):
    bot.say(sender, "I want to practise coaching someone who is burning out")
    for text, label in [("Let's start over, what's really going on?", "open_question"),
                        ("Maybe you should see a therapist about it.", "advice"),
                        ("Can we change the topic to your team for a moment?", "closed_question"),
                        ("What would you like to stop doing?", "open_question")]:
        reply = bot.say(sender, text)
        assert [m["metadata"].get("practice_label") for m in reply] == [label], (text, texts(reply))
        assert reply[0]["text"].startswith("Maria: ")
    end = bot.say(sender, "ok let's stop there")
    assert techniques(end) == ["practice_feedback"]
    assert '"Maybe you should see a therapist about it."' in end[0]["text"]


def test_a_data_request_leaves_the_round(bot, sender):
    bot.say(sender, "I want to practise coaching")
    assert "This deletes" in bot.say(sender, "delete my data")[0]["text"]
    done = bot.say(sender, "yes")
    assert "deleted" in done[0]["text"] and "practice_label" not in done[0]["metadata"]
