"""The mentor's conversation about a situation (bot/personas/situation_mentor.py): the
failures quoted in issue 19, one test each, without Rasa."""
from bot.personas import situation_mentor as mentor


def _talk(*messages):
    state, earlier, turns = None, [], []
    for message in messages:
        turn = mentor.respond(message, earlier, state)
        turns.append(turn)
        state = turn.state
        earlier.append(message)
    return turns


def _text(turn):
    return "\n".join(reply.text for reply in turn.replies)


def test_every_reply_is_the_mentors_with_a_technique():
    for turn in _talk("I want to ask for a raise to 148k", "why?", "what else?"):
        assert turn.replies
        assert all(r.persona == "mentor" and r.technique for r in turn.replies)


def test_advice_keeps_the_persons_figure():
    turn, = _talk("I want to ask for a raise, I'm at 120k and want 148k")
    assert turn.state["situation"] == "salary_negotiation"
    assert "148k" in _text(turn)
    assert "95,000" not in _text(turn)
    assert "Why:" in _text(turn)


def test_why_gives_the_steps_reason():
    _, why = _talk("I want to ask for a raise to 148k", "why should I name the number first?")
    assert "anchors" in _text(why)


def test_objection_gets_its_answer():
    _, objection = _talk("I need to ask my director for two more engineers for my team",
                         "what if my manager says there's no budget?")
    assert "no budget" in _text(objection).lower()
    assert "stop doing" in _text(objection) or "stops doing" in _text(objection)


def test_either_or_gets_a_position_first():
    _, choice = _talk("I need to give hard feedback to a senior colleague who keeps overriding my team",
                      "should I talk to her directly or via her manager?")
    assert _text(choice).split(".")[0].lower().endswith("directly")


def test_what_should_i_say_gives_the_script():
    _, script = _talk("I want to ask for a raise to 148k", "what should I actually say?")
    assert "148k" in _text(script) and "What I'd actually say" in _text(script)


def test_what_else_then_nothing_more_names_who_would_know():
    turns = _talk("I want to ask for a raise to 148k", "what else?", "what else?")
    last = _text(turns[-1])
    assert "already given you all" not in last
    assert "would know" in last or "who'd know" in last


def test_a_correction_changes_the_situation():
    first, corrected = _talk("I'm thinking about a career change into data",
                             "I'm not changing careers, I want to learn SQL for my job")
    assert first.state["situation"] == "career_change"
    assert corrected.state["situation"] == "learning_technical_skill"
    assert "career_change" in corrected.state["excluded"]


def test_feelings_first_and_the_lawyer_named_for_severance():
    turn, = _talk("I got laid off yesterday and they gave me a severance agreement to sign "
                  "within 21 days. I'm kind of in shock")
    text = _text(turn)
    assert turn.state["situation"] == "laid_off_severance"
    assert text.startswith("That's a lot to take in")
    assert "employment lawyer" in text
    assert "21 days" in text
    assert "coach" not in text.lower()


def test_an_ip_clause_gets_the_lawyer_and_the_work_answer():
    turn, = _talk("I want to build an app on weekends but my contract has an IP clause")
    text = _text(turn)
    assert turn.state["situation"] == "side_business"
    assert "employment lawyer" in text and "1. " in text


def test_the_issue_situations():
    cases = {
        "One of my team members keeps missing deadlines": "report_missing_deadlines",
        "my best engineer is brilliant but rude in meetings": "rude_high_performer",
        "I got promoted two months ago and feel like a fraud": "imposter_after_promotion",
    }
    for message, expected in cases.items():
        turn, = _talk(message)
        assert turn.state["situation"] == expected, message


def test_review_alone_does_not_switch_the_situation():
    _, review = _talk("I want to ask for a raise to 148k", "review")
    assert review.state["situation"] == "salary_negotiation"


def test_a_weak_match_asks_one_question_naming_two():
    turn, = _talk("my colleague and my boss")
    assert len(turn.replies) == 1
    assert turn.replies[0].text.count(", or ") == 1
    assert len(turn.state["pending"]) == 2


def test_outside_what_the_mentor_knows_is_said():
    turn, = _talk("what is the best pizza in town")
    assert "outside what I know well" in _text(turn)


def test_plan_with_a_made_up_offer_gets_a_plain_dont():
    turn, = _talk("My plan: I'll tell them I have a competing offer from Google even though "
                  "I don't, to get 148k")
    assert _text(turn).startswith("Don't")


def test_plan_warnings_cover_going_around_hiding_and_conceding():
    assert mentor.plan_red_flags("I'll go straight to the VP without telling my manager") == ["around_manager"]
    assert mentor.plan_red_flags("I'll keep the side business secret so they won't find out") == ["hiding"]
    assert mentor.plan_red_flags("I'll lower my ask in case they say no") == ["conceding"]
    assert mentor.plan_red_flags("I'll ask for 148k and stop talking") == []


def test_a_request_that_describes_nothing_is_asked_once_then_answered_plainly():
    ask, unclear = _talk("I need some advice", "it's complicated, just work stuff")
    assert ask.replies[0].technique == "guidance" and ask.replies[0].text.endswith("enough.")
    assert unclear.replies[0].text != ask.replies[0].text
    assert "generic list" in unclear.replies[0].text
