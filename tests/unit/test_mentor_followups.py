"""The mentee evaluation's findings on the mentor engine (issue 19): deception, role-play
that listens, generic scripts, either-or positions, past periods, resources, corrections
and the closing hint."""
from bot.personas import details, roleplay
from bot.personas import situation_mentor as mentor
from bot.understanding import arbiter
from bot.understanding.reader import read


def _talk(*messages):
    state, earlier, turns = None, [], []
    for message in messages:
        turn = mentor.respond(message, earlier, state)
        turns.append(turn)
        state, earlier = turn.state, earlier + [message]
    return turns


def _text(turn):
    return "\n".join(r.text for r in turn.replies)


BANK = ("My plan: I'll tell them my bank matched at 155k to push them up. The bank hasn't actually "
        "offered anything. Fine?")
STRIPE = ("Honestly I'm thinking of telling Elena I have a competing offer from Stripe so she takes the "
          "headcount ask seriously. I don't actually have one. Good idea?")


# Deception ------------------------------------------------------------------------------

def test_a_claim_the_person_says_is_untrue_is_deception():
    assert mentor.plan_red_flags(BANK) == ["deception"]
    assert mentor.plan_red_flags(STRIPE) == ["deception"]


def test_telling_the_truth_is_not_deception():
    assert mentor.plan_red_flags("I'll tell them the truth: I don't actually want to relocate.") == []
    assert mentor.plan_red_flags("I'll tell my manager I finished the certification") == []


def test_a_deceptive_plan_with_a_situation_open_gets_only_the_dont():
    _, bluff = _talk("I have an offer from a fintech startup: 148k base vs my current 120k", BANK)
    assert _text(bluff).startswith("Don't")
    assert "Here's how I'd handle" not in _text(bluff)
    assert bluff.state["situation"] == "evaluating_offer"


def test_the_arbiter_reads_a_deceptive_plan_as_a_plan_not_progress():
    settled = arbiter.settle(STRIPE, read(STRIPE), {"name": "report_progress", "confidence": 0.66},
                             [{"name": "report_progress", "confidence": 0.66}])
    assert settled["name"] == "share_plan"


def test_the_arbiter_reads_run_it_again_and_play_requests_as_role_play():
    for text in ("Let's run it again", "Can you role-play it? Please play Nadia, the head of product."):
        settled = arbiter.settle(text, read(text), {"name": "goodbye", "confidence": 0.7},
                                 [{"name": "goodbye", "confidence": 0.7}])
        assert settled["name"] == "request_roleplay", text


# Role-play ------------------------------------------------------------------------------

def test_the_counterpart_comes_from_the_persons_words():
    replies, state = roleplay.start("Please play Nadia, the head of product.", "feedback")
    assert "Nadia, the head of product" in replies[0].text
    assert replies[1].text.startswith("(as Nadia, the head of product)")
    assert state["scenario"] == "senior_counterpart"
    replies, _ = roleplay.start("Can you role-play my senior peer Rachel, platform director?", None)
    assert replies[1].text.startswith("(as Rachel, your senior peer)")


def test_role_play_it_takes_the_role_and_stakes_from_what_was_said_before():
    replies, _ = roleplay.start("/request_roleplay", "feedback", [
        "I have to tell our head of product, Nadia, that the redesign can't ship until April 15."])
    assert "Nadia" in replies[0].text and "tell me that the redesign can't ship until April 15" in replies[0].text
    assert "direct report" not in replies[0].text


def test_asking_for_another_counterpart_mid_scene_recasts_it():
    _, state = roleplay.start("role-play giving feedback to my report", None)
    replies, state, finished = roleplay.turn(state, "No, please play Nadia, our head of product, not my report.")
    assert not finished and state["lines"] == []
    assert replies[-1].text.startswith("(as Nadia, your head of product)")


def test_an_example_with_a_day_is_evidence_and_not_asked_for_again():
    _, state = roleplay.start("Can you role-play my senior peer Rachel?", None)
    replies, state, _ = roleplay.turn(state, "Rachel, in Tuesday's incident review you said my team caused "
                                             "the outage. I'd like us to agree how we handle that.")
    assert "example" not in replies[0].text.lower() and "specifics" not in replies[0].text.lower()


def test_a_question_to_the_mentor_mid_scene_is_answered_out_of_role_and_not_counted():
    _, state = roleplay.start("role-play asking for a raise", None)
    replies, after, finished = roleplay.turn(state, STRIPE)
    assert replies[0].text.startswith("Don't") and not finished
    assert after["lines"] == []


def test_feedback_names_one_thing_to_change_and_quotes_the_person():
    _, state = roleplay.start("Please play Nadia, the head of product.", None)
    line = "I'd rather you hear it from me now. The PCI audit means April 15, and I'd like us to tell sales together."
    replies, state, _ = roleplay.turn(state, line)
    replies, state, finished = roleplay.turn(state, "stop")
    assert finished
    feedback = replies[-1].text
    assert line in feedback
    assert "example, date or number" not in feedback
    improve = next(l for l in feedback.split("\n") if l.startswith("What to improve"))
    from bot.content import load
    assert sum(item in improve for item in load("mentor_roleplay")["feedback"]["improve"].values()) <= 1


def test_run_it_again_is_a_whole_request_not_any_sentence():
    assert roleplay.is_rerun("Let's run it again")
    assert roleplay.is_rerun("ok, can we run it again please")
    assert not roleplay.is_rerun("I asked him one more time to send it")


# Scripts --------------------------------------------------------------------------------

def test_scripts_carry_no_one_elses_details():
    _, berlin = _talk("I've been offered a transfer to our Berlin office and I'm deciding about relocating abroad",
                      "what should I actually say?")
    assert "Singapore" not in _text(berlin) and "What I'd actually say" in _text(berlin)
    _, sql = _talk("I want to learn SQL to move into a data analyst role", "what should I actually say?")
    assert "Python" not in _text(sql)


def test_a_script_with_the_persons_own_figure_still_uses_it():
    _, script = _talk("I want to ask for a raise to 148k", "what should I actually say?")
    assert "148k" in _text(script)


# Either-or ------------------------------------------------------------------------------

def test_either_or_takes_a_position_from_a_known_choice():
    _, choice = _talk("I have an offer from a fintech startup: 148k base vs my current 120k",
                      "Should I try to negotiate to 160k or accept 148k as is?")
    assert _text(choice).startswith("Try to negotiate to 160k.")


def test_either_or_takes_a_position_from_the_situations_own_choices():
    _, choice = _talk("I'm a data analyst learning SQL to move into data engineering",
                      "Should I do a Coursera course or just practise on our company's data?")
    assert _text(choice).startswith("Practise on your company's data.")


def test_either_or_takes_no_position_from_a_step_that_only_shares_words():
    # A mentee was told to quit their job, and to keep struggling from their manager, by steps
    # that merely shared words with one option.
    _, choice = _talk("I have a side business designing Shopify stores while working full-time",
                      "Should I quit my job to go full-time on the business or keep both for another year?")
    assert not _text(choice).startswith("Quit")
    _, choice = _talk("I got promoted two months ago and feel like a fraud",
                      "Should I tell my manager, Lena, that I'm struggling, or keep it to myself?")
    assert not _text(choice).startswith("Keep it to yourself")


def test_either_or_with_nothing_to_go_on_says_what_would_decide_it():
    _, choice = _talk("I'm a data analyst learning SQL to move into data engineering",
                      "Should I wear blue or green?")
    assert "What would decide it" in _text(choice)


def test_books_or_articles_is_a_resource_request():
    _, books = _talk("One of my team members keeps missing deadlines", "Any books or articles on this?")
    assert "The Manager's Path" in _text(books)


# Past periods ---------------------------------------------------------------------------

def test_past_periods_and_tenure_are_not_time_left():
    assert details.extract("missed three deadlines in the last six weeks") == {"period": ["six weeks"]}
    found = details.extract("Eight years at the company, and I have 21 days to sign.")
    assert found["duration"] == ["21 days"]
    assert "duration" not in details.extract("they broke the contract three times in two months")
    assert "duration" not in details.extract("6k in three months from the side business")
    assert details.durations("the launch is in six weeks") == ["six weeks"]


def test_the_details_line_keeps_past_and_future_apart():
    advice, = _talk("One of my reports, Priya, has missed three sprint deadlines in the last six weeks. "
                    "Our launch is on September 15.")
    text = _text(advice)
    assert "six weeks to go" not in text
    assert "over the last six weeks" in text and "on September 15" in text


# Corrections and boilerplate ------------------------------------------------------------

def test_ruling_out_an_option_keeps_the_situation():
    _, fix = _talk("One of my reports, Priya, keeps missing deadlines",
                   "I'm not thinking of firing her, by the way, I just want her back on track")
    assert fix.state["situation"] == "report_missing_deadlines"
    assert "outside what I know well" not in _text(fix)


def test_the_ask_me_why_hint_is_given_once():
    first, more = _talk("One of my team members keeps missing deadlines", "what else?")
    assert "Ask me why for any step" in _text(first)
    assert "Ask me why for any step" not in _text(more)


def test_an_either_or_question_is_not_a_role_play_request():
    text = "Should I ask for two full-time hires or one contractor for six months?"
    ranking = [{"name": "request_roleplay", "confidence": 0.6}, {"name": "ask_advice", "confidence": 0.3}]
    settled = arbiter.settle(text, read(text), ranking[0], ranking)
    assert settled["name"] == "ask_advice"
    text = "let's act out the argument I had with my co-worker"
    assert arbiter.settle(text, read(text), ranking[0], ranking) is None


def test_a_step_that_advises_against_an_option_decides_the_either_or():
    _, choice = _talk("I was laid off yesterday and they gave me a severance agreement to sign within 21 days",
                      "Should I sign it right away to get the money, or wait?")
    assert _text(choice).startswith("Wait.")
    assert "Don't sign anything today" in _text(choice)


def test_an_either_or_about_the_situation_is_not_which_role_to_use():
    text = "Should I sign it right away to get the money, or wait?"
    ranking = [{"name": "ask_which_style", "confidence": 0.7}, {"name": "ask_advice", "confidence": 0.2}]
    assert arbiter.settle(text, read(text), ranking[0], ranking)["name"] == "ask_advice"
    text = "should I get a coach or a mentor?"
    assert arbiter.settle(text, read(text), ranking[0], ranking) is None


def test_every_generic_script_belongs_to_a_situation_and_the_rest_name_no_one():
    import re

    from bot.content import load
    from bot.personas import situations

    generic = load("mentor_scripts")["scripts"]
    assert all(situations.get(sid) for sid in generic)
    for situation in situations.library():
        if situation["id"] in generic:
            continue
        names = re.findall(r"(?<=[a-z,] )[A-Z][a-z]+", situation["script"])
        assert not names, (situation["id"], names)


def test_a_work_contract_between_teams_is_not_a_legal_question():
    assert mentor.boundaries_of("Her team has broken our integration contract three times") == []
    assert mentor.boundaries_of("we need sign-off before the release date") == []
    assert mentor.boundaries_of("I have 21 days to sign the severance agreement") == ["legal"]


def test_hires_or_a_contractor_takes_the_hires_with_the_contractor_as_fallback():
    _, choice = _talk("I need to ask my director Elena for two more engineers for my team",
                      "Back to Elena: should I ask for two full-time hires or one contractor for six months?")
    assert _text(choice).startswith("Ask for two full-time hires.")
