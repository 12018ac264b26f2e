"""Issue 19's mentee evaluation over HTTP: deceptive plans, role-play that listens, scripts
without other people's details, either-or positions, past periods, resource requests,
corrections and boilerplate.

    COACH_TEST_PORT=7105 .venv/bin/python -m pytest tests/e2e/test_mentor_followups.py -q
"""
import re

from tests.e2e.servers import texts

BANK_BLUFF = ("My plan: I'll tell them my bank matched at 155k to push them up. The bank hasn't "
              "actually offered anything. Fine?")
STRIPE_BLUFF = ("Honestly I'm thinking of telling Elena I have a competing offer from Stripe so she "
                "takes the headcount ask seriously. I don't actually have one. Good idea?")
NADIA = ("I'm an engineering manager and I have to tell our head of product, Nadia, that the mobile "
         "checkout redesign she promised sales for March 1 can't ship until April 15 because of the "
         "PCI audit. Can you role-play it? Please play Nadia, the head of product.")
NADIA_LINES = [
    "Nadia, thanks for the time. I need to flag that the mobile checkout redesign won't make March 1. "
    "The PCI audit findings mean we can't ship card-entry changes until April 15.",
    "I know sales has already told two enterprise customers. What I can offer is shipping the "
    "non-payment UI changes on March 1 and the new card flow on April 15.",
    "I'd rather you hear it from me now than in February. Can we tell sales together this week?",
    "I'll send you the split plan in writing today.",
]


def as_mentor(bot, sender):
    reply = bot.say(sender, "switch to mentor mode")
    assert any(m["metadata"]["persona"] == "mentor" for m in reply), texts(reply)


def joined(reply):
    return "\n".join(texts(reply))


# 1. Deceptive plans get a plain "don't" ----------------------------------------------------

def test_a_plan_to_claim_a_counteroffer_that_does_not_exist_gets_a_plain_dont(bot, sender):
    as_mentor(bot, sender)
    bot.say(sender, "I have an offer from a fintech startup: 148k base vs my current 120k at a bank. "
                    "They want an answer by Friday.")
    text = joined(bot.say(sender, BANK_BLUFF))
    assert text.startswith("Don't") or "\nDon't" in text or text.split("\n")[0].startswith("Don't"), text
    assert "Here's my read on" not in text and "What's strong" not in text


def test_an_invented_competing_offer_is_not_a_goal_and_gets_a_dont(bot, sender):
    as_mentor(bot, sender)
    bot.say(sender, "I need to ask my director Elena for two more engineers for my team")
    text = joined(bot.say(sender, STRIPE_BLUFF))
    assert "Don't" in text, text
    assert "no goal on record" not in text


def test_a_bluff_asked_in_the_middle_of_a_role_play_is_answered_out_of_role(bot, sender):
    as_mentor(bot, sender)
    bot.say(sender, "Can we role-play asking my director for headcount? Please play my director.")
    reply = bot.say(sender, STRIPE_BLUFF)
    assert "Don't" in joined(reply)
    assert not any(m["metadata"]["technique"] == "role_play" for m in reply)


# 2. Role-play listens ---------------------------------------------------------------------

def test_the_counterpart_is_the_person_asked_for(bot, sender):
    as_mentor(bot, sender)
    reply = bot.say(sender, NADIA)
    text = joined(reply)
    assert "Nadia" in text and "head of product" in text, text
    assert "direct report" not in text and "(as your report)" not in text


def test_role_play_it_under_advice_uses_the_named_senior_peer(bot, sender):
    as_mentor(bot, sender)
    bot.say(sender, "I need to give hard feedback to a senior peer, Rachel, who blamed my team in "
                    "front of the CTO")
    text = joined(bot.say(sender, "Can you role-play my senior peer Rachel? I want to practise giving "
                                  "her feedback."))
    assert "Rachel" in text and "(as your report)" not in text, text


def test_an_example_already_given_is_not_asked_for(bot, sender):
    as_mentor(bot, sender)
    bot.say(sender, "Can you role-play my senior peer Rachel, platform director, who blamed my team "
                    "in front of the CTO? I want to practise giving her feedback.")
    reply = bot.say(sender, "Rachel, in Tuesday's incident review you said my team caused the outage, "
                            "but the contract change came from platform. I'd like us to agree how we "
                            "handle that in front of the CTO.")
    text = joined(reply).lower()
    assert "example" not in text and "when exactly" not in text, text


def test_lets_run_it_again_restarts_the_same_scene_after_feedback(bot, sender):
    as_mentor(bot, sender)
    bot.say(sender, NADIA)
    for line in NADIA_LINES:
        reply = bot.say(sender, line)
    feedback = [m["text"] for m in reply if m["metadata"]["technique"] == "feedback"]
    assert feedback, texts(reply)
    # The feedback quotes the person's own line and doesn't ask for an example they gave.
    assert any(line.split(".")[0] in feedback[0] or line[:40] in feedback[0] for line in NADIA_LINES)
    assert "example, date or number" not in feedback[0]
    again = bot.say(sender, "Let's run it again")
    text = joined(again)
    assert "Goodbye" not in text
    assert any(m["metadata"]["technique"] == "role_play" and "Nadia" in m["text"] for m in again), text


# 3. Scripts carry no one else's details -------------------------------------------------

def test_a_script_for_berlin_does_not_mention_singapore(bot, sender):
    as_mentor(bot, sender)
    bot.say(sender, "I've been offered a transfer to our Berlin office and need to decide about "
                    "relocating abroad")
    text = joined(bot.say(sender, "What should I actually say?"))
    assert "What I'd actually say" in text
    assert "Singapore" not in text


def test_a_script_for_learning_sql_does_not_say_python(bot, sender):
    as_mentor(bot, sender)
    bot.say(sender, "I'm a marketing coordinator and I want to learn SQL in the next six weeks so I "
                    "can apply for the internal junior data analyst opening.")
    text = joined(bot.say(sender, "What should I actually say to my manager?"))
    assert "What I'd actually say" in text
    assert "Python" not in text


# 4. Either-or gets a position -------------------------------------------------------------

def test_negotiate_or_accept_gets_a_position_first(bot, sender):
    as_mentor(bot, sender)
    bot.say(sender, "I have an offer from a fintech startup: 148k base vs my current 120k at a bank.")
    text = joined(bot.say(sender, "Should I try to negotiate to 160k or accept 148k as is?"))
    assert "can't honestly pick" not in text and "without knowing more" not in text
    assert text.lower().startswith("try to negotiate") or text.lower().startswith("negotiate"), text


def test_manager_or_hr_gets_a_position_first(bot, sender):
    as_mentor(bot, sender)
    bot.say(sender, "I run a small side business while I work full time as a designer")
    text = joined(bot.say(sender, "Should I tell my manager first or HR?"))
    assert text.lower().startswith("tell your manager"), text


# 5. Past periods are not deadlines -------------------------------------------------------

def test_the_last_six_weeks_is_not_six_weeks_to_go(bot, sender):
    as_mentor(bot, sender)
    text = joined(bot.say(sender, "One of my reports, Priya, has missed three sprint deadlines in the "
                                  "last six weeks. Our Q3 launch is on September 15."))
    assert "six weeks to go" not in text.lower(), text
    assert "Priya" in text


def test_tenure_is_not_a_deadline_and_the_signing_window_is(bot, sender):
    as_mentor(bot, sender)
    text = joined(bot.say(sender, "I was laid off yesterday. Eight years at the company, senior QA lead. "
                                  "They handed me a severance agreement and I have 21 days to sign."))
    assert "Eight years to go" not in text and "eight years to go" not in text.lower(), text
    assert "21 days to go" in text


# 6. Resources ---------------------------------------------------------------------------

def test_books_or_articles_gets_resources_not_the_either_or_answer(bot, sender):
    as_mentor(bot, sender)
    bot.say(sender, "One of my team members keeps missing deadlines")
    text = joined(bot.say(sender, "Any books or articles on this?"))
    assert "can't honestly pick" not in text and "tips it one way" not in text
    assert "The Manager's Path" in text, text


# 7. Corrections --------------------------------------------------------------------------

def test_ruling_out_firing_keeps_the_situation(bot, sender):
    as_mentor(bot, sender)
    bot.say(sender, "One of my reports, Priya, has missed three sprint deadlines in the last six weeks.")
    text = joined(bot.say(sender, "I'm not thinking of firing her, by the way — I just want her back on "
                                  "track before September 15."))
    assert "outside what I know well" not in text
    assert "missing deadlines" in text, text


# 8. Boilerplate --------------------------------------------------------------------------

def test_the_ask_me_why_hint_is_not_under_every_answer(bot, sender):
    as_mentor(bot, sender)
    first = joined(bot.say(sender, "One of my team members keeps missing deadlines"))
    more = joined(bot.say(sender, "What else?"))
    assert "Ask me why for any step" in first
    assert "Ask me why for any step" not in more, more
    assert len(re.findall("simulated", first + more)) == 0


def test_role_play_it_button_plays_the_person_named_before(bot, sender):
    as_mentor(bot, sender)
    bot.say(sender, "I have to tell our head of product, Nadia, that the checkout redesign she promised "
                    "sales for March 1 can't ship until April 15.")
    reply = bot.say(sender, "/request_roleplay")
    text = joined(reply)
    assert "Nadia" in text and "(as your report)" not in text, text


def test_an_either_or_question_does_not_start_a_role_play(bot, sender):
    as_mentor(bot, sender)
    bot.say(sender, "I need to ask my VP, Elena, for two more engineers for my team")
    reply = bot.say(sender, "Should I ask for two full-time hires or one contractor for six months?")
    assert not any(m["metadata"]["technique"] == "role_play" for m in reply), texts(reply)
    assert "Let's practise it" not in joined(reply)


def test_the_introduction_is_short_and_said_once(bot, sender):
    reply = bot.say(sender, "/request_mentor")
    intro = [m["text"] for m in reply if "simulation, not a person" in m["text"]]
    assert len(intro) == 1 and len(intro[0].split()) <= 70, intro
    again = bot.say(sender, "/request_mentor")
    assert not any("simulation, not a person" in m["text"] for m in again)


def test_sign_now_or_wait_is_answered_by_the_mentor_with_a_position(bot, sender):
    as_mentor(bot, sender)
    bot.say(sender, "I was laid off yesterday. They handed me a severance agreement and I have 21 days to sign.")
    text = joined(bot.say(sender, "Should I sign it right away to get the money, or wait?"))
    assert text.startswith("Wait."), text
