"""Issue 19 over HTTP: each failure quoted in the issue, against the running bot.

    COACH_TEST_PORT=7105 .venv/bin/python -m pytest tests/e2e/test_mentor_situations.py -q
"""
import re

from tests.e2e.servers import personas, texts

EXHAUSTED = "I've already given you all"


def as_mentor(bot, sender):
    reply = bot.say(sender, "switch to mentor mode")
    assert "mentor" in personas(reply)
    return reply


def mentor_text(reply):
    return "\n".join(m["text"] for m in reply if m["metadata"]["persona"] == "mentor")


def advice_text(reply):
    advice = [m["text"] for m in reply if m["metadata"]["technique"] == "advice"]
    assert advice, texts(reply)
    return "\n".join(advice)


def test_every_message_carries_persona_and_technique(bot, sender):
    as_mentor(bot, sender)
    reply = bot.say(sender, "One of my team members keeps missing deadlines")
    assert all(m["metadata"].get("persona") and m["metadata"].get("technique") for m in reply)


# Wrong situation -----------------------------------------------------------------------

def test_a_report_missing_deadlines_is_not_your_own_time_management(bot, sender):
    as_mentor(bot, sender)
    text = advice_text(bot.say(sender, "One of my team members keeps missing deadlines"))
    assert "a report who keeps missing deadlines" in text
    assert "What's getting in the way" in text


def test_a_rude_high_performer_is_not_meeting_agendas(bot, sender):
    as_mentor(bot, sender)
    text = advice_text(bot.say(sender, "my best engineer is brilliant but rude in meetings"))
    assert "brilliant but rude" in text
    assert "agenda" not in text.lower()


def test_headcount_is_not_salary_negotiation(bot, sender):
    as_mentor(bot, sender)
    text = advice_text(bot.say(sender, "I need to ask my director for two more engineers for my team"))
    assert "headcount" in text
    assert "95,000" not in text and "salary" not in text.lower()


def test_imposter_after_a_promotion_is_not_how_to_get_promoted(bot, sender):
    as_mentor(bot, sender)
    text = advice_text(bot.say(sender, "I got promoted two months ago and feel like a fraud"))
    assert "feeling like a fraud after a promotion" in text
    assert "you've already been promoted" in text


def test_review_does_not_switch_the_situation_to_meetings(bot, sender):
    as_mentor(bot, sender)
    bot.say(sender, "I want to ask for a raise, I'm at 120k and want 148k")
    reply = bot.say(sender, "review")
    assert "meeting" not in mentor_text(reply).lower()


# Follow-ups ----------------------------------------------------------------------------

def test_why_name_the_number_first_gets_the_reason(bot, sender):
    as_mentor(bot, sender)
    bot.say(sender, "I want to ask for a raise, I'm at 120k and want 148k")
    reply = bot.say(sender, "why should I name the number first?")
    text = mentor_text(reply)
    assert "anchors" in text
    assert EXHAUSTED not in text


def test_no_budget_gets_the_objection_answer(bot, sender):
    as_mentor(bot, sender)
    bot.say(sender, "I want to ask for a raise, I'm at 120k and want 148k")
    text = mentor_text(bot.say(sender, "what if my manager says there's no budget?"))
    assert "budget" in text.lower() and "in writing" in text
    assert EXHAUSTED not in text


def test_direct_or_via_her_manager_gets_a_position_first(bot, sender):
    as_mentor(bot, sender)
    bot.say(sender, "I need to give hard feedback to a senior colleague who keeps overriding my team")
    reply = bot.say(sender, "should I talk to her directly or via her manager?")
    mentor_replies = [m["text"] for m in reply if m["metadata"]["persona"] == "mentor"]
    # The position first (in the person's own words, "Talk to her directly."), then why.
    assert mentor_replies and "directly" in mentor_replies[0].split(".")[0].lower()


def test_what_should_i_actually_say_gets_the_script_with_the_figure(bot, sender):
    as_mentor(bot, sender)
    bot.say(sender, "I want to ask for a raise, I'm at 120k and want 148k")
    text = mentor_text(bot.say(sender, "what should I actually say?"))
    assert "148k" in text


def test_asking_again_and_again_never_says_all_n_steps(bot, sender):
    as_mentor(bot, sender)
    bot.say(sender, "I want to ask for a raise, I'm at 120k and want 148k")
    for question in ("what else?", "what else?", "what else?"):
        text = mentor_text(bot.say(sender, question))
        assert EXHAUSTED not in text
    assert "would know" in text or "who'd know" in text


def test_a_correction_changes_the_situation(bot, sender):
    as_mentor(bot, sender)
    bot.say(sender, "I'm thinking about a career change into data")
    text = mentor_text(bot.say(sender, "I'm not changing careers, I want to learn SQL for my job"))
    assert "learning a technical skill" in text


# Details -------------------------------------------------------------------------------

def test_148k_stays_148k(bot, sender):
    as_mentor(bot, sender)
    text = advice_text(bot.say(sender, "I want to ask for a raise, I'm at 120k and want 148k"))
    assert "148k" in text and "95,000" not in text


def test_a_six_week_deadline_stays_six_weeks(bot, sender):
    as_mentor(bot, sender)
    text = advice_text(bot.say(sender, "my promotion case is due in six weeks and I want to get promoted to senior"))
    assert "six weeks" in text
    assert "two quarters" not in text


# The plan template ---------------------------------------------------------------------

def test_a_detailed_description_is_not_reviewed_as_a_plan(bot, sender):
    as_mentor(bot, sender)
    reply = bot.say(sender, "My manager presented my analysis to the VP last week as his own, "
                            "and it's the third time since March. I sit next to him and we have "
                            "our one-on-one on Thursday.")
    assert "my read on your plan" not in mentor_text(reply).lower()


def test_a_plan_to_invent_a_competing_offer_gets_a_plain_dont(bot, sender):
    as_mentor(bot, sender)
    reply = bot.say(sender, "Here's my plan: I'll tell them I have a competing offer from another "
                            "company even though I don't, so they go to 148k")
    mentor_replies = [m["text"] for m in reply if m["metadata"]["persona"] == "mentor"]
    assert mentor_replies[0].startswith("Don't")
    assert "What's strong" not in mentor_text(reply)


# Empathy and honest limits -------------------------------------------------------------

def test_laid_off_yesterday_gets_feelings_first_and_a_lawyer_not_the_coach(bot, sender):
    as_mentor(bot, sender)
    reply = bot.say(sender, "I got laid off yesterday and they gave me a severance agreement to "
                            "sign within 21 days. I'm kind of in shock")
    mentor_replies = [m["text"] for m in reply if m["metadata"]["persona"] == "mentor"]
    assert mentor_replies[0].startswith("That's a lot to take in")
    text = mentor_text(reply)
    assert "employment lawyer" in text and "21 days" in text
    assert "camera" not in text
    assert "coach" not in personas(reply)


def test_an_ip_clause_question_gets_the_lawyer_and_the_work_answer(bot, sender):
    as_mentor(bot, sender)
    reply = bot.say(sender, "my contract has an IP clause and I want to build an app on weekends, what should I do?")
    text = mentor_text(reply)
    assert "employment lawyer" in text
    assert re.search(r"^1\. ", text, re.MULTILINE)
    assert "therap" not in " ".join(texts(reply)).lower()


def test_topics_that_had_no_content_get_specific_advice(bot, sender):
    as_mentor(bot, sender)
    cases = {
        "my company wants to relocate me to the Singapore office": "relocating abroad",
        "I want to start a side business while keeping my day job": "a side business",
        "I want to learn Python to move into data analysis": "learning a technical skill",
        "how do I prepare for job interviews, I keep failing the final round": "job search",
    }
    for message, title in cases.items():
        text = mentor_text(bot.say(sender, message))
        assert title in text, (message, text)
        assert "I can't tell yet which area" not in text


def test_something_outside_gets_an_honest_answer_not_a_generic_list(bot, sender):
    as_mentor(bot, sender)
    text = mentor_text(bot.say(sender, "what's the best pizza in town?"))
    assert "I can't tell yet which area" not in text
    assert not re.search(r"^5\. ", text, re.MULTILINE)


# Boilerplate ---------------------------------------------------------------------------

def test_no_truncated_echo_and_one_introduction(bot, sender):
    as_mentor(bot, sender)
    first = bot.say(sender, "One of my team members keeps missing deadlines and it's the third "
                            "sprint in a row that the work slipped")
    text = mentor_text(first)
    assert "You said \"" not in text and "You asked \"" not in text
    second = bot.say(sender, "my best engineer is brilliant but rude in meetings")
    assert "I'm the mentor, and I'm a simulation" not in mentor_text(second)
