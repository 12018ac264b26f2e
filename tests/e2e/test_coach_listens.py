"""Issue 18 over HTTP: a coachee replays every failure the PCC assessor quoted, and the coach
must listen (selective reflection, staying with feelings, readiness, repair, details
already given, the person's own agenda, return visits)."""
import re

from tests.e2e.coachee import CONTRACT, DELEGATION_BY_SLOT, play, where
from tests.e2e.servers import personas, techniques, texts
from tests.nondirective import assert_coach_message

DELEGATE = "I want to get better at delegating to my team"


def coach_texts(reply):
    return [m["text"] for m in reply if m["metadata"]["persona"] == "coach"]


def last_coach(reply):
    found = coach_texts(reply)
    assert found, reply
    return found[-1]


def _words(text):
    return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))


def shared_run(client, reply):
    a, b = _words(client), _words(reply)
    best = 0
    for i in range(len(a)):
        for j in range(len(b)):
            k = 0
            while i + k < len(a) and j + k < len(b) and a[i + k] == b[j + k]:
                k += 1
            best = max(best, k)
    return best


def start(bot, sender, goal=DELEGATE, contract=CONTRACT):
    bot.say(sender, "coach me")
    first = bot.say(sender, goal)
    assert personas(first)[-1] == "coach"
    reply = bot.say(sender, contract)
    return first, reply


def answer_until(bot, sender, slot, by_slot=None, limit=14):
    """Answers what the coach asks until it asks for `slot`."""
    by_slot = {**DELEGATION_BY_SLOT, **(by_slot or {})}
    from tests.e2e.coachee import answer_for
    for _ in range(limit):
        if where(bot, sender)["slot"] == slot:
            return
        bot.say(sender, answer_for(bot, sender, by_slot))
    raise AssertionError(f"the coach never asked for {slot}: {where(bot, sender)}")


# ---- parroting ----------------------------------------------------------------------------

def test_no_parroting_over_a_whole_conversation(bot, sender):
    said = []
    _, reply = start(bot, sender)
    replies = [reply]
    long_answers = dict(DELEGATION_BY_SLOT)
    long_answers["grow_reality"] = ("right now I redo most of their reports myself because the "
                                    "numbers were wrong twice last quarter and the client noticed")
    for _ in range(30):
        from tests.e2e.coachee import answer_for
        answer = answer_for(bot, sender, long_answers)
        if answer is None:
            break
        said.append(answer)
        replies.append(bot.say(sender, answer))
        for text in coach_texts(replies[-1]):
            assert not text.rstrip("?").endswith("...") and "..." not in text and "\u2026" not in text, text
            assert shared_run(answer, text) <= 12, (answer, text)
            assert "What I'm hearing is that" not in text and "In your words" not in text
        if "summary" in techniques(replies[-1]):
            break
    assert "summary" in techniques(replies[-1])
    coach_turns = [r for r in replies[:-1] if coach_texts(r)]
    reflecting = [r for r in coach_turns if "reflection" in techniques(r)]
    assert len(reflecting) <= len(coach_turns) // 3 + 1, [coach_texts(r) for r in reflecting]


def test_fillers_commands_and_complaints_are_not_reflected(bot, sender):
    start(bot, sender)
    for message, never in (("priya, probably.", "priya, probably"), ("reset", "that reset"),
                           ("this is useless", "this is useless")):
        reply = bot.say(sender, message)
        for text in coach_texts(reply):
            assert never not in text.lower(), text
            assert_coach_message(text)


def test_pronouns_come_back_right(bot, sender):
    start(bot, sender, goal="I want to call my dad more often")
    reply = bot.say(sender, "I have felt guilty since our dad's 70th")
    text = " ".join(coach_texts(reply))
    assert not re.search(r"\bour dad", text) and "you just told you" not in text
    reply = bot.say(sender, "I just told you")
    assert "you just told you" not in " ".join(coach_texts(reply))


# ---- the fixed march -----------------------------------------------------------------------

def test_not_at_the_doing_stage_is_not_met_with_by_when(bot, sender):
    start(bot, sender)
    answer_until(bot, sender, "grow_first_step")
    reply = bot.say(sender, "I'm not at the doing stage")
    text = last_coach(reply)
    assert "by when" not in text.lower() and "1 to 10" not in text, text
    assert_coach_message(text)
    assert bot.tracker(sender)["slots"]["grow_first_step"] is None


def test_a_complaint_gets_repair_not_the_scale_and_never_reaches_the_summary(bot, sender):
    start(bot, sender)
    answer_until(bot, sender, "grow_first_step")
    reply = bot.say(sender, "What step? You're not listening.")
    text = last_coach(reply)
    assert "1 to 10" not in text and "by when" not in text.lower(), text
    assert text.startswith(("You're right", "Fair point", "Thank you for telling me")), text
    assert_coach_message(text)
    again = bot.say(sender, "keep going")
    assert "1 to 10" not in " ".join(coach_texts(again)) or where(bot, sender)["slot"] == "grow_commitment"
    replies = play(bot, sender)
    summary = replies[-1][-1]["text"]
    assert "summary" in techniques(replies[-1])
    assert "listening" not in summary and "What step" not in summary


# ---- asking for what was just said ---------------------------------------------------------

def test_a_date_given_with_the_step_is_confirmed_not_asked(bot, sender):
    start(bot, sender)
    answer_until(bot, sender, "grow_first_step")
    reply = bot.say(sender, "I'll sit down with Priya tomorrow")
    text = last_coach(reply)
    assert "by when" not in text.lower(), text
    slots = bot.tracker(sender)["slots"]
    assert slots["grow_deadline"] and "tomorrow" in slots["grow_deadline"].lower()
    assert slots["requested_slot"] != "grow_deadline"


def test_days_given_with_the_step_are_not_asked_again(bot, sender):
    start(bot, sender, goal="I want to make time for deep work")
    answer_until(bot, sender, "grow_first_step", {"grow_measure": "two calm mornings a week",
                                                   "grow_reality": "meetings eat every morning",
                                                   "grow_options": "block my calendar or work from a cafe"})
    reply = bot.say(sender, "30 minutes on Monday and Wednesday mornings")
    assert "by when" not in last_coach(reply).lower()
    assert bot.tracker(sender)["slots"]["requested_slot"] != "grow_deadline"


# ---- feelings, insights, silence -----------------------------------------------------------

def test_a_named_fear_is_the_next_turn(bot, sender):
    start(bot, sender, goal="I want to ask my manager for a raise")
    answer_until(bot, sender, "grow_reality", {"grow_measure": "a raise agreed by June"})
    reply = bot.say(sender, "I've rehearsed what to say. The call scares me most")
    text = last_coach(reply)
    assert any(w in text.lower() for w in ("scary", "fear", "scares")), text
    assert_coach_message(text)


def test_an_insight_is_the_next_turn(bot, sender):
    start(bot, sender, goal="I want a better relationship with my sister")
    answer_until(bot, sender, "grow_reality", {"grow_measure": "we'd talk every week"})
    reply = bot.say(sender, "Thinking about it made me realise I'm the one waiting for her to go first")
    text = last_coach(reply)
    assert where(bot, sender)["slot"] == "grow_explore"
    assert any(w in text.lower() for w in ("see", "notice", "realisation", "discovery", "shifted")), text


def test_stay_with_the_feeling_takes_effect_at_once(bot, sender):
    start(bot, sender)
    answer_until(bot, sender, "grow_options")
    reply = bot.say(sender, "Can we stay with the feeling of being stuck for a minute?")
    text = last_coach(reply)
    assert "what could you do" not in text.lower() and where(bot, sender)["slot"] == "grow_explore", text
    assert "stuck" in text, text


def test_silence_gets_space(bot, sender):
    _, question = start(bot, sender)
    asked = where(bot, sender)["slot"]
    for silence in ("...", "hmm"):
        reply = bot.say(sender, silence)
        text = last_coach(reply)
        assert text.startswith(("Take your time", "No rush", "Take all the time")), text
        assert where(bot, sender)["slot"] == asked


# ---- the agenda is the person's ------------------------------------------------------------

def test_forget_the_presentation_changes_the_topic_in_the_same_turn(bot, sender):
    start(bot, sender, goal="I want to give a better presentation next month")
    bot.say(sender, "people would ask good questions at the end")
    reply = bot.say(sender, "Actually forget the presentation. What's really bugging me is that "
                            "my coworker keeps taking credit for my work")
    text = last_coach(reply)
    assert "coworker" in text and "presentation" not in text, text
    slots = bot.tracker(sender)["slots"]
    assert slots["grow_reality"] and "coworker" in slots["grow_reality"]
    assert not slots["grow_goal"] and slots["requested_slot"] == "grow_goal"
    assert slots["topic"] != "public_speaking"


def test_a_learning_goal_gets_no_unasked_comparison_and_keeps_its_own_words(bot, sender):
    bot.say(sender, "coach me")
    reply = bot.say(sender, "I want to learn SQL so I can pull my own reports")
    assert set(personas(reply)) <= {"coach", "host"}
    assert not any(m["metadata"].get("compare") for m in reply)
    assert "mentor" not in " ".join(coach_texts(reply)).lower()
    other = sender + "-exercise"
    bot.say(other, "coach me")
    reply = bot.say(other, "I want to get back into exercise, I work from home and sit all day")
    assert "remote work" not in " ".join(texts(reply)).lower()
    assert bot.tracker(other)["slots"]["topic"] != "remote_work"


def test_start_over_and_check_in_take_effect_mid_grow(bot, sender):
    start(bot, sender)
    bot.say(sender, DELEGATION_BY_SLOT["grow_measure"])
    reply = bot.say(sender, "how are we doing?")
    assert "so far" in last_coach(reply), reply
    bot.say(sender, "good so far")
    reply = bot.say(sender, "start over")
    assert personas(reply)[-1] == "coach"
    slots = bot.tracker(sender)["slots"]
    assert slots["requested_slot"] == "grow_goal" and not slots["grow_measure"]


# ---- return visits ------------------------------------------------------------------------

def test_a_return_visit_opens_on_the_last_step_and_asks_what_was_learned(bot, sender):
    start(bot, sender)
    answers = dict(DELEGATION_BY_SLOT, grow_first_step="talk to Priya on Monday about the report")
    replies = play(bot, sender, answers)
    assert "summary" in techniques(replies[-1])
    bot.say(sender, "in two weeks")
    reply = bot.say(sender, "hi")
    assert personas(reply) == ["coach"], reply
    assert "Priya" in reply[-1]["text"] and "capabilit" not in reply[-1]["text"].lower()
    reply = bot.say(sender, "It went well, she agreed to take over the weekly report")
    text = last_coach(reply)
    assert "learn" in text or "teach" in text, text
    assert "That is a step taken" not in text and "..." not in text
    reply = bot.say(sender, "keep working on it")
    assert personas(reply)[-1] == "coach"
    assert bot.tracker(sender)["slots"]["grow_goal"] == DELEGATE


def test_taking_leave_mid_grow_ends_it_without_another_question(bot, sender):
    start(bot, sender)
    reply = bot.say(sender, "Thanks, bye.")
    assert "coach" not in personas(reply), texts(reply)
    assert bot.tracker(sender)["active_loop"].get("name") is None


def test_a_summary_request_mid_grow_gives_back_what_was_said(bot, sender):
    start(bot, sender)
    reply = bot.say(sender, "Can you summarise?")
    summary = [m for m in reply if (m.get("metadata") or {}).get("technique") == "summary"]
    assert summary, texts(reply)
    assert "delegat" in summary[0]["text"].lower()
    assert_coach_message(summary[0]["text"])


def test_a_date_said_again_with_a_complaint_is_still_the_answer(bot, sender):
    # "Thursday the 14th, I already said that." got "I got ahead of you there": the date was lost.
    start(bot, sender)
    answer_until(bot, sender, "grow_deadline", {"grow_first_step": "ask Sam to take over the weekly report"})
    reply = bot.say(sender, "Next Thursday, I already said that.")
    assert "ahead of you" not in " ".join(texts(reply))
    assert "Thursday" in (bot.tracker(sender)["slots"].get("grow_deadline") or "")


def test_a_step_with_its_date_at_the_options_question_is_taken_as_the_step(bot, sender):
    # "I'll do it at our 1:1 this Thursday, the 14th." got "Which would help more now:
    # choosing a step, or looking at more options?"
    from tests.e2e.coachee import answer_for
    start(bot, sender)
    for _ in range(14):
        if where(bot, sender) == {"slot": "grow_explore", "move": "readiness_options"}:
            break
        bot.say(sender, answer_for(bot, sender, DELEGATION_BY_SLOT))
    else:
        raise AssertionError("the coach never asked whether to look at options")
    reply = bot.say(sender, "I'll ask Sam to take over the weekly report at our 1:1 next Thursday.")
    slots = bot.tracker(sender)["slots"]
    assert slots.get("grow_first_step") and slots.get("grow_deadline"), texts(reply)
    assert where(bot, sender)["move"] != "readiness_will", texts(reply)
